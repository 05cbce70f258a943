import { z } from "zod";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { canSeeOrgScoped } from "./access.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";

/**
 * Notes on a card (issue 6, decision 032). Every member of every organization may read a card, but
 * a note is free text that may mention the person behind it, so notes belong to the organizations
 * *involved* in the card: the task's organization, the organization that registered the resident
 * and the one the card was handed to. Their MEMBERs and above read the notes; their COORDINATORs
 * and ADMINs write them. Notes are MatchEvent rows of kind "note": an erasure clears their text
 * with the rest of the history (server/domain/residents.ts).
 */

/** Longest note. @default 2000 characters */
export const NOTE_MAX = 2000;
/** Notes shown with a card, newest first. @default 100 */
export const NOTES_LIMIT = 100;
export const NOTE_KIND = "note";

/** The body of POST /matches/:id/notes. Blank text is refused after authorization (it is still a 400). */
export const MatchNoteSchema = z.object({ text: z.string().max(NOTE_MAX) }).strict();
export type MatchNoteInput = z.infer<typeof MatchNoteSchema>;

/** What decides who is involved in a card and may act on it. */
export const MATCH_HEAD_SELECT = {
  id: true,
  workspaceId: true,
  shiftId: true,
  residentId: true,
  stage: true,
  version: true,
  handledByOrgId: true,
  shift: { select: { startsAt: true, endsAt: true, task: { select: { id: true, visibility: true, ownerOrgId: true } } } },
  resident: { select: { registeredByOrgId: true, deletedAt: true } },
} as const;

export interface MatchHead {
  id: string;
  workspaceId: string;
  shiftId: string;
  residentId: string;
  stage: string;
  version: number;
  handledByOrgId: string | null;
  shift: { startsAt: Date; endsAt: Date; task: { id: string; visibility: string; ownerOrgId: string } };
  resident: { registeredByOrgId: string; deletedAt: Date | null };
}

/** Just what decides involvement. */
export interface InvolvementFacts {
  workspaceId: string;
  handledByOrgId: string | null;
  shift: { task: { ownerOrgId: string } };
  resident: { registeredByOrgId: string };
}

/** The organizations involved in a card: the task's, the registering one, the one it was handed to. */
export function involvedOrgIds(head: Omit<InvolvementFacts, "workspaceId">): Set<string> {
  const ids = new Set([head.shift.task.ownerOrgId, head.resident.registeredByOrgId]);
  if (head.handledByOrgId) ids.add(head.handledByOrgId);
  return ids;
}

/** What the caller may do with a card's notes, outcome and hand-off. */
export function cardAccess(user: SessionUser, head: InvolvementFacts) {
  const involved = involvedOrgIds(head);
  const mine = user.memberships.filter((m) => m.workspaceId === head.workspaceId && involved.has(m.organizationId));
  return {
    /** MEMBER and above of an involved organization. */
    readNotes: mine.some((m) => m.role !== "VIEWER"),
    /** COORDINATOR / ADMIN of an involved organization: write notes, record the outcome, hand off. */
    act: mine.some((m) => m.role === "COORDINATOR" || m.role === "ADMIN"),
  };
}

/** Loads a card's head; 404 when it does not exist or its task is hidden from the caller. */
export async function loadMatchHead(prisma: WriteDeps["prisma"], user: SessionUser, matchId: string): Promise<MatchHead> {
  const head = await prisma.match.findUnique({ where: { id: matchId }, select: MATCH_HEAD_SELECT });
  if (!head || !canSeeOrgScoped(user, head.workspaceId, head.shift.task.visibility, head.shift.task.ownerOrgId)) {
    throw new AppError("not_found", "Match not found");
  }
  requirePermission(user, head.workspaceId, "read:match:workspace");
  return head;
}

/** Refuses (403) a caller who may move cards but is not a coordinator of an involved organization. */
export function requireInvolvedCoordinator(user: SessionUser, head: MatchHead) {
  requirePermission(user, head.workspaceId, "write:match:workspace");
  if (!cardAccess(user, head).act) {
    throw new AppError(
      "forbidden",
      "この案件に関わる団体（活動の団体・登録団体・引き継ぎ先）の調整担当だけができます / Only coordinators of an organization involved in this card may do this",
      { reason: "not_involved" },
    );
  }
}

const NOTE_SELECT = { id: true, note: true, createdAt: true, actor: { select: { displayName: true } } } as const;

export interface MatchNote {
  id: string;
  text: string;
  createdAt: Date;
  author: string | null;
}

const noteDto = (row: { id: string; note: string | null; createdAt: Date; actor: { displayName: string } | null }): MatchNote => ({
  id: row.id,
  text: row.note ?? "",
  createdAt: row.createdAt,
  author: row.actor?.displayName ?? null,
});

export function createMatchNotes(deps: WriteDeps) {
  const { prisma } = deps;
  return {
    /** The notes of a card for a caller allowed to read them (cardAccess().readNotes), newest first. */
    async listFor(matchId: string): Promise<MatchNote[]> {
      const rows = await prisma.matchEvent.findMany({
        where: { matchId, kind: NOTE_KIND, note: { not: null } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: NOTES_LIMIT,
        select: NOTE_SELECT,
      });
      return rows.map(noteDto);
    },

    /**
     * Adds a note. The card's version does not change (a note never makes someone's move a
     * conflict); the live event says `kind: "match.note"` so open boards reload the notes.
     */
    async add(user: SessionUser, matchId: string, input: MatchNoteInput): Promise<MatchNote> {
      const head = await loadMatchHead(prisma, user, matchId);
      requireInvolvedCoordinator(user, head);
      const text = input.text.trim();
      if (text.length === 0) {
        throw new AppError("validation_failed", "メモが空です / The note is empty", [{ path: "text", message: "empty" }]);
      }
      if (head.resident.deletedAt) throw new AppError("conflict", "この住民のデータは消去されています / The resident's data was erased");
      const { value } = await writeInWorkspace(deps, head.workspaceId, user.id, async (tx) => {
        const row = await tx.matchEvent.create({ data: { matchId, actorUserId: user.id, kind: NOTE_KIND, note: text }, select: NOTE_SELECT });
        const count = await tx.matchEvent.count({ where: { matchId, kind: NOTE_KIND, note: { not: null } } });
        return {
          result: noteDto(row),
          entity: "match",
          entityId: matchId,
          verb: "updated",
          data: { kind: "match.note", matchId, shiftId: head.shiftId, noteCount: count },
        };
      });
      return value;
    },
  };
}
