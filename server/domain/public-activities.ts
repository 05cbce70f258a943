import type { IncentiveSummary } from "../../app/lib/incentives.ts";
import {
  haversineM,
  pieceMatches,
  type ActivityFilters,
} from "../../app/features/residents/filters.ts";
import type { PrismaClient } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import type { OrganizationKind } from "../db/generated/enums.ts";
import { AppError } from "../http/errors.ts";
import { FILLED_STAGES } from "./pages.ts";

/**
 * Residents' public pages (/activities, /activities/:taskId, the apply form): PUBLIC, OPEN tasks and
 * their open pieces. Reads only, no login. Every query selects public task fields by name and
 * counts matches without loading them: **no personal data can be selected here by accident**
 * (a test reads the pages for the seeded residents' names and contacts).
 */

/** Stages that hold an application open (a coordinator has not closed it). */
export const OPEN_APPLICATION_STAGES = [
  "SUGGESTED",
  "CONTACTING",
  "ARRANGING",
  "CONFIRMED",
  "ACTIVE",
] as const;
/** Open applications a piece takes per seat before it stops taking more. @default 3 */
export const DEFAULT_APPLICATIONS_PER_SEAT = 3;
/** Pieces considered per list request (the list shows tasks; pieces only decide filters). */
const MAX_PIECES_SCANNED = 5000;
/** Pieces listed on an activity page. @default 30 */
export const PIECES_ON_PAGE = 30;

const PUBLIC_OPEN = {
  visibility: "PUBLIC",
  status: "OPEN",
} satisfies Prisma.TaskWhereInput;

export interface OpenPiece {
  id: string;
  role: string;
  roleEn: string | null;
  startsAt: Date;
  endsAt: Date;
  headcount: number;
  /** Seats not yet taken by CONFIRMED / ACTIVE / COMPLETED bookings. */
  freeSeats: number;
  /** False when the piece already has as many open applications as it takes (see the cap). */
  acceptsApplications: boolean;
  skills: Array<{ nameJa: string; nameEn: string }>;
}

export interface ActivityListItem {
  id: string;
  title: string;
  titleEn: string | null;
  description: string;
  category: string;
  locationName: string | null;
  isRemote: boolean;
  /** The place's point (tasks' places are public facts); null when remote or unknown. */
  point: { lat: number; lng: number } | null;
  incentives: IncentiveSummary;
  area: { name: string; nameEn: string | null } | null;
  organizer: { name: string; nameEn: string | null };
  timezone: string;
  nextPiece: Pick<
    OpenPiece,
    "id" | "role" | "roleEn" | "startsAt" | "endsAt" | "freeSeats"
  > | null;
  /** Open pieces that pass the filters. */
  openPieces: number;
  /** From the chosen starting point, in metres; null without one, or for remote / unplaced tasks. */
  distanceM: number | null;
}

export interface ActivityOrigin {
  kind: "area" | "place" | "browser";
  label: string;
  labelEn: string | null;
  lat: number;
  lng: number;
}

export interface ActivityDetail
  extends Omit<ActivityListItem, "nextPiece" | "openPieces" | "distanceM"> {
  status: "OPEN" | "CLOSED";
  recurrence: string | null;
  whatToBring: string | null;
  accessibilityNotes: string | null;
  organizer: {
    name: string;
    nameEn: string | null;
    kind: OrganizationKind;
    description: string | null;
  };
  workspace: { name: string; nameEn: string | null };
  pieces: OpenPiece[];
  /** Open pieces beyond those listed. */
  morePieces: number;
}

const TASK_SELECT = {
  id: true,
  title: true,
  titleEn: true,
  description: true,
  category: true,
  locationName: true,
  isRemote: true,
  lat: true,
  lng: true,
  incentiveKinds: true,
  transportFeeYen: true,
  thanksYen: true,
  localPoints: true,
  area: {
    select: { name: true, nameEn: true, centerLat: true, centerLng: true },
  },
  owner: { select: { name: true, nameEn: true } },
  workspace: { select: { timezone: true } },
} as const satisfies Prisma.TaskSelect;

const PIECE_SELECT = {
  id: true,
  taskId: true,
  role: true,
  roleEn: true,
  startsAt: true,
  endsAt: true,
  headcount: true,
} as const satisfies Prisma.ShiftSelect;

type TaskRow = Prisma.TaskGetPayload<{ select: typeof TASK_SELECT }>;

function pointOf(t: {
  isRemote: boolean;
  lat: number | null;
  lng: number | null;
  area: { centerLat: number; centerLng: number } | null;
}) {
  if (t.isRemote) return null;
  if (t.lat != null && t.lng != null) return { lat: t.lat, lng: t.lng };
  return t.area ? { lat: t.area.centerLat, lng: t.area.centerLng } : null;
}

function summary(t: TaskRow) {
  return {
    id: t.id,
    title: t.title,
    titleEn: t.titleEn,
    description: t.description,
    category: t.category,
    locationName: t.locationName,
    isRemote: t.isRemote,
    point: pointOf(t),
    incentives: {
      kinds: t.incentiveKinds,
      transportFeeYen: t.transportFeeYen,
      thanksYen: t.thanksYen,
      localPoints: t.localPoints,
    },
    area: t.area ? { name: t.area.name, nameEn: t.area.nameEn } : null,
    organizer: t.owner,
    timezone: t.workspace.timezone,
  };
}

export function createPublicActivities(
  prisma: PrismaClient,
  options: { applicationsPerSeat?: number } = {}
) {
  const perSeat = options.applicationsPerSeat ?? DEFAULT_APPLICATIONS_PER_SEAT;

  /** Filled seats and open applications per piece: counted, never loaded. */
  async function seatCounts(shiftIds: string[]) {
    if (shiftIds.length === 0)
      return {
        filled: new Map<string, number>(),
        applied: new Map<string, number>(),
      };
    const [filled, applied] = await Promise.all([
      prisma.match.groupBy({
        by: ["shiftId"],
        where: { shiftId: { in: shiftIds }, stage: { in: [...FILLED_STAGES] } },
        _count: { _all: true },
      }),
      prisma.match.groupBy({
        by: ["shiftId"],
        where: {
          shiftId: { in: shiftIds },
          source: "APPLICATION",
          stage: { in: [...OPEN_APPLICATION_STAGES] },
        },
        _count: { _all: true },
      }),
    ]);
    return {
      filled: new Map(filled.map((r) => [r.shiftId, r._count._all])),
      applied: new Map(applied.map((r) => [r.shiftId, r._count._all])),
    };
  }

  function openPieceOf(
    p: {
      id: string;
      role: string;
      roleEn: string | null;
      startsAt: Date;
      endsAt: Date;
      headcount: number;
    },
    filled: number,
    applied: number
  ) {
    const freeSeats = Math.max(0, p.headcount - filled);
    return {
      id: p.id,
      role: p.role,
      roleEn: p.roleEn,
      startsAt: p.startsAt,
      endsAt: p.endsAt,
      headcount: p.headcount,
      freeSeats,
      acceptsApplications: freeSeats > 0 && applied < p.headcount * perSeat,
    };
  }

  const service = {
    applicationsPerSeat: perSeat,

    /** Areas of every workspace with public activities, for the "nearest first" select. */
    async areas() {
      return prisma.area.findMany({
        where: { workspace: { tasks: { some: PUBLIC_OPEN } } },
        orderBy: [{ code: "asc" }, { id: "asc" }],
        take: 200,
        select: {
          id: true,
          name: true,
          nameEn: true,
          centerLat: true,
          centerLng: true,
        },
      });
    },

    /**
     * Where "nearest first" starts: an area id, else a typed name (an area's name, or a public
     * place such as a station square: 「みどり中央駅」 finds 「みどり中央駅 北口広場」), else the
     * browser's coordinates. Null when nothing matches (the page says so).
     */
    async origin(
      f: Pick<ActivityFilters, "area" | "near" | "lat" | "lng">
    ): Promise<ActivityOrigin | null> {
      if (f.area) {
        const area = await prisma.area.findUnique({
          where: { id: f.area },
          select: {
            name: true,
            nameEn: true,
            centerLat: true,
            centerLng: true,
          },
        });
        if (area)
          return {
            kind: "area",
            label: area.name,
            labelEn: area.nameEn,
            lat: area.centerLat,
            lng: area.centerLng,
          };
      }
      if (f.near) {
        const q = f.near;
        const area = await prisma.area.findFirst({
          where: {
            OR: [
              { name: { contains: q } },
              { nameEn: { contains: q, mode: "insensitive" } },
              { code: { equals: q, mode: "insensitive" } },
            ],
          },
          orderBy: [{ code: "asc" }],
          select: {
            name: true,
            nameEn: true,
            centerLat: true,
            centerLng: true,
          },
        });
        if (area)
          return {
            kind: "area",
            label: area.name,
            labelEn: area.nameEn,
            lat: area.centerLat,
            lng: area.centerLng,
          };
        const place = await prisma.resource.findFirst({
          where: {
            visibility: "PUBLIC",
            status: "ACTIVE",
            OR: [
              { name: { contains: q } },
              { nameEn: { contains: q, mode: "insensitive" } },
            ],
          },
          orderBy: [{ name: "asc" }, { id: "asc" }],
          select: { name: true, nameEn: true, lat: true, lng: true },
        });
        if (place)
          return {
            kind: "place",
            label: place.name,
            labelEn: place.nameEn,
            lat: place.lat,
            lng: place.lng,
          };
      }
      if (f.lat !== undefined && f.lng !== undefined)
        return {
          kind: "browser",
          label: "現在地",
          labelEn: "Your location",
          lat: f.lat,
          lng: f.lng,
        };
      return null;
    },

    /**
     * The list: public open tasks with at least one open piece passing the filters; nearest first
     * when there is an origin (remote activities after placed ones), else soonest piece first.
     */
    async list(
      f: ActivityFilters,
      now: Date = new Date()
    ): Promise<{
      items: ActivityListItem[];
      origin: ActivityOrigin | null;
      originNotFound: boolean;
    }> {
      const taskWhere: Prisma.TaskWhereInput = {
        ...PUBLIC_OPEN,
        ...(f.category ? { category: f.category } : {}),
        ...(f.online ? { isRemote: true } : {}),
        ...(f.incentive ? { incentiveKinds: { has: f.incentive } } : {}),
      };
      const [origin, pieces] = await Promise.all([
        service.origin(f),
        prisma.shift.findMany({
          where: { startsAt: { gt: now }, task: taskWhere },
          orderBy: [{ startsAt: "asc" }, { id: "asc" }],
          take: MAX_PIECES_SCANNED,
          select: {
            ...PIECE_SELECT,
            task: { select: { workspace: { select: { timezone: true } } } },
          },
        }),
      ]);
      const timed = pieces.filter((p) =>
        pieceMatches(p, f, p.task.workspace.timezone)
      );
      const { filled, applied } = await seatCounts(timed.map((p) => p.id));
      const open = timed
        .map((p) => ({
          taskId: p.taskId,
          piece: openPieceOf(p, filled.get(p.id) ?? 0, applied.get(p.id) ?? 0),
        }))
        .filter((p) => p.piece.freeSeats > 0);
      const byTask = new Map<string, OpenPiece[]>();
      for (const { taskId, piece } of open) {
        const list = byTask.get(taskId) ?? [];
        list.push({ ...piece, skills: [] });
        byTask.set(taskId, list);
      }
      const tasks = byTask.size
        ? await prisma.task.findMany({
            where: { id: { in: [...byTask.keys()] } },
            select: TASK_SELECT,
          })
        : [];
      const items: ActivityListItem[] = tasks.map((t) => {
        const base = summary(t);
        const taskPieces = byTask.get(t.id) ?? [];
        const first = taskPieces[0];
        return {
          ...base,
          nextPiece: first
            ? {
                id: first.id,
                role: first.role,
                roleEn: first.roleEn,
                startsAt: first.startsAt,
                endsAt: first.endsAt,
                freeSeats: first.freeSeats,
              }
            : null,
          openPieces: taskPieces.length,
          distanceM:
            origin && base.point
              ? Math.round(haversineM(origin, base.point))
              : null,
        };
      });
      const soonest = (a: ActivityListItem, b: ActivityListItem) =>
        (a.nextPiece?.startsAt.getTime() ?? Infinity) -
          (b.nextPiece?.startsAt.getTime() ?? Infinity) ||
        a.id.localeCompare(b.id);
      items.sort(
        origin
          ? (a, b) =>
              (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity) ||
              soonest(a, b)
          : soonest
      );
      return {
        items,
        origin,
        originNotFound: !origin && Boolean(f.area || f.near),
      };
    },

    /** One public activity with its open pieces; 404 unless PUBLIC and OPEN or CLOSED. */
    async get(taskId: string, now: Date = new Date()): Promise<ActivityDetail> {
      const task = await prisma.task.findFirst({
        where: {
          id: taskId,
          visibility: "PUBLIC",
          status: { in: ["OPEN", "CLOSED"] },
        },
        select: {
          ...TASK_SELECT,
          status: true,
          recurrence: true,
          whatToBring: true,
          accessibilityNotes: true,
          owner: {
            select: { name: true, nameEn: true, kind: true, description: true },
          },
          workspace: { select: { name: true, nameEn: true, timezone: true } },
        },
      });
      if (!task)
        throw new AppError(
          "not_found",
          "活動が見つかりません / Activity not found"
        );
      const rows =
        task.status === "OPEN"
          ? await prisma.shift.findMany({
              where: { taskId, startsAt: { gt: now } },
              orderBy: [{ startsAt: "asc" }, { id: "asc" }],
              take: 500,
              select: {
                ...PIECE_SELECT,
                requiredSkills: {
                  select: { skill: { select: { nameJa: true, nameEn: true } } },
                },
              },
            })
          : [];
      const { filled, applied } = await seatCounts(rows.map((p) => p.id));
      const open = rows
        .map((p) => ({
          ...openPieceOf(p, filled.get(p.id) ?? 0, applied.get(p.id) ?? 0),
          skills: p.requiredSkills.map((s) => s.skill),
        }))
        .filter((p) => p.freeSeats > 0);
      return {
        ...summary(task),
        status: task.status as "OPEN" | "CLOSED",
        recurrence: task.recurrence,
        whatToBring: task.whatToBring,
        accessibilityNotes: task.accessibilityNotes,
        organizer: task.owner,
        workspace: { name: task.workspace.name, nameEn: task.workspace.nameEn },
        pieces: open.slice(0, PIECES_ON_PAGE),
        morePieces: Math.max(0, open.length - PIECES_ON_PAGE),
      };
    },

    /** One piece with its task, for the apply form (same visibility rule as `get`). */
    async piece(shiftId: string, now: Date = new Date()) {
      const shift = await prisma.shift.findFirst({
        where: { id: shiftId, task: PUBLIC_OPEN },
        select: { ...PIECE_SELECT, task: { select: TASK_SELECT } },
      });
      if (!shift)
        throw new AppError("not_found", "枠が見つかりません / Piece not found");
      const { filled, applied } = await seatCounts([shift.id]);
      return {
        piece: {
          ...openPieceOf(
            shift,
            filled.get(shift.id) ?? 0,
            applied.get(shift.id) ?? 0
          ),
          skills: [],
        },
        started: shift.startsAt.getTime() <= now.getTime(),
        activity: summary(shift.task),
      };
    },
  };
  return service;
}

export type PublicActivities = ReturnType<typeof createPublicActivities>;
