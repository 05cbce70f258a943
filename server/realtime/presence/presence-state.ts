import type { LockHolder, LockInfo, LockKind, PresenceEntry } from "../../../app/lib/realtime/events.ts";

/**
 * The pure core of presence and soft locks: who (which connection) is on which board of a
 * workspace, and who holds which lock until when. No I/O and no clock: every method that depends
 * on time takes `now` (epoch ms). Locks belong to one connection (a browser tab): the same person
 * in another tab is refused like anyone else, so two tabs cannot drag one card at once.
 *
 * The socket adapter wraps this in a PresenceStore (store.ts); a Redis-backed store for several
 * server instances can implement the same interface.
 */
export type PresenceMember = LockHolder;

interface Seat {
  member: PresenceMember;
  board: string;
}

interface LockRecord {
  target: string;
  kind: LockKind;
  connectionId: string;
  holder: LockHolder;
  expiresAt: number;
}

export type AcquireResult =
  | { ok: true; lock: LockInfo; changed: boolean }
  | { ok: false; reason: "locked"; lock: LockInfo }
  | { ok: false; reason: "limit_exceeded" };

export type ReleaseResult = { ok: true; released: boolean } | { ok: false; reason: "locked"; lock: LockInfo };

export interface ReleasedLock {
  workspaceId: string;
  target: string;
}

export interface DropResult {
  /** Workspaces whose visible presence list changed. */
  presenceChanged: string[];
  releasedLocks: ReleasedLock[];
}

export interface PresenceLimits {
  /** Locks one connection may hold at once, across workspaces. @default 16 */
  maxLocksPerConnection: number;
}

export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = { maxLocksPerConnection: 16 };

export class PresenceState {
  /** workspaceId → connectionId → seat */
  private readonly seats = new Map<string, Map<string, Seat>>();
  /** workspaceId → target → lock */
  private readonly locks = new Map<string, Map<string, LockRecord>>();
  /** connectionId → workspaces where it has a seat or a lock (for dropConnection). */
  private readonly footprint = new Map<string, Set<string>>();
  private readonly lockCount = new Map<string, number>();

  constructor(private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS) {}

  /** Puts a connection on a board (moving it if it was on another). True when the list others see changed. */
  join(workspaceId: string, connectionId: string, member: PresenceMember, board: string): boolean {
    const before = this.signature(workspaceId);
    let seats = this.seats.get(workspaceId);
    if (!seats) this.seats.set(workspaceId, (seats = new Map()));
    seats.set(connectionId, { member, board });
    this.touch(connectionId, workspaceId);
    return this.signature(workspaceId) !== before;
  }

  /** Takes a connection off the workspace's boards. True when the list others see changed. */
  leave(workspaceId: string, connectionId: string): boolean {
    const seats = this.seats.get(workspaceId);
    if (!seats?.has(connectionId)) return false;
    const before = this.signature(workspaceId);
    seats.delete(connectionId);
    if (seats.size === 0) this.seats.delete(workspaceId);
    this.untouchIfIdle(connectionId, workspaceId);
    return this.signature(workspaceId) !== before;
  }

  /**
   * Who is where, one entry per person and board (two tabs of one person on one board show once),
   * sorted for a stable display.
   */
  present(workspaceId: string): PresenceEntry[] {
    const seen = new Map<string, PresenceEntry>();
    for (const { member, board } of this.seats.get(workspaceId)?.values() ?? []) {
      const key = `${member.userId}\u0000${board}`;
      if (!seen.has(key)) seen.set(key, { ...member, board });
    }
    return [...seen.values()].sort(
      (a, b) => compare(a.board, b.board) || compare(a.displayName, b.displayName) || compare(a.userId, b.userId),
    );
  }

  /**
   * Takes or refreshes a lock. A lock that expired at or before `now` counts as free. Acquiring a
   * lock one already holds extends it (and may change its kind).
   */
  acquire(
    workspaceId: string,
    connectionId: string,
    holder: LockHolder,
    target: string,
    kind: LockKind,
    now: number,
    ttlMs: number,
  ): AcquireResult {
    const existing = this.locks.get(workspaceId)?.get(target);
    if (existing && existing.expiresAt > now && existing.connectionId !== connectionId) {
      return { ok: false, reason: "locked", lock: info(existing) };
    }
    const mine = existing && existing.connectionId === connectionId && existing.expiresAt > now;
    if (!mine) {
      if (existing) this.drop(workspaceId, existing); // expired, or held by nobody alive
      if ((this.lockCount.get(connectionId) ?? 0) >= this.limits.maxLocksPerConnection) {
        return { ok: false, reason: "limit_exceeded" };
      }
    }
    const record: LockRecord = { target, kind, connectionId, holder, expiresAt: now + ttlMs };
    // Looked up again: dropping the expired lock above may have removed the workspace's map.
    let locks = this.locks.get(workspaceId);
    if (!locks) this.locks.set(workspaceId, (locks = new Map()));
    locks.set(target, record);
    if (!mine) {
      this.lockCount.set(connectionId, (this.lockCount.get(connectionId) ?? 0) + 1);
      this.touch(connectionId, workspaceId);
    }
    // A refresh with the same kind changes nothing others need to see (expiry is not shown live).
    return { ok: true, lock: info(record), changed: !mine || existing.kind !== kind };
  }

  /** Releases a lock held by this connection. Releasing a free (or expired) lock is fine. */
  release(workspaceId: string, connectionId: string, target: string, now: number): ReleaseResult {
    const existing = this.locks.get(workspaceId)?.get(target);
    if (!existing) return { ok: true, released: false };
    if (existing.expiresAt > now && existing.connectionId !== connectionId) {
      return { ok: false, reason: "locked", lock: info(existing) };
    }
    this.drop(workspaceId, existing);
    this.untouchIfIdle(existing.connectionId, workspaceId);
    return { ok: true, released: true };
  }

  /** Live locks of a workspace, by target. */
  locksOf(workspaceId: string, now: number): LockInfo[] {
    return [...(this.locks.get(workspaceId)?.values() ?? [])]
      .filter((l) => l.expiresAt > now)
      .map(info)
      .sort((a, b) => compare(a.target, b.target));
  }

  /** Releases the locks of one connection in one workspace (it left the workspace). */
  releaseAllIn(workspaceId: string, connectionId: string): ReleasedLock[] {
    const released: ReleasedLock[] = [];
    for (const lock of [...(this.locks.get(workspaceId)?.values() ?? [])]) {
      if (lock.connectionId !== connectionId) continue;
      this.drop(workspaceId, lock);
      released.push({ workspaceId, target: lock.target });
    }
    this.untouchIfIdle(connectionId, workspaceId);
    return released;
  }

  /** A connection closed: its seats and locks go. */
  dropConnection(connectionId: string): DropResult {
    const result: DropResult = { presenceChanged: [], releasedLocks: [] };
    for (const workspaceId of [...(this.footprint.get(connectionId) ?? [])]) {
      result.releasedLocks.push(...this.releaseAllIn(workspaceId, connectionId));
      if (this.leave(workspaceId, connectionId)) result.presenceChanged.push(workspaceId);
    }
    this.footprint.delete(connectionId);
    this.lockCount.delete(connectionId);
    return result;
  }

  /** Removes every lock that expired at or before `now`. */
  expire(now: number): ReleasedLock[] {
    const released: ReleasedLock[] = [];
    for (const [workspaceId, locks] of [...this.locks]) {
      for (const lock of [...locks.values()]) {
        if (lock.expiresAt > now) continue;
        this.drop(workspaceId, lock);
        this.untouchIfIdle(lock.connectionId, workspaceId);
        released.push({ workspaceId, target: lock.target });
      }
    }
    return released;
  }

  /** Sizes, for tests and metrics: nothing may grow without bound. */
  stats() {
    let seats = 0;
    let locks = 0;
    for (const s of this.seats.values()) seats += s.size;
    for (const l of this.locks.values()) locks += l.size;
    return { workspaces: new Set([...this.seats.keys(), ...this.locks.keys()]).size, seats, locks, connections: this.footprint.size };
  }

  private drop(workspaceId: string, lock: LockRecord) {
    const locks = this.locks.get(workspaceId);
    if (locks?.get(lock.target) !== lock) return;
    locks.delete(lock.target);
    if (locks.size === 0) this.locks.delete(workspaceId);
    const count = (this.lockCount.get(lock.connectionId) ?? 1) - 1;
    if (count > 0) this.lockCount.set(lock.connectionId, count);
    else this.lockCount.delete(lock.connectionId);
  }

  private touch(connectionId: string, workspaceId: string) {
    let set = this.footprint.get(connectionId);
    if (!set) this.footprint.set(connectionId, (set = new Set()));
    set.add(workspaceId);
  }

  private untouchIfIdle(connectionId: string, workspaceId: string) {
    if (this.seats.get(workspaceId)?.has(connectionId)) return;
    for (const lock of this.locks.get(workspaceId)?.values() ?? []) if (lock.connectionId === connectionId) return;
    const set = this.footprint.get(connectionId);
    set?.delete(workspaceId);
    if (set && set.size === 0) this.footprint.delete(connectionId);
  }

  private signature(workspaceId: string): string {
    return JSON.stringify(this.present(workspaceId));
  }
}

function info(lock: LockRecord): LockInfo {
  return { target: lock.target, kind: lock.kind, holder: lock.holder, expiresAt: lock.expiresAt };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
