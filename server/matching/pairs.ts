/**
 * One resident × one piece: the hard constraints (in a fixed order, so exclusion counts are
 * comparable) and the score with its breakdown. Scores are computed in integer points
 * (options.ts), and the breakdown is rebuilt from the same function, so the optimizer, the stored
 * score and the explanation can never disagree.
 */
import { haversineM as haversineImport } from "./geo.ts";
import { fromPoints, POINTS_PER_UNIT as POINTS_IMPORT } from "./options.ts";
import type { Model, ResidentRec, ShiftRec } from "./model.ts";
import { cover as coverImport, coverOf as coverOfImport, dateStringOfDay, overlaps as overlapsImport } from "./time.ts";
import type { ExclusionCounts, PartOfDay, ScoreBreakdown } from "./types.ts";

// Under `node --import tsx` (how the server and the benchmark run) these modules are compiled to
// CommonJS, where every read of an imported binding is a getter call; hot code reads them once.
const haversineM = haversineImport;
const POINTS_PER_UNIT = POINTS_IMPORT;
const cover = coverImport;
const coverOf = coverOfImport;
const overlaps = overlapsImport;

export function emptyExclusions(): ExclusionCounts {
  return { inactive: 0, sharing: 0, skills: 0, distance: 0, availability: 0, rejected: 0, overlap: 0, hourCap: 0, minScore: 0 };
}

/** Distance in metres for an in-person piece, null when remote, NaN when unknown. */
export function pairDistance(rr: ResidentRec, sr: ShiftRec): number | null {
  if (sr.remote) return null;
  if (!rr.hasHome || !sr.hasPoint) return Number.NaN;
  return haversineM(rr.lat, rr.lng, sr.lat, sr.lng);
}

/** Is the pair allowed by the sharing rules (own organization, or an active consent)? */
export function sharingAllows(rr: ResidentRec, sr: ShiftRec): boolean {
  return rr.org === sr.org || rr.allowedOrgs.includes(sr.org);
}

export function hasSkills(rr: ResidentRec, sr: ShiftRec): boolean {
  const masks = sr.skillMasks;
  const bits = rr.skillBits;
  for (let i = 0; i < masks.length; i += 2) {
    const w = masks[i];
    if (w >= bits.length || (bits[w] & masks[i + 1]) !== masks[i + 1]) return false;
  }
  return true;
}

const M_PER_RAD = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * Flat-earth squared distance with the smaller cosine of the two latitudes: never more than the
 * true distance by more than a hair at municipal scale, so it safely rejects far pairs before the
 * haversine.
 */
function flatDistanceSq(rr: ResidentRec, sr: ShiftRec): number {
  const dy = (sr.lat - rr.lat) * RAD * M_PER_RAD;
  const dx = (sr.lng - rr.lng) * RAD * M_PER_RAD * Math.min(rr.cosLat, sr.cosLat);
  return dx * dx + dy * dy;
}

export function overlapsFixed(rr: ResidentRec, sr: ShiftRec): boolean {
  for (const f of rr.fixed) if (overlaps(f.startsAt, f.endsAt, sr.src.startsAt, sr.src.endsAt)) return true;
  return false;
}

export function fitsHourCap(rr: ResidentRec, sr: ShiftRec): boolean {
  const fixed = rr.fixedWeekMinutes === null ? 0 : (rr.fixedWeekMinutes.get(sr.week) ?? 0);
  return fixed + sr.duration <= rr.capMinutes;
}

/** Local copy of options.toPoints: this runs for every examined pair. */
function toPoints(value: number): number {
  return Math.round(value * POINTS_PER_UNIT);
}

/** Weighted parts in points: skill, interest, distance, time, firstTime, continuity, style. */
const parts = new Int32Array(7);

/** Needs {@link cover} set by a successful coverOf for this pair; distanceM < 0 for remote pieces. */
function scoreParts(m: Model, rr: ResidentRec, sr: ShiftRec, distanceM: number): number {
  const w = m.options.weights;
  let skillFit = 0.5;
  const required = sr.skills;
  if (required.length > 0) {
    let sum = 0;
    const levels = rr.skillLevels;
    for (let i = 0; i < required.length; i++) {
      const k = required[i];
      sum += k < levels.length ? levels[k] / 3 : 0;
    }
    skillFit = sum / required.length;
  }
  const ib = rr.interestBits;
  const word = sr.category >> 5;
  const interestFit = word < ib.length && ib[word] & (1 << (sr.category & 31)) ? 1 : 0;
  const distanceFit = distanceM < 0 ? 1 : rr.travel > 0 ? Math.max(0, 1 - distanceM / rr.travel) : 1;
  const slack = cover.end - cover.start - sr.duration;
  const timeFit = Math.max(0.3, 1 - slack / m.options.timeFitSlackMinutes);
  let continuityFit = 0;
  if (rr.ratings !== null) {
    const rating = rr.ratings.get(sr.org);
    if (rating !== undefined) continuityFit = Math.min(1, Math.max(0, (rating - 3) / 2));
  }
  parts[0] = toPoints(w.skill * skillFit);
  parts[1] = toPoints(w.interest * interestFit);
  parts[2] = toPoints(w.distance * distanceFit);
  parts[3] = toPoints(w.time * timeFit);
  parts[4] = rr.firstTimePoints;
  parts[5] = toPoints(w.continuity * continuityFit);
  parts[6] = rr.stylePoints;
  return parts[0] + parts[1] + parts[2] + parts[3] + parts[4] + parts[5] + parts[6];
}

/**
 * Checks every hard constraint and scores the pair. Returns the score in points (fairness not
 * included, it depends on the other proposals), or −1 when a constraint fails; `excluded`
 * counts which one.
 */
export function assessPair(m: Model, r: number, s: number, excluded?: ExclusionCounts): number {
  const rr = m.residents[r];
  const sr = m.shifts[s];
  if (!rr.active || !sr.open) {
    if (excluded) excluded.inactive++;
    return -1;
  }
  if (!sharingAllows(rr, sr)) {
    if (excluded) excluded.sharing++;
    return -1;
  }
  if (!hasSkills(rr, sr)) {
    if (excluded) excluded.skills++;
    return -1;
  }
  let distanceM = -1; // remote (a number, not null: keeps the hot path unboxed)
  if (!sr.remote) {
    const reach = rr.travel * 1.01 + 10;
    if (!rr.hasHome || !sr.hasPoint || flatDistanceSq(rr, sr) > reach * reach) {
      if (excluded) excluded.distance++;
      return -1;
    }
    distanceM = haversineM(rr.lat, rr.lng, sr.lat, sr.lng);
    if (distanceM > rr.travel) {
      if (excluded) excluded.distance++;
      return -1;
    }
  }
  if (!coverOf(rr.avail, sr.start, sr.end)) {
    if (excluded) excluded.availability++;
    return -1;
  }
  if (m.rejected.size > 0 && m.rejected.has(r, s)) {
    if (excluded) excluded.rejected++;
    return -1;
  }
  if (overlapsFixed(rr, sr)) {
    if (excluded) excluded.overlap++;
    return -1;
  }
  if (!fitsHourCap(rr, sr)) {
    if (excluded) excluded.hourCap++;
    return -1;
  }
  const points = scoreParts(m, rr, sr, distanceM);
  if (points < m.minPoints) {
    if (excluded) excluded.minScore++;
    return -1;
  }
  return points;
}

/** Fairness penalty (points ≥ 0) of a resident's open match of rank k (1 = first). */
export function fairnessPenalty(m: Model, rank: number): number {
  return toPoints(m.options.weights.fairness) * Math.min(Math.max(0, rank - 1), m.options.maxFairnessRank);
}

export function partOfDay(minuteOfDay: number): PartOfDay {
  return minuteOfDay < 720 ? "morning" : minuteOfDay < 1020 ? "afternoon" : "evening";
}

/**
 * The breakdown of a feasible pair whose proposal is the resident's open match of rank `rank`.
 * Throws when the pair is not feasible (a bug in the caller).
 */
export function describePair(m: Model, r: number, s: number, rank: number): ScoreBreakdown {
  const base = assessPair(m, r, s);
  if (base < 0) throw new Error(`describePair: ${m.residentIds[r]} × ${m.shiftIds[s]} is not feasible`);
  const rr = m.residents[r];
  const sr = m.shifts[s];
  const distanceM = pairDistance(rr, sr);
  coverOf(rr.avail, sr.start, sr.end);
  scoreParts(m, rr, sr, distanceM ?? -1);
  const fairness = 0 - fairnessPenalty(m, rank); // not -0
  const total = base + fairness;
  const metres = distanceM === null ? null : Math.round(distanceM);
  return {
    skill: fromPoints(parts[0]),
    interest: fromPoints(parts[1]),
    distance: fromPoints(parts[2]),
    time: fromPoints(parts[3]),
    firstTime: fromPoints(parts[4]),
    continuity: fromPoints(parts[5]),
    fairness: fromPoints(fairness),
    style: fromPoints(parts[6]),
    total: fromPoints(total),
    distanceM: metres,
    walkMinutes: metres === null ? null : Math.max(1, Math.ceil(metres / m.options.walkingMetresPerMinute)),
    skills: [...new Set(sr.src.requiredSkillIds)],
    skillLevels: [...new Set(sr.src.requiredSkillIds)].map((id) => rr.skillLevels[m.skillIndex.get(id) ?? -1] ?? 0),
    remote: sr.remote,
    category: sr.src.category,
    interestMatch: rr.src.interests.includes(sr.src.category),
    weekday: sr.weekday,
    partOfDay: partOfDay(sr.minuteOfDay),
    date: dateStringOfDay(sr.day),
    availability: cover.dated ? "dated" : "weekly",
    participationCount: rr.src.participation.count,
    participation: rr.participation,
    ownerRating: rr.ratings?.get(sr.org) ?? null,
    openMatchRank: rank,
    v: 1,
  };
}
