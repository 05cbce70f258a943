import { canOnResident, type ResidentLike } from "../../app/lib/permissions.ts";
import { RESIDENT_PERSONAL_FIELDS } from "../../app/lib/resident-fields.ts";
import type { ResidentListQuery } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { Prisma } from "../db/client.ts";
import { AppError } from "../http/errors.ts";
import { recordChange, recordReads, type AuditContext } from "../trust/audit.ts";
import {
  CONSENT_RECORD_SELECT,
  projectResident,
  RESIDENT_RECORD_SELECT,
  type Viewer,
} from "../trust/projection.ts";
import { canSeeOrgScoped } from "./access.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";

/** What an erased resident is called on every surface. */
export const ERASED_DISPLAY_NAME = "削除済み住民";

/** Stages a match leaves (to WITHDRAWN) when its resident's data is erased. */
const OPEN_STAGES = ["SUGGESTED", "CONTACTING", "ARRANGING", "CONFIRMED", "ACTIVE"] as const;

export function viewerOf(user: SessionUser): Viewer {
  return { userId: user.id, memberships: user.memberships };
}

const NOT_FOUND = () => new AppError("not_found", "住民が見つかりません / Resident not found");

/**
 * A resident is visible (as at least a pseudonym card) to members of its workspace and to the
 * resident themself; everyone else gets 404, so resident ids cannot be probed.
 */
export function requireResidentVisible<R extends ResidentLike>(user: SessionUser, resident: R | null): R {
  if (!resident) throw NOT_FOUND();
  const self = resident.userId !== null && resident.userId === user.id;
  if (!self && !user.memberships.some((m) => m.workspaceId === resident.workspaceId)) throw NOT_FOUND();
  return resident;
}

/** Visible, and the caller holds `permission` on it (as the resident or in the registering org). */
export function requireOnResident<R extends ResidentLike>(
  user: SessionUser,
  resident: R | null,
  permission: Parameters<typeof canOnResident>[2],
): R {
  const visible = requireResidentVisible(user, resident);
  if (!canOnResident(viewerOf(user), visible, permission)) {
    throw new AppError("forbidden", `権限がありません / Permission denied (${permission})`);
  }
  return visible;
}

export function createResidentService(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  /** Only the consents that can matter to this viewer: those granted to their organizations. */
  function consentsFor(user: SessionUser, workspaceId: string) {
    const orgIds = user.memberships.filter((m) => m.workspaceId === workspaceId).map((m) => m.organizationId);
    return { where: { organizationId: { in: orgIds }, revokedAt: null }, select: CONSENT_RECORD_SELECT };
  }

  async function readOne(user: SessionUser, residentId: string, ctx: AuditContext) {
    const head = requireResidentVisible(
      user,
      await prisma.resident.findUnique({ where: { id: residentId }, select: { workspaceId: true, registeredByOrgId: true, userId: true } }),
    );
    const record = await prisma.resident.findUniqueOrThrow({
      where: { id: residentId },
      select: { ...RESIDENT_RECORD_SELECT, consents: consentsFor(user, head.workspaceId) },
    });
    const projection = projectResident(viewerOf(user), record, record.consents, clock());
    await recordReads(prisma, ctx, "resident.read", [{ workspaceId: record.workspaceId, projection }]);
    return { ...projection.resident, registeredByOrgId: record.registeredByOrgId };
  }

  return {
    /** One page of a workspace's residents, each projected for the caller; personal reads audited. */
    async list(user: SessionUser, workspaceId: string, query: ResidentListQuery, ctx: AuditContext) {
      requirePermission(user, workspaceId, "read:resident:workspace");
      const rows = await prisma.resident.findMany({
        where: {
          workspaceId,
          ...(query.areaId ? { homeAreaId: query.areaId } : {}),
          ...(query.registeredByOrgId ? { registeredByOrgId: query.registeredByOrgId } : {}),
          ...(query.includeDeleted === "1" ? {} : { deletedAt: null }),
        },
        select: { ...RESIDENT_RECORD_SELECT, consents: consentsFor(user, workspaceId) },
        orderBy: { id: "asc" },
        take: query.limit + 1,
        ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, query.limit);
      const now = clock();
      const viewer = viewerOf(user);
      const projected = page.map((r) => ({ workspaceId, projection: projectResident(viewer, r, r.consents, now), registeredByOrgId: r.registeredByOrgId }));
      await recordReads(prisma, ctx, "resident.list", projected);
      return {
        items: projected.map((p) => ({ ...p.projection.resident, registeredByOrgId: p.registeredByOrgId })),
        nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
      };
    },

    /** One resident, projected for the caller (404 outside the caller's workspaces). */
    get: readOne,

    /** The caller's own resident record (a resident's login). */
    async mine(user: SessionUser, ctx: AuditContext) {
      const own = await prisma.resident.findUnique({ where: { userId: user.id }, select: { id: true } });
      if (!own) throw NOT_FOUND();
      return readOne(user, own.id, ctx);
    },

    /**
     * The resident of a kanban card, projected for the caller: the card itself stays a pseudonym
     * on every list and broadcast; opening the person is its own, audited read.
     */
    async forMatch(user: SessionUser, matchId: string, ctx: AuditContext) {
      const match = await prisma.match.findUnique({
        where: { id: matchId },
        select: { workspaceId: true, residentId: true, shift: { select: { task: { select: { visibility: true, ownerOrgId: true } } } } },
      });
      const task = match?.shift.task;
      if (!match || !task || !user.memberships.some((m) => m.workspaceId === match.workspaceId)) {
        throw new AppError("not_found", "Match not found");
      }
      requirePermission(user, match.workspaceId, "read:match:workspace");
      if (!canSeeOrgScoped(user, match.workspaceId, task.visibility, task.ownerOrgId)) throw new AppError("not_found", "Match not found");
      return readOne(user, match.residentId, ctx);
    },

    /**
     * Retention (消去): erases the resident's personal data everywhere and keeps an anonymous stub
     * (public code, area, status LEFT) so matches and participations still count in statistics.
     * Consents are revoked, open matches withdrawn, explanations and notes that could point at the
     * person cleared, the login unlinked. Idempotent; audited.
     */
    async erase(user: SessionUser, residentId: string, ctx: AuditContext) {
      const resident = requireOnResident(
        user,
        await prisma.resident.findUnique({
          where: { id: residentId },
          select: { id: true, workspaceId: true, registeredByOrgId: true, userId: true, publicCode: true, deletedAt: true },
        }),
        "write:resident:own",
      );
      if (resident.deletedAt) {
        return { id: residentId, publicCode: resident.publicCode, deleted: true as const, deletedAt: resident.deletedAt, withdrawnMatchIds: [], revokedConsentIds: [] };
      }
      const self = resident.userId !== null && resident.userId === user.id;
      const { value } = await writeInWorkspace(deps, resident.workspaceId, user.id, async (tx) => {
        const now = clock();
        const consents = await tx.consent.findMany({ where: { residentId, revokedAt: null }, select: { id: true } });
        await tx.consent.updateMany({ where: { residentId, revokedAt: null }, data: { revokedAt: now } });
        const open = await tx.match.findMany({ where: { residentId, stage: { in: [...OPEN_STAGES] } }, select: { id: true, stage: true } });
        await tx.match.updateMany({
          where: { id: { in: open.map((m) => m.id) } },
          data: { stage: "WITHDRAWN", stageChangedAt: now, pinned: false, version: { increment: 1 } },
        });
        // The stub keeps stage, score and shift; explanations and score parts are derived from the
        // home position (walking distance), and notes may name the person.
        await tx.match.updateMany({
          where: { residentId },
          data: { explanationJa: null, explanationEn: null, scoreBreakdown: Prisma.DbNull },
        });
        await tx.matchEvent.updateMany({ where: { match: { residentId } }, data: { note: null } });
        if (open.length > 0) {
          await tx.matchEvent.createMany({
            data: open.map((m) => ({
              matchId: m.id,
              actorUserId: user.id,
              kind: "stage",
              fromStage: m.stage,
              toStage: "WITHDRAWN" as const,
              note: "住民データの消去により取り下げ / Withdrawn: the resident's data was erased",
            })),
          });
        }
        await tx.availabilityWindow.deleteMany({ where: { residentId } });
        await tx.availabilityException.deleteMany({ where: { residentId } });
        await tx.resident.update({
          where: { id: residentId },
          data: {
            displayName: ERASED_DISPLAY_NAME,
            nameKana: null,
            email: null,
            phone: null,
            address: null,
            birthYear: null,
            homeLat: null,
            homeLng: null,
            notes: null,
            specialCare: null,
            interests: [],
            userId: null,
            status: "LEFT",
            deletedAt: now,
            version: { increment: 1 },
          },
        });
        await recordChange(tx, ctx, {
          workspaceId: resident.workspaceId,
          action: "resident.erase",
          entity: "resident",
          entityId: residentId,
          residentId,
          fields: RESIDENT_PERSONAL_FIELDS,
          organizationId: self ? null : resident.registeredByOrgId,
          basis: self ? "self" : "registering",
        });
        const withdrawnMatchIds = open.map((m) => m.id);
        const revokedConsentIds = consents.map((c) => c.id);
        return {
          result: { deletedAt: now, withdrawnMatchIds, revokedConsentIds },
          entity: "resident",
          entityId: residentId,
          verb: "deleted",
          data: { residentId, publicCode: resident.publicCode, withdrawnMatchIds, revokedConsentIds },
        };
      });
      return { id: residentId, publicCode: resident.publicCode, deleted: true as const, ...value };
    },
  };
}
