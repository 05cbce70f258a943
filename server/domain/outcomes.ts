import { z } from "zod";
import { TASK_CATEGORY_CODES } from "../../app/lib/categories.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requireWorkspaceMember } from "../auth/require.ts";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../http/errors.ts";
import { BOOKED_STAGES, computeKpis, confirmedAtOf, suppressCount, type KpiReport, type MatchStageName, type SuppressedCount } from "../outcomes/kpi.ts";
import { jstDay, monthRange } from "../outcomes/ledger.ts";
import { visibleToMember } from "./access.ts";

/**
 * Outcome KPIs of a workspace (issue 9): loads plain rows for a period and filters, and hands
 * them to the pure module server/outcomes/kpi.ts. Read-only; definitions and the suppression rule
 * in docs/decisions/050-kpi-definitions.md.
 */

const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional());
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const id = z.string().trim().min(1).max(64);

/** GET …/kpis query (also the dashboard's GET form). Dates are calendar days in Japan time, `to` inclusive. */
export const KpiQuerySchema = z.object({
  from: optional(day),
  to: optional(day),
  areaId: optional(id),
  organizationId: optional(id),
  category: optional(z.enum(TASK_CATEGORY_CODES)),
});
export type KpiQuery = z.infer<typeof KpiQuerySchema>;

/** Parses a query (URL search params as an object); a refusal names every bad field. */
export function parseKpiQuery(raw: unknown): KpiQuery {
  const result = KpiQuerySchema.safeParse(raw);
  if (!result.success) {
    throw new AppError(
      "validation_failed",
      "入力内容に誤りがあります / Invalid input",
      result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}

/** @default 180 days ending today when no period is given. */
export const DEFAULT_PERIOD_DAYS = 180;
/** Longest period one request may ask for (bounds the rows read). */
export const MAX_PERIOD_DAYS = 731;
const DAY_MS = 86_400_000;
/** All workspaces are in Japan (Asia/Tokyo has no daylight saving time). */
const JST_OFFSET_MS = 9 * 3_600_000;

const startOfJstDay = (date: string) => new Date(Date.parse(`${date}T00:00:00+09:00`));
const jstDate = (at: Date) => new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);

/** The half-open period [from 00:00, the day after `to` 00:00) in Japan time. */
export function periodOf(query: Pick<KpiQuery, "from" | "to">, now: Date) {
  const toDay = query.to ?? jstDate(now);
  const fromDay = query.from ?? jstDate(new Date(startOfJstDay(toDay).getTime() - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS));
  const from = startOfJstDay(fromDay);
  const to = new Date(startOfJstDay(toDay).getTime() + DAY_MS);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new AppError("validation_failed", "日付が正しくありません / Invalid date", [{ path: "from", message: "invalid date" }]);
  }
  if (from >= to) {
    throw new AppError("validation_failed", "期間の開始が終了より後です / The period starts after it ends", [{ path: "from", message: "after to" }]);
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw new AppError("validation_failed", "期間が長すぎます / The period is too long", [{ path: "from", message: `at most ${MAX_PERIOD_DAYS} days` }]);
  }
  return { fromDay, toDay, period: { from, to } };
}

export interface KpiAnswer {
  workspaceId: string;
  filters: { from: string; to: string; areaId: string | null; organizationId: string | null; category: string | null };
  /** Names for the filter form and the area breakdown (organizational facts, not people). */
  options: {
    areas: Array<{ id: string; code: string; name: string; nameEn: string | null }>;
    organizations: Array<{ id: string; name: string; nameEn: string | null; own: boolean }>;
  };
  report: KpiReport;
}

/** GET …/reports/:month (and the printable page): a calendar month in Japan time, an optional organization. */
export const MonthlyReportQuerySchema = z.object({ organizationId: optional(id) });

export interface MonthlyReport {
  month: string;
  /** The month before and after, for the page's links (null after the current month). */
  previous: string;
  next: string | null;
  kpis: KpiAnswer;
  /** Residents registered in the month (by the filtered organization, or any). */
  newResidents: SuppressedCount;
  /** Attended participations at counted pieces that started in the month, and their hours. */
  participations: SuppressedCount;
  hours: { value: number | null; suppressed: boolean };
  /** Pieces of counted activities that start in the month: activities, not people, never suppressed. */
  pieces: { total: number; filled: number; open: number; seats: number; bookedSeats: number };
}

const shiftMonth = (month: string, delta: number) => {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
};

export function createOutcomeQueries(prisma: PrismaClient, clock: () => Date = () => new Date()) {
  return {
    /**
     * The monthly summary for the platform meeting: the month's KPIs (the same call and the same
     * suppression as the dashboard) and the month's counts — new residents, participations and
     * hours, pieces filled and open. docs/outcomes.md.
     */
    async monthlyReport(user: SessionUser, workspaceId: string, month: string, query: z.infer<typeof MonthlyReportQuerySchema>): Promise<MonthlyReport> {
      requireWorkspaceMember(user, workspaceId);
      const range = monthRange(month);
      if (!range) throw new AppError("validation_failed", "月が正しくありません / Invalid month", [{ path: "month", message: "YYYY-MM" }]);
      const now = clock();
      const lastDay = jstDay(new Date(range.to.getTime() - 1));
      const kpis = await this.kpis(user, workspaceId, { from: `${month}-01`, to: lastDay, organizationId: query.organizationId });
      const own = kpis.report.scope === "own-organization";
      const taskWhere = {
        workspaceId,
        ...visibleToMember(user, workspaceId),
        ...(query.organizationId ? { ownerOrgId: query.organizationId } : {}),
      };
      const inMonth = { gte: range.from, lt: range.to };
      const [newResidents, attended, shifts] = await Promise.all([
        prisma.resident.count({
          where: { workspaceId, createdAt: inMonth, deletedAt: null, ...(query.organizationId ? { registeredByOrgId: query.organizationId } : {}) },
        }),
        prisma.participation.aggregate({
          where: { attended: true, shift: { startsAt: inMonth, task: taskWhere } },
          _count: { _all: true },
          _sum: { minutes: true },
        }),
        prisma.shift.findMany({
          where: { startsAt: inMonth, task: { ...taskWhere, status: { not: "DRAFT" } } },
          select: { headcount: true, _count: { select: { matches: { where: { stage: { in: [...BOOKED_STAGES] } } } } } },
        }),
      ]);
      const participations = suppressCount(attended._count._all, own);
      const seats = shifts.reduce((sum, s) => sum + s.headcount, 0);
      const bookedSeats = shifts.reduce((sum, s) => sum + Math.min(s.headcount, s._count.matches), 0);
      const filled = shifts.filter((s) => s._count.matches >= s.headcount).length;
      const current = jstDay(now).slice(0, 7);
      return {
        month,
        previous: shiftMonth(month, -1),
        next: month < current ? shiftMonth(month, 1) : null,
        kpis,
        newResidents: suppressCount(newResidents, own),
        participations,
        hours: participations.suppressed
          ? { value: null, suppressed: true }
          : { value: Math.round(((attended._sum.minutes ?? 0) / 60) * 10) / 10, suppressed: false },
        pieces: { total: shifts.length, filled, open: shifts.length - filled, seats, bookedSeats },
      };
    },

    /**
     * Any member of the workspace may read the KPIs. Counts are unsuppressed only when the caller
     * filters by an organization they belong to (then every task counted is their own).
     */
    async kpis(user: SessionUser, workspaceId: string, query: KpiQuery): Promise<KpiAnswer> {
      const memberships = requireWorkspaceMember(user, workspaceId);
      const now = clock();
      const { fromDay, toDay, period } = periodOf(query, now);

      const [areas, organizations] = await Promise.all([
        prisma.area.findMany({ where: { workspaceId }, orderBy: { code: "asc" }, select: { id: true, code: true, name: true, nameEn: true } }),
        prisma.organization.findMany({ where: { workspaceId }, orderBy: { name: "asc" }, select: { id: true, name: true, nameEn: true } }),
      ]);
      if (query.areaId && !areas.some((a) => a.id === query.areaId)) {
        throw new AppError("validation_failed", "地区が見つかりません / Unknown area", [{ path: "areaId", message: "not an area of this workspace" }]);
      }
      if (query.organizationId && !organizations.some((o) => o.id === query.organizationId)) {
        throw new AppError("validation_failed", "団体が見つかりません / Unknown organization", [
          { path: "organizationId", message: "not an organization of this workspace" },
        ]);
      }
      const ownOrgIds = new Set(memberships.map((m) => m.organizationId));
      const ownOrganization = query.organizationId != null && ownOrgIds.has(query.organizationId);

      // The filtered tasks, as the caller may see them (ORG tasks only of their own organizations).
      const taskWhere = {
        workspaceId,
        ...visibleToMember(user, workspaceId),
        ...(query.areaId ? { areaId: query.areaId } : {}),
        ...(query.organizationId ? { ownerOrgId: query.organizationId } : {}),
        ...(query.category ? { category: query.category } : {}),
      };
      const inPeriod = { gte: period.from, lt: period.to };

      const [matches, shifts, cohort, incentives] = await Promise.all([
        prisma.match.findMany({
          where: { AND: [{ workspaceId, shift: { task: taskWhere } }, { OR: [{ createdAt: inPeriod }, { shift: { startsAt: inPeriod } }] }] },
          select: {
            id: true,
            shiftId: true,
            createdAt: true,
            stage: true,
            stageChangedAt: true,
            events: {
              where: { toStage: { in: [...BOOKED_STAGES] } },
              orderBy: { createdAt: "asc" },
              take: 1,
              select: { toStage: true, createdAt: true },
            },
          },
        }),
        prisma.shift.findMany({ where: { task: taskWhere, startsAt: inPeriod }, select: { id: true, startsAt: true, headcount: true } }),
        prisma.participation.findMany({
          where: { attended: true, shift: { task: taskWhere, startsAt: inPeriod } },
          select: { id: true, residentId: true },
        }),
        prisma.incentiveEntry.findMany({
          where: { issuedAt: inPeriod, participation: { shift: { task: taskWhere } } },
          select: { kind: true, amount: true, issuedAt: true },
        }),
      ]);

      // The cohort's whole attended history in this workspace (first time, continuation).
      const cohortIds = new Set(cohort.map((p) => p.id));
      const residentIds = [...new Set(cohort.map((p) => p.residentId))];
      const [history, residents] = await Promise.all([
        prisma.participation.findMany({
          where: { residentId: { in: residentIds }, attended: true, shift: { task: { workspaceId } } },
          select: { id: true, residentId: true, shiftId: true, attended: true, shift: { select: { startsAt: true } } },
        }),
        // Birth year only to count age bands here; it never leaves this function.
        prisma.resident.findMany({ where: { id: { in: residentIds }, workspaceId }, select: { id: true, birthYear: true, homeAreaId: true } }),
      ]);

      const report = computeKpis({
        period,
        now,
        ownOrganization,
        matches: matches.map((m) => ({
          id: m.id,
          shiftId: m.shiftId,
          createdAt: m.createdAt,
          stage: m.stage as MatchStageName,
          confirmedAt: confirmedAtOf(
            { stage: m.stage as MatchStageName, stageChangedAt: m.stageChangedAt },
            m.events.map((e) => ({ toStage: e.toStage as MatchStageName | null, createdAt: e.createdAt })),
          ),
        })),
        shifts,
        participations: history.map((p) => ({
          residentId: p.residentId,
          shiftId: p.shiftId,
          startsAt: p.shift.startsAt,
          attended: p.attended,
          inScope: cohortIds.has(p.id),
        })),
        residents,
        incentives,
      });

      return {
        workspaceId,
        filters: {
          from: fromDay,
          to: toDay,
          areaId: query.areaId ?? null,
          organizationId: query.organizationId ?? null,
          category: query.category ?? null,
        },
        options: { areas, organizations: organizations.map((o) => ({ ...o, own: ownOrgIds.has(o.id) })) },
        report,
      };
    },
  };
}
