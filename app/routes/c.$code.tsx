import { data, type ActionFunctionArgs, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { StatusPage } from "~/components/status-page";
import { CheckInForm, errorText, type CheckInAnswer } from "~/features/check-in/check-in-form";
import { outcomeMessages } from "~/features/outcomes/messages";
import outcomesCss from "~/features/outcomes/outcomes.css?url";
import { displayFromRequest } from "~/features/residents/display.server";
import { R, ResidentPage, useResident } from "~/features/residents/resident-page";
import { getUser } from "~/lib/auth.server";
import { formatTimeRange } from "~/lib/format";
import { localized, messagesFor, type Locale } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import { formatCheckInCode } from "~/features/check-in/code";
import { newIdempotencyKey } from "~/features/check-in/offline-queue";
import { formatMinutes, jstTime } from "~/features/outcomes/format";
import { CodeCheckInSchema } from "../../server/domain/check-in.ts";
import { limitCheckIn } from "../../server/http/check-in-limits.ts";
import { AppError } from "../../server/http/errors.ts";

/** Retry-After of a 429 (the API gets it from server/http/security.ts; Remix answers itself). */
function retryAfter(error: unknown): Record<string, string> {
  const seconds = (error as { code?: string; details?: { retryAfterSeconds?: unknown } }).details?.retryAfterSeconds;
  return (error as { code?: string }).code === "rate_limited" && typeof seconds === "number" ? { "Retry-After": String(seconds) } : {};
}

/** Passes a 429's Retry-After (from the action, or thrown by the loader) on to the document. */
export const headers: HeadersFunction = ({ errorHeaders, actionHeaders, loaderHeaders }) => {
  const retry = errorHeaders?.get("Retry-After") ?? actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  const out = new Headers();
  if (retry) out.set("Retry-After", retry);
  return out;
};

export const links: LinksFunction = () => [{ rel: "stylesheet", href: outcomesCss }];

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, outcomeMessages(locale).checkInTitle);
};

/**
 * /c/<code>: the page a resident's phone opens from the QR code at the site (public). Shows the
 * piece, never a person. Check in or out with the reference code (or as the signed-in resident).
 * Without JavaScript the form POSTs here; with it, presses are queued on the phone and sent when
 * online (app/features/check-in). docs/outcomes.md.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const code = String(params.code ?? "");
  // A 404 here tells a guesser the code does not exist: it counts against the same limits (decision 055).
  const found = await limitCheckIn(context.services.rateLimits, context.clientIp, code, async () => {
    const piece = await context.services.domain.checkIn.pieceForCode(code);
    if (!piece) throw new AppError("not_found", "チェックインの番号が見つかりません / Check-in code not found");
    return piece;
  }).catch((error: unknown) => {
    const e = error as { status?: unknown; code?: unknown; message?: string };
    if (typeof e.status === "number" && typeof e.code === "string") throw data({ code: e.code, message: e.message }, { status: e.status, headers: retryAfter(error) });
    throw error;
  });
  const user = await getUser(request, context);
  // A resident's own login identifies them; staff and visitors use the reference code.
  const signedInResident = user != null && user.memberships.length === 0;
  return {
    ...displayFromRequest(request),
    found,
    signedInResident,
    // The idempotency key of the no-JavaScript POST: a double submit of this form is recorded once.
    formKey: newIdempotencyKey(),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const body = {
    referenceCode: String(form.get("referenceCode") ?? "").slice(0, 40) || undefined,
    action: form.get("action") === "out" ? ("out" as const) : ("in" as const),
    key: String(form.get("key") ?? ""),
  };
  const user = await getUser(request, context);
  const parsed = CodeCheckInSchema.safeParse(body);
  if (!parsed.success) return data({ ok: false as const, code: "validation_failed", reason: null, reference: body.referenceCode ?? "" }, { status: 400 });
  const code = String(params.code ?? "");
  try {
    const result = await limitCheckIn(context.services.rateLimits, context.clientIp, code, () => context.services.domain.checkIn.checkInByCode(code, parsed.data, user));
    return { ok: true as const, result: result as CheckInAnswer };
  } catch (error) {
    const e = error as { status?: number; code?: string; details?: { reason?: string } };
    if (typeof e.status === "number" && typeof e.code === "string") {
      return data(
        { ok: false as const, code: e.code, reason: e.details?.reason ?? null, reference: body.referenceCode ?? "" },
        { status: e.status, headers: retryAfter(error) },
      );
    }
    throw error;
  }
}

export default function CheckInPage() {
  const loaderData = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={loaderData.display} reading={loaderData.reading}>
      <CheckInContent />
    </ResidentPage>
  );
}

function CheckInContent() {
  const { found, signedInResident, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { reading } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const t = outcomeMessages(locale);
  return (
    <div className="narrow">
      <h1>
        <R>{t.checkInTitle}</R>
      </h1>
      <p className="section__lead">
        <R>{t.checkInLead}</R>
      </p>
      <dl className="facts card">
        <div>
          <dt>{t.checkInCodeLabel}</dt>
          <dd>{formatCheckInCode(found.code)}</dd>
        </div>
        <div>
          <dt>{t.piece}</dt>
          <dd>
            {localized(locale, found.task.title, found.task.titleEn)} · {localized(locale, found.piece.role, found.piece.roleEn)}
            <br />
            <time dateTime={found.piece.startsAt}>{formatTimeRange(found.piece.startsAt, found.piece.endsAt, locale)}</time>
          </dd>
        </div>
        {found.task.locationName ? (
          <div>
            <dt>{t.place}</dt>
            <dd>{found.task.locationName}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t.organizer}</dt>
          <dd>{localized(locale, found.task.organizer, found.task.organizerEn)}</dd>
        </div>
      </dl>
      <CheckInForm
        code={found.code}
        formKey={formKey}
        signedInResident={signedInResident}
        t={t}
        formatTime={(iso) => jstTime(iso)}
        formatMinutes={(m) => formatMinutes(m, locale)}
        defaultReference={actionData && !actionData.ok ? actionData.reference : undefined}
      />
      {actionData ? (
        <div role="status" className="check-in-result">
          {actionData.ok ? (
            <div className="alert alert--success" data-check-in-status={actionData.result.status}>
              <p>
                {actionData.result.status === "duplicate"
                  ? t.checkInDuplicate
                  : t.checkInRecorded(actionData.result.action, jstTime(new Date(actionData.result.at)))}
              </p>
              {actionData.result.participation.minutes != null ? (
                <p>{t.checkInMinutes(formatMinutes(actionData.result.participation.minutes, locale))}</p>
              ) : null}
            </div>
          ) : (
            <p className="alert alert--error">{errorText(t, actionData.code, actionData.reason)}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}

/**
 * A code that is not found, or too many failed attempts from here (429, decision 055): said in
 * the check-in page's own words, in the reader's language first.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { locale } = useI18n();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = (l: Locale) => {
    const t = outcomeMessages(l);
    if (status === 404 || status === 429) return { lang: l, title: t.checkInTitle, body: status === 429 ? t.checkInTooMany : t.checkInUnknown };
    return { lang: l, title: messagesFor(l).errorTitle, body: messagesFor(l).errorBody };
  };
  return <StatusPage status={status} primary={text(locale)} secondary={text(locale === "ja" ? "en" : "ja")} />;
}
