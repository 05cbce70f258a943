import { describe, expect, it } from "vitest";
import { DirtyTracker, isEmptyPlan, planApply, planFromDiff } from "./apply-diff.ts";
import { classifyMatch, type MatchRowRef } from "./snapshot-loader.ts";
import type { Proposal } from "./types.ts";

const row = (residentId: string, shiftId: string, score = 0.5, explanationJa = "ja"): MatchRowRef => ({
  id: `m-${residentId}-${shiftId}`,
  residentId,
  shiftId,
  stage: "SUGGESTED",
  source: "MATCHER",
  pinned: false,
  score,
  explanationJa,
  explanationEn: "en",
});
const proposal = (residentId: string, shiftId: string, score = 0.5, explanationJa = "ja") =>
  ({ residentId, shiftId, taskId: "t", score, explanationJa, explanationEn: "en", kept: false, breakdown: {} }) as unknown as Proposal;

describe("DirtyTracker (debounce with max wait, injected time)", () => {
  it("runs debounceMs after the last change", () => {
    const t = new DirtyTracker(150, 1000);
    expect(t.mark("w", 0)).toBe(150);
    expect(t.mark("w", 100)).toBe(250);
  });

  it("never later than maxWaitMs after the first change", () => {
    const t = new DirtyTracker(150, 1000);
    t.mark("w", 0);
    for (let now = 100; now <= 2000; now += 100) t.mark("w", now);
    expect(t.deadline("w")).toBe(1000);
  });

  it("keys per workspace and starts over after take", () => {
    const t = new DirtyTracker(150, 1000);
    t.mark("a", 0);
    t.mark("b", 500);
    expect(t.deadline("a")).toBe(150);
    expect(t.deadline("b")).toBe(650);
    t.take("a");
    expect(t.isDirty("a")).toBe(false);
    expect(t.deadline("a")).toBeUndefined();
    expect(t.mark("a", 2000)).toBe(2150);
    expect(t.size).toBe(2);
  });

  it("answers a change to a quiet workspace after leadMs, and gathers a burst after a run", () => {
    const t = new DirtyTracker(150, 1000, 10);
    expect(t.mark("w", 0)).toBe(10); // quiet: leading edge
    expect(t.mark("w", 5)).toBe(10); // same burst, same run
    t.take("w", 10);
    expect(t.mark("w", 60)).toBe(210); // within debounceMs of the run: trailing debounce
    expect(t.mark("w", 100)).toBe(250);
    t.take("w", 250);
    expect(t.mark("w", 1000)).toBe(1010); // quiet again
    expect(t.mark("x", 0, 500)).toBe(500); // notBefore still wins
  });

  it("honours notBefore (retry after an error, lock held elsewhere)", () => {
    const t = new DirtyTracker(150, 1000);
    expect(t.mark("w", 0, 5000)).toBe(5000);
    // A later change does not bring the retry forward.
    expect(t.mark("w", 100)).toBe(5000);
  });
});

describe("planApply (diff → database operations)", () => {
  it("creates new pairs, removes dropped engine rows, rescores changed ones, leaves equal ones", () => {
    const current = [row("r1", "s1"), row("r2", "s1", 0.4), row("r3", "s2")];
    const next = [proposal("r1", "s1"), proposal("r2", "s1", 0.6), proposal("r4", "s2")];
    const plan = planApply(current, next);
    expect(plan.create.map((p) => p.residentId)).toEqual(["r4"]);
    expect(plan.remove.map((r) => r.id)).toEqual(["m-r3-s2"]);
    expect(plan.update.map((u) => [u.row.id, u.proposal.score])).toEqual([["m-r2-s1", 0.6]]);
  });

  it("counts an explanation change as an update", () => {
    const plan = planApply([row("r1", "s1")], [proposal("r1", "s1", 0.5, "別の理由")]);
    expect(plan.update).toHaveLength(1);
  });

  it("is empty when the proposals did not change", () => {
    expect(isEmptyPlan(planApply([row("r1", "s1")], [proposal("r1", "s1")]))).toBe(true);
    expect(isEmptyPlan(planApply([], []))).toBe(true);
  });
});

describe("planFromDiff (the engine's diff → database operations)", () => {
  it("plans what planApply plans when the rows equal the previous proposals", () => {
    const current = [row("r1", "s1"), row("r2", "s1", 0.4), row("r3", "s2")];
    const next = [proposal("r1", "s1"), proposal("r2", "s1", 0.6), proposal("r4", "s2")];
    const diff = { added: [proposal("r4", "s2")], removed: [{ residentId: "r3", shiftId: "s2" }], updated: [proposal("r2", "s1", 0.6)] };
    expect(planFromDiff(current, diff)).toEqual(planApply(current, next));
  });

  it("trusts the rows where the diff disagrees with them", () => {
    const diff = { added: [proposal("r1", "s1")], removed: [{ residentId: "r9", shiftId: "s9" }], updated: [proposal("r2", "s2", 0.7)] };
    const plan = planFromDiff([row("r1", "s1")], diff);
    expect(plan.create.map((p) => p.residentId)).toEqual(["r2"]); // updated but missing: created
    expect(plan.remove).toEqual([]); // removed but not an engine row: nothing to delete
    expect(plan.update).toEqual([]); // added but already held with the same score
  });
});

describe("classifyMatch (Match row → snapshot)", () => {
  it.each([
    [{ stage: "SUGGESTED", source: "MATCHER", pinned: false }, "previous"],
    [{ stage: "SUGGESTED", source: "MATCHER", pinned: true }, "fixed"],
    [{ stage: "SUGGESTED", source: "COORDINATOR", pinned: false }, "fixed"],
    [{ stage: "SUGGESTED", source: "APPLICATION", pinned: false }, "fixed"],
    [{ stage: "CONTACTING", source: "MATCHER", pinned: false }, "fixed"],
    [{ stage: "CONFIRMED", source: "MATCHER", pinned: false }, "fixed"],
    [{ stage: "COMPLETED", source: "MATCHER", pinned: false }, "fixed"],
    [{ stage: "DECLINED", source: "MATCHER", pinned: false }, "rejected"],
    [{ stage: "WITHDRAWN", source: "COORDINATOR", pinned: true }, "rejected"],
  ] as const)("%o → %s", (input, expected) => {
    expect(classifyMatch(input)).toBe(expected);
  });
});
