import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { formatMinutes } from "~/features/outcomes/format";
import { outcomeMessages } from "~/features/outcomes/messages";
import outcomesCss from "~/features/outcomes/outcomes.css?url";
import { PrintButton } from "~/features/outcomes/print-button";
import { orResponse, requireUser } from "~/lib/auth.server";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import { CertificateQuerySchema } from "../../server/domain/incentives.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: outcomesCss }];

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, outcomeMessages(locale).certTitle);
};

/**
 * 参加証明書 (printable): the activities of the caller's organizations a resident took part in
 * during a period, with dates and hours — e.g. for a student's school. Coordinators and admins;
 * the name only where the projection allows (the read is audited). Default period: the last year.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const search = new URL(request.url).searchParams;
  const parsed = CertificateQuerySchema.safeParse({
    from: search.get("from") ?? undefined,
    to: search.get("to") ?? undefined,
    organizationId: search.get("organizationId") ?? undefined,
  });
  if (!parsed.success) throw data({ code: "validation_failed", message: "入力内容に誤りがあります / Invalid input" }, { status: 400 });
  const audit = { actorUserId: user.id, purpose: "certificate", ip: context.clientIp ?? null };
  const certificate = await orResponse(domain.incentives.certificate(user, String(params.residentId), parsed.data, audit));
  return { workspace, certificate };
}

export default function CertificatePage() {
  const { certificate: c } = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const t = outcomeMessages(locale);
  const who = c.resident.name ?? `#${c.resident.publicCode}`;
  const estimated = c.items.some((i) => !i.timed);
  return (
    <>
      <Form method="get" className="ledger-filters no-print">
        <div className="field">
          <label htmlFor="cert-from">{t.certPeriod}</label>
          <input id="cert-from" name="from" type="date" defaultValue={c.period.from} />
        </div>
        <div className="field">
          <label htmlFor="cert-to">〜</label>
          <input id="cert-to" name="to" type="date" defaultValue={c.period.to} />
        </div>
        <button type="submit" className="button">
          {t.ledgerShow}
        </button>
        <PrintButton label={t.sheetPrint} />
      </Form>
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
          <table className="table">
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
        )}
        <p className="certificate__total" data-total-minutes={c.totalMinutes}>
          <strong>{t.certTotal(c.count, formatMinutes(c.totalMinutes, locale))}</strong>
        </p>
        {estimated ? <p className="field__hint">{t.certEstimated}</p> : null}
        <div className="certificate__issuer">
          <p>{t.certIssued(c.issuedOn)}</p>
          <p>
            {t.certIssuer}: {c.issuers.map((o) => localized(locale, o.name, o.nameEn)).join("、")}
          </p>
        </div>
      </article>
    </>
  );
}
