import { describe, expect, it } from "vitest";
import { proxyInputFromForm } from "./proxy-registration-form";

const form = (entries: Array<[string, string]>) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

describe("proxyInputFromForm (代理登録 form → input)", () => {
  const base: Array<[string, string]> = [
    ["name", " 代理 花子 "],
    ["homeAreaId", "area-1"],
    ["availability", "2:morning"],
    ["availability", "6:evening"],
    ["availability", "9:night"],
    ["interests", "food"],
    ["interests", "not-a-category"],
    ["obtainedBy", "phone"],
    ["purpose", "紹介のため"],
    ["shareWith", "org-b"],
    ["fields", "name"],
    ["fields", "specialCare"],
    ["expiresOn", "2027-03-31"],
  ];

  it("maps the grid to weekly windows, keeps known categories and fields, ends the consent at the day's end in Japan", () => {
    const result = proxyInputFromForm(form(base));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.name).toBe("代理 花子");
    expect(result.value.windows).toEqual([
      { weekday: 2, startMinute: 540, endMinute: 720 },
      { weekday: 6, startMinute: 1020, endMinute: 1260 },
    ]);
    expect(result.value.interests).toEqual(["food"]);
    expect(result.value.consent).toEqual({ obtainedBy: "phone", purpose: "紹介のため", shareWith: ["org-b"], fields: ["name"], expiresAt: "2027-03-31T23:59:59+09:00" });
    expect(result.value.birthYear).toBeUndefined();
  });

  it.each([
    ["name", [["name", ""]]],
    ["windows", [["availability", "nope"]]],
    ["consent.obtainedBy", [["obtainedBy", "email"]]],
    ["consent.expiresAt", [["expiresOn", "next year"]]],
    ["birthYear", [["birthYear", "19x0"]]],
  ] as Array<[string, Array<[string, string]>]>)("names the field %s when it is wrong", (path, over) => {
    const replaced = new Set(over.map(([k]) => k));
    const result = proxyInputFromForm(form([...base.filter(([k]) => !replaced.has(k)), ...over]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain(path);
  });
});
