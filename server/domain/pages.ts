import { requireWorkspaceMember } from "../auth/require.ts";
import type { SessionMembership, SessionUser } from "../auth/sessions.ts";
import type { PrismaClient } from "../db/client.ts";
import type { MatchStage, ResourceKind, TaskStatus, Visibility } from "../db/generated/enums.ts";
import type { Prisma } from "../db/generated/client.ts";
import type { IncentiveSummary } from "../../app/lib/incentives.ts";
import { AppError } from "../http/errors.ts";

/**
 * Read-only queries behind the first Remix pages (public activities, workspace home).
 * Reads do not go through the write path; they still authorize with the same `require…` helpers
 * and select only the fields a page shows, so no personal data can leak by accident.
 */

/** Match stages that count as a filled place in a piece's headcount. */
export const FILLED_STAGES: readonly MatchStage[] = ["CONFIRMED", "ACTIVE", "COMPLETED"];

/** A piece's own facts, as every page and API that shows pieces selects them (spread into a select). */
export const PIECE_FACTS_SELECT = { id: true, role: true, roleEn: true, startsAt: true, endsAt: true, headcount: true } as const;

/** A piece's filled seats, as `_count.matches`: its CONFIRMED, ACTIVE and COMPLETED matches. */
export const FILLED_SEATS_COUNT = { select: { matches: { where: { stage: { in: [...FILLED_STAGES] } } } } };

const RESOURCE_KINDS: readonly ResourceKind[] = ["PLACE", "ACTIVITY", "SERVICE", "ORGANIZATION"];

/** @default 20 tasks per page on the workspace home. */
export const TASKS_PER_PAGE = 20;
/** Upcoming pieces listed under each task; the rest are counted. */
export const PIECES_PER_TASK = 8;
/** Resources listed per kind; the rest are counted. */
export const RESOURCES_PER_KIND = 12;
const MAX_AREAS = 200;
const MAX_PUBLIC_ACTIVITIES = 100;

export interface PublicActivity {
  id: string;
  title: string;
  titleEn: string | null;
  description: string;
  category: string;
  locationName: string | null;
  isRemote: boolean;
  recurrence: string | null;
  incentives: IncentiveSummary;
  area: { name: string; nameEn: string | null } | null;
  organizer: { name: string; nameEn: string | null };
  workspace: { name: string; nameEn: string | null; timezone: string };
  nextPiece: { role: string; roleEn: string | null; startsAt: Date; endsAt: Date } | null;
  /** Upcoming pieces after the next one. */
  morePieces: number;
}


export interface WorkspaceSummary {
  id: string;
  slug: string;
  name: string;
  nameEn: string | null;
  municipality: string;
  timezone: string;
}

export interface WorkspaceHomeTask {
  id: string;
  title: string;
  titleEn: string | null;
  category: string;
  status: TaskStatus;
  visibility: Visibility;
  locationName: string | null;
  isRemote: boolean;
  area: { name: string; nameEn: string | null } | null;
  owner: { name: string; nameEn: string | null };
  pieces: Array<{
    id: string;
    role: string;
    roleEn: string | null;
    startsAt: Date;
    endsAt: Date;
    headcount: number;
    /** CONFIRMED + ACTIVE + COMPLETED matches. */
    filled: number;
  }>;
  /** Upcoming pieces not listed in `pieces`. */
  morePieces: number;
}

export interface WorkspaceHome {
  workspace: WorkspaceSummary;
  memberships: SessionMembership[];
  areas: Array<{ id: string; code: string; name: string; nameEn: string | null; population: number | null; households: number | null }>;
  tasks: { items: WorkspaceHomeTask[]; total: number; page: number; pageSize: number };
  resources: Array<{
    kind: ResourceKind;
    count: number;
    items: Array<{
      id: string;
      category: string;
      name: string;
      nameEn: string | null;
      address: string | null;
      capacity: number | null;
      area: { name: string; nameEn: string | null } | null;
    }>;
  }>;
}

const nameSelect = { select: { name: true, nameEn: true } } as const;

export function createPageQueries(prisma: PrismaClient) {
  /** The workspace by slug, after checking that the caller is a member (throws AppError). */
  async function memberWorkspace(user: SessionUser, slug: string) {
    const workspace = await prisma.workspace.findUnique({
      where: { slug },
      select: { id: true, slug: true, name: true, nameEn: true, municipality: true, timezone: true },
    });
    if (!workspace) throw new AppError("not_found", "プラットフォームが見つかりません / Workspace not found");
    const memberships = requireWorkspaceMember(user, workspace.id);
    return { workspace, memberships };
  }

  return {
    /**
     * Open, public activities for the no-login home page, soonest next piece first; activities
     * without an upcoming piece follow, newest first. Public fields only: no residents, no contacts.
     */
    async publicActivities({ limit = 50, now = new Date() }: { limit?: number; now?: Date } = {}): Promise<PublicActivity[]> {
      const take = Math.max(1, Math.min(limit, MAX_PUBLIC_ACTIVITIES));
      const publicOpen = { visibility: "PUBLIC", status: "OPEN" } satisfies Prisma.TaskWhereInput;
      const upcoming = { startsAt: { gte: now } } satisfies Prisma.ShiftWhereInput;

      // Ordering by "next piece" needs an aggregate over shifts, so rank task ids first.
      const ranked = await prisma.shift.groupBy({
        by: ["taskId"],
        where: { ...upcoming, task: publicOpen },
        _min: { startsAt: true },
        _count: { _all: true },
        orderBy: [{ _min: { startsAt: "asc" } }, { taskId: "asc" }],
        take,
      });
      const rankedIds = ranked.map((r) => r.taskId);

      const select = {
        id: true,
        title: true,
        titleEn: true,
        description: true,
        category: true,
        locationName: true,
        isRemote: true,
        recurrence: true,
        incentiveKinds: true,
        transportFeeYen: true,
        thanksYen: true,
        localPoints: true,
        area: nameSelect,
        owner: nameSelect,
        workspace: { select: { name: true, nameEn: true, timezone: true } },
        shifts: {
          where: upcoming,
          orderBy: [{ startsAt: "asc" }, { id: "asc" }],
          take: 1,
          select: { role: true, roleEn: true, startsAt: true, endsAt: true },
        },
      } satisfies Prisma.TaskSelect;

      const [withPieces, withoutPieces] = await Promise.all([
        rankedIds.length ? prisma.task.findMany({ where: { ...publicOpen, id: { in: rankedIds } }, select }) : [],
        rankedIds.length < take
          ? prisma.task.findMany({
              where: { ...publicOpen, shifts: { none: upcoming } },
              orderBy: [{ createdAt: "desc" }, { id: "asc" }],
              take: take - rankedIds.length,
              select,
            })
          : [],
      ]);

      const byId = new Map(withPieces.map((t) => [t.id, t]));
      const upcomingCount = new Map(ranked.map((r) => [r.taskId, r._count._all]));
      const ordered = [...rankedIds.flatMap((id) => byId.get(id) ?? []), ...withoutPieces];
      return ordered.map((t) => ({
        id: t.id,
        title: t.title,
        titleEn: t.titleEn,
        description: t.description,
        category: t.category,
        locationName: t.locationName,
        isRemote: t.isRemote,
        recurrence: t.recurrence,
        incentives: {
          kinds: t.incentiveKinds,
          transportFeeYen: t.transportFeeYen,
          thanksYen: t.thanksYen,
          localPoints: t.localPoints,
        },
        area: t.area,
        organizer: t.owner,
        workspace: t.workspace,
        nextPiece: t.shifts[0] ?? null,
        morePieces: Math.max(0, (upcomingCount.get(t.id) ?? 0) - 1),
      }));
    },

    /** Name and basics of a workspace the caller belongs to (for the workspace layout). */
    async workspaceSummary({ user, slug }: { user: SessionUser; slug: string }): Promise<WorkspaceSummary> {
      return (await memberWorkspace(user, slug)).workspace;
    },

    /** The slug of the caller's first workspace (oldest), or null when they belong to none. */
    async firstWorkspaceSlug({ user }: { user: SessionUser }): Promise<string | null> {
      const ids = [...new Set(user.memberships.map((m) => m.workspaceId))];
      if (ids.length === 0) return null;
      const first = await prisma.workspace.findFirst({
        where: { id: { in: ids } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { slug: true },
      });
      return first?.slug ?? null;
    },

    /**
     * Everything the workspace home shows. Tasks and resources follow the visibility rules:
     * PUBLIC and PLATFORM for every member; ORG and drafts only for the owning organization.
     */
    async workspaceHome({
      user,
      slug,
      taskPage = 1,
      now = new Date(),
    }: {
      user: SessionUser;
      slug: string;
      /** 1-based. */
      taskPage?: number;
      now?: Date;
    }): Promise<WorkspaceHome> {
      const { workspace, memberships } = await memberWorkspace(user, slug);
      const ownOrgIds = memberships.map((m) => m.organizationId);
      const page = Number.isInteger(taskPage) && taskPage >= 1 ? Math.min(taskPage, 10_000) : 1;

      const taskWhere = {
        workspaceId: workspace.id,
        status: { not: "ARCHIVED" },
        OR: [
          { visibility: { in: ["PUBLIC", "PLATFORM"] }, status: { not: "DRAFT" } },
          { ownerOrgId: { in: ownOrgIds } },
        ],
      } satisfies Prisma.TaskWhereInput;
      const resourceWhere = {
        workspaceId: workspace.id,
        status: "ACTIVE",
        OR: [{ visibility: { in: ["PUBLIC", "PLATFORM"] } }, { ownerOrgId: { in: ownOrgIds } }],
      } satisfies Prisma.ResourceWhereInput;
      const upcoming = { endsAt: { gt: now } } satisfies Prisma.ShiftWhereInput;

      const [areas, taskTotal, tasks, resourceCounts, ...resourceLists] = await Promise.all([
        prisma.area.findMany({
          where: { workspaceId: workspace.id },
          orderBy: [{ code: "asc" }],
          take: MAX_AREAS,
          select: { id: true, code: true, name: true, nameEn: true, population: true, households: true },
        }),
        prisma.task.count({ where: taskWhere }),
        prisma.task.findMany({
          where: taskWhere,
          // Enum order: drafts (own organization only) first, then open, then closed.
          orderBy: [{ status: "asc" }, { createdAt: "desc" }, { id: "asc" }],
          skip: (page - 1) * TASKS_PER_PAGE,
          take: TASKS_PER_PAGE,
          select: {
            id: true,
            title: true,
            titleEn: true,
            category: true,
            status: true,
            visibility: true,
            locationName: true,
            isRemote: true,
            area: nameSelect,
            owner: nameSelect,
            _count: { select: { shifts: { where: upcoming } } },
            shifts: {
              where: upcoming,
              orderBy: [{ startsAt: "asc" }, { id: "asc" }],
              take: PIECES_PER_TASK,
              select: {
                ...PIECE_FACTS_SELECT,
                _count: FILLED_SEATS_COUNT,
              },
            },
          },
        }),
        prisma.resource.groupBy({ by: ["kind"], where: resourceWhere, _count: { _all: true } }),
        ...RESOURCE_KINDS.map((kind) =>
          prisma.resource.findMany({
            where: { ...resourceWhere, kind },
            orderBy: [{ name: "asc" }, { id: "asc" }],
            take: RESOURCES_PER_KIND,
            select: {
              id: true,
              category: true,
              name: true,
              nameEn: true,
              address: true,
              capacity: true,
              area: nameSelect,
            },
          }),
        ),
      ]);

      const countByKind = new Map(resourceCounts.map((r) => [r.kind, r._count._all]));
      return {
        workspace,
        memberships,
        areas,
        tasks: {
          total: taskTotal,
          page,
          pageSize: TASKS_PER_PAGE,
          items: tasks.map(({ _count, shifts, ...task }) => ({
            ...task,
            pieces: shifts.map(({ _count: shiftCount, ...shift }) => ({ ...shift, filled: shiftCount.matches })),
            morePieces: Math.max(0, _count.shifts - shifts.length),
          })),
        },
        resources: RESOURCE_KINDS.map((kind, index) => ({
          kind,
          count: countByKind.get(kind) ?? 0,
          items: resourceLists[index] ?? [],
        })),
      };
    },
  };
}

export type PageQueries = ReturnType<typeof createPageQueries>;
