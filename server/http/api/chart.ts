import { Router } from "express";
import type { AppServices } from "../../services.ts";
import { api, IdParam, parse } from "../handler.ts";

/**
 * The community chart of an area (issue 7; docs/chart.md, docs/api.md): live figures and named
 * versions. Any member reads; members that are not only VIEWERs name versions. The text itself
 * travels over /yjs/chart:<areaId>.
 */
export function chartRouter(services: AppServices): Router {
  const r = Router();
  const { domain } = services;
  const ids = (params: Record<string, string>) => ({
    workspaceId: parse(IdParam, params.workspaceId),
    areaId: parse(IdParam, params.areaId),
  });

  r.get(
    "/workspaces/:workspaceId/areas/:areaId/figures",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      const { workspaceId, areaId } = ids(req.params);
      // Counts are live and per caller (visibility of ORG resources and tasks): never cached.
      res.setHeader("Cache-Control", "private, no-store");
      return domain.chart.figures(caller, workspaceId, areaId);
    }),
  );

  r.get(
    "/workspaces/:workspaceId/areas/:areaId/chart/versions",
    api(services, async ({ req, user }) => {
      const caller = await user();
      const { workspaceId, areaId } = ids(req.params);
      return { items: await domain.chart.listVersions(caller, workspaceId, areaId) };
    }),
  );

  r.post(
    "/workspaces/:workspaceId/areas/:areaId/chart/versions",
    api(
      services,
      async ({ req, user }) => {
        const caller = await user();
        const { workspaceId, areaId } = ids(req.params);
        return domain.chart.createVersion(caller, workspaceId, areaId, req.body);
      },
      { status: 201 },
    ),
  );

  r.get(
    "/workspaces/:workspaceId/areas/:areaId/chart/versions/:versionId",
    api(services, async ({ req, user }) => {
      const caller = await user();
      const { workspaceId, areaId } = ids(req.params);
      return domain.chart.getVersion(caller, workspaceId, areaId, parse(IdParam, req.params.versionId));
    }),
  );

  return r;
}
