import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatCheckInCode } from "~/features/check-in/code";
import { newIdempotencyKey } from "~/features/check-in/offline-queue";
import { formatMinutes, jstTime } from "~/features/outcomes/format";
import { outcomeMessages } from "~/features/outcomes/messages";
import outcomesCss from "~/features/outcomes/outcomes.css?url";
import { PrintButton } from "~/features/outcomes/print-button";
import { orResponse, requireUser } from "~/lib/auth.server";
import { formatTimeRange } from "~/lib/format";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import { CoordinatorCheckInSchema } from "../../server/domain/check-in.ts";
import { IncentiveAddSchema } from "../../server/domain/incentives.ts";
import { qrSvg } from "../../server/outcomes/qr.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: outcomesCss }];

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, outcomeMessages(locale).sheetTitle);
};

const INCENTIVE_KINDS = ["TRANSPORT_FEE", "THANKS_MONEY", "LOCAL_POINTS", "CERTIFICATE"] as const;

async function sheetFor(request: Request, context: LoaderFunctionArgs["context"], params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const audit = { actorUserId: user.id, purpose: "check-in", ip: context.clientIp ?? null };
  const sheet = await orResponse(domain.checkIn.sheet(user, String(params.shiftId), audit));
  if (sheet.workspaceId !== workspace.id) throw data({ code: "not_found", message: "Piece not found" }, { status: 404 });
  return { user, workspace, sheet };
}

/**
 * The coordinator's check-in poster for one piece (printable): the code in large type and as a
 * QR code (inline SVG drawn on the server), the URL, and the roster where a coordinator checks
 * people in and out for them and adds incentives. Coordinators and admins of the organizer only.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { workspace, sheet } = await sheetFor(request, context, params);
  const base = context.services.env.PUBLIC_URL ?? new URL(request.url).origin;
  const url = `${base.replace(/\/$/, "")}/c/${sheet.code}`;
  return {
    workspace,
    sheet,
    url,
    qr: qrSvg(url, { title: `QR: ${url}` }),
    // Idempotency keys of this rendering's forms (one per resident and action).
    formKey: newIdempotencyKey(),
  };
}

/** A coordinator checks someone in or out, or adds an incentive. Authorized by the domain per piece / participation. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  await orResponse(context.services.domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const form = Object.fromEntries(await request.formData());
  const { domain } = context.services;
  try {
    if (form.intent === "incentive") {
      const parsed = IncentiveAddSchema.safeParse(form);
      if (!parsed.success) return data({ ok: false as const, message: "入力内容に誤りがあります / Invalid input" }, { status: 400 });
      await domain.incentives.add(user, String(form.participationId ?? ""), parsed.data);
      return { ok: true as const };
    }
    const parsed = CoordinatorCheckInSchema.safeParse(form);
    if (!parsed.success) return data({ ok: false as const, message: "入力内容に誤りがあります / Invalid input" }, { status: 400 });
    await domain.checkIn.checkInByCoordinator(user, String(params.shiftId), parsed.data);
    return { ok: true as const };
  } catch (error) {
    const e = error as { status?: number; code?: string; message?: string };
    if (typeof e.status === "number" && typeof e.code === "string") {
      return data({ ok: false as const, message: String(e.message) }, { status: e.status });
    }
    throw error;
  }
}

export default function CheckInSheetPage() {
  const { workspace, sheet, url, qr, formKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { locale } = useI18n();
  const t = outcomeMessages(locale);
  const time = (iso: string | null) => (iso ? jstTime(iso) : "—");
  return (
    <>
      <section className="check-in-poster" aria-labelledby="poster-title">
        {/* Server-drawn SVG of our own (server/outcomes/qr.ts): no user input reaches its markup unescaped. */}
        <div className="check-in-poster__qr" dangerouslySetInnerHTML={{ __html: qr }} />
        <div>
          <h1 id="poster-title">{t.sheetTitle}</h1>
          <p>
            <strong>{localized(locale, sheet.task.title, sheet.task.titleEn)}</strong> · {localized(locale, sheet.piece.role, sheet.piece.roleEn)}
            <br />
            <time dateTime={sheet.piece.startsAt}>{formatTimeRange(sheet.piece.startsAt, sheet.piece.endsAt, locale)}</time>
            {sheet.task.locationName ? ` · ${sheet.task.locationName}` : ""}
          </p>
          <p>{t.checkInCodeLabel}</p>
          <p className="check-in-code" data-code={sheet.code}>
            {formatCheckInCode(sheet.code)}
          </p>
          <p className="check-in-url">{t.sheetOpen(url)}</p>
          <p className="section__lead">{t.sheetLead}</p>
          <p className="no-print">
            <PrintButton label={t.sheetPrint} /> <Link to={`/w/${workspace.slug}/incentives`}>{t.sheetLedger}</Link>
          </p>
        </div>
      </section>

      <section className="section no-print" aria-labelledby="roster-title">
        <h2 id="roster-title">{t.sheetRoster}</h2>
        <div role="status">
          {result ? <p className={result.ok ? "alert alert--success" : "alert alert--error"}>{result.ok ? t.sheetDone : result.message}</p> : null}
        </div>
        {sheet.roster.length === 0 ? (
          <p>{t.sheetNobody}</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t.sheetResident}</th>
                  <th scope="col">{t.sheetState}</th>
                  <th scope="col">{t.sheetIn}</th>
                  <th scope="col">{t.sheetOut}</th>
                  <th scope="col">{t.sheetMinutes}</th>
                  <th scope="col">{t.sheetActions}</th>
                  <th scope="col">{t.sheetIncentives}</th>
                </tr>
              </thead>
              <tbody>
                {sheet.roster.map((row, index) => {
                  const p = row.participation;
                  const who = row.resident.name ? `${row.resident.name} (#${row.resident.publicCode})` : locale === "en" ? row.resident.labelEn : row.resident.label;
                  return (
                    <tr key={row.matchId} data-resident={row.resident.id}>
                      <th scope="row">{who}</th>
                      <td>{t.stage[row.stage] ?? row.stage}</td>
                      <td>{p?.checkInAt ? time(p.checkInAt) : t.sheetNotYet}</td>
                      <td>{time(p?.checkOutAt ?? null)}</td>
                      <td>{p?.minutes != null ? formatMinutes(p.minutes, locale) : "—"}</td>
                      <td>
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="residentId" value={row.resident.id} />
                          <button type="submit" name="action" value="in" className="button button--secondary" aria-label={`${t.checkInIn}: ${who}`}>
                            {t.checkInIn}
                          </button>
                          <input type="hidden" name="key" value={`${formKey}-${index}`} />
                        </Form>
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="residentId" value={row.resident.id} />
                          <input type="hidden" name="action" value="out" />
                          <input type="hidden" name="key" value={`${formKey}-${index}-out`} />
                          <button type="submit" className="button button--secondary" aria-label={`${t.checkInOut}: ${who}`}>
                            {t.checkInOut}
                          </button>
                        </Form>
                      </td>
                      <td>
                        <ul>
                          {(p?.incentives ?? []).map((i, n) => (
                            <li key={n}>
                              {t.incentiveKind[i.kind]} {i.kind === "CERTIFICATE" ? "" : `${i.amount}${t.unit[i.kind]}`}
                            </li>
                          ))}
                        </ul>
                        {p?.attended ? (
                          <Form method="post" className="inline-form">
                            <input type="hidden" name="intent" value="incentive" />
                            <input type="hidden" name="participationId" value={p.id} />
                            <label>
                              <span className="visually-hidden">{t.sheetKind}</span>
                              <select name="kind" aria-label={`${t.sheetKind}: ${who}`}>
                                {INCENTIVE_KINDS.map((k) => (
                                  <option key={k} value={k}>
                                    {t.incentiveKind[k]}
                                  </option>
                                ))}
                              </select>
                            </label>
                            <input type="number" name="amount" min={1} max={100000} aria-label={`${t.sheetAmount}: ${who}`} />
                            <input type="text" name="note" maxLength={200} aria-label={`${t.sheetNote}: ${who}`} />
                            <button type="submit" className="button button--secondary">
                              {t.sheetAdd}
                            </button>
                          </Form>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
