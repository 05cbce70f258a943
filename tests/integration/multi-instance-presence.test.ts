import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { LockKind } from "../../app/lib/realtime/events.ts";
import { rng } from "../../server/realtime/collab/testing.ts";
import type { PresenceMember } from "../../server/realtime/presence/presence-state.ts";
import { RedisPresenceStore } from "../../server/realtime/presence/redis-store.ts";
import { InMemoryPresenceStore, type PresenceStore } from "../../server/realtime/presence/store.ts";
import { redisAvailable, TEST_REDIS_URL } from "../setup/redis.ts";

const hasRedis = await redisAvailable();

const member = (userId: string): PresenceMember => ({ userId, displayName: userId.toUpperCase(), organizationName: "社協", colour: "#0b5e55" });
const TTL = 30_000;

/**
 * The Redis store must answer exactly like the in-memory one (the reference, over the pure
 * PresenceState): the same random operations, with time moving and the sweep running after each
 * move as the hub does, must produce the same transcript.
 */
async function transcript(store: PresenceStore, seed: number, clock: { now: number }): Promise<unknown[]> {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const conns = ["c1", "c2", "c3"];
  const users: Record<string, PresenceMember> = { c1: member("ann"), c2: member("bob"), c3: member("ann") };
  const workspaces = ["w1", "w2"];
  const targets = ["match:1", "match:2", "task:1"];
  const kinds: LockKind[] = ["dragging", "editing"];
  const out: unknown[] = [];
  for (let step = 0; step < 300; step++) {
    const conn = pick(conns);
    const ws = pick(workspaces);
    const op = random();
    if (op < 0.2) out.push(["join", await store.join(ws, conn, users[conn], pick(["kanban", "map"]))]);
    else if (op < 0.3) out.push(["leave", await store.leave(ws, conn)]);
    else if (op < 0.55) out.push(["acquire", await store.acquire(ws, conn, users[conn], pick(targets), pick(kinds), clock.now, TTL)]);
    else if (op < 0.65) out.push(["release", await store.release(ws, conn, pick(targets), clock.now)]);
    else if (op < 0.7) out.push(["releaseAllIn", sortBy(await store.releaseAllIn(ws, conn))]);
    else if (op < 0.75) {
      const dropped = await store.dropConnection(conn);
      out.push(["drop", [...dropped.presenceChanged].sort(), sortBy(dropped.releasedLocks)]);
    } else if (op < 0.9) {
      clock.now += Math.floor(random() * 20_000);
      const expired = await store.expire(clock.now);
      out.push(["expire", expired.presenceChanged, sortBy(expired.releasedLocks)]);
    }
    out.push(["state", ws, await store.present(ws), await store.locks(ws, clock.now)]);
  }
  return out;
}

function sortBy(locks: Array<{ workspaceId: string; target: string }>) {
  return [...locks].sort((a, b) => `${a.workspaceId} ${a.target}`.localeCompare(`${b.workspaceId} ${b.target}`));
}

describe.skipIf(!hasRedis)("RedisPresenceStore (multi-instance presence and soft locks)", () => {
  const prefix = `test:${randomUUID()}:presence`;
  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    return redis;
  };
  let run = 0;
  /** Two instances' stores on one prefix (each with its own connection, like two processes). */
  const pair = (clock: { now: number }, seatTtlMs = 30_000) => {
    const p = `${prefix}:${run++}`;
    return [
      new RedisPresenceStore({ redis: client(), prefix: p, clock: () => clock.now, seatTtlMs, limits: { maxLocksPerConnection: 2 } }),
      new RedisPresenceStore({ redis: client(), prefix: p, clock: () => clock.now, seatTtlMs, limits: { maxLocksPerConnection: 2 } }),
    ] as const;
  };

  afterAll(async () => {
    const redis = client();
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    if (keys.length > 0) await redis.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it("answers like the in-memory store over random operations (three seeds)", async () => {
    for (const seed of [1, 2, 3]) {
      const reference = await transcript(new InMemoryPresenceStore({ maxLocksPerConnection: 2 }), seed, { now: 1_000_000 });
      const clock = { now: 1_000_000 };
      const [redis] = pair(clock);
      const actual = await transcript(redis, seed, clock);
      expect(actual).toEqual(reference);
    }
  });

  it("a lock taken through one instance is refused through another, and released by compare-and-delete", async () => {
    const clock = { now: 5_000_000 };
    const [a, b] = pair(clock);
    expect(await a.acquire("w1", "a-sock", member("ann"), "match:1", "dragging", clock.now, TTL)).toMatchObject({ ok: true, changed: true });
    const refused = await b.acquire("w1", "b-sock", member("bob"), "match:1", "editing", clock.now, TTL);
    expect(refused).toMatchObject({ ok: false, reason: "locked", lock: { holder: { userId: "ann" }, kind: "dragging" } });
    // Bob cannot release Ann's lock; Ann can, from her instance.
    expect(await b.release("w1", "b-sock", "match:1", clock.now)).toMatchObject({ ok: false, reason: "locked" });
    expect(await a.release("w1", "a-sock", "match:1", clock.now)).toEqual({ ok: true, released: true });
    expect(await b.acquire("w1", "b-sock", member("bob"), "match:1", "editing", clock.now, TTL)).toMatchObject({ ok: true });
  });

  it("concurrent acquisitions of one lock from two instances: exactly one wins", async () => {
    const clock = { now: 7_000_000 };
    const [a, b] = pair(clock);
    for (let i = 0; i < 20; i++) {
      const target = `match:${i}`;
      const results = await Promise.all([
        a.acquire("w1", "a-sock", member("ann"), target, "dragging", clock.now, TTL),
        b.acquire("w1", "b-sock", member("bob"), target, "dragging", clock.now, TTL),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      await a.release("w1", "a-sock", target, clock.now);
      await b.release("w1", "b-sock", target, clock.now);
    }
  });

  it("an expired lock is announced once, by whichever instance sweeps first", async () => {
    const clock = { now: 9_000_000 };
    const [a, b] = pair(clock);
    await a.acquire("w1", "a-sock", member("ann"), "match:1", "dragging", clock.now, TTL);
    clock.now += TTL;
    const [fromA, fromB] = await Promise.all([a.expire(clock.now), b.expire(clock.now)]);
    expect([...fromA.releasedLocks, ...fromB.releasedLocks]).toEqual([{ workspaceId: "w1", target: "match:1" }]);
  });

  it("the seats of an instance that died go within a seat TTL; a live instance keeps its own", async () => {
    const clock = { now: 11_000_000 };
    const seatTtlMs = 3_000;
    const [dead, alive] = pair(clock, seatTtlMs);
    await dead.join("w1", "dead-sock", member("ann"), "kanban");
    await alive.join("w1", "alive-sock", member("bob"), "kanban");
    expect((await alive.present("w1")).map((p) => p.userId)).toEqual(["ann", "bob"]);

    // Only the live instance runs its sweep (every second, as the hub does); the dead one is silent.
    let changed: string[] = [];
    for (let t = 0; t < seatTtlMs + 1_000; t += 1_000) {
      clock.now += 1_000;
      const result = await alive.expire(clock.now);
      changed = changed.concat(result.presenceChanged);
    }
    expect(changed).toEqual(["w1"]);
    expect((await alive.present("w1")).map((p) => p.userId)).toEqual(["bob"]);
  });

  it("every key carries an expiry, so nothing stays behind when all instances are gone", async () => {
    const clock = { now: Date.now() };
    const [a] = pair(clock);
    await a.join("w9", "x-sock", member("ann"), "kanban");
    await a.acquire("w9", "x-sock", member("ann"), "match:9", "editing", clock.now, TTL);
    const redis = client();
    const keys = await redis.keys(`${prefix}:${run - 1}:*`);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) expect(await redis.pttl(key), key).toBeGreaterThan(0);
  });
});
