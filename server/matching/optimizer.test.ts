import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { objectiveOf, optimize, type OptimizerProblem } from "./optimizer.ts";

interface Spec {
  /** [start, end, seats?, week?] in minutes. */
  shifts: Array<[number, number, number?, number?]>;
  /** Per resident: cap (default 3), base rank, minutes left per week (default ∞). */
  residents: Array<{ cap?: number; base?: number; weekLeft?: number }>;
  /** [shift, resident, weight]. */
  edges: Array<[number, number, number]>;
  fairness?: number;
}

function problem(spec: Spec): OptimizerProblem {
  const S = spec.shifts.length;
  const sorted = [...spec.edges].sort((a, b) => a[0] - b[0] || b[2] - a[2] || a[1] - b[1]);
  const edgeStart = new Int32Array(S + 1);
  for (const [s] of sorted) edgeStart[s + 1]++;
  for (let s = 0; s < S; s++) edgeStart[s + 1] += edgeStart[s];
  const unit = spec.fairness ?? 0;
  return {
    shiftCount: S,
    residentCount: spec.residents.length,
    seats: Int32Array.from(spec.shifts, (x) => x[2] ?? 1),
    shiftStart: Float64Array.from(spec.shifts, (x) => x[0]),
    shiftEnd: Float64Array.from(spec.shifts, (x) => x[1]),
    shiftWeek: Int32Array.from(spec.shifts, (x) => x[3] ?? 0),
    shiftDuration: Int32Array.from(spec.shifts, (x) => x[1] - x[0]),
    edgeStart,
    edgeResident: Int32Array.from(sorted, (e) => e[1]),
    edgeWeight: Int32Array.from(sorted, (e) => e[2]),
    residentCap: Int32Array.from(spec.residents, (r) => r.cap ?? 3),
    residentBase: Int32Array.from(spec.residents, (r) => r.base ?? 0),
    weekLeft: (r) => spec.residents[r].weekLeft ?? Number.POSITIVE_INFINITY,
    fairness: (rank) => unit * Math.max(0, rank - 1),
  };
}

/** Chosen (shift, resident) pairs. */
function chosenPairs(p: OptimizerProblem, chosen: Uint8Array): string[] {
  const out: string[] = [];
  for (let s = 0; s < p.shiftCount; s++) {
    for (let e = p.edgeStart[s]; e < p.edgeStart[s + 1]; e++) if (chosen[e]) out.push(`${s}:${p.edgeResident[e]}`);
  }
  return out.sort();
}

/** Every constraint, checked directly. */
function feasible(p: OptimizerProblem, chosen: Uint8Array): boolean {
  const filled = new Int32Array(p.shiftCount);
  const byResident = new Map<number, number[]>();
  for (let s = 0; s < p.shiftCount; s++) {
    for (let e = p.edgeStart[s]; e < p.edgeStart[s + 1]; e++) {
      if (!chosen[e]) continue;
      filled[s]++;
      const list = byResident.get(p.edgeResident[e]) ?? [];
      if (list.includes(s)) return false;
      list.push(s);
      byResident.set(p.edgeResident[e], list);
    }
  }
  for (let s = 0; s < p.shiftCount; s++) if (filled[s] > p.seats[s]) return false;
  for (const [r, list] of byResident) {
    if (list.length > p.residentCap[r]) return false;
    for (const a of list) for (const b of list) if (a < b && p.shiftStart[a] < p.shiftEnd[b] && p.shiftStart[b] < p.shiftEnd[a]) return false;
    const minutes = new Map<number, number>();
    for (const s of list) minutes.set(p.shiftWeek[s], (minutes.get(p.shiftWeek[s]) ?? 0) + p.shiftDuration[s]);
    for (const [week, m] of minutes) if (m > p.weekLeft(r, week)) return false;
  }
  return true;
}

/** Exhaustive optimum (tiny problems only). */
function bruteForce(p: OptimizerProblem): number {
  const E = p.edgeResident.length;
  let best = 0;
  const chosen = new Uint8Array(E);
  for (let mask = 0; mask < 1 << E; mask++) {
    for (let e = 0; e < E; e++) chosen[e] = (mask >> e) & 1;
    if (feasible(p, chosen)) best = Math.max(best, objectiveOf(p, chosen));
  }
  return best;
}

describe("optimizer", () => {
  it("solves an assignment problem exactly", () => {
    // The greedy choice (r0 → s0 at 9) is not optimal: 8 + 8 + 7 beats 9 + 5 + 1.
    const p = problem({
      shifts: [[0, 60], [100, 160], [200, 260]],
      residents: [{ cap: 1 }, { cap: 1 }, { cap: 1 }],
      edges: [
        [0, 0, 9], [0, 1, 8], [0, 2, 1],
        [1, 0, 8], [1, 1, 5], [1, 2, 1],
        [2, 0, 1], [2, 1, 1], [2, 2, 7],
      ],
    });
    const result = optimize(p);
    expect(result.objective).toBe(23);
    expect(chosenPairs(p, result.chosen)).toEqual(["0:1", "1:0", "2:2"]);
  });

  it("fills several seats of one piece with several residents (mosaic)", () => {
    const p = problem({ shifts: [[0, 60, 2]], residents: [{}, {}, {}], edges: [[0, 0, 5], [0, 1, 7], [0, 2, 6]] });
    expect(chosenPairs(p, optimize(p).chosen)).toEqual(["0:1", "0:2"]);
  });

  it("gives one resident several pieces that do not overlap", () => {
    const p = problem({ shifts: [[0, 60], [60, 120], [120, 180]], residents: [{}], edges: [[0, 0, 5], [1, 0, 5], [2, 0, 5]] });
    expect(chosenPairs(p, optimize(p).chosen)).toEqual(["0:0", "1:0", "2:0"]);
  });

  it("never gives one resident overlapping pieces", () => {
    const p = problem({ shifts: [[0, 60], [30, 90]], residents: [{}], edges: [[0, 0, 5], [1, 0, 6]] });
    expect(chosenPairs(p, optimize(p).chosen)).toEqual(["1:0"]);
  });

  it("takes both ends of an overlap chain when they beat the middle", () => {
    // 0–60 and 90–150 both overlap 50–100, not each other.
    const p = problem({ shifts: [[0, 60], [50, 100], [90, 150]], residents: [{}], edges: [[0, 0, 5], [1, 0, 8], [2, 0, 5]] });
    expect(chosenPairs(p, optimize(p).chosen)).toEqual(["0:0", "2:0"]);
  });

  it("respects the count cap and prefers the best pieces", () => {
    const p = problem({ shifts: [[0, 60], [100, 160], [200, 260]], residents: [{ cap: 2 }], edges: [[0, 0, 5], [1, 0, 9], [2, 0, 7]] });
    expect(chosenPairs(p, optimize(p).chosen)).toEqual(["1:0", "2:0"]);
  });

  it("respects the weekly minutes and finds the best combination under them", () => {
    // 180 minutes left: two 60-minute pieces (5 + 5) beat the single 180-minute one (8).
    const p = problem({
      shifts: [[0, 60], [100, 160], [200, 380]],
      residents: [{ weekLeft: 180 }],
      edges: [[0, 0, 5], [1, 0, 5], [2, 0, 8]],
    });
    expect(chosenPairs(p, optimize(p).chosen)).toEqual(["0:0", "1:0"]);
  });

  it("moves a capped resident to their longer piece so that another can take theirs", () => {
    // r0 has 180 minutes: 0–60 (9) or 100–280 (6); r1 only fits 0–60 (6). Best: r0 → long, r1 → short.
    const p = problem({
      shifts: [[0, 60], [100, 280]],
      residents: [{ weekLeft: 180 }, {}],
      edges: [[0, 0, 9], [1, 0, 6], [0, 1, 6]],
    });
    const result = optimize(p);
    expect(result.objective).toBe(12);
    expect(chosenPairs(p, result.chosen)).toEqual(["0:1", "1:0"]);
  });

  it("applies fairness: a second piece only when it is worth more than the penalty", () => {
    const spec: Spec = { shifts: [[0, 60], [100, 160]], residents: [{}], edges: [[0, 0, 10], [1, 0, 4]] };
    expect(chosenPairs(problem({ ...spec, fairness: 3 }), optimize(problem({ ...spec, fairness: 3 })).chosen)).toHaveLength(2);
    expect(chosenPairs(problem({ ...spec, fairness: 5 }), optimize(problem({ ...spec, fairness: 5 })).chosen)).toEqual(["0:0"]);
  });

  it("spreads pieces over residents when fairness makes it better", () => {
    const p = problem({ shifts: [[0, 60], [100, 160]], residents: [{}, {}], edges: [[0, 0, 10], [1, 0, 10], [0, 1, 8], [1, 1, 8]], fairness: 3 });
    expect(optimize(p).objective).toBe(18);
  });

  it("counts a resident's existing open matches in the fairness rank", () => {
    const p = problem({ shifts: [[0, 60]], residents: [{ base: 2 }, {}], edges: [[0, 0, 10], [0, 1, 7]], fairness: 2 });
    // r0's proposal would be its third open match: 10 − 4 = 6 < 7.
    expect(chosenPairs(p, optimize(p).chosen)).toEqual(["0:1"]);
  });

  it("leaves a seat empty rather than take nobody", () => {
    const p = problem({ shifts: [[0, 60, 3]], residents: [{}], edges: [[0, 0, 5]] });
    expect(chosenPairs(p, optimize(p).chosen)).toEqual(["0:0"]);
  });

  it("is deterministic", () => {
    const spec: Spec = {
      shifts: [[0, 60, 2], [30, 90], [100, 160, 2]],
      residents: [{}, {}, {}, { cap: 1 }],
      edges: [[0, 0, 5], [0, 1, 5], [0, 2, 5], [1, 0, 5], [1, 3, 5], [2, 1, 5], [2, 2, 5], [2, 3, 5]],
    };
    const a = optimize(problem(spec));
    const b = optimize(problem(spec));
    expect([...a.chosen]).toEqual([...b.chosen]);
  });

  const tiny = fc.record({
    shifts: fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 })), { minLength: 1, maxLength: 4 }),
    residents: fc.array(fc.record({ cap: fc.integer({ min: 1, max: 3 }), base: fc.integer({ min: 0, max: 2 }), weekLeft: fc.constantFrom(1e9, 120, 180, 240) }), { minLength: 1, maxLength: 4 }),
    weights: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 16, maxLength: 16 }),
    fairness: fc.integer({ min: 0, max: 6 }),
  });

  it("never breaks a constraint, and is exact on tiny instances with one piece per resident", () => {
    fc.assert(
      fc.property(tiny, (t) => {
        const edges: Array<[number, number, number]> = [];
        let k = 0;
        for (let s = 0; s < t.shifts.length; s++) {
          for (let r = 0; r < t.residents.length; r++) {
            const w = t.weights[k++ % t.weights.length];
            if (w > 0 && edges.length < 14) edges.push([s, r, w]);
          }
        }
        const shifts = t.shifts.map(([slot, len, seats]): [number, number, number] => [slot * 60, slot * 60 + len * 60, seats]);
        const p = problem({ shifts, residents: t.residents, edges, fairness: t.fairness });
        const result = optimize(p);
        expect(feasible(p, result.chosen)).toBe(true);
        expect(result.objective).toBe(objectiveOf(p, result.chosen));
        const onePiece = problem({ shifts: shifts.map(([a, b]) => [a, b, 1]), residents: t.residents.map(() => ({ cap: 1 })), edges });
        expect(optimize(onePiece).objective).toBe(bruteForce(onePiece));
      }),
      { numRuns: 150, seed: 20260601 },
    );
  });

  it("is within 1% of the exhaustive optimum on at least 99% of tiny mosaic instances", () => {
    // Adversarial tiny instances (overlap chains, hour caps, two-seat pieces packed in a few
    // hours) are where a heuristic shows: a handful in a thousand need a three-way exchange the
    // local search does not try. Realistic instances are held to 1% against HiGHS (oracles.test.ts).
    const samples = fc.sample(tiny, { numRuns: 400, seed: 20260602 });
    let within = 0;
    let worst = 1;
    for (const t of samples) {
      const edges: Array<[number, number, number]> = [];
      let k = 0;
      for (let s = 0; s < t.shifts.length; s++) {
        for (let r = 0; r < t.residents.length; r++) {
          const w = t.weights[k++ % t.weights.length];
          if (w > 0 && edges.length < 14) edges.push([s, r, w + 10]);
        }
      }
      const shifts = t.shifts.map(([slot, len, seats]): [number, number, number] => [slot * 60, slot * 60 + len * 60, seats]);
      const p = problem({ shifts, residents: t.residents, edges, fairness: t.fairness });
      const best = bruteForce(p);
      const ours = optimize(p).objective;
      expect(ours).toBeLessThanOrEqual(best);
      const ratio = best > 0 ? ours / best : 1;
      if (ratio >= 0.99) within++;
      worst = Math.min(worst, ratio);
    }
    expect(within / samples.length).toBeGreaterThanOrEqual(0.99);
    expect(worst).toBeGreaterThanOrEqual(0.9);
  });
});
