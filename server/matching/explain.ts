/**
 * Explanations of a proposal in Japanese and English, built only from its kept breakdown (so they
 * can be rebuilt later, e.g. in another language, from Match.scoreBreakdown):
 * 「調理スキル一致・徒歩12分・火曜午前に空き・初参加」 /
 * "Cooking skill match · 12 min walk · free Tuesday mornings · first time".
 */
import { categoryLabel } from "../../app/lib/categories.ts";
import type { ScoreBreakdown } from "./types.ts";

const WEEKDAY_JA = ["日", "月", "火", "水", "木", "金", "土"] as const;
const WEEKDAY_EN = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
const MONTH_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const PART_JA = { morning: "午前", afternoon: "午後", evening: "夕方以降" } as const;
const PART_EN = { morning: "morning", afternoon: "afternoon", evening: "evening" } as const;

/** Walks up to this many minutes are shown as "徒歩N分"; longer ones in km. */
export const MAX_WALK_MINUTES_SHOWN = 20;

export type SkillNames = (skillId: string) => { ja: string; en: string } | undefined;

function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

export function explain(b: ScoreBreakdown, skillNames: SkillNames = () => undefined): { ja: string; en: string } {
  const ja: string[] = [];
  const en: string[] = [];
  if (b.skills.length > 0) {
    const names = b.skills.map((id) => skillNames(id) ?? { ja: id, en: id });
    ja.push(`${names.map((n) => n.ja).join("・")}スキル一致`);
    en.push(`${names.map((n) => n.en).join(" & ")} skill match`);
  }
  if (b.interestMatch) {
    ja.push(`「${categoryLabel(b.category, "ja")}」に関心`);
    en.push(`interested in ${categoryLabel(b.category, "en").toLowerCase()}`);
  }
  if (b.remote || b.distanceM === null || b.walkMinutes === null) {
    ja.push("在宅で参加できる");
    en.push("can join from home");
  } else if (b.walkMinutes <= MAX_WALK_MINUTES_SHOWN) {
    ja.push(`徒歩${b.walkMinutes}分`);
    en.push(`${b.walkMinutes} min walk`);
  } else {
    const km = (b.distanceM / 1000).toFixed(1);
    ja.push(`約${km}km`);
    en.push(`${km} km away`);
  }
  if (b.availability === "weekly") {
    ja.push(`${WEEKDAY_JA[b.weekday]}曜${PART_JA[b.partOfDay]}に空き`);
    en.push(`free ${WEEKDAY_EN[b.weekday]} ${PART_EN[b.partOfDay]}s`);
  } else {
    const [, month, day] = b.date.split("-").map(Number);
    ja.push(`${month}/${day}(${WEEKDAY_JA[b.weekday]})${PART_JA[b.partOfDay]}に空き`);
    en.push(`free ${WEEKDAY_EN[b.weekday].slice(0, 3)} ${day} ${MONTH_EN[month - 1]} ${PART_EN[b.partOfDay]}`);
  }
  if (b.participation === "first") {
    ja.push("初参加");
    en.push("first time");
  } else if (b.participation === "rare") {
    ja.push(`参加${b.participationCount + 1}回目`);
    en.push(`${ordinal(b.participationCount + 1)} time`);
  } else if (b.participation === "lapsed") {
    ja.push("久しぶりの参加");
    en.push("returning after a break");
  }
  if (b.continuity > 0) {
    ja.push("この団体の活動を高評価");
    en.push("rated this organization highly");
  }
  const english = en.join(" · ");
  return { ja: ja.join("・"), en: english.charAt(0).toUpperCase() + english.slice(1) };
}
