import { describe, expect, it } from "vitest";
import { maskContact, parseContact } from "./contact";

describe("parseContact", () => {
  it.each([
    ["090-1234-5678", { kind: "phone", value: "09012345678" }],
    ["０９０－１２３４－５６７８", { kind: "phone", value: "09012345678" }],
    ["045 123 4567", { kind: "phone", value: "0451234567" }],
    ["+81 90 1234 5678", { kind: "phone", value: "09012345678" }],
    ["(045)123-4567", { kind: "phone", value: "0451234567" }],
    [" Hanako.Y@Example.JP ", { kind: "email", value: "hanako.y@example.jp" }],
  ])("accepts %j", (input, expected) => {
    expect(parseContact(input)).toEqual(expected);
  });

  it.each([
    "",
    "   ",
    "12345",
    "090-1234",
    "9012345678",
    "+1 555 123 4567",
    "hanako@",
    "hanako@example",
    "a b@example.jp",
    "tel:09012345678",
    "0901234567890",
    null,
  ])("refuses %j", (input) => {
    expect(parseContact(input)).toBeNull();
  });

  it("masks the middle", () => {
    expect(maskContact({ kind: "phone", value: "09012345678" })).toBe(
      "090****5678"
    );
    expect(maskContact({ kind: "email", value: "hanako@example.jp" })).toBe(
      "h***@example.jp"
    );
  });
});
