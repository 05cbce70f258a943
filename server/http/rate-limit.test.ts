import { describe, expect, it } from "vitest";
import {
  addressKey,
  clientAddress,
  consume,
  DEFAULT_RATE_LIMITS,
  MemoryRateLimitStore,
  parseRate,
  RateLimiter,
  rateLimitsFromEnv,
  retryAfterSeconds,
  trustedProxies,
  type BucketState,
  type Rate,
} from "./rate-limit.ts";

describe("consume (token bucket)", () => {
  const rate: Rate = { limit: 3, windowMs: 3_000 }; // burst 3, one token a second
  const cases: Array<{ name: string; hits: Array<[at: number, allowed: boolean, retryAfterMs?: number]> }> = [
    { name: "a burst up to the limit passes, the next waits for one token", hits: [[0, true], [0, true], [0, true], [0, false, 1_000]] },
    { name: "tokens come back continuously", hits: [[0, true], [0, true], [0, true], [400, false, 600], [1_000, true], [1_000, false, 1_000]] },
    { name: "refill stops at the limit", hits: [[0, true], [60_000, true], [60_000, true], [60_000, true], [60_000, false]] },
    { name: "refused hits take nothing (hammering does not push recovery away)", hits: [[0, true], [0, true], [0, true], [100, false], [200, false], [900, false, 100], [1_000, true]] },
    { name: "a clock that steps back mints nothing", hits: [[10_000, true], [10_000, true], [10_000, true], [0, false], [10_999, false], [11_000, true]] },
  ];
  it.each(cases)("$name", ({ hits }) => {
    let state: BucketState | undefined;
    hits.forEach(([at, allowed, retry], i) => {
      const result = consume(state, rate, at);
      state = result.state;
      expect(result.decision.allowed, `hit #${i} at ${at}`).toBe(allowed);
      if (retry !== undefined) expect(result.decision.retryAfterMs, `retry after, hit #${i}`).toBe(retry);
    });
  });

  it("a cost larger than one waits for all its tokens", () => {
    const first = consume(undefined, rate, 0, 3);
    expect(first.decision).toMatchObject({ allowed: true, remaining: 0 });
    expect(consume(first.state, rate, 1_500, 2).decision).toMatchObject({ allowed: false, retryAfterMs: 500 });
  });
});

describe("MemoryRateLimitStore", () => {
  it("keeps keys apart, prunes full buckets, and stays under maxKeys", async () => {
    const store = new MemoryRateLimitStore(10);
    const rate = { limit: 1, windowMs: 1_000 };
    expect((await store.hit("a", rate, 0)).allowed).toBe(true);
    expect((await store.hit("a", rate, 0)).allowed).toBe(false);
    expect((await store.hit("b", rate, 0)).allowed).toBe(true);
    store.prune(500);
    expect(store.size).toBe(2);
    store.prune(1_000);
    expect(store.size).toBe(0);
    for (let i = 0; i < 50; i++) await store.hit(`spray-${i}`, rate, 0);
    expect(store.size).toBeLessThanOrEqual(10);
  });
});

describe("parseRate", () => {
  it.each([
    ["10/1m", { limit: 10, windowMs: 60_000 }],
    ["40/2s", { limit: 40, windowMs: 2_000 }],
    ["600/h", { limit: 600, windowMs: 3_600_000 }],
    [" 5/250ms ", { limit: 5, windowMs: 250 }],
    ["off", null],
  ])("%s", (text, expected) => expect(parseRate(text)).toEqual(expected));

  it.each(["", "10", "10/", "ten/1m", "10/1d", "0/1m", "10/0s", "-1/1m"])("refuses %j", (text) => {
    expect(() => parseRate(text)).toThrow(/not a rate/);
  });
});

describe("rateLimitsFromEnv", () => {
  it("uses the defaults in production, and a set variable wins", () => {
    const config = rateLimitsFromEnv({ NODE_ENV: "production", RATE_LIMIT_LOGIN_IP: "3/1m", RATE_LIMIT_API_IP: "off" });
    expect(config.loginIp).toEqual({ limit: 3, windowMs: 60_000 });
    expect(config.apiIp).toBeNull();
    expect(config.loginAccount).toEqual(parseRate(DEFAULT_RATE_LIMITS.loginAccount));
    expect(config.socketIp).toEqual({ limit: 300, windowMs: 2_000 });
  });

  it("under NODE_ENV=test only the pre-existing socket limits are on unless set", () => {
    const config = rateLimitsFromEnv({ NODE_ENV: "test", RATE_LIMIT_WRITE_USER: "2/1s" });
    expect(config.writeUser).toEqual({ limit: 2, windowMs: 1_000 });
    expect([config.loginIp, config.loginAccount, config.apiIp, config.writeIp, config.socketIp]).toEqual([null, null, null, null, null]);
    expect(config.socket).toEqual({ limit: 40, windowMs: 2_000 });
    expect(config.socketUser).toEqual({ limit: 120, windowMs: 2_000 });
  });
});

describe("RateLimiter", () => {
  it("answers null while allowed, the wait when refused, and never limits what is off", async () => {
    let now = 0;
    const limiter = new RateLimiter(
      { ...rateLimitsFromEnv({ NODE_ENV: "test" }), loginIp: { limit: 2, windowMs: 10_000 } },
      new MemoryRateLimitStore(),
      () => now,
    );
    expect(await limiter.check("loginIp", "1.2.3.4")).toBeNull();
    expect(await limiter.check("loginIp", "1.2.3.4")).toBeNull();
    expect(await limiter.check("loginIp", "1.2.3.4")).toEqual({ retryAfterMs: 5_000 });
    expect(await limiter.check("loginIp", "5.6.7.8")).toBeNull();
    now = 5_000;
    expect(await limiter.check("loginIp", "1.2.3.4")).toBeNull();
    for (let i = 0; i < 100; i++) expect(await limiter.check("apiIp", "1.2.3.4")).toBeNull();
  });

  it("peek looks without taking: only failures spend, and an empty bucket is seen before trying", async () => {
    let now = 0;
    const limiter = new RateLimiter(
      { ...rateLimitsFromEnv({ NODE_ENV: "test" }), checkInIp: { limit: 2, windowMs: 60_000 } },
      new MemoryRateLimitStore(),
      () => now,
    );
    for (let i = 0; i < 10; i++) expect(await limiter.peek("checkInIp", "1.2.3.4")).toBeNull();
    expect(await limiter.check("checkInIp", "1.2.3.4")).toBeNull();
    expect(await limiter.check("checkInIp", "1.2.3.4")).toBeNull();
    expect(await limiter.peek("checkInIp", "1.2.3.4")).toEqual({ retryAfterMs: 30_000 });
    expect(await limiter.peek("checkInIp", "5.6.7.8")).toBeNull();
    now = 30_000;
    expect(await limiter.peek("checkInIp", "1.2.3.4")).toBeNull();
    expect(await limiter.peek("checkInCode", "ABCDEF")).toBeNull(); // off under NODE_ENV=test unless set
  });

  it("rounds Retry-After up to whole seconds, at least one", () => {
    expect([retryAfterSeconds(1), retryAfterSeconds(1_000), retryAfterSeconds(1_001), retryAfterSeconds(0)]).toEqual([1, 1, 2, 1]);
  });
});

describe("client addresses", () => {
  it.each([
    ["a direct client", "203.0.113.9", undefined, "203.0.113.9"],
    ["a direct client cannot forge X-Forwarded-For", "203.0.113.9", "198.51.100.1", "203.0.113.9"],
    ["behind a local proxy: the proxy's client", "127.0.0.1", "198.51.100.1", "198.51.100.1"],
    ["behind a local proxy: the rightmost hop that is not loopback", "::1", "10.9.9.9, 198.51.100.1, 127.0.0.1", "198.51.100.1"],
    ["IPv4-mapped IPv6", "::ffff:127.0.0.1", "::ffff:198.51.100.7", "198.51.100.7"],
    ["loopback without a header", "::ffff:127.0.0.1", undefined, "127.0.0.1"],
  ])("%s", (_name, remote, forwarded, expected) => {
    expect(clientAddress(remote, forwarded)).toBe(expected);
  });

  it("trusts the proxies TRUST_PROXY names, with express's syntax", () => {
    const trusted = trustedProxies("loopback, 10.0.0.0/8, 2001:db8::/32");
    expect(["127.0.0.1", "::1", "::ffff:127.0.0.5", "10.1.2.3", "2001:db8:ffff::1"].map(trusted)).toEqual([true, true, true, true, true]);
    expect(["11.0.0.1", "2001:db9::1", "", "garbage"].map(trusted)).toEqual([false, false, false, false]);
    expect(clientAddress("10.0.0.11", "198.51.100.1, 10.0.0.2", trusted)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.11", "198.51.100.1")).toBe("10.0.0.11"); // loopback only by default
    expect(trustedProxies("uniquelocal")("192.168.1.1")).toBe(true);
    expect(() => trustedProxies("10.0.0.0/99")).toThrow(/TRUST_PROXY/);
    expect(() => trustedProxies("proxy.example")).toThrow(/TRUST_PROXY/);
  });

  it.each([
    ["198.51.100.7", "198.51.100.7"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("keys %s as %s", (address, key) => expect(addressKey(address)).toBe(key));
});
