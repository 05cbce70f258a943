import { useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";
import { DEFAULT_LOCALE, messagesFor, type Locale, type Messages } from "./i18n";

/**
 * The request's locale (resolved once by the root loader) and its messages. Falls back to
 * Japanese when the root loader has no data (an error before it ran).
 */
export function useI18n(): { locale: Locale; t: Messages } {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const locale = root?.locale ?? DEFAULT_LOCALE;
  return { locale, t: messagesFor(locale) };
}
