import { z } from "zod";
import { TASK_CATEGORY_CODES } from "./categories.ts";
import { JOINT_USE_FIELDS, RESIDENT_PERSONAL_FIELDS } from "./resident-fields.ts";

/**
 * Request bodies and queries of the REST API, parsed at the edge. The same schemas serve the
 * browser's forms, so a refusal names the same fields on both sides.
 */
const id = z.string().min(1).max(64);
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.iso.datetime({ offset: true });

export const VisibilitySchema = z.enum(["PUBLIC", "PLATFORM", "ORG"]);
export const TaskStatusSchema = z.enum(["DRAFT", "OPEN", "CLOSED", "ARCHIVED"]);
export const IncentiveKindSchema = z.enum(["TRANSPORT_FEE", "THANKS_MONEY", "LOCAL_POINTS", "CERTIFICATE"]);
export const MatchStageSchema = z.enum([
  "SUGGESTED",
  "CONTACTING",
  "ARRANGING",
  "CONFIRMED",
  "ACTIVE",
  "COMPLETED",
  "DECLINED",
  "WITHDRAWN",
]);
export type MatchStage = z.infer<typeof MatchStageSchema>;
export const ResourceKindSchema = z.enum(["PLACE", "ACTIVITY", "SERVICE", "ORGANIZATION"]);

const taskFields = {
  title: text(120),
  titleEn: text(120).nullish(),
  description: z.string().trim().max(4000),
  category: z.enum(TASK_CATEGORY_CODES),
  areaId: id.nullish(),
  locationName: text(200).nullish(),
  lat: lat.nullish(),
  lng: lng.nullish(),
  isRemote: z.boolean(),
  visibility: VisibilitySchema,
  status: TaskStatusSchema,
  recurrence: text(200).nullish(),
  whatToBring: z.string().trim().max(1000).nullish(),
  accessibilityNotes: z.string().trim().max(1000).nullish(),
  incentiveKinds: z.array(IncentiveKindSchema).max(4),
  transportFeeYen: z.number().int().min(0).max(100_000).nullish(),
  thanksYen: z.number().int().min(0).max(1_000_000).nullish(),
  localPoints: z.number().int().min(0).max(100_000).nullish(),
};

function locationComplete(value: { lat?: number | null; lng?: number | null }) {
  return (value.lat == null) === (value.lng == null);
}
const LOCATION_MESSAGE = { message: "lat and lng must be given together", path: ["lat"] };

export const TaskCreateSchema = z
  .object({
    ...taskFields,
    ownerOrgId: id,
    isRemote: taskFields.isRemote.default(false),
    visibility: taskFields.visibility.default("PLATFORM"),
    status: taskFields.status.default("OPEN"),
    incentiveKinds: taskFields.incentiveKinds.default([]),
    description: taskFields.description.default(""),
  })
  .strict()
  .refine(locationComplete, LOCATION_MESSAGE);
export type TaskCreate = z.infer<typeof TaskCreateSchema>;

export const TaskUpdateSchema = z
  .object({ ...taskFields, expectedVersion: z.number().int().min(1) })
  .partial()
  .required({ expectedVersion: true })
  .strict()
  .refine(locationComplete, LOCATION_MESSAGE);
export type TaskUpdate = z.infer<typeof TaskUpdateSchema>;

const shiftFields = {
  role: text(80),
  roleEn: text(80).nullish(),
  startsAt: isoDate,
  endsAt: isoDate,
  headcount: z.number().int().min(1).max(500),
  requiredSkillIds: z.array(id).max(20),
};
const shiftWindowValid = (v: { startsAt?: string; endsAt?: string }) =>
  !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);
const SHIFT_WINDOW_MESSAGE = { message: "endsAt must be after startsAt", path: ["endsAt"] };

export const ShiftCreateSchema = z
  .object({ ...shiftFields, headcount: shiftFields.headcount.default(1), requiredSkillIds: shiftFields.requiredSkillIds.default([]) })
  .strict()
  .refine(shiftWindowValid, SHIFT_WINDOW_MESSAGE);
export type ShiftCreate = z.infer<typeof ShiftCreateSchema>;

export const ShiftUpdateSchema = z
  .object({ ...shiftFields, expectedVersion: z.number().int().min(1) })
  .partial()
  .required({ expectedVersion: true })
  .strict()
  .refine(shiftWindowValid, SHIFT_WINDOW_MESSAGE);
export type ShiftUpdate = z.infer<typeof ShiftUpdateSchema>;

const minute = z.number().int().min(0).max(1440);
export const AvailabilityWindowSchema = z
  .object({ weekday: z.number().int().min(0).max(6), startMinute: minute, endMinute: minute })
  .strict()
  .refine((w) => w.endMinute > w.startMinute, { message: "endMinute must be after startMinute", path: ["endMinute"] });

export const AvailabilityExceptionSchema = z
  .object({
    date: z.iso.date(),
    available: z.boolean().default(false),
    startMinute: minute.nullish(),
    endMinute: minute.nullish(),
    note: z.string().trim().max(200).nullish(),
  })
  .strict()
  .refine((e) => (e.startMinute == null) === (e.endMinute == null), {
    message: "startMinute and endMinute must be given together",
    path: ["startMinute"],
  })
  .refine((e) => e.startMinute == null || e.endMinute! > e.startMinute, {
    message: "endMinute must be after startMinute",
    path: ["endMinute"],
  });

/** Replaces a resident's weekly pattern and dated exceptions as a whole. */
export const AvailabilityPutSchema = z
  .object({
    expectedVersion: z.number().int().min(1),
    windows: z.array(AvailabilityWindowSchema).max(100),
    exceptions: z.array(AvailabilityExceptionSchema).max(200).default([]),
    weeklyHourCap: z.number().int().min(0).max(80).nullish(),
  })
  .strict();
export type AvailabilityPut = z.infer<typeof AvailabilityPutSchema>;

const resourceFields = {
  kind: ResourceKindSchema,
  category: text(60),
  name: text(120),
  nameEn: text(120).nullish(),
  description: z.string().trim().max(4000).nullish(),
  address: text(200).nullish(),
  lat,
  lng,
  areaId: id.nullish(),
  capacity: z.number().int().min(0).max(100_000).nullish(),
  openHours: text(200).nullish(),
  contact: text(200).nullish(),
  url: z.url().max(500).nullish(),
  visibility: VisibilitySchema,
};

export const ResourceCreateSchema = z
  .object({ ...resourceFields, ownerOrgId: id, visibility: resourceFields.visibility.default("PUBLIC") })
  .strict();
export type ResourceCreate = z.infer<typeof ResourceCreateSchema>;

export const ResourceUpdateSchema = z
  .object({ ...resourceFields, status: z.enum(["ACTIVE", "ARCHIVED"]), expectedVersion: z.number().int().min(1) })
  .partial()
  .required({ expectedVersion: true })
  .strict();
export type ResourceUpdate = z.infer<typeof ResourceUpdateSchema>;

export const MatchStageMoveSchema = z
  .object({ stage: MatchStageSchema, expectedVersion: z.number().int().min(1), note: z.string().trim().max(1000).optional() })
  .strict();
export type MatchStageMove = z.infer<typeof MatchStageMoveSchema>;

export const LoginSchema = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
});

export const SinceQuerySchema = z.object({
  since: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(64).optional(),
});

// ───────────── Residents, consents, audit (the trust layer) ─────────────

export const ResidentFieldSchema = z.enum(RESIDENT_PERSONAL_FIELDS);
const uniqueItems = (items: readonly string[]) => new Set(items).size === items.length;
/** Why personal data is read; recorded with every audited read. */
export const PurposeSchema = z.string().trim().min(1).max(200);

/**
 * A resident (or a coordinator of the registering organization on their behalf, 代理) lets an
 * organization see named fields for a purpose until a date. 要配慮個人情報 needs its own flag:
 * naming "specialCare" and setting `includesSpecialCare` must go together.
 */
export const ConsentGrantSchema = z
  .object({
    organizationId: id,
    fields: z.array(ResidentFieldSchema).min(1).max(RESIDENT_PERSONAL_FIELDS.length).refine(uniqueItems, "fields must not repeat"),
    purpose: text(500),
    expiresAt: isoDate,
    includesSpecialCare: z.boolean().default(false),
  })
  .strict()
  .refine((c) => c.fields.includes("specialCare") === c.includesSpecialCare, {
    message: "要配慮個人情報 needs its own explicit consent: name \"specialCare\" in fields and set includesSpecialCare: true together",
    path: ["includesSpecialCare"],
  });
export type ConsentGrant = z.infer<typeof ConsentGrantSchema>;

export const ConsentRevokeSchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();
export type ConsentRevoke = z.infer<typeof ConsentRevokeSchema>;

/** 共同利用の公表: never 要配慮個人情報 (that always needs a resident's own consent). */
export const JointUseNoticeCreateSchema = z
  .object({
    managerOrgId: id,
    organizationIds: z.array(id).min(1).max(50).refine(uniqueItems, "organizationIds must not repeat"),
    fields: z.array(z.enum(JOINT_USE_FIELDS)).min(1).max(JOINT_USE_FIELDS.length).refine(uniqueItems, "fields must not repeat"),
    purpose: text(1000),
  })
  .strict();
export type JointUseNoticeCreate = z.infer<typeof JointUseNoticeCreateSchema>;

export const ResidentListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(64).optional(),
  areaId: id.optional(),
  registeredByOrgId: id.optional(),
  includeDeleted: z.enum(["0", "1"]).optional(),
  purpose: PurposeSchema.optional(),
});
export type ResidentListQuery = z.infer<typeof ResidentListQuerySchema>;

export const PurposeQuerySchema = z.object({ purpose: PurposeSchema.optional() });

export const AuditListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `nextCursor` of the previous page (audit rows are numbered, newest first). */
  cursor: z.string().regex(/^\d{1,19}$/).optional(),
  residentId: id.optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;
