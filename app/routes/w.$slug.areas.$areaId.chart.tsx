import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import chartCss from "~/features/chart/chart.css?url";
import { ChartPage } from "~/features/chart/chart-page";
import { chartContext, contentOf } from "~/features/chart/chart.server";
import { areaTitle, CHART_MESSAGES } from "~/features/chart/messages";
import { orResponse, requireUser } from "~/lib/auth.server";
import { localized } from "~/lib/i18n";
import { workspaceVersion } from "~/lib/live-page.server";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { colourFor } from "~/lib/realtime/colours";
import { useI18n } from "~/lib/use-i18n";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartCss }];

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const locale = localeFromMatches(matches);
  const t = CHART_MESSAGES[locale];
  return pageMeta(locale, data ? t.title(areaTitle(locale, data.area)) : t.nav);
};

/**
 * The community chart (地域カルテ) of an area (docs/chart.md): co-edited text over
 * /yjs/chart:<areaId>, the action plan, live figures and versions. The loader reads the workspace
 * version before the figures, so every change after them arrives live.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const { workspace, area, basePath } = await chartContext(context, user, params);
  const version = await workspaceVersion(context, user, workspace.id);
  const [figures, versions, state, areas, organizations, agenda] = await Promise.all([
    orResponse(domain.chart.figures(user, workspace.id, area.id)),
    orResponse(domain.chart.listVersions(user, workspace.id, area.id)),
    orResponse(domain.chart.currentState(user, workspace.id, area.id)),
    orResponse(domain.workspaces.areas(user, workspace.id)),
    orResponse(domain.workspaces.organizations(user, workspace.id)),
    // Meeting mode's agenda, this area's tasks only (decision 069).
    orResponse(domain.meetingAgenda.forWorkspace(user, workspace.id, { areaId: area.id })),
  ]);
  const membership = user.memberships.find((m) => m.workspaceId === workspace.id);
  const search = new URL(request.url).searchParams;
  const restore = search.get("restore");
  return {
    workspace: { id: workspace.id, slug: workspace.slug },
    area: { id: area.id, name: area.name, nameEn: area.nameEn },
    readOnly: area.readOnly,
    basePath,
    version,
    figures,
    versions: versions.map((v) => ({ id: v.id, name: v.name, createdByName: v.createdByName, createdAt: v.createdAt })),
    content: contentOf(state),
    areas: areas.map((a) => ({ id: a.id, name: a.name, nameEn: a.nameEn })),
    organizations: organizations.map((o) => ({ id: o.id, name: o.name, nameEn: o.nameEn })),
    self: {
      name: user.displayName,
      color: colourFor(user.id),
      organization: membership?.organizationName ?? "",
      organizationId: membership?.organizationId ?? null,
    },
    restore: restore && /^[A-Za-z0-9_-]{1,64}$/.test(restore) ? restore : null,
    agenda,
    userId: user.id,
    meetingOpen: search.get("meeting") === "1",
  };
}

export default function ChartRoute() {
  const data = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const t = CHART_MESSAGES[locale];
  const slug = encodeURIComponent(data.workspace.slug);
  return (
    <>
      <h1>{t.title(areaTitle(locale, data.area))}</h1>
      <p className="section__lead">{t.lead}</p>
      {data.areas.length > 1 ? (
        <nav aria-label={t.areaSwitch} className="chart-areas no-print">
          <ul>
            {data.areas.map((a) => (
              <li key={a.id}>
                <Link to={`/w/${slug}/areas/${encodeURIComponent(a.id)}/chart`} aria-current={a.id === data.area.id ? "page" : undefined}>
                  {localized(locale, a.name, a.nameEn)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <ChartPage
        key={data.area.id}
        workspaceId={data.workspace.id}
        areaId={data.area.id}
        basePath={data.basePath}
        initialVersion={data.version}
        initialFigures={data.figures}
        initialBlocks={data.content.blocks}
        initialPlan={data.content.plan}
        versions={data.versions}
        organizations={data.organizations.map((o) => ({ id: o.id, name: o.name }))}
        self={data.self}
        readOnly={data.readOnly}
        restoreRequest={data.restore}
        agenda={data.agenda}
        selfUserId={data.userId}
        meetingOpen={data.meetingOpen}
        locale={locale}
      />
    </>
  );
}
