import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { MemoryRateLimitStore, type Rate, type RateDecision, type RateLimitStore } from "./rate-limit.ts";

/**
 * Rate-limit buckets in Redis, shared by every instance (multi-instance mode; decision 071): the
 * same token bucket as `consume` in rate-limit.ts, computed by one Lua script per hit so that two
 * instances never both spend the last token. The answers are the pure function's, bit for bit
 * (the state is stored with 17 significant digits; the contract test compares the two).
 *
 *   {prefix}:<limit>:<key>   hash  tokens, at   (expires when the bucket would be full again)
 *
 * The caller's clock is used, as in memory: instances' clocks differ by milliseconds, and a clock
 * that steps back mints nothing.
 *
 * When Redis does not answer, the hit is counted in this instance's memory instead: the limits
 * then apply per instance (as before this store) rather than failing every login or every
 * request — the error is logged once per outage.
 */
const CONSUME = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local take = ARGV[5] == '1'
local perMs = limit / window
local tokens = limit
local at = now
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if state[1] and state[2] then
  tokens = math.min(limit, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * perMs)
  at = math.max(tonumber(state[2]), now)
end
local allowed = tokens >= cost
local left = tokens
local retry = 0
if allowed then left = tokens - cost else retry = math.max(1, math.ceil((cost - tokens) / perMs)) end
if take then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', left), 'at', string.format('%.17g', at))
  redis.call('PEXPIRE', KEYS[1], math.ceil((limit - left) / perMs) + 1000)
end
return {allowed and 1 or 0, string.format('%.17g', left), retry}
`;

type ConsumeReply = [number, string, number];

const LOST = new Set(["reconnecting", "close", "end"]);

interface RateLimitRedis extends Redis {
  tsunaguRateConsume(key: string, limit: number, windowMs: number, now: number, cost: number, take: 0 | 1): Promise<ConsumeReply>;
}

export interface RedisRateLimitStoreOptions {
  redis: Redis;
  /** Key prefix, e.g. "tsunagu:ratelimit". */
  prefix: string;
  logger: Logger;
  /** Where hits go while Redis does not answer. @default a new MemoryRateLimitStore */
  fallback?: MemoryRateLimitStore;
}

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: RateLimitRedis;
  readonly fallback: MemoryRateLimitStore;
  private failing = false;

  constructor(private readonly options: RedisRateLimitStoreOptions) {
    // defineCommand is idempotent per client; ioredis sends EVALSHA and falls back to EVAL.
    options.redis.defineCommand("tsunaguRateConsume", { numberOfKeys: 1, lua: CONSUME });
    this.redis = options.redis as RateLimitRedis;
    this.fallback = options.fallback ?? new MemoryRateLimitStore();
  }

  hit(key: string, rate: Rate, now: number, cost = 1): Promise<RateDecision> {
    return this.run(key, rate, now, cost, true);
  }

  peek(key: string, rate: Rate, now: number, cost = 1): Promise<RateDecision> {
    return this.run(key, rate, now, cost, false);
  }

  /** Drops the full buckets of the fallback (Redis expires its own keys). */
  prune(now: number): void {
    this.fallback.prune(now);
  }

  private async run(key: string, rate: Rate, now: number, cost: number, take: boolean): Promise<RateDecision> {
    // A Redis that was lost would hold the command until it is back: answer from memory at once.
    // (A first connection still being made is waited for: the server connects before it listens.)
    if (LOST.has(this.redis.status)) return this.local(key, rate, now, cost, take, new Error(`Redis is ${this.redis.status}`));
    try {
      const [allowed, left, retryAfterMs] = await this.redis.tsunaguRateConsume(`${this.options.prefix}:${key}`, rate.limit, rate.windowMs, now, cost, take ? 1 : 0);
      if (this.failing) this.options.logger.warn("rate limits: Redis answers again; limits are shared by every instance");
      this.failing = false;
      return { allowed: allowed === 1, remaining: Math.floor(Number(left)), retryAfterMs: Number(retryAfterMs) };
    } catch (error) {
      return this.local(key, rate, now, cost, take, error);
    }
  }

  private local(key: string, rate: Rate, now: number, cost: number, take: boolean, error: unknown): Promise<RateDecision> {
    if (!this.failing) this.options.logger.error({ err: error }, "rate limits: Redis does not answer; counting in this instance only until it does");
    this.failing = true;
    return take ? this.fallback.hit(key, rate, now, cost) : this.fallback.peek(key, rate, now, cost);
  }
}
