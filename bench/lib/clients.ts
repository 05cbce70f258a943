/**
 * The benchmark's clients. Two kinds speak the same y-websocket wire protocol:
 *
 * - "raw" (default): a y-protocols client that behaves on the wire exactly like an unmodified
 *   `WebsocketProvider` — sync step 1 + its awareness on open, answers the server's sync step 1
 *   with sync step 2, sends each edit as a sync "update" message, keeps a real y-protocols
 *   `Awareness` (renewed every 15 s, and — like the provider — re-broadcasting every awareness
 *   change it hears), answers awareness queries, reconnects with the provider's backoff — but it
 *   does not integrate the other clients' updates into a live Y.Doc. It decodes each received
 *   update (to see which edits it carries) and keeps its bytes; its document state is rebuilt
 *   from exactly those bytes at the end, for the convergence check. A live Y.Doc per client
 *   costs O(clients) per transaction (Yjs walks the state vector twice and encodes the update
 *   for the provider's "update" listener): 200 of them in this one process took ~60 % of a core
 *   and became the bottleneck of the measurement on this 2-core machine.
 * - "provider": the real `y-websocket` `WebsocketProvider` with a Y.Doc per client, for
 *   cross-checking the raw client (`--client=provider`).
 *
 * Both route incoming frames through the Inbox (receive time taken in the socket's "message"
 * event; handling deferred in short slices so that one client's work does not delay another
 * client's timestamp).
 *
 * The raw client does not even decode the updates it receives while the load runs: it copies
 * their bytes into one growing buffer with their receive times (a `ReceiptLog`), and the edits
 * they carry are read off when the load runner asks (`processReceipts`, after the sending phase).
 * Decoding each update at once (`Y.decodeUpdate`: a dozen objects per frame, 4,000 frames a
 * second) and keeping a copy of every frame as its own object (240,000 by the end of a 60-s run)
 * made the load generator collect garbage every few seconds, with pauses of 5–20 ms that fell on
 * the receive timestamps of both servers alike (docs/benchmarks.md).
 */
import WebSocket from "ws";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as authProtocol from "y-protocols/auth";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

export type ClientKind = "raw" | "provider";

const messageSync = 0;
const messageAwareness = 1;
const messageAuth = 2;
const messageQueryAwareness = 3;
/** Our "access" message (docs/collab-protocol.md): nothing for the benchmark to do. */
const OUR_OTHER_TYPES = [102];

/** Value of the key `<run>:<seq>` in the Y.Map "bench". */
export interface Entry {
  /** send time, performance.now() of this process */
  t: number;
  /** the edit's text */
  s: string;
}

export const BENCH_MAP = "bench";

/**
 * Frames timestamped on arrival and handed to their clients in the same order, in slices of at
 * most `sliceMs` of work: between slices the event loop polls the sockets again, so frames that
 * arrive while earlier ones are being handled still get their own arrival time.
 */
export class Inbox {
  private queue: Array<{ deliver: (data: ArrayBuffer | Buffer) => void; data: ArrayBuffer | Buffer; at: number }> = [];
  private head = 0;
  private scheduled = false;
  /** Receive time of the frame being handled right now. */
  current = 0;
  /** Longest wait between a frame's arrival and its handling, in ms (while `tracking`). */
  maxQueueingMs = 0;
  tracking = false;
  /** WebSocket messages of all clients, both directions (to compare client kinds). */
  readonly wire = { framesSent: 0, bytesSent: 0, framesReceived: 0, bytesReceived: 0 };

  constructor(private readonly sliceMs = 1) {}

  sent(bytes: number) {
    this.wire.framesSent++;
    this.wire.bytesSent += bytes;
  }

  push(deliver: (data: ArrayBuffer | Buffer) => void, data: ArrayBuffer | Buffer, at: number) {
    this.wire.framesReceived++;
    this.wire.bytesReceived += data.byteLength;
    this.queue.push({ deliver, data, at });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  private flush = () => {
    const sliceEnd = performance.now() + this.sliceMs;
    while (this.head < this.queue.length) {
      const message = this.queue[this.head++];
      this.current = message.at;
      if (this.tracking) {
        const waited = performance.now() - message.at;
        if (waited > this.maxQueueingMs) this.maxQueueingMs = waited;
      }
      message.deliver(message.data);
      if (performance.now() >= sliceEnd) break;
    }
    if (this.head < this.queue.length) {
      setImmediate(this.flush); // poll the sockets, then go on
      return;
    }
    this.queue = [];
    this.head = 0;
    this.scheduled = false;
  };
}

/**
 * An edit waiting for our server's `saved`: `[100, n]` says that every update-bearing message
 * (sync step 2 or update) this connection sent up to number n is durable (docs/collab-protocol.md).
 */
export interface PendingSave {
  /** The edit (its number in the run). */
  seq: number;
  /** Number of the update-bearing message that carried it, on connection `conn`. */
  msg: number;
  conn: number;
}

export interface ClientHooks {
  inbox: Inbox;
  wsBase: string;
  docName: string;
  cookie: string | null;
  savedType: number;
  refusedType: number;
  /**
   * Re-broadcast every awareness change heard from the server, as the unmodified provider does
   * (true), or send only this client's own presence (false: raw clients only).
   */
  awarenessEcho: boolean;
  /** A key of the bench map became known to this client (an edit it received) at time `at`. */
  onKey(client: BenchClient, key: string, at: number): void;
  /** `saved` with its number (null when the message carries none). */
  onSaved(client: BenchClient, upTo: number | null): void;
  /** `refused`: update-bearing message `msg` was not applied. */
  onRefused(client: BenchClient, msg: number | null, reason: string): void;
  /** The server closed the connection (the client reconnects unless the code is 44xx). */
  onClose(client: BenchClient, code: number, reason: string): void;
}

export interface ClientState {
  vector: string;
  /** The bench map, sorted by key, as JSON. */
  content: string;
  keys: string[];
}

export interface BenchClient {
  readonly index: number;
  readonly synced: boolean;
  /** The first close before this client ever synced (a refusal), if any. */
  readonly refusal: { code: number; reason: string } | null;
  /** The last close of its connection by the server, if any. */
  readonly lastClose: { code: number; reason: string } | null;
  /** The server closed the connection with a code after which the provider does not reconnect. */
  readonly gaveUp: boolean;
  readonly pendingSaves: PendingSave[];
  /** Connections opened so far (the current one's number). */
  readonly connection: number;
  connect(): void;
  /**
   * One edit: set a new key of the bench map. The update goes out synchronously; returns the
   * number of the update-bearing message that carried it on the current connection.
   */
  edit(key: string, entry: Entry): number;
  /** A presence change (a cursor move): an awareness update, like a user moving around. */
  movePresence(): void;
  /** Reports (`onKey`) the edits in updates received since the last call, with their receive times. */
  processReceipts(): void;
  /** The client's document as it stands (raw: rebuilt from every update it received). */
  state(): ClientState;
  destroy(): void;
}

function stateOf(doc: Y.Doc): ClientState {
  const map = doc.getMap<Entry>(BENCH_MAP);
  const keys = [...map.keys()].sort();
  return {
    vector: Buffer.from(Y.encodeStateVector(doc)).toString("base64"),
    content: JSON.stringify(keys.map((key) => [key, map.get(key)])),
    keys,
  };
}

const presence = (index: number) => ({
  name: `bench ${index}`,
  color: ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c"][index % 8],
});

/**
 * y-protocols' Awareness checks every 3 s (renews its own state when 15 s old, drops others' after
 * 30 s) on an interval started when it is created. The benchmark creates its clients within a
 * second, so all those checks would tick together; in a real document they run at random phases.
 * This restarts the same check (y-protocols 1.0.7's code) at a random phase.
 */
function randomizeAwarenessPhase(awareness: awarenessProtocol.Awareness) {
  const internals = awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> };
  const period = Math.floor(awarenessProtocol.outdatedTimeout / 10);
  const check = () => {
    const now = Date.now();
    const own = awareness.meta.get(awareness.clientID);
    if (awareness.getLocalState() !== null && own && awarenessProtocol.outdatedTimeout / 2 <= now - own.lastUpdated) {
      awareness.setLocalState(awareness.getLocalState());
    }
    const remove: number[] = [];
    awareness.meta.forEach((meta, clientID) => {
      if (clientID !== awareness.clientID && awarenessProtocol.outdatedTimeout <= now - meta.lastUpdated && awareness.states.has(clientID)) {
        remove.push(clientID);
      }
    });
    if (remove.length > 0) awarenessProtocol.removeAwarenessStates(awareness, remove, "timeout");
  };
  clearInterval(internals._checkInterval);
  // Kept in `_checkInterval` so that awareness.destroy() clears whichever timer is current.
  internals._checkInterval = setTimeout(() => {
    check();
    internals._checkInterval = setInterval(check, period);
  }, Math.random() * period);
}

/** The provider's reconnect rule: 44xx closes are final, everything else is retried. */
const isFinalClose = (code: number) => code >= 4400 && code < 4500;

/**
 * The updates one client received, in arrival order: their bytes back to back in one growing
 * buffer, with the end offset, receive time and connection of each. A few objects per client
 * instead of several per frame.
 */
export class ReceiptLog {
  private bytes = new Uint8Array(16 * 1024);
  private used = 0;
  private ends = new Uint32Array(1024);
  private times = new Float64Array(1024);
  private connections = new Uint32Array(1024);
  count = 0;
  /** Frames before this one were handed out by `takeNew`. */
  private taken = 0;

  push(update: Uint8Array, at: number, connection: number): void {
    if (this.used + update.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + update.length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    if (this.count === this.ends.length) {
      this.ends = grownCopy(this.ends, new Uint32Array(this.count * 2));
      this.times = grownCopy(this.times, new Float64Array(this.count * 2));
      this.connections = grownCopy(this.connections, new Uint32Array(this.count * 2));
    }
    this.bytes.set(update, this.used);
    this.used += update.length;
    this.ends[this.count] = this.used;
    this.times[this.count] = at;
    this.connections[this.count] = connection;
    this.count++;
  }

  private frame(i: number): Uint8Array {
    return this.bytes.subarray(i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }

  /** Each frame not handed out before, in arrival order. */
  takeNew(visit: (update: Uint8Array, at: number, connection: number) => void): void {
    while (this.taken < this.count) {
      const i = this.taken++;
      visit(this.frame(i), this.times[i], this.connections[i]);
    }
  }

  /** Every frame (views into the buffer: valid until the next push). */
  all(): Uint8Array[] {
    return Array.from({ length: this.count }, (_, i) => this.frame(i));
  }
}

function grownCopy<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

// ───────────── raw client ─────────────

class RawClient implements BenchClient {
  readonly pendingSaves: PendingSave[] = [];
  lastClose: { code: number; reason: string } | null = null;
  gaveUp = false;
  connection = 0;
  /** Update-bearing messages sent on the current connection (our server numbers them from 1). */
  private updateMessages = 0;
  synced = false;
  refusal: { code: number; reason: string } | null = null;
  /** Holds only this client's own edits: all it would ever have to send the server. */
  private readonly doc = new Y.Doc();
  private readonly map = this.doc.getMap<Entry>(BENCH_MAP);
  private readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Every update the server sent this client, in order, with its receive time. */
  private readonly received = new ReceiptLog();
  private ws: WebSocket | null = null;
  private everSynced = false;
  private shouldConnect = false;
  private unsuccessfulReconnects = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Keys of this client's own edits: the server may echo them back (the reference does). */
  private readonly own = new Set<string>();
  /** Keys already received: after a reconnect the server resends them, which is not a new receipt. */
  private readonly seen = new Set<string>();
  /** Number of the first connection opened after this client had synced (0: none yet). */
  private firstReconnection = 0;

  constructor(
    readonly index: number,
    private readonly hooks: ClientHooks,
  ) {
    this.awareness.setLocalState({ user: presence(index) });
    randomizeAwarenessPhase(this.awareness);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      syncProtocol.writeUpdate(encoder, update);
      this.send(encoding.toUint8Array(encoder));
    });
    // Exactly the provider's awareness handler: every change, local or heard, is broadcast.
    this.awareness.on("update", ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      let changed = added.concat(updated, removed);
      if (!hooks.awarenessEcho) changed = changed.filter((id) => id === this.doc.clientID);
      if (changed.length === 0) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageAwareness);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      this.send(encoding.toUint8Array(encoder));
    });
  }

  private send(message: Uint8Array) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    if (message[0] === messageSync && (message[1] === syncProtocol.messageYjsSyncStep2 || message[1] === syncProtocol.messageYjsUpdate)) {
      this.updateMessages++;
      if (message[1] === syncProtocol.messageYjsSyncStep2) {
        // Edits that were waiting for a `saved` on an earlier connection travel in this step 2.
        for (const pending of this.pendingSaves) {
          if (pending.conn !== this.connection) Object.assign(pending, { conn: this.connection, msg: this.updateMessages });
        }
      }
    }
    this.hooks.inbox.sent(message.byteLength);
    this.ws.send(message);
  }

  connect() {
    this.shouldConnect = true;
    if (this.ws) return;
    const headers: Record<string, string> = this.hooks.cookie ? { cookie: this.hooks.cookie } : {};
    const ws = new WebSocket(`${this.hooks.wsBase}/${this.hooks.docName}`, { headers });
    this.ws = ws;
    this.connection++;
    if (this.everSynced && this.firstReconnection === 0) this.firstReconnection = this.connection;
    this.updateMessages = 0;
    this.synced = false;
    const { inbox } = this.hooks;
    const deliver = (data: ArrayBuffer | Buffer) => {
      if (this.ws === ws) this.handle(data as Buffer);
    };
    ws.on("message", (data) => inbox.push(deliver, data as Buffer, performance.now()));
    ws.on("error", () => undefined); // followed by "close"
    ws.on("open", () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      syncProtocol.writeSyncStep1(encoder, this.doc);
      this.send(encoding.toUint8Array(encoder));
      if (this.awareness.getLocalState() !== null) {
        const state = encoding.createEncoder();
        encoding.writeVarUint(state, messageAwareness);
        encoding.writeVarUint8Array(state, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
        this.send(encoding.toUint8Array(state));
      }
    });
    ws.on("close", (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.synced = false;
      const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
      awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
      if (!this.shouldConnect) return;
      if (!this.everSynced) this.refusal ??= { code, reason: reason.toString() };
      this.lastClose = { code, reason: reason.toString() };
      this.hooks.onClose(this, code, reason.toString());
      this.unsuccessfulReconnects++;
      if (isFinalClose(code)) {
        this.shouldConnect = false;
        this.gaveUp = true;
        return;
      }
      this.reconnectTimer = setTimeout(() => this.shouldConnect && this.connect(), Math.min(2 ** this.unsuccessfulReconnects * 100, 2500));
    });
  }

  private handle(data: Buffer) {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const encoder = encoding.createEncoder();
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync: {
        encoding.writeVarUint(encoder, messageSync);
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          syncProtocol.readSyncStep1(decoder, encoder, this.doc);
        } else {
          this.received.push(decoding.readVarUint8Array(decoder), this.hooks.inbox.current, this.connection);
          if (syncType === syncProtocol.messageYjsSyncStep2 && !this.synced) {
            this.synced = true;
            this.everSynced = true;
            this.unsuccessfulReconnects = 0;
          }
        }
        break;
      }
      case messageAwareness:
        awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
        break;
      case messageQueryAwareness:
        encoding.writeVarUint(encoder, messageAwareness);
        encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]));
        break;
      case messageAuth:
        authProtocol.readAuthMessage(decoder, this.doc, () => undefined);
        break;
      default:
        if (type === this.hooks.savedType) {
          this.hooks.onSaved(this, decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : null);
        } else if (type === this.hooks.refusedType) {
          const msg = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : null;
          this.hooks.onRefused(this, msg, decoding.hasContent(decoder) ? decoding.readVarString(decoder) : "");
        }
      // Other types of ours (e.g. 102 "access") carry nothing the benchmark needs.
    }
    if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
  }

  processReceipts() {
    this.received.takeNew((update, at, connection) => {
      for (const struct of Y.decodeUpdate(update).structs) {
        const key = (struct as Y.Item).parentSub;
        if (typeof key !== "string" || this.own.has(key)) continue;
        const afterReconnect = this.firstReconnection !== 0 && connection >= this.firstReconnection;
        if (this.seen.has(key) && afterReconnect) continue;
        this.seen.add(key);
        this.hooks.onKey(this, key, at); // a second delivery without a reconnect counts as a duplicate
      }
    });
  }

  movePresence() {
    this.awareness.setLocalStateField("cursor", { x: Math.round(Math.random() * 1000), y: Math.round(Math.random() * 1000) });
  }

  edit(key: string, entry: Entry): number {
    this.own.add(key);
    this.map.set(key, entry);
    return this.updateMessages;
  }

  state(): ClientState {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of this.received.all()) Y.applyUpdate(doc, update);
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.doc));
    });
    const state = stateOf(doc);
    doc.destroy();
    return state;
  }

  destroy() {
    this.shouldConnect = false;
    clearTimeout(this.reconnectTimer);
    this.ws?.close();
    this.ws = null;
    this.awareness.destroy();
    this.doc.destroy();
  }
}

// ───────────── real WebsocketProvider ─────────────

type MessageHandler = ((event: { data: ArrayBuffer }) => void) | null;

/** The `ws` WebSocket given to the providers: sends the cookie, routes onmessage through the Inbox. */
function socketClass(headers: Record<string, string>, inbox: Inbox) {
  return class BenchSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
      let handler: MessageHandler = null;
      Object.defineProperty(this, "onmessage", {
        configurable: true,
        get: () => handler,
        set: (value: MessageHandler) => {
          handler = value;
        },
      });
      const deliver = (data: ArrayBuffer | Buffer) => handler?.({ data: data as ArrayBuffer });
      this.on("message", (data) => inbox.push(deliver, data as ArrayBuffer, performance.now()));
    }

    /** Update-bearing messages sent on this connection (our server numbers them from 1). */
    updateMessages = 0;

    override send(data: Parameters<WebSocket["send"]>[0], ...rest: unknown[]) {
      const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
      if (bytes && bytes[0] === messageSync && (bytes[1] === syncProtocol.messageYjsSyncStep2 || bytes[1] === syncProtocol.messageYjsUpdate)) {
        this.updateMessages++;
      }
      inbox.sent(bytes?.byteLength ?? 0);
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };
}

class ProviderClient implements BenchClient {
  readonly pendingSaves: PendingSave[] = [];
  lastClose: { code: number; reason: string } | null = null;
  gaveUp = false;
  connection = 0;
  synced = false;
  refusal: { code: number; reason: string } | null = null;
  private everSynced = false;
  private readonly doc = new Y.Doc();
  private readonly map = this.doc.getMap<Entry>(BENCH_MAP);
  private readonly provider: WebsocketProvider;

  constructor(
    readonly index: number,
    hooks: ClientHooks,
    WebSocketPolyfill: ReturnType<typeof socketClass>,
  ) {
    this.provider = new WebsocketProvider(hooks.wsBase, hooks.docName, this.doc, {
      connect: false,
      disableBc: true, // in one process, BroadcastChannel would carry updates past the server
      WebSocketPolyfill: WebSocketPolyfill as unknown as typeof globalThis.WebSocket,
    });
    // As the app's client hook does: handlers for our message types (unknown types are logged).
    this.provider.messageHandlers[hooks.savedType] = (_encoder, decoder) =>
      hooks.onSaved(this, decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : null);
    this.provider.messageHandlers[hooks.refusedType] = (_encoder, decoder) => {
      const msg = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : null;
      hooks.onRefused(this, msg, decoding.hasContent(decoder) ? decoding.readVarString(decoder) : "");
    };
    for (const type of OUR_OTHER_TYPES) this.provider.messageHandlers[type] ??= () => undefined;
    this.provider.on("status", ({ status }: { status: string }) => {
      if (status === "connecting") this.connection++;
    });
    this.provider.awareness.setLocalState({ user: presence(index) });
    randomizeAwarenessPhase(this.provider.awareness);
    this.provider.on("sync", (synced: boolean) => {
      this.synced = synced;
      if (synced) this.everSynced = true;
    });
    this.provider.on("connection-close", (event: CloseEvent | null) => {
      if (!event) return;
      if (!this.everSynced) this.refusal ??= { code: event.code, reason: event.reason };
      this.lastClose = { code: event.code, reason: event.reason };
      if (isFinalClose(event.code)) this.gaveUp = true;
      hooks.onClose(this, event.code, event.reason);
    });
    // keysChanged is O(changes) (an Array event's `changes` walks the whole array).
    this.map.observe((event) => {
      if (event.transaction.local) return;
      for (const key of event.keysChanged) hooks.onKey(this, key, hooks.inbox.current);
    });
  }

  /** The provider integrates each update as it comes (its receive time is the Inbox's). */
  processReceipts() {}

  connect() {
    this.provider.connect();
  }

  movePresence() {
    this.provider.awareness.setLocalStateField("cursor", { x: Math.round(Math.random() * 1000), y: Math.round(Math.random() * 1000) });
  }

  edit(key: string, entry: Entry): number {
    this.map.set(key, entry);
    return (this.provider.ws as unknown as { updateMessages?: number } | null)?.updateMessages ?? 0;
  }

  state(): ClientState {
    return stateOf(this.doc);
  }

  destroy() {
    this.provider.destroy();
    this.provider.awareness.destroy();
    this.doc.destroy();
  }
}

export function clientFactory(kind: ClientKind, hooks: ClientHooks): (index: number) => BenchClient {
  if (kind === "provider") {
    if (!hooks.awarenessEcho) throw new Error("--awareness-echo=off needs --client=raw (the provider always echoes)");
    // Each provider registers a process "exit" listener (to clear its awareness).
    process.setMaxListeners(0);
    const WebSocketPolyfill = socketClass(hooks.cookie ? { cookie: hooks.cookie } : {}, hooks.inbox);
    return (index) => new ProviderClient(index, hooks, WebSocketPolyfill);
  }
  return (index) => new RawClient(index, hooks);
}
