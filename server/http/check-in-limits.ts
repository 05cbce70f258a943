import { normalizeCheckInCode } from "../outcomes/short-code.ts";
import { AppError } from "./errors.ts";
import { addressKey, retryAfterSeconds, type RateLimiter } from "./rate-limit.ts";

/**
 * Guessing limits of the public check-in (docs/decisions/055-check-in-guessing-limits.md). A
 * check-in code is 6 characters and printed on a poster; the reference code proves who checks in.
 * Failed attempts (unknown code, unknown reference code, not booked: all the same 404) spend a
 * token per client address and per check-in code; successful and duplicate check-ins spend
 * nothing, so a crowd behind one venue Wi-Fi is not limited by its own check-ins. A caller whose
 * bucket is empty is refused *before* the attempt, so a right guess answers 429 like a wrong one
 * and the limit cannot be used as an oracle. Used by the REST route and the page (/c/<code>)
 * alike.
 */

export const CHECK_IN_LIMITED_MESSAGE =
  "チェックインの試行が多すぎます。しばらく待ってから、もう一度お試しください / Too many check-in attempts. Please wait a little and try again";

/** 429 `rate_limited` with `details.retryAfterSeconds` (the HTTP layer adds Retry-After). */
export function checkInLimitedError(retryAfterMs: number): AppError {
  return new AppError("rate_limited", CHECK_IN_LIMITED_MESSAGE, { retryAfterSeconds: retryAfterSeconds(retryAfterMs), reason: "check_in_attempts" });
}

/** The per-code bucket's key: the code as the server reads it, else the raw text (bounded). */
function codeKey(rawCode: string): string {
  return normalizeCheckInCode(rawCode) ?? `raw:${rawCode.trim().toUpperCase().slice(0, 16)}`;
}

/**
 * Runs `attempt` under the check-in limits: refused (429) when the address or the code has no
 * token left; a `not_found` from the attempt spends one token of each and is rethrown.
 */
export async function limitCheckIn<T>(limiter: RateLimiter, address: string, rawCode: string, attempt: () => Promise<T>): Promise<T> {
  const ip = addressKey(address);
  const code = codeKey(rawCode);
  const blocked = (await limiter.peek("checkInIp", ip)) ?? (await limiter.peek("checkInCode", code));
  if (blocked) throw checkInLimitedError(blocked.retryAfterMs);
  try {
    return await attempt();
  } catch (error) {
    // By shape, not instanceof: the Remix build carries its own copy of AppError.
    if ((error as { code?: unknown } | null)?.code === "not_found") {
      await limiter.check("checkInIp", ip);
      await limiter.check("checkInCode", code);
    }
    throw error;
  }
}
