import { parse, serialize } from "cookie";
import { localeFromRequest } from "~/lib/i18n.server";
import {
  DISPLAY_COOKIE,
  parseDisplay,
  readingOf,
  serializeDisplay,
  type DisplayPrefs,
} from "./display";
import type { Reading } from "./messages";

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The display preferences and the reading of a residents' page request. */
export function displayFromRequest(request: Request): {
  display: DisplayPrefs;
  reading: Reading;
} {
  const display = parseDisplay(
    parse(request.headers.get("Cookie") ?? "")[DISPLAY_COOKIE]
  );
  // Same resolution as the root loader (query, cookie, Accept-Language), so both agree.
  const { locale } = localeFromRequest(request, { secure: false });
  return { display, reading: readingOf(locale, display) };
}

export function displayCookie(prefs: DisplayPrefs, secure: boolean): string {
  return serialize(DISPLAY_COOKIE, serializeDisplay(prefs), {
    path: "/",
    sameSite: "lax",
    secure,
    maxAge: ONE_YEAR_SECONDS,
    httpOnly: true,
  });
}
