/** The demo workspace's skill catalogue (Skill rows). Codes are stable; ids are `seed-skill-<code>`. */
export const DEMO_SKILLS = [
  { code: "cooking", nameJa: "調理", nameEn: "Cooking" },
  { code: "driving", nameJa: "運転", nameEn: "Driving" },
  { code: "listening", nameJa: "傾聴", nameEn: "Active listening" },
  { code: "childcare", nameJa: "子ども対応", nameEn: "Working with children" },
  { code: "tutoring", nameJa: "学習指導", nameEn: "Tutoring" },
  { code: "digital", nameJa: "PC・スマホ", nameEn: "PCs and smartphones" },
  { code: "care_cert", nameJa: "介護資格", nameEn: "Care qualification" },
  { code: "physical", nameJa: "力仕事", nameEn: "Physical work" },
  { code: "lang_en", nameJa: "外国語(英語)", nameEn: "English" },
  { code: "lang_zh", nameJa: "外国語(中国語)", nameEn: "Chinese" },
  { code: "lang_vi", nameJa: "外国語(ベトナム語)", nameEn: "Vietnamese" },
  { code: "lang_pt", nameJa: "外国語(ポルトガル語)", nameEn: "Portuguese" },
  { code: "sign_language", nameJa: "手話", nameEn: "Sign language" },
  { code: "gardening", nameJa: "園芸", nameEn: "Gardening" },
  { code: "disaster", nameJa: "防災知識", nameEn: "Disaster preparedness" },
  { code: "pr", nameJa: "写真・広報", nameEn: "Photography and PR" },
  { code: "music", nameJa: "音楽", nameEn: "Music" },
  { code: "first_aid", nameJa: "救命講習修了", nameEn: "First aid (certified)" },
] as const;

export type SkillCode = (typeof DEMO_SKILLS)[number]["code"];

export function skillId(code: SkillCode): string {
  return `seed-skill-${code}`;
}

export function skillName(code: SkillCode, locale: "ja" | "en"): string {
  const skill = DEMO_SKILLS.find((s) => s.code === code);
  if (!skill) throw new Error(`unknown skill ${code}`);
  return locale === "ja" ? skill.nameJa : skill.nameEn;
}
