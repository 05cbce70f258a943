import { z } from "zod";
import { MatchStageSchema } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { canSeeOrgScoped } from "./access.ts";
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
  };
}
