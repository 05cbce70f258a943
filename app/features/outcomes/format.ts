/**
 * Dates, times and durations of the issue-9 pages in Japan time (every workspace is in Japan and
 * Asia/Tokyo has no daylight saving time). Isomorphic: pages and server code share them.
 */
const JST_OFFSET_MS = 9 * 3_600_000;

/** The calendar month of an instant in Japan time, "YYYY-MM". */
export function jstMonth(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 7);
}

/** The calendar day of an instant in Japan time, "YYYY-MM-DD". */
export function jstDay(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** "HH:MM" in Japan time. */
export function jstTime(at: Date | string): string {
  const d = typeof at === "string" ? new Date(at) : at;
  return new Date(d.getTime() + JST_OFFSET_MS).toISOString().slice(11, 16);
}

/** "2時間30分" / "2 h 30 min" */
export function formatMinutes(minutes: number, locale: "ja" | "en"): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (locale === "en") return h > 0 ? `${h} h${m ? ` ${m} min` : ""}` : `${m} min`;
  return h > 0 ? `${h}時間${m ? `${m}分` : ""}` : `${m}分`;
}
