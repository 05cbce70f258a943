import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useParams } from "@remix-run/react";
import { KpiDashboard } from "~/features/outcomes/kpi-dashboard";
import { outcomeMessages } from "~/features/outcomes/messages";
import { PrintButton } from "~/features/outcomes/print-button";
import { orResponse, requireUser } from "~/lib/auth.server";
import { TASK_CATEGORIES } from "~/lib/categories";
import { localized, messagesFor } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import { parseKpiQuery } from "../../server/domain/outcomes.ts";

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, messagesFor(locale).outcomesTitle);
};

/**
 * The outcomes dashboard (docs/outcomes.md). Filters are a plain GET form, so the page works and
 * prints without JavaScript; the numbers come from the same domain call as GET …/kpis.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const search = new URL(request.url).searchParams;
  const raw = Object.fromEntries(["from", "to", "areaId", "organizationId", "category"].map((key) => [key, search.get(key) ?? undefined]));
  const answer = await orResponse(Promise.resolve().then(() => domain.outcomes.kpis(user, workspace.id, parseKpiQuery(raw))));
  return { answer };
}

export default function OutcomesPage() {
  const { answer } = useLoaderData<typeof loader>();
  const { locale, t } = useI18n();
  const { filters, options } = answer;
  const slug = encodeURIComponent(String(useParams().slug ?? ""));
  return (
    <>
      <h1>{t.outcomesTitle}</h1>
      <p className="section__lead">{t.outcomesLead}</p>
      <p className="kpi-period">{t.outcomesPeriod(filters.from, filters.to)}</p>

      <Form method="get" className="kpi-filters" aria-label={t.outcomesFilters}>
        <div className="field">
          <label htmlFor="kpi-from">{t.outcomesFrom}</label>
          <input id="kpi-from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="kpi-to">{t.outcomesTo}</label>
          <input id="kpi-to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="field">
          <label htmlFor="kpi-area">{t.outcomesArea}</label>
          <select id="kpi-area" name="areaId" defaultValue={filters.areaId ?? ""}>
            <option value="">{t.outcomesAll}</option>
            {options.areas.map((a) => (
              <option key={a.id} value={a.id}>
                {localized(locale, a.name, a.nameEn)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="kpi-org">{t.outcomesOrganization}</label>
          <select id="kpi-org" name="organizationId" defaultValue={filters.organizationId ?? ""}>
            <option value="">{t.outcomesAll}</option>
            {options.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {localized(locale, o.name, o.nameEn)}
                {o.own ? " ★" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="kpi-category">{t.outcomesCategory}</label>
          <select id="kpi-category" name="category" defaultValue={filters.category ?? ""}>
            <option value="">{t.outcomesAll}</option>
            {TASK_CATEGORIES.map((c) => (
              <option key={c.code} value={c.code}>
                {c[locale]}
              </option>
            ))}
          </select>
        </div>
        <div className="kpi-filters__actions">
          <button type="submit" className="button">
            {t.outcomesShow}
          </button>
          <PrintButton label={t.outcomesPrint} />
        </div>
      </Form>
      <p className="no-print">
        <Link to={`/w/${slug}/reports/${filters.to.slice(0, 7)}`}>{outcomeMessages(locale).reportLink}（{filters.to.slice(0, 7)}）</Link>
      </p>

      <KpiDashboard answer={answer} locale={locale} t={t} />
    </>
  );
}
