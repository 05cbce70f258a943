import * as Y from "yjs";

/**
 * Where collaborative documents live: an append-only update log plus one compacted snapshot per
 * document (style habit 7: a small interface with an in-memory implementation for unit tests;
 * PostgreSQL in postgres-store.ts).
 */
export interface StoredDocument {
  /** Compacted state (a Yjs v1 update), or null before the first compaction. */
  snapshot: Uint8Array | null;
  /**
   * Every logged update not merged into the snapshot yet, oldest first. (All remaining rows, not
   * only those after the snapshot's mark: applying an update twice is harmless in Yjs, and with
   * several writers ids need not commit in order.)
   */
  updates: Uint8Array[];
  /** Highest update id seen (or the snapshot's mark when the log is empty); 0n when new. */
  lastId: bigint;
}

export interface CollabStore {
  load(docName: string): Promise<StoredDocument>;
  /** Appends in order, durably, in one round trip; resolves with the new ids in order. */
  append(docName: string, updates: Uint8Array[]): Promise<bigint[]>;
  /**
   * Merges `state` into the snapshot and deletes the logged updates with id ≤ `upToId`, in one
   * transaction. Whatever it deletes, and whatever the snapshot held, stays in the new snapshot
   * (see `mergeForSnapshot`), so a stale writer — a second process on the same database during
   * a rolling deploy — can never lose an update.
   */
  compact(docName: string, state: Uint8Array, upToId: bigint): Promise<void>;
}

/**
 * The new snapshot: the compacted state first (Yjs' merge keeps the first of identical ranges,
 * so the state's garbage-collected form wins), then the old snapshot and the updates about to be
 * deleted, for anything the state lacks.
 */
export function mergeForSnapshot(state: Uint8Array, previous: Uint8Array | null, deleted: Uint8Array[]): Uint8Array {
  const rest = previous ? [previous, ...deleted] : deleted;
  return rest.length === 0 ? state : Y.mergeUpdates([state, ...rest]);
}

/** In-memory store for unit tests; `failNext` makes the next calls fail, for fault tests. */
export class InMemoryCollabStore implements CollabStore {
  private nextId = 1n;
  readonly docs = new Map<string, { snapshot: Uint8Array | null; upToId: bigint; log: Array<{ id: bigint; update: Uint8Array }> }>();
  /** Calls of `append` so far, with their batch sizes. */
  readonly appendBatches: number[] = [];
  failures: { append?: number; load?: number; compact?: number } = {};
  /** When set, every append waits for this promise first (to hold writes in flight). */
  gate: Promise<void> | null = null;

  private doc(docName: string) {
    let doc = this.docs.get(docName);
    if (!doc) this.docs.set(docName, (doc = { snapshot: null, upToId: 0n, log: [] }));
    return doc;
  }

  private maybeFail(kind: "append" | "load" | "compact") {
    const left = this.failures[kind] ?? 0;
    if (left > 0) {
      this.failures[kind] = left - 1;
      throw new Error(`injected ${kind} failure`);
    }
  }

  async load(docName: string): Promise<StoredDocument> {
    await Promise.resolve();
    this.maybeFail("load");
    const doc = this.doc(docName);
    const last = doc.log.at(-1)?.id ?? doc.upToId;
    return { snapshot: doc.snapshot, updates: doc.log.map((row) => row.update), lastId: last };
  }

  async append(docName: string, updates: Uint8Array[]): Promise<bigint[]> {
    if (this.gate) await this.gate;
    await Promise.resolve();
    this.maybeFail("append");
    this.appendBatches.push(updates.length);
    const doc = this.doc(docName);
    return updates.map((update) => {
      const id = this.nextId++;
      doc.log.push({ id, update: new Uint8Array(update) });
      return id;
    });
  }

  async compact(docName: string, state: Uint8Array, upToId: bigint): Promise<void> {
    await Promise.resolve();
    this.maybeFail("compact");
    const doc = this.doc(docName);
    const deleted = doc.log.filter((row) => row.id <= upToId).map((row) => row.update);
    doc.snapshot = mergeForSnapshot(new Uint8Array(state), doc.snapshot, deleted);
    if (upToId > doc.upToId) doc.upToId = upToId;
    doc.log = doc.log.filter((row) => row.id > upToId);
  }
}
