/**
 * Local-time arithmetic on a fixed UTC offset (Asia/Tokyo is UTC+9 all year; the offset stays a
 * parameter so another workspace time zone without DST works too), and availability checks.
 *
 * Local minutes are counted from 1970-01-01 00:00 local time. Day d starts at minute d × 1440; day
 * 0 was a Thursday. Weeks are ISO weeks (Monday–Sunday).
 */
import type { AvailabilityException, WeeklyWindow } from "./types.ts";

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 10_080;
const MS_PER_MINUTE = 60_000;

/** Local minute of an instant, rounded down (for starts). */
export function localMinuteFloor(ms: number, offsetMinutes: number): number {
  return Math.floor(ms / MS_PER_MINUTE) + offsetMinutes;
}

/** Local minute of an instant, rounded up (for exclusive ends). */
export function localMinuteCeil(ms: number, offsetMinutes: number): number {
  return Math.ceil(ms / MS_PER_MINUTE) + offsetMinutes;
}

export function dayOf(localMinute: number): number {
  return Math.floor(localMinute / MINUTES_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** ISO week number since the epoch (weeks start on Monday). */
export function isoWeekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** "YYYY-MM-DD" → local day index; NaN when malformed. */
export function dayOfDateString(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

export function dateStringOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Sorted, merged [start, end) pairs (flat), dropping empty ones. */
export function mergeIntervals(pairs: readonly number[]): number[] {
  // Insertion sort on the flat pairs: inputs are a handful of windows.
  const flat: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const s = pairs[i];
    const e = pairs[i + 1];
    if (!(e > s)) continue;
    let j = flat.length;
    flat.push(s, e);
    while (j > 0 && (flat[j - 2] > s || (flat[j - 2] === s && flat[j - 1] > e))) {
      flat[j] = flat[j - 2];
      flat[j + 1] = flat[j - 1];
      j -= 2;
    }
    flat[j] = s;
    flat[j + 1] = e;
  }
  const out: number[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const n = out.length;
    if (n > 0 && flat[i] <= out[n - 1]) out[n - 1] = Math.max(out[n - 1], flat[i + 1]);
    else out.push(flat[i], flat[i + 1]);
  }
  return out;
}

/** Removes the flat [start, end) pairs `cuts` from the merged `base`. */
function subtractIntervals(base: number[], cuts: number[]): number[] {
  let current = base;
  for (let c = 0; c < cuts.length; c += 2) {
    const cs = cuts[c];
    const ce = cuts[c + 1];
    const next: number[] = [];
    for (let i = 0; i < current.length; i += 2) {
      const s = current[i];
      const e = current[i + 1];
      if (ce <= s || cs >= e) {
        next.push(s, e);
        continue;
      }
      if (s < cs) next.push(s, cs);
      if (ce < e) next.push(ce, e);
    }
    current = next;
  }
  return current;
}

interface DayException {
  adds: number[];
  removes: number[];
}

/** A resident's availability compiled once for fast checks. */
export interface CompiledAvailability {
  /** Merged weekly intervals in week minutes (0 = Sunday 00:00), flat [start, end) pairs. */
  weekly: number[];
  /** Exceptions by local day index, or null when there are none. */
  exceptions: Map<number, DayException> | null;
}

function clampMinute(m: number): number {
  return Math.max(0, Math.min(MINUTES_PER_DAY, Math.round(m)));
}

export function compileAvailability(
  windows: readonly WeeklyWindow[],
  exceptions: readonly AvailabilityException[],
): CompiledAvailability {
  const pairs: number[] = [];
  for (const w of windows) {
    if (!Number.isInteger(w.weekday) || w.weekday < 0 || w.weekday > 6) continue;
    const s = clampMinute(w.startMinute);
    const e = clampMinute(w.endMinute);
    if (e > s) pairs.push(w.weekday * MINUTES_PER_DAY + s, w.weekday * MINUTES_PER_DAY + e);
  }
  let byDay: Map<number, DayException> | null = null;
  for (const x of exceptions) {
    const day = dayOfDateString(x.date);
    if (!Number.isFinite(day)) continue;
    const s = x.startMinute == null ? 0 : clampMinute(x.startMinute);
    const e = x.endMinute == null ? MINUTES_PER_DAY : clampMinute(x.endMinute);
    if (e <= s) continue;
    byDay ??= new Map();
    let entry = byDay.get(day);
    if (!entry) byDay.set(day, (entry = { adds: [], removes: [] }));
    (x.available ? entry.adds : entry.removes).push(s, e);
  }
  return { weekly: mergeIntervals(pairs), exceptions: byDay };
}

/** Free intervals of one local day, in minutes of that day. */
export function freeIntervalsOfDay(avail: CompiledAvailability, day: number): number[] {
  const base = weekdayFreeIntervals(avail.weekly, weekdayOfDay(day));
  const ex = avail.exceptions?.get(day);
  if (!ex) return base;
  return subtractIntervals(mergeIntervals([...base, ...ex.adds]), mergeIntervals(ex.removes));
}

function weekdayFreeIntervals(weekly: readonly number[], weekday: number): number[] {
  const lo = weekday * MINUTES_PER_DAY;
  const hi = lo + MINUTES_PER_DAY;
  const out: number[] = [];
  for (let i = 0; i < weekly.length; i += 2) {
    const s = Math.max(weekly[i], lo);
    const e = Math.min(weekly[i + 1], hi);
    if (e > s) out.push(s - lo, e - lo);
  }
  return out;
}

/**
 * The free interval covering a piece, clamped to [the day before its start, the day after its
 * end]. {@link coverOf} writes it here rather than allocating (it runs for every examined pair).
 */
export const cover = { start: 0, end: 0, dated: false };


/**
 * Is the resident free for the whole local interval [start, end)? When true, {@link cover}
 * holds the covering free interval and whether only a dated addition made it possible. This
 * runs for every examined pair, so the weekly case is a tight loop without allocation.
 */
export function coverOf(avail: CompiledAvailability, start: number, end: number): boolean {
  if (end <= start) return false;
  const d0 = Math.floor(start / MINUTES_PER_DAY);
  const d1 = Math.floor((end - 1) / MINUTES_PER_DAY);
  const exceptions = avail.exceptions;
  if (exceptions === null || !hasExceptionNear(exceptions, d0 - 1, d1 + 1)) {
    if (!weeklyCover(avail.weekly, start, end, d0)) return false;
    cover.start = Math.max((d0 - 1) * MINUTES_PER_DAY, weeklyStart);
    cover.end = Math.min((d1 + 2) * MINUTES_PER_DAY, weeklyEnd);
    cover.dated = false;
    return true;
  }
  // Slow path (a dated exception nearby): build the free timeline of the surrounding days.
  const pairs: number[] = [];
  for (let d = d0 - 1; d <= d1 + 1; d++) {
    const free = freeIntervalsOfDay(avail, d);
    for (let i = 0; i < free.length; i += 2) pairs.push(free[i] + d * MINUTES_PER_DAY, free[i + 1] + d * MINUTES_PER_DAY);
  }
  const timeline = mergeIntervals(pairs);
  for (let i = 0; i < timeline.length; i += 2) {
    if (timeline[i] <= start && end <= timeline[i + 1]) {
      // "dated" when only a dated addition makes the piece possible.
      const dated = !weeklyCover(avail.weekly, start, end, d0);
      cover.start = timeline[i];
      cover.end = timeline[i + 1];
      cover.dated = dated;
      return true;
    }
  }
  return false;
}

function hasExceptionNear(exceptions: Map<number, DayException>, firstDay: number, lastDay: number): boolean {
  for (let d = firstDay; d <= lastDay; d++) if (exceptions.has(d)) return true;
  return false;
}

let weeklyStart = 0;
let weeklyEnd = 0;

/** Covering interval (absolute local minutes, into weeklyStart/End) from the periodic weekly pattern. */
function weeklyCover(weekly: readonly number[], start: number, end: number, d0: number): boolean {
  const n = weekly.length;
  if (n === 0) return false;
  const weekStart = (d0 - ((((d0 + 4) % 7) + 7) % 7)) * MINUTES_PER_DAY; // local Sunday 00:00
  const p = start - weekStart; // 0 ≤ p < 10080
  let i = 0;
  while (i < n && weekly[i + 1] <= p) i += 2;
  if (i >= n || weekly[i] > p) return false;
  let s = weekly[i];
  let e = weekly[i + 1];
  if (weekly[n - 1] === MINUTES_PER_WEEK && weekly[0] === 0) {
    if (n === 2) {
      // Always free.
      weeklyStart = start - 3 * MINUTES_PER_DAY;
      weeklyEnd = end + 3 * MINUTES_PER_DAY;
      return true;
    }
    if (e === MINUTES_PER_WEEK) e = MINUTES_PER_WEEK + weekly[1];
    if (s === 0) s = weekly[n - 2] - MINUTES_PER_WEEK;
  }
  if (p + (end - start) > e) return false;
  weeklyStart = weekStart + s;
  weeklyEnd = weekStart + e;
  return true;
}

/** Do [a0, a1) and [b0, b1) overlap? */
export function overlaps(a0: number, a1: number, b0: number, b1: number): boolean {
  return a0 < b1 && b0 < a1;
}
