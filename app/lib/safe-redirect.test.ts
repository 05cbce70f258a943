import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/w/itabashi", "/w/itabashi"],
    ["/w/itabashi?page=2#tasks", "/w/itabashi?page=2#tasks"],
    ["/", "/"],
  ])("keeps the same-site path %s", (input, output) => {
    expect(safeRedirectPath(input)).toBe(output);
  });

  it.each([
    [null],
    [undefined],
    [""],
    ["w/relative"],
    ["https://evil.example/"],
    ["//evil.example/"],
    ["/\\evil.example/"],
    ["/\t/evil.example/"],
    ["javascript:alert(1)"],
    [["/w/array"]],
    ["/" + "a".repeat(3000)],
  ])("refuses %j", (input) => {
    expect(safeRedirectPath(input)).toBeNull();
  });
});
