import { z } from "zod";
import type { SessionUser } from "../auth/sessions.ts";
import { requireWorkspaceMember } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import type { Prisma } from "../db/client.ts";
import {
  INCENTIVE_KINDS,
  jstDay,
  ledgerCsv,
  ledgerTotals,
  MAX_INCENTIVE_AMOUNT,
  monthRange,
  type IncentiveKindName,
  type LedgerRow,
} from "../outcomes/ledger.ts";
import { recordReads, type AuditContext } from "../trust/audit.ts";
import { CONSENT_RECORD_SELECT, projectResident, RESIDENT_RECORD_SELECT, type Projection } from "../trust/projection.ts";
import { periodOf } from "./outcomes.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";
import { PIECE_FACTS_SELECT } from "./pages.ts";

/**
 * The incentive ledger (issue 9): 交通費, 謝礼, 地域ポイント and 証明書 per participation, added by
 * the organizer's coordinators; totals per resident, organization and month; the accounting CSV;
 * the participation certificate (参加証明書). Money is the organizer's business: only COORDINATOR
 * and ADMIN members see and add entries, and only for their own organizations' activities.
 * Residents' names appear only where the projection allows, and those reads are audited.
 * docs/decisions/052-incentive-ledger.md.
 */

const blank = (value: unknown) => (value === "" ? undefined : value);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const month = z.string().regex(/^\d{4}-\d{2}$/, "YYYY-MM");
const id = z.string().trim().min(1).max(64);

export const IncentiveKindSchema = z.enum(INCENTIVE_KINDS);

/** POST /api/v1/participations/:participationId/incentives (and the check-in sheet's form). */
export const IncentiveAddSchema = z
  .object({
    kind: IncentiveKindSchema,
    /** Yen or points; ignored for a certificate (always 1). */
    amount: z.preprocess(blank, z.coerce.number().int().min(1).max(MAX_INCENTIVE_AMOUNT).optional()),
    note: z.preprocess(blank, z.string().trim().max(200).optional()),
  })
  .refine((v) => v.kind === "CERTIFICATE" || v.amount !== undefined, { path: ["amount"], message: "required" });
export type IncentiveAdd = z.infer<typeof IncentiveAddSchema>;

/** GET …/incentives and …/incentives.csv: a month, or a from–to period (Japan time), and an organization. */
export const LedgerQuerySchema = z.object({
  month: z.preprocess(blank, month.optional()),
  from: z.preprocess(blank, day.optional()),
  to: z.preprocess(blank, day.optional()),
  organizationId: z.preprocess(blank, id.optional()),
});
export type LedgerQuery = z.infer<typeof LedgerQuerySchema>;

/** GET …/residents/:residentId/certificate */
export const CertificateQuerySchema = z.object({
  from: z.preprocess(blank, day.optional()),
  to: z.preprocess(blank, day.optional()),
  organizationId: z.preprocess(blank, id.optional()),
});
export type CertificateQuery = z.infer<typeof CertificateQuerySchema>;

const DAY_MS = 86_400_000;

/** A resident asking for someone else's certificate (decision 056). */
const ONLY_OWN_MESSAGE = "ご本人の参加証明書だけを表示できます / You can only see your own certificate of participation";

type CertificateResident = Prisma.ResidentGetPayload<{ select: typeof RESIDENT_RECORD_SELECT & { consents: { select: typeof CONSENT_RECORD_SELECT } } }>;

/** The organizations (of this workspace) whose ledger the caller keeps: COORDINATOR or ADMIN. */
export function ledgerOrganizations(user: SessionUser, workspaceId: string, organizationId?: string): string[] {
  const memberships = requireWorkspaceMember(user, workspaceId);
  const orgs = memberships.filter((m) => m.role === "COORDINATOR" || m.role === "ADMIN").map((m) => m.organizationId);
  if (orgs.length === 0) throw new AppError("forbidden", "権限がありません / Only coordinators keep the ledger");
  if (organizationId) {
    if (!orgs.includes(organizationId)) throw new AppError("forbidden", "権限がありません / Not your organization's ledger");
    return [organizationId];
  }
  return [...new Set(orgs)];
}

function ledgerPeriod(query: LedgerQuery, now: Date): { from: Date; to: Date; label: string } {
  if (query.month) {
    const range = monthRange(query.month);
    if (!range) throw new AppError("validation_failed", "月が正しくありません / Invalid month", [{ path: "month", message: "YYYY-MM" }]);
    return { ...range, label: query.month };
  }
  if (!query.from && !query.to) {
    const current = jstDay(now).slice(0, 7);
    return { ...(monthRange(current) as { from: Date; to: Date }), label: current };
  }
  const { fromDay, toDay, period } = periodOf(query, now);
  return { ...period, label: `${fromDay}〜${toDay}` };
}

export function createIncentiveService(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  const viewerOf = (user: SessionUser) => ({ userId: user.id, memberships: user.memberships });

  /**
   * The certificate's contents for a resident and the issuing organizations (`orgIds`): their
   * attended pieces in the period, the total, the issuers. Issuers are the organizations that
   * appear in the list (all of `orgIds` when it is empty). The name read is audited.
   */
  async function build(user: SessionUser, resident: CertificateResident, query: CertificateQuery, audit: AuditContext, orgIds: string[]) {
    const now = clock();
    const to = query.to ?? jstDay(now);
    const from = query.from ?? jstDay(new Date(Date.parse(`${to}T00:00:00+09:00`) - 364 * DAY_MS));
    const { fromDay, toDay, period } = periodOf({ from, to }, now);
    const participations = await prisma.participation.findMany({
      where: {
        residentId: resident.id,
        attended: true,
        shift: { startsAt: { gte: period.from, lt: period.to }, task: { workspaceId: resident.workspaceId, ownerOrgId: { in: orgIds } } },
      },
      orderBy: { shift: { startsAt: "asc" } },
      select: {
        minutes: true,
        checkInAt: true,
        checkOutAt: true,
        shift: {
          select: {
            role: true,
            roleEn: true,
            startsAt: true,
            endsAt: true,
            task: { select: { title: true, titleEn: true, category: true, ownerOrgId: true, owner: { select: { name: true, nameEn: true } } } },
          },
        },
      },
    });
    const { consents, ...record } = resident;
    const projection = projectResident(viewerOf(user), record, consents, now);
    const shown = projection.shown.filter((f) => f === "name");
    await recordReads(prisma, audit, "resident.read", [{ workspaceId: resident.workspaceId, projection: { ...projection, shown } }]);
    const issuerIds = participations.length > 0 ? [...new Set(participations.map((p) => p.shift.task.ownerOrgId))] : orgIds;
    const organizations = await prisma.organization.findMany({ where: { id: { in: issuerIds } }, orderBy: { name: "asc" }, select: { id: true, name: true, nameEn: true } });
    const items = participations.map((p) => ({
      date: jstDay(p.shift.startsAt),
      startsAt: p.shift.startsAt.toISOString(),
      endsAt: p.shift.endsAt.toISOString(),
      taskTitle: p.shift.task.title,
      taskTitleEn: p.shift.task.titleEn,
      role: p.shift.role,
      roleEn: p.shift.roleEn,
      organizer: p.shift.task.owner.name,
      organizerEn: p.shift.task.owner.nameEn,
      // Recorded minutes; the piece's length when attendance was recorded without times.
      minutes: p.minutes ?? Math.round((p.shift.endsAt.getTime() - p.shift.startsAt.getTime()) / 60_000),
      timed: p.minutes != null,
    }));
    return {
      resident: { id: resident.id, publicCode: resident.publicCode, name: projection.resident.name ?? null },
      issuers: organizations,
      period: { from: fromDay, to: toDay },
      issuedOn: jstDay(now),
      items,
      count: items.length,
      totalMinutes: items.reduce((sum, i) => sum + i.minutes, 0),
    };
  }

  /**
   * The signed-in resident's own 参加証明書 (/me/certificate): every organization's activities
   * they took part in (or one organization's, `organizationId`), issued by those organizations.
   * Only ever their own record: there is no resident id to ask for.
   */
  async function ownCertificate(user: SessionUser, query: CertificateQuery, audit: AuditContext) {
    const resident = await prisma.resident.findUnique({
      where: { userId: user.id },
      select: { ...RESIDENT_RECORD_SELECT, consents: { select: CONSENT_RECORD_SELECT } },
    });
    if (!resident || resident.deletedAt) throw new AppError("not_found", "住民の登録がありません / No resident record");
    // The organizations whose activities they ever took part in: the choices of the page.
    const organizations = await prisma.organization.findMany({
      where: { workspaceId: resident.workspaceId, tasks: { some: { shifts: { some: { participations: { some: { residentId: resident.id, attended: true } } } } } } },
      orderBy: { name: "asc" },
      select: { id: true, name: true, nameEn: true },
    });
    if (query.organizationId && !organizations.some((o) => o.id === query.organizationId)) {
      throw new AppError("validation_failed", "その団体の活動に参加した記録はありません / No participation with this organization", [
        { path: "organizationId", message: "not an organization the resident took part with" },
      ]);
    }
    const orgIds = query.organizationId ? [query.organizationId] : organizations.map((o) => o.id);
    return { ...(await build(user, resident, query, audit, orgIds)), organizations };
  }

  /** Loads entries with their participation, piece, task and resident, projected for the caller. */
  async function rows(user: SessionUser, workspaceId: string, orgIds: string[], period: { from: Date; to: Date }, audit: AuditContext) {
    const entries = await prisma.incentiveEntry.findMany({
      where: { issuedAt: { gte: period.from, lt: period.to }, participation: { shift: { task: { workspaceId, ownerOrgId: { in: orgIds } } } } },
      orderBy: [{ issuedAt: "asc" }, { id: "asc" }],
      take: 10_000,
      select: {
        id: true,
        kind: true,
        amount: true,
        note: true,
        issuedAt: true,
        issuedByUserId: true,
        participation: {
          select: {
            id: true,
            minutes: true,
            resident: { select: { ...RESIDENT_RECORD_SELECT, consents: { select: CONSENT_RECORD_SELECT } } },
            shift: { select: { role: true, startsAt: true, task: { select: { title: true, owner: { select: { id: true, name: true } } } } } },
          },
        },
      },
    });
    const issuerIds = [...new Set(entries.map((e) => e.issuedByUserId).filter((v): v is string => v != null))];
    const issuers = new Map(
      (await prisma.user.findMany({ where: { id: { in: issuerIds } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]),
    );
    const now = clock();
    const projections = new Map<string, Projection>();
    for (const e of entries) {
      const { consents, ...record } = e.participation.resident;
      if (!projections.has(record.id)) projections.set(record.id, projectResident(viewerOf(user), record, consents, now));
    }
    // Only the name is shown; the audit row says so.
    await recordReads(
      prisma,
      audit,
      "resident.list",
      [...projections.values()].map((p) => ({ workspaceId, projection: { ...p, shown: p.shown.filter((f) => f === "name") } })),
    );
    return entries.map((e): LedgerRow => {
      const projection = projections.get(e.participation.resident.id) as Projection;
      return {
        id: e.id,
        kind: e.kind as IncentiveKindName,
        amount: e.amount,
        note: e.note,
        issuedAt: e.issuedAt,
        issuedBy: e.issuedByUserId ? (issuers.get(e.issuedByUserId) ?? null) : null,
        participationId: e.participation.id,
        residentId: projection.resident.id,
        residentCode: projection.resident.publicCode,
        residentName: projection.resident.name ?? null,
        organizationId: e.participation.shift.task.owner.id,
        organizationName: e.participation.shift.task.owner.name,
        taskTitle: e.participation.shift.task.title,
        shiftRole: e.participation.shift.role,
        shiftStartsAt: e.participation.shift.startsAt,
        minutes: e.participation.minutes,
      };
    });
  }

  return {
    /** Adds an entry to an attended participation of the caller's organization's activity. */
    async add(user: SessionUser, participationId: string, input: IncentiveAdd) {
      const participation = await prisma.participation.findUnique({
        where: { id: participationId },
        select: { id: true, attended: true, residentId: true, shift: { select: { task: { select: { workspaceId: true, ownerOrgId: true, visibility: true } } } } },
      });
      if (!participation) throw new AppError("not_found", "Participation not found");
      const task = participation.shift.task;
      const memberships = requireWorkspaceMember(user, task.workspaceId);
      if (task.visibility === "ORG" && !memberships.some((m) => m.organizationId === task.ownerOrgId)) {
        throw new AppError("not_found", "Participation not found");
      }
      if (!memberships.some((m) => m.organizationId === task.ownerOrgId && (m.role === "COORDINATOR" || m.role === "ADMIN"))) {
        throw new AppError("forbidden", "権限がありません / Only the organizer's coordinators add incentives");
      }
      if (participation.attended !== true) {
        throw new AppError("conflict", "参加が記録されていません / The resident has not taken part (check in first)", { reason: "not_attended" });
      }
      const amount = input.kind === "CERTIFICATE" ? 1 : (input.amount as number);
      const { value } = await writeInWorkspace(deps, task.workspaceId, user.id, async (tx) => {
        const entry = await tx.incentiveEntry.create({
          data: { participationId, kind: input.kind, amount, note: input.note ?? null, issuedByUserId: user.id, issuedAt: clock() },
          select: { id: true, participationId: true, kind: true, amount: true, note: true, issuedAt: true },
        });
        return {
          result: entry,
          entity: "resident",
          entityId: participation.residentId,
          verb: "updated",
          data: { residentId: participation.residentId, participationId, incentive: input.kind },
        };
      });
      return value;
    },

    /** Entries of a period with totals per resident, organization and month. */
    async ledger(user: SessionUser, workspaceId: string, query: LedgerQuery, audit: AuditContext) {
      const orgIds = ledgerOrganizations(user, workspaceId, query.organizationId);
      const period = ledgerPeriod(query, clock());
      const items = await rows(user, workspaceId, orgIds, period, audit);
      const organizations = await prisma.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, nameEn: true } });
      return {
        workspaceId,
        period: { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label },
        organizations,
        items: items.map((r) => ({ ...r, issuedAt: r.issuedAt.toISOString(), shiftStartsAt: r.shiftStartsAt.toISOString() })),
        totals: ledgerTotals(items),
      };
    },

    /** The pieces of the caller's organizations in the period, for links to their check-in posters. */
    async pieces(user: SessionUser, workspaceId: string, query: LedgerQuery) {
      const orgIds = ledgerOrganizations(user, workspaceId, query.organizationId);
      const period = ledgerPeriod(query, clock());
      const shifts = await prisma.shift.findMany({
        where: { startsAt: { gte: period.from, lt: period.to }, task: { workspaceId, ownerOrgId: { in: orgIds }, status: { not: "DRAFT" } } },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        take: 300,
        select: {
          ...PIECE_FACTS_SELECT,
          task: { select: { title: true, titleEn: true } },
          _count: { select: { participations: { where: { attended: true } } } },
        },
      });
      return shifts.map((s) => ({
        id: s.id,
        role: s.role,
        roleEn: s.roleEn,
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        headcount: s.headcount,
        taskTitle: s.task.title,
        taskTitleEn: s.task.titleEn,
        attended: s._count.participations,
      }));
    },

    /** The accounting CSV of the same entries (UTF-8 with a BOM). */
    async csv(user: SessionUser, workspaceId: string, query: LedgerQuery, audit: AuditContext) {
      const orgIds = ledgerOrganizations(user, workspaceId, query.organizationId);
      const period = ledgerPeriod(query, clock());
      return { filename: `tsunagu-incentives-${period.label.replace(/[^0-9A-Za-z-]/g, "_")}.csv`, text: ledgerCsv(await rows(user, workspaceId, orgIds, period, audit)) };
    },

    /**
     * 参加証明書: the activities of the caller's organizations a resident took part in during a
     * period, with dates and hours. The name only where the projection allows (else the code).
     * A resident asking for their own id gets `ownCertificate`; a resident asking for anyone
     * else's gets 403, whether or not that id exists (decision 056).
     */
    async certificate(user: SessionUser, residentId: string, query: CertificateQuery, audit: AuditContext) {
      const own = await prisma.resident.findUnique({ where: { userId: user.id }, select: { id: true } });
      if (own && own.id === residentId) return ownCertificate(user, query, audit);
      if (user.memberships.length === 0) throw new AppError("forbidden", ONLY_OWN_MESSAGE, { reason: "not_own" });
      const resident = await prisma.resident.findUnique({
        where: { id: residentId },
        select: { ...RESIDENT_RECORD_SELECT, consents: { select: CONSENT_RECORD_SELECT } },
      });
      if (!resident || !user.memberships.some((m) => m.workspaceId === resident.workspaceId)) {
        throw new AppError("not_found", "Resident not found");
      }
      const orgIds = ledgerOrganizations(user, resident.workspaceId, query.organizationId);
      return build(user, resident, query, audit, orgIds);
    },

    ownCertificate,
  };
}
