import { diffFixed, diffRejected } from "./snapshot-patch.ts";
import type { MatchingChange, MatchingSnapshot } from "./types.ts";

/**
 * Pure: the session changes that turn `prev` into `next` (two snapshots of one workspace), for
 * `MatchingSession.apply`. `previous` is not compared (the session keeps its own proposals).
 * Returns null when only a full solve will do (time zone or skill labels changed).
 */
export function snapshotChanges(prev: MatchingSnapshot, next: MatchingSnapshot): MatchingChange[] | null {
  if (prev.timezoneOffsetMinutes !== next.timezoneOffsetMinutes) return null;
  if (JSON.stringify(prev.skills ?? []) !== JSON.stringify(next.skills ?? [])) return null;

  const { unfix, fix } = diffFixed(prev.fixed, next.fixed);
  const { unreject, reject } = diffRejected(prev.rejected, next.rejected);

  const removals: MatchingChange[] = [];
  const upserts: MatchingChange[] = [];
  const prevResidents = new Map(prev.residents.map((r) => [r.id, JSON.stringify(r)]));
  const nextResidentIds = new Set(next.residents.map((r) => r.id));
  for (const id of prevResidents.keys()) if (!nextResidentIds.has(id)) removals.push({ type: "resident.remove", residentId: id });
  for (const r of next.residents) if (prevResidents.get(r.id) !== JSON.stringify(r)) upserts.push({ type: "resident.upsert", resident: r });

  const prevShifts = new Map(prev.shifts.map((s) => [s.id, JSON.stringify(s)]));
  const nextShiftIds = new Set(next.shifts.map((s) => s.id));
  for (const id of prevShifts.keys()) if (!nextShiftIds.has(id)) removals.push({ type: "shift.remove", shiftId: id });
  for (const s of next.shifts) if (prevShifts.get(s.id) !== JSON.stringify(s)) upserts.push({ type: "shift.upsert", shift: s });

  const consents: MatchingChange[] = [];
  const byResident = (list: MatchingSnapshot["consents"]) => {
    const map = new Map<string, string[]>();
    for (const c of list) {
      const entries = map.get(c.residentId) ?? [];
      entries.push(JSON.stringify([c.organizationId, c.fields ?? null, c.expiresAt ?? null, c.revokedAt ?? null]));
      map.set(c.residentId, entries);
    }
    return new Map([...map].map(([id, entries]) => [id, entries.sort().join("\n")]));
  };
  const prevConsents = byResident(prev.consents);
  const nextConsents = byResident(next.consents);
  for (const id of new Set([...prevConsents.keys(), ...nextConsents.keys()])) {
    if (prevConsents.get(id) !== nextConsents.get(id)) {
      consents.push({ type: "consents.set", residentId: id, consents: next.consents.filter((c) => c.residentId === id) });
    }
  }

  return [...unfix, ...unreject, ...removals, ...upserts, ...consents, ...fix, ...reject];
}
