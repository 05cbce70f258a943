import * as Y from "yjs";
import { CollabCloseCode } from "../../../app/features/collab/protocol.ts";
import type { Logger } from "../../logger.ts";
import { CollabConnection, type CollabTransport, type ConnectionIdentity, type ConnectionLimits } from "./connection.ts";
import { KeyedDebouncer } from "./debounce.ts";
import { CollabDocument, type DocumentContext } from "./document.ts";
import { decodeFanOut, encodeFanOut, type CollabFanOut, type FanOutMessage } from "./fan-out.ts";
import { CollabStats } from "./stats.ts";
import { stateCovers, type CollabStore } from "./store.ts";
import { DEFAULT_SCAN_LIMITS, type UpdateScanLimits } from "./update-scan.ts";

export interface CollabOptions {
  /** Unload a document this long after its last connection left. @default 30_000 */
  idleUnloadMs: number;
  /** Compact this long after the last append… @default 2_000 */
  compactWaitMs: number;
  /** …but no later than this after the first (decision 077). @default 60_000 */
  compactMaxWaitMs: number;
  /** @default 100 */
  ratePerSecond: number;
  /** @default 200 */
  rateBurst: number;
  /** @default 16 MiB */
  maxBufferedBytes: number;
  /** @default 8 MiB */
  maxUnsavedBytesPerConnection: number;
  /** @default 64 */
  maxRootTypes: number;
  /** @default 500 */
  maxBatchUpdates: number;
  /** Awareness renewals go out batched, this often at most (document.ts). @default 1_000 */
  awarenessRenewalBatchMs: number;
  scanLimits: UpdateScanLimits;
}

export const DEFAULT_COLLAB_OPTIONS: CollabOptions = {
  idleUnloadMs: 30_000,
  compactWaitMs: 2_000,
  compactMaxWaitMs: 60_000,
  ratePerSecond: 100,
  rateBurst: 200,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxUnsavedBytesPerConnection: 8 * 1024 * 1024,
  maxRootTypes: 64,
  maxBatchUpdates: 500,
  awarenessRenewalBatchMs: 1_000,
  scanLimits: DEFAULT_SCAN_LIMITS,
};

export class CollabUnavailableError extends Error {}

/**
 * The documents of one server process: loads each on first use (concurrent first connections
 * share one load), compacts its log into a snapshot (keyed debounce with a max wait, one run per
 * document), unloads it when idle after its pending work, and flushes everything on close.
 */
export class CollabServer {
  readonly stats = new CollabStats();
  readonly options: CollabOptions;
  private readonly documents = new Map<string, Promise<CollabDocument>>();
  private readonly loaded = new Map<string, CollabDocument>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly idleTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** docName → unsubscribe from its cluster channel (multi-instance mode). */
  private readonly subscriptions = new Map<string, () => Promise<void>>();
  private readonly fanOut: CollabFanOut | null;
  private readonly stopCatchUp: () => void;
  private publishFailing = false;
  private readonly compactor: KeyedDebouncer;
  private readonly docContext: DocumentContext;
  private readonly connectionLimits: ConnectionLimits;
  private closing = false;

  /**
   * @param fanOut the other server instances (multi-instance mode); null or a local bus: none.
   */
  constructor(
    private readonly store: CollabStore,
    private readonly logger: Logger,
    options: Partial<CollabOptions> = {},
    fanOut: CollabFanOut | null = null,
  ) {
    this.options = { ...DEFAULT_COLLAB_OPTIONS, ...options };
    this.fanOut = fanOut && fanOut.bus.mode !== "single" ? fanOut : null;
    // Updates published while Redis was unreachable are lost for this instance: catch up from
    // the store once it is back.
    this.stopCatchUp = this.fanOut?.bus.onReconnect(() => void this.catchUp()) ?? (() => {});
    const o = this.options;
    this.compactor = new KeyedDebouncer(o.compactWaitMs, o.compactMaxWaitMs, (docName, error) => {
      this.stats.compactionFailures++;
      this.logger.warn({ err: error, docName }, "collab compaction failed; the log keeps the updates");
    });
    this.docContext = {
      store,
      logger,
      stats: this.stats,
      scanLimits: o.scanLimits,
      maxRootTypes: o.maxRootTypes,
      maxUnsavedBytesPerConnection: o.maxUnsavedBytesPerConnection,
      maxBatchUpdates: o.maxBatchUpdates,
      awarenessRenewalBatchMs: o.awarenessRenewalBatchMs,
      onAppended: (doc) => this.scheduleCompaction(doc),
      onDiverged: (doc) => this.dropDiverged(doc),
      publish: this.fanOut ? (doc, message) => this.publish(doc.name, message) : null,
    };
    this.connectionLimits = {
      ratePerSecond: o.ratePerSecond,
      rateBurst: o.rateBurst,
      maxBufferedBytes: o.maxBufferedBytes,
      scanLimits: o.scanLimits,
    };
  }

  /**
   * Opens a connection on a document (loading it if needed) and greets the client. Rejects with
   * CollabUnavailableError when the document cannot be loaded or the server is closing.
   */
  async connect(
    transport: CollabTransport,
    params: { docName: string; identity: ConnectionIdentity; readOnly: boolean },
  ): Promise<CollabConnection> {
    const doc = await this.getDocument(params.docName);
    const conn = new CollabConnection(transport, doc, params.identity, params.readOnly, this.connectionLimits, this.stats, (c) =>
      this.disconnected(c),
    );
    this.clearIdle(doc.name);
    doc.add(conn);
    return conn;
  }

  private async getDocument(docName: string): Promise<CollabDocument> {
    for (;;) {
      if (this.closing) throw new CollabUnavailableError("server closing");
      const unloading = this.unloading.get(docName);
      if (unloading) {
        await unloading;
        continue;
      }
      let pending = this.documents.get(docName);
      if (!pending) {
        pending = this.load(docName);
        this.documents.set(docName, pending);
      }
      const doc = await pending;
      // Between the load and now the document may have gone idle and started unloading.
      if (doc.state === "open" && !this.closing) return doc;
    }
  }

  private async load(docName: string): Promise<CollabDocument> {
    const started = performance.now();
    // Multi-instance: subscribe BEFORE reading the store, and hold what arrives until the state
    // is restored, so that an update committed elsewhere in between is never missed (one that is
    // both in the store and in the buffer is applied twice, which changes nothing).
    let doc: CollabDocument | null = null;
    let buffered: FanOutMessage[] | null = [];
    let unsubscribe: (() => Promise<void>) | null = null;
    try {
      if (this.fanOut) {
        unsubscribe = await this.fanOut.bus.subscribe(this.fanOut.channel(docName), (payload) => {
          const message = decodeFanOut(payload);
          if (!message) return;
          if (doc) doc.receiveRemote(message);
          else buffered?.push(message);
        });
      }
      const stored = await this.store.load(docName);
      doc = new CollabDocument(docName, this.docContext);
      const { skipped } = doc.restore(stored);
      for (const message of buffered ?? []) doc.receiveRemote(message);
      buffered = null;
      if (unsubscribe) this.subscriptions.set(docName, unsubscribe);
      doc.queryRemoteAwareness();
      this.loaded.set(docName, doc);
      this.stats.loads++;
      this.logger.debug({ docName, updates: stored.updates.length, skipped, ms: Math.round(performance.now() - started) }, "collab document loaded");
      if (doc.unmerged > 0) this.scheduleCompaction(doc);
      this.scheduleIdle(doc); // cancelled by the connection that asked for it
      return doc;
    } catch (error) {
      this.documents.delete(docName);
      await unsubscribe?.().catch(() => {});
      this.logger.warn({ err: error, docName }, "collab document could not be loaded");
      throw new CollabUnavailableError("document unavailable");
    }
  }

  private disconnected(conn: CollabConnection) {
    const doc = conn.document;
    doc.remove(conn);
    this.scheduleIdle(doc);
  }

  private scheduleIdle(doc: CollabDocument) {
    if (doc.connections.size > 0 || doc.state !== "open" || this.closing) return;
    this.clearIdle(doc.name);
    const timer = setTimeout(() => {
      this.idleTimers.delete(doc.name);
      void this.unload(doc);
    }, this.options.idleUnloadMs);
    timer.unref?.();
    this.idleTimers.set(doc.name, timer);
  }

  private clearIdle(docName: string) {
    const timer = this.idleTimers.get(docName);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(docName);
  }

  /** Unloads an idle document after its queued writes and a final compaction. */
  private unload(doc: CollabDocument, force = false): Promise<void> {
    if ((doc.connections.size > 0 && !force) || doc.state !== "open") return Promise.resolve();
    doc.state = "unloading";
    const done = (async () => {
      try {
        await doc.drain();
        if (!doc.diverged && doc.unmerged > 0) {
          this.scheduleCompaction(doc);
          await this.compactor.flush(doc.name);
        }
      } catch (error) {
        this.logger.warn({ err: error, docName: doc.name }, "collab unload: pending work failed");
      } finally {
        this.compactor.cancel(doc.name);
        doc.destroy();
        await this.unsubscribe(doc.name);
        this.loaded.delete(doc.name);
        this.documents.delete(doc.name);
        this.unloading.delete(doc.name);
        this.stats.unloads++;
      }
    })();
    this.unloading.set(doc.name, done);
    return done;
  }

  private async unsubscribe(docName: string): Promise<void> {
    const unsubscribe = this.subscriptions.get(docName);
    this.subscriptions.delete(docName);
    try {
      await unsubscribe?.();
    } catch (error) {
      this.logger.warn({ err: error, docName }, "collab: unsubscribing from the cluster channel failed");
    }
  }

  /** To the other instances; best effort (a lost message is caught up at reconnection). */
  private publish(docName: string, message: FanOutMessage) {
    this.fanOut!.bus.publish(this.fanOut!.channel(docName), encodeFanOut(message)).then(
      () => {
        this.publishFailing = false;
      },
      (error) => {
        if (!this.publishFailing) this.logger.warn({ err: error, docName }, "collab: publishing to the other instances failed");
        this.publishFailing = true;
      },
    );
  }

  /** Re-reads every loaded document from the store (after the cluster bus reconnected). */
  private async catchUp(): Promise<void> {
    for (const doc of [...this.loaded.values()]) {
      try {
        const stored = await this.store.load(doc.name);
        doc.catchUp(stored);
      } catch (error) {
        this.logger.warn({ err: error, docName: doc.name }, "collab catch-up after reconnection failed");
      }
    }
  }

  private scheduleCompaction(doc: CollabDocument) {
    if (doc.diverged || doc.state === "destroyed") return;
    this.compactor.schedule(doc.name, () => this.compact(doc));
  }

  /** Merges the log into the snapshot: the state now, up to the last applied id. */
  private async compact(doc: CollabDocument): Promise<void> {
    await doc.durable(); // never a state that is ahead of the log
    if (doc.diverged || doc.unmerged === 0 || doc.state === "destroyed") return;
    const state = Y.encodeStateAsUpdate(doc.doc);
    // Taken in the same tick as `state`: what it holds, for skipping what need not be merged.
    const covers = stateCovers(Y.snapshot(doc.doc));
    const upToId = doc.lastAppliedId;
    const merged = doc.unmerged;
    try {
      await this.store.compact(doc.name, state, upToId, covers);
    } catch (error) {
      // Try again later; until then the log has everything.
      if (doc.state === "open") setTimeout(() => this.scheduleCompaction(doc), this.options.compactWaitMs).unref?.();
      throw error;
    }
    doc.unmerged -= merged;
    this.stats.compactions++;
  }

  /**
   * The instance holds state the log does not (a failed append, an update that threw): drop it
   * at once, without compacting; its clients reconnect (4503) to a fresh load and resend what
   * was not saved.
   */
  private dropDiverged(doc: CollabDocument) {
    this.compactor.cancel(doc.name);
    void this.unload(doc, true);
    for (const conn of [...doc.connections]) conn.close(CollabCloseCode.unavailable, "document reloading");
  }

  /** Runs the pending compaction of a document now (tests, admin). */
  async compactNow(docName: string): Promise<void> {
    const doc = this.loaded.get(docName);
    if (!doc) return;
    await doc.drain();
    this.scheduleCompaction(doc);
    await this.compactor.flush(docName);
  }

  /** Numbers for tests and the benchmark. */
  snapshot() {
    let connections = 0;
    let pendingWrites = 0;
    for (const doc of this.loaded.values()) {
      connections += doc.connections.size;
      pendingWrites += doc.pendingWrites;
    }
    return { documents: this.loaded.size, connections, pendingWrites, ...this.stats.summary() };
  }

  /** The loaded document, if any (tests). */
  loadedDocument(docName: string): CollabDocument | undefined {
    return this.loaded.get(docName);
  }

  /**
   * Shutdown: closes every connection (1001: clients reconnect to the next server), stores every
   * queued write, runs the pending compactions, then drops the documents. Call before the
   * database closes.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await Promise.allSettled([...this.documents.values()]);
    for (const doc of this.loaded.values()) {
      for (const conn of [...doc.connections]) conn.close(CollabCloseCode.goingAway, "server shutting down");
    }
    await Promise.allSettled([...this.unloading.values()]);
    await Promise.all([...this.loaded.values()].map((doc) => doc.drain()));
    for (const doc of this.loaded.values()) if (doc.unmerged > 0) this.scheduleCompaction(doc);
    await this.compactor.flushAll();
    for (const doc of this.loaded.values()) doc.destroy();
    this.stopCatchUp();
    await Promise.all([...this.subscriptions.keys()].map((docName) => this.unsubscribe(docName)));
    this.loaded.clear();
    this.documents.clear();
  }
}
