// First: browser settings the Content-Security-Policy needs, before any schema is built.
import "~/lib/csp.client-config";
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { SiteHeader } from "~/components/site-header";
import { StatusPage } from "~/components/status-page";
import { getUser } from "~/lib/auth.server";
import { DEFAULT_LOCALE, messagesFor, type Locale } from "~/lib/i18n";
import { localeFromRequest } from "~/lib/i18n.server";
import { useNonce } from "~/lib/nonce";
import { pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import appCss from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { locale, setCookie } = localeFromRequest(request, {
    secure: context.services.env.COOKIE_SECURE === "1",
  });
  const user = await getUser(request, context);
  // Only what the header needs: the page shell never carries emails or memberships.
  const body = { locale, user: user ? { displayName: user.displayName } : null };
  return data(body, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
}

export const meta: MetaFunction<typeof loader> = ({ data: rootData, error }) => {
  const locale = rootData?.locale ?? DEFAULT_LOCALE;
  const t = messagesFor(locale);
  if (error) {
    const notFound = isRouteErrorResponse(error) && error.status === 404;
    return pageMeta(locale, notFound ? t.notFoundTitle : t.errorTitle);
  }
  return pageMeta(locale);
};

/** The document shell, shared by pages and error boundaries so errors keep the header. */
export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const locale: Locale = root?.locale ?? DEFAULT_LOCALE;
  const t = messagesFor(locale);
  // The response's CSP nonce on the server render; "" in the browser (docs/decisions/025).
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b5e55" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t.skipToContent}
        </a>
        <SiteHeader locale={locale} t={t} user={root?.user ?? null} />
        <main id="main" tabIndex={-1} className="page">
          {children}
        </main>
        <footer className="site-footer">
          <p>{t.footerNote}</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/**
 * Unknown URLs (the splat route throws 404), refused access and failures. The current language
 * comes first and the other follows, since an error can happen before a language is chosen.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { locale } = useI18n();
  const other: Locale = locale === "ja" ? "en" : "ja";
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = (l: Locale) => {
    const t = messagesFor(l);
    if (status === 404) return { lang: l, title: t.notFoundTitle, body: t.notFoundBody };
    if (status === 403) return { lang: l, title: t.forbiddenTitle, body: t.forbiddenBody };
    return { lang: l, title: t.errorTitle, body: t.errorBody };
  };
  if (!isRouteErrorResponse(error) && typeof console !== "undefined") {
    // Server errors are logged by Remix's handleError; this is for errors raised while rendering in the browser.
    console.error(error);
  }
  return (
    <StatusPage
      status={status}
      primary={text(locale)}
      secondary={text(other)}
      action={{ to: "/", label: messagesFor(locale).backHome }}
    />
  );
}
