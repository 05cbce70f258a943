import * as Y from "yjs";
import { DEFAULT_SCAN_LIMITS, scanUpdate } from "./update-scan.ts";

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
   * a rolling deploy — can never lose an update. `covers` (see `stateCovers`) says which of those
   * the state holds already: they need no merging.
   */
  compact(docName: string, state: Uint8Array, upToId: bigint, covers?: (update: Uint8Array) => boolean): Promise<void>;
}

/**
 * The new snapshot: the compacted state first (Yjs' merge keeps the first of identical ranges,
 * so the state's garbage-collected form wins), then the old snapshot and the updates about to be
 * deleted, for anything the state lacks. What `covers` vouches for is left out: usually
 * everything, and then the state is the snapshot as it is. (Merging it all took 7–15 ms of the
 * event loop for a 70 KB chart under bench:realtime, and delayed the edits arriving meanwhile.)
 */
export function mergeForSnapshot(
  state: Uint8Array,
  previous: Uint8Array | null,
  deleted: Uint8Array[],
  covers: (update: Uint8Array) => boolean = () => false,
): Uint8Array {
  const rest = (previous ? [previous, ...deleted] : deleted).filter((update) => !covers(update));
  return rest.length === 0 ? state : Y.mergeUpdates([state, ...rest]);
}

/**
 * Whether an update holds nothing beyond a document's state, judged against `Y.snapshot(doc)`
 * taken when that state was encoded: every struct below its state vector, every deleted range
 * deleted in it. Linear in the update's size, no decoding into Yjs objects. A malformed update
 * counts as not covered (it is merged, as before).
 */
export function stateCovers(snapshot: Y.Snapshot): (update: Uint8Array) => boolean {
  return (update) => {
    const scan = scanUpdate(update, DEFAULT_SCAN_LIMITS);
    if (!scan.ok) return false;
    for (const { client, end } of scan.summary.structEnds) {
      if (end > (snapshot.sv.get(client) ?? 0)) return false;
    }
    for (const { client, clock, len } of scan.summary.deletes) {
      if (!rangeDeleted(snapshot.ds.clients.get(client), clock, clock + len)) return false;
    }
    return true;
  };
}

/** `items`: a client's deleted ranges, sorted, adjacent ones merged (createDeleteSetFromStructStore). */
function rangeDeleted(items: Array<{ clock: number; len: number }> | undefined, start: number, end: number): boolean {
  if (!items) return false;
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const item = items[mid];
    if (start < item.clock) high = mid - 1;
    else if (start >= item.clock + item.len) low = mid + 1;
    else return end <= item.clock + item.len;
  }
  return false;
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

  async compact(docName: string, state: Uint8Array, upToId: bigint, covers?: (update: Uint8Array) => boolean): Promise<void> {
    await Promise.resolve();
    this.maybeFail("compact");
    const doc = this.doc(docName);
    const deleted = doc.log.filter((row) => row.id <= upToId).map((row) => row.update);
    doc.snapshot = mergeForSnapshot(new Uint8Array(state), doc.snapshot, deleted, covers);
    if (upToId > doc.upToId) doc.upToId = upToId;
    doc.log = doc.log.filter((row) => row.id > upToId);
  }
}
