/**
 * Seeded generator of realistic matching snapshots for the benchmark: one ward of about 8 × 8 km
 * (centred on 板橋区), neighbourhoods of uneven density, a dozen organizations of which the 社協
 * registers the most residents, weekly availability in typical daytime and evening blocks, a few
 * dated exceptions, skills with levels, consents to other organizations, and tasks of about three
 * pieces (consecutive time pieces or parallel roles) over the next two weeks.
 */
import { createRng, type Rng } from "../server/matching/testing.ts";
import type {
  FixedMatch,
  MatchingSnapshot,
  PairRef,
  SnapshotConsent,
  SnapshotResident,
  SnapshotShift,
  WeeklyWindow,
} from "../server/matching/types.ts";

export interface GenerateOptions {
  residents: number;
  tasks: number;
  seed: number;
  /** Epoch ms of "now" (a Monday 00:00 JST by default). */
  now?: number;
}

export { createRng, type Rng } from "../server/matching/testing.ts";

export const CENTER = { lat: 35.7512, lng: 139.7093 };
const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LNG = 111_320 * Math.cos((CENTER.lat * Math.PI) / 180);
const HALF_SIDE_M = 4000;

const ORGS = [
  ["org-shakyo", 40],
  ["org-city", 8],
  ["org-npo-food", 8],
  ["org-npo-mobility", 6],
  ["org-npo-kids", 7],
  ["org-npo-elderly", 6],
  ["org-company-super", 3],
  ["org-company-bank", 2],
  ["org-university", 8],
  ["org-jichikai-north", 4],
  ["org-jichikai-east", 4],
  ["org-jichikai-south", 4],
] as const;
const ORG_IDS = ORGS.map(([id]) => id);
const CATEGORIES = ["watch", "childcare", "disaster", "environment", "food", "social", "learning", "mobility", "health", "culture", "livelihood"];
export const SKILLS = [
  "cooking", "driving", "listening", "childcare", "tutoring", "digital", "care_cert", "physical", "lang_en",
  "lang_zh", "lang_vi", "sign_language", "gardening", "disaster", "pr", "music", "first_aid",
].map((code) => `skill-${code}`);
/** Typical blocks: [start minute, length]. */
const BLOCKS: ReadonlyArray<readonly [readonly [number, number], number]> = [
  [[540, 180], 5],
  [[600, 120], 4],
  [[540, 240], 3],
  [[780, 180], 4],
  [[840, 120], 3],
  [[600, 360], 2],
  [[1080, 150], 3],
  [[1140, 120], 2],
  [[480, 600], 1],
];
const PIECE_TIMES: ReadonlyArray<readonly [readonly [number, number], number]> = [
  [[600, 120], 5],
  [[540, 90], 3],
  [[600, 60], 2],
  [[780, 120], 4],
  [[840, 90], 3],
  [[1080, 90], 3],
  [[1140, 60], 2],
];

/** Neighbourhood centres (metres from the ward centre) with relative density. */
function neighbourhoods(rng: Rng) {
  return Array.from({ length: 14 }, () => ({
    x: (rng.next() * 2 - 1) * HALF_SIDE_M * 0.85,
    y: (rng.next() * 2 - 1) * HALF_SIDE_M * 0.85,
    spread: 500 + rng.next() * 900,
    weight: 0.5 + rng.next() * 2,
  }));
}

function pointIn(rng: Rng, hoods: ReturnType<typeof neighbourhoods>): { lat: number; lng: number } {
  let x: number;
  let y: number;
  if (rng.chance(0.2)) {
    x = (rng.next() * 2 - 1) * HALF_SIDE_M;
    y = (rng.next() * 2 - 1) * HALF_SIDE_M;
  } else {
    const h = rng.weighted(hoods.map((n) => [n, n.weight] as const));
    x = h.x + rng.normal() * h.spread;
    y = h.y + rng.normal() * h.spread;
  }
  x = Math.max(-HALF_SIDE_M, Math.min(HALF_SIDE_M, x));
  y = Math.max(-HALF_SIDE_M, Math.min(HALF_SIDE_M, y));
  return { lat: round6(CENTER.lat + y / M_PER_DEG_LAT), lng: round6(CENTER.lng + x / M_PER_DEG_LNG) };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const DAY_MS = 86_400_000;
/** Monday 2026-06-01 00:00 JST. */
export const DEFAULT_NOW = Date.UTC(2026, 4, 31, 15, 0, 0);

function localDate(now: number, day: number): string {
  return new Date(now + 9 * 3_600_000 + day * DAY_MS).toISOString().slice(0, 10);
}

export function generateResident(rng: Rng, id: string, now: number, hoods = neighbourhoods(rng)): SnapshotResident {
  const windows: WeeklyWindow[] = [];
  const nWindows = rng.weighted([[1, 2], [2, 4], [3, 3], [4, 2], [5, 1]] as const);
  for (let i = 0; i < nWindows; i++) {
    const [start, length] = rng.weighted(BLOCKS);
    windows.push({ weekday: rng.int(0, 6), startMinute: start, endMinute: Math.min(1440, start + length) });
  }
  const exceptions = [];
  if (rng.chance(0.12)) {
    const n = rng.int(1, 2);
    for (let i = 0; i < n; i++) {
      const day = rng.int(0, 13);
      if (rng.chance(0.7)) exceptions.push({ date: localDate(now, day), available: false, startMinute: null, endMinute: null });
      else {
        const [start, length] = rng.weighted(BLOCKS);
        exceptions.push({ date: localDate(now, day), available: true, startMinute: start, endMinute: start + length });
      }
    }
  }
  const skills: Record<string, number> = {};
  const nSkills = rng.weighted([[0, 3], [1, 4], [2, 3], [3, 1]] as const);
  for (let i = 0; i < nSkills; i++) skills[rng.pick(SKILLS)] = rng.weighted([[1, 3], [2, 2], [3, 1]] as const);
  const interests = new Set<string>();
  const nInterests = rng.int(1, 3);
  for (let i = 0; i < nInterests; i++) interests.add(rng.pick(CATEGORIES));
  const count = rng.weighted([[0, 4], [1, 1], [2, 1], [4, 1], [8, 1], [15, 1]] as const);
  const ratingByOrg: Record<string, number> = {};
  if (count > 0) {
    const n = rng.int(0, 2);
    for (let i = 0; i < n; i++) ratingByOrg[rng.pick(ORG_IDS)] = rng.int(2, 5);
  }
  return {
    id,
    registeredByOrgId: rng.weighted(ORGS),
    status: rng.chance(0.03) ? "PAUSED" : "ACTIVE",
    home: rng.chance(0.02) ? null : pointIn(rng, hoods),
    travelDistanceM: rng.weighted([[800, 2], [1200, 3], [2000, 4], [3000, 2], [5000, 1]] as const),
    weeklyHourCap: rng.chance(0.5) ? null : rng.int(2, 8),
    style: rng.chance(0.75) ? "REGISTERED" : "PER_EVENT",
    interests: [...interests],
    skills,
    windows,
    exceptions,
    participation: {
      count,
      lastAt: count === 0 ? null : now - rng.int(3, 400) * DAY_MS,
      ratingByOrg,
    },
  };
}

export function generateSnapshot(options: GenerateOptions): MatchingSnapshot {
  const rng = createRng(options.seed);
  const now = options.now ?? DEFAULT_NOW;
  const hoods = neighbourhoods(rng);
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  const residents: SnapshotResident[] = [];
  for (let i = 0; i < options.residents; i++) residents.push(generateResident(rng, `r${pad(i, 6)}`, now, hoods));

  const consents: SnapshotConsent[] = [];
  for (const r of residents) {
    if (!rng.chance(0.45)) continue;
    const n = rng.int(1, 4);
    for (let i = 0; i < n; i++) {
      const org = rng.weighted(ORGS);
      if (org === r.registeredByOrgId) continue;
      consents.push({
        residentId: r.id,
        organizationId: org,
        fields: ["name", "contact"],
        expiresAt: rng.chance(0.1) ? now - DAY_MS : null,
        revokedAt: rng.chance(0.05) ? now - 2 * DAY_MS : null,
      });
    }
  }

  const shifts: SnapshotShift[] = [];
  for (let t = 0; t < options.tasks; t++) {
    const taskId = `t${pad(t, 5)}`;
    const owner = rng.weighted(ORGS);
    const category = rng.pick(CATEGORIES);
    const remote = rng.chance(0.05);
    const point = remote ? null : pointIn(rng, hoods);
    const nPieces = rng.weighted([[1, 2], [2, 3], [3, 4], [4, 3], [5, 2], [6, 1]] as const);
    const day = rng.int(0, 13);
    const [start, length] = rng.weighted(PIECE_TIMES);
    const consecutive = rng.chance(0.5);
    for (let k = 0; k < nPieces; k++) {
      // Mosaic: consecutive time pieces, or parallel roles at the same time, sometimes another day.
      const d = rng.chance(0.2) ? rng.int(0, 13) : day;
      const s = consecutive ? start + k * length : start;
      const startsAt = now + d * DAY_MS + s * 60_000; // local minute s of local day d (now is 00:00 JST)
      const required: string[] = [];
      if (rng.chance(0.45)) required.push(rng.pick(SKILLS));
      if (rng.chance(0.05)) required.push(rng.pick(SKILLS));
      shifts.push({
        id: `${taskId}-p${k}`,
        taskId,
        ownerOrgId: owner,
        category,
        point,
        isRemote: remote,
        startsAt,
        endsAt: startsAt + length * 60_000,
        headcount: rng.weighted([[1, 5], [2, 4], [3, 2], [4, 1]] as const),
        requiredSkillIds: [...new Set(required)],
      });
    }
  }

  // A few matches already in the pipeline, and some declined pairs.
  const fixed: FixedMatch[] = [];
  const rejected: PairRef[] = [];
  for (const s of shifts) {
    if (rng.chance(0.04)) {
      const r = rng.pick(residents);
      fixed.push({ residentId: r.id, shiftId: s.id, startsAt: s.startsAt, endsAt: s.endsAt });
    }
    if (rng.chance(0.05)) rejected.push({ residentId: rng.pick(residents).id, shiftId: s.id });
  }

  return {
    timezoneOffsetMinutes: 540,
    residents,
    shifts,
    consents,
    fixed,
    rejected,
    previous: [],
    skills: SKILLS.map((id) => ({ id, nameJa: id.slice(6), nameEn: id.slice(6) })),
  };
}

/** A random availability edit of one resident (the benchmark's incremental workload). */
export function editAvailability(rng: Rng, resident: SnapshotResident, now: number): SnapshotResident {
  const windows = [...resident.windows];
  const exceptions = [...resident.exceptions];
  const kind = rng.weighted([["add", 3], ["remove", 3], ["move", 3], ["dayOff", 2]] as const);
  if (kind === "remove" && windows.length > 0) windows.splice(rng.int(0, windows.length - 1), 1);
  else if (kind === "move" && windows.length > 0) {
    const i = rng.int(0, windows.length - 1);
    const shift = rng.pick([-60, 60, -120, 120]);
    const w = windows[i];
    windows[i] = {
      weekday: w.weekday,
      startMinute: Math.max(0, Math.min(1380, w.startMinute + shift)),
      endMinute: Math.max(60, Math.min(1440, w.endMinute + shift)),
    };
  } else if (kind === "dayOff") {
    exceptions.push({ date: localDate(now, rng.int(0, 13)), available: false, startMinute: null, endMinute: null });
  } else {
    const [start, length] = rng.weighted(BLOCKS);
    windows.push({ weekday: rng.int(0, 6), startMinute: start, endMinute: Math.min(1440, start + length) });
  }
  return { ...resident, windows, exceptions };
}
