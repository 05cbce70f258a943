import type { ChainableCommander, Redis } from "ioredis";
import type { LockHolder, LockInfo, LockKind, PresenceEntry } from "../../../app/lib/realtime/events.ts";
import { AppError } from "../../http/errors.ts";
import { DEFAULT_PRESENCE_LIMITS, type PresenceLimits } from "./presence-state.ts";
import type { AcquireResult, DropResult, PresenceMember, PresenceStore, ReleasedLock, ReleaseResult } from "./store.ts";

/**
 * Presence and soft locks in Redis, shared by every instance (multi-instance mode). Same answers
 * as the in-memory store (the contract test runs both); the differences are about dead instances:
 *
 *   {prefix}:seats:<workspaceId>   hash  connectionId → {"member","board","expiresAt"}
 *   {prefix}:locks:<workspaceId>   hash  target → {"connectionId","kind","holder","expiresAt"}
 *   {prefix}:conn:<connectionId>   zset  "<workspaceId>\n<target>" by expiry: the connection's locks
 *   {prefix}:expiry                zset  "L\n<ws>\n<target>" / "S\n<ws>\n<connectionId>" by expiry
 *
 * Locks are taken and released by Lua scripts (check-and-set, compare-and-delete), so two
 * instances can never both hold one. A lock lives `ttlMs` unless acquired again; a seat lives
 * `seatTtlMs` and the instance that owns the connection refreshes it (from the hub's sweep), so
 * the seats and locks of an instance that died go within a TTL: every instance's sweep removes
 * what is due from `expiry`, atomically, and announces what it removed (each item once). Every key
 * also carries a Redis expiry, so nothing is left behind when all instances are gone.
 *
 * Lua scripts build key names from the prefix: a standalone Redis (or primary/replica), not
 * Redis Cluster.
 */
export interface RedisPresenceStoreOptions {
  redis: Redis;
  /** Key prefix, e.g. "tsunagu:presence". */
  prefix: string;
  /** Epoch milliseconds (for `present`, which takes no `now`). @default Date.now */
  clock?: () => number;
  /** How long a seat outlives its instance's last refresh. @default 30_000 */
  seatTtlMs?: number;
  limits?: PresenceLimits;
}

interface SeatRecord {
  member: PresenceMember;
  board: string;
  expiresAt: number;
}

interface LockRecord {
  connectionId: string;
  kind: LockKind;
  holder: LockHolder;
  expiresAt: number;
}

const ACQUIRE = `
local now = tonumber(ARGV[5])
local current = redis.call('HGET', KEYS[1], ARGV[1])
local mine = false
local changed = 1
if current then
  local lock = cjson.decode(current)
  if lock.expiresAt > now then
    if lock.connectionId ~= ARGV[2] then return {0, current} end
    mine = true
    if lock.kind == ARGV[3] then changed = 0 end
  end
end
if not mine then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[7]) then return {-1} end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[8])
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[9])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[10]) end
return {1, changed}`;

const RELEASE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return {1, 0} end
local lock = cjson.decode(current)
if lock.expiresAt > tonumber(ARGV[3]) and lock.connectionId ~= ARGV[2] then return {0, current} end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[5])
if lock.connectionId == ARGV[2] then redis.call('ZREM', KEYS[2], ARGV[4]) end
return {1, 1}`;

const RELEASE_ALL_IN = `
local released = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if cjson.decode(all[i + 1]).connectionId == ARGV[1] then
    redis.call('HDEL', KEYS[1], all[i])
    redis.call('ZREM', KEYS[2], ARGV[2] .. '\\n' .. all[i])
    redis.call('ZREM', KEYS[3], 'L\\n' .. ARGV[2] .. '\\n' .. all[i])
    released[#released + 1] = all[i]
  end
end
return released`;

/** Removes what is due (locks not refreshed, seats of instances that stopped refreshing). */
const SWEEP = `
local now = tonumber(ARGV[1])
local removed = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))) do
  redis.call('ZREM', KEYS[1], member)
  local kind, ws, id = string.match(member, '^(%a)\\n([^\\n]+)\\n(.+)$')
  if kind then
    local key = ARGV[2] .. (kind == 'L' and ':locks:' or ':seats:') .. ws
    local current = redis.call('HGET', key, id)
    if current then
      local expiresAt = cjson.decode(current).expiresAt
      if expiresAt <= now then
        redis.call('HDEL', key, id)
        removed[#removed + 1] = member
      else
        redis.call('ZADD', KEYS[1], expiresAt, member)
      end
    end
  end
end
return removed`;

/** The instance's own seats, refreshed; answers the workspaces where a seat had to be put back. */
const REFRESH_SEATS = `
local restored = {}
for i = 1, #ARGV - 2, 3 do
  local ws, conn, record = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local key = ARGV[#ARGV - 1] .. ':seats:' .. ws
  if redis.call('HSET', key, conn, record) == 1 then restored[#restored + 1] = ws end
  redis.call('PEXPIRE', key, ARGV[#ARGV])
  redis.call('ZADD', KEYS[1], cjson.decode(record).expiresAt, 'S\\n' .. ws .. '\\n' .. conn)
end
redis.call('PEXPIRE', KEYS[1], ARGV[#ARGV])
return restored`;

type Scripted = Redis & {
  tsunaguLockAcquire(...args: Array<string | number>): Promise<[number, string?] | [number, number]>;
  tsunaguLockRelease(...args: Array<string | number>): Promise<[number, number | string]>;
  tsunaguLockReleaseAllIn(...args: Array<string | number>): Promise<string[]>;
  tsunaguPresenceSweep(...args: Array<string | number>): Promise<string[]>;
  tsunaguSeatsRefresh(...args: Array<string | number>): Promise<string[]>;
};

export class RedisPresenceStore implements PresenceStore {
  private readonly redis: Scripted;
  private readonly prefix: string;
  private readonly clock: () => number;
  private readonly seatTtlMs: number;
  private readonly limits: PresenceLimits;
  /** Seats of this instance's connections: connectionId → workspaceId → seat (for the refresh). */
  private readonly ownSeats = new Map<string, Map<string, Omit<SeatRecord, "expiresAt">>>();
  private lastRefresh = -Infinity;

  constructor(options: RedisPresenceStoreOptions) {
    this.prefix = options.prefix;
    this.clock = options.clock ?? Date.now;
    this.seatTtlMs = options.seatTtlMs ?? 30_000;
    this.limits = options.limits ?? DEFAULT_PRESENCE_LIMITS;
    const redis = options.redis as Scripted;
    // defineCommand is idempotent per client; ioredis sends EVALSHA and falls back to EVAL.
    redis.defineCommand("tsunaguLockAcquire", { numberOfKeys: 3, lua: ACQUIRE });
    redis.defineCommand("tsunaguLockRelease", { numberOfKeys: 3, lua: RELEASE });
    redis.defineCommand("tsunaguLockReleaseAllIn", { numberOfKeys: 3, lua: RELEASE_ALL_IN });
    redis.defineCommand("tsunaguPresenceSweep", { numberOfKeys: 1, lua: SWEEP });
    redis.defineCommand("tsunaguSeatsRefresh", { numberOfKeys: 1, lua: REFRESH_SEATS });
    this.redis = redis;
  }

  // ───────────── Seats ─────────────

  async join(workspaceId: string, connectionId: string, member: PresenceMember, board: string): Promise<boolean> {
    let own = this.ownSeats.get(connectionId);
    if (!own) this.ownSeats.set(connectionId, (own = new Map()));
    own.set(workspaceId, { member, board });
    const expiresAt = this.clock() + this.seatTtlMs;
    const record: SeatRecord = { member, board, expiresAt };
    const seatsKey = this.seatsKey(workspaceId);
    const results = await this.run(
      transaction(
        this.redis
          .multi()
          .hgetall(seatsKey)
          .hset(seatsKey, connectionId, JSON.stringify(record))
          .pexpire(seatsKey, this.keyTtlMs())
          .zadd(this.expiryKey, expiresAt, seatMember(workspaceId, connectionId))
          .pexpire(this.expiryKey, this.keyTtlMs()),
      ),
    ).catch((error: unknown) => {
      // The client is told it did not join: the refresh must not seat it later.
      if (own.get(workspaceId)?.member === member) this.forgetOwnSeat(connectionId, workspaceId);
      throw error;
    });
    const before = this.parseSeats(results[0] as Record<string, string>);
    const after = new Map(before);
    after.set(connectionId, record);
    return signature(before) !== signature(after);
  }

  async leave(workspaceId: string, connectionId: string): Promise<boolean> {
    this.forgetOwnSeat(connectionId, workspaceId);
    const seatsKey = this.seatsKey(workspaceId);
    const results = await this.run(
      transaction(this.redis.multi().hgetall(seatsKey).hdel(seatsKey, connectionId).zrem(this.expiryKey, seatMember(workspaceId, connectionId))),
    );
    const before = this.parseSeats(results[0] as Record<string, string>);
    if (!before.has(connectionId)) return false;
    const after = new Map(before);
    after.delete(connectionId);
    return signature(before) !== signature(after);
  }

  async present(workspaceId: string): Promise<PresenceEntry[]> {
    return presentOf(this.parseSeats(await this.run(this.redis.hgetall(this.seatsKey(workspaceId)))));
  }

  // ───────────── Locks ─────────────

  async acquire(
    workspaceId: string,
    connectionId: string,
    holder: LockHolder,
    target: string,
    kind: LockKind,
    now: number,
    ttlMs: number,
  ): Promise<AcquireResult> {
    const expiresAt = now + ttlMs;
    const record: LockRecord = { connectionId, kind, holder, expiresAt };
    const [status, detail] = await this.run(
      this.redis.tsunaguLockAcquire(
        this.locksKey(workspaceId),
        this.connKey(connectionId),
        this.expiryKey,
        target,
        connectionId,
        kind,
        JSON.stringify(record),
        now,
        expiresAt,
        this.limits.maxLocksPerConnection,
        connMember(workspaceId, target),
        lockMember(workspaceId, target),
        Math.max(ttlMs, this.seatTtlMs) * 2,
      ),
    );
    if (status === -1) return { ok: false, reason: "limit_exceeded" };
    if (status === 0) return { ok: false, reason: "locked", lock: lockInfo(target, JSON.parse(String(detail)) as LockRecord) };
    return { ok: true, lock: lockInfo(target, record), changed: detail === 1 };
  }

  async release(workspaceId: string, connectionId: string, target: string, now: number): Promise<ReleaseResult> {
    const [status, detail] = await this.run(
      this.redis.tsunaguLockRelease(
        this.locksKey(workspaceId),
        this.connKey(connectionId),
        this.expiryKey,
        target,
        connectionId,
        now,
        connMember(workspaceId, target),
        lockMember(workspaceId, target),
      ),
    );
    if (status === 0) return { ok: false, reason: "locked", lock: lockInfo(target, JSON.parse(String(detail)) as LockRecord) };
    return { ok: true, released: detail === 1 };
  }

  async locks(workspaceId: string, now: number): Promise<LockInfo[]> {
    const all = await this.run(this.redis.hgetall(this.locksKey(workspaceId)));
    return Object.entries(all)
      .map(([target, json]) => lockInfo(target, JSON.parse(json) as LockRecord))
      .filter((lock) => lock.expiresAt > now)
      .sort((a, b) => compare(a.target, b.target));
  }

  async releaseAllIn(workspaceId: string, connectionId: string): Promise<ReleasedLock[]> {
    const targets = await this.run(
      this.redis.tsunaguLockReleaseAllIn(this.locksKey(workspaceId), this.connKey(connectionId), this.expiryKey, connectionId, workspaceId),
    );
    return targets.sort(compare).map((target) => ({ workspaceId, target }));
  }

  // ───────────── Connections and time ─────────────

  async dropConnection(connectionId: string): Promise<DropResult> {
    const seated = [...(this.ownSeats.get(connectionId)?.keys() ?? [])];
    this.ownSeats.delete(connectionId);
    const lockWorkspaces = (await this.run(this.redis.zrange(this.connKey(connectionId), 0, -1))).map((m) => m.split("\n")[0]);
    const result: DropResult = { presenceChanged: [], releasedLocks: [] };
    for (const workspaceId of new Set([...lockWorkspaces, ...seated])) {
      result.releasedLocks.push(...(await this.releaseAllIn(workspaceId, connectionId)));
      if (await this.leave(workspaceId, connectionId)) result.presenceChanged.push(workspaceId);
    }
    await this.run(this.redis.del(this.connKey(connectionId)));
    return result;
  }

  /**
   * Called every second by each instance's hub: refreshes this instance's seats (every third of
   * their TTL), then removes what is due — each item by exactly one instance, which announces it.
   */
  async expire(now: number): Promise<DropResult> {
    const presenceChanged = new Set<string>();
    if (now - this.lastRefresh >= this.seatTtlMs / 3) {
      this.lastRefresh = now;
      for (const workspaceId of await this.refreshOwnSeats(now)) presenceChanged.add(workspaceId);
    }
    const releasedLocks: ReleasedLock[] = [];
    for (;;) {
      const removed = await this.run(this.redis.tsunaguPresenceSweep(this.expiryKey, now, this.prefix, SWEEP_BATCH));
      for (const member of removed) {
        const [kind, workspaceId, id] = member.split("\n");
        if (kind === "L") releasedLocks.push({ workspaceId, target: id });
        else presenceChanged.add(workspaceId);
      }
      if (removed.length < SWEEP_BATCH) break;
    }
    return { presenceChanged: [...presenceChanged], releasedLocks };
  }

  private async refreshOwnSeats(now: number): Promise<string[]> {
    if (this.ownSeats.size === 0) return [];
    const args: string[] = [];
    for (const [connectionId, seats] of this.ownSeats) {
      for (const [workspaceId, seat] of seats) {
        args.push(workspaceId, connectionId, JSON.stringify({ ...seat, expiresAt: now + this.seatTtlMs }));
      }
    }
    return this.run(this.redis.tsunaguSeatsRefresh(this.expiryKey, ...args, this.prefix, this.keyTtlMs()));
  }

  // ───────────── Helpers ─────────────

  private seatsKey(workspaceId: string) {
    return `${this.prefix}:seats:${workspaceId}`;
  }
  private locksKey(workspaceId: string) {
    return `${this.prefix}:locks:${workspaceId}`;
  }
  private connKey(connectionId: string) {
    return `${this.prefix}:conn:${connectionId}`;
  }
  private get expiryKey() {
    return `${this.prefix}:expiry`;
  }
  private keyTtlMs() {
    return this.seatTtlMs * 2;
  }

  private forgetOwnSeat(connectionId: string, workspaceId: string) {
    const own = this.ownSeats.get(connectionId);
    own?.delete(workspaceId);
    if (own && own.size === 0) this.ownSeats.delete(connectionId);
  }

  /** Seats still alive (a dead instance's seats may wait up to a second for the sweep). */
  private parseSeats(hash: Record<string, string>): Map<string, SeatRecord> {
    const now = this.clock();
    const seats = new Map<string, SeatRecord>();
    for (const [connectionId, json] of Object.entries(hash)) {
      const seat = JSON.parse(json) as SeatRecord;
      if (seat.expiresAt > now) seats.set(connectionId, seat);
    }
    return seats;
  }

  /** Redis unreachable is the client's `unavailable`, like a database that does not answer. */
  private async run<T>(pending: Promise<T>): Promise<T> {
    try {
      return await pending;
    } catch (error) {
      throw new AppError("unavailable", "サーバーに接続できません / Presence store unavailable", { cause: String(error) });
    }
  }
}

const SWEEP_BATCH = 200;

/** MULTI … EXEC: the replies in order, or the first error. */
async function transaction(multi: ChainableCommander): Promise<unknown[]> {
  const replies = await multi.exec();
  if (!replies) throw new Error("Redis transaction aborted");
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

function seatMember(workspaceId: string, connectionId: string) {
  return `S\n${workspaceId}\n${connectionId}`;
}
function lockMember(workspaceId: string, target: string) {
  return `L\n${workspaceId}\n${target}`;
}
function connMember(workspaceId: string, target: string) {
  return `${workspaceId}\n${target}`;
}

function lockInfo(target: string, record: LockRecord): LockInfo {
  return { target, kind: record.kind, holder: record.holder, expiresAt: record.expiresAt };
}

/** One entry per person and board, sorted — the same list as PresenceState.present. */
function presentOf(seats: Map<string, SeatRecord>): PresenceEntry[] {
  const seen = new Map<string, PresenceEntry>();
  for (const { member, board } of seats.values()) {
    const key = `${member.userId}\u0000${board}`;
    if (!seen.has(key)) seen.set(key, { ...member, board });
  }
  return [...seen.values()].sort(
    (a, b) => compare(a.board, b.board) || compare(a.displayName, b.displayName) || compare(a.userId, b.userId),
  );
}

function signature(seats: Map<string, SeatRecord>): string {
  return JSON.stringify(presentOf(seats));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
