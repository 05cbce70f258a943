import { describe, expect, it } from "vitest";
import { areaResidentCounts, nextOpenPiece } from "./map-layers.ts";

const now = new Date("2026-12-04T00:00:00.000Z");
const piece = (id: string, startsAt: string, endsAt: string, headcount: number, filled: number) => ({
  id,
  role: `役 ${id}`,
  roleEn: null,
  startsAt: new Date(startsAt),
  endsAt: new Date(endsAt),
  headcount,
  _count: { matches: filled },
});

describe("map layers (pure parts)", () => {
  it("the next open piece is the earliest one not ended with free seats", () => {
    const result = nextOpenPiece(
      [
        piece("late", "2026-12-20T00:00:00Z", "2026-12-20T02:00:00Z", 2, 0),
        piece("full", "2026-12-05T00:00:00Z", "2026-12-05T02:00:00Z", 2, 2),
        piece("ended", "2026-12-01T00:00:00Z", "2026-12-01T02:00:00Z", 2, 0),
        piece("next", "2026-12-10T00:00:00Z", "2026-12-10T02:00:00Z", 3, 1),
      ],
      now,
    );
    expect(result.openPieces).toBe(2);
    expect(result.nextPiece).toEqual({ shiftId: "next", role: "役 next", roleEn: null, startsAt: "2026-12-10T00:00:00.000Z", endsAt: "2026-12-10T02:00:00.000Z", open: 2, headcount: 3 });
    expect(nextOpenPiece([piece("full", "2026-12-05T00:00:00Z", "2026-12-05T02:00:00Z", 1, 1)], now)).toEqual({ nextPiece: null, openPieces: 0 });
  });

  it("counts below 5 (0 included) are null and suppressed; the position is the area's centre", () => {
    const areas = [0, 1, 4, 5, 37].map((n, i) => ({ id: `a${n}`, name: `地区${i}`, nameEn: null, centerLat: 35 + i, centerLng: 139 + i }));
    const counts = new Map([["a1", 1], ["a4", 4], ["a5", 5], ["a37", 37]]);
    const result = areaResidentCounts(areas, counts);
    expect(result.map((r) => [r.areaId, r.value, r.suppressed])).toEqual([
      ["a0", null, true],
      ["a1", null, true],
      ["a4", null, true],
      ["a5", 5, false],
      ["a37", 37, false],
    ]);
    expect(result[2]).toMatchObject({ lat: 37, lng: 141 });
  });
});
