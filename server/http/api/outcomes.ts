import { Router } from "express";
import { KpiQuerySchema } from "../../domain/outcomes.ts";
import type { AppServices } from "../../services.ts";
import { api, IdParam, parse } from "../handler.ts";
import { checkInRouter } from "./check-in.ts";

/**
 * Outcomes (issue 9): KPIs of a workspace for a period and filters. Any member may read them;
 * counts below 5 are suppressed unless the caller filters by their own organization
 * (docs/outcomes.md, docs/decisions/050-kpi-definitions.md).
 */
export function outcomesRouter(services: AppServices): Router {
  const r = Router();
  const { domain } = services;

  r.get(
    "/workspaces/:workspaceId/kpis",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      const workspaceId = parse(IdParam, req.params.workspaceId);
      const query = parse(KpiQuerySchema, req.query);
      // Counts differ per caller (suppression): never keep them in a shared cache.
      res.setHeader("Cache-Control", "private, no-store");
      return domain.outcomes.kpis(caller, workspaceId, query);
    }),
  );

  // Check-in, the incentive ledger, the monthly report and the places open data (issue 9).
  r.use(checkInRouter(services));

  return r;
}
