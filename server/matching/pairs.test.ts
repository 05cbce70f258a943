import { describe, expect, it } from "vitest";
import { solve } from "./engine.ts";
import { Model } from "./model.ts";
import { resolveOptions, type MatchingOptionsInput } from "./options.ts";
import { assessPair, emptyExclusions } from "./pairs.ts";
import { DAY, HOUR, jst, MONDAY, offset, resident, shift, snapshot } from "./testing.ts";
import type { ExclusionCounts, MatchingSnapshot, ScoreBreakdown, SnapshotResident, SnapshotShift } from "./types.ts";

const NOW = MONDAY;
const TUESDAY_10 = jst(1, 600);

/** Which hard constraint excludes the only pair of a one-resident, one-piece snapshot. */
function verdict(snap: MatchingSnapshot, options?: MatchingOptionsInput): keyof ExclusionCounts | "ok" {
  const m = new Model(snap, NOW, resolveOptions(options));
  const r = m.residentIndex.get("r1")!;
  const s = m.shiftIndex.get("s1")!;
  const excluded = emptyExclusions();
  if (assessPair(m, r, s, excluded) >= 0) return "ok";
  const hit = Object.entries(excluded).filter(([, n]) => n > 0);
  expect(hit).toHaveLength(1);
  return hit[0][0] as keyof ExclusionCounts;
}

function pair(r: Partial<SnapshotResident> = {}, s: Partial<SnapshotShift> = {}, extra: Partial<MatchingSnapshot> = {}) {
  return snapshot({ residents: [resident("r1", r)], shifts: [shift("s1", s)], ...extra });
}

const otherShift = (id: string, startsAt: number, endsAt: number) => ({ residentId: "r1", shiftId: id, startsAt, endsAt });

describe("hard constraints", () => {
  it.each<[string, MatchingSnapshot, keyof ExclusionCounts | "ok", MatchingOptionsInput?]>([
    ["a plain pair is feasible", pair(), "ok"],
    ["a paused resident is never proposed", pair({ status: "PAUSED" }), "inactive"],
    ["a resident who left is never proposed", pair({ status: "LEFT" }), "inactive"],
    ["a piece that already started is not proposed", pair({}, { startsAt: NOW - HOUR, endsAt: NOW + HOUR }), "inactive"],
    ["a piece within the lead time is not proposed", pair({}, { startsAt: NOW + HOUR, endsAt: NOW + 2 * HOUR }), "inactive", { minLeadMinutes: 120 }],
    [
      "a piece whose seats are all taken by fixed matches is not proposed",
      pair({}, {}, { residents: [resident("r1"), resident("r2")], fixed: [{ residentId: "r2", shiftId: "s1", startsAt: TUESDAY_10, endsAt: TUESDAY_10 + 2 * HOUR }] }),
      "inactive",
    ],
    ["another organization's piece needs a consent", pair({}, { ownerOrgId: "org-b" }), "sharing"],
    ["a consent to that organization allows it", pair({}, { ownerOrgId: "org-b" }, { consents: [{ residentId: "r1", organizationId: "org-b" }] }), "ok"],
    ["a consent to a third organization does not", pair({}, { ownerOrgId: "org-b" }, { consents: [{ residentId: "r1", organizationId: "org-c" }] }), "sharing"],
    ["a revoked consent does not", pair({}, { ownerOrgId: "org-b" }, { consents: [{ residentId: "r1", organizationId: "org-b", revokedAt: NOW - DAY }] }), "sharing"],
    ["an expired consent does not", pair({}, { ownerOrgId: "org-b" }, { consents: [{ residentId: "r1", organizationId: "org-b", expiresAt: NOW - 1 }] }), "sharing"],
    ["a consent that expires later does", pair({}, { ownerOrgId: "org-b" }, { consents: [{ residentId: "r1", organizationId: "org-b", expiresAt: NOW + DAY }] }), "ok"],
    [
      "a consent without a required field does not",
      pair({}, { ownerOrgId: "org-b" }, { consents: [{ residentId: "r1", organizationId: "org-b", fields: ["name"] }] }),
      "sharing",
      { requiredConsentFields: ["contact"] },
    ],
    [
      "a consent with the required field does",
      pair({}, { ownerOrgId: "org-b" }, { consents: [{ residentId: "r1", organizationId: "org-b", fields: ["name", "contact"] }] }),
      "ok",
      { requiredConsentFields: ["contact"] },
    ],
    ["a required skill must be held", pair({}, { requiredSkillIds: ["cooking"] }), "skills"],
    ["any level of it will do", pair({ skills: { cooking: 1 } }, { requiredSkillIds: ["cooking"] }), "ok"],
    ["every required skill must be held", pair({ skills: { cooking: 3 } }, { requiredSkillIds: ["cooking", "driving"] }), "skills"],
    ["a level 0 does not count as held", pair({ skills: { cooking: 0 } }, { requiredSkillIds: ["cooking"] }), "skills"],
    ["beyond the travel distance", pair({ home: offset(0, 2100), travelDistanceM: 2000 }), "distance"],
    ["within the travel distance", pair({ home: offset(0, 1950), travelDistanceM: 2000 }), "ok"],
    ["no home point: in-person pieces are out", pair({ home: null }), "distance"],
    ["no home point: remote pieces are fine", pair({ home: null }, { isRemote: true, point: null }), "ok"],
    ["remote pieces ignore the distance", pair({ home: offset(0, 50_000) }, { isRemote: true }), "ok"],
    ["an in-person piece without a meeting point", pair({}, { point: null }), "distance"],
    ["not free at that time", pair({ windows: [{ weekday: 2, startMinute: 660, endMinute: 900 }] }), "availability"],
    ["free for the whole piece", pair({ windows: [{ weekday: 2, startMinute: 600, endMinute: 720 }] }), "ok"],
    ["a day off that date", pair({ exceptions: [{ date: "2026-06-02", available: false }] }), "availability"],
    ["a rejected pair is never proposed again", pair({}, {}, { rejected: [{ residentId: "r1", shiftId: "s1" }] }), "rejected"],
    ["overlapping a fixed match of the resident", pair({}, {}, { fixed: [otherShift("x", TUESDAY_10 + HOUR, TUESDAY_10 + 3 * HOUR)] }), "overlap"],
    ["right after a fixed match is fine", pair({}, {}, { fixed: [otherShift("x", TUESDAY_10 - 2 * HOUR, TUESDAY_10)] }), "ok"],
    [
      "over the weekly hour cap with fixed matches that ISO week",
      pair({ weeklyHourCap: 3 }, {}, { fixed: [otherShift("x", jst(3, 600), jst(3, 660) + 30 * 60_000)] }),
      "hourCap",
    ],
    [
      "fixed hours of the previous ISO week do not count",
      pair({ weeklyHourCap: 3 }, {}, { fixed: [otherShift("x", jst(-1, 600), jst(-1, 840))] }),
      "ok",
    ],
    ["a piece longer than the cap", pair({ weeklyHourCap: 1 }), "hourCap"],
    ["a score below the minimum", pair(), "minScore", { minScore: 0.99 }],
  ])("%s", (_name, snap, expected, options) => {
    expect(verdict(snap, options)).toBe(expected);
  });
});

/** The breakdown of the single proposal, or a failure when there is none. */
function breakdownOf(r: Partial<SnapshotResident> = {}, s: Partial<SnapshotShift> = {}, extra: Partial<MatchingSnapshot> = {}): ScoreBreakdown {
  const result = solve(pair(r, s, extra), NOW, { minScore: 0 });
  const proposal = result.proposals.find((p) => p.residentId === "r1" && p.shiftId === "s1");
  if (!proposal) throw new Error("no proposal");
  return proposal.breakdown;
}

const snug = [{ weekday: 2, startMinute: 600, endMinute: 720 }];

describe("score terms", () => {
  it.each<[string, Partial<SnapshotResident>, Partial<SnapshotShift>, keyof ScoreBreakdown, number]>([
    ["skill: level 3 of the required skill", { skills: { cooking: 3 } }, { requiredSkillIds: ["cooking"] }, "skill", 0.3],
    ["skill: level 2", { skills: { cooking: 2 } }, { requiredSkillIds: ["cooking"] }, "skill", 0.2],
    ["skill: level 1", { skills: { cooking: 1 } }, { requiredSkillIds: ["cooking"] }, "skill", 0.1],
    ["skill: mean over two required skills", { skills: { cooking: 3, driving: 1 } }, { requiredSkillIds: ["cooking", "driving"] }, "skill", 0.2],
    ["skill: none required is neutral", {}, {}, "skill", 0.15],
    ["interest: the task's category is an interest", { interests: ["food"] }, { category: "food" }, "interest", 0.15],
    ["interest: it is not", { interests: ["watch"] }, { category: "food" }, "interest", 0],
    ["distance: at the door", {}, {}, "distance", 0.2],
    ["distance: half the travel distance", { home: offset(1000, 0), travelDistanceM: 2000 }, {}, "distance", 0.1],
    ["distance: remote counts as at the door", { home: offset(1000, 0) }, { isRemote: true }, "distance", 0.2],
    ["time: the piece fills the free window", { windows: snug }, {}, "time", 0.1],
    ["time: two spare hours", { windows: [{ weekday: 2, startMinute: 540, endMinute: 780 }] }, {}, "time", 0.075],
    ["time: a free day bottoms out at 0.3", {}, {}, "time", 0.03],
    ["first time: never took part", { participation: { count: 0, lastAt: null } }, {}, "firstTime", 0.1],
    ["first time: a rare participant", { participation: { count: 2, lastAt: MONDAY - 10 * DAY } }, {}, "firstTime", 0.05],
    ["first time: back after a long break", { participation: { count: 8, lastAt: MONDAY - 200 * DAY } }, {}, "firstTime", 0.05],
    ["first time: a regular", { participation: { count: 8, lastAt: MONDAY - 10 * DAY } }, {}, "firstTime", 0],
    ["continuity: rated the owner 5", { participation: { count: 4, lastAt: MONDAY - DAY, ratingByOrg: { "org-a": 5 } } }, {}, "continuity", 0.1],
    ["continuity: rated the owner 4", { participation: { count: 4, lastAt: MONDAY - DAY, ratingByOrg: { "org-a": 4 } } }, {}, "continuity", 0.05],
    ["continuity: rated the owner 3", { participation: { count: 4, lastAt: MONDAY - DAY, ratingByOrg: { "org-a": 3 } } }, {}, "continuity", 0],
    ["continuity: rated another organization", { participation: { count: 4, lastAt: MONDAY - DAY, ratingByOrg: { "org-b": 5 } } }, {}, "continuity", 0],
    ["style: registered (登録制)", { style: "REGISTERED" }, {}, "style", 0.05],
    ["style: per event (都度)", { style: "PER_EVENT" }, {}, "style", 0.03],
  ])("%s", (_name, r, s, term, expected) => {
    const b = breakdownOf(r, s);
    expect(b[term]).toBeCloseTo(expected, 4);
  });

  it("fairness: an open fixed match makes the proposal the second open match", () => {
    const b = breakdownOf({}, {}, { fixed: [otherShift("x", jst(3, 600), jst(3, 660))] });
    expect(b.openMatchRank).toBe(2);
    expect(b.fairness).toBeCloseTo(-0.05, 4);
  });

  it("fairness: a fixed match that already ended does not count", () => {
    const b = breakdownOf({}, {}, { fixed: [otherShift("x", NOW - 2 * DAY, NOW - 2 * DAY + HOUR)] });
    expect(b.openMatchRank).toBe(1);
    expect(b.fairness).toBe(0);
  });

  it("fairness: the later of two proposals in one run pays it", () => {
    const result = solve(
      snapshot({
        residents: [resident("r1")],
        shifts: [shift("s1"), shift("s2", { startsAt: jst(2, 600), endsAt: jst(2, 720) })],
      }),
      NOW,
    );
    const [first, second] = [...result.proposals].sort((a, b) => a.breakdown.openMatchRank - b.breakdown.openMatchRank);
    expect(first.shiftId).toBe("s1");
    expect(first.breakdown.fairness).toBe(0);
    expect(second.breakdown.fairness).toBeCloseTo(-0.05, 4);
    expect(result.stats.totalScore).toBeCloseTo(first.score + second.score, 4);
  });

  it("adds the parts up to the total, which is the score", () => {
    const b = breakdownOf({ skills: { cooking: 2 }, interests: ["food"], home: offset(300, 400) }, { requiredSkillIds: ["cooking"] });
    const sum = b.skill + b.interest + b.distance + b.time + b.firstTime + b.continuity + b.fairness + b.style;
    expect(b.total).toBeCloseTo(sum, 6);
  });

  it("keeps the demo seed's breakdown keys (a superset of them)", () => {
    const b = breakdownOf({ skills: { cooking: 2 } }, { requiredSkillIds: ["cooking"] });
    for (const key of ["skill", "interest", "distance", "time", "firstTime", "continuity", "fairness", "style", "total", "distanceM", "walkMinutes", "skills"]) {
      expect(b).toHaveProperty(key);
    }
    expect(b.skills).toEqual(["cooking"]);
    expect(b.skillLevels).toEqual([2]);
  });

  it("reports metres and walking minutes at 80 m/min", () => {
    const b = breakdownOf({ home: offset(0, 950) });
    expect(b.distanceM).toBeGreaterThanOrEqual(949);
    expect(b.distanceM).toBeLessThanOrEqual(951);
    expect(b.walkMinutes).toBe(12);
  });
});
