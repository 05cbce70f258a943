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

  const residents = patchList(prev.residents, patch.residents, (r) => ({ type: "resident.upsert", resident: r }), (id) => ({ type: "resident.remove", residentId: id }), upserts, removals);
  const shifts = patchList(prev.shifts, patch.shifts, (x) => ({ type: "shift.upsert", shift: x }), (id) => ({ type: "shift.remove", shiftId: id }), upserts, removals);

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

/** id → position in a list, kept per list object: a one-record patch costs a copy, not a rebuild. */
const positions = new WeakMap<readonly { id: string }[], Map<string, number>>();

function positionsOf<T extends { id: string }>(list: readonly T[]): Map<string, number> {
  let index = positions.get(list);
  if (!index) {
    index = new Map(list.map((item, i) => [item.id, i]));
    positions.set(list, index);
  }
  return index;
}

/** The list after upserts and removals (the same object when nothing changed), recording the changes. */
function patchList<T extends { id: string }>(
  prev: readonly T[],
  patch: { upsert: readonly T[]; remove: readonly string[] } | undefined,
  upserted: (item: T) => MatchingChange,
  removed: (id: string) => MatchingChange,
  upserts: MatchingChange[],
  removals: MatchingChange[],
): readonly T[] {
  if (!patch || (patch.upsert.length === 0 && patch.remove.length === 0)) return prev;
  const index = positionsOf(prev);
  const next = prev.slice();
  const added: T[] = [];
  for (const item of patch.upsert) {
    const at = index.get(item.id);
    if (at === undefined) {
      added.push(item);
      upserts.push(upserted(item));
    } else {
      if (JSON.stringify(prev[at]) !== JSON.stringify(item)) upserts.push(upserted(item));
      next[at] = item;
    }
  }
  const gone = new Set(patch.remove.filter((id) => index.has(id)));
  for (const id of gone) removals.push(removed(id));
  if (gone.size === 0 && added.length === 0) {
    positions.set(next, index); // same ids at the same places
    return next;
  }
  return [...next.filter((item) => !gone.has(item.id)), ...added];
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
