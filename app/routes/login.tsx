import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { TextField } from "~/components/text-field";
import {
  cookieIsSecure,
  getUser,
  homePathFor,
  sessionCookie,
  sessionMaxAgeSeconds,
} from "~/lib/auth.server";
import { messagesFor } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { LoginSchema } from "~/lib/schemas";
import { useI18n } from "~/lib/use-i18n";

/** The demo account the demo seed creates (architecture.md); shown only where it is seeded. */
const DEMO_ACCOUNT = { email: "coordinator@tsunagu.example", password: "tsunagu-demo" };

const LoginFormSchema = LoginSchema.extend({ redirectTo: z.string().max(2048).optional() });

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, messagesFor(locale).loginTitle);
};

/** A throttled login page (429) says when to come back, like the JSON API. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  const user = await getUser(request, context);
  if (user) throw redirect(redirectTo ?? (await homePathFor(user, context)));
  const { env } = context.services;
  // Same rule as the demo seed: the embedded database always has it, DATABASE_URL only with SEED_DEMO=1.
  const demoSeeded = !env.DATABASE_URL || env.SEED_DEMO === "1";
  return { redirectTo: redirectTo ?? "", demo: demoSeeded ? DEMO_ACCOUNT : null };
}

type FieldError = "emailInvalid" | "passwordRequired";
type ActionResult = {
  formError?: "invalidCredentials" | "tooManyAttempts";
  /** With tooManyAttempts: how long to wait. */
  retryAfterSeconds?: number;
  fieldErrors?: Partial<Record<"email" | "password", FieldError>>;
  email: string;
};

/**
 * The login throttle's message (docs/decisions/027): the same whether or not the account exists.
 * Kept here with its one user rather than in the shared dictionary.
 */
function tooManyAttempts(locale: string, seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return locale === "ja"
    ? `ログインの試行が多すぎます。しばらくしてから(${seconds < 60 ? `約${seconds}秒後に` : `約${minutes}分後に`})もう一度お試しください。`
    : `Too many login attempts. Please try again ${seconds < 60 ? `in about ${seconds} seconds` : `in about ${minutes} minute${minutes === 1 ? "" : "s"}`}.`;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const raw = {
    email: String(form.get("email") ?? ""),
    password: String(form.get("password") ?? ""),
    redirectTo: String(form.get("redirectTo") ?? ""),
  };
  const parsed = LoginFormSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: ActionResult["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      if (issue.path[0] === "email") fieldErrors.email = "emailInvalid";
      if (issue.path[0] === "password") fieldErrors.password = "passwordRequired";
    }
    return data<ActionResult>({ fieldErrors, email: raw.email.slice(0, 254) }, { status: 400 });
  }
  const { email, password, redirectTo } = parsed.data;
  const result = await context.services.auth.login({
    email,
    password,
    ip: context.clientIp,
    userAgent: request.headers.get("User-Agent") ?? undefined,
  });
  if (!result.ok && result.code === "rate_limited") {
    return data<ActionResult>(
      { formError: "tooManyAttempts", retryAfterSeconds: result.retryAfterSeconds, email },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  if (!result.ok) {
    // One message for an unknown email and a wrong password: do not reveal which accounts exist.
    return data<ActionResult>({ formError: "invalidCredentials", email }, { status: 401 });
  }
  const to = safeRedirectPath(redirectTo) ?? (await homePathFor(result.user, context));
  throw redirect(to, {
    headers: {
      "Set-Cookie": sessionCookie(result.token, {
        maxAgeSeconds: sessionMaxAgeSeconds(context),
        secure: cookieIsSecure(context),
      }),
    },
  });
}

export default function LoginPage() {
  const { redirectTo, demo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useI18n();
  const submitting = navigation.state === "submitting" && navigation.formAction?.startsWith("/login") === true;
  const errorRef = useRef<HTMLDivElement>(null);

  // Move focus to the message after a failed attempt so keyboard and screen-reader users hear it.
  useEffect(() => {
    if (result?.formError || result?.fieldErrors) errorRef.current?.focus();
  }, [result]);

  const fieldError = (name: "email" | "password") => {
    const key = result?.fieldErrors?.[name];
    return key ? t[key] : null;
  };

  return (
    <div className="narrow">
      <h1>{t.loginTitle}</h1>
      <p className="section__lead">{t.loginLead}</p>
      {result?.formError ? (
        <div className="alert alert--error" role="alert" tabIndex={-1} ref={errorRef}>
          {result.formError === "tooManyAttempts" ? tooManyAttempts(locale, result.retryAfterSeconds ?? 60) : t[result.formError]}
        </div>
      ) : result?.fieldErrors ? (
        <div className="visually-hidden" role="alert" tabIndex={-1} ref={errorRef}>
          {[fieldError("email"), fieldError("password")].filter(Boolean).join(" ")}
        </div>
      ) : null}
      <Form method="post" className="form card" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          id="email"
          name="email"
          type="email"
          label={t.email}
          autoComplete="username"
          inputMode="email"
          required
          defaultValue={result?.email ?? ""}
          error={fieldError("email")}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t.password}
          autoComplete="current-password"
          required
          error={fieldError("password")}
        />
        <button type="submit" className="button button--wide" aria-disabled={submitting || undefined}>
          {submitting ? t.loginSubmitting : t.loginSubmit}
        </button>
      </Form>
      {demo ? (
        <aside className="callout callout--quiet" aria-labelledby="demo-title">
          <h2 id="demo-title">{t.demoHintTitle}</h2>
          <p>{t.demoHintBody}</p>
          <dl className="facts facts--compact">
            <div>
              <dt>{t.email}</dt>
              <dd>
                <code>{demo.email}</code>
              </dd>
            </div>
            <div>
              <dt>{t.password}</dt>
              <dd>
                <code>{demo.password}</code>
              </dd>
            </div>
          </dl>
        </aside>
      ) : null}
    </div>
  );
}
