import { AppError } from "../http/errors.ts";
import { addressKey, RateLimiter, retryAfterSeconds } from "../http/rate-limit.ts";
import type { ConnectionRegistry } from "../realtime/connections.ts";
import { accountKey, LoginThrottle } from "./login-throttle.ts";
import { hashPassword } from "./password.ts";
import { checkPassword } from "./password-policy.ts";
import type { SessionStore, SessionUser } from "./sessions.ts";

/** One message for every 429, whichever limit answered: it tells nobody which accounts exist. */
export const RATE_LIMITED_MESSAGE = "リクエストが多すぎます。しばらくしてから再度お試しください / Too many requests, please try again later";

/** A 429 with the wait in `details.retryAfterSeconds` (the HTTP layer adds Retry-After). */
export function rateLimitedError(retryAfterMs: number): AppError {
  return new AppError("rate_limited", RATE_LIMITED_MESSAGE, { retryAfterSeconds: retryAfterSeconds(retryAfterMs) });
}

export type LoginOutcome =
  | { ok: true; token: string; user: SessionUser }
  | { ok: false; code: "invalid_credentials" }
  | { ok: false; code: "rate_limited"; retryAfterSeconds: number };

/**
 * Hashes a password a person chose, after the password policy. Every user creation and password
 * change in server code goes through here; the demo seed's fixed password does not.
 */
export async function hashNewPassword(password: string, context: { email: string }): Promise<string> {
  assertPasswordPolicy(password, context);
  return hashPassword(password);
}

/** Throws a 400 `validation_failed` naming every rule the password breaks. */
export function assertPasswordPolicy(password: string, context: { email: string }): void {
  const issues = checkPassword(password, context);
  if (issues.length === 0) return;
  throw new AppError(
    "validation_failed",
    issues[0].message,
    issues.map((issue) => ({ path: "newPassword", code: issue.code, message: issue.message })),
  );
}

/**
 * Logging in, changing the password and logging out everywhere, for every transport (the JSON
 * API and the Remix login page): limits and lockouts live here, not in a route.
 */
export class AuthService {
  constructor(
    private readonly deps: {
      sessions: SessionStore;
      connections: ConnectionRegistry;
      limiter: RateLimiter;
      throttle: LoginThrottle;
    },
  ) {}

  /**
   * Order matters: the cheap limits (per address, per account) refuse before the account's
   * lockout is consulted, and all of them before Argon2 spends 19 MiB and tens of milliseconds.
   */
  async login(input: { email: string; password: string; ip: string; userAgent?: string }): Promise<LoginOutcome> {
    const { limiter, throttle, sessions } = this.deps;
    const limited =
      (await limiter.check("loginIp", addressKey(input.ip))) ?? (await limiter.check("loginAccount", accountKey(input.email)));
    const admitted = limited ?? (await throttle.acquire(input.email));
    if ("retryAfterMs" in admitted) return { ok: false, code: "rate_limited", retryAfterSeconds: retryAfterSeconds(admitted.retryAfterMs) };
    let result: Awaited<ReturnType<SessionStore["login"]>> = null;
    try {
      result = await sessions.login(input.email, input.password, input.userAgent);
    } catch (error) {
      admitted.release(null);
      throw error;
    }
    admitted.release(result !== null);
    return result ? { ok: true, ...result } : { ok: false, code: "invalid_credentials" };
  }

  /**
   * Checks the current password (a wrong one counts towards the account's lockout, so a stolen
   * session cannot be used to guess it), applies the policy to the new one, stores it, and ends
   * every other session of the user: their sockets and /yjs/ connections close at once.
   */
  async changePassword(user: SessionUser, currentPassword: string, newPassword: string): Promise<{ revokedSessions: number }> {
    const { sessions, throttle, connections } = this.deps;
    // Before anything else: a policy refusal costs nothing and counts nothing.
    assertPasswordPolicy(newPassword, { email: user.email });
    if (newPassword === currentPassword) {
      throw new AppError("validation_failed", "新しいパスワードが現在のものと同じです / The new password is the current one", [
        { path: "newPassword", code: "unchanged", message: "新しいパスワードが現在のものと同じです / The new password is the current one" },
      ]);
    }
    const admitted = await throttle.acquire(user.email);
    if ("retryAfterMs" in admitted) throw rateLimitedError(admitted.retryAfterMs);
    let ok: boolean;
    try {
      ok = await sessions.verifyUserPassword(user.id, currentPassword);
    } catch (error) {
      admitted.release(null);
      throw error;
    }
    admitted.release(ok);
    if (!ok) {
      throw new AppError("forbidden", "現在のパスワードが正しくありません / The current password is wrong", [
        { path: "currentPassword", message: "現在のパスワードが正しくありません / The current password is wrong" },
      ]);
    }
    const revoked = await sessions.changePassword(user.id, await hashPassword(newPassword), user.sessionId);
    for (const sessionId of revoked) connections.closeSession(sessionId, "logged_out");
    return { revokedSessions: revoked.length };
  }

  /** Ends every session of the user, this one included, and closes all their live connections. */
  async logoutEverywhere(user: SessionUser): Promise<{ revokedSessions: number }> {
    const revoked = await this.deps.sessions.revokeAll(user.id);
    this.deps.connections.closeUser(user.id, "logged_out");
    return { revokedSessions: revoked.length };
  }
}
