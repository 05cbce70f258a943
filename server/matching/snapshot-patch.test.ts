import { describe, expect, it } from "vitest";
import { DEFAULT_NOW, createRng, editAvailability, generateSnapshot } from "../../bench/matching-generate.ts";
import { MatchingSession } from "./engine.ts";
import { snapshotChanges } from "./snapshot-diff.ts";
import { applySnapshotPatch, type SnapshotPatch } from "./snapshot-patch.ts";
import { HOUR } from "./testing.ts";
import type { MatchingChange } from "./types.ts";

const sortChanges = (changes: MatchingChange[]) => changes.map((c) => JSON.stringify(c)).sort();

describe("applySnapshotPatch", () => {
  const base = generateSnapshot({ residents: 200, tasks: 40, seed: 5 });

  it("gives the same changes as diffing the whole snapshots, on random patches", () => {
    const rng = createRng(3);
    for (let round = 0; round < 40; round++) {
      const edited = base.residents.filter(() => rng.next() < 0.03).map((r) => editAvailability(rng, r, DEFAULT_NOW));
      const editedIds = new Set(edited.map((r) => r.id));
      const unchanged = base.residents.filter((r) => !editedIds.has(r.id) && rng.next() < 0.02); // named but equal: no change
      const named = new Set([...editedIds, ...unchanged.map((r) => r.id)]);
      const removedResidents = base.residents.filter((r) => !named.has(r.id) && rng.next() < 0.01).map((r) => r.id);
      const movedShifts = base.shifts.filter(() => rng.next() < 0.03).map((s) => ({ ...s, startsAt: s.startsAt + HOUR, endsAt: s.endsAt + HOUR }));
      const movedIds = new Set(movedShifts.map((s) => s.id));
      const removedShifts = base.shifts.filter((s) => !movedIds.has(s.id) && rng.next() < 0.02).map((s) => s.id);
      const consentResidents = base.residents.filter(() => rng.next() < 0.03).map((r) => r.id);
      const fixed = base.residents.slice(0, 3).map((r, i) => ({
        residentId: r.id,
        shiftId: base.shifts[i + round % 5].id,
        startsAt: base.shifts[i + round % 5].startsAt,
        endsAt: base.shifts[i + round % 5].endsAt,
      }));
      const patch: SnapshotPatch = {
        residents: { upsert: [...edited, ...unchanged], remove: removedResidents },
        shifts: { upsert: movedShifts, remove: removedShifts },
        consents: {
          residentIds: consentResidents,
          rows: consentResidents.filter((_, i) => i % 2 === 0).map((id) => ({ residentId: id, organizationId: "org-city", expiresAt: null, revokedAt: null })),
        },
        fixed,
        rejected: round % 2 === 0 ? [{ residentId: base.residents[9].id, shiftId: base.shifts[9].id }] : [],
      };
      const { snapshot, changes } = applySnapshotPatch(base, patch);
      expect(sortChanges(changes)).toEqual(sortChanges(snapshotChanges(base, snapshot)!));
      // The patched snapshot holds exactly what the patch says.
      const ids = new Set(snapshot.residents.map((r) => r.id));
      for (const id of removedResidents) expect(ids.has(id)).toBe(false);
      expect(snapshot.residents.length).toBe(base.residents.length - removedResidents.length);
      expect(snapshot.shifts.length).toBe(base.shifts.length - removedShifts.length);
      expect(changes.length).toBeGreaterThan(0);
    }
  });

  it("produces no change for a patch that repeats what the snapshot holds", () => {
    const patch: SnapshotPatch = {
      residents: { upsert: base.residents.slice(0, 10), remove: [] },
      shifts: { upsert: base.shifts.slice(0, 10), remove: ["no-such-shift"] },
      consents: { residentIds: base.consents.slice(0, 5).map((c) => c.residentId), rows: base.consents },
      fixed: base.fixed,
      rejected: base.rejected,
    };
    expect(applySnapshotPatch(base, patch).changes).toEqual([]);
  });

  it("feeds a session to the same proposals as a fresh solve of the patched snapshot's changes", () => {
    const rng = createRng(8);
    const session = new MatchingSession(base, DEFAULT_NOW);
    const viaDiff = new MatchingSession(base, DEFAULT_NOW);
    let snapshot = base;
    for (let i = 0; i < 10; i++) {
      const r = editAvailability(rng, snapshot.residents[rng.int(0, snapshot.residents.length - 1)], DEFAULT_NOW);
      const next = applySnapshotPatch(snapshot, { residents: { upsert: [r], remove: [] } });
      session.apply(next.changes, DEFAULT_NOW);
      viaDiff.apply(snapshotChanges(snapshot, next.snapshot)!, DEFAULT_NOW);
      snapshot = next.snapshot;
    }
    expect(session.proposals()).toEqual(viaDiff.proposals());
  });
});
