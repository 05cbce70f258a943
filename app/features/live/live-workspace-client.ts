import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import {
  DOMAIN_EVENT_NAMES,
  type ClientAcks,
  type ClientPayload,
  type ClientToServerEvents,
  type CommandName,
  type JoinAck,
  type LockInfo,
  type LockKind,
  type MeetingViewShared,
  type PresenceEntry,
  type Refusal,
  type ServerToClientEvents,
  type SessionRevokedReason,
} from "~/lib/realtime/events";
import {
  changesSince,
  initialSyncState,
  keepRecent,
  reduceSync,
  type LiveChange,
  type SyncEffect,
  type SyncInput,
  type SyncState,
} from "~/lib/realtime/live-sync";

/** What the user is shown (ConnectionBadge). */
export type LiveConnectionState = "connecting" | "connected" | "reconnecting" | "offline";
export type OfflineReason = "network" | "logged_out" | "unauthenticated" | "forbidden" | "stopped";

export interface LiveSnapshot {
  connection: LiveConnectionState;
  /** Why we are offline (null unless `connection` is "offline"). */
  offlineReason: OfflineReason | null;
  /** Every change up to this workspace version has been handed to `onChanges`. */
  lastVersion: number | null;
  present: PresenceEntry[];
  /** Live soft locks by target (`match:<id>` …). */
  locks: Readonly<Record<string, LockInfo>>;
  /** Meeting mode: the last viewport someone else shared, by board (gone when they stop). */
  meetings: Readonly<Record<string, MeetingViewShared>>;
}

export interface LiveChangeBatch {
  /**
   * "live": events as they came; "resync": fetched from the change feed after a gap or a
   * reconnect; "replay": what the connection had handed over before this page started following.
   */
  source: "live" | "resync" | "replay";
  /** Ascending, contiguous, each version once. Feed rows have no `data`: refetch those entities. */
  changes: LiveChange[];
}

export interface LiveWorkspaceOptions {
  workspaceId: string;
  /** The workspace version the page's data was loaded at. null: start from the server's version at join. */
  initialVersion?: number | null;
  /** The board the user is on, shown to others (`kanban`, `map`, `chart:<areaId>`). */
  board?: string | null;
  onChanges?: (batch: LiveChangeBatch) => void;
  /** The server's history no longer matches ours (or was too long to replay): reload everything. */
  onReset?: (version: number) => void;
  /** Server origin. @default "" (this page's origin) */
  url?: string;
  /** @default globalThis.fetch (with cookies) */
  fetch?: typeof fetch;
  /** Extra socket.io-client options (tests pass `extraHeaders` with the cookie). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** How long a hole in the versions may stay open before resyncing. @default 250 */
  gapGraceMs?: number;
  /** @default 10_000 */
  commandTimeoutMs?: number;
  /** Change-feed pages to follow before giving up and asking for a reset. @default 50 */
  maxResyncPages?: number;
  /** Changes per change-feed page. @default the server's (500) */
  resyncPageSize?: number;
}

/** A page following a shared connection (LiveWorkspaceClient.follow). */
export interface LiveFollower {
  /** The workspace version the page's data was loaded at. null: from what comes next. */
  initialVersion?: number | null;
  onChanges?: (batch: LiveChangeBatch) => void;
  onReset?: (version: number) => void;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const EMPTY: LiveSnapshot = { connection: "connecting", offlineReason: null, lastVersion: null, present: [], locks: {}, meetings: {} };

/** The snapshot to render on the server and before the client starts. */
export const INITIAL_LIVE_SNAPSHOT: LiveSnapshot = EMPTY;

/** The browser says there is no network (always false outside a browser). */
const browserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;

const unavailable = (message: string): Refusal<"unavailable"> => ({ ok: false, code: "unavailable", message });

/**
 * A workspace's live connection, without React: connects (cookie auth), joins the workspace room,
 * tracks versions with the pure reducer in ~/lib/realtime/live-sync, resyncs over HTTP on a gap or
 * a reconnect, keeps presence and locks, and sends commands. `useLiveWorkspace` wraps it; Node
 * tests drive it directly.
 */
export class LiveWorkspaceClient {
  private socket: LiveSocket | null = null;
  private sync: SyncState;
  private snapshot: LiveSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly heldLocks = new Map<string, { kind: LockKind; refresh: ReturnType<typeof setInterval> }>();
  private revokedReason: SessionRevokedReason | null = null;
  private board: string | null;
  private retryDelay = 500;
  private stopped = false;
  private readonly windowListeners: Array<[string, () => void]> = [];
  /** Pages following this connection, each with the last version it was handed. */
  private readonly followers = new Map<LiveFollower, { cursor: number | null }>();
  /** Recent changes handed over, for pages that start following later (changesSince). */
  private history: LiveChange[] = [];
  /** Boards claimed by the pages on screen; the newest one is announced. */
  private readonly boardClaims: Array<{ board: string }> = [];

  constructor(private readonly options: LiveWorkspaceOptions) {
    this.sync = initialSyncState(options.initialVersion ?? null);
    this.snapshot = { ...EMPTY, lastVersion: options.initialVersion ?? null };
    this.board = options.board ?? null;
  }

  // ───── store interface (useSyncExternalStore) ─────

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  // ───── lifecycle ─────

  start(): void {
    if (this.socket) return;
    this.stopped = false;
    const socket: LiveSocket = io(this.options.url ?? "", {
      path: "/socket.io",
      withCredentials: true,
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      ...this.options.socketOptions,
    });
    this.socket = socket;

    socket.on("connect", () => void this.onConnect(socket));
    socket.on("disconnect", (reason) => this.onDisconnect(socket, reason));
    socket.on("connect_error", (error) => this.onConnectError(socket, error));
    socket.on("session:revoked", ({ reason }) => {
      this.revokedReason = reason;
    });
    for (const name of DOMAIN_EVENT_NAMES) {
      socket.on(name, (event) => {
        if (event.workspaceId === this.options.workspaceId) this.dispatch({ type: "event", event });
      });
    }
    socket.on("presence:changed", ({ workspaceId, present }) => {
      if (workspaceId === this.options.workspaceId) this.update({ present });
    });
    socket.on("lock:changed", ({ workspaceId, target, lock }) => {
      if (workspaceId !== this.options.workspaceId) return;
      const locks = { ...this.snapshot.locks };
      if (lock) locks[target] = lock;
      else delete locks[target];
      this.update({ locks });
    });
    socket.on("meeting:view", (shared) => {
      if (shared.workspaceId !== this.options.workspaceId) return;
      const meetings = { ...this.snapshot.meetings };
      const previous = meetings[shared.board];
      // A share is on while it carries a map view or a chart section (decision 069).
      if (shared.view || shared.section) meetings[shared.board] = shared;
      // Only the facilitator who shared it ends it.
      else if (previous?.facilitator.userId === shared.facilitator.userId) delete meetings[shared.board];
      this.update({ meetings });
    });

    if (typeof window !== "undefined") {
      const offline = () => this.update({ connection: "offline", offlineReason: "network" });
      const online = () => {
        if (!socket.connected && !this.stopped) socket.connect();
      };
      window.addEventListener("offline", offline);
      window.addEventListener("online", online);
      this.windowListeners.push(["offline", offline], ["online", online]);
    }
    socket.connect();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const { refresh } of this.heldLocks.values()) clearInterval(refresh);
    this.heldLocks.clear();
    for (const [name, listener] of this.windowListeners) window.removeEventListener(name, listener);
    this.windowListeners.length = 0;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.dispatch({ type: "detached" });
    this.update({ connection: "offline", offlineReason: "stopped", present: [], locks: {}, meetings: {} });
  }

  // ───── commands, presence, locks ─────

  /** Sends a command; resolves with its typed ack (never rejects). */
  async sendCommand<C extends CommandName>(name: C, payload: ClientPayload<C>): Promise<ClientAcks[C]> {
    return this.request(name, payload) as Promise<ClientAcks[C]>;
  }

  /** Meeting mode: shares this client's viewport on a board with the room (`view: null` stops). */
  async shareView(share: Omit<ClientPayload<"meeting:view">, "workspaceId">): Promise<ClientAcks["meeting:view"]> {
    return this.request("meeting:view", { ...share, workspaceId: this.options.workspaceId });
  }

  /**
   * One connection for the whole workspace layout: a page starts following it with the version
   * its data was loaded at and is handed every change after that version exactly once, in order —
   * first what this connection already handed over (from its recent history, else the page is
   * reset), then what comes. Returns the unfollow function.
   */
  follow(follower: LiveFollower): () => void {
    const start = follower.initialVersion ?? null;
    const entry = { cursor: start ?? this.sync.lastVersion };
    if (start !== null) {
      const before = this.sync.lastVersion;
      this.dispatch({ type: "follow", version: start });
      if (this.sync.lastVersion !== before) {
        // The baseline moved back: the next join replays from there, so what the history holds
        // would come again.
        this.history = [];
      } else {
        const missed = changesSince(this.history, start, this.sync.lastVersion);
        if (missed === null) {
          entry.cursor = this.sync.lastVersion;
          if (entry.cursor !== null) follower.onReset?.(entry.cursor);
        } else if (missed.length > 0) {
          entry.cursor = missed[missed.length - 1].version;
          follower.onChanges?.({ source: "replay", changes: missed });
        }
      }
    }
    this.followers.set(follower, entry);
    return () => {
      this.followers.delete(follower);
    };
  }

  /**
   * A page says which board it shows (presence) while it is on screen; the release goes back to
   * the previous claim or the connection's own board. Settled a microtask later, so that leaving
   * one board for another announces only the new one.
   */
  claimBoard(board: string): () => void {
    const claim = { board };
    this.boardClaims.push(claim);
    this.settleBoard();
    return () => {
      const index = this.boardClaims.indexOf(claim);
      if (index >= 0) this.boardClaims.splice(index, 1);
      this.settleBoard();
    };
  }

  private settleBoard() {
    queueMicrotask(() => {
      void this.setBoard(this.boardClaims.at(-1)?.board ?? this.options.board ?? null);
    });
  }

  /** Moves to another board (or off the boards with null). */
  async setBoard(board: string | null): Promise<void> {
    if (board === this.board) return;
    this.board = board;
    if (this.snapshot.connection !== "connected") return; // applied at the next join
    await this.announceBoard();
  }

  /**
   * Takes a soft lock and keeps it alive (re-acquired every 10 s) until released. A refusal
   * (`locked`, with the holder) is returned as is.
   */
  async acquireLock(target: string, kind: LockKind): Promise<ClientAcks["lock:acquire"]> {
    const ack = await this.request("lock:acquire", { workspaceId: this.options.workspaceId, target, kind });
    if (ack.ok) {
      const previous = this.heldLocks.get(target);
      if (previous) clearInterval(previous.refresh);
      const refresh = setInterval(() => {
        void this.request("lock:acquire", { workspaceId: this.options.workspaceId, target, kind });
      }, 10_000);
      this.heldLocks.set(target, { kind, refresh });
      this.update({ locks: { ...this.snapshot.locks, [target]: ack.lock } });
    } else if (ack.code !== "unavailable" && ack.code !== "rate_limited") {
      // Someone else has it now (e.g. it expired while we were away): stop refreshing.
      const held = this.heldLocks.get(target);
      if (held) clearInterval(held.refresh);
      this.heldLocks.delete(target);
    }
    return ack;
  }

  async releaseLock(target: string): Promise<ClientAcks["lock:release"]> {
    const held = this.heldLocks.get(target);
    if (held) clearInterval(held.refresh);
    this.heldLocks.delete(target);
    const ack = await this.request("lock:release", { workspaceId: this.options.workspaceId, target });
    if (ack.ok) {
      const locks = { ...this.snapshot.locks };
      delete locks[target];
      this.update({ locks });
    }
    return ack;
  }

  // ───── internals ─────

  private async request<E extends keyof ClientAcks>(name: E, payload: ClientPayload<E>): Promise<ClientAcks[E]> {
    const socket = this.socket;
    if (!socket?.connected) return unavailable("接続していません / Not connected") as ClientAcks[E];
    try {
      const timed = socket.timeout(this.options.commandTimeoutMs ?? 10_000);
      // The event map is generic over the event name; one cast here keeps the public API typed.
      const emitWithAck = timed.emitWithAck as unknown as (event: E, payload: ClientPayload<E>) => Promise<ClientAcks[E]>;
      return await emitWithAck.call(timed, name, payload);
    } catch {
      return unavailable("応答がありません / No answer from the server") as ClientAcks[E];
    }
  }

  private async onConnect(socket: LiveSocket) {
    this.retryDelay = 500;
    this.revokedReason = null;
    this.dispatch({ type: "joining" });
    const ack = (await this.request("workspace:join", { workspaceId: this.options.workspaceId })) as JoinAck;
    if (socket !== this.socket || !socket.connected) return;
    if (!ack.ok) {
      if (ack.code === "forbidden" || ack.code === "not_found") {
        this.update({ connection: "offline", offlineReason: "forbidden" });
        socket.disconnect();
      } else {
        socket.disconnect();
        this.reconnectLater(socket);
      }
      return;
    }
    this.update({ connection: "connected", offlineReason: null });
    this.dispatch({ type: "joined", version: ack.version });
    await this.announceBoard();
    // Locks die with the connection on the server: take back the ones we were holding.
    for (const [target, { kind }] of this.heldLocks) void this.acquireLock(target, kind);
  }

  private async announceBoard() {
    const workspaceId = this.options.workspaceId;
    if (this.board === null) {
      await this.request("presence:leave", { workspaceId });
      this.update({ present: [] });
      return;
    }
    const ack = await this.request("presence:join", { workspaceId, board: this.board });
    if (ack.ok) this.update({ present: ack.present, locks: Object.fromEntries(ack.locks.map((l) => [l.target, l])) });
  }

  private onDisconnect(socket: LiveSocket, reason: Socket.DisconnectReason) {
    if (socket !== this.socket) return;
    this.dispatch({ type: "detached" });
    this.update({ present: [], locks: {}, meetings: {} });
    const revoked = this.revokedReason;
    if (revoked === "logged_out" || revoked === "session_expired") {
      this.update({ connection: "offline", offlineReason: "logged_out" });
      return;
    }
    if (this.snapshot.offlineReason === "forbidden" || reason === "io client disconnect") return;
    this.update(browserOffline() ? { connection: "offline", offlineReason: "network" } : { connection: "reconnecting", offlineReason: null });
    // socket.io reconnects by itself after transport failures, not after the server closed us
    // (a membership change, a restart): then we ask again, and the server re-authorizes.
    if (reason === "io server disconnect") this.reconnectLater(socket, revoked === "membership_changed" ? 0 : undefined);
  }

  private onConnectError(socket: LiveSocket, error: Error) {
    if (socket !== this.socket) return;
    if (error.message === "unauthenticated") {
      this.update({ connection: "offline", offlineReason: "unauthenticated" });
      return;
    }
    if (browserOffline()) this.update({ connection: "offline", offlineReason: "network" });
    else this.update({ connection: this.snapshot.lastVersion === null ? "connecting" : "reconnecting", offlineReason: null });
    // Refusals by the server's middleware (e.g. database unavailable) are not retried by socket.io.
    if (!socket.active) this.reconnectLater(socket);
  }

  private reconnectLater(socket: LiveSocket, delay = this.retryDelay) {
    this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
    this.later(delay, () => {
      if (socket === this.socket && !socket.connected && !this.stopped) socket.connect();
    });
  }

  private dispatch(input: SyncInput) {
    const { state, effects } = reduceSync(this.sync, input);
    this.sync = state;
    if (state.lastVersion !== this.snapshot.lastVersion) this.update({ lastVersion: state.lastVersion });
    for (const effect of effects) this.run(effect);
  }

  private run(effect: SyncEffect) {
    switch (effect.type) {
      case "apply":
        this.handOver(effect.source, effect.changes);
        return;
      case "resync":
        void this.resync(effect.since);
        return;
      case "wait-for-gap":
        this.later(this.options.gapGraceMs ?? 250, () => this.dispatch({ type: "gap-timeout" }));
        return;
      case "retry-later":
        this.later(this.retryDelay, () => this.dispatch({ type: "retry" }));
        this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
        return;
      case "reset":
        this.reset(effect.version);
        return;
    }
  }

  private handOver(source: LiveChangeBatch["source"], changes: LiveChange[]) {
    this.options.onChanges?.({ source, changes });
    this.history = keepRecent(this.history, changes);
    for (const [follower, entry] of this.followers) {
      const cursor = entry.cursor;
      const fresh = cursor === null ? changes : changes.filter((change) => change.version > cursor);
      if (fresh.length === 0) continue;
      entry.cursor = fresh[fresh.length - 1].version;
      follower.onChanges?.({ source, changes: fresh });
    }
  }

  private reset(version: number) {
    this.history = [];
    this.options.onReset?.(version);
    for (const [follower, entry] of this.followers) {
      entry.cursor = version;
      follower.onReset?.(version);
    }
  }

  /** GET …/changes?since=, following hasMore, then hands the whole range to the reducer. */
  private async resync(since: number) {
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    const base = `${this.options.url ?? ""}/api/v1/workspaces/${encodeURIComponent(this.options.workspaceId)}/changes`;
    const changes: LiveChange[] = [];
    let cursor = since;
    let version = since;
    try {
      for (let page = 0; ; page++) {
        if (page >= (this.options.maxResyncPages ?? 50)) {
          // Too far behind to replay change by change: start over from a fresh load.
          this.reset(version);
          this.dispatch({ type: "resynced", since, version: cursor, changes: [] });
          return;
        }
        const limit = this.options.resyncPageSize ? `&limit=${this.options.resyncPageSize}` : "";
        const response = await doFetch(`${base}?since=${cursor}${limit}`, {
          credentials: "include",
          headers: { accept: "application/json" },
        });
        if (!response.ok) throw new Error(`changes feed answered ${response.status}`);
        const body = (await response.json()) as { version: number; items: LiveChange[]; hasMore: boolean };
        changes.push(...body.items);
        version = body.version;
        if (body.items.length > 0) cursor = body.items[body.items.length - 1].version;
        if (!body.hasMore || body.items.length === 0) break;
      }
    } catch {
      if (!this.stopped) this.dispatch({ type: "resync-failed", since });
      return;
    }
    if (!this.stopped) this.dispatch({ type: "resynced", since, version, changes });
  }

  private later(ms: number, fn: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private update(patch: Partial<LiveSnapshot>) {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
