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

/** A Match row with its piece's times (fixed matches count with them). */
export interface LoadedMatchRow extends MatchRowRef {
  startsAt: number;
  endsAt: number;
}

export interface LoadedSnapshot {
  workspaceId: string;
  /** The workspace version the snapshot was read at (one REPEATABLE READ transaction). */
  version: number;
  snapshot: MatchingSnapshot;
  /** The current engine proposals (SUGGESTED, not pinned, source MATCHER): the rows a run may touch. */
  proposals: MatchRowRef[];
}

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

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

/** Splits match rows into the snapshot's fixed / rejected / previous lists and the engine rows. */
export function partitionMatches(rows: Iterable<LoadedMatchRow>) {
  const fixed: FixedMatch[] = [];
  const rejected: PairRef[] = [];
  const previous: PairRef[] = [];
  const proposals: MatchRowRef[] = [];
  for (const m of rows) {
    const kind = classifyMatch(m);
    if (kind === "fixed") fixed.push({ residentId: m.residentId, shiftId: m.shiftId, startsAt: m.startsAt, endsAt: m.endsAt });
    else if (kind === "rejected") rejected.push({ residentId: m.residentId, shiftId: m.shiftId });
    else {
      previous.push({ residentId: m.residentId, shiftId: m.shiftId });
      const { startsAt: _s, endsAt: _e, ...row } = m;
      proposals.push(row);
    }
  }
  return { fixed, rejected, previous, proposals };
}

export async function loadWorkspaceHead(tx: Tx, workspaceId: string) {
  const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { version: true, timezone: true } });
  return { version: workspace.version, timezoneOffsetMinutes: TZ_OFFSETS[workspace.timezone] ?? 540 };
}

/** ACTIVE residents of the workspace (or of `ids` among them), with their participation summary. */
export async function loadResidents(tx: Tx, workspaceId: string, ids?: readonly string[]): Promise<SnapshotResident[]> {
  const residents = await tx.resident.findMany({
    where: { workspaceId, status: "ACTIVE", ...(ids ? { id: { in: [...ids] } } : {}) },
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
  const participations = await tx.participation.findMany({
    where: ids ? { residentId: { in: [...ids] } } : { resident: { workspaceId } },
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

  return residents.map((r) => {
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
}

/** Pieces of OPEN tasks that start after `now` (all of the workspace, or those of `filter`). */
export async function loadShifts(
  tx: Tx,
  workspaceId: string,
  now: number,
  filter?: { ids?: readonly string[]; taskIds?: readonly string[] },
): Promise<SnapshotShift[]> {
  const scope = filter ? { OR: [{ id: { in: [...(filter.ids ?? [])] } }, { taskId: { in: [...(filter.taskIds ?? [])] } }] } : {};
  const shifts = await tx.shift.findMany({
    where: { startsAt: { gt: new Date(now) }, task: { workspaceId, status: "OPEN" }, ...scope },
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
  return shifts.map((s) => ({
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
}

/** Matches whose piece ended less than the look-back ago (all, or `filter`: ids, pieces, residents). */
export async function loadMatches(
  tx: Tx,
  workspaceId: string,
  now: number,
  filter?: { ids?: readonly string[]; shiftIds?: readonly string[]; residentIds?: readonly string[] },
): Promise<LoadedMatchRow[]> {
  const scope = filter
    ? {
        OR: [
          { id: { in: [...(filter.ids ?? [])] } },
          { shiftId: { in: [...(filter.shiftIds ?? [])] } },
          { residentId: { in: [...(filter.residentIds ?? [])] } },
        ],
      }
    : {};
  const matches = await tx.match.findMany({
    where: { workspaceId, shift: { endsAt: { gt: new Date(now - FIXED_LOOKBACK_MS) } }, ...scope },
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
  return matches.map(({ shift, ...row }) => ({ ...row, startsAt: shift.startsAt.getTime(), endsAt: shift.endsAt.getTime() }));
}

/** Consents in force at `now` (of the workspace's residents, or of `residentIds`). */
export async function loadConsents(tx: Tx, workspaceId: string, now: number, residentIds?: readonly string[]): Promise<SnapshotConsent[]> {
  const consents = await tx.consent.findMany({
    where: {
      ...(residentIds ? { residentId: { in: [...residentIds] } } : {}),
      resident: { workspaceId },
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(now) } }],
    },
    select: { residentId: true, organizationId: true, fields: true, expiresAt: true },
  });
  return consents.map((c) => ({
    residentId: c.residentId,
    organizationId: c.organizationId,
    fields: c.fields,
    expiresAt: c.expiresAt ? c.expiresAt.getTime() : null,
    revokedAt: null,
  }));
}

export function loadSkills(tx: Tx, workspaceId: string) {
  return tx.skill.findMany({ where: { workspaceId }, select: { id: true, nameJa: true, nameEn: true } });
}

/** The snapshot's parts read in one transaction (queries one after the other: one connection). */
export async function loadAll(tx: Tx, workspaceId: string, now: number) {
  const head = await loadWorkspaceHead(tx, workspaceId);
  const residents = await loadResidents(tx, workspaceId);
  const skills = await loadSkills(tx, workspaceId);
  const shifts = await loadShifts(tx, workspaceId, now);
  const matches = await loadMatches(tx, workspaceId, now);
  const consents = await loadConsents(tx, workspaceId, now);
  return { ...head, residents, skills, shifts, matches, consents };
}

/** Reads one workspace into the engine's snapshot, consistently, with the version it was read at. */
export async function loadSnapshot(prisma: PrismaClient, workspaceId: string, now: number): Promise<LoadedSnapshot> {
  return prisma.$transaction(
    async (tx) => {
      const all = await loadAll(tx, workspaceId, now);
      const { fixed, rejected, previous, proposals } = partitionMatches(all.matches);
      return {
        workspaceId,
        version: all.version,
        snapshot: {
          timezoneOffsetMinutes: all.timezoneOffsetMinutes,
          residents: all.residents,
          shifts: all.shifts,
          consents: all.consents,
          fixed,
          rejected,
          previous,
          skills: all.skills,
        },
        proposals,
      };
    },
    { isolationLevel: "RepeatableRead", timeout: 30_000 },
  );
}
