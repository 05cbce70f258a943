import { afterAll, describe, expect, it } from "vitest";
import { createRedisClusterBus, type ClusterBus } from "../../server/cluster/cluster-bus.ts";
import { redisAvailable, TEST_REDIS_URL } from "../setup/redis.ts";

const hasRedis = await redisAvailable();

describe.skipIf(!hasRedis)("cluster bus over Redis", () => {
  const buses: ClusterBus[] = [];
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
  });

  it("delivers binary payloads to other instances, never back to the sender", async () => {
    const channel = `test:${Date.now()}:${Math.random()}`;
    const a = await createRedisClusterBus(TEST_REDIS_URL, () => {});
    const b = await createRedisClusterBus(TEST_REDIS_URL, () => {});
    buses.push(a, b);
    const seenByA: Buffer[] = [];
    const seenByB: Buffer[] = [];
    await a.subscribe(channel, (p) => seenByA.push(p));
    await b.subscribe(channel, (p) => seenByB.push(p));
    const payload = Buffer.from([0, 1, 2, 255, 254]);
    await a.publish(channel, payload);
    for (let i = 0; i < 50 && seenByB.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seenByB).toHaveLength(1);
    expect(seenByB[0].equals(payload)).toBe(true);
    expect(seenByA).toHaveLength(0);
  });

  it("stops delivering after unsubscribe", async () => {
    const channel = `test:${Date.now()}:${Math.random()}`;
    const a = await createRedisClusterBus(TEST_REDIS_URL, () => {});
    const b = await createRedisClusterBus(TEST_REDIS_URL, () => {});
    buses.push(a, b);
    const seen: Buffer[] = [];
    const unsubscribe = await b.subscribe(channel, (p) => seen.push(p));
    await unsubscribe();
    await a.publish(channel, Buffer.from("x"));
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toHaveLength(0);
  });
});
