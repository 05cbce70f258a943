import type { FixedMatch, MatchingChange, MatchingSnapshot, PairRef, SnapshotConsent, SnapshotResident, SnapshotShift } from "./types.ts";

/**
 * What changed in a workspace since the worker's last snapshot, as the scheduler read it from the
 * change feed (snapshot-cache.ts): only the entities that changed, so a run after one edit sends
 * a few records to the worker instead of the whole workspace.
 */
export interface SnapshotPatch {
  /** Upserted residents replace the kept ones; removed ones leave (no longer ACTIVE, deleted). */
  residents?: { upsert: readonly SnapshotResident[]; remove: readonly string[] };
  shifts?: { upsert: readonly SnapshotShift[]; remove: readonly string[] };
  /** Replaces every consent of these residents with `rows`. */
  consents?: { residentIds: readonly string[]; rows: readonly SnapshotConsent[] };
  /** The complete lists, when any match or piece time changed. */
  fixed?: readonly FixedMatch[];
  rejected?: readonly PairRef[];
}

const pairKey = (p: PairRef) => `${p.residentId}\u0000${p.shiftId}`;

/**
 * Pure: the snapshot after the patch, and the session changes between the two (for
 * `MatchingSession.apply`). Records that the patch names but that did not really change produce
 * no change.
 */
export function applySnapshotPatch(prev: MatchingSnapshot, patch: SnapshotPatch): { snapshot: MatchingSnapshot; changes: MatchingChange[] } {
  const removals: MatchingChange[] = [];
  const upserts: MatchingChange[] = [];

  let residents = prev.residents;
  if (patch.residents) {
    const byId = new Map(prev.residents.map((r) => [r.id, r]));
    for (const id of patch.residents.remove) {
      if (byId.delete(id)) removals.push({ type: "resident.remove", residentId: id });
    }
    for (const r of patch.residents.upsert) {
      const old = byId.get(r.id);
      if (!old || JSON.stringify(old) !== JSON.stringify(r)) upserts.push({ type: "resident.upsert", resident: r });
      byId.set(r.id, r);
    }
    residents = [...byId.values()];
  }

  let shifts = prev.shifts;
  if (patch.shifts) {
    const byId = new Map(prev.shifts.map((s) => [s.id, s]));
    for (const id of patch.shifts.remove) {
      if (byId.delete(id)) removals.push({ type: "shift.remove", shiftId: id });
    }
    for (const s of patch.shifts.upsert) {
      const old = byId.get(s.id);
      if (!old || JSON.stringify(old) !== JSON.stringify(s)) upserts.push({ type: "shift.upsert", shift: s });
      byId.set(s.id, s);
    }
    shifts = [...byId.values()];
  }

  const consentChanges: MatchingChange[] = [];
  let consents = prev.consents;
  if (patch.consents) {
    const named = new Set(patch.consents.residentIds);
    const signature = (list: readonly SnapshotConsent[]) =>
      list.map((c) => JSON.stringify([c.organizationId, c.fields ?? null, c.expiresAt ?? null, c.revokedAt ?? null])).sort().join("\n");
    const before = new Map<string, SnapshotConsent[]>();
    for (const c of prev.consents) if (named.has(c.residentId)) before.set(c.residentId, [...(before.get(c.residentId) ?? []), c]);
    const after = new Map<string, SnapshotConsent[]>();
    for (const c of patch.consents.rows) if (named.has(c.residentId)) after.set(c.residentId, [...(after.get(c.residentId) ?? []), c]);
    for (const id of named) {
      const next = after.get(id) ?? [];
      if (signature(before.get(id) ?? []) !== signature(next)) consentChanges.push({ type: "consents.set", residentId: id, consents: next });
    }
    consents = [...prev.consents.filter((c) => !named.has(c.residentId)), ...patch.consents.rows.filter((c) => named.has(c.residentId))];
  }

  const fixedChanges = patch.fixed ? diffFixed(prev.fixed, patch.fixed) : { fix: [], unfix: [] };
  const rejectedChanges = patch.rejected ? diffRejected(prev.rejected, patch.rejected) : { reject: [], unreject: [] };

  return {
    snapshot: {
      ...prev,
      residents,
      shifts,
      consents,
      fixed: patch.fixed ?? prev.fixed,
      rejected: patch.rejected ?? prev.rejected,
    },
    changes: [
      ...fixedChanges.unfix,
      ...rejectedChanges.unreject,
      ...removals,
      ...upserts,
      ...consentChanges,
      ...fixedChanges.fix,
      ...rejectedChanges.reject,
    ],
  };
}

/** Fixed matches that left or whose piece moved are unfixed, then (re)fixed with the new times. */
export function diffFixed(prev: readonly FixedMatch[], next: readonly FixedMatch[]) {
  const unfix: MatchingChange[] = [];
  const fix: MatchingChange[] = [];
  const before = new Map(prev.map((f) => [pairKey(f), f]));
  const after = new Map(next.map((f) => [pairKey(f), f]));
  for (const [key, f] of before) {
    const n = after.get(key);
    if (!n || n.startsAt !== f.startsAt || n.endsAt !== f.endsAt) unfix.push({ type: "match.unfix", residentId: f.residentId, shiftId: f.shiftId });
  }
  for (const [key, f] of after) {
    const p = before.get(key);
    if (!p || p.startsAt !== f.startsAt || p.endsAt !== f.endsAt) fix.push({ type: "match.fix", match: f });
  }
  return { unfix, fix };
}

export function diffRejected(prev: readonly PairRef[], next: readonly PairRef[]) {
  const before = new Set(prev.map(pairKey));
  const after = new Set(next.map(pairKey));
  const unreject: MatchingChange[] = prev.filter((r) => !after.has(pairKey(r))).map((r) => ({ type: "match.unreject", ...r }));
  const reject: MatchingChange[] = next.filter((r) => !before.has(pairKey(r))).map((r) => ({ type: "match.reject", ...r }));
  return { unreject, reject };
}
