import { describe, expect, it } from "vitest";
import {
  haversineM,
  localWeekdayHour,
  parseActivityFilters,
  partOfDayOf,
  pieceMatches,
} from "./filters";

const TZ = "Asia/Tokyo";
/** A Tokyo local time as an instant. */
const jst = (iso: string) => new Date(`${iso}+09:00`);

describe("activity filters", () => {
  it("parses a query string and drops what is malformed", () => {
    const f = parseActivityFilters(
      new URLSearchParams(
        "category=food&weekday=6&time=evening&short=1&online=on&incentive=CERTIFICATE&area=seed-area-chuo&near=%20駅%20&lat=35.5&lng=139.5"
      )
    );
    expect(f).toEqual({
      category: "food",
      weekday: 6,
      time: "evening",
      short: true,
      online: true,
      incentive: "CERTIFICATE",
      area: "seed-area-chuo",
      near: "駅",
      lat: 35.5,
      lng: 139.5,
    });
    const bad = parseActivityFilters(
      new URLSearchParams(
        "category=nope&weekday=7&time=night&short=0&incentive=x&area=a%20b&lat=91&lng=abc"
      )
    );
    expect(bad).toEqual({
      category: undefined,
      weekday: undefined,
      time: undefined,
      short: false,
      online: false,
      incentive: undefined,
      area: undefined,
      near: undefined,
      lat: undefined,
      lng: undefined,
    });
  });

  it("reads weekday and hour in the workspace's zone, not the machine's", () => {
    // 2026-12-05 is a Saturday; 00:30 in Tokyo is still Friday in UTC.
    expect(localWeekdayHour(jst("2026-12-05T00:30:00"), TZ)).toEqual({
      weekday: 6,
      hour: 0,
    });
    expect(localWeekdayHour(jst("2026-12-07T18:00:00"), TZ)).toEqual({
      weekday: 1,
      hour: 18,
    });
  });

  it("splits the day at 12:00 and 17:00", () => {
    expect([11, 12, 16, 17, 23].map(partOfDayOf)).toEqual([
      "morning",
      "afternoon",
      "afternoon",
      "evening",
      "evening",
    ]);
  });

  it.each([
    // [start, end, filters, expected]
    ["2026-12-07T10:00:00", "2026-12-07T12:00:00", { time: "morning" }, true],
    [
      "2026-12-07T10:00:00",
      "2026-12-07T12:00:00",
      { time: "afternoon" },
      false,
    ],
    [
      "2026-12-07T18:00:00",
      "2026-12-07T20:00:00",
      { time: "eveningWeekend" },
      true,
    ], // Monday evening
    [
      "2026-12-05T10:00:00",
      "2026-12-05T12:00:00",
      { time: "eveningWeekend" },
      true,
    ], // Saturday morning
    [
      "2026-12-07T10:00:00",
      "2026-12-07T12:00:00",
      { time: "eveningWeekend" },
      false,
    ], // Monday morning
    ["2026-12-07T10:00:00", "2026-12-07T12:00:00", { weekday: 1 }, true],
    ["2026-12-07T10:00:00", "2026-12-07T12:00:00", { weekday: 2 }, false],
    ["2026-12-07T10:00:00", "2026-12-07T13:00:00", { short: true }, true], // 3 h is short
    ["2026-12-07T10:00:00", "2026-12-07T13:01:00", { short: true }, false],
  ] as const)("%s–%s with %j → %s", (start, end, filters, expected) => {
    expect(
      pieceMatches({ startsAt: jst(start), endsAt: jst(end) }, filters, TZ)
    ).toBe(expected);
  });

  it("measures distance on the sphere", () => {
    // One minute of latitude is about 1,852 m.
    expect(
      Math.round(
        haversineM(
          { lat: 35.5, lng: 139.5 },
          { lat: 35.5 + 1 / 60, lng: 139.5 }
        )
      )
    ).toBeGreaterThan(1840);
    expect(
      Math.round(
        haversineM(
          { lat: 35.5, lng: 139.5 },
          { lat: 35.5 + 1 / 60, lng: 139.5 }
        )
      )
    ).toBeLessThan(1860);
    expect(
      haversineM({ lat: 35.5, lng: 139.5 }, { lat: 35.5, lng: 139.5 })
    ).toBe(0);
  });
});
