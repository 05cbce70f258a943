import { describe, expect, it } from "vitest";
import { LiveRateLimiter, TokenBuckets } from "./rate-limit.ts";

describe("TokenBuckets", () => {
  const cases: Array<{ name: string; takes: Array<[at: number, expected: boolean]> }> = [
    { name: "a burst up to the capacity passes", takes: [[0, true], [0, true], [0, true], [0, false]] },
    {
      name: "tokens come back at the refill rate (2/s → one per 500 ms)",
      takes: [[0, true], [0, true], [0, true], [0, false], [499, false], [500, true], [500, false], [1000, true]],
    },
    { name: "refill stops at the capacity", takes: [[0, true], [60_000, true], [60_000, true], [60_000, true], [60_000, false]] },
    {
      name: "a clock that steps back mints nothing",
      takes: [[10_000, true], [10_000, true], [10_000, true], [0, false], [9_000, false], [10_500, true]],
    },
  ];
  it.each(cases)("$name", ({ takes }) => {
    const buckets = new TokenBuckets({ capacity: 3, refillPerSecond: 2 });
    takes.forEach(([at, expected], i) => expect(buckets.take("k", at), `take #${i} at ${at}`).toBe(expected));
  });

  it("keys are independent, and full buckets are pruned", () => {
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 1 });
    expect(buckets.take("a", 0)).toBe(true);
    expect(buckets.take("a", 0)).toBe(false);
    expect(buckets.take("b", 0)).toBe(true);
    buckets.prune(500);
    expect(buckets.size).toBe(2);
    buckets.prune(1_000);
    expect(buckets.size).toBe(0);
  });
});

describe("LiveRateLimiter", () => {
  it("limits per socket and per user", () => {
    const limiter = new LiveRateLimiter({
      perSocket: { capacity: 2, refillPerSecond: 1 },
      perUser: { capacity: 3, refillPerSecond: 1 },
    });
    expect([limiter.allow("s1", "u", 0), limiter.allow("s1", "u", 0), limiter.allow("s1", "u", 0)]).toEqual([true, true, false]);
    // The user has one token left: a second socket of the same user gets one event, not two.
    expect([limiter.allow("s2", "u", 0), limiter.allow("s2", "u", 0)]).toEqual([true, false]);
    // Another user is unaffected.
    expect(limiter.allow("s3", "v", 0)).toBe(true);
  });

  it("a socket refused by its own bucket does not drain its user's", () => {
    const limiter = new LiveRateLimiter({
      perSocket: { capacity: 1, refillPerSecond: 0.001 },
      perUser: { capacity: 2, refillPerSecond: 0.001 },
    });
    expect(limiter.allow("flood", "u", 0)).toBe(true);
    for (let i = 0; i < 100; i++) expect(limiter.allow("flood", "u", 0)).toBe(false);
    expect(limiter.allow("calm", "u", 0)).toBe(true);
  });
});

describe("LiveRateLimiter per client address", () => {
  it("limits one address across users and sockets; other addresses and unlimited levels are untouched", () => {
    const limiter = new LiveRateLimiter({
      perSocket: null,
      perUser: { capacity: 100, refillPerSecond: 1 },
      perIp: { capacity: 3, refillPerSecond: 1 },
    });
    const answers = ["u1", "u2", "u3", "u4"].map((user, i) => limiter.allow(`s${i}`, user, 0, "203.0.113.9"));
    expect(answers).toEqual([true, true, true, false]);
    expect(limiter.allow("s9", "u9", 0, "198.51.100.1")).toBe(true);
    expect(limiter.allow("s0", "u1", 1_000, "203.0.113.9")).toBe(true);
  });

  it("liveRateLimits turns the settings into buckets (null = off)", async () => {
    const { liveRateLimits } = await import("./rate-limit.ts");
    expect(
      liveRateLimits({ socket: { limit: 40, windowMs: 2_000 }, socketUser: null, socketIp: { limit: 300, windowMs: 2_000 } }),
    ).toEqual({ perSocket: { capacity: 40, refillPerSecond: 20 }, perUser: null, perIp: { capacity: 300, refillPerSecond: 150 } });
  });
});

describe("LiveRateLimiter strikes", () => {
  it("a socket that keeps flooding after refusals is cut off; one that backs off is not", () => {
    const limiter = new LiveRateLimiter({ perSocket: { capacity: 2, refillPerSecond: 1 }, perUser: null });
    // Five bursts' worth of refusals (10) are tolerated, the 11th is not.
    const strikes = Array.from({ length: 11 }, () => limiter.strike("flood", 0));
    expect(strikes.slice(0, 10).every(Boolean)).toBe(true);
    expect(strikes[10]).toBe(false);
    // Forgiven at the sustained rate: a client that slows down is fine again.
    expect(limiter.strike("flood", 1_000)).toBe(true);
    expect(limiter.strike("calm", 0)).toBe(true);
  });
});
