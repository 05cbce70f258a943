import { z } from "zod";
import { MatchStageSchema } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { recordChange, type AuditContext } from "../trust/audit.ts";
import { isConsentActive } from "../trust/projection.ts";
import { canSeeOrgScoped } from "./access.ts";
import { loadMatchHead, requireInvolvedCoordinator } from "./match-notes.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";

const id = z.string().trim().min(1).max(64);

/** Pin or unpin a card: a pinned card is a fixed input of every matching run. */
export const MatchPinSchema = z.object({ pinned: z.boolean(), expectedVersion: z.number().int().min(1) }).strict();
export type MatchPin = z.infer<typeof MatchPinSchema>;

/** A match added by hand: the engine keeps it (source COORDINATOR is a fixed input). */
export const MatchAddSchema = z
  .object({
    shiftId: id,
    residentId: id,
    stage: MatchStageSchema.extract(["SUGGESTED", "CONTACTING", "ARRANGING", "CONFIRMED"]).default("SUGGESTED"),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type MatchAdd = z.infer<typeof MatchAddSchema>;

/** Hand a card to another organization of the workspace (decision 033). */
export const MatchHandoffSchema = z.object({ organizationId: id, expectedVersion: z.number().int().min(1) }).strict();
export type MatchHandoff = z.infer<typeof MatchHandoffSchema>;

/**
 * The outcome of a booked card (decision 033): attended or not, hours (quarter hours; omitted =
 * the piece's length when attended), the resident's rating 1–5. Written to Participation, which
 * the continuation KPIs read (server/outcomes/kpi.ts).
 */
export const MatchOutcomeSchema = z
  .object({
    attended: z.boolean(),
    hours: z
      .number()
      .min(0)
      .max(24)
      .refine((h) => Number.isInteger(h * 4), "quarter hours (0.25)")
      .nullable()
      .optional(),
    rating: z.number().int().min(1).max(5).nullable().optional(),
    expectedVersion: z.number().int().min(1),
  })
  .strict();
export type MatchOutcome = z.infer<typeof MatchOutcomeSchema>;

/** Stages whose card holds a place: only these have an outcome. */
const BOOKED = ["CONFIRMED", "ACTIVE", "COMPLETED"] as const;
/** The consent field a receiving organization needs to follow a resident up. */
export const HANDOFF_FIELD = "contact";

/**
 * A coordinator's own hand on the pipeline, beside the stage moves of matches.ts: pin a card so
 * the matcher never moves it, and add a match the matcher did not propose. Rejecting is a stage
 * move to DECLINED. Both go through the one write path, so matching reruns on them.
 */
export function createMatchActions(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  return {
    /** Returns the match id; 409 with the current version when `expectedVersion` is stale. */
    async pin(user: SessionUser, matchId: string, input: MatchPin): Promise<string> {
      const match = await prisma.match.findUnique({
        where: { id: matchId },
        select: { workspaceId: true, version: true, pinned: true, shift: { select: { task: { select: { visibility: true, ownerOrgId: true } } } } },
      });
      if (!match || !canSeeOrgScoped(user, match.workspaceId, match.shift.task.visibility, match.shift.task.ownerOrgId)) {
        throw new AppError("not_found", "Match not found");
      }
      requirePermission(user, match.workspaceId, "write:match:workspace");
      await writeInWorkspace(deps, match.workspaceId, user.id, async (tx) => {
        const { count } = await tx.match.updateMany({
          where: { id: matchId, version: input.expectedVersion },
          data: { pinned: input.pinned, version: { increment: 1 } },
        });
        if (count === 0) {
          const current = await tx.match.findUniqueOrThrow({ where: { id: matchId }, select: { version: true, pinned: true, stage: true } });
          throw new AppError("conflict", "The card was changed by someone else / ほかの人が先に変更しました", { current });
        }
        await tx.matchEvent.create({ data: { matchId, actorUserId: user.id, kind: input.pinned ? "pinned" : "unpinned" } });
        const updated = await tx.match.findUniqueOrThrow({ where: { id: matchId }, select: { stage: true, version: true, shiftId: true, pinned: true } });
        return { result: null, entity: "match", entityId: matchId, verb: "updated", data: { matchId, ...updated } };
      });
      return matchId;
    },

    /**
     * Adds a resident to a piece by hand. The caller coordinates the organization that registered
     * the resident, or the task's organization while the resident's consent lets it work with them
     * (the sharing rule the engine applies). Returns the new match id.
     */
    async add(user: SessionUser, workspaceId: string, input: MatchAdd): Promise<string> {
      requirePermission(user, workspaceId, "write:match:workspace");
      const now = clock();
      const [shift, resident] = await Promise.all([
        prisma.shift.findUnique({
          where: { id: input.shiftId },
          select: { id: true, startsAt: true, task: { select: { workspaceId: true, visibility: true, ownerOrgId: true } } },
        }),
        prisma.resident.findUnique({
          where: { id: input.residentId },
          select: {
            workspaceId: true,
            status: true,
            registeredByOrgId: true,
            consents: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, select: { organizationId: true } },
          },
        }),
      ]);
      if (!shift || shift.task.workspaceId !== workspaceId || !canSeeOrgScoped(user, workspaceId, shift.task.visibility, shift.task.ownerOrgId)) {
        throw new AppError("not_found", "Piece not found / 枠が見つかりません");
      }
      if (!resident || resident.workspaceId !== workspaceId) throw new AppError("not_found", "Resident not found / 住民が見つかりません");
      if (resident.status !== "ACTIVE") throw new AppError("validation_failed", "この住民は現在活動していません / The resident is not active");
      if (shift.startsAt.getTime() <= now.getTime()) throw new AppError("validation_failed", "この枠はすでに始まっています / The piece has already started");
      const coordinated = new Set(
        user.memberships.filter((m) => m.workspaceId === workspaceId && (m.role === "COORDINATOR" || m.role === "ADMIN")).map((m) => m.organizationId),
      );
      const sharedWithTaskOrg = resident.consents.some((c) => c.organizationId === shift.task.ownerOrgId);
      const allowed = coordinated.has(resident.registeredByOrgId) || (coordinated.has(shift.task.ownerOrgId) && sharedWithTaskOrg);
      if (!allowed) {
        throw new AppError(
          "forbidden",
          "この住民をこの活動に紹介する同意がありません / The resident's consent does not allow this organization",
        );
      }
      const existing = await prisma.match.findUnique({
        where: { shiftId_residentId: { shiftId: input.shiftId, residentId: input.residentId } },
        select: { id: true, stage: true, version: true, source: true },
      });
      if (existing) {
        throw new AppError("conflict", "この組み合わせはすでにあります / This match already exists", { current: existing });
      }
      const write = writeInWorkspace(deps, workspaceId, user.id, async (tx) => {
        const match = await tx.match.create({
          data: {
            workspaceId,
            shiftId: input.shiftId,
            residentId: input.residentId,
            stage: input.stage,
            source: "COORDINATOR",
            stageChangedAt: now,
          },
          select: { id: true, stage: true, version: true, shiftId: true, pinned: true },
        });
        await tx.matchEvent.create({ data: { matchId: match.id, actorUserId: user.id, kind: "created", toStage: match.stage, note: input.note } });
        return { result: match.id, entity: "match", entityId: match.id, verb: "created", data: { matchId: match.id, ...match } };
      });
      // The same pair added at the same moment by someone else (or proposed by the matcher).
      const { value } = await write.catch((error: unknown) => {
        if ((error as { code?: string })?.code === "P2002") {
          throw new AppError("conflict", "この組み合わせはすでにあります / This match already exists");
        }
        throw error;
      });
      return value;
    },

    /**
     * Hands the card to another organization to follow up. Only coordinators of an involved
     * organization; the target must be the registering organization or hold an active consent of
     * the resident that includes contact (403 `no_consent` otherwise). Returns the match id.
     */
    /**
     * Hands the card to another organization (decision 033). Written to the audit log in the same
     * transaction (`match.handoff`, the receiving organization and the consent it rests on), like
     * 代理登録 and consents: the receiving organization can then read the contact.
     */
    async handoff(user: SessionUser, matchId: string, input: MatchHandoff, ctx: AuditContext): Promise<string> {
      const head = await loadMatchHead(prisma, user, matchId);
      requireInvolvedCoordinator(user, head);
      if (head.version !== input.expectedVersion) {
        throw new AppError("conflict", "The card was changed by someone else / ほかの人が先に変更しました", {
          current: { version: head.version, stage: head.stage, handledByOrgId: head.handledByOrgId },
        });
      }
      const target = await prisma.organization.findUnique({ where: { id: input.organizationId }, select: { workspaceId: true, name: true } });
      if (!target || target.workspaceId !== head.workspaceId) {
        throw new AppError("validation_failed", "団体が見つかりません / Unknown organization", [{ path: "organizationId", message: "not an organization of this workspace" }]);
      }
      if ((head.handledByOrgId ?? null) === input.organizationId) {
        throw new AppError("validation_failed", "すでにこの団体が担当しています / This organization already has the card", [
          { path: "organizationId", message: "already the handler" },
        ]);
      }
      if (head.resident.deletedAt) throw new AppError("conflict", "この住民のデータは消去されています / The resident's data was erased", { reason: "erased" });
      const now = clock();
      // Why the receiving organization may have the card: it registered the resident, or a consent.
      let basis = "registering";
      if (input.organizationId !== head.resident.registeredByOrgId) {
        const consents = await prisma.consent.findMany({
          where: { residentId: head.residentId, organizationId: input.organizationId },
          orderBy: [{ grantedAt: "desc" }, { id: "asc" }],
          select: { id: true, fields: true, expiresAt: true, revokedAt: true },
        });
        const consent = consents.find((c) => isConsentActive(c, now) && c.fields.includes(HANDOFF_FIELD));
        if (consent) basis = `consent:${consent.id}`;
        else {
          throw new AppError(
            "forbidden",
            `この住民は「${target.name}」への連絡先の共有に同意していません / The resident has not consented to share contact details with this organization`,
            { reason: "no_consent", organizationId: input.organizationId },
          );
        }
      }
      await writeInWorkspace(deps, head.workspaceId, user.id, async (tx) => {
        const { count } = await tx.match.updateMany({
          where: { id: matchId, version: input.expectedVersion },
          data: { handledByOrgId: input.organizationId, version: { increment: 1 } },
        });
        if (count === 0) {
          const current = await tx.match.findUniqueOrThrow({ where: { id: matchId }, select: { version: true, stage: true, handledByOrgId: true } });
          throw new AppError("conflict", "The card was changed by someone else / ほかの人が先に変更しました", { current });
        }
        await tx.matchEvent.create({ data: { matchId, actorUserId: user.id, kind: "handoff", note: target.name } });
        await recordChange(tx, ctx, {
          workspaceId: head.workspaceId,
          action: "match.handoff",
          entity: "match",
          entityId: matchId,
          residentId: head.residentId,
          fields: [HANDOFF_FIELD],
          organizationId: input.organizationId,
          basis,
        });
        const updated = await tx.match.findUniqueOrThrow({ where: { id: matchId }, select: { stage: true, version: true, shiftId: true } });
        return { result: null, entity: "match", entityId: matchId, verb: "updated", data: { matchId, ...updated } };
      });
      return matchId;
    },

    /**
     * Records the outcome of a booked card whose piece has started, and completes the card. One
     * Participation per resident and piece (upsert: a check-in may have made it already); hours
     * given here replace the minutes counted there. Returns the match id.
     */
    async recordOutcome(user: SessionUser, matchId: string, input: MatchOutcome): Promise<string> {
      const head = await loadMatchHead(prisma, user, matchId);
      requireInvolvedCoordinator(user, head);
      if (head.version !== input.expectedVersion) {
        throw new AppError("conflict", "The card was changed by someone else / ほかの人が先に変更しました", {
          current: { version: head.version, stage: head.stage },
        });
      }
      if (!(BOOKED as readonly string[]).includes(head.stage)) {
        throw new AppError("conflict", "確定した案件だけ結果を記録できます / Only a confirmed card has an outcome", { reason: "not_booked", stage: head.stage });
      }
      const now = clock();
      if (head.shift.startsAt.getTime() > now.getTime()) {
        throw new AppError("conflict", "活動はまだ始まっていません / The activity has not started yet", { reason: "not_started" });
      }
      const pieceMinutes = Math.round((head.shift.endsAt.getTime() - head.shift.startsAt.getTime()) / 60_000);
      const minutes = !input.attended ? 0 : input.hours != null ? Math.round(input.hours * 60) : pieceMinutes;
      const rating = input.rating ?? null;
      await writeInWorkspace(deps, head.workspaceId, user.id, async (tx) => {
        const complete = head.stage !== "COMPLETED";
        const { count } = await tx.match.updateMany({
          where: { id: matchId, version: input.expectedVersion },
          data: { version: { increment: 1 }, ...(complete ? { stage: "COMPLETED", stageChangedAt: now } : {}) },
        });
        if (count === 0) {
          const current = await tx.match.findUniqueOrThrow({ where: { id: matchId }, select: { version: true, stage: true } });
          throw new AppError("conflict", "The card was changed by someone else / ほかの人が先に変更しました", { current });
        }
        await tx.participation.upsert({
          where: { residentId_shiftId: { residentId: head.residentId, shiftId: head.shiftId } },
          create: { residentId: head.residentId, shiftId: head.shiftId, matchId, attended: input.attended, minutes, rating },
          update: { matchId, attended: input.attended, minutes, rating },
        });
        await tx.matchEvent.create({
          data: {
            matchId,
            actorUserId: user.id,
            kind: "outcome",
            ...(complete ? { fromStage: head.stage as "CONFIRMED" | "ACTIVE", toStage: "COMPLETED" as const } : {}),
          },
        });
        const updated = await tx.match.findUniqueOrThrow({ where: { id: matchId }, select: { stage: true, version: true, shiftId: true } });
        return { result: null, entity: "match", entityId: matchId, verb: "updated", data: { matchId, ...updated } };
      });
      return matchId;
    },
  };
}
