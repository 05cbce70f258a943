import { ageBand } from "../../app/lib/people.ts";
import type { MatchStage, MatchStageMove } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { canSeeOrgScoped, visibleToMember } from "./access.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";

/** Matches as every member may see them: the resident is a pseudonym card, never a person. */
const MATCH_INCLUDE = {
  resident: { select: { publicCode: true, birthYear: true, homeArea: { select: { id: true, name: true } } } },
  shift: {
    select: {
      id: true,
      role: true,
      startsAt: true,
      endsAt: true,
      task: { select: { id: true, title: true, ownerOrgId: true, visibility: true, category: true } },
    },
  },
} as const;

type MatchRow = {
  id: string;
  resident: { publicCode: string; birthYear: number | null; homeArea: { id: string; name: string } | null };
  [key: string]: unknown;
};

function matchDto<T extends MatchRow>(match: T, now: Date) {
  const { resident, ...rest } = match;
  return {
    ...rest,
    resident: {
      publicCode: resident.publicCode,
      ageBand: ageBand(resident.birthYear, now),
      area: resident.homeArea,
    },
  };
}

/**
 * Kanban stages a card may move to. Terminal stages (completed, declined, withdrawn) may be
 * reopened to an active stage by a coordinator, because mistakes on a live board happen.
 */
export function allowedStageMove(from: MatchStage, to: MatchStage): boolean {
  return from !== to;
}

export function createMatchService(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  return {
    async list(
      user: SessionUser,
      workspaceId: string,
      options: { limit: number; cursor?: string; stage?: MatchStage },
    ) {
      requirePermission(user, workspaceId, "read:match:workspace");
      const rows = await prisma.match.findMany({
        where: {
          workspaceId,
          ...(options.stage ? { stage: options.stage } : {}),
          shift: { task: visibleToMember(user, workspaceId) },
        },
        include: MATCH_INCLUDE,
        orderBy: { id: "asc" },
        take: options.limit + 1,
        ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, options.limit);
      const now = clock();
      return {
        items: page.map((m) => matchDto(m, now)),
        nextCursor: rows.length > options.limit ? page[page.length - 1].id : null,
      };
    },

    async get(user: SessionUser, matchId: string) {
      const match = await prisma.match.findUnique({ where: { id: matchId }, include: MATCH_INCLUDE });
      if (!match) throw new AppError("not_found", "Match not found");
      requirePermission(user, match.workspaceId, "read:match:workspace");
      const task = match.shift.task;
      if (!canSeeOrgScoped(user, match.workspaceId, task.visibility, task.ownerOrgId)) {
        throw new AppError("not_found", "Match not found");
      }
      return matchDto(match, clock());
    },

    /**
     * Moves a card. `expectedVersion` must equal the card's version; otherwise 409 with the
     * current card, so the board shows who changed it instead of overwriting silently.
     */
    async moveStage(user: SessionUser, matchId: string, input: MatchStageMove) {
      const existing = await this.get(user, matchId);
      requirePermission(user, existing.workspaceId as string, "write:match:workspace");
      const from = existing.stage as MatchStage;
      if (!allowedStageMove(from, input.stage) && existing.version === input.expectedVersion) {
        throw new AppError("validation_failed", `The card is already in ${input.stage}`);
      }
      await writeInWorkspace(deps, existing.workspaceId as string, user.id, async (tx) => {
        const now = clock();
        const { count } = await tx.match.updateMany({
          where: { id: matchId, version: input.expectedVersion },
          data: { stage: input.stage, stageChangedAt: now, version: { increment: 1 } },
        });
        if (count === 0) {
          const current = await tx.match.findUniqueOrThrow({ where: { id: matchId }, include: MATCH_INCLUDE });
          const lastEvent = await tx.matchEvent.findFirst({
            where: { matchId },
            orderBy: { createdAt: "desc" },
            select: { actorUserId: true, createdAt: true, actor: { select: { displayName: true } } },
          });
          throw new AppError("conflict", "The card was moved by someone else", {
            current: matchDto(current, now),
            changedBy: lastEvent?.actor?.displayName ?? null,
            changedAt: lastEvent?.createdAt ?? null,
          });
        }
        await tx.matchEvent.create({
          data: { matchId, actorUserId: user.id, kind: "stage", fromStage: from, toStage: input.stage, note: input.note },
        });
        const updated = await tx.match.findUniqueOrThrow({ where: { id: matchId } });
        return {
          result: null,
          entity: "match",
          entityId: matchId,
          verb: "updated",
          data: { matchId, stage: updated.stage, version: updated.version, shiftId: updated.shiftId },
        };
      });
      return this.get(user, matchId);
    },
  };
}
