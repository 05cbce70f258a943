/**
 * Builders for tests and the benchmark: a seeded RNG, readable factories for residents, pieces
 * and snapshots, and random small instances for the optimality oracles. Not used by the engine.
 */
import type {
  MatchingSnapshot,
  SnapshotResident,
  SnapshotShift,
  WeeklyWindow,
} from "./types.ts";

/** sfc32: small, fast and seedable (the engine itself needs no randomness). */
export function createRng(seed: number) {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ Math.imul(seed, 31);
  let c = 0xb7e15162 ^ Math.imul(seed, 131);
  let d = 1;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
    /** Standard normal (Box–Muller). */
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    weighted: <T>(items: ReadonlyArray<readonly [T, number]>): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [item, w] of items) {
        x -= w;
        if (x < 0) return item;
      }
      return items[items.length - 1][0];
    },
  };
}
export type Rng = ReturnType<typeof createRng>;

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Monday 2026-06-01 00:00 in Asia/Tokyo (UTC+9). */
export const MONDAY = Date.UTC(2026, 4, 31, 15, 0, 0);
export const JST = 540;
/** 板橋区役所 (a point in the middle of a ward). */
export const ORIGIN = { lat: 35.7512, lng: 139.7093 };

/** A point `east` and `north` metres from {@link ORIGIN}. */
export function offset(east: number, north: number): { lat: number; lng: number } {
  const lat = ORIGIN.lat + north / 111_195;
  const lng = ORIGIN.lng + east / (111_195 * Math.cos((ORIGIN.lat * Math.PI) / 180));
  return { lat, lng };
}

/** Local JST instant: day 0 = Monday 2026-06-01, minute of the day. */
export function jst(day: number, minute: number): number {
  return MONDAY + day * DAY + minute * MINUTE;
}

export function resident(id: string, over: Partial<SnapshotResident> = {}): SnapshotResident {
  return {
    id,
    registeredByOrgId: "org-a",
    status: "ACTIVE",
    home: ORIGIN,
    travelDistanceM: 2000,
    weeklyHourCap: null,
    style: "REGISTERED",
    interests: [],
    skills: {},
    windows: allWeek(),
    exceptions: [],
    participation: { count: 3, lastAt: MONDAY - 10 * DAY },
    ...over,
  };
}

/** Free every day from `start` to `end` (minutes). */
export function allWeek(start = 0, end = 1440): WeeklyWindow[] {
  return [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: start, endMinute: end }));
}

export function shift(id: string, over: Partial<SnapshotShift> = {}): SnapshotShift {
  return {
    id,
    taskId: `task-${id}`,
    ownerOrgId: "org-a",
    category: "food",
    point: ORIGIN,
    isRemote: false,
    startsAt: jst(1, 600),
    endsAt: jst(1, 720),
    headcount: 1,
    requiredSkillIds: [],
    ...over,
  };
}

export function snapshot(over: Partial<MatchingSnapshot> = {}): MatchingSnapshot {
  return {
    timezoneOffsetMinutes: JST,
    residents: [],
    shifts: [],
    consents: [],
    fixed: [],
    rejected: [],
    previous: [],
    ...over,
  };
}

export interface RandomInstanceOptions {
  residents: number;
  shifts: number;
  /** Every pair feasible (everyone free all week, no skills, long travel, one organization). */
  allFeasible?: boolean;
  /** Headcount 1 and no overlapping-time structure needed (assignment instances). */
  onePiece?: boolean;
  /** Pieces over this many days (overlaps get likelier when fewer). */
  days?: number;
}

const CATEGORIES = ["food", "watch", "childcare", "social", "health"];
const SKILL_IDS = ["skill-cooking", "skill-driving", "skill-listening", "skill-digital"];

/** A small random instance for the oracles (sizes ≤ 60 × 30). */
export function randomInstance(seed: number, o: RandomInstanceOptions): MatchingSnapshot {
  const rng = createRng(seed);
  const orgs = o.allFeasible ? ["org-a"] : ["org-a", "org-b", "org-c"];
  const days = o.days ?? 3;
  const residents: SnapshotResident[] = [];
  for (let i = 0; i < o.residents; i++) {
    const windows: WeeklyWindow[] = [];
    if (o.allFeasible) windows.push(...allWeek());
    else {
      for (let k = rng.int(1, 4); k > 0; k--) {
        const start = rng.pick([480, 540, 600, 780, 840, 1080]);
        windows.push({ weekday: rng.int(0, 6), startMinute: start, endMinute: start + rng.pick([120, 180, 240, 360]) });
      }
    }
    const skills: Record<string, number> = {};
    for (let k = rng.int(0, 2); k > 0; k--) skills[rng.pick(SKILL_IDS)] = rng.int(1, 3);
    const count = rng.pick([0, 0, 1, 2, 5, 9]);
    residents.push({
      id: `r${String(i).padStart(3, "0")}`,
      registeredByOrgId: rng.pick(orgs),
      status: "ACTIVE",
      home: offset(rng.int(-1500, 1500), rng.int(-1500, 1500)),
      travelDistanceM: o.allFeasible ? 10_000 : rng.pick([800, 1500, 2500, 4000]),
      weeklyHourCap: o.allFeasible || rng.chance(0.5) ? null : rng.int(1, 6),
      style: rng.chance(0.7) ? "REGISTERED" : "PER_EVENT",
      interests: CATEGORIES.filter(() => rng.chance(0.3)),
      skills,
      windows,
      exceptions: !o.allFeasible && rng.chance(0.15)
        ? [{ date: new Date(MONDAY + 9 * HOUR + rng.int(0, days - 1) * DAY).toISOString().slice(0, 10), available: false }]
        : [],
      participation: {
        count,
        lastAt: count === 0 ? null : MONDAY - rng.int(1, 300) * DAY,
        ratingByOrg: count > 0 && rng.chance(0.5) ? { [rng.pick(orgs)]: rng.int(1, 5) } : {},
      },
    });
  }
  const shifts: SnapshotShift[] = [];
  for (let j = 0; j < o.shifts; j++) {
    const start = rng.pick([540, 600, 630, 660, 780, 840, 900, 1080]);
    const day = rng.int(0, days - 1);
    shifts.push({
      id: `s${String(j).padStart(3, "0")}`,
      taskId: `t${Math.floor(j / 3)}`,
      ownerOrgId: rng.pick(orgs),
      category: rng.pick(CATEGORIES),
      point: offset(rng.int(-1500, 1500), rng.int(-1500, 1500)),
      isRemote: !o.allFeasible && rng.chance(0.1),
      startsAt: jst(day, start),
      endsAt: jst(day, start + rng.pick([60, 90, 120, 180])),
      headcount: o.onePiece ? 1 : rng.int(1, 3),
      requiredSkillIds: !o.allFeasible && rng.chance(0.3) ? [rng.pick(SKILL_IDS)] : [],
    });
  }
  const consents = o.allFeasible
    ? []
    : residents.flatMap((r) =>
        rng.chance(0.4) ? [{ residentId: r.id, organizationId: rng.pick(orgs) }] : [],
      );
  return snapshot({
    residents,
    shifts,
    consents,
    skills: SKILL_IDS.map((id) => ({ id, nameJa: id.slice(6), nameEn: id.slice(6) })),
  });
}
