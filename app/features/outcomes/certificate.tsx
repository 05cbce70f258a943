import { Form } from "@remix-run/react";
import { localized, type Locale } from "~/lib/i18n";
import { formatMinutes } from "./format";
import type { OutcomeMessages } from "./messages";
import { PrintButton } from "./print-button";

/**
 * 参加証明書 as printed (A4, outcomes.css): the coordinator's page
 * (/w/<slug>/residents/<id>/certificate) and the resident's own (/me/certificate) render the same
 * sheet from the same domain answer (server/domain/incentives.ts, decision 052 / 056).
 */
export interface CertificateView {
  resident: { publicCode: string; name: string | null };
  issuers: Array<{ id: string; name: string; nameEn: string | null }>;
  period: { from: string; to: string };
  issuedOn: string;
  items: Array<{
    date: string;
    taskTitle: string;
    taskTitleEn: string | null;
    role: string;
    roleEn: string | null;
    organizer: string;
    organizerEn: string | null;
    minutes: number;
    timed: boolean;
  }>;
  count: number;
  totalMinutes: number;
}

/** The period (and, for the resident, organization) form and the print button; not printed. */
export function CertificateFilters({
  period,
  t,
  locale,
  organizations,
  organizationId,
}: {
  period: { from: string; to: string };
  t: OutcomeMessages;
  locale: Locale;
  /** The resident's page: one certificate per organization, or all together. */
  organizations?: Array<{ id: string; name: string; nameEn: string | null }>;
  organizationId?: string | null;
}) {
  return (
    <Form method="get" className="ledger-filters no-print">
      <div className="field">
        <label htmlFor="cert-from">{t.certPeriod}</label>
        <input id="cert-from" name="from" type="date" defaultValue={period.from} />
      </div>
      <div className="field">
        <label htmlFor="cert-to">〜</label>
        <input id="cert-to" name="to" type="date" defaultValue={period.to} />
      </div>
      {organizations && organizations.length > 1 ? (
        <div className="field">
          <label htmlFor="cert-org">{t.certOrganization}</label>
          <select id="cert-org" name="organizationId" defaultValue={organizationId ?? ""}>
            <option value="">{t.certAllOrganizations}</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {localized(locale, o.name, o.nameEn)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="submit" className="button">
        {t.ledgerShow}
      </button>
      <PrintButton label={t.sheetPrint} />
    </Form>
  );
}

export function CertificateSheet({ certificate: c, t, locale }: { certificate: CertificateView; t: OutcomeMessages; locale: Locale }) {
  const who = c.resident.name ?? `#${c.resident.publicCode}`;
  const estimated = c.items.some((i) => !i.timed);
  return (
    <article className="certificate" aria-labelledby="cert-title">
      <h1 id="cert-title">{t.certTitle}</h1>
      <p className="certificate__who">
        <strong data-certificate-name>{who}</strong>
        {c.resident.name ? ` (#${c.resident.publicCode})` : null}
      </p>
      {c.resident.name ? null : <p className="field__hint">{t.certNoName}</p>}
      <p>{t.certBody(who, c.period.from, c.period.to)}</p>
      {c.items.length === 0 ? (
        <p>{t.certNone}</p>
      ) : (
        <div className="table-scroll">
          <table className="table certificate__table">
            <thead>
              <tr>
                <th scope="col">{t.certDate}</th>
                <th scope="col">{t.certActivity}</th>
                <th scope="col">{t.certRole}</th>
                <th scope="col" className="num">
                  {t.certHours}
                </th>
              </tr>
            </thead>
            <tbody>
              {c.items.map((i, n) => (
                <tr key={n}>
                  <td>{i.date}</td>
                  <td>
                    {localized(locale, i.taskTitle, i.taskTitleEn)}（{localized(locale, i.organizer, i.organizerEn)}）
                  </td>
                  <td>{localized(locale, i.role, i.roleEn)}</td>
                  <td className="num">
                    {formatMinutes(i.minutes, locale)}
                    {i.timed ? "" : " *"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="certificate__total" data-total-minutes={c.totalMinutes}>
        <strong>{t.certTotal(c.count, formatMinutes(c.totalMinutes, locale))}</strong>
      </p>
      {estimated ? <p className="field__hint">{t.certEstimated}</p> : null}
      <div className="certificate__issuer">
        <p>{t.certIssued(c.issuedOn)}</p>
        <p>
          {t.certIssuer}: {c.issuers.length > 0 ? c.issuers.map((o) => localized(locale, o.name, o.nameEn)).join("、") : t.certNoIssuer}
        </p>
      </div>
    </article>
  );
}
