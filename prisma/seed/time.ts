/**
 * Local-time arithmetic for the demo seed. The workspace is in Asia/Tokyo: UTC+9 all year (Japan
 * has no daylight saving time), so a fixed offset is exact and needs no time-zone database.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * HOUR_MS;

/** The instant local midnight (JST) began on the day that contains `date`. */
export function startOfJstDay(date: Date): Date {
  return new Date(Math.floor((date.getTime() + JST_OFFSET_MS) / DAY_MS) * DAY_MS - JST_OFFSET_MS);
}

/** Weekday (0 = Sunday) in JST of the instant `ms`. */
export function jstWeekday(ms: number): number {
  return new Date(ms + JST_OFFSET_MS).getUTCDay();
}

/** Minutes since JST midnight of the instant `ms`. */
export function jstMinuteOfDay(ms: number): number {
  const local = (ms + JST_OFFSET_MS) % DAY_MS;
  return Math.floor((local < 0 ? local + DAY_MS : local) / MINUTE_MS);
}

/**
 * The JST calendar date of `ms` as a Date at UTC midnight: what a `@db.Date` column stores
 * (PostgreSQL `date` has no time zone; Prisma writes the UTC date part).
 */
export function jstCalendarDate(ms: number): Date {
  return new Date(Math.floor((ms + JST_OFFSET_MS) / DAY_MS) * DAY_MS);
}

/** "15:30" → 930. */
export function parseHm(hm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hm);
  if (!match) throw new Error(`bad time ${hm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** 930 → "15:30". */
export function formatHm(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
}

export const WEEKDAY_JA = ["日", "月", "火", "水", "木", "金", "土"] as const;
export const WEEKDAY_EN = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
