import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRateLimitStore, type Rate, type RateDecision } from "../../server/http/rate-limit.ts";
import { RedisRateLimitStore } from "../../server/http/redis-rate-limit.ts";
import { createLogger } from "../../server/logger.ts";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";
import { freePort, ServerProcess, startInstancePair } from "../setup/server-process.ts";
import { redisAvailable, TEST_REDIS_URL } from "../setup/redis.ts";

const hasRedis = await redisAvailable();
const logger = createLogger("silent");

/** A small deterministic PRNG, so that a failure can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe.skipIf(!hasRedis)("rate-limit buckets in Redis (multi-instance mode)", () => {
  const prefix = `test-ratelimit-${randomUUID()}`;
  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis(TEST_REDIS_URL);
    clients.push(redis);
    return redis;
  };

  afterAll(async () => {
    const redis = client();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it("answers exactly as the in-memory token bucket, hit by hit (3,000 random hits and peeks)", async () => {
    const redisStore = new RedisRateLimitStore({ redis: client(), prefix: `${prefix}:contract`, logger });
    const memory = new MemoryRateLimitStore();
    const random = rng(20261204);
    const rates: Rate[] = [
      { limit: 3, windowMs: 1_000 },
      { limit: 10, windowMs: 60_000 },
      { limit: 7, windowMs: 333 },
    ];
    let now = 1_800_000_000_000;
    const mismatches: string[] = [];
    let refused = 0;
    for (let i = 0; i < 3_000; i++) {
      const key = `k${Math.floor(random() * 4)}`;
      const rate = rates[Math.floor(random() * rates.length)];
      // Mostly forward, sometimes a clock that steps back a little (another instance's clock).
      now += random() < 0.1 ? -Math.floor(random() * 50) : Math.floor(random() * 400);
      const cost = random() < 0.2 ? 2 : 1;
      const op = random() < 0.25 ? "peek" : "hit";
      const fromRedis: RateDecision = await redisStore[op](`${key}:${rate.limit}`, rate, now, cost);
      const fromMemory: RateDecision = await memory[op](`${key}:${rate.limit}`, rate, now, cost);
      if (!fromMemory.allowed) refused++;
      if (JSON.stringify(fromRedis) !== JSON.stringify(fromMemory)) {
        mismatches.push(`#${i} ${op} ${key} ${JSON.stringify(rate)} now=${now}: redis ${JSON.stringify(fromRedis)} memory ${JSON.stringify(fromMemory)}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The sequence exercised both answers.
    expect(refused).toBeGreaterThan(100);
    expect(refused).toBeLessThan(2_900);
  });

  it("shares one bucket between instances: 12 hits through two stores on a 10/1m limit → 10 allowed", async () => {
    const a = new RedisRateLimitStore({ redis: client(), prefix: `${prefix}:shared`, logger });
    const b = new RedisRateLimitStore({ redis: client(), prefix: `${prefix}:shared`, logger });
    const rate = { limit: 10, windowMs: 60_000 };
    const now = Date.now();
    const decisions = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).hit("loginIp:203.0.113.9", rate, now + i)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    const refusedOne = decisions.find((d) => !d.allowed)!;
    expect(refusedOne.retryAfterMs).toBeGreaterThan(0);
    expect(refusedOne.retryAfterMs).toBeLessThanOrEqual(6_000);
  });

  it("lets a bucket's key expire once it would be full again", async () => {
    const redis = client();
    const store = new RedisRateLimitStore({ redis, prefix: `${prefix}:expiry`, logger });
    await store.hit("writeUser:u1", { limit: 4, windowMs: 2_000 }, Date.now(), 2);
    const ttl = await redis.pttl(`${prefix}:expiry:writeUser:u1`);
    // 2 tokens missing at 2 per second: full in 1 s, plus a second of slack.
    expect(ttl).toBeGreaterThan(1_500);
    expect(ttl).toBeLessThanOrEqual(2_000);
    // A peek writes nothing.
    await store.peek("writeUser:u2", { limit: 4, windowMs: 2_000 }, Date.now());
    expect(await redis.exists(`${prefix}:expiry:writeUser:u2`)).toBe(0);
  });

  it("still limits, in this instance's memory, while Redis does not answer, and says so once", async () => {
    const unreachable = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    unreachable.on("error", () => {});
    await unreachable.connect().catch(() => {});
    const logged: string[] = [];
    const capture = createLogger("silent");
    capture.error = ((_: unknown, message: string) => void logged.push(message)) as typeof capture.error;
    const store = new RedisRateLimitStore({ redis: unreachable, prefix: `${prefix}:down`, logger: capture });
    const rate = { limit: 2, windowMs: 60_000 };
    const started = performance.now();
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await store.hit("loginAccount:a@example.jp", rate, Date.now()));
    expect(performance.now() - started).toBeLessThan(500); // answered at once, not after retries
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false, false]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/Redis does not answer/);
    unreachable.disconnect();
  });
});

describe.skipIf(!hasRedis)("two server instances share the login limit through Redis", () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await startInstancePair(database, { RATE_LIMIT_LOGIN_IP: "4/1m" });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  async function failedLogin(instance: ServerProcess, n: number) {
    const response = await fetch(`${instance.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // A different unknown account each time: only the per-address limit counts them together.
      body: JSON.stringify({ email: `nobody-${n}@example.jp`, password: "wrong password 123" }),
    });
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
  }

  it("refuses the fifth attempt from one address although each instance saw fewer than five", async () => {
    const answers = [await failedLogin(a, 1), await failedLogin(b, 2), await failedLogin(a, 3), await failedLogin(b, 4)];
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    // A has seen 2 attempts, B 2: alone, each would allow 2 more.
    const fifth = await failedLogin(a, 5);
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe("rate_limited");
    expect(Number(fifth.retryAfter)).toBeGreaterThanOrEqual(1);
    const sixth = await failedLogin(b, 6);
    expect(sixth.status).toBe(429);
  });
});
