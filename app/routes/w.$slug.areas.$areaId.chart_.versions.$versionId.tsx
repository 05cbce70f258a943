import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import chartCss from "~/features/chart/chart.css?url";
import { ChartBlocksView, PlanTableView } from "~/features/chart/chart-view";
import { chartContext, contentOf } from "~/features/chart/chart.server";
import { areaTitle, CHART_MESSAGES, formatJst } from "~/features/chart/messages";
import { orResponse, requireUser } from "~/lib/auth.server";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartCss }];

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const locale = localeFromMatches(matches);
  const t = CHART_MESSAGES[locale];
  return pageMeta(locale, data ? `${t.versionTitle(data.version.name)} — ${t.title(areaTitle(locale, data.area))}` : t.nav);
};

/** A saved version of a chart, read-only (server-rendered from its stored Yjs state). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { workspace, area, basePath } = await chartContext(context, user, params);
  const version = await orResponse(context.services.domain.chart.getVersion(user, workspace.id, area.id, String(params.versionId)));
  return {
    area: { name: area.name, nameEn: area.nameEn },
    readOnly: area.readOnly,
    basePath,
    version: { id: version.id, name: version.name, createdAt: version.createdAt, createdByName: version.createdByName },
    content: contentOf(Buffer.from(version.state, "base64")),
  };
}

export default function ChartVersionRoute() {
  const data = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const t = CHART_MESSAGES[locale];
  const id = encodeURIComponent(data.version.id);
  return (
    <>
      <h1>{t.versionTitle(data.version.name)}</h1>
      <p className="section__lead">
        {t.title(areaTitle(locale, data.area))} · {t.versionBy(data.version.createdByName, formatJst(data.version.createdAt, locale))}
      </p>
      <p className="alert alert--warn">{t.versionReadOnly}</p>
      <ul className="chart-export no-print">
        <li>
          <Link to={data.basePath}>{t.backToChart}</Link>
        </li>
        {!data.readOnly ? (
          <li>
            <Link to={`${data.basePath}?restore=${id}`}>{t.versionRestore}</Link>
          </li>
        ) : null}
        <li>
          <a href={`${data.basePath}/print?version=${id}`}>{t.printPage}</a>
        </li>
        <li>
          <a href={`${data.basePath}.md?version=${id}`} download>
            {t.markdown}
          </a>
        </li>
      </ul>
      <section className="section chart-section chart-body" aria-label={t.versionTitle(data.version.name)}>
        <div className="chart-editor chart-editor--static">
          <div className="chart-editor__content">
            <ChartBlocksView blocks={data.content.blocks} />
          </div>
        </div>
      </section>
      <section className="section chart-section" aria-labelledby="version-plan-title">
        <h2 id="version-plan-title">{t.planTitle}</h2>
        <PlanTableView plan={data.content.plan} locale={locale} />
      </section>
    </>
  );
}
