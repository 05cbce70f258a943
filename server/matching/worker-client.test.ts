import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_NOW, createRng, editAvailability, generateSnapshot } from "../../bench/matching-generate.ts";
import { solve } from "./engine.ts";
import { snapshotChanges } from "./snapshot-diff.ts";
import { validateProposals } from "./validate.ts";
import { SolverWorker } from "./worker-client.ts";

describe("SolverWorker (the matching worker thread)", () => {
  const worker = new SolverWorker();
  afterAll(() => worker.close());

  it("solves in a worker thread exactly as in process, and survives a bad input", async () => {
    const snapshot = generateSnapshot({ residents: 300, tasks: 60, seed: 7 });
    const { proposals, stats, durationMs } = await worker.solve(snapshot, DEFAULT_NOW);
    expect(durationMs).toBeGreaterThanOrEqual(0);
    expect(stats.mode).toBe("full");
    expect(proposals.length).toBeGreaterThan(0);
    expect(proposals).toEqual(solve(snapshot, DEFAULT_NOW).proposals);

    await expect(worker.solve({ residents: null } as never, DEFAULT_NOW)).rejects.toThrow(/matching worker/);
    // The same worker keeps serving after a solver error.
    const again = await worker.solve(snapshot, DEFAULT_NOW);
    expect(again.stats.proposals).toBe(stats.proposals);
  }, 30_000);

  it("keeps a session per key: later snapshots are re-solved incrementally and stay valid", async () => {
    const rng = createRng(11);
    let snapshot = generateSnapshot({ residents: 400, tasks: 80, seed: 11 });
    const first = await worker.solve(snapshot, DEFAULT_NOW, "ws-1");
    expect(first.stats.mode).toBe("full");
    let proposals = first.proposals;
    for (let i = 0; i < 10; i++) {
      const index = rng.int(0, snapshot.residents.length - 1);
      const residents = [...snapshot.residents];
      residents[index] = editAvailability(rng, residents[index], DEFAULT_NOW);
      const rejected = i === 5 && proposals[0] ? [...snapshot.rejected, { residentId: proposals[0].residentId, shiftId: proposals[0].shiftId }] : snapshot.rejected;
      snapshot = { ...snapshot, residents, rejected, previous: proposals.map((p) => ({ residentId: p.residentId, shiftId: p.shiftId })) };
      const next = await worker.solve(snapshot, DEFAULT_NOW + i * 60_000, "ws-1");
      expect(next.stats.mode).toBe("incremental");
      expect(validateProposals(snapshot, DEFAULT_NOW + i * 60_000, next.proposals)).toEqual([]);
      proposals = next.proposals;
    }
    // Close to a fresh full solve of the last snapshot.
    const fresh = solve(snapshot, DEFAULT_NOW + 9 * 60_000);
    const total = (list: typeof proposals) => list.reduce((sum, p) => sum + p.score, 0);
    expect(total(proposals)).toBeGreaterThan(total(fresh.proposals) * 0.97);
  }, 30_000);
});

describe("snapshotChanges", () => {
  it("lists nothing for the same snapshot and a full solve for another time zone", () => {
    const snapshot = generateSnapshot({ residents: 50, tasks: 10, seed: 3 });
    expect(snapshotChanges(snapshot, { ...snapshot })).toEqual([]);
    expect(snapshotChanges(snapshot, { ...snapshot, timezoneOffsetMinutes: 0 })).toBeNull();
  });

  it("turns edits into session changes", () => {
    const snapshot = generateSnapshot({ residents: 50, tasks: 10, seed: 3 });
    const [r0, r1] = snapshot.residents;
    const s0 = snapshot.shifts[0];
    const next = {
      ...snapshot,
      residents: [{ ...r0, travelDistanceM: r0.travelDistanceM + 1 }, ...snapshot.residents.slice(2)],
      shifts: snapshot.shifts.slice(1),
      fixed: [...snapshot.fixed, { residentId: r0.id, shiftId: s0.id, startsAt: s0.startsAt, endsAt: s0.endsAt }],
      rejected: [...snapshot.rejected, { residentId: r0.id, shiftId: "x" }],
    };
    const types = snapshotChanges(snapshot, next)!.map((c) => c.type);
    expect(types).toEqual(expect.arrayContaining(["resident.upsert", "resident.remove", "shift.remove", "match.fix", "match.reject"]));
    expect(types.filter((t) => t === "resident.remove")).toHaveLength(1);
    expect(snapshotChanges(snapshot, next)!.find((c) => c.type === "resident.remove")).toMatchObject({ residentId: r1.id });
  });
});
