import type { LockHolder, LockInfo, LockKind, PresenceEntry } from "../../../app/lib/realtime/events.ts";
import {
  PresenceState,
  type AcquireResult,
  type DropResult,
  type PresenceLimits,
  type PresenceMember,
  type ReleasedLock,
  type ReleaseResult,
} from "./presence-state.ts";

export type { AcquireResult, DropResult, PresenceMember, ReleasedLock, ReleaseResult };

/**
 * Where presence and soft locks live. Asynchronous on purpose: with several server instances
 * (REDIS_URL) a Redis-backed store answers over the network; in one process the in-memory store
 * below answers at once. Connection ids must be unique across instances (Socket.IO's are).
 */
export interface PresenceStore {
  join(workspaceId: string, connectionId: string, member: PresenceMember, board: string): Promise<boolean>;
  leave(workspaceId: string, connectionId: string): Promise<boolean>;
  present(workspaceId: string): Promise<PresenceEntry[]>;
  acquire(
    workspaceId: string,
    connectionId: string,
    holder: LockHolder,
    target: string,
    kind: LockKind,
    now: number,
    ttlMs: number,
  ): Promise<AcquireResult>;
  release(workspaceId: string, connectionId: string, target: string, now: number): Promise<ReleaseResult>;
  locks(workspaceId: string, now: number): Promise<LockInfo[]>;
  releaseAllIn(workspaceId: string, connectionId: string): Promise<ReleasedLock[]>;
  dropConnection(connectionId: string): Promise<DropResult>;
  /**
   * Removes the locks that expired at or before `now` — and, in a shared store, the seats of
   * instances that stopped refreshing them (they died): what changed, for the hub to announce.
   */
  expire(now: number): Promise<DropResult>;
}

/** The single-instance store: the pure PresenceState behind the async interface. */
export class InMemoryPresenceStore implements PresenceStore {
  readonly state: PresenceState;

  constructor(limits?: PresenceLimits) {
    this.state = new PresenceState(limits);
  }

  async join(workspaceId: string, connectionId: string, member: PresenceMember, board: string) {
    return this.state.join(workspaceId, connectionId, member, board);
  }
  async leave(workspaceId: string, connectionId: string) {
    return this.state.leave(workspaceId, connectionId);
  }
  async present(workspaceId: string) {
    return this.state.present(workspaceId);
  }
  async acquire(
    workspaceId: string,
    connectionId: string,
    holder: LockHolder,
    target: string,
    kind: LockKind,
    now: number,
    ttlMs: number,
  ) {
    return this.state.acquire(workspaceId, connectionId, holder, target, kind, now, ttlMs);
  }
  async release(workspaceId: string, connectionId: string, target: string, now: number) {
    return this.state.release(workspaceId, connectionId, target, now);
  }
  async locks(workspaceId: string, now: number) {
    return this.state.locksOf(workspaceId, now);
  }
  async releaseAllIn(workspaceId: string, connectionId: string) {
    return this.state.releaseAllIn(workspaceId, connectionId);
  }
  async dropConnection(connectionId: string) {
    return this.state.dropConnection(connectionId);
  }
  async expire(now: number): Promise<DropResult> {
    return { presenceChanged: [], releasedLocks: this.state.expire(now) };
  }
}
