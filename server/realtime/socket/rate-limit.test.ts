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
