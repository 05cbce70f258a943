import { describe, expect, it } from "vitest";
import { CSV_BOM, csvCell, parseCsv, toCsv } from "./csv.ts";

describe("CSV writer", () => {
  it("starts with a BOM, ends lines with CRLF, quotes only where needed", () => {
    const text = toCsv(["名称", "説明"], [["みどり食堂", 'say "hi", then\nleave'], ["a", 3]]);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(text).toBe(`${CSV_BOM}名称,説明\r\nみどり食堂,"say ""hi"", then\nleave"\r\na,3\r\n`);
  });

  it.each([
    ["=SUM(A1:A3)", "'=SUM(A1:A3)"],
    ["+81 90", "'+81 90"],
    ["@cmd", "'@cmd"],
    ["-", "'-"],
    ["-3", "-3"],
    ["139.6", "139.6"],
    [null, ""],
    [undefined, ""],
    [0, "0"],
  ])("guards spreadsheet formulas: %j → %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("reads back what it wrote", () => {
    const rows = [
      ["id", "text"],
      ["1", 'a,"b"\r\nc'],
      ["2", ""],
    ];
    expect(parseCsv(toCsv(rows[0], rows.slice(1)))).toEqual(rows);
  });
});
