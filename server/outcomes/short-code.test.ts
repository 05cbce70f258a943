import { describe, expect, it } from "vitest";
import { CHECK_IN_ALPHABET, CHECK_IN_CODE_LENGTH, checkInCodeFrom, formatCheckInCode, newCheckInCode, normalizeCheckInCode } from "./short-code.ts";

describe("check-in short codes", () => {
  it("maps each byte's low 5 bits onto the alphabet", () => {
    expect(checkInCodeFrom(new Uint8Array([0, 1, 31, 32, 255, 8]))).toBe("23Z2ZA");
  });

  it("refuses too few random bytes", () => {
    expect(() => checkInCodeFrom(new Uint8Array(5))).toThrow(/6 random bytes/);
  });

  it("never uses the look-alikes 0, O, 1, I", () => {
    for (const ch of "0O1I") expect(CHECK_IN_ALPHABET).not.toContain(ch);
    expect(new Set(CHECK_IN_ALPHABET).size).toBe(32);
  });

  it("makes codes of the alphabet that differ from each other", () => {
    const codes = new Set(Array.from({ length: 200 }, () => newCheckInCode()));
    expect(codes.size).toBeGreaterThan(195);
    for (const code of codes) {
      expect(code).toHaveLength(CHECK_IN_CODE_LENGTH);
      expect(normalizeCheckInCode(code)).toBe(code);
    }
  });

  it.each([
    ["k7q-h2m", "K7QH2M"],
    ["Ｋ７Ｑ　Ｈ２Ｍ", "K7QH2M"],
    [" k7qh2m ", "K7QH2M"],
    ["K7QH2", null],
    ["K7QH2MX", null],
    ["K7QH0M", null],
    ["K7QHOM", null],
    ["K7QH1M", null],
    [42, null],
    ["x".repeat(41), null],
  ])("normalizes %j to %j", (input, expected) => {
    expect(normalizeCheckInCode(input)).toBe(expected);
  });

  it("formats as two groups of three", () => {
    expect(formatCheckInCode("K7QH2M")).toBe("K7Q-H2M");
    expect(formatCheckInCode("ABC")).toBe("ABC");
  });
});
