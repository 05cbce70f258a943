import { Router } from "express";
import { CodeCheckInSchema, CoordinatorCheckInSchema } from "../../domain/check-in.ts";
import {
  CertificateQuerySchema,
  IncentiveAddSchema,
  LedgerQuerySchema,
} from "../../domain/incentives.ts";
import { MonthlyReportQuerySchema } from "../../domain/outcomes.ts";
import type { AppServices } from "../../services.ts";
import { auditContextOf } from "../../trust/audit.ts";
import { limitCheckIn } from "../check-in-limits.ts";
import { api, IdParam, parse } from "../handler.ts";

/**
 * Participation check-in and the incentive ledger (issue 9): docs/outcomes.md,
 * docs/decisions/051-check-in-codes-and-offline-queue.md and 052-incentive-ledger.md.
 */
export function checkInRouter(services: AppServices): Router {
  const r = Router();
  const { domain } = services;
  const id = (value: unknown) => parse(IdParam, value);

  // The resident's phone at the site (public: the code and a reference code, or a resident's login).
  // Idempotent per `key`: the offline queue may send the same check-in again; it is recorded once.
  // Failed attempts are limited per address and per code (guessing; decision 055): 429 + Retry-After.
  r.post(
    "/check-in/:code",
    api(services, async ({ req, res }) => {
      const body = parse(CodeCheckInSchema, req.body);
      const caller = await services.userFromCookieHeader(req.headers.cookie);
      res.setHeader("Cache-Control", "no-store");
      const code = String(req.params.code);
      const result = await limitCheckIn(services.rateLimits, req.ip ?? req.socket.remoteAddress ?? "", code, () =>
        domain.checkIn.checkInByCode(code, body, caller),
      );
      // 201 when this request recorded it, 200 for a key seen before (nothing written).
      res.status(result.status === "recorded" ? 201 : 200).json(result);
      return undefined;
    }),
  );

  // The coordinator's sheet: the code, the QR's target and the roster.
  r.get(
    "/shifts/:shiftId/check-in",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      res.setHeader("Cache-Control", "private, no-store");
      return domain.checkIn.sheet(caller, id(req.params.shiftId), auditContextOf(req, caller.id, "check-in"));
    }),
  );
  r.post(
    "/shifts/:shiftId/check-in",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      const body = parse(CoordinatorCheckInSchema, req.body);
      const result = await domain.checkIn.checkInByCoordinator(caller, id(req.params.shiftId), body);
      res.status(result.status === "recorded" ? 201 : 200).json(result);
      return undefined;
    }),
  );

  // The ledger.
  r.post(
    "/participations/:participationId/incentives",
    api(
      services,
      async ({ req, user }) => domain.incentives.add(await user(), id(req.params.participationId), parse(IncentiveAddSchema, req.body)),
      { status: 201 },
    ),
  );
  r.get(
    "/workspaces/:workspaceId/incentives",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      const query = parse(LedgerQuerySchema, req.query);
      res.setHeader("Cache-Control", "private, no-store");
      return domain.incentives.ledger(caller, id(req.params.workspaceId), query, auditContextOf(req, caller.id, "accounting"));
    }),
  );
  r.get(
    "/workspaces/:workspaceId/incentives.csv",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      const query = parse(LedgerQuerySchema, req.query);
      const { filename, text } = await domain.incentives.csv(caller, id(req.params.workspaceId), query, auditContextOf(req, caller.id, "accounting"));
      res
        .status(200)
        .type("text/csv; charset=utf-8")
        .setHeader("Cache-Control", "private, no-store")
        .setHeader("Content-Disposition", `attachment; filename="${filename}"`)
        .send(text);
      return undefined;
    }),
  );
  r.get(
    "/residents/:residentId/certificate",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      const query = parse(CertificateQuerySchema, req.query);
      res.setHeader("Cache-Control", "private, no-store");
      return domain.incentives.certificate(caller, id(req.params.residentId), query, auditContextOf(req, caller.id, "certificate"));
    }),
  );
  // The signed-in resident's own certificate (decision 056): no id to ask for; 404 without a resident record.
  r.get(
    "/me/certificate",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      const query = parse(CertificateQuerySchema, req.query);
      res.setHeader("Cache-Control", "private, no-store");
      return domain.incentives.ownCertificate(caller, query, auditContextOf(req, caller.id, "certificate"));
    }),
  );

  // The monthly report for the platform meeting.
  r.get(
    "/workspaces/:workspaceId/reports/:month",
    api(services, async ({ req, res, user }) => {
      const caller = await user();
      res.setHeader("Cache-Control", "private, no-store");
      return domain.outcomes.monthlyReport(caller, id(req.params.workspaceId), String(req.params.month), parse(MonthlyReportQuerySchema, req.query));
    }),
  );

  // Open data: public places next to the activities (no login, no personal fields).
  r.get("/open-data/places.geojson", async (_req, res, next) => {
    try {
      res.type("application/geo+json").send(JSON.stringify(await domain.openData.placesGeojson()));
    } catch (error) {
      next(error);
    }
  });
  r.get("/open-data/places.csv", async (_req, res, next) => {
    try {
      res
        .type("text/csv; charset=utf-8")
        .setHeader("Content-Disposition", 'attachment; filename="tsunagu-places.csv"')
        .send(await domain.openData.placesCsv());
    } catch (error) {
      next(error);
    }
  });

  return r;
}
