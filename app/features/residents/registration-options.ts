/**
 * Choices of the /register form, shared by the page and server/domain/registration.ts (isomorphic:
 * the page must not import server code).
 */

/** The weekly grid's parts of the day, in local minutes (end exclusive). */
export const PARTS = [
  { key: "morning", start: 9 * 60, end: 12 * 60 },
  { key: "afternoon", start: 12 * 60, end: 17 * 60 },
  { key: "evening", start: 17 * 60, end: 21 * 60 },
] as const;
export type PartKey = (typeof PARTS)[number]["key"];

/** Travel distances offered, in metres. */
export const TRAVEL_CHOICES_M = [500, 1000, 2000, 5000] as const;

export type RegistrationFieldCode =
  | "name_required"
  | "email_invalid"
  | "email_taken"
  | "phone_invalid"
  | "password_weak"
  | "area_required"
  | "availability_required";
