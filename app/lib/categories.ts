/**
 * Activity categories used by tasks and resources. Codes are stored in the database; labels are
 * for display. Shared by the server, the seed and the browser.
 */
export const TASK_CATEGORIES = [
  { code: "watch", ja: "見守り", en: "Watching over" },
  { code: "childcare", ja: "子育て", en: "Childcare" },
  { code: "disaster", ja: "防災", en: "Disaster preparedness" },
  { code: "environment", ja: "環境", en: "Environment" },
  { code: "food", ja: "食", en: "Food" },
  { code: "social", ja: "交流", en: "Social" },
  { code: "learning", ja: "学習支援", en: "Learning support" },
  { code: "mobility", ja: "移動支援", en: "Mobility support" },
  { code: "health", ja: "健康", en: "Health" },
  { code: "culture", ja: "文化・スポーツ", en: "Culture & sports" },
  { code: "livelihood", ja: "生活支援", en: "Daily-life support" },
] as const;

export type TaskCategoryCode = (typeof TASK_CATEGORIES)[number]["code"];

export const TASK_CATEGORY_CODES = TASK_CATEGORIES.map((c) => c.code) as [
  TaskCategoryCode,
  ...TaskCategoryCode[],
];

export function categoryLabel(code: string, locale: "ja" | "en"): string {
  const found = TASK_CATEGORIES.find((c) => c.code === code);
  return found ? found[locale] : code;
}

/** Resource categories per kind (場所・活動・サービス・団体). */
export const RESOURCE_CATEGORIES = [
  { code: "vacant_shop", ja: "空き店舗", en: "Vacant shop" },
  { code: "classroom", ja: "教室・会議室", en: "Classroom / meeting room" },
  { code: "community_hub", ja: "地域の居場所", en: "Community hub" },
  { code: "community_center", ja: "地区センター・公民館", en: "Community centre" },
  { code: "park", ja: "公園・広場", en: "Park / square" },
  { code: "shelter", ja: "避難所", en: "Evacuation shelter" },
  { code: "salon", ja: "サロン", en: "Salon" },
  { code: "kodomo_shokudo", ja: "こども食堂", en: "Children's cafeteria" },
  { code: "study_space", ja: "学習スペース", en: "Study space" },
  { code: "care_service", ja: "介護・福祉サービス", en: "Care / welfare service" },
  { code: "consultation", ja: "相談窓口", en: "Consultation desk" },
  { code: "transport", ja: "移動・送迎", en: "Transport" },
  { code: "health_service", ja: "健康づくり", en: "Health promotion" },
  { code: "office", ja: "団体事務所", en: "Organization office" },
] as const;

export function resourceCategoryLabel(code: string, locale: "ja" | "en"): string {
  const found = RESOURCE_CATEGORIES.find((c) => c.code === code);
  return found ? found[locale] : code;
}
