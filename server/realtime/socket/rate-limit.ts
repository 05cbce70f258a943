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

/** Two levels: one socket may not starve the others of its user, and one user may not open many sockets to multiply the limit. */
export interface RateLimitOptions {
  /** @default { capacity: 40, refillPerSecond: 20 } */
  perSocket: BucketOptions;
  /** @default { capacity: 120, refillPerSecond: 60 } */
  perUser: BucketOptions;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  perSocket: { capacity: 40, refillPerSecond: 20 },
  perUser: { capacity: 120, refillPerSecond: 60 },
};

export class LiveRateLimiter {
  private readonly sockets: TokenBuckets;
  private readonly users: TokenBuckets;

  constructor(options: RateLimitOptions = DEFAULT_RATE_LIMITS) {
    this.sockets = new TokenBuckets(options.perSocket);
    this.users = new TokenBuckets(options.perUser);
  }

  /**
   * True when the event may run. The socket bucket is checked first so that a flooding socket
   * is refused without draining its user's shared bucket.
   */
  allow(socketId: string, userId: string, now: number): boolean {
    if (!this.sockets.take(socketId, now)) return false;
    return this.users.take(userId, now);
  }

  forgetSocket(socketId: string): void {
    this.sockets.delete(socketId);
  }

  prune(now: number): void {
    this.users.prune(now);
    this.sockets.prune(now);
  }

  get size() {
    return { sockets: this.sockets.size, users: this.users.size };
  }
}
