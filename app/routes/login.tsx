import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
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
type ActionResult = { formError?: "invalidCredentials"; fieldErrors?: Partial<Record<"email" | "password", FieldError>>; email: string };

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
  const result = await context.services.sessions.login(email, password, request.headers.get("User-Agent") ?? undefined);
  if (!result) {
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
  const { t } = useI18n();
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
          {t[result.formError]}
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
