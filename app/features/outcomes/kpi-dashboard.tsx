import type { KpiAnswer } from "../../../server/domain/outcomes.ts";
import type { BreakdownRow, MedianKpi, RateKpi } from "../../../server/outcomes/kpi.ts";
import { formatNumber } from "~/lib/format";
import { label, localized, type Locale, type Messages } from "~/lib/i18n";
import { ageBandLabel } from "~/lib/people";
import { BarChart, RateBar, type Bar } from "./bar-chart";

/**
 * The outcomes dashboard (issue 9): the key indicators against their targets, participation by
 * age band and area, and incentives issued. Every chart has a table with the same numbers; a
 * suppressed count is written out as such, never shown as 0.
 */
export function KpiDashboard({ answer, locale, t }: { answer: KpiAnswer; locale: Locale; t: Messages }) {
  const { report, options } = answer;
  const percent = (rate: number) => `${formatNumber(Math.round(rate * 1000) / 10, locale)}%`;
  const count = (value: number | null, suppressed: boolean) => (suppressed ? t.outcomesSuppressed : value == null ? t.outcomesNoData : formatNumber(value, locale));

  const rateRow = (name: string, help: string, kpi: RateKpi) => ({
    name,
    help,
    actual: kpi.suppressed ? t.outcomesSuppressed : kpi.rate == null ? t.outcomesNoData : percent(kpi.rate),
    detail: kpi.rate != null && kpi.numerator != null && kpi.denominator != null ? t.kpiOfTotal(formatNumber(kpi.numerator, locale), formatNumber(kpi.denominator, locale)) : null,
    target: t.kpiAtLeast(percent(kpi.target)),
    met: kpi.met,
    bar: <RateBar rate={kpi.rate} target={kpi.target} />,
  });
  const hours = (h: number) => t.kpiHours(formatNumber(Math.round(h * 10) / 10, locale));
  const medianRow = (kpi: MedianKpi) => ({
    name: t.kpiTimeToMatch,
    help: t.kpiTimeToMatchHelp,
    actual: kpi.suppressed ? t.outcomesSuppressed : kpi.hours == null ? t.outcomesNoData : hours(kpi.hours),
    detail: null,
    target: t.kpiAtMost(hours(kpi.target)),
    met: kpi.met,
    bar: null,
  });
  const rows = [
    rateRow(t.kpiMatchSuccess, t.kpiMatchSuccessHelp, report.matchSuccess),
    medianRow(report.timeToMatch),
    rateRow(t.kpiFilledOnTime, t.kpiFilledOnTimeHelp, report.piecesFilledOnTime),
    rateRow(t.kpiContinuation30, t.kpiContinuationHelp, report.continuation30),
    rateRow(t.kpiContinuation90, t.kpiContinuationHelp, report.continuation90),
  ];

  const areaName = (key: string) => {
    const area = options.areas.find((a) => a.id === key);
    return area ? localized(locale, area.name, area.nameEn) : t.kpiAreaUnknown;
  };
  const ageName = (key: string) => (key === "unknown" ? ageBandLabel(null, locale) : ageBandLabel(Number(key), locale));
  const bars = (breakdown: BreakdownRow[], name: (key: string) => string): Bar[] =>
    breakdown.map((b) => ({ key: b.key, label: name(b.key), value: b.count, text: count(b.count, b.suppressed) }));

  return (
    <div className="kpi-dashboard">
      <p className={report.scope === "shared" ? "callout callout--quiet" : "callout"}>
        {report.scope === "shared" ? t.outcomesScopeShared(report.suppressionThreshold) : t.outcomesScopeOwn}
      </p>

      <section aria-labelledby="kpi-summary-title" className="section">
        <h2 id="kpi-summary-title">{t.kpiSummaryHeading}</h2>
        <div className="table-scroll">
          <table className="table kpi-table">
            <thead>
              <tr>
                <th scope="col">{t.kpiIndicator}</th>
                <th scope="col" className="num">
                  {t.kpiActual}
                </th>
                <th scope="col" className="num">
                  {t.kpiTarget}
                </th>
                <th scope="col">{t.kpiStatus}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.name}>
                  <th scope="row">
                    {row.name}
                    <span className="kpi-table__help">{row.help}</span>
                  </th>
                  <td className="num">
                    <strong className="kpi-table__value">{row.actual}</strong>
                    {row.detail ? <span className="kpi-table__help">{row.detail}</span> : null}
                    {row.bar}
                  </td>
                  <td className="num">{row.target}</td>
                  <td>
                    <span className={row.met == null ? "badge badge--quiet" : row.met ? "badge badge--ok" : "badge kpi-badge--not-met"}>
                      {row.met == null ? t.kpiUnknown : row.met ? t.kpiMet : t.kpiNotMet}
                    </span>
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t.kpiParticipants}</th>
                <td className="num">
                  <strong className="kpi-table__value">{count(report.participants.value, report.participants.suppressed)}</strong>
                </td>
                <td className="num">—</td>
                <td>—</td>
              </tr>
              <tr>
                <th scope="row">{t.kpiFirstTime}</th>
                <td className="num">
                  <strong className="kpi-table__value">{count(report.firstTimeParticipants.value, report.firstTimeParticipants.suppressed)}</strong>
                </td>
                <td className="num">—</td>
                <td>—</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <div className="two-columns">
        <Breakdown id="kpi-age" title={t.kpiByAgeBand} column={t.kpiAgeBand} bars={bars(report.byAgeBand, ageName)} t={t} />
        <Breakdown id="kpi-area" title={t.kpiByArea} column={t.fieldArea} bars={bars(report.byArea, areaName)} t={t} />
      </div>

      <section aria-labelledby="kpi-incentives-title" className="section">
        <h2 id="kpi-incentives-title">{t.kpiIncentives}</h2>
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t.kpiIncentiveKind}</th>
                <th scope="col" className="num">
                  {t.kpiIncentiveCount}
                </th>
                <th scope="col" className="num">
                  {t.kpiIncentiveTotal}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.incentives.map((row) => (
                <tr key={row.kind}>
                  <th scope="row">{label(locale, `incentiveKind_${row.kind}`)}</th>
                  <td className="num">{count(row.count, row.suppressed)}</td>
                  <td className="num">{count(row.total, row.suppressed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function Breakdown({ id, title, column, bars, t }: { id: string; title: string; column: string; bars: Bar[]; t: Messages }) {
  return (
    <section aria-labelledby={`${id}-title`} className="section">
      <h2 id={`${id}-title`}>{title}</h2>
      {bars.length === 0 ? (
        <p className="empty">{t.outcomesNoData}</p>
      ) : (
        <figure className="kpi-figure">
          <BarChart bars={bars} />
          <figcaption className="kpi-table__help">{t.kpiChartNote}</figcaption>
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{column}</th>
                  <th scope="col" className="num">
                    {t.kpiCount}
                  </th>
                </tr>
              </thead>
              <tbody>
                {bars.map((bar) => (
                  <tr key={bar.key}>
                    <th scope="row">{bar.label}</th>
                    <td className="num">{bar.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </figure>
      )}
    </section>
  );
}
