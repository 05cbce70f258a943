import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import {
  CollabCloseCode,
  encodeAccess,
  encodeRefused,
  encodeSaved,
  messageAwareness,
  messageSync,
  type RefusedReason,
} from "../../../app/features/collab/protocol.ts";
import type { Logger } from "../../logger.ts";
import { decodeAwarenessUpdate, encodeAwarenessEntries, scanAwarenessUpdate, stampPresence, type AwarenessEntry } from "./awareness.ts";
import type { CollabConnection } from "./connection.ts";
import type { FanOutMessage } from "./fan-out.ts";
import type { CollabStats } from "./stats.ts";
import type { CollabStore, StoredDocument } from "./store.ts";
import { isEmptySummary, scanUpdate, type UpdateScanLimits, type UpdateSummary } from "./update-scan.ts";

/** What a document needs from the server that holds it. */
export interface DocumentContext {
  store: CollabStore;
  logger: Logger;
  stats: CollabStats;
  scanLimits: UpdateScanLimits;
  /** Root types (Y.Text, Y.Map… by name) one document may have. */
  maxRootTypes: number;
  /** Unsaved update bytes one connection may have queued. */
  maxUnsavedBytesPerConnection: number;
  /** Updates per INSERT at most (more wait for the next round trip). */
  maxBatchUpdates: number;
  /**
   * Awareness renewals (a client re-sending an unchanged state to stay present) are sent on in
   * one message per document at most this often; changes go at once. 0: every renewal at once.
   */
  awarenessRenewalBatchMs: number;
  /** Called after each successful append (schedules compaction). */
  onAppended(doc: CollabDocument): void;
  /**
   * The in-memory state holds something the log does not (an append failed after the batch was
   * applied, or an update threw half-way through applying): the server must drop this instance
   * and its connections, and load the document again from the store.
   */
  onDiverged(doc: CollabDocument): void;
  /**
   * Tells the other server instances (multi-instance mode): committed updates and local
   * awareness changes. Null with a single instance.
   */
  publish: ((doc: CollabDocument, message: FanOutMessage) => void) | null;
}

type AppendEntry = { kind: "append"; conn: CollabConnection; seq: number; update: Uint8Array; emitted: Uint8Array[] };
type Entry =
  | AppendEntry
  | { kind: "ack"; conn: CollabConnection; seq: number }
  | { kind: "refuse"; conn: CollabConnection; seq: number; reason: RefusedReason }
  /** Work that reads the document's state; it must only ever see durable state. */
  | { kind: "read"; run: () => void };

/** Clients with awareness states per connection at most (one provider = one client id). */
const MAX_AWARENESS_IDS_PER_CONNECTION = 4;

/** Origin of what another server instance published (applied here, never published again). */
const REMOTE = Symbol("remote instance");
const REMOTE_AWARENESS_LIMITS = { maxEntries: 100_000, maxStateBytes: 64 * 1024 };

/**
 * One loaded collaborative document: the shared Y.Doc and awareness of all its connections, and
 * the write path that makes an update durable before anyone else sees it:
 *
 *   receive → bounded pre-scan → queue → take everything queued (group commit) → apply to the
 *   Y.Doc, events held back → one INSERT → broadcast to the other connections → `saved` to each
 *   sender, in order.
 *
 * Applying before the INSERT is what makes it safe to store untrusted updates: an update that
 * passes the structural pre-scan can still make Yjs throw half-way (inconsistent references),
 * and only applying tells. Between the apply and the end of the INSERT the in-memory state is
 * ahead of the log, so nothing reads it then: sync replies, greetings and compaction wait
 * (`whenDurable`). If the INSERT fails, or an update throws, the instance is dropped and the
 * document reloaded from the store; clients reconnect and resend what was not saved.
 *
 * One batch is in flight per document at a time, so ids grow in apply order and the durable
 * state is always "snapshot + every logged update with id ≤ lastAppliedId".
 */
export class CollabDocument {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<CollabConnection>();
  state: "open" | "unloading" | "destroyed" = "open";
  /** Id of the last logged update applied to `doc`. */
  lastAppliedId = 0n;
  /** Logged updates not merged into the snapshot yet. */
  unmerged = 0;
  /** The in-memory state may differ from the log; never compact it. */
  diverged = false;

  private queue: Entry[] = [];
  private flushing: Promise<void> | null = null;
  /** True while a batch is applied but not yet stored. */
  private ahead = false;
  /** Where the doc's update events go while updates are applied. */
  private capture: Uint8Array[] | null = null;
  private readonly awarenessOwners = new Map<number, CollabConnection>();
  /** Awareness clients connected to other instances (multi-instance mode). */
  private readonly remoteAwarenessIds = new Set<number>();
  private readonly durableWaiters = new Set<() => void>();
  /** Clients whose state the awareness update being applied changed (its "change" event). */
  private changedAwarenessIds: ReadonlySet<number> = new Set();
  /** Clients whose renewal waits for the next batch. */
  private readonly pendingRenewals = new Set<number>();
  private renewalTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly name: string,
    private readonly ctx: DocumentContext,
  ) {
    this.awareness.setLocalState(null); // the server itself is nobody
    this.doc.on("update", (update: Uint8Array) => this.capture?.push(update));
    // y-protocols emits "change" (states that differ) right before "update" (every newer clock).
    this.awareness.on("change", ({ updated }: { updated: number[] }) => {
      this.changedAwarenessIds = new Set(updated);
    });
    this.awareness.on("update", (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = this.changedAwarenessIds;
      this.changedAwarenessIds = new Set();
      this.onAwarenessUpdate(changes, changed, origin);
    });
  }

  /** Rebuilds the state from the snapshot and the log. A stored update that fails is skipped. */
  restore(stored: StoredDocument): { skipped: number } {
    let skipped = 0;
    for (const update of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) {
      try {
        Y.applyUpdate(this.doc, update, "store");
      } catch (error) {
        skipped++;
        this.ctx.logger.error({ err: error, docName: this.name }, "a stored collab update failed to apply; skipped");
      }
    }
    this.lastAppliedId = stored.lastId;
    this.unmerged = stored.updates.length;
    return { skipped };
  }

  /** Runs `read` now if the state is durable, else right after the batch in flight is stored. */
  whenDurable(read: () => void): void {
    if (!this.ahead) read();
    else this.enqueue({ kind: "read", run: read });
  }

  /**
   * Resolves when the in-memory state equals the durable state — or when it never will (the
   * instance diverged or was destroyed: check `diverged` / `state` after).
   */
  durable(): Promise<void> {
    if (!this.ahead || this.diverged || this.state === "destroyed") return Promise.resolve();
    return new Promise((resolve) => {
      this.durableWaiters.add(resolve);
      this.whenDurable(() => {
        this.durableWaiters.delete(resolve);
        resolve();
      });
    });
  }

  // ───────────── Connections ─────────────

  /** Joins a connection: it hears broadcasts from now on and is greeted with durable state. */
  add(conn: CollabConnection): void {
    this.connections.add(conn);
    this.whenDurable(() => {
      conn.send(encodeAccess(conn.readOnly));
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      syncProtocol.writeSyncStep1(encoder, this.doc);
      conn.send(encoding.toUint8Array(encoder));
      this.sendAwarenessStates(conn);
    });
  }

  /** Forgets a connection: its presence goes (and is broadcast); its queued writes stay. */
  remove(conn: CollabConnection): void {
    if (!this.connections.delete(conn)) return;
    const ids = [...conn.awarenessIds];
    conn.awarenessIds.clear();
    for (const id of ids) if (this.awarenessOwners.get(id) === conn) this.awarenessOwners.delete(id);
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
    // The meta (clock) of a departed client would otherwise stay forever: memory under churn.
    for (const id of ids) this.awareness.meta.delete(id);
  }

  sendAwarenessStates(conn: CollabConnection): void {
    const states = this.awareness.getStates();
    if (states.size === 0) return;
    conn.send(this.awarenessMessage([...states.keys()]));
  }

  /** Sync step 1 from a client: answer with what it lacks (durable state only). */
  receiveStateVector(conn: CollabConnection, stateVector: Uint8Array): void {
    this.whenDurable(() => {
      if (conn.closed) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, stateVector));
      conn.send(encoding.toUint8Array(encoder));
    });
  }

  // ───────────── Writes ─────────────

  /**
   * An update-bearing message (sync step 2 or update) from `conn`. Returns a reason when the
   * message is malformed (the connection is then closed), null otherwise.
   */
  receiveUpdate(conn: CollabConnection, update: Uint8Array): string | null {
    const scan = scanUpdate(update, this.ctx.scanLimits);
    if (!scan.ok) return `invalid update: ${scan.reason}`;
    const seq = conn.nextSeq();
    if (isEmptySummary(scan.summary) || this.isKnown(scan.summary)) {
      this.enqueue({ kind: "ack", conn, seq });
      return null;
    }
    if (conn.readOnly) {
      this.enqueue({ kind: "refuse", conn, seq, reason: "read_only" });
      return null;
    }
    const newRoots = scan.summary.rootNames.filter((name) => !this.doc.share.has(name)).length;
    if (newRoots > 0 && this.doc.share.size + newRoots > this.ctx.maxRootTypes) return "too many root types";
    if (conn.unsavedBytes + update.length > this.ctx.maxUnsavedBytesPerConnection) {
      conn.overloaded();
      return null;
    }
    conn.unsavedBytes += update.length;
    // A copy: `update` may be a view into a larger socket buffer.
    this.enqueue({ kind: "append", conn, seq, update: new Uint8Array(update), emitted: [] });
    return null;
  }

  /**
   * True when the document already holds everything in the update: every struct is below the
   * state vector, and every deleted range is deleted already. A client's sync step 2 carries its
   * whole delete set every time it connects; logging that again and again (or refusing it to a
   * read-only client) would be wrong.
   */
  private isKnown(summary: UpdateSummary): boolean {
    const store = this.doc.store;
    for (const { client, end } of summary.structEnds) {
      if (end > Y.getState(store, client)) return false;
    }
    for (const { client, clock, len } of summary.deletes) {
      const end = clock + len;
      if (end > Y.getState(store, client)) return false;
      const structs = store.clients.get(client);
      if (!structs) return false;
      let index = Y.findIndexSS(structs, clock);
      while (index < structs.length && structs[index].id.clock < end) {
        if (!structs[index].deleted) return false;
        index++;
      }
    }
    return true;
  }

  private enqueue(entry: Entry): void {
    if (this.state === "destroyed") return;
    this.queue.push(entry);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = (async () => {
      // Start at once: what arrives while this batch is stored forms the next one (group
      // commit). Waiting for the end of the event loop's turn (setImmediate) cost up to 0.8 ms
      // on the critical path under load, and only grouped messages that one socket read held.
      await Promise.resolve();
      while (this.queue.length > 0 && !this.diverged) await this.flushBatch();
    })()
      .catch((error) => this.ctx.logger.error({ err: error, docName: this.name }, "collab flush failed"))
      .finally(() => {
        this.flushing = null;
        if (this.queue.length > 0 && !this.diverged) this.scheduleFlush();
      });
  }

  /** Waits until every queued write is stored (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  get pendingWrites(): number {
    return this.queue.length;
  }

  private async flushBatch(): Promise<void> {
    let appendCount = 0;
    let take = 0;
    while (take < this.queue.length && appendCount < this.ctx.maxBatchUpdates) {
      if (this.queue[take].kind === "append") appendCount++;
      take++;
    }
    const batch = this.queue.splice(0, take);
    // The state is durable here: first answer the reads that waited for it.
    for (const entry of batch) {
      if (entry.kind !== "read") continue;
      try {
        entry.run();
      } catch (error) {
        this.ctx.logger.error({ err: error, docName: this.name }, "collab read failed");
      }
    }
    // Writes of a connection whose earlier write failed are dropped: they may depend on it, and
    // the client resends everything in its sync step 2 when it reconnects.
    const appends = batch.filter((entry): entry is AppendEntry => entry.kind === "append" && !entry.conn.storeFailed);

    if (appends.length > 0) {
      // 1. Apply, holding the events back.
      this.ahead = true;
      for (const entry of appends) {
        this.capture = entry.emitted;
        try {
          Y.applyUpdate(this.doc, entry.update, entry.conn);
        } catch (error) {
          this.ctx.stats.rejectedMessages++;
          this.ctx.logger.warn({ err: error, docName: this.name, userId: entry.conn.identity.userId }, "collab update failed to apply; reloading the document");
          entry.conn.close(CollabCloseCode.badMessage, "update could not be applied");
          this.diverge();
          return;
        } finally {
          this.capture = null;
        }
      }
      // 2. Store.
      const started = performance.now();
      let ids: bigint[];
      try {
        ids = await this.ctx.store.append(
          this.name,
          appends.map((entry) => entry.update),
        );
        if (ids.length !== appends.length) throw new Error(`store returned ${ids.length} ids for ${appends.length} updates`);
      } catch (error) {
        this.ctx.stats.appendFailures++;
        this.ctx.logger.warn({ err: error, docName: this.name, updates: appends.length }, "collab append failed; reloading the document");
        for (const entry of appends) entry.conn.send(encodeRefused(entry.seq, "store_unavailable"));
        for (const entry of appends) entry.conn.storeFailed = true;
        this.diverge();
        return;
      }
      this.ahead = false;
      this.ctx.stats.recordAppend(appends.length, performance.now() - started);
      this.lastAppliedId = ids[ids.length - 1];
      this.unmerged += appends.length;
      // 3. Broadcast what the updates changed. The sender already has its own update, unless
      // applying it also released other (pending) structs.
      for (const entry of appends) {
        for (const emitted of entry.emitted) {
          const except = entry.emitted.length === 1 && equalBytes(emitted, entry.update) ? entry.conn : null;
          this.broadcast(updateMessage(emitted), except);
        }
        entry.emitted = [];
      }
      // Other instances apply what the log now holds, and tell their own connections.
      this.ctx.publish?.(this, { kind: "updates", updates: appends.map((entry) => entry.update) });
      this.ctx.onAppended(this);
    }
    // 4. Answer each sender, in order.
    for (const entry of batch) {
      if (entry.kind === "read") continue;
      if (entry.kind === "append") entry.conn.unsavedBytes -= entry.update.length;
      if (entry.kind === "append" && entry.conn.storeFailed) continue;
      if (entry.kind === "refuse") entry.conn.send(encodeRefused(entry.seq, entry.reason));
      else entry.conn.send(encodeSaved(entry.seq));
    }
  }

  /** The state in memory is not the log's any more: the server drops this instance. */
  private diverge() {
    this.ctx.stats.divergences++;
    this.diverged = true;
    this.queue = [];
    for (const resolve of this.durableWaiters) resolve();
    this.durableWaiters.clear();
    this.ctx.onDiverged(this);
  }

  // ───────────── Other instances ─────────────

  /**
   * What another instance published on this document's channel. Its updates are durable already
   * (committed there before publishing): they are applied and sent to this instance's connections,
   * never stored or published again.
   */
  receiveRemote(message: FanOutMessage): void {
    if (this.state !== "open" || this.diverged) return;
    if (message.kind === "updates") this.applyDurable(message.updates);
    else if (message.kind === "awareness") this.receiveRemoteAwareness(message.update);
    else this.publishOwnAwareness();
  }

  /**
   * Applies what is in the store (after the connection to the other instances was lost: whatever
   * they published meanwhile is there). Applying known updates again changes nothing.
   */
  catchUp(stored: StoredDocument): void {
    if (this.state !== "open" || this.diverged) return;
    this.applyDurable(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates);
  }

  /** Applies updates that are durable already and sends their effect to every connection. */
  private applyDurable(updates: Uint8Array[]): void {
    for (const update of updates) {
      const emitted: Uint8Array[] = [];
      this.capture = emitted;
      try {
        Y.applyUpdate(this.doc, update, REMOTE);
      } catch (error) {
        this.ctx.logger.warn({ err: error, docName: this.name }, "a collab update from another instance failed to apply; reloading the document");
        this.diverge();
        return;
      } finally {
        this.capture = null;
      }
      for (const diff of emitted) this.broadcast(updateMessage(diff), null);
    }
  }

  /** Another instance's clients: applied, except for clients connected here (ours win). */
  private receiveRemoteAwareness(update: Uint8Array): void {
    // Checked and stamped by the instance that took it from its client; one message may carry
    // every client of that instance (its answer to an awareness query).
    const decoded = decodeAwarenessUpdate(update, REMOTE_AWARENESS_LIMITS);
    if (!decoded.ok) return;
    const entries = decoded.entries.filter((entry) => !this.awarenessOwners.has(entry.clientID) && entry.clientID !== this.doc.clientID);
    if (entries.length === 0) return;
    for (const entry of entries) if (entry.state !== null) this.remoteAwarenessIds.add(entry.clientID);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(entries), REMOTE);
  }

  /** Answers an instance that just loaded the document: the states of the clients connected here. */
  private publishOwnAwareness(): void {
    const own = [...this.awarenessOwners.keys()].filter((id) => this.awareness.states.has(id));
    if (own.length === 0 || !this.ctx.publish) return;
    this.ctx.publish(this, { kind: "awareness", update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, own) });
  }

  /** Asks the other instances who is there (right after loading). */
  queryRemoteAwareness(): void {
    this.ctx.publish?.(this, { kind: "awareness-query" });
  }

  /** The one place where a message reaches the document's connections. */
  broadcast(message: Uint8Array, except: CollabConnection | null): void {
    for (const conn of this.connections) {
      if (conn !== except) conn.send(message);
    }
  }

  // ───────────── Awareness ─────────────

  /** An awareness message from `conn`. Returns a reason when malformed. */
  receiveAwareness(conn: CollabConnection, update: Uint8Array): string | null {
    // The stock provider echoes every awareness update it hears back to the server (~13 per
    // second per person in a full chart): entries of other people's presence, which this
    // connection may not change anyway. Drop those on the ids alone, without decoding the states.
    const scanned = scanAwarenessUpdate(update);
    if (scanned === null) return "malformed awareness update";
    const relevant = scanned.some((entry) => {
      const owner = this.awarenessOwners.get(entry.clientID);
      return owner === conn || (!owner && !entry.isNull && entry.clientID !== this.doc.clientID);
    });
    if (!relevant) return null;
    const decoded = decodeAwarenessUpdate(update);
    if (!decoded.ok) return decoded.reason;
    const accepted: AwarenessEntry[] = [];
    for (const entry of decoded.entries) {
      const owner = this.awarenessOwners.get(entry.clientID);
      if (owner && owner !== conn) continue; // someone else's presence: not yours to change
      if (!owner) {
        if (entry.state === null) continue;
        if (conn.awarenessIds.size >= MAX_AWARENESS_IDS_PER_CONNECTION) continue;
        if (entry.clientID === this.doc.clientID) continue;
        // A client that moved here from another instance: it is ours now.
        this.remoteAwarenessIds.delete(entry.clientID);
        this.awarenessOwners.set(entry.clientID, conn);
        conn.awarenessIds.add(entry.clientID);
      }
      accepted.push(entry.state === null ? entry : { ...entry, state: stampPresence(entry.state, conn.identity) });
    }
    if (accepted.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), conn);
    return null;
  }

  /**
   * Sends awareness on: arrivals, changes and departures at once; renewals in batches.
   *
   * Every client re-sends its unchanged state every 15 s so that others do not drop it (after
   * 30 s), and the stock provider echoes each one back. Sent on one by one, renewals were half of
   * all frames in a busy document (200 people: 13 a second, each to 199 connections, and 199
   * echoes back) and each took the event loop for as long as an edit's broadcast, delaying the
   * edits that arrived meanwhile. Batched, a second's renewals are one message to each
   * connection; a renewal arrives at most `awarenessRenewalBatchMs` late, far inside the 30 s.
   */
  private onAwarenessUpdate(
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    changedStates: ReadonlySet<number>,
    origin: unknown,
  ) {
    const batching = this.ctx.awarenessRenewalBatchMs > 0;
    const changed = [...added, ...removed];
    for (const id of updated) {
      if (!batching || changedStates.has(id)) changed.push(id);
      else this.pendingRenewals.add(id);
    }
    for (const id of changed) this.pendingRenewals.delete(id); // the newer state goes now
    if (this.pendingRenewals.size > 0 && !this.renewalTimer) {
      this.renewalTimer = setTimeout(() => this.sendRenewals(), this.ctx.awarenessRenewalBatchMs);
      this.renewalTimer.unref?.();
    }
    if (changed.length > 0) {
      // The sender knows its own state; everyone else hears it (or that it left).
      const except = origin !== null && typeof origin === "object" && this.connections.has(origin as CollabConnection) ? (origin as CollabConnection) : null;
      this.sendAwareness(changed, except, origin);
    }
    // A remote client that left (or timed out) is forgotten, clock included: memory under churn.
    for (const id of removed) {
      if (!this.remoteAwarenessIds.delete(id)) continue;
      this.awareness.meta.delete(id);
    }
  }

  private sendRenewals() {
    this.renewalTimer = null;
    // Only clients still present: a departure was sent at once, and its meta may be gone.
    const ids = [...this.pendingRenewals].filter((id) => this.awareness.states.has(id) && this.awareness.meta.has(id));
    this.pendingRenewals.clear();
    if (ids.length > 0 && this.state === "open") this.sendAwareness(ids, null, null);
  }

  /** To this instance's connections (but `except`) and, for its own clients, to the other instances. */
  private sendAwareness(ids: number[], except: CollabConnection | null, origin: unknown) {
    this.broadcast(this.awarenessMessage(ids), except);
    // Each instance times out silent clients by itself: renewals and departures of this
    // instance's clients go to the others too.
    if (origin !== REMOTE && origin !== "timeout" && this.ctx.publish) {
      const own = ids.filter((id) => !this.remoteAwarenessIds.has(id));
      if (own.length > 0) this.ctx.publish(this, { kind: "awareness", update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, own) });
    }
  }

  private awarenessMessage(clients: number[]): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageAwareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    return encoding.toUint8Array(encoder);
  }

  // ───────────── Lifecycle ─────────────

  destroy(): void {
    this.state = "destroyed";
    this.queue = [];
    this.ahead = false;
    for (const resolve of this.durableWaiters) resolve();
    this.durableWaiters.clear();
    this.awarenessOwners.clear();
    this.remoteAwarenessIds.clear();
    if (this.renewalTimer) clearTimeout(this.renewalTimer);
    this.renewalTimer = null;
    this.pendingRenewals.clear();
    this.doc.destroy(); // also destroys the awareness and its timer
  }
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}
