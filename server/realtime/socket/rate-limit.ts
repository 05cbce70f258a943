import type { Rate, RateLimitConfig } from "../../http/rate-limit.ts";

/**
 * Token buckets keyed by socket id or user id: `capacity` events at once, refilled at
 * `refillPerSecond`. Pure: time comes in as `now` (epoch ms).
 */
export interface BucketOptions {
  /** Burst size. */
  capacity: number;
  /** Sustained rate. */
  refillPerSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: BucketOptions) {}

  /** Takes `cost` tokens when there are enough; false means "refuse this event". */
  take(key: string, now: number, cost = 1): boolean {
    const bucket = this.refilled(key, now);
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    return true;
  }

  /** Drops buckets that are full again: they hold no information. */
  prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.at) / 1000) * this.options.refillPerSecond;
      if (tokens >= this.options.capacity) this.buckets.delete(key);
    }
  }

  delete(key: string): void {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.options.capacity, at: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    // A clock that steps back must not mint tokens or lock a client out.
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + (elapsed / 1000) * this.options.refillPerSecond);
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  }
}

/**
 * Three levels: one socket may not starve the others of its user, one user may not open many
 * sockets to multiply the limit, and one client address may not do so with many accounts (or
 * many sockets of no use). Null: that level is not limited.
 */
export interface RateLimitOptions {
  /** @default { capacity: 40, refillPerSecond: 20 } */
  perSocket: BucketOptions | null;
  /** @default { capacity: 120, refillPerSecond: 60 } */
  perUser: BucketOptions | null;
  /** Per client address (IPv6: per /64). @default { capacity: 300, refillPerSecond: 150 } (off when not given) */
  perIp?: BucketOptions | null;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  perSocket: { capacity: 40, refillPerSecond: 20 },
  perUser: { capacity: 120, refillPerSecond: 60 },
  perIp: { capacity: 300, refillPerSecond: 150 },
};

/** The Socket.IO levels of the server's rate-limit settings (RATE_LIMIT_SOCKET, _USER, _IP). */
export function liveRateLimits(config: Pick<RateLimitConfig, "socket" | "socketUser" | "socketIp">): RateLimitOptions {
  const bucket = (rate: Rate | null): BucketOptions | null =>
    rate ? { capacity: rate.limit, refillPerSecond: (rate.limit * 1000) / rate.windowMs } : null;
  return { perSocket: bucket(config.socket), perUser: bucket(config.socketUser), perIp: bucket(config.socketIp) };
}

export class LiveRateLimiter {
  private readonly sockets: TokenBuckets | null;
  private readonly users: TokenBuckets | null;
  private readonly addresses: TokenBuckets | null;
  /** Refusals a socket may collect before it is disconnected (see `strike`). */
  private readonly strikes: TokenBuckets | null;

  constructor(options: RateLimitOptions = DEFAULT_RATE_LIMITS) {
    this.sockets = options.perSocket ? new TokenBuckets(options.perSocket) : null;
    this.users = options.perUser ? new TokenBuckets(options.perUser) : null;
    this.addresses = options.perIp ? new TokenBuckets(options.perIp) : null;
    // Five bursts' worth of refusals, forgiven at the socket's sustained rate.
    const perSocket = options.perSocket ?? DEFAULT_RATE_LIMITS.perSocket!;
    this.strikes = new TokenBuckets({ capacity: perSocket.capacity * 5, refillPerSecond: perSocket.refillPerSecond });
  }

  /**
   * Records a refusal on a socket; false means "disconnect it". A client that backs off when
   * told (`rate_limited`) never gets here; one that keeps flooding costs the server a decode
   * and an ack per event, so after five bursts' worth of refusals it is cut off.
   */
  strike(socketId: string, now: number): boolean {
    return this.strikes ? this.strikes.take(socketId, now) : true;
  }

  /**
   * True when the event may run. Narrowest first: a flooding socket is refused by its own bucket
   * without draining its user's shared one, and a flooding user without draining their address's
   * (which colleagues behind the same office NAT share).
   */
  allow(socketId: string, userId: string, now: number, address?: string): boolean {
    if (this.sockets && !this.sockets.take(socketId, now)) return false;
    if (this.users && !this.users.take(userId, now)) return false;
    if (this.addresses && address !== undefined && !this.addresses.take(address, now)) return false;
    return true;
  }

  forgetSocket(socketId: string): void {
    this.sockets?.delete(socketId);
    this.strikes?.delete(socketId);
  }

  prune(now: number): void {
    this.users?.prune(now);
    this.sockets?.prune(now);
    this.addresses?.prune(now);
    this.strikes?.prune(now);
  }

  get size() {
    return { sockets: this.sockets?.size ?? 0, users: this.users?.size ?? 0, addresses: this.addresses?.size ?? 0 };
  }
}
