import { z } from "zod";
import { normalizeReferenceCode } from "../../app/features/residents/ref-code.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requireWorkspaceMember } from "../auth/require.ts";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../http/errors.ts";
import { minutesBetween } from "../outcomes/ledger.ts";
import { newCheckInCode, normalizeCheckInCode } from "../outcomes/short-code.ts";
import { recordReads, type AuditContext } from "../trust/audit.ts";
import { CONSENT_RECORD_SELECT, projectResident, RESIDENT_RECORD_SELECT } from "../trust/projection.ts";
import { canSeeOrgScoped } from "./access.ts";
import { writeInWorkspace, type Tx, type WriteDeps } from "./write-path.ts";
import { PIECE_FACTS_SELECT } from "./pages.ts";

/**
 * 参加チェックイン (issue 9): a short code per piece, shown at the site as text and QR; the
 * resident (by reference code or their login) or a coordinator checks in and out; attendance,
 * times and minutes land in Participation through the one write path. Every check-in carries an
 * idempotency key and is stored as a CheckInReceipt under it, so a phone's offline queue that
 * sends it twice (or a double tap) records it once. docs/decisions/051-check-in-codes-and-offline-queue.md.
 */

/** Stages in which a resident holds a seat on the piece (and may check in). */
export const CHECK_IN_STAGES = ["CONFIRMED", "ACTIVE", "COMPLETED"] as const;

/** Check-in opens this long before the piece starts. @default 2 h */
export const OPEN_BEFORE_MS = 2 * 3_600_000;
/** …and closes this long after it ends (a check-out sent from a queue later still counts). @default 12 h */
export const CLOSE_AFTER_MS = 12 * 3_600_000;
/** A phone's clock ahead of ours by up to this is taken as now. @default 5 min */
export const CLOCK_SKEW_MS = 5 * 60_000;

export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "16–64 letters, digits, - or _");
const At = z.iso.datetime({ offset: true }).optional();
export const CheckInAction = z.enum(["in", "out"]);
export type CheckInActionName = z.infer<typeof CheckInAction>;

/** POST /api/v1/check-in/:code (the resident's phone, or its offline queue). */
export const CodeCheckInSchema = z.object({
  /** The reference code; not needed when the caller is a signed-in resident. */
  referenceCode: z.string().max(40).optional(),
  action: CheckInAction,
  key: IdempotencyKey,
  /** When the button was pressed (ISO); default now. */
  at: At,
});
export type CodeCheckIn = z.infer<typeof CodeCheckInSchema>;

/** POST /api/v1/shifts/:shiftId/check-in (a coordinator for someone). */
export const CoordinatorCheckInSchema = z.object({
  residentId: z.string().min(1).max(64),
  action: CheckInAction,
  key: IdempotencyKey,
  at: At,
});
export type CoordinatorCheckIn = z.infer<typeof CoordinatorCheckInSchema>;

export interface CheckInResult {
  /** recorded: this request wrote it; duplicate: the key was seen before, nothing written. */
  status: "recorded" | "duplicate";
  action: CheckInActionName;
  at: string;
  participation: { id: string; attended: boolean | null; checkInAt: string | null; checkOutAt: string | null; minutes: number | null };
  piece: { id: string; role: string; roleEn: string | null; startsAt: string; endsAt: string; taskTitle: string; taskTitleEn: string | null };
}

const notFound = () => new AppError("not_found", "番号が見つかりません / Code not found");

const SHIFT_SELECT = {
  ...PIECE_FACTS_SELECT,
  task: { select: { id: true, workspaceId: true, ownerOrgId: true, visibility: true, title: true, titleEn: true, locationName: true, owner: { select: { name: true, nameEn: true } } } },
} as const;

function isUniqueViolation(error: unknown, target?: string): boolean {
  const e = error as { code?: unknown; message?: unknown; meta?: unknown };
  const text = `${String(e?.message ?? "")} ${JSON.stringify(e?.meta ?? {})}`;
  const unique = e?.code === "P2002" || /unique constraint|23505/i.test(text);
  return unique && (target === undefined || text.includes(target));
}

/** Coordinators and admins of the piece's organizer run its site: they see the code and the roster. */
function requireSiteCoordinator(user: SessionUser, task: { workspaceId: string; ownerOrgId: string; visibility: string }) {
  const memberships = requireWorkspaceMember(user, task.workspaceId);
  if (!canSeeOrgScoped(user, task.workspaceId, task.visibility, task.ownerOrgId)) throw new AppError("not_found", "Piece not found");
  const ok = memberships.some((m) => m.organizationId === task.ownerOrgId && (m.role === "COORDINATOR" || m.role === "ADMIN"));
  if (!ok) throw new AppError("forbidden", "権限がありません / Only the organizer's coordinators may do this");
}

export function createCheckInService(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  async function loadShift(db: Pick<PrismaClient, "shift"> | Tx, shiftId: string) {
    const shift = await db.shift.findUnique({ where: { id: shiftId }, select: SHIFT_SELECT });
    if (!shift) throw new AppError("not_found", "Piece not found");
    return shift;
  }

  /** The piece's code, made on first use (a unique clash with another piece is retried). */
  async function ensureCode(shiftId: string, workspaceId: string): Promise<string> {
    const existing = await prisma.checkInCode.findUnique({ where: { shiftId }, select: { code: true } });
    if (existing) return existing.code;
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        // Not a workspace change: nothing anyone sees live changes, so no version bump (decision 051).
        const created = await prisma.checkInCode.create({ data: { shiftId, workspaceId, code: newCheckInCode() }, select: { code: true } });
        return created.code;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const raced = await prisma.checkInCode.findUnique({ where: { shiftId }, select: { code: true } });
        if (raced) return raced.code; // another coordinator made it at the same moment
      }
    }
    throw new AppError("unavailable", "Could not make a check-in code");
  }

  /**
   * Records one check-in or check-out of `residentId` at `shiftId`. A key seen before answers
   * "duplicate" and writes nothing (also when two identical requests race: the receipt's primary
   * key refuses the second inside its transaction).
   */
  async function record(input: {
    shiftId: string;
    residentId: string;
    action: CheckInActionName;
    key: string;
    at: string | undefined;
    via: "code" | "coordinator";
    actorUserId: string | null;
  }): Promise<CheckInResult> {
    const previous = await receiptAnswer(input);
    if (previous) return previous;

    const shift = await loadShift(prisma, input.shiftId);
    const now = clock();
    let at = input.at ? new Date(input.at) : now;
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new AppError("validation_failed", "時刻が未来です / The time is in the future", [{ path: "at", message: "in the future" }]);
    }
    if (at > now) at = now;
    if (at.getTime() < shift.startsAt.getTime() - OPEN_BEFORE_MS || at.getTime() > shift.endsAt.getTime() + CLOSE_AFTER_MS) {
      throw new AppError("conflict", "受付時間外です / Check-in is not open at this time", { reason: "outside_window" });
    }

    try {
      await writeInWorkspace(deps, shift.task.workspaceId, input.actorUserId, async (tx) => {
        const match = await tx.match.findFirst({
          where: { shiftId: shift.id, residentId: input.residentId, stage: { in: [...CHECK_IN_STAGES] } },
          select: { id: true, stage: true },
        });
        if (!match) throw notFound();
        const participation = await tx.participation.upsert({
          where: { residentId_shiftId: { residentId: input.residentId, shiftId: shift.id } },
          create: { residentId: input.residentId, shiftId: shift.id, matchId: match.id },
          update: {},
        });
        // The receipt first: a concurrent twin with the same key fails here and rolls back.
        await tx.checkInReceipt.create({
          data: { key: input.key, participationId: participation.id, action: input.action, at, via: input.via, actorUserId: input.actorUserId },
        });
        let checkInAt = participation.checkInAt;
        let checkOutAt = participation.checkOutAt;
        if (input.action === "in") {
          // The earliest check-in stands (a second tap later does not shorten the time).
          if (!checkInAt || at < checkInAt) checkInAt = at;
        } else {
          if (checkInAt && at < checkInAt) {
            throw new AppError("conflict", "チェックインより前のチェックアウトです / Check-out before check-in", { reason: "out_before_in" });
          }
          if (!checkOutAt || at > checkOutAt) checkOutAt = at;
        }
        // Without a check-in the piece's start counts as the arrival.
        const minutes = checkOutAt ? minutesBetween(checkInAt ?? shift.startsAt, checkOutAt) : null;
        await tx.participation.update({
          where: { id: participation.id },
          data: { attended: true, checkInAt, checkOutAt, minutes, matchId: participation.matchId ?? match.id },
        });

        // The card follows on the board: confirmed → active at check-in, → completed at check-out.
        const toStage = input.action === "in" ? (match.stage === "CONFIRMED" ? "ACTIVE" : null) : match.stage !== "COMPLETED" ? "COMPLETED" : null;
        if (toStage) {
          await tx.match.update({ where: { id: match.id }, data: { stage: toStage, stageChangedAt: now, version: { increment: 1 } } });
          await tx.matchEvent.create({
            data: { matchId: match.id, actorUserId: input.actorUserId, kind: "stage", fromStage: match.stage, toStage, note: input.action === "in" ? "check-in" : "check-out" },
          });
        }
        const updated = await tx.match.findUniqueOrThrow({ where: { id: match.id }, select: { stage: true, version: true } });
        return {
          result: null,
          entity: "match",
          entityId: match.id,
          verb: "updated",
          // Ids and states only: no personal data in a room broadcast.
          data: { matchId: match.id, stage: updated.stage, version: updated.version, shiftId: shift.id, participation: input.action === "in" ? "checked-in" : "checked-out" },
        };
      });
    } catch (error) {
      if (isUniqueViolation(error, "key") || isUniqueViolation(error, "CheckInReceipt")) {
        const raced = await receiptAnswer(input);
        if (raced) return raced;
      }
      throw error;
    }
    const answer = await receiptAnswer(input, "recorded");
    if (!answer) throw new AppError("internal", "The check-in was not stored");
    return answer;
  }

  /** The answer for a key already stored; null when the key is new. Refuses a key reused for something else. */
  async function receiptAnswer(
    input: { key: string; shiftId: string; residentId: string; action: CheckInActionName },
    status: CheckInResult["status"] = "duplicate",
  ): Promise<CheckInResult | null> {
    const receipt = await prisma.checkInReceipt.findUnique({
      where: { key: input.key },
      select: {
        action: true,
        at: true,
        participation: {
          select: { id: true, residentId: true, shiftId: true, attended: true, checkInAt: true, checkOutAt: true, minutes: true, shift: { select: SHIFT_SELECT } },
        },
      },
    });
    if (!receipt) return null;
    const p = receipt.participation;
    if (p.shiftId !== input.shiftId || p.residentId !== input.residentId || receipt.action !== input.action) {
      throw new AppError("conflict", "この送信キーは別の記録に使われています / This key was used for another check-in", { reason: "key_reused" });
    }
    return {
      status,
      action: receipt.action as CheckInActionName,
      at: receipt.at.toISOString(),
      participation: {
        id: p.id,
        attended: p.attended,
        checkInAt: p.checkInAt?.toISOString() ?? null,
        checkOutAt: p.checkOutAt?.toISOString() ?? null,
        minutes: p.minutes,
      },
      piece: {
        id: p.shift.id,
        role: p.shift.role,
        roleEn: p.shift.roleEn,
        startsAt: p.shift.startsAt.toISOString(),
        endsAt: p.shift.endsAt.toISOString(),
        taskTitle: p.shift.task.title,
        taskTitleEn: p.shift.task.titleEn,
      },
    };
  }

  return {
    /**
     * What the public page /c/<code> shows: the piece, never a person. null for an unknown code.
     */
    async pieceForCode(rawCode: string) {
      const code = normalizeCheckInCode(rawCode);
      if (!code) return null;
      const row = await prisma.checkInCode.findUnique({ where: { code }, select: { code: true, shift: { select: SHIFT_SELECT } } });
      if (!row) return null;
      const s = row.shift;
      return {
        code: row.code,
        piece: { id: s.id, role: s.role, roleEn: s.roleEn, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() },
        task: { title: s.task.title, titleEn: s.task.titleEn, locationName: s.task.locationName, organizer: s.task.owner.name, organizerEn: s.task.owner.nameEn },
      };
    },

    /**
     * A check-in by the code at the site: the resident is the caller's own resident record when
     * signed in as a resident, else the one named by an 8-character reference code in the piece's
     * workspace. A wrong code, an unknown reference code and a resident without a seat on the
     * piece all answer the same 404.
     */
    async checkInByCode(rawCode: string, input: CodeCheckIn, caller: SessionUser | null): Promise<CheckInResult> {
      const code = normalizeCheckInCode(rawCode);
      if (!code) throw notFound();
      const row = await prisma.checkInCode.findUnique({ where: { code }, select: { shiftId: true, workspaceId: true } });
      if (!row) throw notFound();
      let residentId: string | null = null;
      const reference = input.referenceCode ? normalizeReferenceCode(input.referenceCode) : null;
      if (reference) {
        const resident = await prisma.resident.findUnique({
          where: { workspaceId_publicCode: { workspaceId: row.workspaceId, publicCode: reference } },
          select: { id: true, deletedAt: true },
        });
        residentId = resident && !resident.deletedAt ? resident.id : null;
      } else if (input.referenceCode) {
        throw notFound();
      } else if (caller) {
        const own = await prisma.resident.findFirst({ where: { userId: caller.id, workspaceId: row.workspaceId, deletedAt: null }, select: { id: true } });
        residentId = own?.id ?? null;
      } else {
        throw new AppError("validation_failed", "申し込み番号を入力してください / Enter your reference code", [{ path: "referenceCode", message: "required" }]);
      }
      if (!residentId) throw notFound();
      return record({ shiftId: row.shiftId, residentId, action: input.action, key: input.key, at: input.at, via: "code", actorUserId: caller?.id ?? null });
    },

    /** A coordinator of the organizer checks a resident in or out (they came without a phone). */
    async checkInByCoordinator(user: SessionUser, shiftId: string, input: CoordinatorCheckIn): Promise<CheckInResult> {
      const shift = await loadShift(prisma, shiftId);
      requireSiteCoordinator(user, shift.task);
      return record({ shiftId, residentId: input.residentId, action: input.action, key: input.key, at: input.at, via: "coordinator", actorUserId: user.id });
    },

    /**
     * The coordinator's check-in sheet: the code (made on first use), the piece, and the roster —
     * each booked resident as the caller may see them (names only where the projection allows;
     * those reads are audited), with their check-in state.
     */
    async sheet(user: SessionUser, shiftId: string, audit: AuditContext) {
      const shift = await loadShift(prisma, shiftId);
      requireSiteCoordinator(user, shift.task);
      const code = await ensureCode(shift.id, shift.task.workspaceId);
      const now = clock();
      const matches = await prisma.match.findMany({
        where: { shiftId, stage: { in: [...CHECK_IN_STAGES] } },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          stage: true,
          resident: { select: { ...RESIDENT_RECORD_SELECT, consents: { select: CONSENT_RECORD_SELECT } } },
        },
      });
      const participations = await prisma.participation.findMany({
        where: { shiftId },
        select: { id: true, residentId: true, attended: true, checkInAt: true, checkOutAt: true, minutes: true, incentives: { select: { kind: true, amount: true } } },
      });
      const byResident = new Map(participations.map((p) => [p.residentId, p]));
      const viewer = { userId: user.id, memberships: user.memberships };
      const projections = matches.map((m) => {
        const { consents, ...record } = m.resident;
        return { match: m, projection: projectResident(viewer, record, consents, now) };
      });
      await recordReads(
        prisma,
        audit,
        "resident.list",
        projections.map((p) => ({ workspaceId: shift.task.workspaceId, projection: { ...p.projection, shown: p.projection.shown.filter((f) => f === "name") } })),
      );
      return {
        code,
        workspaceId: shift.task.workspaceId,
        piece: { id: shift.id, role: shift.role, roleEn: shift.roleEn, startsAt: shift.startsAt.toISOString(), endsAt: shift.endsAt.toISOString(), headcount: shift.headcount },
        task: { id: shift.task.id, title: shift.task.title, titleEn: shift.task.titleEn, locationName: shift.task.locationName, organizer: shift.task.owner.name },
        roster: projections.map(({ match, projection }) => {
          const p = byResident.get(match.resident.id);
          return {
            matchId: match.id,
            stage: match.stage,
            resident: { id: projection.resident.id, publicCode: projection.resident.publicCode, label: projection.resident.label, labelEn: projection.resident.labelEn, name: projection.resident.name ?? null },
            participation: p
              ? {
                  id: p.id,
                  attended: p.attended,
                  checkInAt: p.checkInAt?.toISOString() ?? null,
                  checkOutAt: p.checkOutAt?.toISOString() ?? null,
                  minutes: p.minutes,
                  incentives: p.incentives,
                }
              : null,
          };
        }),
      };
    },
  };
}
