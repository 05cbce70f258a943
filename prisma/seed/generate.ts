/**
 * The demo platform as plain objects: a pure, deterministic function of `now` (and a PRNG seed).
 * Nothing here touches the database or the clock; `demo.ts` writes the result with createMany.
 *
 * Every row gets an explicit, stable id (`seed-res-001`, `seed-shift-<task>-03` …) so relations can
 * be wired before anything is written, and so tests and demos can name rows.
 */
import type { Prisma } from "../../server/db/generated/client.ts";
import type {
  IncentiveKind,
  MatchSource,
  MatchStage,
  ParticipationStyle,
  ResidentStatus,
} from "../../server/db/generated/enums.ts";
import { TASK_CATEGORIES, type TaskCategoryCode, categoryLabel } from "../../app/lib/categories.ts";
import type { ResidentPersonalField } from "../../app/lib/resident-fields.ts";
import { distanceM, randomPointInPolygon, randomPointNear, type GeoJsonPolygon } from "./geo.ts";
import {
  FAMILY_NAMES,
  FOREIGN_RESIDENTS,
  givenNamesFor,
  type GivenName,
} from "./names.ts";
import {
  DEMO_ACCOUNTS,
  DEMO_ORGANIZATIONS,
  DEMO_RESIDENT_ID,
  orgByKey,
  type OrgKey,
} from "./organizations.ts";
import { AREA_SPECS, DEMO_WORKSPACE, areaByKey, areaCenter, areaPolygon, type AreaKey, type AreaSpec } from "./places.ts";
import { createRng, hashSeed, type Rng } from "./random.ts";
import { DEMO_RESOURCES, type ResourceSpec } from "./resources.ts";
import { DEMO_SKILLS, skillId, skillName, type SkillCode } from "./skills.ts";
import { DEMO_TASKS, type RoleSpec, type TaskSpec } from "./tasks.ts";
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  WEEKDAY_EN,
  WEEKDAY_JA,
  jstCalendarDate,
  jstWeekday,
  parseHm,
  startOfJstDay,
} from "./time.ts";

/** The PRNG seed of the demo data set. Change it and every generated detail changes. */
export const DEFAULT_SEED = 20_250_401;
/** @default 320 */
export const DEFAULT_RESIDENT_COUNT = 320;
/** The demo platform was set up this many days before the seed day. */
export const PLATFORM_AGE_DAYS = 450;
/** How far ahead upcoming pieces are laid out. */
export const HORIZON_DAYS = 28;

export type DemoUser = Omit<Prisma.UserCreateManyInput, "passwordHash">;

export type DemoData = {
  /** Local midnight (JST) of the seed day: every relative date is computed from it. */
  day0: Date;
  workspace: Prisma.WorkspaceCreateManyInput;
  areas: Prisma.AreaCreateManyInput[];
  organizations: Prisma.OrganizationCreateManyInput[];
  /** Without passwordHash: hashing is slow and salted, so the writer adds it. */
  users: DemoUser[];
  memberships: Prisma.MembershipCreateManyInput[];
  skills: Prisma.SkillCreateManyInput[];
  residents: Prisma.ResidentCreateManyInput[];
  residentSkills: Prisma.ResidentSkillCreateManyInput[];
  availabilityWindows: Prisma.AvailabilityWindowCreateManyInput[];
  availabilityExceptions: Prisma.AvailabilityExceptionCreateManyInput[];
  resources: Prisma.ResourceCreateManyInput[];
  tasks: Prisma.TaskCreateManyInput[];
  shifts: Prisma.ShiftCreateManyInput[];
  shiftSkills: Prisma.ShiftSkillCreateManyInput[];
  matches: Prisma.MatchCreateManyInput[];
  matchEvents: Prisma.MatchEventCreateManyInput[];
  participations: Prisma.ParticipationCreateManyInput[];
  incentiveEntries: Prisma.IncentiveEntryCreateManyInput[];
  consents: Prisma.ConsentCreateManyInput[];
  /** 共同利用の公表: published notices of jointly used resident data. */
  jointUseNotices: Prisma.JointUseNoticeCreateManyInput[];
};

export type BuildOptions = {
  /** Any instant of the seed day; the data is laid out from that day's JST midnight. */
  now: Date;
  /** @default DEFAULT_SEED */
  seed?: number;
  /** @default DEFAULT_RESIDENT_COUNT */
  residentCount?: number;
};

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const round3 = (x: number) => Math.round(x * 1000) / 1000;

// ─────────────────────────── residents ───────────────────────────

type Profile = "teen" | "student" | "worker" | "homemaker" | "active_senior" | "senior";

/** Age bands, skewed like the people who actually register with a 社協 volunteer centre. */
const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[15, 19], 6], [[20, 29], 9], [[30, 39], 8], [[40, 49], 10], [[50, 59], 12],
  [[60, 69], 23], [[70, 79], 24], [[80, 89], 8],
];

const SKILL_ODDS: Record<Profile, Partial<Record<SkillCode, number>>> = {
  senior: { cooking: 0.35, listening: 0.3, gardening: 0.25, music: 0.1, disaster: 0.1, care_cert: 0.05, sign_language: 0.03, pr: 0.03, physical: 0.03, driving: 0.05, first_aid: 0.05, digital: 0.03 },
  active_senior: { cooking: 0.3, listening: 0.25, gardening: 0.25, driving: 0.35, physical: 0.2, disaster: 0.2, care_cert: 0.1, digital: 0.1, pr: 0.08, music: 0.1, first_aid: 0.1, lang_en: 0.05, sign_language: 0.03, tutoring: 0.08 },
  worker: { driving: 0.4, digital: 0.35, physical: 0.25, pr: 0.12, first_aid: 0.15, lang_en: 0.15, disaster: 0.1, cooking: 0.15, tutoring: 0.1, music: 0.08, lang_zh: 0.02, care_cert: 0.05, listening: 0.08 },
  homemaker: { cooking: 0.55, childcare: 0.45, tutoring: 0.15, digital: 0.15, listening: 0.2, driving: 0.3, care_cert: 0.1, pr: 0.08, music: 0.08, lang_en: 0.08, first_aid: 0.08, gardening: 0.1 },
  student: { tutoring: 0.5, childcare: 0.3, digital: 0.45, lang_en: 0.3, music: 0.2, pr: 0.2, physical: 0.25, first_aid: 0.1, sign_language: 0.05, lang_zh: 0.03, cooking: 0.1 },
  teen: { childcare: 0.25, music: 0.3, digital: 0.3, physical: 0.25, tutoring: 0.1, lang_en: 0.15 },
};

const INTEREST_WEIGHTS: Record<Profile, Partial<Record<TaskCategoryCode, number>>> = {
  senior: { watch: 3, social: 4, health: 4, food: 2, environment: 2, culture: 2, livelihood: 2, disaster: 1, childcare: 1 },
  active_senior: { watch: 3, social: 3, environment: 3, food: 3, disaster: 2, mobility: 2, livelihood: 2, health: 2, childcare: 2, learning: 1, culture: 1 },
  worker: { disaster: 3, environment: 3, food: 2, childcare: 2, learning: 2, culture: 2, mobility: 1, social: 1, livelihood: 1 },
  homemaker: { childcare: 4, food: 4, learning: 3, social: 2, health: 2, environment: 1, watch: 1 },
  student: { learning: 4, childcare: 3, culture: 3, disaster: 2, social: 2, environment: 2, food: 1 },
  teen: { culture: 3, childcare: 2, environment: 3, learning: 2, social: 1, disaster: 1 },
};

/** Skills that make a related interest likely. */
const SKILL_INTEREST: Partial<Record<SkillCode, TaskCategoryCode>> = {
  cooking: "food", driving: "mobility", listening: "watch", childcare: "childcare", tutoring: "learning",
  care_cert: "health", gardening: "environment", disaster: "disaster", music: "culture",
};

const NOTES: Record<Profile, readonly string[]> = {
  senior: [
    "膝が悪いので長い階段は難しい", "平日午前のみ希望", "電話での連絡を希望(メールは使わない)",
    "補聴器を使用。ゆっくり話してほしい", "元・小学校教員", "町内会の役員経験あり", "夕方以降は外出しない",
  ],
  active_senior: [
    "元・調理師", "元・看護師。健康相談にも協力したい", "車を持っている。送迎に協力可", "民生委員を務めている",
    "孫の送り迎えがある日は不可", "退職したばかり。まずは見学から", "元・消防団員",
  ],
  worker: [
    "平日は仕事のため夜と週末のみ", "在宅勤務の日は昼休みに短時間なら可", "会社のボランティア休暇を使う予定",
    "シフト勤務のため直前の連絡になることがある",
  ],
  homemaker: ["子どもが小学生。下校時間までなら可", "保育士資格あり", "未就学児連れで参加したい", "パート勤務のない曜日のみ"],
  student: [
    "教育学部。教員志望", "活動証明書を就職活動に使いたい", "試験期間(1月・7月)は参加できない", "軽音楽サークル所属",
  ],
  teen: ["高校のボランティア部", "保護者の同意あり", "部活のない日のみ"],
};

const SPECIAL_CARE = [
  "要支援1", "要支援1", "要支援2", "要支援2", "要介護1", "聴覚障害(身体障害者手帳4級)",
  "持病あり(心臓・ペースメーカー)", "要支援1",
] as const;

const APARTMENTS = ["コーポ若葉", "グリーンハイツ", "サンライズみどり", "メゾン桜川", "パークサイド東台", "ハイム本町"];
const EXCEPTION_NOTES = ["通院", "旅行", "家族の用事", "法事", "孫の運動会", "地域の会合", "町内会の当番"] as const;

type ResidentDraft = Prisma.ResidentCreateManyInput & {
  age: number;
  profile: Profile;
  skillLevels: Map<SkillCode, number>;
  windows: { weekday: number; startMinute: number; endMinute: number }[];
  exceptions: { date: Date; available: boolean; startMinute: number | null; endMinute: number | null }[];
  homeAreaKey: AreaKey;
};

function profileFor(rng: Rng, age: number, female: boolean): Profile {
  if (age < 18) return "teen";
  if (age < 23) return rng.chance(0.9) ? "student" : "worker";
  if (age < 60) return rng.chance(female ? 0.4 : 0.08) ? "homemaker" : "worker";
  if (age < 75) return age < 65 && rng.chance(0.45) ? "worker" : "active_senior";
  return "senior";
}

function pickDistinctWeighted<T>(rng: Rng, weights: readonly (readonly [T, number])[], n: number): T[] {
  const pool = weights.filter(([, w]) => w > 0).map(([item, w]) => [item, w] as const);
  const chosen: T[] = [];
  while (chosen.length < n && pool.length > 0) {
    const item = rng.weighted(pool);
    chosen.push(item);
    pool.splice(pool.findIndex(([x]) => x === item), 1);
  }
  return chosen;
}

/** Weekly free slots by profile: mornings and afternoons for seniors, evenings and weekends for workers. */
function availabilityFor(rng: Rng, profile: Profile): { weekday: number; startMinute: number; endMinute: number }[] {
  const windows: { weekday: number; startMinute: number; endMinute: number }[] = [];
  const add = (weekday: number, start: number, end: number) => windows.push({ weekday, startMinute: start, endMinute: end });
  const morning = () => [rng.pick([480, 540, 570, 600]), rng.pick([690, 720, 720])] as const;
  const afternoon = () => [rng.pick([780, 810, 840]), rng.pick([960, 1020, 1020, 1080, 1110])] as const;
  const daytime = (days: number[], n: number, mix: { full: number; split: number }) => {
    for (const weekday of rng.sample(days, n).sort()) {
      const r = rng.next();
      if (r < mix.full) add(weekday, rng.pick([540, 570, 600]), rng.pick([1020, 1080, 1110]));
      else if (r < mix.full + mix.split) {
        const [ms, me] = morning();
        const [as, ae] = afternoon();
        add(weekday, ms, me);
        add(weekday, as, ae);
      } else if (rng.chance(0.55)) add(weekday, ...morning());
      else add(weekday, ...afternoon());
    }
  };
  switch (profile) {
    case "senior":
      daytime([1, 2, 3, 4, 5, 6], rng.int(2, 4), { full: 0.15, split: 0.15 });
      break;
    case "active_senior":
      daytime([1, 2, 3, 4, 5, 6, 0], rng.int(3, 5), { full: 0.3, split: 0.2 });
      if (rng.chance(0.15)) {
        // Early birds: rubbish-day help and flower watering happen before 9:00.
        const day = rng.pick([1, 4, 6]);
        if (!windows.some((w) => w.weekday === day && w.startMinute < 540)) {
          const taken = windows.filter((w) => w.weekday === day);
          const end = Math.min(540, ...taken.map((w) => w.startMinute));
          add(day, 420, end);
        }
      }
      break;
    case "worker": {
      for (const weekday of rng.sample([1, 2, 3, 4, 5], rng.int(1, 3)).sort()) {
        add(weekday, rng.pick([1050, 1080, 1110]), rng.pick([1230, 1260, 1290]));
      }
      if (rng.chance(0.75)) add(6, rng.pick([480, 540, 600]), rng.pick([720, 1020, 1080]));
      if (rng.chance(0.55)) add(0, rng.pick([480, 540, 600]), rng.pick([720, 900, 1020]));
      if (rng.chance(0.15)) {
        const day = rng.pick([1, 3, 4]);
        if (!windows.some((w) => w.weekday === day && w.startMinute < 540)) add(day, 420, 510);
      }
      break;
    }
    case "homemaker":
      for (const weekday of rng.sample([1, 2, 3, 4, 5], rng.int(2, 4)).sort()) {
        add(weekday, rng.pick([540, 570, 600]), rng.pick([840, 900, 960, 1140]));
      }
      if (rng.chance(0.35)) add(6, rng.pick([540, 600]), rng.pick([720, 900]));
      break;
    case "student":
      for (const weekday of rng.sample([1, 2, 3, 4, 5], rng.int(2, 3)).sort()) {
        if (rng.chance(0.3)) add(weekday, 780, rng.pick([1140, 1200]));
        else add(weekday, rng.pick([960, 990, 1020]), rng.pick([1200, 1260, 1290]));
      }
      add(6, rng.pick([480, 540, 600]), rng.pick([1020, 1080]));
      if (rng.chance(0.5)) add(0, rng.pick([540, 600]), rng.pick([900, 1020]));
      break;
    case "teen":
      for (const weekday of rng.sample([1, 2, 3, 4, 5], rng.int(1, 2)).sort()) {
        add(weekday, rng.pick([960, 990]), rng.pick([1110, 1140]));
      }
      add(6, rng.pick([540, 600]), rng.pick([960, 1020]));
      if (rng.chance(0.5)) add(0, 600, rng.pick([900, 960]));
      break;
  }
  return windows.sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
}

function travelDistanceFor(rng: Rng, profile: Profile, age: number, drives: boolean): number {
  const [min, max] = {
    senior: [500, 1200],
    active_senior: [800, 2500],
    teen: [800, 2000],
    student: [1000, 4000],
    worker: [1500, 5000],
    homemaker: [1000, 3000],
  }[profile];
  let metres = rng.int(min / 100, max / 100) * 100;
  if (age >= 85) metres = Math.min(metres, 800);
  if (drives) metres = Math.min(5000, metres + 1500);
  return metres;
}

function hourCapFor(rng: Rng, profile: Profile): number | null {
  const [p, values] = {
    worker: [0.5, [2, 3, 4]],
    student: [0.5, [3, 4, 6]],
    homemaker: [0.4, [4, 6, 8]],
    active_senior: [0.3, [6, 8, 10]],
    senior: [0.3, [2, 3, 4]],
    teen: [0.6, [2, 3]],
  }[profile] as [number, number[]];
  return rng.chance(p) ? rng.pick(values) : null;
}

function registeringOrgFor(rng: Rng, profile: Profile, area: AreaKey): OrgKey {
  const neighborhood: OrgKey | null =
    area === "kitayama" ? "kitayama" : area === "higashidai" ? "higashidai" : area === "sakuragawa" ? "sakuragawa" : null;
  const table: [OrgKey | "neighborhood", number][] = {
    teen: [["shakyo", 5], ["neighborhood", 5]],
    student: [["university", 8], ["shakyo", 2]],
    worker: [["shakyo", 4], ["neighborhood", 2.5], ["supermarket", 0.8], ["shinkin", 0.7], ["npo_food", 1], ["npo_mobility", 1]],
    homemaker: [["shakyo", 3.5], ["npo_food", 3], ["neighborhood", 2.5], ["city", 1]],
    active_senior: [["shakyo", 4], ["neighborhood", 3.5], ["npo_mobility", 1], ["houkatsu", 0.5], ["city", 1]],
    senior: [["shakyo", 4.5], ["neighborhood", 3.5], ["houkatsu", 1.5], ["city", 0.5]],
  }[profile] as [OrgKey | "neighborhood", number][];
  const choice = rng.weighted(table);
  if (choice === "neighborhood") return neighborhood ?? "shakyo";
  return choice;
}

function fakeAddress(rng: Rng, area: AreaSpec, options: { apartments?: boolean } = {}): string {
  const town = rng.pick(area.towns);
  const base = `みどり区${town}${rng.int(1, 4)}丁目${rng.int(1, 28)}-${rng.int(1, 24)}`;
  if (!options.apartments) return base;
  if (area.key === "kitayama" && rng.chance(0.3)) return `${base} 北山団地${rng.int(1, 18)}号棟${rng.int(1, 5)}0${rng.int(1, 8)}`;
  if (rng.chance(0.15)) return `${base} ${rng.pick(APARTMENTS)}${rng.int(1, 4)}0${rng.int(1, 6)}号室`;
  return base;
}

function buildResidents(
  seed: number,
  count: number,
  day0: number,
  polygons: Map<AreaKey, GeoJsonPolygon>,
  places: Map<string, { lat: number; lng: number }>,
): ResidentDraft[] {
  const rng = createRng(hashSeed(seed, "residents"));
  const year = new Date(day0 + 9 * HOUR_MS).getUTCFullYear();
  const codePool = rng.sample(
    Array.from({ length: 8 * 999 }, (_, i) => i),
    count,
  );
  const foreignSlots = new Map<number, (typeof FOREIGN_RESIDENTS)[number]>(
    FOREIGN_RESIDENTS.map((person, k) => [23 + k * 43, person]),
  );
  const areaWeights = AREA_SPECS.map((a) => [a, a.population] as const);
  const residents: ResidentDraft[] = [];

  for (let i = 1; i <= count; i++) {
    const id = `seed-res-${pad(i, 3)}`;
    const code = codePool[i - 1];
    const publicCode = `${"ABCDEFGH"[Math.floor(code / 999)]}${pad((code % 999) + 1, 3)}`;
    const foreign = foreignSlots.get(i);

    let area = rng.weighted(areaWeights);
    let age: number;
    let female: boolean;
    if (i === 1) {
      area = areaByKey("kitayama");
      age = 72;
      female = true;
    } else if (foreign) {
      age = foreign.age;
      female = foreign.female;
    } else {
      const [lo, hi] = rng.weighted(AGE_BANDS);
      age = rng.int(lo, hi);
      female = rng.chance(age >= 60 ? 0.56 : 0.5);
    }
    const birthYear = year - age;
    const profile = i === 1 ? "senior" : profileFor(rng, age, female);

    let displayName: string;
    let nameKana: string;
    let romaji: string;
    if (i === 1) {
      [displayName, nameKana, romaji] = ["佐藤 和子", "サトウ カズコ", "sato"];
    } else if (foreign) {
      [displayName, nameKana, romaji] = [foreign.name, foreign.kana, foreign.romaji];
    } else {
      const family = rng.pick(FAMILY_NAMES);
      const given: GivenName = rng.pick(female ? givenNamesFor(birthYear).female : givenNamesFor(birthYear).male);
      displayName = `${family[0]} ${given[0]}`;
      nameKana = `${family[1]} ${given[1]}`;
      romaji = family[2];
    }

    const polygon = polygons.get(area.key)!;
    const home =
      i === 1
        ? randomPointNear(rng, polygon, places.get("kitayama-hall")!, 350)
        : randomPointInPolygon(rng, polygon);

    // Skills
    const skillLevels = new Map<SkillCode, number>();
    if (i === 1) {
      skillLevels.set("cooking", 3).set("listening", 2).set("gardening", 1);
    } else {
      const odds = SKILL_ODDS[profile];
      for (const skill of rng.shuffle(Object.keys(odds) as SkillCode[])) {
        if (skillLevels.size >= 4) break;
        if (skill === "driving" && age < 20) continue;
        if (rng.chance(odds[skill]!)) {
          let level: number = rng.weighted([[1, 50], [2, 35], [3, 15]] as const);
          if (skill === "care_cert") level = 3;
          if (skill === "first_aid") level = 2;
          if (profile === "senior" && skill === "cooking") level = Math.max(level, 2);
          skillLevels.set(skill, level);
        }
      }
      if (foreign) {
        skillLevels.set(foreign.language as SkillCode, 3);
        if (foreign.language !== "lang_en" && rng.chance(0.5)) skillLevels.set("lang_en", 2);
      }
    }

    // Interests
    let interests: string[];
    if (i === 1) interests = ["food", "social", "watch", "childcare"];
    else if (foreign) interests = rng.sample(["social", "childcare", "learning", "food", "disaster"], rng.int(2, 3));
    else {
      const weights = Object.entries(INTEREST_WEIGHTS[profile]) as [TaskCategoryCode, number][];
      interests = pickDistinctWeighted(rng, weights, rng.weighted([[1, 2], [2, 4], [3, 3], [4, 1]] as const));
      for (const skill of skillLevels.keys()) {
        const related = SKILL_INTEREST[skill];
        if (related && !interests.includes(related) && interests.length < 4 && rng.chance(0.5)) interests.push(related);
      }
    }
    const categoryOrder = TASK_CATEGORIES.map((c) => c.code as string);
    interests.sort((a, b) => categoryOrder.indexOf(a) - categoryOrder.indexOf(b));

    const windows =
      i === 1
        ? [
            { weekday: 2, startMinute: 540, endMinute: 720 },
            { weekday: 3, startMinute: 540, endMinute: 720 },
            { weekday: 4, startMinute: 780, endMinute: 1020 },
            { weekday: 6, startMinute: 540, endMinute: 840 },
          ]
        : availabilityFor(rng, foreign ? (foreign.age < 30 ? "student" : "worker") : profile);

    const exceptions: ResidentDraft["exceptions"] = [];
    if (i !== 1 && rng.chance(0.12)) {
      for (const offset of rng.sample(Array.from({ length: HORIZON_DAYS - 1 }, (_, k) => k + 1), rng.int(1, 2)).sort((a, b) => a - b)) {
        exceptions.push({ date: jstCalendarDate(day0 + offset * DAY_MS), available: false, startMinute: null, endMinute: null });
      }
    } else if (i !== 1 && rng.chance(0.05)) {
      const offset = rng.int(2, HORIZON_DAYS - 1);
      exceptions.push({ date: jstCalendarDate(day0 + offset * DAY_MS), available: true, startMinute: 780, endMinute: 1020 });
    }

    const drives = skillLevels.has("driving");
    const registeredBy: OrgKey =
      i === 1 ? "shakyo" : foreign ? (rng.chance(0.6) ? "city" : "npo_food") : registeringOrgFor(rng, profile, area.key);
    const style: ParticipationStyle =
      i !== 1 && rng.chance({ student: 0.35, worker: 0.3, teen: 0.3, homemaker: 0.15, active_senior: 0.1, senior: 0.08 }[profile])
        ? "PER_EVENT"
        : "REGISTERED";

    const hasEmail = i === 1 || rng.chance(age >= 80 ? 0.3 : age >= 70 ? 0.55 : 0.92);
    const hasPhone = i === 1 || age >= 75 || rng.chance(0.95);
    let notes: string | null = null;
    if (foreign) notes = "やさしい日本語での連絡を希望";
    else if (i === 1) notes = "調理が得意。北山の見守りにも関心あり";
    else if (rng.chance(0.2)) notes = rng.pick(NOTES[profile]);

    residents.push({
      id,
      workspaceId: DEMO_WORKSPACE.id,
      registeredByOrgId: orgByKey(registeredBy).id,
      userId: i === 1 ? DEMO_ACCOUNTS.find((a) => a.residentId === DEMO_RESIDENT_ID)!.userId : null,
      publicCode,
      displayName,
      nameKana,
      email: i === 1 ? "resident@tsunagu.example" : hasEmail ? `${romaji}.${publicCode.toLowerCase()}@example.jp` : null,
      phone: hasPhone ? `${i % 2 === 0 ? "080" : "090"}-0000-${pad(i, 4)}` : null,
      address: fakeAddress(rng, area, { apartments: true }),
      birthYear,
      homeAreaId: area.id,
      homeLat: home.lat,
      homeLng: home.lng,
      travelDistanceM: i === 1 ? 1500 : travelDistanceFor(rng, profile, age, drives),
      weeklyHourCap: i === 1 ? 4 : hourCapFor(rng, profile),
      style,
      interests,
      notes,
      specialCare: null,
      status: "ACTIVE",
      createdAt: new Date(day0 - (i === 1 ? 400 : rng.int(3, PLATFORM_AGE_DAYS - 10)) * DAY_MS - rng.int(9, 17) * HOUR_MS),
      age,
      profile,
      skillLevels,
      windows,
      exceptions,
      homeAreaKey: area.key,
    });
  }

  // A few residents with 要配慮個人情報 (fictional), and a few who paused or left.
  const seniors = residents.filter((r) => r.id !== DEMO_RESIDENT_ID && r.age >= 72);
  const careRng = createRng(hashSeed(seed, "special-care"));
  const withCare = careRng.sample(seniors, SPECIAL_CARE.length);
  withCare.forEach((r, k) => {
    r.specialCare = SPECIAL_CARE[k];
    if (SPECIAL_CARE[k].startsWith("聴覚")) r.skillLevels.set("sign_language", 3);
  });
  const others = careRng.sample(
    residents.filter((r) => r.id !== DEMO_RESIDENT_ID && !r.specialCare),
    10,
  );
  others.forEach((r, k) => {
    r.status = (k < 3 ? "LEFT" : "PAUSED") satisfies ResidentStatus;
    r.notes = k < 3 ? "転居のため退会" : (r.notes ?? "しばらく活動を休止(家族の介護)");
  });
  return residents;
}

// ─────────────────────────── tasks and shifts ───────────────────────────

type Occurrence = { day: number; from: string; to: string };

/** Days (relative to day0) on which a schedule happens, upcoming and past. */
function occurrences(spec: TaskSpec, weekdayOf: (day: number) => number): Occurrence[] {
  const s = spec.schedule;
  const firstOn = (weekday: number | undefined, after: number) => {
    for (let d = after; d < after + 7; d++) if (weekday === undefined || weekdayOf(d) === weekday) return d;
    throw new Error("unreachable");
  };
  switch (s.kind) {
    case "weekly": {
      const step = (s.every ?? 1) * 7;
      const out: Occurrence[] = [];
      for (const weekday of s.weekdays) {
        const first = firstOn(weekday, 0);
        for (let k = s.history ?? 0; k >= 1; k--) out.push({ day: first - k * step, from: s.from, to: s.to });
        for (let d = first; d < HORIZON_DAYS; d += step) out.push({ day: d, from: s.from, to: s.to });
      }
      return out.sort((a, b) => a.day - b.day);
    }
    case "monthly": {
      const day = firstOn(s.weekday, s.after);
      const out: Occurrence[] = [];
      for (let k = s.history ?? 0; k >= 1; k--) out.push({ day: day - 28 * k, from: s.from, to: s.to });
      out.push({ day, from: s.from, to: s.to });
      return out;
    }
    case "dates":
      return s.dates.map((d) => ({ day: firstOn(d.weekday, d.after), from: d.from, to: d.to })).sort((a, b) => a.day - b.day);
    case "past":
      return s.dates.map((d) => ({ day: -d.daysAgo, from: d.from, to: d.to })).sort((a, b) => a.day - b.day);
  }
}

function recurrenceText(spec: TaskSpec): string | null {
  const s = spec.schedule;
  const window = (from: string, to: string) => `${from}–${to}`;
  if (s.kind === "weekly") {
    const days = s.weekdays.map((d) => WEEKDAY_JA[d]).join("・");
    return `${s.every === 2 ? "隔週" : "毎週"}${days}曜 ${window(s.from, s.to)}`;
  }
  if (s.kind === "monthly") return `月1回 ${WEEKDAY_JA[s.weekday]}曜 ${window(s.from, s.to)}`;
  return null;
}

// ─────────────────────────── matching helpers ───────────────────────────

type ShiftInfo = {
  row: Prisma.ShiftCreateManyInput & { startsAt: Date; endsAt: Date };
  task: Prisma.TaskCreateManyInput;
  spec: TaskSpec;
  skills: SkillCode[];
  start: number;
  end: number;
  weekday: number;
  startMinute: number;
  endMinute: number;
};

function availableFor(r: ResidentDraft, s: ShiftInfo): boolean {
  const date = jstCalendarDate(s.start).getTime();
  for (const e of r.exceptions) {
    if (e.date.getTime() !== date) continue;
    if (!e.available && (e.startMinute === null || (e.startMinute < s.endMinute && (e.endMinute ?? 1440) > s.startMinute))) {
      return false;
    }
    if (e.available && (e.startMinute ?? 0) <= s.startMinute && (e.endMinute ?? 1440) >= s.endMinute) return true;
  }
  return r.windows.some((w) => w.weekday === s.weekday && w.startMinute <= s.startMinute && w.endMinute >= s.endMinute);
}

type Evaluation = {
  score: number;
  breakdown: Record<string, number | boolean | string[] | null>;
  explanationJa: string;
  explanationEn: string;
};

function evaluate(r: ResidentDraft, s: ShiftInfo, pastCount: number): Evaluation | null {
  if (r.status !== "ACTIVE") return null;
  if (!s.skills.every((k) => r.skillLevels.has(k))) return null;
  if (s.task.visibility === "ORG" && r.registeredByOrgId !== s.task.ownerOrgId) return null;
  if (!availableFor(r, s)) return null;
  const remote = s.task.isRemote === true;
  const metres = remote ? 0 : Math.round(distanceM(r.homeLat!, r.homeLng!, s.task.lat!, s.task.lng!));
  if (!remote && metres > r.travelDistanceM!) return null;

  const interests = r.interests as string[];
  const skillFit = s.skills.length === 0 ? 0.5 : s.skills.reduce((sum, k) => sum + r.skillLevels.get(k)! / 3, 0) / s.skills.length;
  const interestFit = interests.includes(s.task.category) ? 1 : 0;
  const distanceFit = remote ? 1 : 1 - metres / r.travelDistanceM!;
  const window = r.windows.find((w) => w.weekday === s.weekday && w.startMinute <= s.startMinute && w.endMinute >= s.endMinute);
  const slack = window ? window.endMinute - window.startMinute - (s.endMinute - s.startMinute) : 0;
  const timeFit = Math.max(0.3, 1 - slack / 480);
  const firstTime = pastCount === 0;
  const styleFit = r.style === "REGISTERED" ? 1 : 0.6;
  const parts = {
    skill: round3(0.3 * skillFit),
    interest: round3(0.15 * interestFit),
    distance: round3(0.2 * distanceFit),
    time: round3(0.1 * timeFit),
    firstTime: firstTime ? 0.1 : 0,
    continuity: firstTime ? 0 : round3(Math.min(0.1, 0.03 * pastCount)),
    fairness: 0,
    style: round3(0.05 * styleFit),
  };
  const score = round3(Object.values(parts).reduce((a, b) => a + b, 0));

  const ja: string[] = [];
  const en: string[] = [];
  if (s.skills.length > 0) {
    ja.push(`${s.skills.map((k) => skillName(k, "ja")).join("・")}スキル一致`);
    en.push(`${s.skills.map((k) => skillName(k, "en")).join(" & ")} skill match`);
  } else if (interestFit) {
    ja.push(`「${categoryLabel(s.task.category, "ja")}」に関心`);
    en.push(`Interested in ${categoryLabel(s.task.category, "en").toLowerCase()}`);
  }
  const walk = Math.max(1, Math.ceil(metres / 80));
  if (remote) {
    ja.push("在宅で参加できる");
    en.push("Can join from home");
  } else if (walk <= 20) {
    ja.push(`徒歩${walk}分`);
    en.push(`${walk} min walk`);
  } else {
    ja.push(`約${(metres / 1000).toFixed(1)}km`);
    en.push(`${(metres / 1000).toFixed(1)} km away`);
  }
  const part = s.startMinute < 720 ? ["午前", "morning"] : s.startMinute < 1020 ? ["午後", "afternoon"] : ["夕方以降", "evening"];
  ja.push(`${WEEKDAY_JA[s.weekday]}曜${part[0]}に空き`);
  en.push(`Free ${WEEKDAY_EN[s.weekday]} ${part[1]}`);
  if (firstTime) {
    ja.push("初参加");
    en.push("First time");
  } else {
    ja.push(`参加${pastCount + 1}回目`);
    en.push(`Returning (${pastCount} before)`);
  }
  return {
    score,
    breakdown: { ...parts, total: score, distanceM: remote ? null : metres, walkMinutes: remote ? null : walk, skills: s.skills },
    explanationJa: ja.join("・"),
    explanationEn: en.join(" · "),
  };
}

const STAGE_PATH: MatchStage[] = ["SUGGESTED", "CONTACTING", "ARRANGING", "CONFIRMED", "ACTIVE", "COMPLETED"];

/** The stages a card went through to reach `stage`. */
function stagePath(stage: MatchStage): MatchStage[] {
  if (stage === "DECLINED") return ["SUGGESTED", "CONTACTING", "DECLINED"];
  if (stage === "WITHDRAWN") return ["SUGGESTED", "CONTACTING", "ARRANGING", "CONFIRMED", "WITHDRAWN"];
  return STAGE_PATH.slice(0, STAGE_PATH.indexOf(stage) + 1);
}

const STAGE_NOTES: Partial<Record<MatchStage, string>> = {
  CONTACTING: "電話で参加の意向を確認中",
  ARRANGING: "当日の持ち物と集合時間を調整中",
  CONFIRMED: "参加確定。前日にリマインド予定",
  ACTIVE: "当日の活動中",
  COMPLETED: "無事に終了。お礼の連絡済み",
  DECLINED: "この日は都合が合わないとのこと",
  WITHDRAWN: "体調不良のため辞退の連絡あり",
};

const CONSENT_PURPOSES: Record<OrgKey, string> = {
  city: "防災訓練・避難支援の計画づくりのため",
  shakyo: "ボランティア活動の連絡調整のため",
  npo_food: "こども食堂ボランティアの連絡調整のため",
  npo_mobility: "送迎ボランティアの配車と連絡のため",
  supermarket: "店頭イベントのスタッフ連絡のため",
  shinkin: "合同清掃・講習会の参加連絡のため",
  university: "学生との協働活動の連絡のため",
  kitayama: "町内会の見守り・防災活動の連絡のため",
  higashidai: "自治会行事のスタッフ連絡のため",
  sakuragawa: "連合自治会の防災活動の連絡のため",
  houkatsu: "見守り活動における状況共有のため",
};

/** Users who act for an organization on the board (its first ADMIN or COORDINATOR), else the 社協 coordinator. */
function actorFor(orgId: string): string {
  const account = DEMO_ACCOUNTS.find((a) => a.organizationId === orgId && (a.role === "COORDINATOR" || a.role === "ADMIN"));
  return account?.userId ?? "seed-user-coordinator";
}

// ─────────────────────────── the whole data set ───────────────────────────

export function buildDemoData(options: BuildOptions): DemoData {
  const seed = options.seed ?? DEFAULT_SEED;
  const residentCount = options.residentCount ?? DEFAULT_RESIDENT_COUNT;
  const day0 = startOfJstDay(options.now).getTime();
  const nowMs = day0;
  const at = (day: number, minute: number) => new Date(day0 + day * DAY_MS + minute * MINUTE_MS);
  const weekdayOf = (day: number) => jstWeekday(day0 + day * DAY_MS);

  // Workspace and areas
  const founded = new Date(day0 - PLATFORM_AGE_DAYS * DAY_MS + 10 * HOUR_MS);
  const workspace: Prisma.WorkspaceCreateManyInput = { ...DEMO_WORKSPACE, version: 0, createdAt: founded };
  const polygons = new Map<AreaKey, GeoJsonPolygon>(AREA_SPECS.map((a) => [a.key, areaPolygon(a)]));
  const areas: Prisma.AreaCreateManyInput[] = AREA_SPECS.map((a) => {
    const center = areaCenter(a);
    return {
      id: a.id,
      workspaceId: DEMO_WORKSPACE.id,
      code: a.code,
      name: a.name,
      nameEn: a.nameEn,
      polygon: polygons.get(a.key)!,
      centerLat: center.lat,
      centerLng: center.lng,
      population: a.population,
      households: a.households,
      createdAt: founded,
    };
  });

  const organizations: Prisma.OrganizationCreateManyInput[] = DEMO_ORGANIZATIONS.map((o) => ({
    id: o.id,
    workspaceId: DEMO_WORKSPACE.id,
    kind: o.kind,
    name: o.name,
    nameEn: o.nameEn,
    description: o.description,
    createdAt: founded,
  }));

  const users: DemoUser[] = DEMO_ACCOUNTS.map((a) => ({
    id: a.userId,
    email: a.email.toLowerCase(),
    displayName: a.displayName,
    locale: "ja",
    createdAt: founded,
  }));
  const memberships: Prisma.MembershipCreateManyInput[] = DEMO_ACCOUNTS.filter((a) => a.role && a.organizationId).map((a) => ({
    id: `seed-mem-${a.userId.slice("seed-user-".length)}`,
    userId: a.userId,
    organizationId: a.organizationId!,
    role: a.role!,
    createdAt: founded,
  }));

  const skills: Prisma.SkillCreateManyInput[] = DEMO_SKILLS.map((s) => ({
    id: skillId(s.code),
    workspaceId: DEMO_WORKSPACE.id,
    code: s.code,
    nameJa: s.nameJa,
    nameEn: s.nameEn,
  }));

  // Resources: places first, then what is held at them.
  const resourceRng = createRng(hashSeed(seed, "resources"));
  const placed = new Map<string, { lat: number; lng: number; address: string }>();
  const resourceByKey = new Map<string, ResourceSpec>(DEMO_RESOURCES.map((r) => [r.key, r]));
  const locate = (spec: ResourceSpec): { lat: number; lng: number; address: string } => {
    const known = placed.get(spec.key);
    if (known) return known;
    const polygon = polygons.get(spec.area)!;
    let position: { lat: number; lng: number; address: string };
    if (spec.at) {
      const host = resourceByKey.get(spec.at);
      if (!host) throw new Error(`resource ${spec.key} is at unknown ${spec.at}`);
      if (host.area !== spec.area) throw new Error(`resource ${spec.key} is not in the area of ${spec.at}`);
      const hostPosition = locate(host);
      const near = randomPointNear(resourceRng, polygon, hostPosition, 20);
      position = { ...near, address: hostPosition.address };
    } else {
      const point = randomPointInPolygon(resourceRng, polygon, 0.0012);
      position = { ...point, address: fakeAddress(resourceRng, areaByKey(spec.area)) };
    }
    placed.set(spec.key, position);
    return position;
  };
  const resources: Prisma.ResourceCreateManyInput[] = DEMO_RESOURCES.map((spec, k) => {
    const position = locate(spec);
    const owner = spec.owner ? orgByKey(spec.owner) : null;
    return {
      id: `seed-rsc-${spec.key}`,
      workspaceId: DEMO_WORKSPACE.id,
      ownerOrgId: owner?.id ?? null,
      areaId: areaByKey(spec.area).id,
      kind: spec.kind,
      category: spec.category,
      name: spec.name,
      nameEn: spec.nameEn,
      description: spec.description ?? null,
      address: position.address,
      lat: position.lat,
      lng: position.lng,
      capacity: spec.capacity ?? null,
      openHours: spec.openHours ?? null,
      contact: owner ? `045-000-${pad(1000 + k * 7, 4)}` : null,
      url: owner && spec.visibility !== "ORG" ? `https://example.jp/midori/${spec.key}` : null,
      visibility: spec.visibility ?? "PUBLIC",
      status: spec.status ?? "ACTIVE",
      createdAt: new Date(day0 - (60 + k * 3) * DAY_MS),
    };
  });

  const residentDrafts = buildResidents(
    seed,
    residentCount,
    day0,
    polygons,
    new Map([...placed].map(([key, p]) => [key, { lat: p.lat, lng: p.lng }])),
  );

  // Tasks and their pieces
  const taskRng = createRng(hashSeed(seed, "tasks"));
  const tasks: Prisma.TaskCreateManyInput[] = [];
  const shifts: (Prisma.ShiftCreateManyInput & { startsAt: Date; endsAt: Date })[] = [];
  const shiftSkills: Prisma.ShiftSkillCreateManyInput[] = [];
  const shiftInfos: ShiftInfo[] = [];
  for (const spec of DEMO_TASKS) {
    const owner = orgByKey(spec.owner);
    const place = spec.place ? resourceByKey.get(spec.place) : undefined;
    if (spec.place && !place) throw new Error(`task ${spec.key} at unknown place ${spec.place}`);
    const position = place ? placed.get(place.key)! : null;
    const areaKey = place ? place.area : spec.area;
    const kinds: IncentiveKind[] = [];
    const inc = spec.incentives ?? {};
    if (inc.transportFeeYen) kinds.push("TRANSPORT_FEE");
    if (inc.thanksYen) kinds.push("THANKS_MONEY");
    if (inc.localPoints) kinds.push("LOCAL_POINTS");
    if (inc.certificate) kinds.push("CERTIFICATE");
    const occ = occurrences(spec, weekdayOf);
    const firstDay = Math.min(...occ.map((o) => o.day));
    const task: Prisma.TaskCreateManyInput = {
      id: `seed-task-${spec.key}`,
      workspaceId: DEMO_WORKSPACE.id,
      ownerOrgId: owner.id,
      areaId: areaKey ? areaByKey(areaKey).id : null,
      title: spec.title,
      titleEn: spec.titleEn,
      description: spec.description,
      category: spec.category,
      locationName: place?.name ?? null,
      lat: position?.lat ?? null,
      lng: position?.lng ?? null,
      isRemote: spec.remote ?? false,
      visibility: spec.visibility ?? "PUBLIC",
      status: spec.status ?? "OPEN",
      recurrence: recurrenceText(spec),
      whatToBring: spec.whatToBring ?? null,
      accessibilityNotes: spec.accessibilityNotes ?? null,
      incentiveKinds: kinds,
      transportFeeYen: inc.transportFeeYen ?? null,
      thanksYen: inc.thanksYen ?? null,
      localPoints: inc.localPoints ?? null,
      createdAt: new Date(day0 + (Math.min(0, firstDay) - taskRng.int(14, 60)) * DAY_MS + taskRng.int(9, 18) * HOUR_MS),
    };
    tasks.push(task);

    let n = 0;
    for (const o of occ) {
      for (const role of spec.roles as RoleSpec[]) {
        if (role.weekdays && !role.weekdays.includes(weekdayOf(o.day) as never)) continue;
        const startMinute = parseHm(role.from ?? o.from);
        const endMinute = parseHm(role.to ?? o.to);
        const id = `seed-shift-${spec.key}-${pad(++n, 2)}`;
        const row = {
          id,
          taskId: task.id!,
          role: role.role,
          roleEn: role.roleEn,
          startsAt: at(o.day, startMinute),
          endsAt: at(o.day, endMinute),
          headcount: role.headcount,
          createdAt: task.createdAt,
        };
        shifts.push(row);
        for (const skill of role.skills ?? []) shiftSkills.push({ shiftId: id, skillId: skillId(skill) });
        shiftInfos.push({
          row,
          task,
          spec,
          skills: role.skills ?? [],
          start: row.startsAt.getTime(),
          end: row.endsAt.getTime(),
          weekday: weekdayOf(o.day),
          startMinute,
          endMinute,
        });
      }
    }
  }

  // Matches, their history, participations, incentives and consents
  const matchRng = createRng(hashSeed(seed, "matches"));
  const matches: Prisma.MatchCreateManyInput[] = [];
  const matchEvents: Prisma.MatchEventCreateManyInput[] = [];
  const participations: Prisma.ParticipationCreateManyInput[] = [];
  const incentiveEntries: Prisma.IncentiveEntryCreateManyInput[] = [];
  const consents: Prisma.ConsentCreateManyInput[] = [];

  const residentById = new Map(residentDrafts.map((r) => [r.id!, r]));
  const activeResidents = residentDrafts.filter((r) => r.status === "ACTIVE");
  const taken = new Set<string>(); // `${shiftId}|${residentId}` and `${taskId}|${residentId}`
  const committed = new Map<string, { start: number; end: number }[]>(); // resident → busy windows
  const filled = new Map<string, number>(); // shift → committed headcount
  const pastCount = new Map<string, number>(); // resident → past participations
  const matchCountByResident = new Map<string, number>();
  const overlaps = (residentId: string, s: ShiftInfo) =>
    (committed.get(residentId) ?? []).some((w) => w.start < s.end && w.end > s.start);
  const commit = (residentId: string, s: ShiftInfo) => {
    committed.set(residentId, [...(committed.get(residentId) ?? []), { start: s.start, end: s.end }]);
    filled.set(s.row.id!, (filled.get(s.row.id!) ?? 0) + 1);
  };

  // Participations: one per completed match, plus regulars recorded by hand on past pieces.
  const partRng = createRng(hashSeed(seed, "participations"));
  const participationKeys = new Set<string>();
  const addParticipation = (s: ShiftInfo, r: ResidentDraft, matchId: string | null, attended: boolean) => {
    const key = `${r.id}|${s.row.id}`;
    if (participationKeys.has(key)) return;
    participationKeys.add(key);
    const id = `seed-part-${pad(participations.length + 1, 3)}`;
    const lateMinutes = attended && partRng.chance(0.2) ? 15 : 0;
    const minutes = attended ? Math.round((s.end - s.start) / MINUTE_MS) - lateMinutes : null;
    const rating = attended && partRng.chance(0.75) ? partRng.weighted([[5, 5], [4, 4], [3, 1]] as const) : null;
    participations.push({
      id,
      residentId: r.id!,
      shiftId: s.row.id!,
      matchId,
      attended,
      checkInAt: attended ? new Date(s.start - 5 * MINUTE_MS + lateMinutes * MINUTE_MS) : null,
      checkOutAt: attended ? new Date(s.end) : null,
      minutes,
      rating,
      createdAt: new Date(s.end),
    });
    if (!attended) return;
    const issuedAt = s.end + partRng.int(1, 3) * DAY_MS;
    if (issuedAt > nowMs) return; // not issued yet
    const issuer = actorFor(s.task.ownerOrgId);
    const kinds = (s.task.incentiveKinds as IncentiveKind[]) ?? [];
    let k = 0;
    for (const kind of kinds) {
      const amount =
        kind === "TRANSPORT_FEE" ? s.task.transportFeeYen : kind === "THANKS_MONEY" ? s.task.thanksYen : kind === "LOCAL_POINTS" ? s.task.localPoints : 1;
      if (kind === "CERTIFICATE" && r.age > 24) continue; // certificates are for students
      incentiveEntries.push({
        id: `${id}-inc${++k}`,
        participationId: id,
        kind,
        amount: amount ?? 0,
        note: { TRANSPORT_FEE: "交通費(定額)", THANKS_MONEY: "謝礼", LOCAL_POINTS: "みどりポイント", CERTIFICATE: "ボランティア活動証明書" }[kind],
        issuedByUserId: issuer,
        issuedAt: new Date(issuedAt),
      });
    }
  };
  // Regulars: the same few people come back week after week (continuation KPIs need that).
  const pastShifts = shiftInfos.filter((s) => s.end <= nowMs - HOUR_MS);
  const byTask = new Map<string, ShiftInfo[]>();
  for (const s of pastShifts) byTask.set(s.task.id!, [...(byTask.get(s.task.id!) ?? []), s]);
  for (const [, list] of [...byTask].sort(([a], [b]) => a.localeCompare(b))) {
    const first = list[0];
    const regulars = activeResidents.filter((r) => !overlaps(r.id!, first) && evaluate(r, first, 1) !== null);
    const picked = partRng.sample(regulars, Math.min(regulars.length, partRng.int(1, 2)));
    for (const s of list) {
      for (const r of picked) {
        if (overlaps(r.id!, s) || !evaluate(r, s, 1)) continue;
        if ((filled.get(s.row.id!) ?? 0) >= (s.row.headcount ?? 1)) continue;
        commit(r.id!, s);
        const attended = partRng.chance(0.93);
        addParticipation(s, r, null, attended);
        if (attended) pastCount.set(r.id!, (pastCount.get(r.id!) ?? 0) + 1);
      }
    }
  }

  type Plan = { stage: MatchStage; when: "past" | "today" | "upcoming"; resident?: string; source?: MatchSource; pinned?: boolean };
  const plans: Plan[] = [
    // The resident demo account's own cards, so the resident pages have something to show.
    { stage: "COMPLETED", when: "past", resident: DEMO_RESIDENT_ID },
    { stage: "CONFIRMED", when: "upcoming", resident: DEMO_RESIDENT_ID, pinned: true },
    { stage: "SUGGESTED", when: "upcoming", resident: DEMO_RESIDENT_ID },
    ...Array.from({ length: 7 }, (): Plan => ({ stage: "COMPLETED", when: "past" })),
    { stage: "ACTIVE", when: "today" },
    ...Array.from({ length: 5 }, (_, k): Plan => ({ stage: "CONFIRMED", when: "upcoming", pinned: k === 0, source: k === 1 ? "APPLICATION" : undefined })),
    ...Array.from({ length: 4 }, (_, k): Plan => ({ stage: "ARRANGING", when: "upcoming", source: k === 0 ? "COORDINATOR" : undefined, pinned: k === 1 })),
    ...Array.from({ length: 5 }, (_, k): Plan => ({ stage: "CONTACTING", when: "upcoming", source: k === 0 ? "APPLICATION" : undefined })),
    ...Array.from({ length: 9 }, (_, k): Plan => ({ stage: "SUGGESTED", when: "upcoming", source: k === 0 ? "APPLICATION" : undefined })),
    { stage: "DECLINED", when: "upcoming" },
    { stage: "DECLINED", when: "upcoming" },
    { stage: "WITHDRAWN", when: "upcoming", source: "COORDINATOR" },
  ];
  const committing = (stage: MatchStage) => ["ARRANGING", "CONFIRMED", "ACTIVE", "COMPLETED"].includes(stage);

  let matchNo = 0;
  for (const plan of plans) {
    const candidates = shiftInfos.filter((s) => {
      if (plan.when === "past") return s.end <= nowMs - DAY_MS;
      if (s.task.status !== "OPEN") return false;
      if (plan.when === "today") return s.start >= nowMs && s.start < nowMs + 2 * DAY_MS;
      return s.start >= nowMs + DAY_MS;
    });
    let chosen: { s: ShiftInfo; r: ResidentDraft; e: Evaluation } | null = null;
    for (const s of matchRng.shuffle(candidates)) {
      if (committing(plan.stage) && (filled.get(s.row.id!) ?? 0) >= (s.row.headcount ?? 1)) continue;
      const pool = plan.resident ? [residentById.get(plan.resident)!] : activeResidents;
      let best: { r: ResidentDraft; e: Evaluation; ranked: number } | null = null;
      for (const r of pool) {
        if (taken.has(`${s.row.id}|${r.id}`) || taken.has(`${s.task.id}|${r.id}`)) continue;
        if (!plan.resident && (matchCountByResident.get(r.id!) ?? 0) >= 2) continue;
        if (plan.source === "APPLICATION" && r.style !== "PER_EVENT") continue;
        if (committing(plan.stage) && overlaps(r.id!, s)) continue;
        const e = evaluate(r, s, pastCount.get(r.id!) ?? 0);
        if (!e) continue;
        // A little noise so the board shows a spread of people, not only the single best fit.
        const ranked = e.score + matchRng.range(0, 0.15);
        if (!best || ranked > best.ranked) best = { r, e, ranked };
      }
      if (!best) continue;
      // For a named resident, look at every piece and keep their best fit; otherwise the first
      // piece (in shuffled order) that has a good candidate, so cards spread over many tasks.
      if (!plan.resident) {
        chosen = { s, r: best.r, e: best.e };
        break;
      }
      if (!chosen || best.e.score > chosen.e.score) chosen = { s, r: best.r, e: best.e };
    }
    if (!chosen) continue;
    const { s, r, e } = chosen;
    const id = `seed-match-${pad(++matchNo, 3)}`;
    taken.add(`${s.row.id}|${r.id}`).add(`${s.task.id}|${r.id}`);
    matchCountByResident.set(r.id!, (matchCountByResident.get(r.id!) ?? 0) + 1);
    if (committing(plan.stage)) commit(r.id!, s);

    // Timeline: proposed some days before, each move a few hours to a day later, all before now.
    const path = stagePath(plan.stage);
    const source: MatchSource = plan.source ?? "MATCHER";
    const owner = s.task.ownerOrgId;
    const actor = actorFor(owner);
    let createdAt: number;
    let times: number[];
    if (plan.when === "past") {
      createdAt = s.start - matchRng.int(4, 9) * DAY_MS - matchRng.int(1, 8) * HOUR_MS;
      let t = createdAt;
      times = path.map((stage, k) => {
        if (stage === "ACTIVE") return s.start;
        if (stage === "COMPLETED") return s.end + matchRng.int(1, 3) * HOUR_MS;
        if (k > 0) t += matchRng.int(10, 22) * HOUR_MS; // ≤ 3 moves × 22 h: confirmed before the piece
        return t;
      });
    } else {
      createdAt = nowMs - matchRng.int(2, 6) * DAY_MS - matchRng.int(0, 12) * HOUR_MS;
      const span = nowMs - HOUR_MS - createdAt;
      times = path.map((stage, k) => (stage === "ACTIVE" ? nowMs - HOUR_MS / 2 : createdAt + Math.round((span * k) / path.length)));
    }
    times[0] = createdAt;
    for (let k = 0; k < path.length; k++) {
      const stage = path[k];
      matchEvents.push({
        id: `${id}-ev${k + 1}`,
        matchId: id,
        actorUserId: k === 0 ? (source === "COORDINATOR" ? actor : null) : actor,
        kind: k === 0 ? "created" : "stage_changed",
        fromStage: k === 0 ? null : path[k - 1],
        toStage: stage,
        note:
          k === 0
            ? source === "MATCHER"
              ? "マッチングエンジンによる提案"
              : source === "APPLICATION"
                ? "住民からの申し込み(都度申し込み)"
                : "コーディネーターが追加"
            : (STAGE_NOTES[stage] ?? null),
        createdAt: new Date(times[k]),
      });
    }
    if (plan.pinned) {
      const pinnedAt = times[times.length - 1] + 10 * MINUTE_MS;
      matchEvents.push({
        id: `${id}-ev${path.length + 1}`,
        matchId: id,
        actorUserId: actor,
        kind: "pinned",
        note: "再計算で動かさない",
        createdAt: new Date(Math.min(pinnedAt, nowMs - MINUTE_MS)),
      });
    }
    const eventsForMatch = path.length + (plan.pinned ? 1 : 0);
    matches.push({
      id,
      workspaceId: DEMO_WORKSPACE.id,
      shiftId: s.row.id!,
      residentId: r.id!,
      stage: plan.stage,
      source,
      score: e.score,
      scoreBreakdown: e.breakdown as Prisma.InputJsonValue,
      explanationJa: e.explanationJa,
      explanationEn: e.explanationEn,
      pinned: plan.pinned ?? false,
      version: eventsForMatch,
      stageChangedAt: new Date(times[path.length - 1]),
      createdAt: new Date(createdAt),
    });

    if (plan.stage === "COMPLETED") {
      pastCount.set(r.id!, (pastCount.get(r.id!) ?? 0) + 1);
    }
  }

  // Every completed card has its participation record.
  for (const m of matches.filter((x) => x.stage === "COMPLETED")) {
    addParticipation(shiftInfos.find((s) => s.row.id === m.shiftId)!, residentById.get(m.residentId)!, m.id!, true);
  }

  // Consents: every card past SUGGESTED on another organization's task needs one for name and
  // contact; a few more, broader ones (some expired, one revoked, two with 要配慮個人情報).
  const consentRng = createRng(hashSeed(seed, "consents"));
  const addConsent = (
    r: ResidentDraft,
    orgId: string,
    fields: ResidentPersonalField[],
    grantedAt: number,
    options: { expiresInDays?: number; revokedAt?: number; onBehalf?: boolean; grantedBy?: string | null } = {},
  ) => {
    const orgKey = DEMO_ORGANIZATIONS.find((o) => o.id === orgId)!.key;
    const onBehalf = options.onBehalf ?? consentRng.chance(0.5);
    consents.push({
      id: `seed-consent-${pad(consents.length + 1, 3)}`,
      residentId: r.id!,
      organizationId: orgId,
      fields,
      purpose: CONSENT_PURPOSES[orgKey],
      includesSpecialCare: fields.includes("specialCare"),
      onBehalf,
      grantedByUserId:
        options.grantedBy !== undefined ? options.grantedBy : onBehalf ? actorFor(r.registeredByOrgId) : (r.userId ?? null),
      grantedAt: new Date(grantedAt),
      expiresAt: new Date(grantedAt + (options.expiresInDays ?? 365) * DAY_MS),
      revokedAt: options.revokedAt ? new Date(options.revokedAt) : null,
    });
  };
  const consented = new Set<string>();
  for (const m of matches) {
    if (m.stage === "SUGGESTED") continue;
    const s = shiftInfos.find((x) => x.row.id === m.shiftId)!;
    const r = residentById.get(m.residentId)!;
    if (r.registeredByOrgId === s.task.ownerOrgId || consented.has(`${r.id}|${s.task.ownerOrgId}`)) continue;
    consented.add(`${r.id}|${s.task.ownerOrgId}`);
    const contacted = matchEvents.find((ev) => ev.matchId === m.id && ev.toStage === "CONTACTING")!;
    const grantedAt = new Date(contacted.createdAt!).getTime() - consentRng.int(1, 6) * HOUR_MS;
    addConsent(r, s.task.ownerOrgId, ["name", "contact"], grantedAt, {
      onBehalf: r.userId ? false : undefined,
    });
  }
  const extraFields: ResidentPersonalField[][] = [
    ["name", "contact"],
    ["name", "contact", "location"],
    ["name", "birthYear"],
    ["name", "contact", "address"],
    ["name", "contact", "notes"],
  ];
  const extraPool = consentRng.sample(activeResidents.filter((r) => r.id !== DEMO_RESIDENT_ID), 18);
  extraPool.forEach((r, k) => {
    const candidates = DEMO_ORGANIZATIONS.filter((o) => o.id !== r.registeredByOrgId && !consented.has(`${r.id}|${o.id}`));
    const org = consentRng.pick(candidates);
    consented.add(`${r.id}|${org.id}`);
    const grantedAt = nowMs - consentRng.int(5, 300) * DAY_MS - consentRng.int(9, 17) * HOUR_MS;
    if (k < 2) {
      // Expired: granted over a year ago for 6 months.
      addConsent(r, org.id, consentRng.pick(extraFields), nowMs - consentRng.int(200, 400) * DAY_MS, { expiresInDays: 180 });
    } else if (k === 2) {
      addConsent(r, org.id, ["name", "contact", "location"], grantedAt, { revokedAt: nowMs - 2 * DAY_MS });
    } else {
      addConsent(r, org.id, consentRng.pick(extraFields), grantedAt, { expiresInDays: consentRng.pick([180, 365, 365, 730]) });
    }
  });
  // 要配慮個人情報 needs its own explicit consent: two residents agreed to share it with 包括.
  const houkatsu = orgByKey("houkatsu").id;
  for (const r of residentDrafts.filter((x) => x.specialCare && x.status === "ACTIVE" && x.registeredByOrgId !== houkatsu).slice(0, 2)) {
    addConsent(r, houkatsu, ["name", "contact", "address", "specialCare"], nowMs - consentRng.int(10, 90) * DAY_MS, {
      onBehalf: true,
      expiresInDays: 365,
    });
  }
  // The resident demo account granted one herself.
  const demoResident = residentById.get(DEMO_RESIDENT_ID)!;
  if (!consented.has(`${DEMO_RESIDENT_ID}|${orgByKey("npo_food").id}`)) {
    addConsent(demoResident, orgByKey("npo_food").id, ["name", "contact"], nowMs - 20 * DAY_MS - 10 * HOUR_MS, {
      onBehalf: false,
      grantedBy: demoResident.userId ?? null,
    });
  }

  // 共同利用: the 社協 publishes that it, the ward office and 包括 jointly use name, contact and
  // address of registered volunteers to coordinate 見守り; never 要配慮個人情報 (that always needs a
  // resident's own consent, above).
  const jointUseNotices: Prisma.JointUseNoticeCreateManyInput[] = [
    {
      id: "seed-joint-use-001",
      workspaceId: workspace.id!,
      managerOrgId: orgByKey("shakyo").id,
      organizationIds: [orgByKey("shakyo").id, orgByKey("city").id, orgByKey("houkatsu").id],
      fields: ["name", "contact", "address"],
      purpose:
        "地域の見守り・支え合い活動の調整(担い手と活動のマッチング、災害時の安否確認)のため / Coordinating community watch and mutual-aid activities (matching volunteers, safety checks in a disaster)",
      createdByUserId: actorFor(orgByKey("shakyo").id),
      publishedAt: new Date(founded.getTime() + 2 * DAY_MS),
    },
  ];

  // Plain rows out of the drafts.
  const residents: Prisma.ResidentCreateManyInput[] = [];
  const residentSkills: Prisma.ResidentSkillCreateManyInput[] = [];
  const availabilityWindows: Prisma.AvailabilityWindowCreateManyInput[] = [];
  const availabilityExceptions: Prisma.AvailabilityExceptionCreateManyInput[] = [];
  // Nobody takes part before they registered: move registration before a resident's first card,
  // participation or consent.
  const firstActivity = new Map<string, number>();
  const seen = (residentId: string, when: unknown) => {
    const t = new Date(when as Date).getTime();
    firstActivity.set(residentId, Math.min(firstActivity.get(residentId) ?? Infinity, t));
  };
  for (const m of matches) seen(m.residentId, m.createdAt);
  for (const p of participations) seen(p.residentId, p.checkInAt ?? p.createdAt);
  for (const c of consents) seen(c.residentId, c.grantedAt);
  for (const draft of residentDrafts) {
    const first = firstActivity.get(draft.id!);
    const registered = new Date(draft.createdAt!).getTime();
    if (first !== undefined && registered > first - 3 * DAY_MS) {
      draft.createdAt = new Date(Math.max(founded.getTime(), first - 3 * DAY_MS - 2 * HOUR_MS));
    }
  }
  for (const draft of residentDrafts) {
    const { age: _age, profile: _profile, skillLevels, windows, exceptions, homeAreaKey: _area, ...row } = draft;
    residents.push(row);
    for (const [code, level] of [...skillLevels].sort(([a], [b]) => a.localeCompare(b))) {
      residentSkills.push({ residentId: row.id!, skillId: skillId(code), level });
    }
    windows.forEach((w, k) => availabilityWindows.push({ id: `${row.id}-aw${k + 1}`, residentId: row.id!, ...w }));
    exceptions.forEach((e, k) =>
      availabilityExceptions.push({
        id: `${row.id}-ax${k + 1}`,
        residentId: row.id!,
        ...e,
        note: e.available ? "この日は午後も参加できます" : EXCEPTION_NOTES[(k + Number(row.id!.slice(-3))) % EXCEPTION_NOTES.length],
      }),
    );
  }

  return {
    day0: new Date(day0),
    workspace,
    areas,
    organizations,
    users,
    memberships,
    skills,
    residents,
    residentSkills,
    availabilityWindows,
    availabilityExceptions,
    resources,
    tasks,
    shifts,
    shiftSkills,
    matches,
    matchEvents,
    participations,
    incentiveEntries,
    consents,
    jointUseNotices,
  };
}

/** Row counts per table, for the CLI summary and the tests. */
export function countRows(data: DemoData): Record<string, number> {
  return {
    workspaces: 1,
    areas: data.areas.length,
    organizations: data.organizations.length,
    users: data.users.length,
    memberships: data.memberships.length,
    skills: data.skills.length,
    residents: data.residents.length,
    residentSkills: data.residentSkills.length,
    availabilityWindows: data.availabilityWindows.length,
    availabilityExceptions: data.availabilityExceptions.length,
    resources: data.resources.length,
    tasks: data.tasks.length,
    shifts: data.shifts.length,
    shiftSkills: data.shiftSkills.length,
    matches: data.matches.length,
    matchEvents: data.matchEvents.length,
    participations: data.participations.length,
    incentiveEntries: data.incentiveEntries.length,
    consents: data.consents.length,
    jointUseNotices: data.jointUseNotices.length,
  };
}
