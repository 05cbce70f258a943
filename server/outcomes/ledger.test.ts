import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.ts";
import { formatMinutes, jstMonth, LEDGER_CSV_COLUMNS, ledgerCsv, ledgerTotals, minutesBetween, monthRange, type LedgerRow } from "./ledger.ts";

const base: Omit<LedgerRow, "id" | "kind" | "amount" | "issuedAt" | "residentId" | "residentCode" | "organizationId" | "organizationName"> = {
  note: null,
  issuedBy: "社協 太郎",
  participationId: "p1",
  residentName: null,
  taskTitle: "こども食堂",
  shiftRole: "配膳",
  shiftStartsAt: new Date("2026-11-03T01:00:00Z"),
  minutes: 120,
};
const row = (id: string, kind: LedgerRow["kind"], amount: number, issuedAt: string, resident: string, org: string): LedgerRow => ({
  ...base,
  id,
  kind,
  amount,
  issuedAt: new Date(issuedAt),
  residentId: `r-${resident}`,
  residentCode: resident,
  organizationId: `o-${org}`,
  organizationName: org,
});

// Hand-computed: resident AAA gets 500 + 300 yen fare (one in Oct, one in Nov JST) and 100 pt;
// BBB gets 1000 yen thanks and a certificate. October 31 15:30 UTC is November 1 in Japan.
const rows = [
  row("e1", "TRANSPORT_FEE", 500, "2026-10-20T03:00:00Z", "AAA", "社協"),
  row("e2", "TRANSPORT_FEE", 300, "2026-10-31T15:30:00Z", "AAA", "社協"),
  row("e3", "LOCAL_POINTS", 100, "2026-11-02T03:00:00Z", "AAA", "NPO"),
  row("e4", "THANKS_MONEY", 1000, "2026-11-05T03:00:00Z", "BBB", "NPO"),
  row("e5", "CERTIFICATE", 1, "2026-11-05T04:00:00Z", "BBB", "NPO"),
];
const pick = (totals: Array<{ kind: string; count: number; amount: number }>) =>
  Object.fromEntries(totals.filter((t) => t.count > 0).map((t) => [t.kind, [t.count, t.amount]]));

describe("incentive ledger totals", () => {
  it("is all zeros, every kind listed, for no rows", () => {
    const t = ledgerTotals([]);
    expect(t.overall.map((k) => [k.kind, k.count, k.amount])).toEqual([
      ["TRANSPORT_FEE", 0, 0],
      ["THANKS_MONEY", 0, 0],
      ["LOCAL_POINTS", 0, 0],
      ["CERTIFICATE", 0, 0],
    ]);
    expect(t.byResident).toEqual([]);
    expect(t.byMonth).toEqual([]);
  });

  it("adds per kind overall, per resident, per organization and per month (Japan time)", () => {
    const t = ledgerTotals(rows);
    expect(pick(t.overall)).toEqual({ TRANSPORT_FEE: [2, 800], THANKS_MONEY: [1, 1000], LOCAL_POINTS: [1, 100], CERTIFICATE: [1, 1] });
    expect(t.byResident.map((r) => [r.residentCode, pick(r.totals)])).toEqual([
      ["AAA", { TRANSPORT_FEE: [2, 800], LOCAL_POINTS: [1, 100] }],
      ["BBB", { THANKS_MONEY: [1, 1000], CERTIFICATE: [1, 1] }],
    ]);
    expect(Object.fromEntries(t.byOrganization.map((o) => [o.organizationName, pick(o.totals)]))).toEqual({
      社協: { TRANSPORT_FEE: [2, 800] },
      NPO: { LOCAL_POINTS: [1, 100], THANKS_MONEY: [1, 1000], CERTIFICATE: [1, 1] },
    });
    expect(t.byMonth.map((m) => [m.month, pick(m.totals)])).toEqual([
      ["2026-10", { TRANSPORT_FEE: [1, 500] }],
      ["2026-11", { TRANSPORT_FEE: [1, 300], LOCAL_POINTS: [1, 100], THANKS_MONEY: [1, 1000], CERTIFICATE: [1, 1] }],
    ]);
  });
});

describe("ledger CSV", () => {
  it("has the documented header and one line per entry, oldest first, blank names where hidden", () => {
    const shuffled = [rows[3], rows[0], rows[4], rows[2], rows[1]].map((r, i) => (i === 0 ? { ...r, residentName: "山田 花子" } : r));
    const parsed = parseCsv(ledgerCsv(shuffled));
    expect(parsed[0]).toEqual([...LEDGER_CSV_COLUMNS]);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(["e1", "e2", "e3", "e4", "e5"]);
    const e2 = parsed[2];
    expect(e2.slice(0, 9)).toEqual(["e2", "2026-11-01", "2026-11", "TRANSPORT_FEE", "交通費", "300", "円", "AAA", ""]);
    expect(parsed[4][8]).toBe("山田 花子");
    expect(parsed[5].slice(5, 7)).toEqual(["1", "件"]);
    expect(parsed.every((r) => r.length === LEDGER_CSV_COLUMNS.length)).toBe(true);
  });
});

describe("months, minutes", () => {
  it("takes months in Japan time", () => {
    expect(jstMonth(new Date("2026-11-30T14:59:59Z"))).toBe("2026-11");
    expect(jstMonth(new Date("2026-11-30T15:00:00Z"))).toBe("2026-12");
    expect(monthRange("2026-12")).toEqual({ from: new Date("2026-11-30T15:00:00Z"), to: new Date("2026-12-31T15:00:00Z") });
    expect(monthRange("2026-13")).toBeNull();
    expect(monthRange("2026-1")).toBeNull();
  });

  it("counts whole minutes, never negative, unknown without both ends", () => {
    expect(minutesBetween(new Date("2026-11-01T01:00:00Z"), new Date("2026-11-01T03:29:40Z"))).toBe(150);
    expect(minutesBetween(new Date("2026-11-01T03:00:00Z"), new Date("2026-11-01T01:00:00Z"))).toBe(0);
    expect(minutesBetween(null, new Date())).toBeNull();
    expect(formatMinutes(150, "ja")).toBe("2時間30分");
    expect(formatMinutes(45, "en")).toBe("45 min");
    expect(formatMinutes(120, "en")).toBe("2 h");
  });
});
