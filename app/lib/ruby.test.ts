import { describe, expect, it } from "vitest";
import { rubySegments } from "./ruby";

describe("rubySegments", () => {
  it("marks dictionary words, longest first, and keeps the rest as text", () => {
    expect(rubySegments("連絡先を 書いて ください")).toEqual([
      { base: "連絡先", reading: "れんらくさき" },
      "を ",
      { base: "書", reading: "か" },
      "いて ください",
    ]);
    expect(rubySegments("連絡が きます")).toEqual([
      { base: "連絡", reading: "れんらく" },
      "が きます",
    ]);
  });

  it("returns plain text untouched", () => {
    expect(rubySegments("ありがとう")).toEqual(["ありがとう"]);
    expect(rubySegments("")).toEqual([]);
  });

  it("takes another dictionary", () => {
    expect(rubySegments("社協です", { 社協: "しゃきょう" })).toEqual([
      { base: "社協", reading: "しゃきょう" },
      "です",
    ]);
  });

  it("keeps every character in order", () => {
    const text = "近くの 活動を さがす。電話番号 または メール";
    const joined = rubySegments(text)
      .map((s) => (typeof s === "string" ? s : s.base))
      .join("");
    expect(joined).toBe(text);
  });
});
