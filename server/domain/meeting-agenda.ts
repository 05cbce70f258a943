import type { MatchStage } from "../../app/lib/schemas.ts";
import { requirePermission } from "../auth/require.ts";
import type { SessionUser } from "../auth/sessions.ts";
import type { PrismaClient } from "../db/client.ts";
import { visibleToMember } from "./access.ts";
import { openPiece, type MapTaskPiece } from "./map-layers.ts";
import { FILLED_SEATS_COUNT, PIECE_FACTS_SELECT } from "./pages.ts";

/**
 * The meeting agenda (meeting mode, docs/map.md, decision 067): what a platform meeting should talk
 * about, read from the database when the page loads.
 *
 * - **Stuck matches**: proposals waiting in 連絡中 (CONTACTING) or 調整中 (ARRANGING) for longer than
 *   `stuckDays` — somebody's call or arrangement has not moved. Shown by task and piece, with the
 *   days waited; never the resident (no personal data in the agenda).
 * - **Open pieces starting soon**: pieces of open tasks starting within `soonDays` that still have
 *   free seats (headcount minus filled matches).
 *
 * Only tasks the caller may see (PUBLIC/PLATFORM, or their own organization's). With `areaId`
 * (the chart's agenda, decision 069) only tasks of that area; tasks without an area then do not
 * show.
 */
export const STUCK_STAGES: readonly MatchStage[] = ["CONTACTING", "ARRANGING"];

export interface AgendaStuck {
  matchId: string;
  stage: MatchStage;
  /** Whole days since the stage last changed. */
  days: number;
  taskId: string;
  taskTitle: string;
  taskTitleEn: string | null;
  shiftId: string;
  role: string;
  roleEn: string | null;
  startsAt: string;
  endsAt: string;
  lat: number | null;
  lng: number | null;
}

export interface AgendaOpenPiece extends MapTaskPiece {
  taskId: string;
  taskTitle: string;
  taskTitleEn: string | null;
  lat: number | null;
  lng: number | null;
}

export interface MeetingAgenda {
  stuck: AgendaStuck[];
  openSoon: AgendaOpenPiece[];
  stuckDays: number;
  soonDays: number;
}

const DAY = 86_400_000;

export function createMeetingAgenda(prisma: PrismaClient) {
  return {
    async forWorkspace(
      user: SessionUser,
      workspaceId: string,
      options: { now?: Date; stuckDays?: number; soonDays?: number; limit?: number; areaId?: string } = {},
    ): Promise<MeetingAgenda> {
      requirePermission(user, workspaceId, "read:match:workspace");
      const now = options.now ?? new Date();
      const stuckDays = options.stuckDays ?? 3;
      const soonDays = options.soonDays ?? 7;
      const limit = options.limit ?? 20;
      const visibleTask = { workspaceId, ...(options.areaId ? { areaId: options.areaId } : {}), ...visibleToMember(user, workspaceId) };
      const taskSelect = { id: true, title: true, titleEn: true, lat: true, lng: true } as const;

      const [stuck, soon] = await Promise.all([
        prisma.match.findMany({
          where: {
            workspaceId,
            stage: { in: [...STUCK_STAGES] },
            stageChangedAt: { lt: new Date(now.getTime() - stuckDays * DAY) },
            shift: { endsAt: { gt: now }, task: visibleTask },
          },
          orderBy: [{ stageChangedAt: "asc" }, { id: "asc" }],
          take: limit,
          select: {
            id: true,
            stage: true,
            stageChangedAt: true,
            shift: { select: { id: true, role: true, roleEn: true, startsAt: true, endsAt: true, task: { select: taskSelect } } },
          },
        }),
        prisma.shift.findMany({
          where: { startsAt: { gt: now, lt: new Date(now.getTime() + soonDays * DAY) }, task: { ...visibleTask, status: "OPEN" } },
          orderBy: [{ startsAt: "asc" }, { id: "asc" }],
          // Full pieces are dropped below: read a few more than shown.
          take: limit * 4,
          select: {
            ...PIECE_FACTS_SELECT,
            task: { select: taskSelect },
            _count: FILLED_SEATS_COUNT,
          },
        }),
      ]);

      return {
        stuckDays,
        soonDays,
        stuck: stuck.map((m) => ({
          matchId: m.id,
          stage: m.stage as MatchStage,
          days: Math.floor((now.getTime() - m.stageChangedAt.getTime()) / DAY),
          taskId: m.shift.task.id,
          taskTitle: m.shift.task.title,
          taskTitleEn: m.shift.task.titleEn,
          shiftId: m.shift.id,
          role: m.shift.role,
          roleEn: m.shift.roleEn,
          startsAt: m.shift.startsAt.toISOString(),
          endsAt: m.shift.endsAt.toISOString(),
          lat: m.shift.task.lat,
          lng: m.shift.task.lng,
        })),
        openSoon: soon
          .filter((s) => s._count.matches < s.headcount)
          .slice(0, limit)
          .map((s) => ({
            ...openPiece(s),
            taskId: s.task.id,
            taskTitle: s.task.title,
            taskTitleEn: s.task.titleEn,
            lat: s.task.lat,
            lng: s.task.lng,
          })),
      };
    },
  };
}
