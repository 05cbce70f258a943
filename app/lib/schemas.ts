import { z } from "zod";
import { TASK_CATEGORY_CODES } from "./categories.ts";

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
