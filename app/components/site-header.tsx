import { Form, Link, NavLink } from "@remix-run/react";
import type { Locale, Messages } from "~/lib/i18n";
import { LanguageSwitch } from "./language-switch";

/**
 * Product name, main menu, account state and language switch. Logging out is a POST form (a
 * link would let any page log the user out with an <img src="/logout">).
 */
export function SiteHeader({
  locale,
  t,
  user,
}: {
  locale: Locale;
  t: Messages;
  user: { displayName: string } | null;
}) {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand" aria-label={t.productName}>
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <span className="brand__name">
            <span lang="ja">つなぐ</span> <span lang="en">Tsunagu</span>
          </span>
        </Link>
        <nav aria-label={t.mainNav} className="main-nav">
          <ul>
            <li>
              <NavLink to="/" end>
                {t.navPublicActivities}
              </NavLink>
            </li>
            <li>
              <NavLink to="/activities">{t.navFindActivities}</NavLink>
            </li>
            {user ? (
              <li>
                <NavLink to="/w">{t.navMyWorkspace}</NavLink>
              </li>
            ) : (
              <li>
                <NavLink to="/register">{t.navRegister}</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="site-header__tools">
          <LanguageSwitch current={locale} label={t.languageNav} />
          {user ? (
            <div className="account">
              <span className="account__name">{t.signedInAs(user.displayName)}</span>
              <Form method="post" action="/logout">
                <button type="submit" className="button button--secondary button--small">
                  {t.logout}
                </button>
              </Form>
            </div>
          ) : (
            <Link to="/login" className="button button--small">
              {t.login}
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
