import { describe, expect, it } from "vitest";
import { solve } from "./engine.ts";
import { explain } from "./explain.ts";
import { MONDAY, jst, offset, resident, shift, snapshot } from "./testing.ts";
import type { ScoreBreakdown } from "./types.ts";

const base: ScoreBreakdown = {
  skill: 0.3,
  interest: 0,
  distance: 0.1,
  time: 0.1,
  firstTime: 0.1,
  continuity: 0,
  fairness: 0,
  style: 0.05,
  total: 0.65,
  distanceM: 950,
  walkMinutes: 12,
  skills: ["seed-skill-cooking"],
  skillLevels: [3],
  remote: false,
  category: "food",
  interestMatch: false,
  weekday: 2,
  partOfDay: "morning",
  date: "2026-06-02",
  availability: "weekly",
  participationCount: 0,
  participation: "first",
  ownerRating: null,
  openMatchRank: 1,
  v: 1,
};
const names = (id: string) => (id === "seed-skill-cooking" ? { ja: "調理", en: "Cooking" } : id === "seed-skill-driving" ? { ja: "運転", en: "Driving" } : undefined);

describe("explanations", () => {
  it("matches the demo seed's example", () => {
    expect(explain(base, names)).toEqual({
      ja: "調理スキル一致・徒歩12分・火曜午前に空き・初参加",
      en: "Cooking skill match · 12 min walk · free Tuesday mornings · first time",
    });
  });

  it.each<[string, Partial<ScoreBreakdown>, string, string]>([
    ["several skills", { skills: ["seed-skill-cooking", "seed-skill-driving"], skillLevels: [3, 1] }, "調理・運転スキル一致・", "Cooking & Driving skill match · "],
    ["an unknown skill shows its id", { skills: ["x-skill"] }, "x-skillスキル一致・", "X-skill skill match · "],
    ["no skills, an interest", { skills: [], skillLevels: [], interestMatch: true }, "「食」に関心・徒歩", "Interested in food · 12 min walk"],
    ["skills and an interest", { interestMatch: true, category: "watch" }, "調理スキル一致・「見守り」に関心・", "Cooking skill match · interested in watching over · "],
    ["a remote piece", { remote: true, distanceM: null, walkMinutes: null }, "・在宅で参加できる・", " · can join from home · "],
    ["a long way", { distanceM: 2400, walkMinutes: 30 }, "・約2.4km・", " · 2.4 km away · "],
    ["the limit of walking", { distanceM: 1600, walkMinutes: 20 }, "・徒歩20分・", " · 20 min walk · "],
    ["an afternoon", { partOfDay: "afternoon", weekday: 6 }, "・土曜午後に空き・", " · free Saturday afternoons · "],
    ["an evening", { partOfDay: "evening", weekday: 0 }, "・日曜夕方以降に空き・", " · free Sunday evenings · "],
    ["a dated extra availability", { availability: "dated", date: "2026-06-03", weekday: 3 }, "・6/3(水)午前に空き・", " · free Wed 3 Jun morning · "],
    ["a rare participant", { participation: "rare", participationCount: 1 }, "・参加2回目", " · 2nd time"],
    ["a participant back after a break", { participation: "lapsed", participationCount: 9 }, "・久しぶりの参加", " · returning after a break"],
    ["a regular says nothing about it", { participation: "regular", participationCount: 9, firstTime: 0 }, "に空き", "mornings"],
    ["continuity", { participation: "regular", participationCount: 9, continuity: 0.1 }, "・この団体の活動を高評価", " · rated this organization highly"],
  ])("%s", (_name, over, ja, en) => {
    const text = explain({ ...base, ...over }, names);
    expect(text.ja).toContain(ja);
    expect(text.en).toContain(en);
  });

  it("ends a regular's explanation with the time", () => {
    const text = explain({ ...base, participation: "regular", participationCount: 9, firstTime: 0 }, names);
    expect(text.ja.endsWith("に空き")).toBe(true);
    expect(text.en.endsWith("mornings")).toBe(true);
  });

  it("is what a proposal carries, built from its kept breakdown", () => {
    const result = solve(
      snapshot({
        residents: [
          resident("r1", {
            home: offset(0, 950),
            skills: { "seed-skill-cooking": 3 },
            windows: [{ weekday: 2, startMinute: 540, endMinute: 720 }],
            participation: { count: 0, lastAt: null },
          }),
        ],
        shifts: [shift("s1", { requiredSkillIds: ["seed-skill-cooking"], startsAt: jst(1, 600), endsAt: jst(1, 720) })],
        skills: [{ id: "seed-skill-cooking", nameJa: "調理", nameEn: "Cooking" }],
      }),
      MONDAY,
    );
    const [p] = result.proposals;
    expect(p.explanationJa).toBe("調理スキル一致・徒歩12分・火曜午前に空き・初参加");
    expect(p.explanationEn).toBe("Cooking skill match · 12 min walk · free Tuesday mornings · first time");
    expect(explain(p.breakdown, names)).toEqual({ ja: p.explanationJa, en: p.explanationEn });
  });
});
