import { AppError } from "../http/errors.ts";

/**
 * The database's booking rules (migration *_no_double_booking, docs/decisions/017): a piece never
 * has more CONFIRMED / ACTIVE / COMPLETED matches than its headcount, and a resident is never
 * booked on two overlapping pieces. The triggers name the rule at the start of their message.
 */
export const BOOKING_RULES = {
  Match_piece_headcount: {
    code: "piece_full",
    message: "この枠はすでに定員に達しています / This piece is already fully booked",
  },
  Match_resident_no_overlap: {
    code: "double_booked",
    message: "この方は同じ時間帯に別の枠で確定しています / This resident is already booked on an overlapping piece",
  },
} as const;

export type BookingRule = keyof typeof BOOKING_RULES;

/** Which booking rule a database error reports, if any (Prisma and plain pg errors alike). */
export function bookingRuleOf(error: unknown): BookingRule | null {
  const text = errorText(error);
  for (const rule of Object.keys(BOOKING_RULES) as BookingRule[]) {
    if (text.includes(rule)) return rule;
  }
  return null;
}

/** A refused booking as a 409 the client can act on; anything else is passed through unchanged. */
export function asBookingConflict(error: unknown): unknown {
  const rule = bookingRuleOf(error);
  if (!rule) return error;
  const { code, message } = BOOKING_RULES[rule];
  return new AppError("conflict", message, { reason: code });
}

function errorText(error: unknown): string {
  if (!error || typeof error !== "object") return "";
  const e = error as { message?: unknown; constraint?: unknown; meta?: unknown };
  // Prisma keeps the driver's message under meta.driverAdapterError; plain pg names the constraint.
  return [e.message, e.constraint, safeJson(e.meta)].filter((x) => typeof x === "string").join(" ");
}

function safeJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
