import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  formatReferenceCode,
  normalizeReferenceCode,
  REFERENCE_ALPHABET,
  referenceCodeFrom,
} from "./ref-code";

describe("reference codes", () => {
  it("has 32 symbols and none of the look-alikes 0 O 1 I", () => {
    expect(REFERENCE_ALPHABET).toHaveLength(32);
    expect(new Set(REFERENCE_ALPHABET).size).toBe(32);
    for (const ch of "0O1I") expect(REFERENCE_ALPHABET).not.toContain(ch);
  });

  it("makes 8-character codes that normalize to themselves", () => {
    for (let i = 0; i < 200; i++) {
      const code = referenceCodeFrom(randomBytes(8));
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
      expect(normalizeReferenceCode(code)).toBe(code);
    }
    expect(
      referenceCodeFrom(new Uint8Array([0, 31, 32, 255, 1, 2, 3, 4]))
    ).toBe("2Z2Z3456");
  });

  it.each([
    ["k7qh-2mxp", "K7QH2MXP"],
    ["Ｋ７ＱＨ　２ＭＸＰ", "K7QH2MXP"],
    [" K7QH 2MXP ", "K7QH2MXP"],
    ["K7QH2MX0", null], // 0 is not in the alphabet
    ["K7QH2MXO", null],
    ["K7QH2MX", null],
    ["K7QH2MXPP", null],
    [42, null],
  ])("normalizes %j to %j", (input, expected) => {
    expect(normalizeReferenceCode(input)).toBe(expected);
  });

  it("groups by four for reading aloud", () => {
    expect(formatReferenceCode("K7QH2MXP")).toBe("K7QH-2MXP");
  });
});
