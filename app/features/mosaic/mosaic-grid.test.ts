import { describe, expect, it } from "vitest";
import { buildMosaic, cellKey, compareCandidates, MOSAIC_SOON_MS, planTeam, type MosaicMatch, type MosaicPiece, type MosaicStage } from "./mosaic-grid";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-12-01T00:00:00Z: time is passed in. */
const NOW = Date.UTC(2026, 11, 1);
const at = (ms: number) => new Date(NOW + ms).toISOString();

function m(id: string, resident: string, stage: MosaicStage = "SUGGESTED", extra: Partial<MosaicMatch> = {}): MosaicMatch {
  return {
    id,
    stage,
    version: 1,
    score: 0.5,
    pinned: false,
    resident: { id: resident, publicCode: resident.toUpperCase(), label: `住民 #${resident}`, labelEn: `Resident #${resident}` },
    ...extra,
  };
}

function piece(id: string, role: string, startsIn: number, hours: number, headcount: number, matches: MosaicMatch[]): MosaicPiece {
  return { id, role, roleEn: null, startsAt: at(startsIn), endsAt: at(startsIn + hours * HOUR), headcount, matches };
}

describe("compareCandidates", () => {
  it.each([
    ["pinned before higher score", m("a", "r1", "SUGGESTED", { pinned: true, score: 0.1 }), m("b", "r2", "SUGGESTED", { score: 0.9 }), -1],
    ["further along before higher score", m("a", "r1", "ARRANGING", { score: 0.1 }), m("b", "r2", "CONTACTING", { score: 0.9 }), -1],
    ["higher score first", m("a", "r1", "SUGGESTED", { score: 0.4 }), m("b", "r2", "SUGGESTED", { score: 0.6 }), 1],
    ["same everything: by id", m("a", "r1"), m("b", "r2"), -1],
  ] as const)("%s", (_name, a, b, sign) => {
    expect(Math.sign(compareCandidates(a, b))).toBe(sign);
  });
});

describe("planTeam", () => {
  const cases: Array<{ name: string; pieces: MosaicPiece[]; picks: string[]; unfilled: Array<{ shiftId: string; missing: number; reason: string }> }> = [
    {
      name: "fills each open place with the best proposal",
      pieces: [piece("p1", "調理", DAY, 2, 2, [m("a", "r1", "SUGGESTED", { score: 0.3 }), m("b", "r2", "SUGGESTED", { score: 0.9 }), m("c", "r3", "SUGGESTED", { score: 0.6 })])],
      picks: ["b", "c"],
      unfilled: [],
    },
    {
      name: "places already filled are not filled again",
      pieces: [piece("p1", "調理", DAY, 2, 2, [m("a", "r1", "CONFIRMED"), m("b", "r2"), m("c", "r3")])],
      picks: ["b"],
      unfilled: [],
    },
    {
      name: "a full piece gets nobody",
      pieces: [piece("p1", "調理", DAY, 2, 1, [m("a", "r1", "ACTIVE"), m("b", "r2")])],
      picks: [],
      unfilled: [],
    },
    {
      name: "the same resident is not picked for two overlapping pieces; the next best is",
      pieces: [
        piece("p1", "調理", DAY, 2, 1, [m("a", "r1", "SUGGESTED", { score: 0.9 })]),
        piece("p2", "受付", DAY + HOUR, 2, 1, [m("b", "r1", "SUGGESTED", { score: 0.9 }), m("c", "r2", "SUGGESTED", { score: 0.2 })]),
      ],
      picks: ["a", "c"],
      unfilled: [],
    },
    {
      name: "back-to-back pieces do not overlap",
      pieces: [piece("p1", "調理", DAY, 2, 1, [m("a", "r1")]), piece("p2", "片付け", DAY + 2 * HOUR, 1, 1, [m("b", "r1")])],
      picks: ["a", "b"],
      unfilled: [],
    },
    {
      name: "a resident already booked in the task is not picked for an overlapping piece",
      pieces: [piece("p1", "調理", DAY, 2, 1, [m("a", "r1", "CONFIRMED")]), piece("p2", "受付", DAY, 2, 1, [m("b", "r1")])],
      picks: [],
      unfilled: [{ shiftId: "p2", missing: 1, reason: "no-candidates" }],
    },
    {
      name: "declined and withdrawn cards are never picked; missing places are reported",
      pieces: [piece("p1", "調理", DAY, 2, 3, [m("a", "r1", "DECLINED"), m("b", "r2", "WITHDRAWN"), m("c", "r3", "CONTACTING")])],
      picks: ["c"],
      unfilled: [{ shiftId: "p1", missing: 2, reason: "no-candidates" }],
    },
    {
      name: "a piece that has started is left alone",
      pieces: [piece("p1", "調理", -HOUR, 2, 1, [m("a", "r1")])],
      picks: [],
      unfilled: [{ shiftId: "p1", missing: 1, reason: "started" }],
    },
  ];
  it.each(cases)("$name", ({ pieces, picks, unfilled }) => {
    const plan = planTeam(pieces, NOW);
    expect(plan.picks.map((p) => p.matchId)).toEqual(picks);
    expect(plan.unfilled).toEqual(unfilled);
  });

  it("carries the version each card had, for the server's check", () => {
    const plan = planTeam([piece("p1", "調理", DAY, 1, 1, [m("a", "r1", "ARRANGING", { version: 7 })])], NOW);
    expect(plan.picks).toEqual([{ matchId: "a", shiftId: "p1", residentId: "r1", expectedVersion: 7 }]);
  });
});

describe("buildMosaic", () => {
  const pieces = [
    piece("late-cook", "調理", DAY + 4 * HOUR, 2, 1, [m("d", "r4")]),
    piece("cook", "調理", DAY, 2, 2, [m("a", "r1", "CONFIRMED"), m("b", "r2", "SUGGESTED", { score: 0.8 }), m("c", "r3", "SUGGESTED", { score: 0.1 })]),
    piece("desk", "受付", DAY, 2, 1, []),
    piece("soon", "ＰＲ", HOUR, 1, 1, [m("e", "r5", "DECLINED")]),
  ];
  const grid = buildMosaic(pieces, NOW);
  const rowOf = (id: string) => {
    const p = pieces.find((x) => x.id === id)!;
    return `${p.startsAt}/${p.endsAt}`;
  };

  it("rows are time ranges in order; columns are roles in the order they first appear", () => {
    expect(grid.rows.map((r) => r.startsAt)).toEqual([at(HOUR), at(DAY), at(DAY + 4 * HOUR)]);
    expect(grid.columns.map((c) => c.key)).toEqual(["PR", "調理", "受付"]);
  });

  it("a cell counts filled, proposed and open places and marks the team's picks", () => {
    const cook = grid.cells[cellKey(rowOf("cook"), "調理")];
    expect(cook.headcount).toBe(2);
    expect(cook.filled.map((x) => x.id)).toEqual(["a"]);
    expect(cook.proposed.map((x) => x.id)).toEqual(["b", "c"]);
    expect(cook.open).toBe(1);
    expect(cook.picks).toEqual(["b"]);
    expect(cook.needsAttention).toBe(true); // starts in 24 h with a place open
  });

  it("a piece further ahead, or one whose places are all filled, does not need attention", () => {
    const later = buildMosaic([piece("far", "調理", 4 * DAY, 2, 1, []), piece("full", "受付", HOUR, 1, 1, [m("a", "r1", "CONFIRMED")])], NOW);
    expect(Object.values(later.cells).map((c) => c.needsAttention)).toEqual([false, false]);
  });

  it("an empty place with no proposal is open; a time without that role has no cell", () => {
    expect(grid.cells[cellKey(rowOf("desk"), "受付")]).toMatchObject({ open: 1, proposed: [], picks: [] });
    expect(grid.cells[cellKey(rowOf("late-cook"), "受付")]).toBeUndefined();
  });

  it(`a piece starting within ${MOSAIC_SOON_MS / HOUR} h with an open place needs attention`, () => {
    expect(grid.cells[cellKey(rowOf("soon"), "PR")]).toMatchObject({ open: 1, needsAttention: true, proposed: [] });
  });

  it("totals add up over the whole task", () => {
    expect(grid.totals).toEqual({ headcount: 5, filled: 1, proposed: 3, open: 4 });
    expect(grid.plan.picks.map((p) => p.matchId)).toEqual(["b", "d"]);
  });

  it("two pieces of the same time and role share one cell", () => {
    const twin = buildMosaic([piece("x1", "調理", DAY, 2, 1, [m("a", "r1")]), piece("x2", "調理", DAY, 2, 2, [m("b", "r2", "CONFIRMED")])], NOW);
    expect(Object.keys(twin.cells)).toHaveLength(1);
    expect(Object.values(twin.cells)[0]).toMatchObject({ pieceIds: ["x1", "x2"], headcount: 3, open: 2, picks: ["a"] });
  });
});
