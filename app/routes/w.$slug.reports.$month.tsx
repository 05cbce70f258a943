import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { KpiDashboard } from "~/features/outcomes/kpi-dashboard";
import { outcomeMessages } from "~/features/outcomes/messages";
import outcomesCss from "~/features/outcomes/outcomes.css?url";
import { PrintButton } from "~/features/outcomes/print-button";
import { orResponse, queryOrResponse, requireUser } from "~/lib/auth.server";
import { formatNumber } from "~/lib/format";
import { messagesFor } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import { MonthlyReportQuerySchema } from "../../server/domain/outcomes.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: outcomesCss }];

export const meta: MetaFunction<typeof loader> = ({ matches, params }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, outcomeMessages(locale).reportTitle(String(params.month ?? "")));
};

/**
 * /w/<slug>/reports/<YYYY-MM>: the printable monthly summary for the platform meeting — the
 * month's counts and the KPI dashboard for that month, with the same suppression (docs/outcomes.md).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const query = queryOrResponse(request, MonthlyReportQuerySchema);
  const report = await orResponse(Promise.resolve().then(() => domain.outcomes.monthlyReport(user, workspace.id, String(params.month), query)));
  return { workspace, report };
}

export default function MonthlyReportPage() {
  const { workspace, report } = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const t = outcomeMessages(locale);
  const base = `/w/${workspace.slug}/reports`;
  const count = (c: { value: number | null; suppressed: boolean }) => (c.suppressed ? t.suppressed : c.value == null ? t.unknown : formatNumber(c.value, locale));
  const figures: Array<[string, string, string]> = [
    ["new-residents", t.reportNewResidents, count(report.newResidents)],
    ["participations", t.reportParticipations, count(report.participations)],
    ["hours", t.reportHours, report.hours.suppressed ? t.suppressed : report.hours.value == null ? t.unknown : t.hoursValue(report.hours.value)],
    ["pieces", t.reportPieces, formatNumber(report.pieces.total, locale)],
    ["pieces-filled", t.reportPiecesFilled, formatNumber(report.pieces.filled, locale)],
    ["pieces-open", t.reportPiecesOpen, formatNumber(report.pieces.open, locale)],
    ["seats", t.reportSeats, `${formatNumber(report.pieces.bookedSeats, locale)} / ${formatNumber(report.pieces.seats, locale)}`],
  ];
  return (
    <>
      <h1>{t.reportTitle(report.month)}</h1>
      <p className="section__lead">{t.reportLead}</p>
      <nav className="no-print ledger-filters" aria-label={t.reportLink}>
        <Link to={`${base}/${report.previous}`}>← {t.reportPrevious}</Link>
        {report.next ? <Link to={`${base}/${report.next}`}>{t.reportNext} →</Link> : null}
        <PrintButton label={t.sheetPrint} />
      </nav>
      <section className="section" aria-labelledby="report-counts">
        <h2 id="report-counts">{t.reportCounts}</h2>
        <dl className="report-figures">
          {figures.map(([key, name, value]) => (
            <div className="report-figure" key={key} data-figure={key}>
              <dt>{name}</dt>
              <dd className="report-figure__value">{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="section" aria-labelledby="report-kpis">
        <h2 id="report-kpis">{t.reportKpis}</h2>
        <KpiDashboard answer={report.kpis} locale={locale} t={messagesFor(locale)} />
      </section>
    </>
  );
}
