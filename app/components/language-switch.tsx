import { Link, useLocation } from "@remix-run/react";
import { LOCALE_QUERY_PARAM, type Locale } from "~/lib/i18n";

const NAMES: Record<Locale, string> = { ja: "日本語", en: "English" };

/**
 * Plain links (work without JavaScript) that reload the current page with `?lang=`; the server
 * remembers the choice in a cookie. Each name is written in its own language, so a reader who
 * cannot read the current one still finds theirs.
 */
export function LanguageSwitch({ current, label }: { current: Locale; label: string }) {
  const location = useLocation();
  const hrefFor = (locale: Locale) => {
    const params = new URLSearchParams(location.search);
    params.set(LOCALE_QUERY_PARAM, locale);
    return `${location.pathname}?${params}`;
  };
  return (
    <nav aria-label={label} className="language-switch">
      <ul>
        {(Object.keys(NAMES) as Locale[]).map((locale) => (
          <li key={locale}>
            <Link
              to={hrefFor(locale)}
              lang={locale}
              hrefLang={locale}
              aria-current={locale === current ? "true" : undefined}
              preventScrollReset
            >
              {NAMES[locale]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
