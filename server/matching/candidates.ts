/**
 * The sparse candidate graph: for every open piece, the residents who pass every hard constraint,
 * with their score. Only the residents the index returns (allowed to work with the owner, holding
 * the rarest required skill, home within reach, free in the piece's starting half-hour slot of
 * the week) and those with a dated addition on its days are examined, so the graph is built
 * without ever touching a dense residents × pieces matrix.
 */
import { FlatProjection } from "./geo.ts";
import { PAIR_BASE as PAIR_BASE_IMPORT, type Model } from "./model.ts";
import { assessPair as assessPairImport } from "./pairs.ts";
import type { ExclusionCounts } from "./types.ts";

// Under `node --import tsx` (how the server and the benchmark run) these modules are compiled to
// CommonJS, where every read of an imported binding is a getter call; hot code reads them once.
const PAIR_BASE = PAIR_BASE_IMPORT;
const assessPair = assessPairImport;

export interface ShiftCandidates {
  /** Resident indices, best first (points desc, then index asc). */
  res: Int32Array;
  pts: Int32Array;
}

export const NO_CANDIDATES: ShiftCandidates = Object.freeze({ res: new Int32Array(0), pts: new Int32Array(0) });

const scratch: number[] = [];
let keys = new Float64Array(1024);
let stamp = new Int32Array(0);
let stampValue = 0;

function nextStamp(size: number): number {
  if (stamp.length < size) {
    stamp = new Int32Array(Math.max(size, stamp.length * 2));
    stampValue = 0;
  }
  stampValue++;
  if (stampValue === 0x7fffffff) {
    stamp.fill(0);
    stampValue = 1;
  }
  return stampValue;
}

/** Counts examined pairs (after the slot prefilter) in `examined.count`. */
export function candidatesOfShift(
  m: Model,
  s: number,
  excluded?: ExclusionCounts,
  examined?: { count: number },
): ShiftCandidates {
  const sr = m.shifts[s];
  if (!sr.open) return NO_CANDIDATES;
  const mark = nextStamp(m.residents.length);
  const visits = scratch;
  visits.length = 0;
  // An in-person piece without a meeting point cannot satisfy the distance constraint.
  if (sr.remote || sr.hasPoint) {
    // A point the projection does not cover is queried like a remote piece (everyone allowed):
    // the exact distance check decides.
    const point = sr.remote || Number.isNaN(sr.x) ? null : { x: sr.x, y: sr.y };
    m.index.query(sr.org, m.index.channelFor(sr.skills), sr.slot, point, visits);
  }
  for (let d = sr.day; d <= Math.floor((sr.end - 1) / 1440); d++) {
    // Residents free that day only thanks to a dated addition (few): same sharing prefilter.
    const adds = m.addsByDay.get(d);
    if (adds) {
      for (const r of adds) {
        const rr = m.residents[r];
        if (rr.org === sr.org || rr.allowedOrgs.includes(sr.org)) visits.push(r);
      }
    }
  }
  let count = 0;
  let accepted = 0;
  if (keys.length < visits.length) keys = new Float64Array(Math.max(visits.length, keys.length * 2));
  for (let i = 0; i < visits.length; i++) {
    const r = visits[i];
    if (stamp[r] === mark) continue;
    stamp[r] = mark;
    count++;
    const p = assessPair(m, r, s, excluded);
    // Best first: points descending, then resident index ascending, packed in one sortable key.
    if (p >= 0) keys[accepted++] = p * PAIR_BASE + (PAIR_BASE - 1 - r);
  }
  if (examined) examined.count += count;
  return unpack(keys.subarray(0, accepted).sort());
}

/** Ascending packed keys → candidates best first. */
function unpack(sorted: Float64Array): ShiftCandidates {
  const n = sorted.length;
  const res = new Int32Array(n);
  const pts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = sorted[n - 1 - i];
    const p = Math.floor(key / PAIR_BASE);
    pts[i] = p;
    res[i] = PAIR_BASE - 1 - (key - p * PAIR_BASE);
  }
  return { res, pts };
}

/** Every open piece the resident may take, as [shift, points] pairs in shift order. */
export function candidatesOfResident(m: Model, r: number): Array<[number, number]> {
  const rr = m.residents[r];
  const out: Array<[number, number]> = [];
  if (!rr.active) return out;
  for (let s = 0; s < m.shifts.length; s++) {
    const sr = m.shifts[s];
    if (!sr.open) continue;
    // Cheap rejection of far pieces when both points are projected (else the exact check decides).
    if (!sr.remote && !Number.isNaN(rr.x) && !Number.isNaN(sr.x) && !FlatProjection.mayBeWithin(rr.x - sr.x, rr.y - sr.y, rr.travel)) continue;
    const p = assessPair(m, r, s);
    if (p >= 0) out.push([s, p]);
  }
  return out;
}

/** Inserts or removes one resident in a piece's sorted candidate list. */
export function withCandidate(list: ShiftCandidates, r: number, points: number | null): ShiftCandidates {
  const res: number[] = [];
  const pts: number[] = [];
  for (let i = 0; i < list.res.length; i++) {
    if (list.res[i] === r) continue;
    res.push(list.res[i]);
    pts.push(list.pts[i]);
  }
  if (points !== null) {
    let i = 0;
    while (i < res.length && (pts[i] > points || (pts[i] === points && res[i] < r))) i++;
    res.splice(i, 0, r);
    pts.splice(i, 0, points);
  }
  return { res: Int32Array.from(res), pts: Int32Array.from(pts) };
}
