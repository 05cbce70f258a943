import type { PrismaClient } from "../db/client.ts";
import type { FixedMatch, MatchingSnapshot, PairRef, SnapshotConsent, SnapshotResident, SnapshotShift } from "./types.ts";

/** A Match row as the scheduler needs it to plan the diff. */
export interface MatchRowRef {
  id: string;
  residentId: string;
  shiftId: string;
  stage: string;
  source: string;
  pinned: boolean;
  score: number;
  explanationJa: string | null;
  explanationEn: string | null;
}

export interface LoadedSnapshot {
  workspaceId: string;
  /** The workspace version the snapshot was read at (one REPEATABLE READ transaction). */
  version: number;
  snapshot: MatchingSnapshot;
  /** The current engine proposals (SUGGESTED, not pinned, source MATCHER): the rows a run may touch. */
  proposals: MatchRowRef[];
}

const FIXED_STAGES = new Set(["CONTACTING", "ARRANGING", "CONFIRMED", "ACTIVE", "COMPLETED"]);
const REJECTED_STAGES = new Set(["DECLINED", "WITHDRAWN"]);
/** Fixed matches that ended within this window still count toward the weekly hour cap. */
const FIXED_LOOKBACK_MS = 8 * 86_400_000;

/** Fixed offsets of the time zones Tsunagu's municipalities use (none has DST). */
const TZ_OFFSETS: Record<string, number> = { "Asia/Tokyo": 540, UTC: 0, "Etc/UTC": 0 };

/** How a Match row enters the snapshot (docs/matching.md, "Building it from the database"). */
export function classifyMatch(row: Pick<MatchRowRef, "stage" | "source" | "pinned">): "previous" | "fixed" | "rejected" {
  if (REJECTED_STAGES.has(row.stage)) return "rejected";
  if (row.pinned || FIXED_STAGES.has(row.stage) || row.source !== "MATCHER") return "fixed";
  return "previous";
}

/** Reads one workspace into the engine's snapshot, consistently, with the version it was read at. */
export async function loadSnapshot(prisma: PrismaClient, workspaceId: string, now: number): Promise<LoadedSnapshot> {
  return prisma.$transaction(
    async (tx) => {
      const workspace = await tx.workspace.findUniqueOrThrow({
        where: { id: workspaceId },
        select: { version: true, timezone: true },
      });
      // One after the other: an interactive transaction is one connection.
      const residents = await tx.resident.findMany({
          where: { workspaceId, status: "ACTIVE" },
          select: {
            id: true,
            registeredByOrgId: true,
            status: true,
            homeLat: true,
            homeLng: true,
            travelDistanceM: true,
            weeklyHourCap: true,
            style: true,
            interests: true,
            skills: { select: { skillId: true, level: true } },
            availabilityWindows: { select: { weekday: true, startMinute: true, endMinute: true } },
            availabilityExceptions: { select: { date: true, available: true, startMinute: true, endMinute: true } },
          },
          orderBy: { id: "asc" },
        });
      const skills = await tx.skill.findMany({ where: { workspaceId }, select: { id: true, nameJa: true, nameEn: true } });
      const shifts = await tx.shift.findMany({
          where: { startsAt: { gt: new Date(now) }, task: { workspaceId, status: "OPEN" } },
          select: {
            id: true,
            taskId: true,
            startsAt: true,
            endsAt: true,
            headcount: true,
            requiredSkills: { select: { skillId: true } },
            task: { select: { ownerOrgId: true, category: true, lat: true, lng: true, isRemote: true } },
          },
          orderBy: { id: "asc" },
        });
      const matches = await tx.match.findMany({
          where: { workspaceId, shift: { endsAt: { gt: new Date(now - FIXED_LOOKBACK_MS) } } },
          select: {
            id: true,
            residentId: true,
            shiftId: true,
            stage: true,
            source: true,
            pinned: true,
            score: true,
            explanationJa: true,
            explanationEn: true,
            shift: { select: { startsAt: true, endsAt: true } },
          },
        });
      const consents = await tx.consent.findMany({
          where: {
            resident: { workspaceId },
            revokedAt: null,
            OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(now) } }],
          },
          select: { residentId: true, organizationId: true, fields: true, expiresAt: true },
        });
      const participations = await tx.participation.findMany({
          where: { resident: { workspaceId } },
          select: {
            residentId: true,
            attended: true,
            checkInAt: true,
            rating: true,
            shift: { select: { startsAt: true, task: { select: { ownerOrgId: true } } } },
          },
        });

      const summary = new Map<string, { count: number; lastAt: number | null; ratings: Map<string, number[]> }>();
      for (const p of participations) {
        let s = summary.get(p.residentId);
        if (!s) summary.set(p.residentId, (s = { count: 0, lastAt: null, ratings: new Map() }));
        if (p.attended) {
          s.count += 1;
          const at = (p.checkInAt ?? p.shift.startsAt).getTime();
          if (s.lastAt === null || at > s.lastAt) s.lastAt = at;
        }
        if (p.rating != null) {
          const org = p.shift.task.ownerOrgId;
          const list = s.ratings.get(org) ?? [];
          list.push(p.rating);
          s.ratings.set(org, list);
        }
      }

      const snapshotResidents: SnapshotResident[] = residents.map((r) => {
        const s = summary.get(r.id);
        const ratingByOrg: Record<string, number> = {};
        for (const [org, list] of s?.ratings ?? []) ratingByOrg[org] = list.reduce((a, b) => a + b, 0) / list.length;
        return {
          id: r.id,
          registeredByOrgId: r.registeredByOrgId,
          status: r.status,
          home: r.homeLat != null && r.homeLng != null ? { lat: r.homeLat, lng: r.homeLng } : null,
          travelDistanceM: r.travelDistanceM,
          weeklyHourCap: r.weeklyHourCap,
          style: r.style,
          interests: r.interests,
          skills: Object.fromEntries(r.skills.map((k) => [k.skillId, k.level])),
          windows: r.availabilityWindows,
          exceptions: r.availabilityExceptions.map((e) => ({
            date: e.date.toISOString().slice(0, 10),
            available: e.available,
            startMinute: e.startMinute,
            endMinute: e.endMinute,
          })),
          participation: { count: s?.count ?? 0, lastAt: s?.lastAt ?? null, ratingByOrg },
        };
      });

      const snapshotShifts: SnapshotShift[] = shifts.map((s) => ({
        id: s.id,
        taskId: s.taskId,
        ownerOrgId: s.task.ownerOrgId,
        category: s.task.category,
        point: s.task.lat != null && s.task.lng != null ? { lat: s.task.lat, lng: s.task.lng } : null,
        isRemote: s.task.isRemote,
        startsAt: s.startsAt.getTime(),
        endsAt: s.endsAt.getTime(),
        headcount: s.headcount,
        requiredSkillIds: s.requiredSkills.map((k) => k.skillId),
      }));

      const fixed: FixedMatch[] = [];
      const rejected: PairRef[] = [];
      const previous: PairRef[] = [];
      const proposals: MatchRowRef[] = [];
      for (const m of matches) {
        const kind = classifyMatch(m);
        if (kind === "fixed") {
          fixed.push({ residentId: m.residentId, shiftId: m.shiftId, startsAt: m.shift.startsAt.getTime(), endsAt: m.shift.endsAt.getTime() });
        } else if (kind === "rejected") {
          rejected.push({ residentId: m.residentId, shiftId: m.shiftId });
        } else {
          previous.push({ residentId: m.residentId, shiftId: m.shiftId });
          const { shift: _shift, ...row } = m;
          proposals.push(row);
        }
      }

      const snapshotConsents: SnapshotConsent[] = consents.map((c) => ({
        residentId: c.residentId,
        organizationId: c.organizationId,
        fields: c.fields,
        expiresAt: c.expiresAt ? c.expiresAt.getTime() : null,
        revokedAt: null,
      }));

      return {
        workspaceId,
        version: workspace.version,
        snapshot: {
          timezoneOffsetMinutes: TZ_OFFSETS[workspace.timezone] ?? 540,
          residents: snapshotResidents,
          shifts: snapshotShifts,
          consents: snapshotConsents,
          fixed,
          rejected,
          previous,
          skills,
        },
        proposals,
      };
    },
    { isolationLevel: "RepeatableRead", timeout: 30_000 },
  );
}
