import type { LockHolder, LockInfo, LockKind, PresenceEntry } from "../../../app/lib/realtime/events.ts";
import { InMemoryPresenceStore, type AcquireResult, type PresenceMember, type PresenceStore, type ReleaseResult } from "./store.ts";

/** How the hub tells a workspace's room; `except` is the connection that caused it (it has its ack). */
export interface PresenceBroadcast {
  presence(workspaceId: string, present: PresenceEntry[], except?: string): void;
  lock(workspaceId: string, target: string, lock: LockInfo | null, except?: string): void;
}

export interface PresenceHubOptions {
  /** @default a new InMemoryPresenceStore */
  store?: PresenceStore;
  /** Epoch milliseconds. Injected so tests can move time. @default Date.now */
  clock?: () => number;
  /** How long a lock lives without being acquired again. @default 30_000 */
  lockTtlMs?: number;
  /** How often expired locks are swept (and announced). @default 1_000 */
  sweepIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Presence and soft locks for the socket layer: calls the store, then announces what changed to
 * the workspace room. Knows nothing about Socket.IO (the adapter passes a PresenceBroadcast), so it
 * is unit-tested with a fake clock and a recording broadcast.
 */
export class PresenceHub {
  readonly store: PresenceStore;
  readonly lockTtlMs: number;
  private readonly clock: () => number;
  private readonly sweepIntervalMs: number;
  private readonly onError: (error: unknown) => void;
  private timer: ReturnType<typeof setInterval> | null = null;
  private sweeping = false;
  /** The last sweep failed (a remote store that is down): report the next failures once. */
  private sweepFailing = false;

  constructor(
    private readonly broadcast: PresenceBroadcast,
    options: PresenceHubOptions = {},
  ) {
    this.store = options.store ?? new InMemoryPresenceStore();
    this.clock = options.clock ?? Date.now;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 1_000;
    this.onError = options.onError ?? (() => {});
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.sweepIntervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Puts a connection on a board; answers the current list and locks for the joiner. */
  async join(workspaceId: string, connectionId: string, member: PresenceMember, board: string) {
    const changed = await this.store.join(workspaceId, connectionId, member, board);
    const present = await this.store.present(workspaceId);
    if (changed) this.broadcast.presence(workspaceId, present, connectionId);
    return { present, locks: await this.store.locks(workspaceId, this.clock()) };
  }

  /** Off the workspace's boards; the connection's locks there go too. */
  async leave(workspaceId: string, connectionId: string): Promise<void> {
    for (const { target } of await this.store.releaseAllIn(workspaceId, connectionId)) {
      this.broadcast.lock(workspaceId, target, null, connectionId);
    }
    if (await this.store.leave(workspaceId, connectionId)) {
      this.broadcast.presence(workspaceId, await this.store.present(workspaceId), connectionId);
    }
  }

  async acquire(workspaceId: string, connectionId: string, holder: LockHolder, target: string, kind: LockKind): Promise<AcquireResult> {
    const result = await this.store.acquire(workspaceId, connectionId, holder, target, kind, this.clock(), this.lockTtlMs);
    if (result.ok && result.changed) this.broadcast.lock(workspaceId, target, result.lock, connectionId);
    return result;
  }

  async release(workspaceId: string, connectionId: string, target: string): Promise<ReleaseResult> {
    const result = await this.store.release(workspaceId, connectionId, target, this.clock());
    if (result.ok && result.released) this.broadcast.lock(workspaceId, target, null, connectionId);
    return result;
  }

  /** A connection closed: everyone else sees its seats and locks go. */
  async disconnect(connectionId: string): Promise<void> {
    const { presenceChanged, releasedLocks } = await this.store.dropConnection(connectionId);
    for (const { workspaceId, target } of releasedLocks) this.broadcast.lock(workspaceId, target, null);
    for (const workspaceId of presenceChanged) {
      this.broadcast.presence(workspaceId, await this.store.present(workspaceId));
    }
  }

  /** Announces locks whose holder stopped refreshing them (and seats of instances that died). */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const { releasedLocks, presenceChanged } = await this.store.expire(this.clock());
      for (const { workspaceId, target } of releasedLocks) this.broadcast.lock(workspaceId, target, null);
      for (const workspaceId of presenceChanged) {
        this.broadcast.presence(workspaceId, await this.store.present(workspaceId));
      }
      this.sweepFailing = false;
    } catch (error) {
      if (!this.sweepFailing) this.onError(error);
      this.sweepFailing = true;
    } finally {
      this.sweeping = false;
    }
  }
}
