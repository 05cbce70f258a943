import { describe, expect, it } from "vitest";
import { parseDisplay, readingOf, serializeDisplay } from "./display";

describe("display preferences", () => {
  it("round-trips through the cookie value", () => {
    for (const prefs of [
      { easy: false, large: false, contrast: false },
      { easy: true, large: false, contrast: true },
      { easy: true, large: true, contrast: true },
    ]) {
      expect(parseDisplay(serializeDisplay(prefs))).toEqual(prefs);
    }
    expect(parseDisplay("contrast.easy")).toEqual({
      easy: true,
      large: false,
      contrast: true,
    });
    expect(parseDisplay("<script>")).toEqual({
      easy: false,
      large: false,
      contrast: false,
    });
    expect(parseDisplay(undefined)).toEqual({
      easy: false,
      large: false,
      contrast: false,
    });
  });

  it("shows easy Japanese only on Japanese pages", () => {
    expect(readingOf("ja", { easy: true, large: false, contrast: false })).toBe(
      "easy"
    );
    expect(readingOf("en", { easy: true, large: false, contrast: false })).toBe(
      "en"
    );
    expect(
      readingOf("ja", { easy: false, large: false, contrast: false })
    ).toBe("ja");
  });
});
