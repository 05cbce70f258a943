import type { LoaderFunctionArgs } from "@remix-run/node";
import { chartToMarkdown } from "~/features/chart/chart-markdown";
import { chartContext, contentOf } from "~/features/chart/chart.server";
import { areaTitle, CHART_MESSAGES, formatJst } from "~/features/chart/messages";
import { cookieIsSecure, orResponse, requireUser } from "~/lib/auth.server";
import { localeFromRequest } from "~/lib/i18n.server";

/**
 * The chart as a Markdown download (`…/chart.md`, `?version=<id>` for a saved version): the
 * text, the action plan as a table and, for the live chart, the figures at this moment.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const { locale } = localeFromRequest(request, { secure: cookieIsSecure(context) });
  const t = CHART_MESSAGES[locale];
  const { workspace, area } = await chartContext(context, user, params);
  const versionId = new URL(request.url).searchParams.get("version");
  const title = t.title(areaTitle(locale, area));
  let markdown: string;
  let suffix: string;
  if (versionId) {
    const version = await orResponse(domain.chart.getVersion(user, workspace.id, area.id, versionId.slice(0, 64)));
    const content = contentOf(Buffer.from(version.state, "base64"));
    markdown = chartToMarkdown({ title, subtitle: `${t.versionTitle(version.name)} · ${formatJst(version.createdAt, locale)}`, ...content, figures: null, locale });
    suffix = version.createdAt.slice(0, 10);
  } else {
    const [state, figures] = await Promise.all([
      orResponse(domain.chart.currentState(user, workspace.id, area.id)),
      orResponse(domain.chart.figures(user, workspace.id, area.id)),
    ]);
    markdown = chartToMarkdown({ title, subtitle: t.printedAt(formatJst(figures.asOf, locale)), ...contentOf(state), figures, locale });
    suffix = figures.asOf.slice(0, 10);
  }
  const filename = `chart-${area.code}-${suffix}.md`.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
