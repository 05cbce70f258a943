/**
 * The snapshot compiled into indexed records: residents and pieces get dense indices (in id
 * order, so the result does not depend on input order), availability is compiled, and residents
 * are indexed for candidate generation (resident-index.ts: sharing, skills, home, weekly slots).
 * A {@link Model} is mutable so that a session can apply changes; `solve` builds a fresh one.
 */
import { FlatProjection } from "./geo.ts";
import { ResidentIndex, SLOT_MINUTES, SLOTS_PER_WEEK } from "./resident-index.ts";
import type { MatchingOptions } from "./options.ts";
import { toPoints } from "./options.ts";
import {
  compileAvailability,
  dayOf,
  isoWeekOfDay,
  localMinuteCeil,
  localMinuteFloor,
  MINUTES_PER_DAY,
  weekdayOfDay,
  type CompiledAvailability,
} from "./time.ts";
import type { FixedMatch, MatchingSnapshot, SnapshotConsent, SnapshotResident, SnapshotShift } from "./types.ts";

/** Pair keys are r × PAIR_BASE + s (exact in doubles up to 2^53). */
export const PAIR_BASE = 1 << 24;

/** first: never took part; rare: a few times; lapsed: not for a long time; else regular. */
export type ParticipationKind = "first" | "rare" | "lapsed" | "regular";

export interface ResidentRec {
  src: SnapshotResident;
  active: boolean;
  org: number;
  hasHome: boolean;
  lat: number;
  lng: number;
  /** Projected home for the index grid; NaN when unknown or beyond the projection's latitude. */
  x: number;
  y: number;
  travel: number;
  avail: CompiledAvailability;
  /** Skill indices held (level ≥ 1). */
  skillList: number[];
  /** Level by skill index (0 = not held), for scoring. */
  skillLevels: number[];
  /** Bitset (32-bit words) of held skill indices. */
  skillBits: number[];
  /** Bitset of interest category indices. */
  interestBits: number[];
  /** cos(latitude) of the home, for the flat distance prefilter. */
  cosLat: number;
  /** Organization indices other than the registering one that an active consent allows. */
  allowedOrgs: number[];
  participation: ParticipationKind;
  /** The pair-independent score parts, in points. */
  firstTimePoints: number;
  stylePoints: number;
  /** Average rating by organization index, or null when none. */
  ratings: Map<number, number> | null;
  /** Fixed matches: [startsAt, endsAt] in ms. */
  fixed: Array<{ shiftId: string; startsAt: number; endsAt: number }>;
  /** Minutes of fixed matches per ISO week, or null when none. */
  fixedWeekMinutes: Map<number, number> | null;
  /** Fixed matches that have not ended at `now` (fairness counts them first). */
  openFixed: number;
  /** Weekly cap in minutes, or Infinity. */
  capMinutes: number;
  /** Slots of the week index this resident is listed in. */
  slots: number[];
  /** Days with a dated addition (listed in addsByDay). */
  addDays: number[];
}

export interface ShiftRec {
  src: SnapshotShift;
  /** Starts after now + lead, has a positive duration, still has a seat. */
  open: boolean;
  org: number;
  hasPoint: boolean;
  lat: number;
  lng: number;
  x: number;
  y: number;
  remote: boolean;
  /** Local minutes. */
  start: number;
  end: number;
  duration: number;
  day: number;
  week: number;
  weekday: number;
  minuteOfDay: number;
  slot: number;
  skills: number[];
  /** Required skills as flat (word, mask) pairs over the skill bitset. */
  skillMasks: number[];
  category: number;
  cosLat: number;
  fixedCount: number;
  /** Seats left for proposals. */
  seats: number;
}

export class Model {
  readonly options: MatchingOptions;
  readonly offset: number;
  now: number;
  readonly projection: FlatProjection;

  readonly residentIds: string[] = [];
  readonly residentIndex = new Map<string, number>();
  readonly shiftIds: string[] = [];
  readonly shiftIndex = new Map<string, number>();
  readonly orgIndex = new Map<string, number>();
  readonly skillIndex = new Map<string, number>();
  readonly categoryIndex = new Map<string, number>();
  readonly skillLabels = new Map<string, { ja: string; en: string }>();

  readonly residents: ResidentRec[] = [];
  readonly shifts: ShiftRec[] = [];
  /** Consents by resident id (kept raw: expiry is checked against `now`). */
  readonly consents = new Map<string, SnapshotConsent[]>();
  /** Fixed matches by resident id. */
  readonly fixedByResident = new Map<string, FixedMatch[]>();
  /** Fixed match count by shift id. */
  readonly fixedByShift = new Map<string, number>();
  readonly rejected = new PairSet();
  readonly rejectedIds = new Set<string>();
  readonly previous = new PairSet();

  /** Residents by organization, half-hour slot of weekly free time and home cell. */
  readonly index = new ResidentIndex();
  /** Residents with a dated addition, by local day. */
  readonly addsByDay = new Map<number, Set<number>>();

  readonly minPoints: number;

  constructor(snapshot: MatchingSnapshot, now: number, options: MatchingOptions) {
    this.options = options;
    this.offset = snapshot.timezoneOffsetMinutes;
    this.now = now;
    this.minPoints = toPoints(options.minScore);
    let maxAbsLat = 0;
    for (const r of snapshot.residents) if (r.home) maxAbsLat = Math.max(maxAbsLat, Math.abs(r.home.lat));
    for (const s of snapshot.shifts) if (s.point) maxAbsLat = Math.max(maxAbsLat, Math.abs(s.point.lat));
    // Leave room for points added later by a session (a neighbouring latitude band).
    this.projection = new FlatProjection(Math.min(89, maxAbsLat + 1));

    for (const label of snapshot.skills ?? []) this.skillLabels.set(label.id, { ja: label.nameJa, en: label.nameEn });
    for (const c of snapshot.consents) {
      const list = this.consents.get(c.residentId);
      if (list) list.push(c);
      else this.consents.set(c.residentId, [c]);
    }
    for (const f of snapshot.fixed) {
      const list = this.fixedByResident.get(f.residentId);
      if (list) list.push(f);
      else this.fixedByResident.set(f.residentId, [f]);
      this.fixedByShift.set(f.shiftId, (this.fixedByShift.get(f.shiftId) ?? 0) + 1);
    }
    const residents = [...snapshot.residents].sort((a, b) => compareIds(a.id, b.id));
    const shifts = [...snapshot.shifts].sort((a, b) => compareIds(a.id, b.id));
    for (const r of residents) this.upsertResident(r);
    for (const s of shifts) this.upsertShift(s);
    for (const p of snapshot.rejected) this.rejectedIds.add(pairId(p.residentId, p.shiftId));
    this.refreshPairSets(snapshot.previous);
  }

  /** Re-derives the index-keyed pair sets (after residents or pieces were added). */
  refreshPairSets(previous?: ReadonlyArray<{ residentId: string; shiftId: string }>): void {
    this.rejected.clear();
    for (const id of this.rejectedIds) {
      const [r, s] = splitPairId(id);
      const ri = this.residentIndex.get(r);
      const si = this.shiftIndex.get(s);
      if (ri !== undefined && si !== undefined) this.rejected.add(ri, si);
    }
    if (previous) {
      this.previous.clear();
      for (const p of previous) {
        const ri = this.residentIndex.get(p.residentId);
        const si = this.shiftIndex.get(p.shiftId);
        if (ri !== undefined && si !== undefined) this.previous.add(ri, si);
      }
    }
  }

  orgOf(id: string): number {
    let i = this.orgIndex.get(id);
    if (i === undefined) this.orgIndex.set(id, (i = this.orgIndex.size));
    return i;
  }

  skillOf(id: string): number {
    let i = this.skillIndex.get(id);
    if (i === undefined) this.skillIndex.set(id, (i = this.skillIndex.size));
    return i;
  }

  categoryOf(code: string): number {
    let i = this.categoryIndex.get(code);
    if (i === undefined) this.categoryIndex.set(code, (i = this.categoryIndex.size));
    return i;
  }

  /** Adds or replaces a resident; returns its index. */
  upsertResident(src: SnapshotResident): number {
    let index = this.residentIndex.get(src.id);
    if (index === undefined) {
      index = this.residentIds.length;
      this.residentIds.push(src.id);
      this.residentIndex.set(src.id, index);
    } else {
      this.unlistResident(index);
    }
    const rec = this.compileResident(src);
    this.residents[index] = rec;
    this.listResident(index);
    return index;
  }

  /** Marks a resident removed (its index stays, inactive). */
  removeResident(id: string): number | undefined {
    const index = this.residentIndex.get(id);
    if (index === undefined) return undefined;
    this.unlistResident(index);
    this.residents[index] = { ...this.residents[index], active: false, slots: EMPTY, addDays: EMPTY };
    return index;
  }

  /** Recompiles a resident after its consents or fixed matches changed. */
  refreshResident(index: number): void {
    this.upsertResident(this.residents[index].src);
  }

  private compileResident(src: SnapshotResident): ResidentRec {
    // Allocation matters here (10,000 residents per full solve): shared empty arrays, no small
    // typed arrays, maps only when there is something to map.
    const o = this.options;
    const avail = compileAvailability(src.windows, src.exceptions);
    const skillList: number[] = [];
    const skillLevels: number[] = [];
    for (const id in src.skills) {
      const level = src.skills[id];
      if (!(level >= 1)) continue;
      const k = this.skillOf(id);
      skillList.push(k);
      while (skillLevels.length <= k) skillLevels.push(0);
      skillLevels[k] = Math.min(3, Math.floor(level));
    }
    skillList.sort((a, b) => a - b);
    const org = this.orgOf(src.registeredByOrgId);
    let allowedOrgs: number[] = EMPTY;
    for (const c of this.consents.get(src.id) ?? EMPTY_CONSENTS) {
      if (c.revokedAt != null && c.revokedAt <= this.now) continue;
      if (c.expiresAt != null && c.expiresAt <= this.now) continue;
      if (o.requiredConsentFields.length > 0) {
        const fields = c.fields ?? [];
        if (!o.requiredConsentFields.every((f) => fields.includes(f))) continue;
      }
      const oi = this.orgOf(c.organizationId);
      if (oi === org || allowedOrgs.includes(oi)) continue;
      if (allowedOrgs === EMPTY) allowedOrgs = [];
      allowedOrgs.push(oi);
    }
    if (allowedOrgs.length > 1) allowedOrgs.sort((a, b) => a - b);
    const p = src.participation;
    let participation: ParticipationKind = "regular";
    if (p.count <= 0) participation = "first";
    else if (p.count <= o.rareParticipationCount) participation = "rare";
    else if (p.lastAt != null && this.now - p.lastAt > o.rareAfterDays * 86_400_000) participation = "lapsed";
    let ratings: Map<number, number> | null = null;
    for (const orgId in p.ratingByOrg ?? {}) {
      const avg = p.ratingByOrg![orgId];
      if (!Number.isFinite(avg)) continue;
      ratings ??= new Map();
      ratings.set(this.orgOf(orgId), avg);
    }
    let fixed: ResidentRec["fixed"] = EMPTY_FIXED;
    let fixedWeekMinutes: Map<number, number> | null = null;
    let openFixed = 0;
    for (const f of this.fixedByResident.get(src.id) ?? EMPTY_FIXED) {
      if (fixed === EMPTY_FIXED) fixed = [];
      fixed.push({ shiftId: f.shiftId, startsAt: f.startsAt, endsAt: f.endsAt });
      const start = localMinuteFloor(f.startsAt, this.offset);
      const minutes = Math.max(0, localMinuteCeil(f.endsAt, this.offset) - start);
      const week = isoWeekOfDay(dayOf(start));
      fixedWeekMinutes ??= new Map();
      fixedWeekMinutes.set(week, (fixedWeekMinutes.get(week) ?? 0) + minutes);
      if (f.endsAt > this.now) openFixed++;
    }
    const interests: number[] = [];
    for (const code of src.interests) interests.push(this.categoryOf(code));
    const hasHome = src.home !== null && Number.isFinite(src.home.lat) && Number.isFinite(src.home.lng);
    const lat = hasHome ? src.home!.lat : Number.NaN;
    const lng = hasHome ? src.home!.lng : Number.NaN;
    return {
      src,
      active: (src.status ?? "ACTIVE") === "ACTIVE",
      org,
      hasHome,
      lat,
      lng,
      x: hasHome && this.projection.covers(lat) ? this.projection.x(lng) : Number.NaN,
      y: hasHome && this.projection.covers(lat) ? this.projection.y(lat) : Number.NaN,
      travel: Math.max(0, src.travelDistanceM),
      avail,
      skillList,
      skillLevels,
      skillBits: bitset(skillList),
      interestBits: bitset(interests),
      cosLat: hasHome ? Math.cos((lat * Math.PI) / 180) : Number.NaN,
      allowedOrgs,
      participation,
      firstTimePoints: toPoints(o.weights.firstTime * (participation === "first" ? 1 : participation === "regular" ? 0 : 0.5)),
      stylePoints: toPoints(o.weights.style * (src.style === "REGISTERED" ? 1 : o.perEventStyleFit)),
      ratings,
      fixed,
      fixedWeekMinutes,
      openFixed,
      capMinutes: src.weeklyHourCap == null ? Number.POSITIVE_INFINITY : Math.max(0, src.weeklyHourCap * 60),
      slots: EMPTY,
      addDays: EMPTY,
    };
  }

  private listResident(index: number): void {
    const rec = this.residents[index];
    if (!rec.active) return;
    // Merged weekly intervals come sorted, so slots come in order: dedupe against the last one.
    const w = rec.avail.weekly;
    const slots: number[] = [];
    for (let i = 0; i < w.length; i += 2) {
      for (let q = Math.floor(w[i] / SLOT_MINUTES); q * SLOT_MINUTES < w[i + 1] && q < SLOTS_PER_WEEK; q++) {
        if (slots.length === 0 || slots[slots.length - 1] < q) slots.push(q);
      }
    }
    rec.slots = slots;
    this.index.add(index, {
      orgs: rec.allowedOrgs.length === 0 ? [rec.org] : [rec.org, ...rec.allowedOrgs],
      skills: rec.skillList,
      slots,
      x: rec.x,
      y: rec.y,
      // A home the projection does not cover (added later, far north) goes to the always-
      // examined list: exact checks decide.
      travel: rec.hasHome && Number.isNaN(rec.x) ? Number.POSITIVE_INFINITY : rec.travel,
      hasHome: rec.hasHome,
    });
    if (rec.avail.exceptions) {
      for (const [day, ex] of rec.avail.exceptions) {
        if (ex.adds.length === 0) continue;
        if (rec.addDays === EMPTY) rec.addDays = [];
        rec.addDays.push(day);
        let set = this.addsByDay.get(day);
        if (!set) this.addsByDay.set(day, (set = new Set()));
        set.add(index);
      }
    }
  }

  private unlistResident(index: number): void {
    const rec = this.residents[index];
    if (!rec) return;
    this.index.remove(index);
    for (const day of rec.addDays) this.addsByDay.get(day)?.delete(index);
  }

  /** Adds or replaces a piece; returns its index. */
  upsertShift(src: SnapshotShift): number {
    let index = this.shiftIndex.get(src.id);
    if (index === undefined) {
      index = this.shiftIds.length;
      this.shiftIds.push(src.id);
      this.shiftIndex.set(src.id, index);
    }
    this.shifts[index] = this.compileShift(src);
    return index;
  }

  removeShift(id: string): number | undefined {
    const index = this.shiftIndex.get(id);
    if (index === undefined) return undefined;
    this.shifts[index] = { ...this.shifts[index], open: false, seats: 0 };
    return index;
  }

  refreshShift(index: number): void {
    this.shifts[index] = this.compileShift(this.shifts[index].src);
  }

  private compileShift(src: SnapshotShift): ShiftRec {
    const start = localMinuteFloor(src.startsAt, this.offset);
    const end = localMinuteCeil(src.endsAt, this.offset);
    const day = dayOf(start);
    const weekday = weekdayOfDay(day);
    const minuteOfDay = start - day * MINUTES_PER_DAY;
    const fixedCount = this.fixedByShift.get(src.id) ?? 0;
    const seats = Math.max(0, Math.floor(src.headcount) - fixedCount);
    const hasPoint = src.point !== null && Number.isFinite(src.point.lat) && Number.isFinite(src.point.lng);
    const lat = hasPoint ? src.point!.lat : Number.NaN;
    const lng = hasPoint ? src.point!.lng : Number.NaN;
    const skills = [...new Set(src.requiredSkillIds)].map((id) => this.skillOf(id));
    const open = src.startsAt > this.now + this.options.minLeadMinutes * 60_000 && end > start && seats > 0;
    return {
      src,
      open,
      org: this.orgOf(src.ownerOrgId),
      hasPoint,
      lat,
      lng,
      x: hasPoint && this.projection.covers(lat) ? this.projection.x(lng) : Number.NaN,
      y: hasPoint && this.projection.covers(lat) ? this.projection.y(lat) : Number.NaN,
      remote: src.isRemote,
      start,
      end,
      duration: end - start,
      day,
      week: isoWeekOfDay(day),
      weekday,
      minuteOfDay,
      slot: Math.floor((weekday * MINUTES_PER_DAY + minuteOfDay) / SLOT_MINUTES),
      skills,
      skillMasks: masksOf(skills),
      category: this.categoryOf(src.category),
      cosLat: hasPoint ? Math.cos((lat * Math.PI) / 180) : Number.NaN,
      fixedCount,
      seats: open ? seats : 0,
    };
  }

  /**
   * Moves `now` forward. Returns the pieces that closed (they started) and the residents whose
   * data depends on time and changed in between: a consent expired, a fixed match ended, or the
   * last participation became old enough to count as rare.
   */
  advanceTo(now: number): { closedShifts: number[]; changedResidents: number[] } {
    if (now < this.now) throw new RangeError("now must not go back");
    const before = this.now;
    this.now = now;
    const closedShifts: number[] = [];
    const limit = now + this.options.minLeadMinutes * 60_000;
    for (let s = 0; s < this.shifts.length; s++) {
      const rec = this.shifts[s];
      if (rec.open && rec.src.startsAt <= limit) {
        this.shifts[s] = { ...rec, open: false, seats: 0 };
        closedShifts.push(s);
      }
    }
    const changedResidents: number[] = [];
    if (now === before) return { closedShifts, changedResidents };
    const crossed = (t: number | null | undefined) => t != null && t > before && t <= now;
    const rareMs = this.options.rareAfterDays * 86_400_000;
    for (let r = 0; r < this.residents.length; r++) {
      const rec = this.residents[r];
      if (!rec.active) continue;
      const lastAt = rec.src.participation.lastAt;
      const changed =
        (this.consents.get(rec.src.id) ?? []).some((c) => crossed(c.expiresAt) || crossed(c.revokedAt)) ||
        rec.fixed.some((f) => crossed(f.endsAt)) ||
        (lastAt != null && crossed(lastAt + rareMs));
      if (changed) {
        this.refreshResident(r);
        changedResidents.push(r);
      }
    }
    return { closedShifts, changedResidents };
  }
}

/** A set of (resident, piece) index pairs, keyed by piece (small-integer keys only). */
export class PairSet {
  private readonly byShift = new Map<number, Set<number>>();
  size = 0;

  has(r: number, s: number): boolean {
    const set = this.byShift.get(s);
    return set !== undefined && set.has(r);
  }

  add(r: number, s: number): void {
    let set = this.byShift.get(s);
    if (!set) this.byShift.set(s, (set = new Set()));
    if (!set.has(r)) {
      set.add(r);
      this.size++;
    }
  }

  clear(): void {
    this.byShift.clear();
    this.size = 0;
  }

  /** [resident, piece] pairs, in insertion order. */
  *pairs(): Generator<[number, number]> {
    for (const [s, set] of this.byShift) for (const r of set) yield [r, s];
  }
}

const EMPTY: number[] = [];
const EMPTY_CONSENTS: SnapshotConsent[] = [];
const EMPTY_FIXED: Array<{ shiftId: string; startsAt: number; endsAt: number }> = [];

function bitset(indices: readonly number[]): number[] {
  if (indices.length === 0) return EMPTY;
  const bits: number[] = [];
  for (const i of indices) {
    while (bits.length <= i >> 5) bits.push(0);
    bits[i >> 5] |= 1 << (i & 31);
  }
  return bits;
}

/** Flat (word, mask) pairs of a set of indices, by word. */
function masksOf(indices: number[]): number[] {
  const bits = bitset(indices);
  const out: number[] = [];
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) out.push(w, bits[w]);
  return out;
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function pairId(residentId: string, shiftId: string): string {
  return `${residentId}\u0000${shiftId}`;
}

function splitPairId(id: string): [string, string] {
  const i = id.indexOf("\u0000");
  return [id.slice(0, i), id.slice(i + 1)];
}
