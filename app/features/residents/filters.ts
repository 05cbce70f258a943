import { z } from "zod";
import { TASK_CATEGORY_CODES } from "../../lib/categories.ts";

/**
 * The public activity list's filters, parsed from the GET form's query string (the page works
 * without JavaScript: every filter is a plain form field). Shared by the route and the domain
 * query. Unknown or malformed values are dropped rather than refused: a stale bookmark still opens.
 */
export const PARTS_OF_DAY = [
  "morning",
  "afternoon",
  "evening",
  "eveningWeekend",
] as const;
export type PartOfDay = (typeof PARTS_OF_DAY)[number];
export const INCENTIVE_FILTERS = [
  "TRANSPORT_FEE",
  "THANKS_MONEY",
  "LOCAL_POINTS",
  "CERTIFICATE",
] as const;
export type IncentiveFilter = (typeof INCENTIVE_FILTERS)[number];

/** A piece of at most this many minutes counts as short (「短時間・1回だけでもOK」). @default 180 */
export const SHORT_PIECE_MINUTES = 180;
/** Local hour boundaries, the same as the matcher's explanations: 午前 < 12:00 ≤ 午後 < 17:00 ≤ 夕方以降. */
export const AFTERNOON_FROM_HOUR = 12;
export const EVENING_FROM_HOUR = 17;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) =>
      typeof v === "string" && (values as readonly string[]).includes(v)
        ? v
        : undefined,
    z.enum(values).optional()
  );
const flag = z.preprocess(
  (v) => v === "1" || v === "on" || v === "true",
  z.boolean()
);
const coordinate = (min: number, max: number) =>
  z.preprocess((v) => {
    if (typeof v !== "string" || v.trim() === "") return undefined;
    const n = Number(v);
    return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
  }, z.number().optional());

export const ActivityFiltersSchema = z.object({
  category: optionalEnum(TASK_CATEGORY_CODES),
  /** 0 = Sunday … 6 = Saturday, in the workspace's time zone. */
  weekday: z.preprocess(
    (v) => (typeof v === "string" && /^[0-6]$/.test(v) ? Number(v) : undefined),
    z.number().int().optional()
  ),
  time: optionalEnum(PARTS_OF_DAY),
  short: flag,
  online: flag,
  incentive: optionalEnum(INCENTIVE_FILTERS),
  /** "Nearest first" from an area of the select… */
  area: z.preprocess(
    (v) => (typeof v === "string" && /^[\w-]{1,64}$/.test(v) ? v : undefined),
    z.string().optional()
  ),
  /** …or from a station / place / area name typed in… */
  near: z.preprocess(
    (v) =>
      typeof v === "string" && v.trim() ? v.trim().slice(0, 60) : undefined,
    z.string().optional()
  ),
  /** …or from the browser's location (the button fills these; never required). */
  lat: coordinate(-90, 90),
  lng: coordinate(-180, 180),
});
export type ActivityFilters = z.infer<typeof ActivityFiltersSchema>;

export function parseActivityFilters(params: URLSearchParams): ActivityFilters {
  return ActivityFiltersSchema.parse(Object.fromEntries(params));
}

/** True when any filter or a starting point is set (the page then says how many matched). */
export function hasFilters(f: ActivityFilters): boolean {
  return Boolean(
    f.category ||
      f.weekday !== undefined ||
      f.time ||
      f.short ||
      f.online ||
      f.incentive ||
      f.area ||
      f.near ||
      (f.lat !== undefined && f.lng !== undefined)
  );
}

// ───── Local time ─────

const partsCache = new Map<string, Intl.DateTimeFormat>();
/** Weekday (0 = Sunday) and hour of an instant in a time zone. */
export function localWeekdayHour(
  at: Date,
  timeZone: string
): { weekday: number; hour: number } {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "numeric",
      hourCycle: "h23",
    });
    partsCache.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(
    parts.find((p) => p.type === "weekday")?.value ?? ""
  );
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? "0") % 24;
  return { weekday, hour };
}

export function partOfDayOf(
  hour: number
): Exclude<PartOfDay, "eveningWeekend"> {
  return hour < AFTERNOON_FROM_HOUR
    ? "morning"
    : hour < EVENING_FROM_HOUR
    ? "afternoon"
    : "evening";
}

/** Whether a piece passes the time filters (weekday, part of day, short). */
export function pieceMatches(
  piece: { startsAt: Date; endsAt: Date },
  f: Partial<Pick<ActivityFilters, "weekday" | "time" | "short">>,
  timeZone: string
): boolean {
  const { weekday, hour } = localWeekdayHour(piece.startsAt, timeZone);
  if (f.weekday !== undefined && weekday !== f.weekday) return false;
  if (f.time) {
    const part = partOfDayOf(hour);
    // For people who work: any evening, or any time at the weekend.
    if (
      f.time === "eveningWeekend"
        ? !(part === "evening" || weekday === 0 || weekday === 6)
        : part !== f.time
    )
      return false;
  }
  if (
    f.short &&
    piece.endsAt.getTime() - piece.startsAt.getTime() >
      SHORT_PIECE_MINUTES * 60_000
  )
    return false;
  return true;
}

// ───── Distance ─────

/** Great-circle distance in metres. */
export function haversineM(
  a: { lat: number; lng: number },
  b: { lat: number; lng: number }
): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
