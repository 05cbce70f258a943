/**
 * The 代理登録 form (app/routes/w.$slug.residents.new.tsx): its words, its weekly grid, and the
 * form → ProxyRegistration input mapping (pure, tested next to it). The server validates again.
 */
import { TASK_CATEGORY_CODES } from "~/lib/categories";
import type { Locale } from "~/lib/i18n";

/** Parts of the day on the grid, local minutes (the same as the residents' own form). */
export const PROXY_PARTS = [
  { key: "morning", start: 540, end: 720 },
  { key: "afternoon", start: 720, end: 1020 },
  { key: "evening", start: 1020, end: 1260 },
] as const;
type PartKey = (typeof PROXY_PARTS)[number]["key"];

const CONSENT_FIELDS = ["name", "contact", "birthYear", "location", "notes"] as const;
const OBTAINED = ["paper", "in_person", "phone"] as const;

export interface ProxyFormInput {
  organizationId?: string;
  name: string;
  nameKana?: string;
  contact?: string;
  birthYear?: number;
  homeAreaId: string;
  interests: Array<"watch" | "environment" | "childcare" | "disaster" | "food" | "social" | "learning" | "mobility" | "health" | "culture" | "livelihood">;
  windows: Array<{ weekday: number; startMinute: number; endMinute: number }>;
  consent: {
    obtainedBy: (typeof OBTAINED)[number];
    purpose: string;
    shareWith: string[];
    fields: Array<(typeof CONSENT_FIELDS)[number]>;
    expiresAt: string;
  };
}

type FormLike = { get(name: string): unknown; getAll(name: string): unknown[] };

export function proxyInputFromForm(form: FormLike): { ok: true; value: ProxyFormInput } | { ok: false; errors: Array<{ path: string; message: string }> } {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v.trim() : "";
  };
  const all = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  const errors: Array<{ path: string; message: string }> = [];
  const name = text("name");
  if (!name) errors.push({ path: "name", message: "お名前を入力してください / Enter the name" });
  const year = text("birthYear");
  const birthYear = year ? Number(year) : undefined;
  if (year && !/^\d{4}$/.test(year)) errors.push({ path: "birthYear", message: "西暦4桁で入力してください / Four-digit year" });
  const windows = all("availability").flatMap((cell) => {
    const match = /^([0-6]):(morning|afternoon|evening)$/.exec(cell);
    if (!match) return [];
    const part = PROXY_PARTS.find((p) => p.key === (match[2] as PartKey))!;
    return [{ weekday: Number(match[1]), startMinute: part.start, endMinute: part.end }];
  });
  if (windows.length === 0) errors.push({ path: "windows", message: "空いている時間を1つ以上選んでください / Choose at least one free time" });
  const obtainedBy = OBTAINED.find((o) => o === text("obtainedBy"));
  if (!obtainedBy) errors.push({ path: "consent.obtainedBy", message: "同意の取り方を選んでください / How was consent given?" });
  const expiresOn = text("expiresOn");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn)) errors.push({ path: "consent.expiresAt", message: "期限の日付を入力してください / Enter the end date" });
  if (errors.length > 0 || !obtainedBy) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...(text("organizationId") ? { organizationId: text("organizationId") } : {}),
      name,
      ...(text("nameKana") ? { nameKana: text("nameKana") } : {}),
      ...(text("contact") ? { contact: text("contact") } : {}),
      ...(birthYear ? { birthYear } : {}),
      homeAreaId: text("homeAreaId"),
      interests: all("interests").filter((c): c is ProxyFormInput["interests"][number] => (TASK_CATEGORY_CODES as readonly string[]).includes(c)),
      windows,
      consent: {
        obtainedBy,
        purpose: text("purpose"),
        shareWith: all("shareWith"),
        fields: all("fields").filter((f): f is (typeof CONSENT_FIELDS)[number] => (CONSENT_FIELDS as readonly string[]).includes(f)),
        // The end of that day in Japan.
        expiresAt: `${expiresOn}T23:59:59+09:00`,
      },
    },
  };
}

const ja = {
  title: "代理登録",
  lead: "電話や窓口で受けた住民の登録を、本人に代わって入力します。同意の取り方と目的は記録され、本人の「だれが見たか」に残ります。",
  done: (code: string) => `登録しました。住民番号 ${code}（自動マッチングが提案を作ります）`,
  fix: "次の項目を直してください",
  organization: "登録する団体",
  person: "ご本人",
  name: "お名前",
  kana: "ふりがな",
  contact: "連絡先（電話番号またはメール）",
  birthYear: "生まれた年（西暦）",
  area: "お住まいの地区",
  interests: "関心のある分野",
  freeTime: "空いている時間（毎週）",
  day: "曜日",
  parts: { morning: "午前", afternoon: "午後", evening: "夕方以降" } as Record<PartKey, string>,
  consent: "本人の同意（代理で記録）",
  consentHelp: "本人から同意を得た方法、目的、共有してよい団体と項目、期限を記録します。要配慮個人情報はここでは共有できません。",
  obtained: { paper: "書面で", in_person: "対面で", phone: "電話で" },
  purpose: "利用目的",
  defaultPurpose: "地域活動の紹介と、参加の連絡・調整のため",
  shareWith: "共有してよい団体",
  fields: "共有してよい項目",
  fieldNames: { name: "氏名", contact: "連絡先", birthYear: "生まれ年", location: "自宅の位置", notes: "メモ" },
  expires: "同意の期限",
  submit: "登録する",
  saving: "保存中…",
};

const en: typeof ja = {
  title: "Register on a resident's behalf",
  lead: "Enter a registration taken by phone or at the counter. How and for what the resident agreed is recorded and shows in their own 'who looked at my data'.",
  done: (code: string) => `Registered as resident ${code} (matching will propose activities).`,
  fix: "Please correct these fields",
  organization: "Registering organization",
  person: "The resident",
  name: "Name",
  kana: "Reading (kana)",
  contact: "Contact (phone or e-mail)",
  birthYear: "Year of birth",
  area: "Home area",
  interests: "Interests",
  freeTime: "Free time (every week)",
  day: "Day",
  parts: { morning: "Morning", afternoon: "Afternoon", evening: "Evening" },
  consent: "The resident's consent (recorded on their behalf)",
  consentHelp: "Record how the resident agreed, the purpose, which organizations may see which fields, and until when. Special-care information cannot be shared here.",
  obtained: { paper: "On paper", in_person: "In person", phone: "By phone" },
  purpose: "Purpose",
  defaultPurpose: "To offer local activities and to contact the resident about taking part",
  shareWith: "Organizations that may see the data",
  fields: "Fields they may see",
  fieldNames: { name: "Name", contact: "Contact", birthYear: "Year of birth", location: "Home location", notes: "Notes" },
  expires: "Consent ends on",
  submit: "Register",
  saving: "Saving…",
};

export const PROXY_MESSAGES: Record<Locale, typeof ja> = { ja, en };
