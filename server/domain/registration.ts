import { randomBytes } from "node:crypto";
import { parseContact } from "../../app/features/residents/contact.ts";
import { referenceCodeFrom } from "../../app/features/residents/ref-code.ts";
import {
  PARTS,
  TRAVEL_CHOICES_M,
  type RegistrationFieldCode,
} from "../../app/features/residents/registration-options.ts";
import { TASK_CATEGORY_CODES } from "../../app/lib/categories.ts";
import { assertPasswordPolicy, hashNewPassword } from "../auth/account.ts";
import type { SessionUser } from "../auth/sessions.ts";
import type { MatchStage } from "../db/generated/enums.ts";
import { AppError } from "../http/errors.ts";
import type { AuditContext } from "../trust/audit.ts";
import { writeInWorkspace, type Tx, type WriteDeps } from "./write-path.ts";

/**
 * 登録制: a resident registers themself (/register) and answers the matcher's proposals (/me).
 * docs/residents.md and docs/decisions/042.
 *
 * - The resident is registered by the workspace's 社会福祉協議会 (its volunteer centre is where
 *   residents register in person too); without one, by the workspace's oldest organization.
 * - Home: the chosen area's centre — the matcher needs a point, and an area centre says no more
 *   than the area the resident chose (no exact home is asked for).
 * - Weekly free time: a weekday × part-of-day grid → AvailabilityWindows in local minutes
 *   (morning 9–12, afternoon 12–17, evening 17–21; adjacent cells merge in the matcher).
 * - Consents: one per organization the resident ticks, for name and contact, with the stated
 *   purpose, for one year.
 * The one write emits `resident created`: the matching scheduler reruns and proposes.
 */
export const REGISTRATION_CONSENT_FIELDS = ["name", "contact"] as const;
export const REGISTRATION_PURPOSE =
  "活動の紹介と、参加の連絡・調整のため / To offer you activities and to contact you about taking part";
/** @default 365 days */
export const REGISTRATION_CONSENT_DAYS = 365;
const DAY_MS = 86_400_000;

export interface RegistrationInput {
  workspaceId: string;
  name: unknown;
  email: unknown;
  phone?: unknown;
  password: unknown;
  homeAreaId: unknown;
  skillIds: unknown[];
  interests: unknown[];
  /** "weekday:part" cells, e.g. "1:morning". */
  availability: unknown[];
  travelDistanceM: unknown;
  style: unknown;
  consentOrgIds: unknown[];
}

function invalid(
  issues: Array<{ path: string; code: RegistrationFieldCode; message?: string }>
) {
  return new AppError(
    "validation_failed",
    "入力内容に誤りがあります / Invalid input",
    issues
  );
}

const OPEN_FOR_RESIDENT: readonly MatchStage[] = [
  "SUGGESTED",
  "CONTACTING",
  "ARRANGING",
  "CONFIRMED",
  "ACTIVE",
];

export function createRegistrationService(
  deps: WriteDeps,
  clock: () => Date = () => new Date()
) {
  const { prisma } = deps;

  async function freshCode(tx: Tx, workspaceId: string): Promise<string> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const code = referenceCodeFrom(randomBytes(8));
      if (
        !(await tx.resident.findUnique({
          where: { workspaceId_publicCode: { workspaceId, publicCode: code } },
          select: { id: true },
        }))
      )
        return code;
    }
    throw new AppError("unavailable", "Could not make a resident code");
  }

  async function ownResident(user: SessionUser) {
    const resident = await prisma.resident.findUnique({
      where: { userId: user.id },
      select: { id: true, workspaceId: true, deletedAt: true },
    });
    if (!resident || resident.deletedAt)
      throw new AppError(
        "not_found",
        "住民の登録がありません / No resident record"
      );
    return resident;
  }

  return {
    /** What the form offers: the workspace, its areas, skills and organizations. */
    async formOptions(slug?: string) {
      const workspace = await prisma.workspace.findFirst({
        where: slug ? { slug } : {},
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, slug: true, name: true, nameEn: true },
      });
      if (!workspace)
        throw new AppError(
          "not_found",
          "プラットフォームが見つかりません / Workspace not found"
        );
      const [areas, skills, organizations] = await Promise.all([
        prisma.area.findMany({
          where: { workspaceId: workspace.id },
          orderBy: { code: "asc" },
          select: { id: true, name: true, nameEn: true },
        }),
        prisma.skill.findMany({
          where: { workspaceId: workspace.id },
          orderBy: { code: "asc" },
          select: { id: true, nameJa: true, nameEn: true },
        }),
        prisma.organization.findMany({
          where: { workspaceId: workspace.id },
          orderBy: [{ kind: "asc" }, { name: "asc" }],
          select: { id: true, name: true, nameEn: true, kind: true },
        }),
      ]);
      const registrar = organizations.find((o) => o.kind === "SHAKYO") ?? null;
      return {
        workspace,
        areas,
        skills,
        organizations,
        registrarId: registrar?.id ?? organizations[0]?.id ?? null,
      };
    },

    /** Creates User + Resident (+ skills, availability, consents) in one write. Returns ids. */
    async register(
      input: RegistrationInput
    ): Promise<{ userId: string; residentId: string; email: string }> {
      const options = await this.formOptions();
      if (options.workspace.id !== input.workspaceId)
        throw new AppError("not_found", "Workspace not found");
      const issues: Array<{
        path: string;
        code: RegistrationFieldCode;
        message?: string;
      }> = [];
      const name =
        typeof input.name === "string"
          ? input.name
              .normalize("NFKC")
              .trim()
              .replace(/\s+/g, " ")
              .slice(0, 60)
          : "";
      if (!name) issues.push({ path: "name", code: "name_required" });
      const email = parseContact(input.email);
      if (!email || email.kind !== "email")
        issues.push({ path: "email", code: "email_invalid" });
      const rawPhone =
        typeof input.phone === "string" ? input.phone.trim() : "";
      const phone = rawPhone ? parseContact(rawPhone) : null;
      if (rawPhone && (!phone || phone.kind !== "phone"))
        issues.push({ path: "phone", code: "phone_invalid" });
      const password = typeof input.password === "string" ? input.password : "";
      if (email?.kind === "email") {
        try {
          assertPasswordPolicy(password, { email: email.value });
        } catch (error) {
          issues.push({
            path: "password",
            code: "password_weak",
            message: (error as Error).message,
          });
        }
      }
      const area = options.areas.find((a) => a.id === input.homeAreaId);
      if (!area) issues.push({ path: "homeAreaId", code: "area_required" });
      const cells = new Set(
        input.availability.filter(
          (c): c is string =>
            typeof c === "string" &&
            /^[0-6]:(morning|afternoon|evening)$/.test(c)
        )
      );
      if (cells.size === 0)
        issues.push({ path: "availability", code: "availability_required" });
      if (issues.length > 0 || !email || !area) throw invalid(issues);

      const skillIds = new Set(options.skills.map((s) => s.id));
      const skills = [
        ...new Set(
          input.skillIds.filter(
            (s): s is string => typeof s === "string" && skillIds.has(s)
          )
        ),
      ];
      const interests = [
        ...new Set(
          input.interests.filter(
            (c): c is string =>
              typeof c === "string" &&
              (TASK_CATEGORY_CODES as readonly string[]).includes(c)
          )
        ),
      ];
      const travel =
        TRAVEL_CHOICES_M.find(
          (m) => String(m) === String(input.travelDistanceM)
        ) ?? 2000;
      const style = input.style === "PER_EVENT" ? "PER_EVENT" : "REGISTERED";
      const registrarId = options.registrarId!;
      const consentOrgs = [
        ...new Set(
          input.consentOrgIds.filter(
            (o): o is string =>
              typeof o === "string" &&
              o !== registrarId &&
              options.organizations.some((x) => x.id === o)
          )
        ),
      ];
      const windows = [...cells].map((cell) => {
        const [day, part] = cell.split(":");
        const p = PARTS.find((x) => x.key === part)!;
        return { weekday: Number(day), startMinute: p.start, endMinute: p.end };
      });
      const passwordHash = await hashNewPassword(password, {
        email: email.value,
      });
      const areaRow = await prisma.area.findUniqueOrThrow({
        where: { id: area.id },
        select: { centerLat: true, centerLng: true },
      });

      const { value } = await writeInWorkspace(
        deps,
        options.workspace.id,
        null,
        async (tx) => {
          const now = clock();
          if (
            await tx.user.findUnique({
              where: { email: email.value },
              select: { id: true },
            })
          )
            throw invalid([{ path: "email", code: "email_taken" }]);
          const user = await tx.user.create({
            data: { email: email.value, displayName: name, passwordHash },
            select: { id: true },
          });
          const publicCode = await freshCode(tx, options.workspace.id);
          const resident = await tx.resident.create({
            data: {
              workspaceId: options.workspace.id,
              registeredByOrgId: registrarId,
              userId: user.id,
              publicCode,
              displayName: name,
              email: email.value,
              phone: phone?.value ?? null,
              homeAreaId: area.id,
              homeLat: areaRow.centerLat,
              homeLng: areaRow.centerLng,
              travelDistanceM: travel,
              style,
              interests,
              skills: {
                create: skills.map((skillId) => ({ skillId, level: 1 })),
              },
              availabilityWindows: { create: windows },
            },
            select: { id: true },
          });
          for (const organizationId of consentOrgs) {
            await tx.consent.create({
              data: {
                residentId: resident.id,
                organizationId,
                fields: [...REGISTRATION_CONSENT_FIELDS],
                purpose: REGISTRATION_PURPOSE,
                grantedByUserId: user.id,
                grantedAt: now,
                expiresAt: new Date(
                  now.getTime() + REGISTRATION_CONSENT_DAYS * DAY_MS
                ),
              },
            });
          }
          return {
            result: {
              userId: user.id,
              residentId: resident.id,
              email: email.value,
            },
            entity: "resident",
            entityId: resident.id,
            verb: "created",
            data: { residentId: resident.id, publicCode },
          };
        }
      );
      return value;
    },

    /** The signed-in resident's matches that are still open: proposals first. Public task facts only. */
    async myMatches(user: SessionUser) {
      const resident = await ownResident(user);
      return prisma.match.findMany({
        where: {
          residentId: resident.id,
          stage: { in: [...OPEN_FOR_RESIDENT] },
        },
        orderBy: [
          { stage: "asc" },
          { shift: { startsAt: "asc" } },
          { id: "asc" },
        ],
        take: 50,
        select: {
          id: true,
          stage: true,
          version: true,
          explanationJa: true,
          explanationEn: true,
          shift: {
            select: {
              role: true,
              roleEn: true,
              startsAt: true,
              endsAt: true,
              task: {
                select: {
                  id: true,
                  title: true,
                  titleEn: true,
                  locationName: true,
                  isRemote: true,
                  visibility: true,
                  owner: { select: { name: true, nameEn: true } },
                  workspace: { select: { timezone: true } },
                },
              },
            },
          },
        },
      });
    },

    /**
     * The resident answers a proposal: accept → CONTACTING (the organizer's move: they call back),
     * decline → DECLINED (the matcher never proposes the pair again). Only their own SUGGESTED
     * matches; a stale version is a conflict.
     */
    async respond(
      user: SessionUser,
      matchId: string,
      answer: "accept" | "decline",
      expectedVersion: number
    ) {
      const resident = await ownResident(user);
      const match = await prisma.match.findUnique({
        where: { id: matchId },
        select: { residentId: true, stage: true, workspaceId: true },
      });
      if (!match || match.residentId !== resident.id)
        throw new AppError("not_found", "Match not found");
      if (match.stage !== "SUGGESTED")
        throw new AppError(
          "conflict",
          "この提案にはもう返事をしています / Already answered",
          { stage: match.stage }
        );
      const to: MatchStage = answer === "accept" ? "CONTACTING" : "DECLINED";
      await writeInWorkspace(deps, match.workspaceId, user.id, async (tx) => {
        const { count } = await tx.match.updateMany({
          where: { id: matchId, version: expectedVersion, stage: "SUGGESTED" },
          data: {
            stage: to,
            stageChangedAt: clock(),
            version: { increment: 1 },
          },
        });
        if (count === 0)
          throw new AppError(
            "conflict",
            "提案が変わりました。もう一度確認してください / The proposal changed"
          );
        await tx.matchEvent.create({
          data: {
            matchId,
            actorUserId: user.id,
            kind: "stage",
            fromStage: "SUGGESTED",
            toStage: to,
            note: null,
          },
        });
        const updated = await tx.match.findUniqueOrThrow({
          where: { id: matchId },
          select: { stage: true, version: true, shiftId: true },
        });
        return {
          result: null,
          entity: "match",
          entityId: matchId,
          verb: "updated",
          data: { matchId, ...updated },
        };
      });
      return to;
    },

    ownResident,

    /** Audit context of a resident's own pages. */
    selfContext(user: SessionUser, ip: string | null): AuditContext {
      return { actorUserId: user.id, purpose: "self-service", ip };
    },
  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;

export { PARTS, TRAVEL_CHOICES_M, type RegistrationFieldCode };
