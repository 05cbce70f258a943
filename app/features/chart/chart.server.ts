/**
 * Loader glue shared by the chart pages (editor, version, print, Markdown): the workspace and
 * area of the URL (404 when either is not the caller's), and the chart's stored content as plain
 * blocks and plan items.
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
import { orResponse, type SessionUser } from "~/lib/auth.server";
import { docFromState, readBlocks, readPlan } from "./chart-doc";

export const DEFAULT_AREA_PARAM = "default";

export async function chartContext(context: AppLoadContext, user: SessionUser, params: { slug?: string; areaId?: string }) {
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const areaParam = String(params.areaId ?? "");
  const basePath = (areaId: string) => `/w/${encodeURIComponent(workspace.slug)}/areas/${encodeURIComponent(areaId)}/chart`;
  if (areaParam === DEFAULT_AREA_PARAM) {
    // The navigation's link: the workspace's first area.
    const areas = await orResponse(domain.workspaces.areas(user, workspace.id));
    if (areas.length === 0) throw new Response("この地域には地区がありません / No areas", { status: 404 });
    throw redirect(basePath(areas[0].id));
  }
  const area = await orResponse(domain.chart.area(user, workspace.id, areaParam));
  return { workspace, area, basePath: basePath(area.id) };
}

/** The chart's content from a stored Yjs state. */
export function contentOf(state: Uint8Array) {
  const doc = docFromState(state);
  try {
    return { blocks: readBlocks(doc), plan: readPlan(doc) };
  } finally {
    doc.destroy();
  }
}
