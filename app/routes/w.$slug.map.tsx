import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { baseMapFromSettings, parseView } from "~/features/map/base-map";
import { MapBoard } from "~/features/map/map-board";
import { parseSelected, toMapResource, type MapResource } from "~/features/map/map-state";
import { orResponse, requireUser } from "~/lib/auth.server";
import { readAllPages, workspaceVersion } from "~/lib/live-page.server";
import { localized, messagesFor } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { can } from "~/lib/permissions";
import { useI18n } from "~/lib/use-i18n";

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, messagesFor(locale).mapTitle);
};

/** Resources read per page from the domain layer; the map shows every active resource. */
const PAGE = 500;
const MAX_PAGES = 20;

/**
 * The workspace's live resource map (docs/map.md). Like the kanban, the loader reads the workspace
 * version first, then the resources, so every change after that version arrives live and is
 * applied on top (resource versions make a change seen twice harmless).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const version = await workspaceVersion(context, user, workspace.id);
  const resources: MapResource[] = await readAllPages((cursor) => domain.resources.list(user, workspace.id, { limit: PAGE, cursor }), toMapResource, MAX_PAGES);
  const areas = await orResponse(domain.workspaces.areas(user, workspace.id));
  const agenda = await orResponse(domain.meetingAgenda.forWorkspace(user, workspace.id));
  // The task layer (decision 070): open, located tasks the caller may see, with their next open piece.
  const tasks = await orResponse(domain.mapLayers.tasks(user, workspace.id));
  const writableOrgs = user.memberships
    .filter((m) => m.workspaceId === workspace.id && can(user.memberships, workspace.id, "write:resource:own", m.organizationId))
    .map((m) => ({ id: m.organizationId, name: m.organizationName }));
  return {
    workspace,
    version,
    resources,
    areas: areas.map((a) => ({ id: a.id, name: a.name, nameEn: a.nameEn, polygon: a.polygon })),
    writableOrgs,
    userId: user.id,
    tasks,
    taskWritableOrgIds: user.memberships
      .filter((m) => m.workspaceId === workspace.id && can(user.memberships, workspace.id, "write:task:own", m.organizationId))
      .map((m) => m.organizationId),
    selectedTask: parseSelected(new URL(request.url).searchParams.get("task")),
    selected: parseSelected(new URL(request.url).searchParams.get("selected")),
    view: parseView(new URL(request.url).searchParams.get("view")),
    baseMap: baseMapFromSettings(context.services.env),
    agenda,
    canLead: user.memberships.some((m) => m.workspaceId === workspace.id && m.role !== "VIEWER"),
  };
}

export default function MapPage() {
  const data = useLoaderData<typeof loader>();
  const { locale, t } = useI18n();
  return (
    <>
      <h1>{t.mapTitle}</h1>
      <p className="section__lead">{t.mapLead}</p>
      <MapBoard
        key={data.workspace.id}
        workspaceId={data.workspace.id}
        initialVersion={data.version}
        initialResources={data.resources}
        areas={data.areas.map((a) => ({ id: a.id, name: localized(locale, a.name, a.nameEn), polygon: a.polygon }))}
        writableOrgs={data.writableOrgs}
        selfUserId={data.userId}
        initialSelected={data.selected}
        initialView={data.view}
        baseMap={data.baseMap}
        agenda={data.agenda}
        canLead={data.canLead}
        initialTasks={data.tasks}
        taskWritableOrgIds={data.taskWritableOrgIds}
        initialSelectedTask={data.selectedTask}
        slug={String(data.workspace.slug)}
        locale={locale}
        t={t}
      />
    </>
  );
}
