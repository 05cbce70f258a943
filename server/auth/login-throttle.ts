/**
 * Progressive lockout per account (docs/decisions/027-login-throttling-and-passwords.md).
 *
 * Keyed by the normalized e-mail that was typed, whether or not such an account exists, so the
 * answer never tells an attacker which accounts exist. After `maxFailures` failures in a row the
 * account is locked for `baseLockoutMs`, and every further failure doubles that, up to
 * `maxLockoutMs`. A success clears it; so does a quiet `resetAfterMs` without failures.
 *
 * Checks in flight count against the limit (see LoginThrottle): fifty parallel guesses sent
 * before the first one is verified cannot slip past it.
 *
 * Pure core (`attempt`/`status` on a state) plus a small in-memory map; time comes in as `now`.
 */
export interface LoginThrottlePolicy {
  /** Failures in a row before the first lockout. @default 5 */
  maxFailures: number;
  /** First lockout. @default 30_000 */
  baseLockoutMs: number;
  /** Longest lockout. @default 900_000 (15 min) */
  maxLockoutMs: number;
  /** Failures are forgotten after this long without one. @default max(15 min, 2 × maxLockoutMs) */
  resetAfterMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  maxFailures: 5,
  baseLockoutMs: 30_000,
  maxLockoutMs: 900_000,
  resetAfterMs: 1_800_000,
};

export interface ThrottleState {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/** The lockout that follows the n-th failure in a row (0 before `maxFailures`). */
export function lockoutAfter(failures: number, policy: LoginThrottlePolicy): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = Math.min(30, failures - policy.maxFailures);
  return Math.min(policy.maxLockoutMs, policy.baseLockoutMs * 2 ** doublings);
}

const CLEAR: ThrottleState = { failures: 0, lastFailureAt: 0, lockedUntil: 0 };

/** Pure: the state as of `now` (a quiet `resetAfterMs` after the last failure forgets it). */
export function current(state: ThrottleState | undefined, policy: LoginThrottlePolicy, now: number): ThrottleState {
  if (!state) return CLEAR;
  if (now >= state.lockedUntil && now - state.lastFailureAt >= policy.resetAfterMs) return CLEAR;
  return state;
}

/** Pure: one more failure at `now`, and the lockout it earns. */
export function recordFailure(state: ThrottleState | undefined, policy: LoginThrottlePolicy, now: number): ThrottleState {
  const failures = current(state, policy, now).failures + 1;
  const lockout = lockoutAfter(failures, policy);
  return { failures, lastFailureAt: now, lockedUntil: lockout ? now + lockout : 0 };
}

/** Normalizes what was typed into the throttle's key (same rule as the User table's email). */
export function accountKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

/** A password check the throttle admitted; report how it went (null: it could not tell, e.g. the database failed). */
export interface ThrottleTicket {
  release(success: boolean | null): void;
}

interface Entry {
  state: ThrottleState;
  inFlight: number;
  waiters: Array<() => void>;
}

/**
 * Per-account lockout with the checks in flight counted: at most `maxFailures − failures` password
 * checks of one account run at once (one after a lockout ran out), further attempts wait for one
 * to finish. So fifty parallel
 * guesses get five checks before the lockout refuses the rest, while fifty parallel *correct*
 * logins (a test, a reconnecting office) all go through, each success clearing the count.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Before checking a password: a ticket to go on, or the wait while the account is locked. */
  async acquire(email: string): Promise<ThrottleTicket | { retryAfterMs: number }> {
    const key = accountKey(email);
    for (;;) {
      const now = this.clock();
      let entry = this.entries.get(key);
      if (!entry) {
        if (this.entries.size >= this.maxKeys) this.prune();
        entry = { state: CLEAR, inFlight: 0, waiters: [] };
        this.entries.set(key, entry);
      }
      entry.state = current(entry.state, this.policy, now);
      if (now < entry.state.lockedUntil) return { retryAfterMs: entry.state.lockedUntil - now };
      // Checks left before the lockout; once a lockout has run out, one at a time.
      if (entry.inFlight < Math.max(1, this.policy.maxFailures - entry.state.failures)) {
        entry.inFlight++;
        return this.ticket(key, entry);
      }
      await new Promise<void>((resolve) => entry.waiters.push(resolve));
    }
  }

  private ticket(key: string, entry: Entry): ThrottleTicket {
    let released = false;
    return {
      release: (success) => {
        if (released) return;
        released = true;
        entry.inFlight--;
        if (success !== null) entry.state = success ? CLEAR : recordFailure(entry.state, this.policy, this.clock());
        const waiters = entry.waiters.splice(0);
        if (entry.inFlight === 0 && waiters.length === 0 && entry.state.failures === 0 && this.entries.get(key) === entry) {
          this.entries.delete(key);
        }
        for (const wake of waiters) wake();
      },
    };
  }

  /** Drops entries that carry nothing any more (never one with checks in flight). */
  prune(): void {
    const now = this.clock();
    for (const [key, entry] of this.entries) {
      if (entry.inFlight === 0 && current(entry.state, this.policy, now).failures === 0) this.entries.delete(key);
    }
    // A spray of made-up addresses: the oldest idle ones go (they only lose their count).
    if (this.entries.size >= this.maxKeys) {
      let drop = Math.ceil(this.maxKeys / 10);
      for (const [key, entry] of this.entries) {
        if (drop <= 0) break;
        if (entry.inFlight > 0) continue;
        this.entries.delete(key);
        drop--;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
