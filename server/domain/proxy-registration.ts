import { randomBytes } from "node:crypto";
import { z } from "zod";
import { parseContact } from "../../app/features/residents/contact.ts";
import { referenceCodeFrom } from "../../app/features/residents/ref-code.ts";
import { TASK_CATEGORY_CODES } from "../../app/lib/categories.ts";
import { RESIDENT_PERSONAL_FIELDS } from "../../app/lib/resident-fields.ts";
import { AvailabilityWindowSchema } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { recordChange, type AuditContext } from "../trust/audit.ts";
import { MAX_CONSENT_DAYS } from "./consents.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";

const id = z.string().trim().min(1).max(64);
const DAY_MS = 86_400_000;

/**
 * 代理登録: a coordinator registers a resident who cannot or will not use the web form (a phone
 * call, a paper form at the 社協 counter). The consent is recorded as given on the resident's
 * behalf: how it was obtained, by whom, for what and until when.
 */
export const ProxyRegistrationSchema = z
  .object({
    /** The organization registering (one the caller coordinates); defaults to the caller's only one. */
    organizationId: id.optional(),
    name: z.string().trim().min(1).max(60),
    nameKana: z.string().trim().max(60).optional(),
    contact: z.string().trim().max(254).optional(),
    birthYear: z.number().int().min(1900).max(2100).optional(),
    homeAreaId: id,
    skillIds: z.array(id).max(30).default([]),
    interests: z.array(z.enum(TASK_CATEGORY_CODES)).max(20).default([]),
    windows: z.array(AvailabilityWindowSchema).min(1).max(50),
    travelDistanceM: z.number().int().min(0).max(200_000).default(2000),
    style: z.enum(["REGISTERED", "PER_EVENT"]).default("REGISTERED"),
    consent: z
      .object({
        /** How the resident agreed: on paper, in person, by phone. */
        obtainedBy: z.enum(["paper", "in_person", "phone"]),
        purpose: z.string().trim().min(4).max(500),
        /** Other organizations of the workspace that may see `fields`. */
        shareWith: z.array(id).max(20).default([]),
        fields: z.array(z.enum(RESIDENT_PERSONAL_FIELDS)).max(RESIDENT_PERSONAL_FIELDS.length).default(["name", "contact"]),
        expiresAt: z.iso.datetime({ offset: true }),
      })
      .strict(),
  })
  .strict();
export type ProxyRegistration = z.infer<typeof ProxyRegistrationSchema>;

export function createProxyRegistrationService(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  return {
    /** Returns the new resident's id and pseudonymous code. */
    async register(user: SessionUser, workspaceId: string, raw: z.input<typeof ProxyRegistrationSchema>, ctx: AuditContext) {
      requirePermission(user, workspaceId, "read:workspace:workspace");
      // Parsed here too, so the Remix form and the REST route share one set of rules and defaults.
      const parsed = ProxyRegistrationSchema.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        throw new AppError("validation_failed", `入力内容に誤りがあります / Invalid input: ${issues.map((i) => i.path).join(", ")}`, issues);
      }
      const input: ProxyRegistration = parsed.data;
      const coordinated = user.memberships
        .filter((m) => m.workspaceId === workspaceId && (m.role === "COORDINATOR" || m.role === "ADMIN"))
        .map((m) => m.organizationId);
      const organizationId = input.organizationId ?? (coordinated.length === 1 ? coordinated[0] : undefined);
      if (!organizationId || !coordinated.includes(organizationId)) {
        throw new AppError("forbidden", "代理登録は登録する団体のコーディネーターが行います / Only a coordinator of the registering organization can register on a resident's behalf");
      }
      const now = clock();
      const issues: Array<{ path: string; message: string }> = [];
      const contact = input.contact ? parseContact(input.contact) : null;
      if (input.contact && !contact) issues.push({ path: "contact", message: "電話番号かメールアドレスを入力してください / Enter a phone number or an e-mail address" });
      const expiresAt = new Date(input.consent.expiresAt);
      if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > now.getTime() + MAX_CONSENT_DAYS * DAY_MS) {
        issues.push({ path: "consent.expiresAt", message: "同意の期限は今日から3年以内です / The consent must end within three years from today" });
      }
      if (input.consent.fields.includes("specialCare")) {
        issues.push({ path: "consent.fields", message: "要配慮個人情報は別の明示的な同意で共有します / Special-care information needs its own explicit consent" });
      }
      const [area, skills, organizations] = await Promise.all([
        prisma.area.findFirst({ where: { id: input.homeAreaId, workspaceId }, select: { id: true, centerLat: true, centerLng: true } }),
        prisma.skill.findMany({ where: { workspaceId, id: { in: input.skillIds } }, select: { id: true } }),
        prisma.organization.findMany({ where: { workspaceId, id: { in: input.consent.shareWith } }, select: { id: true } }),
      ]);
      if (!area) issues.push({ path: "homeAreaId", message: "地区が見つかりません / Unknown area" });
      if (skills.length !== new Set(input.skillIds).size) issues.push({ path: "skillIds", message: "Unknown skill" });
      const shareWith = [...new Set(input.consent.shareWith)].filter((o) => o !== organizationId);
      if (organizations.length !== new Set(input.consent.shareWith).size) issues.push({ path: "consent.shareWith", message: "Unknown organization" });
      if (issues.length > 0 || !area) {
        throw new AppError("validation_failed", `入力内容に誤りがあります / Invalid input: ${issues.map((i) => i.path).join(", ")}`, issues);
      }

      const { value } = await writeInWorkspace(deps, workspaceId, user.id, async (tx) => {
        let publicCode = "";
        for (let attempt = 0; attempt < 8 && !publicCode; attempt++) {
          const code = referenceCodeFrom(randomBytes(8));
          const taken = await tx.resident.findUnique({ where: { workspaceId_publicCode: { workspaceId, publicCode: code } }, select: { id: true } });
          if (!taken) publicCode = code;
        }
        if (!publicCode) throw new AppError("unavailable", "Could not make a resident code");
        const resident = await tx.resident.create({
          data: {
            workspaceId,
            registeredByOrgId: organizationId,
            publicCode,
            displayName: input.name,
            nameKana: input.nameKana ?? null,
            email: contact?.kind === "email" ? contact.value : null,
            phone: contact?.kind === "phone" ? contact.value : null,
            birthYear: input.birthYear ?? null,
            homeAreaId: area.id,
            // The area's centre: no address is taken by phone; the matcher needs a point.
            homeLat: area.centerLat,
            homeLng: area.centerLng,
            travelDistanceM: input.travelDistanceM,
            style: input.style,
            interests: [...new Set(input.interests)],
            skills: { create: [...new Set(input.skillIds)].map((skillId) => ({ skillId, level: 1 })) },
            availabilityWindows: { create: input.windows },
          },
          select: { id: true },
        });
        const purpose = `${input.consent.purpose}（代理: ${obtainedLabel[input.consent.obtainedBy]}）`;
        for (const shared of shareWith) {
          const consent = await tx.consent.create({
            data: {
              residentId: resident.id,
              organizationId: shared,
              fields: [...new Set(input.consent.fields)],
              purpose,
              onBehalf: true,
              grantedByUserId: user.id,
              grantedAt: now,
              expiresAt,
            },
            select: { id: true },
          });
          await recordChange(tx, ctx, {
            workspaceId,
            action: "consent.grant",
            entity: "consent",
            entityId: consent.id,
            residentId: resident.id,
            fields: input.consent.fields,
            organizationId: shared,
            basis: "on-behalf",
          });
        }
        await recordChange(tx, ctx, {
          workspaceId,
          action: "resident.register",
          entity: "resident",
          entityId: resident.id,
          residentId: resident.id,
          fields: ["name", ...(contact ? ["contact"] : []), ...(input.birthYear ? ["birthYear"] : []), "location"],
          organizationId,
          basis: `on-behalf:${input.consent.obtainedBy}`,
        });
        return {
          result: { id: resident.id, publicCode },
          entity: "resident",
          entityId: resident.id,
          verb: "created",
          data: { residentId: resident.id, publicCode },
        };
      });
      return value;
    },
  };
}

const obtainedLabel = { paper: "書面", in_person: "対面", phone: "電話" } as const;
