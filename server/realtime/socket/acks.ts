import type { z } from "zod";
import type { ConflictRefusal, LiveErrorCode, Refusal } from "../../../app/lib/realtime/events.ts";
import { isAppError, type ErrorCode } from "../../http/errors.ts";

/** Messages are Japanese first, then English, like the REST API's. */
export const MESSAGES = {
  invalid: "入力内容に誤りがあります / Invalid payload",
  unknownEvent: "不明なイベントです / Unknown event",
  rateLimited: "操作が多すぎます。少し待ってから再度お試しください / Too many events, slow down",
  notJoined: "先にワークスペースに参加してください / Join the workspace first",
  readOnly: "閲覧のみの権限では編集できません / Read-only members cannot lock",
  locked: "ほかの人が操作中です / Someone else holds this lock",
  lockLimit: "同時に持てるロックの数を超えました / Too many locks held at once",
  revalidation: "セッションが無効です / Session no longer valid",
  unavailable: "サーバーに接続できません / Service unavailable",
  internal: "サーバーエラーが発生しました / Internal server error",
} as const;

export function refusal<C extends LiveErrorCode>(code: C, message: string): Refusal<C> {
  return { ok: false, code, message };
}

export function invalidPayload(error: z.ZodError): Refusal<"invalid"> {
  return {
    ok: false,
    code: "invalid",
    message: MESSAGES.invalid,
    issues: error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  };
}

const CODE_FOR: Record<ErrorCode, LiveErrorCode> = {
  bad_request: "invalid",
  invalid_json: "invalid",
  validation_failed: "invalid",
  payload_too_large: "invalid",
  unauthenticated: "unauthenticated",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  rate_limited: "rate_limited",
  unavailable: "unavailable",
  internal: "internal",
};

/**
 * Turns anything a handler threw into a typed refusal. AppErrors keep their meaning (a conflict
 * carries `current`); anything else is logged and answered as `internal` (or `unavailable` when
 * the database is unreachable), never rethrown into Socket.IO.
 */
export function refusalFor(error: unknown, log: (error: unknown) => void): Refusal | ConflictRefusal<unknown> {
  if (isAppError(error)) {
    const code = CODE_FOR[error.code] ?? "internal";
    if (code === "conflict") {
      const details = (error.details ?? {}) as { current?: unknown; changedBy?: unknown; changedAt?: unknown };
      return {
        ok: false,
        code: "conflict",
        message: error.message,
        current: details.current ?? null,
        changedBy: typeof details.changedBy === "string" ? details.changedBy : null,
        changedAt: details.changedAt instanceof Date ? details.changedAt.toISOString() : typeof details.changedAt === "string" ? details.changedAt : null,
      };
    }
    const result: Refusal = refusal(code, error.message);
    if (code === "invalid" && Array.isArray(error.details)) result.issues = error.details.slice(0, 10);
    return result;
  }
  log(error);
  return isDatabaseUnavailable(error) ? refusal("unavailable", MESSAGES.unavailable) : refusal("internal", MESSAGES.internal);
}

function isDatabaseUnavailable(error: unknown): boolean {
  const text = String((error as { message?: string })?.message ?? "") + String((error as { code?: string })?.code ?? "");
  return /ECONNREFUSED|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|DatabaseNotReachable|P1001/i.test(text);
}
