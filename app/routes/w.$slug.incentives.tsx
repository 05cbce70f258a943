import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { jstDay, jstMonth } from "~/features/outcomes/format";
import { outcomeMessages, type OutcomeMessages } from "~/features/outcomes/messages";
import outcomesCss from "~/features/outcomes/outcomes.css?url";
import { PrintButton } from "~/features/outcomes/print-button";
import { orResponse, requireUser } from "~/lib/auth.server";
import { formatNumber, formatTimeRange } from "~/lib/format";
import { localized, type Locale } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import { LedgerQuerySchema } from "../../server/domain/incentives.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: outcomesCss }];

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, outcomeMessages(locale).ledgerTitle);
};

/**
 * The incentive ledger of the caller's organizations for a month (coordinators and admins):
 * totals per kind, resident, organization and month, the entries, the accounting CSV, links to
 * each resident's certificate, and the month's pieces with their check-in posters.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const search = new URL(request.url).searchParams;
  const parsed = LedgerQuerySchema.safeParse({ month: search.get("month") ?? undefined, organizationId: search.get("organizationId") ?? undefined });
  const query = parsed.success ? { month: parsed.data.month, organizationId: parsed.data.organizationId } : {};
  const audit = { actorUserId: user.id, purpose: "accounting", ip: context.clientIp ?? null };
  const ledger = await orResponse(domain.incentives.ledger(user, workspace.id, query, audit));
  const pieces = await orResponse(domain.incentives.pieces(user, workspace.id, query));
  return { workspace, ledger, pieces, month: ledger.period.label, organizationId: query.organizationId ?? "" };
}

function TotalsTable({ caption, rows, t, locale }: { caption: string; rows: Array<{ label: string; totals: Array<{ kind: string; count: number; amount: number }> }>; t: OutcomeMessages; locale: Locale }) {
  const kinds = ["TRANSPORT_FEE", "THANKS_MONEY", "LOCAL_POINTS", "CERTIFICATE"];
  return (
    <div className="table-scroll">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col"></th>
            {kinds.map((k) => (
              <th scope="col" key={k} className="num">
                {t.incentiveKind[k]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {kinds.map((k) => {
                const total = row.totals.find((x) => x.kind === k);
                return (
                  <td key={k} className="num">
                    {total && total.count > 0 ? `${formatNumber(total.amount, locale)}${t.unit[k]}（${total.count}）` : "—"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function IncentiveLedgerPage() {
  const { workspace, ledger, pieces, month, organizationId } = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const t = outcomeMessages(locale);
  const base = `/w/${workspace.slug}`;
  const csvQuery = new URLSearchParams({ month, ...(organizationId ? { organizationId } : {}) });
  const monthValue = /^\d{4}-\d{2}$/.test(month) ? month : jstMonth(new Date());
  const who = (r: { residentName: string | null; residentCode: string }) => (r.residentName ? `${r.residentName} (#${r.residentCode})` : `#${r.residentCode}`);
  return (
    <>
      <h1>{t.ledgerTitle}</h1>
      <p className="section__lead">{t.ledgerLead}</p>
      <Form method="get" className="ledger-filters no-print">
        <div className="field">
          <label htmlFor="ledger-month">{t.ledgerMonth}</label>
          <input id="ledger-month" name="month" type="month" defaultValue={monthValue} pattern="\d{4}-\d{2}" />
        </div>
        <div className="field">
          <label htmlFor="ledger-org">{t.ledgerOrganization}</label>
          <select id="ledger-org" name="organizationId" defaultValue={organizationId}>
            <option value="">{t.ledgerAll}</option>
            {ledger.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {localized(locale, o.name, o.nameEn)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t.ledgerShow}
        </button>
        <a className="button button--secondary" href={`/api/v1/workspaces/${workspace.id}/incentives.csv?${csvQuery}`} download>
          {t.ledgerCsv}
        </a>
        <PrintButton label={t.sheetPrint} />
      </Form>

      <section className="section" aria-labelledby="ledger-totals">
        <h2 id="ledger-totals">
          {t.ledgerTotals}（{month}）
        </h2>
        <TotalsTable caption={t.ledgerTotals} rows={[{ label: t.total, totals: ledger.totals.overall }]} t={t} locale={locale} />
        <TotalsTable
          caption={t.ledgerByOrganization}
          rows={ledger.totals.byOrganization.map((o) => ({ label: o.organizationName, totals: o.totals }))}
          t={t}
          locale={locale}
        />
        <TotalsTable caption={t.ledgerByMonth} rows={ledger.totals.byMonth.map((m) => ({ label: m.month, totals: m.totals }))} t={t} locale={locale} />
        <TotalsTable caption={t.ledgerByResident} rows={ledger.totals.byResident.map((r) => ({ label: who(r), totals: r.totals }))} t={t} locale={locale} />
      </section>

      <section className="section" aria-labelledby="ledger-entries">
        <h2 id="ledger-entries">{t.ledgerEntries}</h2>
        {ledger.items.length === 0 ? (
          <p>{t.ledgerNone}</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t.ledgerDate}</th>
                  <th scope="col">{t.sheetKind}</th>
                  <th scope="col" className="num">
                    {t.sheetAmount}
                  </th>
                  <th scope="col">{t.sheetResident}</th>
                  <th scope="col">{t.ledgerActivity}</th>
                  <th scope="col">{t.ledgerOrganization}</th>
                  <th scope="col">{t.ledgerCertificate}</th>
                </tr>
              </thead>
              <tbody>
                {ledger.items.map((e) => (
                  <tr key={e.id}>
                    <td>{jstDay(new Date(e.issuedAt))}</td>
                    <td>{t.incentiveKind[e.kind]}</td>
                    <td className="num">
                      {formatNumber(e.amount, locale)}
                      {t.unit[e.kind]}
                    </td>
                    <th scope="row">{who(e)}</th>
                    <td>
                      {e.taskTitle} · {e.shiftRole}
                    </td>
                    <td>{e.organizationName}</td>
                    <td>
                      <Link to={`${base}/residents/${e.residentId}/certificate`}>{t.ledgerCertificate}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="section no-print" aria-labelledby="ledger-pieces">
        <h2 id="ledger-pieces">{t.ledgerPieces}</h2>
        {pieces.length === 0 ? (
          <p>{t.ledgerNoPieces}</p>
        ) : (
          <ul>
            {pieces.map((p) => (
              <li key={p.id}>
                <Link to={`${base}/shifts/${p.id}/check-in`}>
                  {localized(locale, p.taskTitle, p.taskTitleEn)} · {localized(locale, p.role, p.roleEn)} — {formatTimeRange(p.startsAt, p.endsAt, locale)}
                </Link>{" "}
                ({p.attended}/{p.headcount})
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
