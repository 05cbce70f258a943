import type { MatchStage, MatchStageMove } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { NO_VIEWER, projectResident, RESIDENT_RECORD_SELECT, type ResidentRecord } from "../trust/projection.ts";
import { canSeeOrgScoped, visibleToMember } from "./access.ts";
import { cardAccess, createMatchNotes, type MatchNote } from "./match-notes.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";
import { PIECE_FACTS_SELECT } from "./pages.ts";

// ───── Card fields (the kanban board, app/features/board) ─────
// The piece and its task as a board card shows them: date, time, place, organization, category.
// Organizations, areas and places are public facts, not personal data. Kept apart from the
// resident part below, which has its own projection.
const MATCH_CARD_SHIFT_SELECT = {
  ...PIECE_FACTS_SELECT,
  task: {
    select: {
      id: true,
      title: true,
      titleEn: true,
      ownerOrgId: true,
      visibility: true,
      category: true,
      locationName: true,
      isRemote: true,
      area: { select: { id: true, name: true, nameEn: true } },
      owner: { select: { id: true, name: true, nameEn: true } },
    },
  },
} as const;

/**
 * A card's history for its detail panel (GET /api/v1/matches/:id): staff display names only.
 * Free-text notes are left out: every member of every organization may read a card, and a note
 * may mention a resident.
 */
const MATCH_HISTORY_LIMIT = 50;
const MATCH_EVENT_SELECT = {
  id: true,
  kind: true,
  fromStage: true,
  toStage: true,
  createdAt: true,
  actor: { select: { displayName: true } },
} as const;

/**
 * Matches as every member may see them: the resident is the projection's pseudonym card for
 * nobody in particular (server/trust/projection.ts), never a person. The person behind a card is
 * read through GET /api/v1/matches/:id/resident, projected for the caller and audited.
 */
const MATCH_INCLUDE = {
  resident: { select: RESIDENT_RECORD_SELECT },
  shift: { select: MATCH_CARD_SHIFT_SELECT },
  // The organization the card was handed to (an organizational fact, like the task's owner).
  handledBy: { select: { id: true, name: true, nameEn: true } },
} as const;

type MatchRow = {
  id: string;
  resident: ResidentRecord;
  [key: string]: unknown;
};

function matchDto<T extends MatchRow>(match: T, now: Date) {
  const { resident, ...rest } = match;
  const { id, publicCode, label, labelEn, ageBand, area } = projectResident(NO_VIEWER, resident, [], now).resident;
  return { ...rest, resident: { id, publicCode, label, labelEn, ageBand, area } };
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
  const notesService = createMatchNotes(deps);

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
      // History, newest first (bounded): the board's detail panel shows who moved the card when.
      const events = await prisma.matchEvent.findMany({
        where: { matchId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: MATCH_HISTORY_LIMIT,
        select: MATCH_EVENT_SELECT,
      });
      // Notes and the recorded outcome only for the organizations involved in the card
      // (decision 032); everyone else learns that they are hidden, and why.
      const access = cardAccess(user, {
        workspaceId: match.workspaceId,
        handledByOrgId: match.handledByOrgId,
        shift: { task: { ownerOrgId: task.ownerOrgId } },
        resident: { registeredByOrgId: match.resident.registeredByOrgId },
      });
      let notes: MatchNote[] | null = null;
      let outcome: { attended: boolean | null; minutes: number | null; rating: number | null; checkInAt: Date | null } | null = null;
      if (access.readNotes) {
        const [list, participation] = await Promise.all([
          notesService.listFor(matchId),
          prisma.participation.findUnique({
            where: { residentId_shiftId: { residentId: match.residentId, shiftId: match.shiftId } },
            select: { attended: true, minutes: true, rating: true, checkInAt: true },
          }),
        ]);
        notes = list;
        outcome = participation;
      }
      return { ...matchDto(match, clock()), events, access, notes, outcome };
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
