import { z } from "zod";
import { MOSAIC_FILLED, MOSAIC_OPEN, type MosaicPiece, type MosaicStage } from "../../app/features/mosaic/mosaic-grid.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { pseudonymCard } from "../trust/projection.ts";
import { canSeeOrgScoped } from "./access.ts";
import { BOOKING_RULES, bookingRuleOf } from "./booking-rules.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";
import { PIECE_FACTS_SELECT } from "./pages.ts";

/**
 * The mosaic view of a task (モザイク型, issue 6): its pieces with their cards, and "confirm the
 * whole team" — the picks the page showed (app/features/mosaic/mosaic-grid.ts `planTeam`) moved
 * to CONFIRMED in ONE transaction through the write path: all or nothing (decision 034).
 */

const id = z.string().trim().min(1).max(64);
/** Most places one confirmation may fill. @default 200 */
export const TEAM_MAX = 200;

/** The body of POST /tasks/:taskId/confirm-team: the picks as the page saw them. */
export const ConfirmTeamSchema = z
  .object({
    picks: z
      .array(z.object({ matchId: id, expectedVersion: z.number().int().min(1) }).strict())
      .min(1)
      .max(TEAM_MAX)
      .refine((picks) => new Set(picks.map((p) => p.matchId)).size === picks.length, "each match once"),
  })
  .strict();
export type ConfirmTeam = z.infer<typeof ConfirmTeamSchema>;

/** The live event data of a team confirmation (a `task:changed`; the board patches its cards). */
export const TEAM_EVENT_KIND = "match.team";

export function createMosaicService(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  async function taskHead(user: SessionUser, taskId: string) {
    const task = await prisma.task.findUnique({
      where: { id: taskId },
      select: {
        id: true,
        workspaceId: true,
        title: true,
        titleEn: true,
        category: true,
        visibility: true,
        ownerOrgId: true,
        locationName: true,
        isRemote: true,
        owner: { select: { id: true, name: true, nameEn: true } },
        workspace: { select: { slug: true, timezone: true } },
      },
    });
    if (!task || !canSeeOrgScoped(user, task.workspaceId, task.visibility, task.ownerOrgId)) {
      throw new AppError("not_found", "Task not found / 活動が見つかりません");
    }
    requirePermission(user, task.workspaceId, "read:match:workspace");
    return task;
  }

  return {
    /**
     * A task's pieces and their live cards (declined and withdrawn ones left out), residents as
     * pseudonym cards only. `version` is the workspace version read *before* the cards, so every
     * later change reaches the page live.
     */
    async get(user: SessionUser, taskId: string) {
      const task = await taskHead(user, taskId);
      const { version } = await prisma.workspace.findUniqueOrThrow({ where: { id: task.workspaceId }, select: { version: true } });
      const shifts = await prisma.shift.findMany({
        where: { taskId },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        select: {
          ...PIECE_FACTS_SELECT,
          matches: {
            where: { stage: { in: [...MOSAIC_FILLED, ...MOSAIC_OPEN] } },
            orderBy: { id: "asc" },
            select: {
              id: true,
              stage: true,
              version: true,
              score: true,
              pinned: true,
              resident: { select: { id: true, publicCode: true, birthYear: true, homeArea: { select: { id: true, name: true, nameEn: true } } } },
            },
          },
        },
      });
      const now = clock();
      const pieces: MosaicPiece[] = shifts.map((s) => ({
        id: s.id,
        role: s.role,
        roleEn: s.roleEn,
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        headcount: s.headcount,
        matches: s.matches.map((m) => {
          // The pseudonym card: what NO_VIEWER (nobody in particular) sees (decision 020).
          const card = pseudonymCard(m.resident, now);
          return {
            id: m.id,
            stage: m.stage as MosaicStage,
            version: m.version,
            score: m.score,
            pinned: m.pinned,
            resident: { id: card.id, publicCode: card.publicCode, label: card.label, labelEn: card.labelEn },
          };
        }),
      }));
      const { workspace, ...rest } = task;
      return { task: { ...rest, slug: workspace.slug, timezone: workspace.timezone }, version, pieces, now: now.toISOString() };
    },

    /**
     * Confirms the picks in one transaction. Each pick must be an open proposal of this task at
     * the version the page saw (409 `changed` naming the card otherwise); a piece over its
     * headcount or a resident booked twice is refused by the database (409 `piece_full` /
     * `double_booked` naming the card). Any refusal rolls the whole team back.
     */
    async confirmTeam(user: SessionUser, taskId: string, input: ConfirmTeam) {
      const task = await taskHead(user, taskId);
      requirePermission(user, task.workspaceId, "write:match:workspace");
      const ids = input.picks.map((p) => p.matchId);
      const rows = await prisma.match.findMany({
        where: { id: { in: ids } },
        select: { id: true, stage: true, version: true, shiftId: true, shift: { select: { taskId: true, startsAt: true } }, resident: { select: { publicCode: true } } },
      });
      const byId = new Map(rows.map((r) => [r.id, r]));
      const foreign = ids.filter((m) => byId.get(m)?.shift.taskId !== taskId);
      if (foreign.length > 0) {
        throw new AppError("validation_failed", "この活動の案件ではありません / Not a card of this task", foreign.map((m) => ({ path: `picks.${ids.indexOf(m)}`, message: m })));
      }
      const changed = (matchId: string) => {
        const row = byId.get(matchId);
        return new AppError("conflict", `住民 #${row?.resident.publicCode ?? "?"} の案件がほかの人に変更されました / A card of the team was changed by someone else`, {
          reason: "changed",
          matchId,
          publicCode: row?.resident.publicCode ?? null,
        });
      };
      for (const pick of input.picks) {
        const row = byId.get(pick.matchId)!;
        if (row.version !== pick.expectedVersion || !(MOSAIC_OPEN as readonly string[]).includes(row.stage)) throw changed(pick.matchId);
      }
      const now = clock();
      const started = input.picks.filter((p) => byId.get(p.matchId)!.shift.startsAt.getTime() <= now.getTime());
      if (started.length > 0) {
        throw new AppError("conflict", "始まった枠は確定できません / A piece has already started", { reason: "started", matchId: started[0].matchId });
      }

      const { value } = await writeInWorkspace(deps, task.workspaceId, user.id, async (tx) => {
        const confirmed: Array<{ matchId: string; stage: "CONFIRMED"; version: number; shiftId: string }> = [];
        for (const pick of input.picks) {
          const row = byId.get(pick.matchId)!;
          let count: number;
          try {
            ({ count } = await tx.match.updateMany({
              where: { id: pick.matchId, version: pick.expectedVersion, stage: { in: [...MOSAIC_OPEN] } },
              data: { stage: "CONFIRMED", stageChangedAt: now, version: { increment: 1 } },
            }));
          } catch (error) {
            // The booking triggers (decision 017): name the card that could not be booked.
            const rule = bookingRuleOf(error);
            if (!rule) throw error;
            throw new AppError("conflict", `住民 #${row.resident.publicCode}: ${BOOKING_RULES[rule].message}`, {
              reason: BOOKING_RULES[rule].code,
              matchId: pick.matchId,
              publicCode: row.resident.publicCode,
            });
          }
          if (count === 0) throw changed(pick.matchId);
          confirmed.push({ matchId: pick.matchId, stage: "CONFIRMED", version: pick.expectedVersion + 1, shiftId: row.shiftId });
        }
        await tx.matchEvent.createMany({
          data: input.picks.map((p) => ({
            matchId: p.matchId,
            actorUserId: user.id,
            kind: "stage",
            fromStage: byId.get(p.matchId)!.stage,
            toStage: "CONFIRMED" as const,
            note: null,
          })),
        });
        // One change row for the team: a task change makes the matcher's cache reload the task's
        // pieces and their cards (server/matching/snapshot-cache.ts); boards patch from `matches`.
        return {
          result: confirmed,
          entity: "task",
          entityId: taskId,
          verb: "updated",
          data: { kind: TEAM_EVENT_KIND, taskId, matches: confirmed },
        };
      });
      return { taskId, confirmed: value };
    },
  };
}
