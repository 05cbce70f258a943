import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import chartCss from "~/features/chart/chart.css?url";
import { ChartBlocksView, FiguresView, PlanTableView } from "~/features/chart/chart-view";
import { chartContext, contentOf } from "~/features/chart/chart.server";
import { areaTitle, CHART_MESSAGES, formatJst } from "~/features/chart/messages";
import { PrintButton } from "~/features/outcomes/print-button";
import { orResponse, requireUser } from "~/lib/auth.server";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartCss }];

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const locale = localeFromMatches(matches);
  const t = CHART_MESSAGES[locale];
  return pageMeta(locale, data ? t.title(areaTitle(locale, data.area)) : t.nav);
};

/**
 * The chart as a printable A4 page (print CSS in chart.css): the stored text, the action plan and
 * the live figures at this moment; `?version=<id>` prints a saved version instead (without
 * figures, which are always today's). Works without JavaScript.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const { workspace, area, basePath } = await chartContext(context, user, params);
  const versionId = new URL(request.url).searchParams.get("version");
  if (versionId) {
    const version = await orResponse(domain.chart.getVersion(user, workspace.id, area.id, versionId.slice(0, 64)));
    return {
      area: { name: area.name, nameEn: area.nameEn },
      basePath,
      version: { name: version.name, createdAt: version.createdAt },
      asOf: version.createdAt,
      content: contentOf(Buffer.from(version.state, "base64")),
      figures: null,
    };
  }
  const [state, figures] = await Promise.all([
    orResponse(domain.chart.currentState(user, workspace.id, area.id)),
    orResponse(domain.chart.figures(user, workspace.id, area.id)),
  ]);
  return { area: { name: area.name, nameEn: area.nameEn }, basePath, version: null, asOf: figures.asOf, content: contentOf(state), figures };
}

export default function ChartPrintRoute() {
  const data = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const t = CHART_MESSAGES[locale];
  return (
    <article className="chart-print">
      <p className="no-print chart-print__actions">
        <Link to={data.basePath}>{t.backToChart}</Link> <PrintButton label={t.print} />
      </p>
      <h1>{t.title(areaTitle(locale, data.area))}</h1>
      <p className="chart-muted">{data.version ? `${t.versionTitle(data.version.name)} · ${formatJst(data.version.createdAt, locale)}` : t.printedAt(formatJst(data.asOf, locale))}</p>
      <div className="chart-print__body">
        <ChartBlocksView blocks={data.content.blocks} />
      </div>
      <section className="chart-print__section">
        <h2>{t.planTitle}</h2>
        <PlanTableView plan={data.content.plan} locale={locale} />
      </section>
      {data.figures ? (
        <section className="chart-print__section">
          <h2>{t.figuresTitle}</h2>
          <FiguresView figures={data.figures} locale={locale} />
        </section>
      ) : null}
    </article>
  );
}
