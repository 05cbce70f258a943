import { describe, expect, it } from "vitest";
import {
  computeKpis,
  confirmedAtOf,
  median,
  rateKpi,
  suppressCount,
  type KpiInput,
  type KpiMatchRow,
  type KpiParticipationRow,
  type KpiReport,
} from "./kpi.ts";

/** Day `n` after 2026-01-01 00:00 UTC, plus `hours`. */
const d = (n: number, hours = 0) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000 + hours * 3_600_000);
const PERIOD = { from: d(0), to: d(100) };
const NOW = d(200);

function input(over: Partial<KpiInput> = {}): KpiInput {
  return {
    period: PERIOD,
    now: NOW,
    matches: [],
    shifts: [],
    participations: [],
    residents: [],
    incentives: [],
    ownOrganization: true,
    ...over,
  };
}

let seq = 0;
const match = (createdDay: number, stage: KpiMatchRow["stage"], confirmedHours: number | null = null, shiftId = "s"): KpiMatchRow => ({
  id: `m${++seq}`,
  shiftId,
  createdAt: d(createdDay),
  stage,
  confirmedAt: confirmedHours == null ? null : d(createdDay, confirmedHours),
});
const took = (residentId: string, day: number, inScope = true, attended: boolean | null = true): KpiParticipationRow => ({
  residentId,
  shiftId: `s-${residentId}-${day}`,
  startsAt: d(day),
  attended,
  inScope,
});
const many = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

describe("suppressCount", () => {
  it.each([
    { count: 0, own: false, expected: { value: null, suppressed: true } },
    { count: 4, own: false, expected: { value: null, suppressed: true } },
    { count: 5, own: false, expected: { value: 5, suppressed: false } },
    { count: 120, own: false, expected: { value: 120, suppressed: false } },
    { count: 1, own: true, expected: { value: 1, suppressed: false } },
    { count: 0, own: true, expected: { value: 0, suppressed: false } },
  ])("$count (own: $own) → $expected.value", ({ count, own, expected }) => {
    expect(suppressCount(count, own)).toEqual(expected);
  });
});

describe("rateKpi", () => {
  it.each([
    // 7/10 against 70 %: met (inclusive).
    { num: 7, den: 10, own: false, rate: 0.7, met: true, suppressed: false },
    { num: 6, den: 10, own: false, rate: 0.6, met: false, suppressed: false },
    // A small numerator reveals a small count: hidden outside the owner.
    { num: 3, den: 10, own: false, rate: null, met: null, suppressed: true },
    { num: 4, den: 4, own: false, rate: null, met: null, suppressed: true },
    { num: 3, den: 4, own: true, rate: 0.75, met: true, suppressed: false },
    // Nothing to divide: unknown, not 0 %.
    { num: 0, den: 0, own: true, rate: null, met: null, suppressed: false },
  ])("$num/$den (own: $own)", ({ num, den, own, rate, met, suppressed }) => {
    const kpi = rateKpi(num, den, 0.7, own);
    expect(kpi.rate).toBe(rate);
    expect(kpi.met).toBe(met);
    expect(kpi.suppressed).toBe(suppressed);
    expect(kpi.numerator).toBe(suppressed ? null : num);
    expect(kpi.target).toBe(0.7);
  });
});

describe("median and confirmedAtOf", () => {
  it.each([
    { values: [], expected: null },
    { values: [5], expected: 5 },
    { values: [9, 1, 5], expected: 5 },
    { values: [4, 1, 3, 2], expected: 2.5 },
  ])("median($values) = $expected", ({ values, expected }) => {
    expect(median(values)).toBe(expected);
  });

  it("takes the first booking event, falls back to stageChangedAt, and is null when never booked", () => {
    const events = [
      { toStage: "CONTACTING" as const, createdAt: d(1) },
      { toStage: "ACTIVE" as const, createdAt: d(5) },
      { toStage: "CONFIRMED" as const, createdAt: d(3) },
    ];
    expect(confirmedAtOf({ stage: "COMPLETED", stageChangedAt: d(9) }, events)).toEqual(d(3));
    expect(confirmedAtOf({ stage: "CONFIRMED", stageChangedAt: d(9) }, [])).toEqual(d(9));
    expect(confirmedAtOf({ stage: "ARRANGING", stageChangedAt: d(9) }, events.slice(0, 1))).toBeNull();
    // Booked once, withdrawn later: still the date it was first booked.
    expect(confirmedAtOf({ stage: "WITHDRAWN", stageChangedAt: d(9) }, events)).toEqual(d(3));
  });
});

/** Table of whole reports: fixture → the part of the report it is about, computed by hand. */
const REPORT_CASES: Array<{ name: string; input: KpiInput; pick: (r: KpiReport) => unknown; expected: unknown }> = [
  {
    name: "no data at all: rates unknown, counts zero, nothing met",
    input: input(),
    pick: (r) => [r.matchSuccess.rate, r.matchSuccess.met, r.timeToMatch.hours, r.participants.value, r.firstTimeParticipants.value, r.byAgeBand, r.byArea],
    expected: [null, null, null, 0, 0, [], []],
  },
  {
    name: "no data, shared: every count suppressed",
    input: input({ ownOrganization: false }),
    pick: (r) => [r.scope, r.matchSuccess.suppressed, r.participants, r.incentives.every((i) => i.suppressed && i.total === null)],
    expected: ["shared", true, { value: null, suppressed: true }, true],
  },
  {
    name: "match success: booked stages of matches proposed in the period (8 of 10 = 80 %)",
    input: input({
      ownOrganization: false,
      matches: [
        ...many(3, () => match(5, "CONFIRMED", 10)),
        ...many(3, () => match(6, "ACTIVE", 20)),
        ...many(2, () => match(7, "COMPLETED", 30)),
        match(8, "DECLINED"),
        match(9, "SUGGESTED"),
        // Outside the period: ignored.
        match(-3, "SUGGESTED"),
        match(100, "SUGGESTED"),
      ],
    }),
    pick: (r) => [r.matchSuccess.numerator, r.matchSuccess.denominator, r.matchSuccess.rate, r.matchSuccess.met],
    expected: [8, 10, 0.8, true],
  },
  {
    name: "match success below target (5 of 10)",
    input: input({ matches: [...many(5, () => match(5, "CONFIRMED", 1)), ...many(5, () => match(5, "WITHDRAWN"))] }),
    pick: (r) => [r.matchSuccess.rate, r.matchSuccess.met],
    expected: [0.5, false],
  },
  {
    name: "median time to match over booked matches (10, 20, 30, 40, 200 h → 30 h, met ≤ 72 h)",
    input: input({
      ownOrganization: false,
      matches: [match(1, "CONFIRMED", 10), match(1, "ACTIVE", 20), match(1, "COMPLETED", 30), match(1, "CONFIRMED", 40), match(1, "CONFIRMED", 200), match(1, "SUGGESTED")],
    }),
    pick: (r) => r.timeToMatch,
    expected: { hours: 30, count: 5, suppressed: false, target: 72, met: true },
  },
  {
    name: "median time to match, even count and too slow (100 h, 120 h → 110 h)",
    input: input({ matches: [match(1, "CONFIRMED", 100), match(1, "CONFIRMED", 120)] }),
    pick: (r) => [r.timeToMatch.hours, r.timeToMatch.met],
    expected: [110, false],
  },
  {
    name: "median time to match over 4 matches is suppressed outside the owner",
    input: input({ ownOrganization: false, matches: many(4, () => match(1, "CONFIRMED", 5)) }),
    pick: (r) => r.timeToMatch,
    expected: { hours: null, count: null, suppressed: true, target: 72, met: null },
  },
  {
    name: "pieces filled on time: booked to headcount by the start; late or withdrawn bookings do not count; future pieces are not judged",
    input: input({
      shifts: [
        { id: "full", startsAt: d(10), headcount: 2 },
        { id: "late", startsAt: d(10), headcount: 1 },
        { id: "gone", startsAt: d(10), headcount: 1 },
        { id: "short", startsAt: d(10), headcount: 3 },
        { id: "future", startsAt: d(99), headcount: 1 },
      ],
      now: d(50),
      matches: [
        match(1, "CONFIRMED", 1, "full"),
        match(2, "COMPLETED", 1, "full"),
        match(1, "CONFIRMED", 24 * 20, "late"),
        match(1, "WITHDRAWN", 1, "gone"),
        match(1, "CONFIRMED", 1, "short"),
        match(1, "CONFIRMED", 1, "future"),
      ],
    }),
    pick: (r) => [r.piecesFilledOnTime.numerator, r.piecesFilledOnTime.denominator, r.piecesFilledOnTime.rate, r.piecesFilledOnTime.met],
    expected: [1, 4, 0.25, false],
  },
  {
    name: "continuation at 30 and 90 days; residents whose window has not passed are left out",
    input: input({
      now: d(130),
      participations: [
        // a: again on day 25 (within 30 and 90).
        took("a", 10), took("a", 25),
        // b: again on day 80 (within 90 only), and that piece is outside the filters.
        took("b", 10), took("b", 80, false),
        // c: never again.
        took("c", 20),
        // d: was absent the second time: not again.
        took("d", 20), took("d", 30, true, false),
        // e: first piece on day 60: 30-day window passed (day 90 ≤ 130), 90-day window not.
        took("e", 60), took("e", 70),
      ],
    }),
    pick: (r) => [
      [r.continuation30.numerator, r.continuation30.denominator],
      [r.continuation90.numerator, r.continuation90.denominator],
      r.continuation30.met,
      r.continuation90.met,
    ],
    // 30 d: a, e again of a, b, c, d, e → 2/5; 90 d: a, b again of a, b, c, d → 2/4.
    expected: [[2, 5], [2, 4], false, false],
  },
  {
    name: "continuation counts from the first piece of the period, not an earlier one",
    input: input({ participations: [took("a", -20), took("a", 50), took("a", 70)] }),
    pick: (r) => [r.continuation30.numerator, r.continuation30.denominator, r.firstTimeParticipants.value],
    expected: [1, 1, 0],
  },
  {
    name: "first-time participants: the earliest attended piece anywhere is in the period",
    input: input({
      participations: [
        took("new1", 5),
        took("new2", 40), took("new2", 60),
        took("old", 30), took("old", -10, false),
        // Absent before: still a first-timer.
        took("absentBefore", 30), took("absentBefore", -10, true, false),
        // Only out of scope in the period: not a participant here.
        took("other", 30, false),
      ],
    }),
    pick: (r) => [r.participants.value, r.firstTimeParticipants.value],
    expected: [4, 3],
  },
  {
    name: "participants do not include absences, unrecorded attendance or pieces not yet started",
    input: input({
      now: d(50),
      participations: [took("a", 10, true, false), took("b", 10, true, null), took("c", 60), took("d", 10)],
    }),
    pick: (r) => r.participants.value,
    expected: 1,
  },
  {
    name: "by age band (at now) and home area, unknowns last; small cells suppressed outside the owner",
    input: input({
      ownOrganization: false,
      participations: [...many(6, (i) => took(`o${i}`, 10)), ...many(2, (i) => took(`y${i}`, 10)), took("u", 10)],
      residents: [
        ...many(6, (i) => ({ id: `o${i}`, birthYear: 1956, homeAreaId: "area-b" })), // 70 in 2026
        ...many(2, (i) => ({ id: `y${i}`, birthYear: 2005, homeAreaId: "area-a" })), // 21 → 20s
        { id: "u", birthYear: null, homeAreaId: null },
      ],
    }),
    pick: (r) => [r.byAgeBand, r.byArea],
    expected: [
      [
        { key: "20", count: null, suppressed: true },
        { key: "70", count: 6, suppressed: false },
        { key: "unknown", count: null, suppressed: true },
      ],
      [
        { key: "area-a", count: null, suppressed: true },
        { key: "area-b", count: 6, suppressed: false },
        { key: "unknown", count: null, suppressed: true },
      ],
    ],
  },
  {
    name: "by age band for the owner: small cells shown",
    input: input({ participations: [took("y", 10)], residents: [{ id: "y", birthYear: 2010, homeAreaId: "area-a" }] }),
    pick: (r) => r.byAgeBand,
    expected: [{ key: "10", count: 1, suppressed: false }],
  },
  {
    name: "incentives issued in the period: sums by kind; small kinds suppressed outside the owner",
    input: input({
      ownOrganization: false,
      incentives: [
        ...many(5, () => ({ kind: "TRANSPORT_FEE" as const, amount: 500, issuedAt: d(10) })),
        { kind: "TRANSPORT_FEE", amount: 500, issuedAt: d(100) }, // after the period
        ...many(2, () => ({ kind: "THANKS_MONEY" as const, amount: 1000, issuedAt: d(20) })),
      ],
    }),
    pick: (r) => r.incentives,
    expected: [
      { kind: "TRANSPORT_FEE", count: 5, total: 2500, suppressed: false },
      { kind: "THANKS_MONEY", count: null, total: null, suppressed: true },
      { kind: "LOCAL_POINTS", count: null, total: null, suppressed: true },
      { kind: "CERTIFICATE", count: null, total: null, suppressed: true },
    ],
  },
  {
    name: "incentives for the owner: every kind, zero included",
    input: input({ incentives: [{ kind: "LOCAL_POINTS", amount: 30, issuedAt: d(1) }, { kind: "LOCAL_POINTS", amount: 20, issuedAt: d(2) }] }),
    pick: (r) => r.incentives.map((i) => [i.kind, i.count, i.total]),
    expected: [["TRANSPORT_FEE", 0, 0], ["THANKS_MONEY", 0, 0], ["LOCAL_POINTS", 2, 50], ["CERTIFICATE", 0, 0]],
  },
  {
    name: "targets can be overridden; the rest keep their defaults",
    input: input({ targets: { matchSuccessRate: 0.9 }, matches: [...many(8, () => match(1, "CONFIRMED", 1)), ...many(2, () => match(1, "DECLINED"))] }),
    pick: (r) => [r.matchSuccess.target, r.matchSuccess.met, r.continuation30.target, r.piecesFilledOnTime.target],
    expected: [0.9, false, 0.6, 0.8],
  },
  {
    name: "the report names its period and scope",
    input: input(),
    pick: (r) => [r.period, r.scope, r.suppressionThreshold],
    expected: [{ from: "2026-01-01T00:00:00.000Z", to: "2026-04-11T00:00:00.000Z" }, "own-organization", 5],
  },
];

describe("computeKpis", () => {
  it.each(REPORT_CASES)("$name", ({ input: given, pick, expected }) => {
    expect(pick(computeKpis(given))).toEqual(expected);
  });

  it("does not read the clock: the same input gives the same report", () => {
    const given = input({ participations: [took("a", 10), took("a", 20)] });
    expect(computeKpis(given)).toEqual(computeKpis(structuredClone(given)));
  });
});
