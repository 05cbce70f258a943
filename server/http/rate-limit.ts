import { isIP } from "node:net";

/**
 * Rate limits for HTTP (docs/decisions/026-rate-limits.md): a pure token bucket, a store
 * interface with an in-memory implementation, the named limits the server applies, and the
 * client-address helpers the HTTP and Socket.IO transports share.
 *
 * A limit `N per window` is a bucket of N tokens that refills N tokens per window, continuously:
 * a client may spend N at once, then goes on at the sustained rate (unlike a fixed window, a
 * client cannot double its rate around a window boundary).
 */
export interface Rate {
  /** Burst size, and tokens refilled per window. */
  limit: number;
  windowMs: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was last computed (epoch ms). */
  at: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Tokens left after this hit. */
  remaining: number;
  /** When refused: how long until `cost` tokens are there again (≥ 1 ms). 0 when allowed. */
  retryAfterMs: number;
}

/**
 * Pure: the bucket after trying to take `cost` tokens at `now`. A refused hit takes nothing, so a
 * client that keeps hammering is refused without pushing its own recovery further away. A clock
 * that steps back mints nothing.
 */
export function consume(
  state: BucketState | undefined,
  rate: Rate,
  now: number,
  cost = 1,
): { state: BucketState; decision: RateDecision } {
  const perMs = rate.limit / rate.windowMs;
  let tokens = rate.limit;
  let at = now;
  if (state) {
    const elapsed = Math.max(0, now - state.at);
    tokens = Math.min(rate.limit, state.tokens + elapsed * perMs);
    at = Math.max(state.at, now);
  }
  if (tokens >= cost) {
    return { state: { tokens: tokens - cost, at }, decision: { allowed: true, remaining: Math.floor(tokens - cost), retryAfterMs: 0 } };
  }
  const retryAfterMs = Math.max(1, Math.ceil((cost - tokens) / perMs));
  return { state: { tokens, at }, decision: { allowed: false, remaining: Math.floor(tokens), retryAfterMs } };
}

/** True when the bucket has refilled completely: it carries no information and can go. */
export function isFull(state: BucketState, rate: Rate, now: number): boolean {
  return state.tokens + Math.max(0, now - state.at) * (rate.limit / rate.windowMs) >= rate.limit;
}

/**
 * Where buckets live. Asynchronous so that a shared store (Redis, for limits across instances)
 * can implement it; the in-memory one answers at once.
 */
export interface RateLimitStore {
  hit(key: string, rate: Rate, now: number, cost?: number): Promise<RateDecision>;
  /** Whether `cost` tokens are there, taking none (limits that count only failures look first). */
  peek(key: string, rate: Rate, now: number, cost?: number): Promise<RateDecision>;
  /** Forgets full buckets kept in this process (called every minute). */
  prune?(now: number): void;
}

/**
 * Buckets in a Map. Memory is bounded: full buckets are pruned, and past `maxKeys` the oldest
 * keys go first (forgetting a key only gives that client a fresh bucket).
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { state: BucketState; rate: Rate }>();

  constructor(private readonly maxKeys = 100_000) {}

  async hit(key: string, rate: Rate, now: number, cost = 1): Promise<RateDecision> {
    return this.hitSync(key, rate, now, cost);
  }

  async peek(key: string, rate: Rate, now: number, cost = 1): Promise<RateDecision> {
    return consume(this.buckets.get(key)?.state, rate, now, cost).decision;
  }

  hitSync(key: string, rate: Rate, now: number, cost = 1): RateDecision {
    const entry = this.buckets.get(key);
    const { state, decision } = consume(entry?.state, rate, now, cost);
    if (entry) {
      entry.state = state;
    } else {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      this.buckets.set(key, { state, rate });
    }
    return decision;
  }

  prune(now: number): void {
    for (const [key, { state, rate }] of this.buckets) if (isFull(state, rate, now)) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number) {
    this.prune(now);
    // Still full of active clients (a spray of addresses): drop the oldest tenth.
    if (this.buckets.size < this.maxKeys) return;
    let drop = Math.ceil(this.maxKeys / 10);
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Syntax of a limit in the environment: `<count>/<window>`, e.g. `10/1m`, `40/2s`, `600/h`; or `off`. */
export const RATE_SYNTAX = /^(?:off|(\d{1,7})\/(\d{0,6})(ms|s|m|h))$/;

/** Parses `10/1m` into a Rate; `off` into null. Throws on anything else. */
export function parseRate(text: string): Rate | null {
  const match = RATE_SYNTAX.exec(text.trim());
  if (!match) throw new Error(`not a rate: ${JSON.stringify(text)} (expected e.g. 10/1m, 40/2s or off)`);
  if (text.trim() === "off") return null;
  const limit = Number(match[1]);
  const windowMs = Number(match[2] || "1") * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  if (limit < 1 || windowMs < 1) throw new Error(`not a rate: ${JSON.stringify(text)} (count and window must be ≥ 1)`);
  return { limit, windowMs };
}

export function formatRate(rate: Rate | null): string {
  return rate ? `${rate.limit}/${rate.windowMs}ms` : "off";
}

/** Every limit the server applies; null = not limited. */
export interface RateLimitConfig {
  /** Login attempts per client address (credential stuffing across accounts). */
  loginIp: Rate | null;
  /** Login attempts per account e-mail, whether or not the account exists. */
  loginAccount: Rate | null;
  /** Every /api request per client address (reads included). */
  apiIp: Rate | null;
  /** Writes (POST, PATCH, PUT, DELETE on /api) per signed-in user. */
  writeUser: Rate | null;
  /** Writes per client address. */
  writeIp: Rate | null;
  /** Socket.IO events per socket, per user across sockets, per client address across sockets. */
  socket: Rate | null;
  socketUser: Rate | null;
  socketIp: Rate | null;
  /**
   * Public check-in (/c/<code>, POST /api/v1/check-in/:code): *failed* attempts (unknown code,
   * unknown reference code, not booked) per client address, and per check-in code. A caller
   * whose bucket is empty is refused before trying, right guess or not (decision 055).
   */
  checkInIp: Rate | null;
  checkInCode: Rate | null;
}

/**
 * Defaults for a deployment (docs/decisions/026). A municipal office may put dozens of staff
 * behind one address, so per-address limits are generous and per-account ones tight.
 */
export const DEFAULT_RATE_LIMITS: Record<keyof RateLimitConfig, string> = {
  loginIp: "30/1m",
  loginAccount: "10/1m",
  apiIp: "1200/1m",
  writeUser: "120/1m",
  writeIp: "600/1m",
  socket: "40/2s",
  socketUser: "120/2s",
  socketIp: "300/2s",
  checkInIp: "20/10m",
  checkInCode: "30/10m",
};

export const RATE_LIMIT_ENV: Record<keyof RateLimitConfig, string> = {
  loginIp: "RATE_LIMIT_LOGIN_IP",
  loginAccount: "RATE_LIMIT_LOGIN_ACCOUNT",
  apiIp: "RATE_LIMIT_API_IP",
  writeUser: "RATE_LIMIT_WRITE_USER",
  writeIp: "RATE_LIMIT_WRITE_IP",
  socket: "RATE_LIMIT_SOCKET",
  socketUser: "RATE_LIMIT_SOCKET_USER",
  socketIp: "RATE_LIMIT_SOCKET_IP",
  checkInIp: "RATE_LIMIT_CHECK_IN_IP",
  checkInCode: "RATE_LIMIT_CHECK_IN_CODE",
};

/** The per-socket and per-user Socket.IO limits predate these settings and always applied. */
const ALWAYS_ON: ReadonlySet<keyof RateLimitConfig> = new Set(["socket", "socketUser"]);

/**
 * The limits from the environment. A variable that is set wins. Unset: the default, except under
 * NODE_ENV=test, where the limits added for issue 5 are off unless a test sets them — suites
 * that log fifty clients in from 127.0.0.1 test other things.
 */
export function rateLimitsFromEnv(env: Partial<Record<string, string | undefined>> & { NODE_ENV?: string }): RateLimitConfig {
  const config = {} as RateLimitConfig;
  for (const key of Object.keys(DEFAULT_RATE_LIMITS) as Array<keyof RateLimitConfig>) {
    const value = env[RATE_LIMIT_ENV[key]];
    if (value !== undefined && value !== "") config[key] = parseRate(value);
    else if (env.NODE_ENV === "test" && !ALWAYS_ON.has(key)) config[key] = null;
    else config[key] = parseRate(DEFAULT_RATE_LIMITS[key]);
  }
  return config;
}

/**
 * The named HTTP limits over one store. `check` answers null when the limit is off or not
 * reached, else how long to wait.
 */
export class RateLimiter {
  constructor(
    readonly config: RateLimitConfig,
    private readonly store: RateLimitStore = new MemoryRateLimitStore(),
    private readonly clock: () => number = Date.now,
  ) {}

  /** Null when allowed; otherwise the refusal with its wait. */
  async check(limit: keyof RateLimitConfig, key: string): Promise<{ retryAfterMs: number } | null> {
    const rate = this.config[limit];
    if (!rate) return null;
    const decision = await this.store.hit(`${limit}:${key}`, rate, this.clock());
    return decision.allowed ? null : { retryAfterMs: decision.retryAfterMs };
  }

  /** Like `check`, but takes no token: null when the limit is off or a token is there. */
  async peek(limit: keyof RateLimitConfig, key: string): Promise<{ retryAfterMs: number } | null> {
    const rate = this.config[limit];
    if (!rate) return null;
    const decision = await this.store.peek(`${limit}:${key}`, rate, this.clock());
    return decision.allowed ? null : { retryAfterMs: decision.retryAfterMs };
  }

  /** Drops the full buckets the store keeps in this process. */
  prune(): void {
    this.store.prune?.(this.clock());
  }
}

/** Retry-After in whole seconds, at least 1 (the header and `details.retryAfterSeconds`). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

function stripMapped(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** An IPv4 or IPv6 address as a bigint over 128 bits (IPv4 as ::ffff:a.b.c.d), or null. */
function toBigInt(address: string): bigint | null {
  const a = stripMapped(address.trim());
  if (isIP(a) === 4) return (0xffffn << 32n) | BigInt(a.split(".").reduce((n, part) => n * 256 + Number(part), 0));
  if (isIP(a) !== 6) return null;
  let text = a;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4[1].split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
    text = text.slice(0, -v4[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g || "0", 16)), 0n);
}

const KEYWORDS: Record<string, string[]> = {
  loopback: ["127.0.0.1/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/**
 * Which proxies may tell us the client's address: the same syntax as express's `trust proxy`
 * (comma-separated addresses, CIDR ranges and the keywords loopback, linklocal, uniquelocal), so
 * that one setting (TRUST_PROXY) means the same for HTTP and for Socket.IO handshakes.
 */
export function trustedProxies(setting: string): (address: string) => boolean {
  const ranges: Array<{ base: bigint; mask: bigint }> = [];
  for (const item of setting.split(",").map((s) => s.trim()).filter(Boolean)) {
    for (const cidr of KEYWORDS[item] ?? [item]) {
      const [address, bitsText] = cidr.split("/");
      const base = toBigInt(address);
      if (base === null) throw new Error(`TRUST_PROXY: not an address or range: ${JSON.stringify(item)}`);
      const isV4 = isIP(stripMapped(address)) === 4;
      const bits = bitsText === undefined ? 128 : Number(bitsText) + (isV4 ? 96 : 0);
      if (!Number.isInteger(bits) || bits < 0 || bits > 128) throw new Error(`TRUST_PROXY: bad prefix length in ${JSON.stringify(item)}`);
      const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
      ranges.push({ base: base & mask, mask });
    }
  }
  return (address) => {
    const n = toBigInt(address);
    return n !== null && ranges.some((r) => (n & r.mask) === r.base);
  };
}

const loopbackOnly = trustedProxies("loopback");

/**
 * The client's address as express computes `req.ip` with the same `trust proxy` setting: when the
 * connection comes from a trusted proxy, X-Forwarded-For is read from the right, skipping trusted
 * hops. Used for Socket.IO handshakes, which bypass express.
 */
export function clientAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: (address: string) => boolean = loopbackOnly,
): string {
  const remote = remoteAddress ?? "";
  if (!trusted(remote) || !forwardedFor) return stripMapped(remote);
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted(hops[i])) return stripMapped(hops[i]);
  }
  return stripMapped(hops[0] ?? remote);
}

/**
 * The key a client address is limited by: IPv4 as is, IPv6 by its /64 (one subscriber usually
 * holds a whole /64, so limiting single IPv6 addresses would limit nothing).
 */
export function addressKey(address: string): string {
  const a = stripMapped(address);
  if (isIP(a) !== 6) return a;
  const [head, tail] = a.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || "0", 16).toString(16))
    .join(":")}::/64`;
}
