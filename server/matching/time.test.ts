import { describe, expect, it } from "vitest";
import { jst, JST, MONDAY } from "./testing.ts";
import {
  compileAvailability,
  cover,
  coverOf,
  dateStringOfDay,
  dayOf,
  dayOfDateString,
  isoWeekOfDay,
  localMinuteCeil,
  localMinuteFloor,
  weekdayOfDay,
} from "./time.ts";
import type { AvailabilityException, WeeklyWindow } from "./types.ts";

/** Local minutes (JST) of day `day` (0 = Monday 2026-06-01) at `minute`. */
const local = (day: number, minute: number) => localMinuteFloor(jst(day, minute), JST);
const MON = 1;
const TUE = 2;
const SAT = 6;
const SUN = 0;

describe("local time on a fixed offset", () => {
  it("puts the epoch on a Thursday and 2026-06-01 on a Monday", () => {
    expect(weekdayOfDay(0)).toBe(4);
    expect(weekdayOfDay(dayOf(local(0, 0)))).toBe(MON);
    expect(dateStringOfDay(dayOf(local(0, 0)))).toBe("2026-06-01");
    expect(dayOfDateString("2026-06-01")).toBe(dayOf(local(0, 0)));
    expect(dayOfDateString("2026-6-1")).toBeNaN();
  });

  it("uses the offset: 2026-06-01 00:30 JST is still Sunday in UTC", () => {
    const instant = jst(0, 30);
    expect(weekdayOfDay(dayOf(localMinuteFloor(instant, JST)))).toBe(MON);
    expect(weekdayOfDay(dayOf(localMinuteFloor(instant, 0)))).toBe(SUN);
  });

  it("rounds starts down and ends up to whole minutes", () => {
    expect(localMinuteFloor(MONDAY + 90_000, JST)).toBe(localMinuteFloor(MONDAY, JST) + 1);
    expect(localMinuteCeil(MONDAY + 90_000, JST)).toBe(localMinuteFloor(MONDAY, JST) + 2);
  });

  it.each([
    ["Sunday 23:59 belongs to the week before Monday 00:00", -1, 1439, 0, 0, false],
    ["Monday and Sunday of one week", 0, 0, 6, 1439, true],
    ["Sunday and the next Monday", 6, 600, 7, 600, false],
  ])("ISO weeks: %s", (_name, d1, m1, d2, m2, same) => {
    const w1 = isoWeekOfDay(dayOf(local(d1, m1)));
    const w2 = isoWeekOfDay(dayOf(local(d2, m2)));
    expect(w1 === w2).toBe(same);
  });
});

function free(windows: WeeklyWindow[], exceptions: AvailabilityException[], day: number, from: number, to: number) {
  const avail = compileAvailability(windows, exceptions);
  const start = local(day, from);
  const end = local(day, to);
  return coverOf(avail, start, end) ? { ...cover, start: cover.start - start, end: cover.end - start } : null;
}

describe("availability for the whole piece window", () => {
  const tuesdayMorning: WeeklyWindow[] = [{ weekday: TUE, startMinute: 540, endMinute: 720 }];

  it.each([
    ["inside the window", 600, 660, true],
    ["exactly the window", 540, 720, true],
    ["ending at the exclusive end", 660, 720, true],
    ["running past the end", 660, 721, false],
    ["starting before the window", 530, 600, false],
    ["starting at the exclusive end", 720, 780, false],
  ])("Tuesday 9:00–12:00, a piece %s", (_name, from, to, expected) => {
    expect(free(tuesdayMorning, [], 1, from, to) !== null).toBe(expected);
  });

  it("is not free on another weekday", () => {
    expect(free(tuesdayMorning, [], 2, 600, 660)).toBeNull();
  });

  it("merges adjacent windows (9–12 and 12–15 cover 11–13)", () => {
    const windows = [
      { weekday: TUE, startMinute: 540, endMinute: 720 },
      { weekday: TUE, startMinute: 720, endMinute: 900 },
    ];
    expect(free(windows, [], 1, 660, 780)).toEqual({ start: -120, end: 240, dated: false });
  });

  it("covers a piece across midnight (Mon 22–24 and Tue 0–2)", () => {
    const windows = [
      { weekday: MON, startMinute: 1320, endMinute: 1440 },
      { weekday: TUE, startMinute: 0, endMinute: 120 },
    ];
    const avail = compileAvailability(windows, []);
    expect(coverOf(avail, local(0, 1380), local(1, 60))).toBe(true);
    expect(coverOf(avail, local(0, 1380), local(1, 180))).toBe(false);
  });

  it("covers a piece across the week boundary (Sat 23–24 and Sun 0–1)", () => {
    const windows = [
      { weekday: SAT, startMinute: 1380, endMinute: 1440 },
      { weekday: SUN, startMinute: 0, endMinute: 60 },
    ];
    const avail = compileAvailability(windows, []);
    expect(coverOf(avail, local(5, 1410), local(6, 30))).toBe(true);
  });

  it("reports the covering window, which the time fit uses", () => {
    expect(free(tuesdayMorning, [], 1, 600, 660)).toEqual({ start: -60, end: 120, dated: false });
  });
});

describe("dated exceptions", () => {
  const tuesday = "2026-06-02";
  const tuesdayMorning: WeeklyWindow[] = [{ weekday: TUE, startMinute: 540, endMinute: 720 }];

  it.each<[string, AvailabilityException[], boolean]>([
    ["a whole day off removes the weekly window", [{ date: tuesday, available: false }], false],
    ["time off overlapping the piece removes it", [{ date: tuesday, available: false, startMinute: 650, endMinute: 700 }], false],
    ["time off elsewhere that day keeps it", [{ date: tuesday, available: false, startMinute: 700, endMinute: 720 }], true],
    ["a day off on another date keeps it", [{ date: "2026-06-09", available: false }], true],
  ])("%s", (_name, exceptions, expected) => {
    expect(free(tuesdayMorning, exceptions, 1, 600, 660) !== null).toBe(expected);
  });

  it("adds time on a day without a weekly window, marked dated", () => {
    const result = free([], [{ date: "2026-06-03", available: true, startMinute: 600, endMinute: 900 }], 2, 660, 720);
    expect(result).toEqual({ start: -60, end: 240, dated: true });
  });

  it("lets removals win over additions on the same date", () => {
    const exceptions = [
      { date: "2026-06-03", available: true, startMinute: 600, endMinute: 900 },
      { date: "2026-06-03", available: false },
    ];
    expect(free([], exceptions, 2, 660, 720)).toBeNull();
  });

  it("extends a weekly window with an addition next to it", () => {
    const result = free(tuesdayMorning, [{ date: tuesday, available: true, startMinute: 720, endMinute: 840 }], 1, 660, 780);
    expect(result).not.toBeNull();
    expect(result!.dated).toBe(true);
  });
});
