/**
 * An independent checker of a set of proposals against a snapshot: every hard constraint, written
 * the slow and obvious way (minute by minute for availability), sharing nothing with the engine's
 * fast paths. Tests and the benchmark use it; the scheduler may run it as a safety net before
 * writing a diff.
 */
import type { MatchingOptionsInput } from "./options.ts";
import { resolveOptions } from "./options.ts";
import type { MatchingSnapshot, PairRef, Proposal, SnapshotResident } from "./types.ts";

const R = 6_371_008.8;
const RAD = Math.PI / 180;

function haversine(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const h =
    Math.sin(((b.lat - a.lat) * RAD) / 2) ** 2 +
    Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(((b.lng - a.lng) * RAD) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Is the resident free at local minute `t` (minutes since 1970-01-01 00:00 local)? */
function freeAt(r: SnapshotResident, t: number): boolean {
  const day = Math.floor(t / 1440);
  const minute = t - day * 1440;
  const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
  const weekday = (((day + 4) % 7) + 7) % 7;
  const inRange = (x: { startMinute?: number | null; endMinute?: number | null }) =>
    (x.startMinute ?? 0) <= minute && minute < (x.endMinute ?? 1440);
  const exceptions = r.exceptions.filter((x) => x.date === date && inRange(x));
  if (exceptions.some((x) => !x.available)) return false;
  if (exceptions.some((x) => x.available)) return true;
  return r.windows.some((w) => w.weekday === weekday && w.startMinute <= minute && minute < w.endMinute);
}

export function validateProposals(
  snapshot: MatchingSnapshot,
  now: number,
  proposals: readonly Proposal[] | readonly PairRef[],
  optionsInput?: MatchingOptionsInput,
): string[] {
  const o = resolveOptions(optionsInput);
  const offset = snapshot.timezoneOffsetMinutes;
  const residents = new Map(snapshot.residents.map((r) => [r.id, r]));
  const shifts = new Map(snapshot.shifts.map((s) => [s.id, s]));
  const rejected = new Set(snapshot.rejected.map((p) => `${p.residentId}|${p.shiftId}`));
  const fixedPairs = new Set(snapshot.fixed.map((p) => `${p.residentId}|${p.shiftId}`));
  const errors: string[] = [];
  const seen = new Set<string>();
  const byResident = new Map<string, Array<{ start: number; end: number; id: string; fixed: boolean }>>();
  const perShift = new Map<string, number>();
  for (const f of snapshot.fixed) {
    const list = byResident.get(f.residentId) ?? [];
    list.push({ start: f.startsAt, end: f.endsAt, id: f.shiftId, fixed: true });
    byResident.set(f.residentId, list);
    perShift.set(f.shiftId, (perShift.get(f.shiftId) ?? 0) + 1);
  }
  const proposalsPerResident = new Map<string, number>();
  for (const p of proposals) {
    const key = `${p.residentId}|${p.shiftId}`;
    const where = `${p.residentId} × ${p.shiftId}`;
    if (seen.has(key)) errors.push(`${where}: proposed twice`);
    seen.add(key);
    const r = residents.get(p.residentId);
    const s = shifts.get(p.shiftId);
    if (!r || !s) {
      errors.push(`${where}: unknown resident or piece`);
      continue;
    }
    proposalsPerResident.set(r.id, (proposalsPerResident.get(r.id) ?? 0) + 1);
    if ((r.status ?? "ACTIVE") !== "ACTIVE") errors.push(`${where}: resident not active`);
    if (s.startsAt <= now + o.minLeadMinutes * 60_000) errors.push(`${where}: piece already started`);
    if (rejected.has(key)) errors.push(`${where}: rejected pair proposed`);
    if (fixedPairs.has(key)) errors.push(`${where}: already a fixed match`);
    if (r.registeredByOrgId !== s.ownerOrgId) {
      const ok = snapshot.consents.some(
        (c) =>
          c.residentId === r.id &&
          c.organizationId === s.ownerOrgId &&
          (c.revokedAt == null || c.revokedAt > now) &&
          (c.expiresAt == null || c.expiresAt > now) &&
          o.requiredConsentFields.every((f) => (c.fields ?? []).includes(f)),
      );
      if (!ok) errors.push(`${where}: no consent for ${s.ownerOrgId}`);
    }
    for (const skill of s.requiredSkillIds) {
      if (!((r.skills[skill] ?? 0) >= 1)) errors.push(`${where}: lacks ${skill}`);
    }
    if (!s.isRemote) {
      if (!r.home || !s.point) errors.push(`${where}: unknown location`);
      else if (haversine(r.home, s.point) > r.travelDistanceM) errors.push(`${where}: beyond travel distance`);
    }
    const a = Math.floor(s.startsAt / 60_000) + offset;
    const b = Math.ceil(s.endsAt / 60_000) + offset;
    for (let t = a; t < b; t++) {
      if (!freeAt(r, t)) {
        errors.push(`${where}: not free at local minute ${t - Math.floor(t / 1440) * 1440}`);
        break;
      }
    }
    const list = byResident.get(r.id) ?? [];
    list.push({ start: s.startsAt, end: s.endsAt, id: s.id, fixed: false });
    byResident.set(r.id, list);
    perShift.set(s.id, (perShift.get(s.id) ?? 0) + 1);
    if ("breakdown" in p) {
      const b2 = p.breakdown;
      const sum = b2.skill + b2.interest + b2.distance + b2.time + b2.firstTime + b2.continuity + b2.fairness + b2.style;
      if (Math.abs(sum - b2.total) > 1e-6 || Math.abs(p.score - b2.total) > 1e-9) errors.push(`${where}: breakdown does not add up`);
    }
  }
  for (const [id, count] of proposalsPerResident) {
    if (count > o.maxProposalsPerResident) errors.push(`${id}: ${count} proposals (max ${o.maxProposalsPerResident})`);
  }
  for (const [id, count] of perShift) {
    const s = shifts.get(id);
    const fixed = snapshot.fixed.filter((f) => f.shiftId === id).length;
    if (s && count > Math.max(s.headcount, fixed)) errors.push(`${id}: ${count} people for headcount ${s.headcount}`);
  }
  for (const [id, list] of byResident) {
    const proposalsOnly = list.filter((x) => !x.fixed);
    if (proposalsOnly.length === 0) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const x = list[i];
        const y = list[j];
        if (x.fixed && y.fixed) continue;
        if (x.start < y.end && y.start < x.end) errors.push(`${id}: ${x.id} overlaps ${y.id}`);
      }
    }
    const r = residents.get(id);
    if (r?.weeklyHourCap != null) {
      const weeks = new Map<number, number>();
      const proposedWeeks = new Set<number>();
      for (const x of list) {
        const start = Math.floor(x.start / 60_000) + offset;
        const week = Math.floor((Math.floor(start / 1440) + 3) / 7);
        weeks.set(week, (weeks.get(week) ?? 0) + (Math.ceil(x.end / 60_000) + offset - start));
        if (!x.fixed) proposedWeeks.add(week);
      }
      for (const [week, minutes] of weeks) {
        if (proposedWeeks.has(week) && minutes > r.weeklyHourCap * 60) errors.push(`${id}: ${minutes} min in ISO week ${week} (cap ${r.weeklyHourCap} h)`);
      }
    }
  }
  return errors;
}
