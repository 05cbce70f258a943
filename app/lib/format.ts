import { intlLocale, type Locale } from "./i18n";

/** Every platform in the pilot is in Japan; workspaces may override it (Workspace.timezone). */
export const DEFAULT_TIME_ZONE = "Asia/Tokyo";

// Intl formatters are costly to build and these are called per row: cache per locale + zone.
const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: "day" | "time" | "ymd", locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${timeZone}`;
  let found = cache.get(key);
  if (!found) {
    const options: Intl.DateTimeFormatOptions =
      kind === "day"
        ? { month: locale === "ja" ? "long" : "short", day: "numeric", weekday: "short", timeZone }
        : kind === "time"
          ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }
          : { year: "numeric", month: "2-digit", day: "2-digit", timeZone };
    found = new Intl.DateTimeFormat(kind === "ymd" ? "en-CA" : intlLocale(locale), options);
    cache.set(key, found);
  }
  return found;
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/**
 * A piece's time window in the workspace's zone, 24-hour clock:
 * ja `11月28日(土) 10:00–12:00`, en `Sat, Nov 28 10:00–12:00`.
 * A window that ends on another local day repeats the date after the dash.
 */
export function formatTimeRange(
  start: Date | string,
  end: Date | string,
  locale: Locale,
  timeZone: string = DEFAULT_TIME_ZONE,
): string {
  const s = toDate(start);
  const e = toDate(end);
  const day = formatter("day", locale, timeZone);
  const time = formatter("time", locale, timeZone);
  const sameDay = formatter("ymd", locale, timeZone).format(s) === formatter("ymd", locale, timeZone).format(e);
  const head = `${day.format(s)} ${time.format(s)}`;
  return sameDay ? `${head}–${time.format(e)}` : `${head}–${day.format(e)} ${time.format(e)}`;
}

/** Machine-readable value for <time dateTime>. */
export function isoString(value: Date | string): string {
  return toDate(value).toISOString();
}

const numberFormats: Record<Locale, Intl.NumberFormat> = {
  ja: new Intl.NumberFormat("ja-JP"),
  en: new Intl.NumberFormat("en-US"),
};

/** Grouped digits: 12,345. */
export function formatNumber(value: number, locale: Locale): string {
  return numberFormats[locale].format(value);
}
