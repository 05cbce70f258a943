import { requirePermission } from "../auth/require.ts";
import type { SessionUser } from "../auth/sessions.ts";
import type { PrismaClient } from "../db/client.ts";
import { suppressCount } from "../outcomes/kpi.ts";
import { visibleToMember } from "./access.ts";
import { FILLED_SEATS_COUNT, PIECE_FACTS_SELECT } from "./pages.ts";

/**
 * The map board's extra layers (docs/map.md, decision 070): open tasks with their next open piece,
 * and registered residents counted per area. Reads only; task locations are written through the
 * task service (`tasks.update`, the one write path).
 *
 * - **Tasks**: OPEN tasks with a location that the caller may see (PUBLIC/PLATFORM, or ORG ones of
 *   the caller's own organizations — the same `visibleToMember` rule as the task API and the
 *   board). The next piece is the earliest one not yet ended that still has free seats.
 * - **Resident counts**: per area, the residents whose home area it is (not left, not erased),
 *   suppressed below 5 like the chart's and the KPIs' counts (`suppressCount`, decision 050) —
 *   for everyone, the registering organization included, because the count mixes organizations.
 *   Only the area's own centre point is sent; nothing about a resident but the count.
 */
export interface MapTaskPiece {
  shiftId: string;
  role: string;
  roleEn: string | null;
  startsAt: string;
  endsAt: string;
  /** Free seats: headcount less the filled (CONFIRMED, ACTIVE, COMPLETED) matches. */
  open: number;
  headcount: number;
}

export interface MapTaskDto {
  id: string;
  title: string;
  titleEn: string | null;
  category: string;
  ownerOrgId: string;
  areaId: string | null;
  locationName: string | null;
  lat: number;
  lng: number;
  version: number;
  /** The earliest piece that has not ended and has free seats; null when none. */
  nextPiece: MapTaskPiece | null;
  /** Pieces that have not ended and have free seats. */
  openPieces: number;
}

export interface AreaResidentCount {
  areaId: string;
  name: string;
  nameEn: string | null;
  /** The area's stored centre (never a resident's position). */
  lat: number;
  lng: number;
  /** null and `suppressed` below 5 (0 included). */
  value: number | null;
  suppressed: boolean;
}

/** A piece as PIECE_FACTS_SELECT and FILLED_SEATS_COUNT read it. */
export type PieceRow = { id: string; role: string; roleEn: string | null; startsAt: Date; endsAt: Date; headcount: number; _count: { matches: number } };

/** Pure: a piece row → the piece with its free seats, as the map and the meeting agenda show it. */
export function openPiece(row: PieceRow): MapTaskPiece {
  return {
    shiftId: row.id,
    role: row.role,
    roleEn: row.roleEn,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    open: row.headcount - row._count.matches,
    headcount: row.headcount,
  };
}

/** Pure: a task's pieces (any order) → its next open piece and the number of open pieces. */
export function nextOpenPiece(pieces: readonly PieceRow[], now: Date): { nextPiece: MapTaskPiece | null; openPieces: number } {
  const open = pieces
    .filter((p) => p.endsAt.getTime() > now.getTime() && p.headcount - p._count.matches > 0)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : 1));
  const first = open[0];
  return {
    openPieces: open.length,
    nextPiece: first ? openPiece(first) : null,
  };
}

/** Pure: areas and per-area resident counts → one suppressed count per area (areas without residents count 0). */
export function areaResidentCounts(
  areas: ReadonlyArray<{ id: string; name: string; nameEn: string | null; centerLat: number; centerLng: number }>,
  counts: ReadonlyMap<string, number>,
): AreaResidentCount[] {
  return areas.map((a) => {
    const { value, suppressed } = suppressCount(counts.get(a.id) ?? 0, false);
    return { areaId: a.id, name: a.name, nameEn: a.nameEn, lat: a.centerLat, lng: a.centerLng, value, suppressed };
  });
}

/** Tasks read per call at most (the map shows every open task with a location). */
const MAX_TASKS = 2000;

export function createMapLayers(prisma: PrismaClient) {
  return {
    /** Open, located tasks the caller may see; with `ids`, only those (ids not answered are gone for this caller). */
    async tasks(user: SessionUser, workspaceId: string, options: { ids?: readonly string[]; now?: Date } = {}): Promise<MapTaskDto[]> {
      requirePermission(user, workspaceId, "read:task:workspace");
      const now = options.now ?? new Date();
      const rows = await prisma.task.findMany({
        where: {
          workspaceId,
          status: "OPEN",
          lat: { not: null },
          lng: { not: null },
          ...(options.ids ? { id: { in: [...options.ids] } } : {}),
          ...visibleToMember(user, workspaceId),
        },
        orderBy: { id: "asc" },
        take: MAX_TASKS,
        select: {
          id: true,
          title: true,
          titleEn: true,
          category: true,
          ownerOrgId: true,
          areaId: true,
          locationName: true,
          lat: true,
          lng: true,
          version: true,
          shifts: {
            where: { endsAt: { gt: now } },
            select: {
              ...PIECE_FACTS_SELECT,
              _count: FILLED_SEATS_COUNT,
            },
          },
        },
      });
      return rows.map(({ shifts, lat, lng, ...task }) => ({ ...task, lat: lat!, lng: lng!, ...nextOpenPiece(shifts, now) }));
    },

    /** Registered residents per area of the workspace, small counts suppressed; any member. */
    async residentCounts(user: SessionUser, workspaceId: string): Promise<AreaResidentCount[]> {
      requirePermission(user, workspaceId, "read:resident:workspace");
      const [areas, groups] = await Promise.all([
        prisma.area.findMany({
          where: { workspaceId },
          orderBy: { code: "asc" },
          select: { id: true, name: true, nameEn: true, centerLat: true, centerLng: true },
        }),
        prisma.resident.groupBy({
          by: ["homeAreaId"],
          where: { workspaceId, homeAreaId: { not: null }, deletedAt: null, status: { not: "LEFT" } },
          _count: { _all: true },
        }),
      ]);
      const counts = new Map(groups.map((g) => [g.homeAreaId as string, g._count._all]));
      return areaResidentCounts(areas, counts);
    },
  };
}
