import type { MetaDescriptor } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, messagesFor, type Locale } from "./i18n";

interface MatchLike {
  id: string;
  data?: unknown;
}

/** The locale the root loader resolved, read from meta() matches. */
export function localeFromMatches(matches: readonly MatchLike[]): Locale {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  return isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
}

/**
 * Title and description for a page. A route's meta() replaces its parents', so every page
 * repeats the description here instead of relying on root's.
 */
export function pageMeta(locale: Locale, title?: string): MetaDescriptor[] {
  const t = messagesFor(locale);
  return [
    { title: title ? `${title} | ${t.productName}` : `${t.productName} — ${t.productTagline}` },
    { name: "description", content: t.productTagline },
  ];
}
