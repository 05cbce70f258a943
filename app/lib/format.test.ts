import { describe, expect, it } from "vitest";
import { formatNumber, formatTimeRange } from "./format";

describe("formatTimeRange", () => {
  // 2026-11-28 is a Saturday; 01:00Z is 10:00 in Tokyo.
  const start = new Date("2026-11-28T01:00:00Z");
  const end = new Date("2026-11-28T03:00:00Z");

  it("formats a same-day window in Japanese, Tokyo time", () => {
    expect(formatTimeRange(start, end, "ja")).toBe("11月28日(土) 10:00–12:00");
  });

  it("formats it in English with a 24-hour clock", () => {
    expect(formatTimeRange(start, end, "en")).toBe("Sat, Nov 28 10:00–12:00");
  });

  it("uses the local day, not the UTC day", () => {
    // 2026-11-27T15:30Z is already Saturday 00:30 in Tokyo.
    expect(formatTimeRange("2026-11-27T15:30:00Z", "2026-11-27T16:00:00Z", "ja")).toBe("11月28日(土) 00:30–01:00");
  });

  it("repeats the date when the window ends on another day", () => {
    expect(formatTimeRange("2026-11-28T13:00:00Z", "2026-11-28T17:00:00Z", "ja")).toBe(
      "11月28日(土) 22:00–11月29日(日) 02:00",
    );
  });

  it("honours another time zone", () => {
    expect(formatTimeRange(start, end, "en", "UTC")).toBe("Sat, Nov 28 01:00–03:00");
  });
});

describe("formatNumber", () => {
  it("groups digits", () => {
    expect(formatNumber(123456, "ja")).toBe("123,456");
    expect(formatNumber(0, "en")).toBe("0");
  });
});
