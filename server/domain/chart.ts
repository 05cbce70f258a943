import * as Y from "yjs";
import { z } from "zod";
import { chartDocName } from "../../app/features/collab/protocol.ts";
import type { ChartFigures, FigureCount } from "../../app/features/chart/figures.ts";
import { ageBand } from "../../app/lib/people.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requireWorkspaceMember } from "../auth/require.ts";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../http/errors.ts";
import { BOOKED_STAGES, suppressCount } from "../outcomes/kpi.ts";
import { visibleToMember } from "./access.ts";
import type { WriteDeps } from "./write-path.ts";

/**
 * The community chart of an area (地域カルテ, issue 7; docs/chart.md): live figures from the
 * database, and named versions of the collaborative document `chart:<areaId>`.
 *
 * The text itself is edited over /yjs/ (server/realtime/collab); this module only reads its
 * durable state (the same rows the collab server loads from) to take a version. Restoring a
 * version is an ordinary edit made by the restoring browser (decision 063), so nothing here
 * writes the document behind the collab server's back.
 */

/** @default 90 — a registered resident is "active" after attending a piece within this many days. */
export const ACTIVE_DAYS = 90;
/** Versions listed per area at most (newest first). */
export const MAX_VERSIONS_LISTED = 200;
const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;

export const ChartVersionCreateSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "名前を入力してください / Enter a name")
    .max(80, "80文字以内 / At most 80 characters")
    .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), "制御文字は使えません / No control characters"),
});
export type ChartVersionCreate = z.infer<typeof ChartVersionCreateSchema>;

export interface ChartVersionSummary {
  id: string;
  areaId: string;
  name: string;
  createdByName: string;
  createdAt: string;
  /** Size of the stored Yjs state in bytes. */
  bytes: number;
}

export interface ChartVersionDetail extends ChartVersionSummary {
  /** The Yjs state (v1 update), base64. */
  state: string;
}

/** The first day of the current month in Japan time, as a UTC instant, and its YYYY-MM. */
export function jstMonthStart(now: Date): { start: Date; month: string } {
  const jst = new Date(now.getTime() + JST_OFFSET_MS);
  const month = jst.toISOString().slice(0, 7);
  return { start: new Date(Date.parse(`${month}-01T00:00:00+09:00`)), month };
}

/** Pure: the resident rows of an area → counts by age band, suppressed like the KPIs. */
export function residentFigures(
  rows: Array<{ birthYear: number | null; active: boolean }>,
  now: Date,
): ChartFigures["residents"] {
  const hide = (n: number): FigureCount => {
    const s = suppressCount(n, false);
    return { value: s.value, suppressed: s.suppressed };
  };
  const bands = new Map<number | null, { registered: number; active: number }>();
  let active = 0;
  for (const row of rows) {
    const band = ageBand(row.birthYear, now);
    const entry = bands.get(band) ?? { registered: 0, active: 0 };
    entry.registered++;
    if (row.active) {
      entry.active++;
      active++;
    }
    bands.set(band, entry);
  }
  const order = (b: number | null) => (b === null ? 1_000 : b);
  return {
    registered: hide(rows.length),
    active: hide(active),
    activeDays: ACTIVE_DAYS,
    byAgeBand: [...bands.entries()]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([band, counts]) => ({ band, registered: hide(counts.registered), active: hide(counts.active) })),
  };
}

function summaryOf(row: { id: string; areaId: string; name: string; createdByName: string; createdAt: Date; state: Uint8Array }): ChartVersionSummary {
  return { id: row.id, areaId: row.areaId, name: row.name, createdByName: row.createdByName, createdAt: row.createdAt.toISOString(), bytes: row.state.length };
}

/**
 * The durable state of a collaborative document: the same read as the collab server's load
 * (the log first, then the snapshot; see PostgresCollabStore), merged into one update.
 */
export async function readDurableDocState(prisma: PrismaClient, docName: string): Promise<Uint8Array> {
  const rows = await prisma.collabUpdate.findMany({ where: { docName }, orderBy: { id: "asc" }, select: { update: true } });
  const snapshot = await prisma.collabSnapshot.findUnique({ where: { docName }, select: { state: true } });
  const doc = new Y.Doc({ gc: true });
  try {
    for (const update of snapshot ? [snapshot.state, ...rows.map((r) => r.update)] : rows.map((r) => r.update)) {
      try {
        Y.applyUpdate(doc, new Uint8Array(update));
      } catch {
        // The collab server skips a stored update that fails too (and logs it when it loads).
      }
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

export function createChartService(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  /** The area, if it belongs to the workspace and the caller is a member; 404 otherwise. */
  async function memberArea(user: SessionUser, workspaceId: string, areaId: string) {
    const memberships = requireWorkspaceMember(user, workspaceId);
    const area = await prisma.area.findFirst({ where: { id: areaId, workspaceId }, select: { id: true, workspaceId: true, name: true, nameEn: true, code: true } });
    if (!area) throw new AppError("not_found", "地区が見つかりません / Area not found");
    return { area, memberships };
  }

  /** Same rule as the /yjs/ authorization: a member whose roles here are all VIEWER reads only. */
  function requireEditor(memberships: Array<{ role: string }>) {
    if (memberships.every((m) => m.role === "VIEWER")) {
      throw new AppError("forbidden", "閲覧のみの権限です / Read-only access");
    }
  }

  return {
    /** The area of a chart (for pages): 404 when not in the workspace. */
    async area(user: SessionUser, workspaceId: string, areaId: string) {
      const { area, memberships } = await memberArea(user, workspaceId, areaId);
      return { ...area, readOnly: memberships.every((m) => m.role === "VIEWER") };
    },

    /** Live figures of an area (any member). Counts about people below 5 are suppressed. */
    async figures(user: SessionUser, workspaceId: string, areaId: string): Promise<ChartFigures> {
      await memberArea(user, workspaceId, areaId);
      const now = clock();
      const { start: monthStart, month } = jstMonthStart(now);
      const activeSince = new Date(now.getTime() - ACTIVE_DAYS * DAY_MS);
      const visible = visibleToMember(user, workspaceId);
      const taskWhere = { workspaceId, areaId, ...visible };

      const [resourceGroups, residents, shifts, proposed, confirmed] = await Promise.all([
        prisma.resource.groupBy({
          by: ["kind", "category"],
          where: { workspaceId, areaId, status: "ACTIVE", ...visible },
          _count: { _all: true },
        }),
        // Birth year only to count age bands; it never leaves this function.
        prisma.resident.findMany({
          where: { workspaceId, homeAreaId: areaId, deletedAt: null, status: { not: "LEFT" } },
          select: {
            birthYear: true,
            participations: { where: { attended: true, shift: { startsAt: { gte: activeSince, lte: now } } }, select: { id: true }, take: 1 },
          },
        }),
        prisma.shift.findMany({
          where: { endsAt: { gte: now }, task: { ...taskWhere, status: "OPEN" } },
          select: { headcount: true, _count: { select: { matches: { where: { stage: { in: [...BOOKED_STAGES] } } } } } },
        }),
        prisma.match.count({ where: { workspaceId, createdAt: { gte: monthStart }, shift: { task: taskWhere } } }),
        prisma.match.count({
          where: { workspaceId, stage: { in: [...BOOKED_STAGES] }, stageChangedAt: { gte: monthStart }, shift: { task: taskWhere } },
        }),
      ]);

      const byCategory = resourceGroups
        .map((g) => ({ kind: g.kind, category: g.category, count: g._count._all }))
        .sort((a, b) => a.kind.localeCompare(b.kind) || b.count - a.count || a.category.localeCompare(b.category));
      const filled = shifts.filter((s) => s._count.matches >= s.headcount).length;
      const hide = (n: number): FigureCount => {
        const s = suppressCount(n, false);
        return { value: s.value, suppressed: s.suppressed };
      };
      return {
        areaId,
        asOf: now.toISOString(),
        month,
        resources: { total: byCategory.reduce((sum, row) => sum + row.count, 0), byCategory },
        residents: residentFigures(
          residents.map((r) => ({ birthYear: r.birthYear, active: r.participations.length > 0 })),
          now,
        ),
        pieces: { total: shifts.length, open: shifts.length - filled, filled },
        matches: { proposed: hide(proposed), confirmed: hide(confirmed) },
      };
    },

    async listVersions(user: SessionUser, workspaceId: string, areaId: string): Promise<ChartVersionSummary[]> {
      await memberArea(user, workspaceId, areaId);
      const rows = await prisma.chartVersion.findMany({
        where: { areaId, workspaceId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: MAX_VERSIONS_LISTED,
        select: { id: true, areaId: true, name: true, createdByName: true, createdAt: true, state: true },
      });
      return rows.map(summaryOf);
    },

    async getVersion(user: SessionUser, workspaceId: string, areaId: string, versionId: string): Promise<ChartVersionDetail> {
      await memberArea(user, workspaceId, areaId);
      const row = await prisma.chartVersion.findFirst({ where: { id: versionId, areaId, workspaceId } });
      if (!row) throw new AppError("not_found", "版が見つかりません / Version not found");
      return { ...summaryOf(row), state: Buffer.from(row.state).toString("base64") };
    },

    /**
     * Names the chart as it is durably stored now. Editors only (not VIEWERs). The authorization
     * comes before the body is checked, so a refused caller learns nothing from validation.
     */
    async createVersion(user: SessionUser, workspaceId: string, areaId: string, input: unknown): Promise<ChartVersionSummary> {
      const { memberships } = await memberArea(user, workspaceId, areaId);
      requireEditor(memberships);
      const parsed = ChartVersionCreateSchema.safeParse(input);
      if (!parsed.success) {
        throw new AppError(
          "validation_failed",
          "入力内容に誤りがあります / Invalid input",
          parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        );
      }
      const state = await readDurableDocState(prisma, chartDocName(areaId));
      try {
        const row = await prisma.chartVersion.create({
          data: { workspaceId, areaId, name: parsed.data.name, state: new Uint8Array(state), createdById: user.id, createdByName: user.displayName },
        });
        return summaryOf(row);
      } catch (error) {
        if ((error as { code?: string }).code === "P2002") {
          throw new AppError("conflict", "同じ名前の版があります / A version with this name exists", [{ path: "name", message: "taken" }]);
        }
        throw error;
      }
    },

    /** The durable state of the live chart (print page, Markdown export). */
    async currentState(user: SessionUser, workspaceId: string, areaId: string): Promise<Uint8Array> {
      await memberArea(user, workspaceId, areaId);
      return readDurableDocState(prisma, chartDocName(areaId));
    },
  };
}
