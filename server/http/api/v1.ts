import { Router, type Response } from "express";
import { z } from "zod";
import {
  AvailabilityPutSchema,
  ListQuerySchema,
  MatchStageMoveSchema,
  MatchStageSchema,
  ResourceCreateSchema,
  ResourceKindSchema,
  ResourceUpdateSchema,
  ShiftCreateSchema,
  ShiftUpdateSchema,
  SinceQuerySchema,
  TaskCreateSchema,
  TaskUpdateSchema,
} from "../../../app/lib/schemas.ts";
import { MatchAddSchema, MatchHandoffSchema, MatchOutcomeSchema, MatchPinSchema } from "../../domain/match-actions.ts";
import { MatchNoteSchema } from "../../domain/match-notes.ts";
import { ConfirmTeamSchema } from "../../domain/task-mosaic.ts";
import { ProxyRegistrationSchema } from "../../domain/proxy-registration.ts";
import {
  AuditListQuerySchema,
  ConsentGrantSchema,
  ConsentRevokeSchema,
  JointUseNoticeCreateSchema,
  PurposeQuerySchema,
  ResidentListQuerySchema,
} from "../../../app/lib/schemas.ts";
import { MembershipUpdateSchema } from "../../domain/memberships.ts";
import { auditContextOf } from "../../trust/audit.ts";
import type { AppServices } from "../../services.ts";
import { api, IdParam, parse } from "../handler.ts";
import { outcomesRouter } from "./outcomes.ts";
import { chartRouter } from "./chart.ts";

/**
 * REST API v1 (JSON). Lists answer `{ items, nextCursor }`. Writes of versioned entities carry
 * `expectedVersion`; a stale one answers 409 with `error.details.current`. Documented in
 * docs/api.md.
 */
/** `?ids=a,b`: only these tasks (a live refetch), at most 200. */
const MapTaskQuerySchema = z.object({
  ids: z
    .string()
    .max(20_000)
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(IdParam).max(200))
    .optional(),
});

export function apiV1Router(services: AppServices): Router {
  const r = Router();
  const { domain } = services;
  const id = (value: unknown) => parse(IdParam, value);

  r.get("/workspaces", api(services, async ({ user }) => ({ items: await domain.workspaces.listForUser(await user()) })));

  r.get(
    "/workspaces/:workspaceId/areas",
    api(services, async ({ req, user }) => ({ items: await domain.workspaces.areas(await user(), id(req.params.workspaceId)) })),
  );

  r.get(
    "/workspaces/:workspaceId/organizations",
    api(services, async ({ req, user }) => ({
      items: await domain.workspaces.organizations(await user(), id(req.params.workspaceId)),
    })),
  );

  // Changes since a version, for clients that missed live events.
  r.get(
    "/workspaces/:workspaceId/changes",
    api(services, async ({ req, user }) => {
      const q = parse(SinceQuerySchema, req.query);
      return domain.workspaces.changesSince(await user(), id(req.params.workspaceId), q.since, q.limit);
    }),
  );
  r.get(
    "/changes",
    api(services, async ({ req, user }) => {
      const caller = await user();
      const q = parse(SinceQuerySchema.extend({ workspaceId: IdParam.optional() }), req.query);
      const workspaceId = q.workspaceId ?? domain.workspaces.defaultWorkspaceId(caller);
      return domain.workspaces.changesSince(caller, workspaceId, q.since, q.limit);
    }),
  );

  // Tasks and their pieces (shifts).
  r.get(
    "/workspaces/:workspaceId/tasks",
    api(services, async ({ req, user }) =>
      domain.tasks.list(await user(), id(req.params.workspaceId), parse(ListQuerySchema, req.query)),
    ),
  );
  r.post(
    "/workspaces/:workspaceId/tasks",
    api(
      services,
      async ({ req, user }) => domain.tasks.create(await user(), id(req.params.workspaceId), parse(TaskCreateSchema, req.body)),
      { status: 201 },
    ),
  );
  r.get("/tasks/:taskId", api(services, async ({ req, user }) => domain.tasks.get(await user(), id(req.params.taskId))));
  r.patch(
    "/tasks/:taskId",
    api(services, async ({ req, user }) => domain.tasks.update(await user(), id(req.params.taskId), parse(TaskUpdateSchema, req.body))),
  );
  r.get(
    "/tasks/:taskId/shifts",
    api(services, async ({ req, user }) => ({ items: await domain.tasks.listShifts(await user(), id(req.params.taskId)) })),
  );
  r.post(
    "/tasks/:taskId/shifts",
    api(
      services,
      async ({ req, user }) => domain.tasks.createShift(await user(), id(req.params.taskId), parse(ShiftCreateSchema, req.body)),
      { status: 201 },
    ),
  );
  r.get("/shifts/:shiftId", api(services, async ({ req, user }) => domain.tasks.getShift(await user(), id(req.params.shiftId))));
  r.patch(
    "/shifts/:shiftId",
    api(services, async ({ req, user }) =>
      domain.tasks.updateShift(await user(), id(req.params.shiftId), parse(ShiftUpdateSchema, req.body)),
    ),
  );

  // Residents' availability (the resident themself, or coordinators of the registering org).
  r.get(
    "/residents/:residentId/availability",
    api(services, async ({ req, user }) => domain.availability.get(await user(), id(req.params.residentId))),
  );
  r.put(
    "/residents/:residentId/availability",
    api(services, async ({ req, user }) =>
      domain.availability.put(await user(), id(req.params.residentId), parse(AvailabilityPutSchema, req.body)),
    ),
  );

  // Resources on the map.
  r.get(
    "/workspaces/:workspaceId/resources",
    api(services, async ({ req, user }) => {
      const q = parse(
        ListQuerySchema.extend({ kind: ResourceKindSchema.optional(), includeArchived: z.enum(["0", "1"]).optional() }),
        req.query,
      );
      return domain.resources.list(await user(), id(req.params.workspaceId), { ...q, includeArchived: q.includeArchived === "1" });
    }),
  );
  r.post(
    "/workspaces/:workspaceId/resources",
    api(
      services,
      async ({ req, user }) =>
        domain.resources.create(await user(), id(req.params.workspaceId), parse(ResourceCreateSchema, req.body)),
      { status: 201 },
    ),
  );
  r.get("/resources/:resourceId", api(services, async ({ req, user }) => domain.resources.get(await user(), id(req.params.resourceId))));
  r.patch(
    "/resources/:resourceId",
    api(services, async ({ req, user }) =>
      domain.resources.update(await user(), id(req.params.resourceId), parse(ResourceUpdateSchema, req.body)),
    ),
  );

  // The map board's task and resident-count layers (docs/map.md, decision 070).
  r.get(
    "/workspaces/:workspaceId/map/tasks",
    api(services, async ({ req, res, user }) => {
      const { ids } = parse(MapTaskQuerySchema, req.query);
      res.setHeader("Cache-Control", "private, no-store");
      return { items: await domain.mapLayers.tasks(await user(), id(req.params.workspaceId), { ids }) };
    }),
  );
  r.get(
    "/workspaces/:workspaceId/map/resident-counts",
    api(services, async ({ req, res, user }) => {
      res.setHeader("Cache-Control", "private, no-store");
      return { items: await domain.mapLayers.residentCounts(await user(), id(req.params.workspaceId)) };
    }),
  );

  // Meeting mode's agenda (decision 067), refetched by the map and the chart when matches, pieces
  // or tasks change (decision 076); with `areaId` the chart's (decision 069).
  r.get(
    "/workspaces/:workspaceId/meeting-agenda",
    api(services, async ({ req, res, user }) => {
      const q = parse(z.object({ areaId: IdParam.optional() }).strict(), req.query);
      res.setHeader("Cache-Control", "private, no-store");
      return domain.meetingAgenda.forWorkspace(await user(), id(req.params.workspaceId), { areaId: q.areaId });
    }),
  );

  // Matches (the kanban's cards).
  r.get(
    "/workspaces/:workspaceId/matches",
    api(services, async ({ req, user }) => {
      const q = parse(ListQuerySchema.extend({ stage: MatchStageSchema.optional() }), req.query);
      return domain.matches.list(await user(), id(req.params.workspaceId), q);
    }),
  );
  r.get("/matches/:matchId", api(services, async ({ req, user }) => domain.matches.get(await user(), id(req.params.matchId))));
  r.post(
    "/matches/:matchId/stage",
    api(services, async ({ req, user }) =>
      domain.matches.moveStage(await user(), id(req.params.matchId), parse(MatchStageMoveSchema, req.body)),
    ),
  );

  // A coordinator's hand on the pipeline: add a match, pin a card (reject = stage DECLINED).
  r.post(
    "/workspaces/:workspaceId/matches",
    api(
      services,
      async ({ req, user }) => {
        const caller = await user();
        const matchId = await domain.matchActions.add(caller, id(req.params.workspaceId), parse(MatchAddSchema, req.body));
        return domain.matches.get(caller, matchId);
      },
      { status: 201 },
    ),
  );
  r.post(
    "/matches/:matchId/pin",
    api(services, async ({ req, user }) => {
      const caller = await user();
      const matchId = await domain.matchActions.pin(caller, id(req.params.matchId), parse(MatchPinSchema, req.body));
      return domain.matches.get(caller, matchId);
    }),
  );
  // Card detail (issue 6): notes, hand-off with consent, outcome → Participation (decisions 032, 033).
  r.post(
    "/matches/:matchId/notes",
    api(services, async ({ req, user }) => domain.matchNotes.add(await user(), id(req.params.matchId), parse(MatchNoteSchema, req.body)), {
      status: 201,
    }),
  );
  r.post(
    "/matches/:matchId/handoff",
    api(services, async ({ req, user }) => {
      const caller = await user();
      const matchId = await domain.matchActions.handoff(caller, id(req.params.matchId), parse(MatchHandoffSchema, req.body), auditContextOf(req, caller.id, "handoff"));
      return domain.matches.get(caller, matchId);
    }),
  );
  r.post(
    "/matches/:matchId/outcome",
    api(services, async ({ req, user }) => {
      const caller = await user();
      const matchId = await domain.matchActions.recordOutcome(caller, id(req.params.matchId), parse(MatchOutcomeSchema, req.body));
      return domain.matches.get(caller, matchId);
    }),
  );
  // The mosaic view of a task and "confirm the whole team" (decision 034).
  r.get("/tasks/:taskId/mosaic", api(services, async ({ req, user }) => domain.mosaic.get(await user(), id(req.params.taskId))));
  r.post(
    "/tasks/:taskId/confirm-team",
    api(services, async ({ req, user }) => domain.mosaic.confirmTeam(await user(), id(req.params.taskId), parse(ConfirmTeamSchema, req.body))),
  );

  // Memberships: an organization's ADMIN changes roles and removes members; the member's live
  // connections close at once (they reconnect with what they may do now).
  r.get(
    "/organizations/:organizationId/memberships",
    api(services, async ({ req, user }) => ({
      items: await domain.memberships.listForOrganization(await user(), id(req.params.organizationId)),
    })),
  );
  r.patch(
    "/memberships/:membershipId",
    api(services, async ({ req, user }) =>
      domain.memberships.changeRole(await user(), id(req.params.membershipId), parse(MembershipUpdateSchema, req.body)),
    ),
  );
  r.delete(
    "/memberships/:membershipId",
    api(services, async ({ req, user }) => domain.memberships.remove(await user(), id(req.params.membershipId))),
  );

  // Residents, consents, audit, retention (the trust layer: docs/api.md "Residents and consents").
  // Every answer with personal fields is projected per caller (server/trust/projection.ts), audited
  // (server/trust/audit.ts) and marked no-store so no shared cache keeps it.
  {
    const purposeOf = (query: unknown) => parse(PurposeQuerySchema, query).purpose;
    const noStore = (res: Response) => res.setHeader("Cache-Control", "no-store");
    r.get(
      "/workspaces/:workspaceId/residents",
      api(services, async ({ req, res, user }) => {
        const caller = await user();
        const q = parse(ResidentListQuerySchema, req.query);
        noStore(res);
        return domain.residents.list(caller, id(req.params.workspaceId), q, auditContextOf(req, caller.id, q.purpose));
      }),
    );
    // 代理登録: a coordinator registers a resident on their behalf, with the consent recorded as such.
    r.post(
      "/workspaces/:workspaceId/residents",
      api(
        services,
        async ({ req, user }) => {
          const caller = await user();
          const body = parse(ProxyRegistrationSchema, req.body);
          const created = await domain.proxyRegistration.register(caller, id(req.params.workspaceId), body, auditContextOf(req, caller.id, "registration"));
          return created;
        },
        { status: 201 },
      ),
    );
    r.get(
      "/me/resident",
      api(services, async ({ req, res, user }) => {
        const caller = await user();
        noStore(res);
        return domain.residents.mine(caller, auditContextOf(req, caller.id, purposeOf(req.query)));
      }),
    );
    r.get(
      "/residents/:residentId",
      api(services, async ({ req, res, user }) => {
        const caller = await user();
        noStore(res);
        return domain.residents.get(caller, id(req.params.residentId), auditContextOf(req, caller.id, purposeOf(req.query)));
      }),
    );
    r.delete(
      "/residents/:residentId",
      api(services, async ({ req, user }) => {
        const caller = await user();
        return domain.residents.erase(caller, id(req.params.residentId), auditContextOf(req, caller.id, purposeOf(req.query) ?? "retention"));
      }),
    );
    r.get(
      "/matches/:matchId/resident",
      api(services, async ({ req, res, user }) => {
        const caller = await user();
        noStore(res);
        return domain.residents.forMatch(caller, id(req.params.matchId), auditContextOf(req, caller.id, purposeOf(req.query)));
      }),
    );
    r.get(
      "/residents/:residentId/consents",
      api(services, async ({ req, user }) => ({ items: await domain.consents.list(await user(), id(req.params.residentId)) })),
    );
    r.post(
      "/residents/:residentId/consents",
      api(
        services,
        async ({ req, user }) => {
          const caller = await user();
          const body = parse(ConsentGrantSchema, req.body);
          return domain.consents.grant(caller, id(req.params.residentId), body, auditContextOf(req, caller.id, "consent"));
        },
        { status: 201 },
      ),
    );
    r.post(
      "/consents/:consentId/revoke",
      api(services, async ({ req, user }) => {
        const caller = await user();
        const body = parse(ConsentRevokeSchema, req.body ?? {});
        return domain.consents.revoke(caller, id(req.params.consentId), body, auditContextOf(req, caller.id, "consent"));
      }),
    );
    r.get(
      "/residents/:residentId/audit",
      api(services, async ({ req, user }) =>
        domain.audit.forResident(await user(), id(req.params.residentId), parse(AuditListQuerySchema, req.query)),
      ),
    );
    r.get(
      "/organizations/:organizationId/audit",
      api(services, async ({ req, user }) =>
        domain.audit.forOrganization(await user(), id(req.params.organizationId), parse(AuditListQuerySchema, req.query)),
      ),
    );
    r.get(
      "/workspaces/:workspaceId/joint-use-notices",
      api(services, async ({ req, user }) => ({ items: await domain.consents.listJointUse(await user(), id(req.params.workspaceId)) })),
    );
    r.post(
      "/workspaces/:workspaceId/joint-use-notices",
      api(
        services,
        async ({ req, user }) => {
          const caller = await user();
          const body = parse(JointUseNoticeCreateSchema, req.body);
          return domain.consents.publishJointUse(caller, id(req.params.workspaceId), body, auditContextOf(req, caller.id, "joint-use"));
        },
        { status: 201 },
      ),
    );
  }

  r.use(outcomesRouter(services));
  r.use(chartRouter(services));

  // Open data: no authentication, no personal fields.
  r.get("/open-data/activities.geojson", async (_req, res, next) => {
    try {
      res.type("application/geo+json").send(JSON.stringify(await domain.openData.geojson()));
    } catch (error) {
      next(error);
    }
  });
  r.get("/open-data/activities.csv", async (_req, res, next) => {
    try {
      res
        .type("text/csv; charset=utf-8")
        .setHeader("Content-Disposition", 'attachment; filename="tsunagu-activities.csv"')
        .send(await domain.openData.csv());
    } catch (error) {
      next(error);
    }
  });

  return r;
}
