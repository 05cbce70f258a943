import { describe, expect, it } from "vitest";
import { CHART_SECTIONS } from "./chart-doc.ts";
import { sectionIdFor, sectionLabel } from "./meeting-sections.ts";

describe("meeting mode's chart sections", () => {
  it("names a fixed section's heading by its id, in either language, and other headings by position", () => {
    expect(CHART_SECTIONS.map((s, i) => sectionIdFor(s.ja, i + 1))).toEqual(CHART_SECTIONS.map((s) => s.id));
    expect(sectionIdFor("  Issues ", 4)).toBe("issues");
    expect(sectionIdFor("商店街の今後", 9)).toBe("h-9");
    // A second heading named like a fixed section does not take its id.
    expect(sectionIdFor("課題", 10, new Set(["issues"]))).toBe("h-10");
  });

  it("labels sections in the page's language; headings of our own by their text", () => {
    expect(sectionLabel("issues", "ja")).toBe("課題");
    expect(sectionLabel("issues", "en")).toBe("Issues");
    expect(sectionLabel("action-plan", "ja")).toBe("アクションプラン(表)");
    expect(sectionLabel("figures", "en")).toBe("Figures (from the database)");
    expect(sectionLabel("h-9", "ja", "商店街の今後")).toBe("商店街の今後");
    expect(sectionLabel("h-9", "ja")).toBe("h-9");
  });
});
