import { describe, expect, it } from "vitest";
import { DirtyTracker, isEmptyPlan, planApply } from "./apply-diff.ts";
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
