/**
 * Personal fields of a resident that a consent can name. The trust layer (later issue) projects a
 * resident through these; workspace-room broadcasts never carry any of them.
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
