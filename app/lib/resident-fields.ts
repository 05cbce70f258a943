/**
 * Personal fields of a resident that a consent can name. The trust layer (server/trust/projection.ts)
 * projects a resident through these; workspace-room broadcasts never carry any of them.
 */
export const RESIDENT_PERSONAL_FIELDS = [
  "name",
  "contact",
  "address",
  "birthYear",
  "notes",
  "location",
  "specialCare",
] as const;

export type ResidentPersonalField = (typeof RESIDENT_PERSONAL_FIELDS)[number];

/** 要配慮個人情報: shared only with its own explicit consent (Consent.includesSpecialCare). */
export const SPECIAL_CARE_FIELD = "specialCare" satisfies ResidentPersonalField;

/** Fields a 共同利用 notice may name: everything but 要配慮個人情報, which always needs a consent. */
export const JOINT_USE_FIELDS = RESIDENT_PERSONAL_FIELDS.filter((f) => f !== SPECIAL_CARE_FIELD);

/** The output keys each field shows (server/trust/projection.ts); a test checks they match. */
export const RESIDENT_FIELD_KEYS: Record<ResidentPersonalField, readonly string[]> = {
  name: ["name", "nameKana"],
  contact: ["email", "phone"],
  address: ["address"],
  birthYear: ["birthYear"],
  notes: ["notes"],
  location: ["location"],
  specialCare: ["specialCare"],
};

export const RESIDENT_FIELD_LABELS: Record<ResidentPersonalField, { ja: string; en: string }> = {
  name: { ja: "氏名", en: "Name" },
  contact: { ja: "連絡先(メール・電話)", en: "Contact (email, phone)" },
  address: { ja: "住所", en: "Address" },
  birthYear: { ja: "生年", en: "Birth year" },
  notes: { ja: "備考", en: "Notes" },
  location: { ja: "自宅の位置", en: "Home location" },
  specialCare: { ja: "要配慮個人情報", en: "Special-care information" },
};
