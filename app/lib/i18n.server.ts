import { parse, serialize } from "cookie";
import { LOCALE_COOKIE, LOCALE_QUERY_PARAM, resolveLocale, type Locale } from "./i18n";

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Resolves the request's locale. When the URL carries an explicit `?lang=` that differs from the
 * remembered one, also returns the Set-Cookie value that remembers it (SameSite=Lax so that the
 * choice survives following a link from another site).
 */
export function localeFromRequest(
  request: Request,
  options: { secure: boolean },
): { locale: Locale; setCookie: string | null } {
  const url = new URL(request.url);
  const cookies = parse(request.headers.get("Cookie") ?? "");
  const { locale, source } = resolveLocale({
    query: url.searchParams.get(LOCALE_QUERY_PARAM),
    cookie: cookies[LOCALE_COOKIE],
    acceptLanguage: request.headers.get("Accept-Language"),
  });
  const setCookie =
    source === "query" && cookies[LOCALE_COOKIE] !== locale
      ? serialize(LOCALE_COOKIE, locale, {
          path: "/",
          sameSite: "lax",
          secure: options.secure,
          maxAge: ONE_YEAR_SECONDS,
        })
      : null;
  return { locale, setCookie };
}
