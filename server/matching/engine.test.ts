import { describe, expect, it } from "vitest";
import { diffProposals, MatchingSession, solve } from "./engine.ts";
import { DAY, HOUR, jst, MONDAY, offset, resident, shift, snapshot } from "./testing.ts";
import type { MatchingSnapshot, PairRef, Proposal } from "./types.ts";
import { validateProposals } from "./validate.ts";

const NOW = MONDAY;
const pairs = (list: readonly PairRef[]) => list.map((p) => `${p.residentId}:${p.shiftId}`).sort();

/** r1 is the best candidate of s1 (closer), r2 the second, r3 the third. */
function ladder(over: Partial<MatchingSnapshot> = {}): MatchingSnapshot {
  return snapshot({
    residents: [
      resident("r1", { home: offset(0, 100) }),
      resident("r2", { home: offset(0, 900) }),
      resident("r3", { home: offset(0, 1700) }),
    ],
    shifts: [shift("s1")],
    ...over,
  });
}

describe("solve", () => {
  it("proposes the best resident for a piece, with a kept breakdown and explanations", () => {
    const result = solve(ladder(), NOW);
    expect(pairs(result.proposals)).toEqual(["r1:s1"]);
    const [p] = result.proposals;
    expect(p.taskId).toBe("task-s1");
    expect(p.score).toBe(p.breakdown.total);
    expect(p.explanationJa).toContain("徒歩2分");
    expect(p.explanationEn).toContain("2 min walk");
    expect(result.stats).toMatchObject({ proposals: 1, openSeats: 1, candidatePairs: 3, kept: 0, added: 1, removed: 0 });
  });

  it("fills a piece's headcount with several residents", () => {
    const result = solve(ladder({ shifts: [shift("s1", { headcount: 2 })] }), NOW);
    expect(pairs(result.proposals)).toEqual(["r1:s1", "r2:s1"]);
  });

  it("counts fixed matches against the headcount and never proposes them again", () => {
    const fixed = [{ residentId: "r1", shiftId: "s1", startsAt: jst(1, 600), endsAt: jst(1, 720) }];
    const result = solve(ladder({ shifts: [shift("s1", { headcount: 2 })], fixed }), NOW);
    expect(pairs(result.proposals)).toEqual(["r2:s1"]);
  });

  it("keeps residents with a fixed match elsewhere off overlapping pieces", () => {
    const fixed = [{ residentId: "r1", shiftId: "elsewhere", startsAt: jst(1, 660), endsAt: jst(1, 780) }];
    expect(pairs(solve(ladder({ fixed }), NOW).proposals)).toEqual(["r2:s1"]);
  });

  it("never proposes a rejected pair again", () => {
    expect(pairs(solve(ladder({ rejected: [{ residentId: "r1", shiftId: "s1" }] }), NOW).proposals)).toEqual(["r2:s1"]);
  });

  it("proposes nothing for pieces that already started", () => {
    expect(solve(ladder(), jst(1, 601)).proposals).toEqual([]);
  });

  it("keeps a previous proposal unless the new one gains more than the switching cost", () => {
    // r1 beats r2 by 0.08 (distance) : more than the default 0.05, less than 0.1.
    const previous = [{ residentId: "r2", shiftId: "s1" }];
    const moved = solve(ladder({ previous }), NOW);
    expect(pairs(moved.proposals)).toEqual(["r1:s1"]);
    expect(moved.stats).toMatchObject({ kept: 0, added: 1, removed: 1 });
    const kept = solve(ladder({ previous }), NOW, { switchingCost: 0.1 });
    expect(pairs(kept.proposals)).toEqual(["r2:s1"]);
    expect(kept.proposals[0].kept).toBe(true);
    expect(kept.stats).toMatchObject({ kept: 1, added: 0, removed: 0 });
    expect(kept.stats.objective).toBeCloseTo(kept.stats.totalScore + 0.1, 6);
  });

  it("gives the same output for the same input, whatever the input order", () => {
    const snap = ladder({ shifts: [shift("s1", { headcount: 2 }), shift("s2", { startsAt: jst(2, 600), endsAt: jst(2, 700) })] });
    const a = solve(snap, NOW);
    const b = solve({ ...snap, residents: [...snap.residents].reverse(), shifts: [...snap.shifts].reverse() }, NOW);
    expect(b).toEqual(a);
  });

  it("prefers spreading pieces over residents when fairness pays for it", () => {
    const snap = snapshot({
      residents: [resident("r1", { home: offset(0, 100) }), resident("r2", { home: offset(0, 300) })],
      shifts: [shift("s1"), shift("s2", { startsAt: jst(2, 600), endsAt: jst(2, 720) })],
    });
    const result = solve(snap, NOW);
    expect(pairs(result.proposals)).toEqual(["r1:s1", "r2:s2"].sort());
  });
});

describe("MatchingSession", () => {
  const base = () =>
    snapshot({
      residents: [
        resident("r1", { home: offset(0, 100) }),
        resident("r2", { home: offset(0, 900) }),
        resident("r3", { home: offset(0, 1700), registeredByOrgId: "org-b" }),
      ],
      shifts: [
        shift("s1"),
        shift("s2", { startsAt: jst(2, 600), endsAt: jst(2, 720), point: offset(0, 1500) }),
        shift("s3", { startsAt: jst(3, 600), endsAt: jst(3, 720), ownerOrgId: "org-b" }),
      ],
    });

  it("starts from a full solve", () => {
    const session = new MatchingSession(base(), NOW);
    expect(session.proposals()).toEqual(session.result.proposals);
    expect(pairs(session.proposals())).toEqual(["r1:s1", "r2:s2", "r3:s3"]);
  });

  it("moves a proposal when its resident's availability no longer fits, and reports the diff", () => {
    const session = new MatchingSession(base(), NOW);
    const r1 = { ...base().residents[0], windows: [] };
    const { diff, stats } = session.apply([{ type: "resident.upsert", resident: r1 }], NOW);
    expect(pairs(diff.removed)).toEqual(["r1:s1"]);
    expect(pairs(diff.added)).toContain("r2:s1");
    expect(stats.mode).toBe("incremental");
    expect(validateProposals({ ...base(), residents: [r1, ...base().residents.slice(1)] }, NOW, session.proposals())).toEqual([]);
  });

  it("drops a removed resident's proposals", () => {
    const session = new MatchingSession(base(), NOW);
    const { diff } = session.apply([{ type: "resident.remove", residentId: "r3" }], NOW);
    expect(pairs(diff.removed)).toEqual(["r3:s3"]);
    expect(pairs(session.proposals())).not.toContain("r3:s3");
  });

  it("fills a raised headcount and a new piece", () => {
    const session = new MatchingSession(base(), NOW);
    const { diff } = session.apply(
      [
        { type: "shift.upsert", shift: { ...base().shifts[0], headcount: 2 } },
        { type: "shift.upsert", shift: shift("s4", { startsAt: jst(4, 600), endsAt: jst(4, 660) }) },
      ],
      NOW,
    );
    expect(pairs(diff.added)).toEqual(expect.arrayContaining(["r2:s1"]));
    expect(pairs(session.proposals()).some((k) => k.endsWith(":s4"))).toBe(true);
  });

  it("drops a removed piece's proposals", () => {
    const session = new MatchingSession(base(), NOW);
    const { diff } = session.apply([{ type: "shift.remove", shiftId: "s2" }], NOW);
    expect(pairs(diff.removed)).toEqual(["r2:s2"]);
  });

  it("applies consents: another organization's piece only with one", () => {
    const session = new MatchingSession(base(), NOW);
    // r1 is closest to s3 (org-b) but registered by org-a.
    expect(pairs(session.proposals())).toContain("r3:s3");
    session.apply([{ type: "resident.remove", residentId: "r3" }], NOW);
    expect(pairs(session.proposals()).filter((k) => k.endsWith(":s3"))).toEqual([]);
    session.apply([{ type: "consents.set", residentId: "r1", consents: [{ residentId: "r1", organizationId: "org-b" }] }], NOW);
    expect(pairs(session.proposals())).toContain("r1:s3");
    const { diff } = session.apply([{ type: "consents.set", residentId: "r1", consents: [] }], NOW);
    expect(pairs(diff.removed)).toEqual(["r1:s3"]);
  });

  it("treats a fixed proposal as fixed: not removed, seat and time taken", () => {
    const session = new MatchingSession(base(), NOW);
    const { diff } = session.apply(
      [{ type: "match.fix", match: { residentId: "r1", shiftId: "s1", startsAt: jst(1, 600), endsAt: jst(1, 720) } }],
      NOW,
    );
    expect(diff.removed).toEqual([]);
    expect(pairs(session.proposals())).not.toContain("r1:s1");
    expect(pairs(session.proposals()).filter((k) => k.endsWith(":s1"))).toEqual([]);
    const unfixed = session.apply([{ type: "match.unfix", residentId: "r1", shiftId: "s1" }], NOW);
    expect(pairs(unfixed.diff.added)).toEqual(["r1:s1"]);
  });

  it("never proposes a rejected pair again, until it is un-rejected", () => {
    const session = new MatchingSession(base(), NOW);
    const { diff } = session.apply([{ type: "match.reject", residentId: "r1", shiftId: "s1" }], NOW);
    expect(pairs(diff.removed)).toEqual(["r1:s1"]);
    expect(pairs(diff.added)).toEqual(["r2:s1"]);
    session.apply([{ type: "resident.upsert", resident: { ...base().residents[0], travelDistanceM: 2500 } }], NOW);
    expect(pairs(session.proposals())).not.toContain("r1:s1");
    session.apply([{ type: "match.unreject", residentId: "r1", shiftId: "s1" }], NOW);
    expect(pairs(session.proposals())).toContain("r1:s1");
  });

  it("drops proposals of pieces that started when time moves on", () => {
    const session = new MatchingSession(base(), NOW);
    const { diff } = session.apply([], jst(1, 630));
    expect(pairs(diff.removed)).toEqual(["r1:s1"]);
    expect(() => session.apply([], NOW)).toThrow(RangeError);
  });

  it("solves a large batch in full, keeping previous proposals stable", () => {
    const session = new MatchingSession(base(), NOW, { fullSolveShare: 0.01 });
    const moved = base().residents.map((r) => ({ type: "resident.upsert" as const, resident: { ...r, interests: ["food"] } }));
    const { stats, diff } = session.apply(moved, NOW);
    expect(stats.mode).toBe("full");
    expect(diff.removed).toEqual([]);
    expect(diff.updated.length).toBe(3); // same pairs, higher scores (interest)
  });

  it("matches residents and pieces added far outside the first snapshot's latitudes", () => {
    const session = new MatchingSession(base(), NOW);
    const sapporo = { lat: 43.0621, lng: 141.3544 };
    // 1,950 m east of the piece (travel 2,000 m): a projection made for Tokyo's latitude would
    // stretch that beyond reach.
    const east = { lat: sapporo.lat, lng: sapporo.lng + 1950 / (111_195 * Math.cos((sapporo.lat * Math.PI) / 180)) };
    session.apply(
      [
        { type: "resident.upsert", resident: resident("r9", { home: east }) },
        { type: "shift.upsert", shift: shift("s9", { point: sapporo, startsAt: jst(4, 600), endsAt: jst(4, 660) }) },
      ],
      NOW,
    );
    expect(pairs(session.proposals())).toContain("r9:s9");
    const alone = snapshot({ residents: [resident("r9", { home: east })], shifts: [shift("s9", { point: sapporo })] });
    expect(pairs(solve(alone, NOW).proposals)).toEqual(["r9:s9"]);
  });

  it("reports updated scores when a resident's other proposals change their fairness rank", () => {
    const snap = snapshot({
      residents: [resident("r1")],
      shifts: [shift("s1"), shift("s2", { startsAt: jst(2, 600), endsAt: jst(2, 720) })],
    });
    const session = new MatchingSession(snap, NOW);
    expect(pairs(session.proposals())).toEqual(["r1:s1", "r1:s2"]);
    const { diff } = session.apply([{ type: "shift.remove", shiftId: "s1" }], NOW);
    expect(pairs(diff.removed)).toEqual(["r1:s1"]);
    expect(pairs(diff.updated)).toEqual(["r1:s2"]);
    expect(diff.updated[0].breakdown.fairness).toBe(0);
  });
});

describe("diffProposals", () => {
  it("lists added, removed and updated pairs", () => {
    const p = (residentId: string, shiftId: string, score: number) => ({ residentId, shiftId, score, explanationJa: "", explanationEn: "" }) as Proposal;
    const diff = diffProposals([p("a", "1", 0.5), p("b", "1", 0.5)], [p("b", "1", 0.6), p("c", "2", 0.4)]);
    expect(pairs(diff.added)).toEqual(["c:2"]);
    expect(pairs(diff.removed)).toEqual(["a:1"]);
    expect(pairs(diff.updated)).toEqual(["b:1"]);
  });
});

describe("validateProposals (the independent checker)", () => {
  it.each<[string, MatchingSnapshot, PairRef[], string]>([
    ["a double booking", ladder({ shifts: [shift("s1"), shift("s2", { startsAt: jst(1, 660), endsAt: jst(1, 780) })] }), [{ residentId: "r1", shiftId: "s1" }, { residentId: "r1", shiftId: "s2" }], "overlaps"],
    ["an over-full piece", ladder(), [{ residentId: "r1", shiftId: "s1" }, { residentId: "r2", shiftId: "s1" }], "headcount"],
    ["a rejected pair", ladder({ rejected: [{ residentId: "r1", shiftId: "s1" }] }), [{ residentId: "r1", shiftId: "s1" }], "rejected"],
    ["an unavailable resident", ladder({ residents: [resident("r1", { windows: [] })] }), [{ residentId: "r1", shiftId: "s1" }], "not free"],
    ["a resident too far away", ladder({ residents: [resident("r1", { home: offset(0, 5000) })] }), [{ residentId: "r1", shiftId: "s1" }], "travel"],
    ["another organization without consent", ladder({ shifts: [shift("s1", { ownerOrgId: "org-b" })] }), [{ residentId: "r1", shiftId: "s1" }], "consent"],
    ["a piece that started", ladder({ shifts: [shift("s1", { startsAt: NOW - HOUR, endsAt: NOW + HOUR })] }), [{ residentId: "r1", shiftId: "s1" }], "started"],
    ["the hour cap", ladder({ residents: [resident("r1", { weeklyHourCap: 1 })] }), [{ residentId: "r1", shiftId: "s1" }], "cap"],
  ])("flags %s", (_name, snap, proposals, message) => {
    const errors = validateProposals(snap, NOW, proposals);
    expect(errors.join("\n")).toContain(message);
  });

  it("accepts what the engine proposes", () => {
    const snap = ladder({ shifts: [shift("s1", { headcount: 3 })], fixed: [{ residentId: "r3", shiftId: "x", startsAt: NOW + 3 * DAY, endsAt: NOW + 3 * DAY + HOUR }] });
    expect(validateProposals(snap, NOW, solve(snap, NOW).proposals)).toEqual([]);
  });
});
