import { randomBytes } from "node:crypto";
import {
  parseContact,
  type Contact,
} from "../../app/features/residents/contact.ts";
import {
  normalizeReferenceCode,
  referenceCodeFrom,
} from "../../app/features/residents/ref-code.ts";
import type { MatchStage } from "../db/generated/enums.ts";
import { AppError } from "../http/errors.ts";
import { MAX_CONSENT_DAYS } from "./consents.ts";
import { FILLED_STAGES } from "./pages.ts";
import {
  DEFAULT_APPLICATIONS_PER_SEAT,
  OPEN_APPLICATION_STAGES,
} from "./public-activities.ts";
import { writeInWorkspace, type Tx, type WriteDeps } from "./write-path.ts";

/**
 * 都度申し込み: a resident without an account applies for one piece (docs/residents.md,
 * docs/decisions/040). One write through the one write path creates, in one transaction:
 *
 * - a PER_EVENT **Resident** registered by the task's owner organization (the organization the
 *   applicant addressed, which must contact them: nobody else receives the data), whose
 *   `publicCode` is the applicant's **reference code** (申し込み番号): the same code the
 *   coordinators see on the card, so both sides can name the application on the phone;
 * - a **Consent** to that organization for name and contact (and the note), with the purpose the
 *   form stated, expiring 90 days after the piece: the record of what the applicant agreed to;
 * - a **Match** (source APPLICATION, stage CONTACTING: the resident has said yes, the organizer's
 *   move is to call back — the same stage a registered resident's "accept" leads to).
 *
 * Every refusal (invalid input, a piece that started, a full piece, the same contact twice on one
 * piece) is decided inside the transaction after the workspace row lock, so two submissions at
 * once cannot both pass, and a refusal writes nothing.
 */

/** What the form stated; stored on the consent. */
export const APPLICATION_PURPOSE =
  "この活動への参加申し込みについて、主催団体が連絡・調整するため / So that the organizer can contact you about this application";
/** The consent to the organizer runs until this many days after the piece ends. @default 90 */
export const APPLICATION_CONSENT_DAYS_AFTER = 90;
export const NAME_MAX = 60;
export const NOTE_MAX = 500;
const DAY_MS = 86_400_000;

export type ApplicationFieldCode =
  | "name_required"
  | "name_too_long"
  | "contact_invalid"
  | "consent_required"
  | "note_too_long";
export type ApplicationRefusal =
  | "past"
  | "full"
  | "cap"
  | "duplicate"
  | "closed";

export interface ApplicationInput {
  shiftId: string;
  name: unknown;
  contact: unknown;
  consent: unknown;
  note?: unknown;
}

/** Status words a resident sees; never the kanban's inner stages. */
export type ApplicationStatus =
  | "received"
  | "arranging"
  | "confirmed"
  | "done"
  | "closed";

export function applicationStatusOf(stage: MatchStage): ApplicationStatus {
  switch (stage) {
    case "SUGGESTED":
    case "CONTACTING":
      return "received";
    case "ARRANGING":
      return "arranging";
    case "CONFIRMED":
    case "ACTIVE":
      return "confirmed";
    case "COMPLETED":
      return "done";
    default:
      return "closed";
  }
}

function refused(reason: ApplicationRefusal): AppError {
  const messages: Record<ApplicationRefusal, string> = {
    past: "この枠はすでに始まっているか、終わっています / This piece has already started",
    full: "この枠は定員に達しました / This piece is full",
    cap: "この枠は申し込みが多いため、受け付けを終えました / This piece has enough applications",
    duplicate:
      "同じ連絡先で、この枠にすでに申し込まれています / You have already applied for this piece",
    closed:
      "この活動は募集を終えました / This activity no longer takes applications",
  };
  return new AppError("conflict", messages[reason], { reason });
}

/** Parses the form; throws `validation_failed` with a code per wrong field (the page words them). */
export function parseApplication(input: ApplicationInput): {
  name: string;
  contact: Contact;
  note: string | null;
} {
  const issues: Array<{ path: string; code: ApplicationFieldCode }> = [];
  const name =
    typeof input.name === "string"
      ? input.name.normalize("NFKC").trim().replace(/\s+/g, " ")
      : "";
  if (!name) issues.push({ path: "name", code: "name_required" });
  else if ([...name].length > NAME_MAX)
    issues.push({ path: "name", code: "name_too_long" });
  const contact = parseContact(input.contact);
  if (!contact) issues.push({ path: "contact", code: "contact_invalid" });
  const consent =
    input.consent === true ||
    input.consent === "on" ||
    input.consent === "1" ||
    input.consent === "yes";
  if (!consent) issues.push({ path: "consent", code: "consent_required" });
  const note = typeof input.note === "string" ? input.note.trim() : "";
  if ([...note].length > NOTE_MAX)
    issues.push({ path: "note", code: "note_too_long" });
  if (issues.length > 0 || !contact) {
    throw new AppError(
      "validation_failed",
      "入力内容に誤りがあります / Invalid input",
      issues
    );
  }
  return { name, contact, note: note || null };
}

export function createApplicationService(
  deps: WriteDeps,
  options: {
    clock?: () => Date;
    applicationsPerSeat?: number;
    random?: (n: number) => Uint8Array;
  } = {}
) {
  const { prisma } = deps;
  const clock = options.clock ?? (() => new Date());
  const perSeat = options.applicationsPerSeat ?? DEFAULT_APPLICATIONS_PER_SEAT;
  const random = options.random ?? ((n: number) => randomBytes(n));

  async function freshCode(tx: Tx, workspaceId: string): Promise<string> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const code = referenceCodeFrom(random(8));
      const taken = await tx.resident.findUnique({
        where: { workspaceId_publicCode: { workspaceId, publicCode: code } },
        select: { id: true },
      });
      if (!taken) return code;
    }
    throw new AppError(
      "unavailable",
      "申し込み番号を作れませんでした / Could not make a reference code"
    );
  }

  const contactWhere = (c: Contact) =>
    c.kind === "email" ? { email: c.value } : { phone: c.value };

  /**
   * The confirmation page's facts for a reference code: the activity, the piece and the status —
   * nothing about the person. Null for anything that is not an application's code.
   */
  async function confirmation(rawCode: string) {
    const code = normalizeReferenceCode(rawCode);
    if (!code) return null;
    const match = await prisma.match.findFirst({
      where: {
        source: "APPLICATION",
        resident: { publicCode: code, style: "PER_EVENT", deletedAt: null },
      },
      orderBy: { createdAt: "asc" },
      select: {
        stage: true,
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
                owner: { select: { name: true, nameEn: true } },
                workspace: { select: { timezone: true } },
              },
            },
          },
        },
      },
    });
    if (!match) return null;
    const { task, ...piece } = match.shift;
    return {
      code,
      status: applicationStatusOf(match.stage),
      piece,
      activity: {
        id: task.id,
        title: task.title,
        titleEn: task.titleEn,
        locationName: task.locationName,
        isRemote: task.isRemote,
        organizer: task.owner,
        timezone: task.workspace.timezone,
      },
    };
  }

  return {
    /**
     * Applies for one piece. Returns the reference code; throws AppError `validation_failed`
     * (details: field codes), `not_found`, or `conflict` with `details.reason` (past, full, cap,
     * duplicate, closed).
     */
    async apply(input: ApplicationInput): Promise<{
      code: string;
      matchId: string;
      residentId: string;
      consentId: string;
      workspaceId: string;
    }> {
      const form = parseApplication(input);
      if (typeof input.shiftId !== "string" || input.shiftId.length > 64)
        throw new AppError("not_found", "枠が見つかりません / Piece not found");
      const head = await prisma.shift.findFirst({
        where: { id: input.shiftId, task: { visibility: "PUBLIC" } },
        select: { task: { select: { workspaceId: true } } },
      });
      if (!head)
        throw new AppError("not_found", "枠が見つかりません / Piece not found");
      const workspaceId = head.task.workspaceId;

      const { value } = await writeInWorkspace(
        deps,
        workspaceId,
        null,
        async (tx) => {
          const now = clock();
          // Read again under the workspace lock: every decision below sees the committed state.
          const shift = await tx.shift.findUniqueOrThrow({
            where: { id: input.shiftId },
            select: {
              id: true,
              startsAt: true,
              endsAt: true,
              headcount: true,
              task: {
                select: { status: true, ownerOrgId: true, category: true },
              },
            },
          });
          if (shift.task.status !== "OPEN") throw refused("closed");
          if (shift.startsAt.getTime() <= now.getTime()) throw refused("past");
          const [filled, applied, duplicate] = await Promise.all([
            tx.match.count({
              where: { shiftId: shift.id, stage: { in: [...FILLED_STAGES] } },
            }),
            tx.match.count({
              where: {
                shiftId: shift.id,
                source: "APPLICATION",
                stage: { in: [...OPEN_APPLICATION_STAGES] },
              },
            }),
            tx.match.findFirst({
              where: {
                shiftId: shift.id,
                source: "APPLICATION",
                resident: contactWhere(form.contact),
              },
              select: { id: true },
            }),
          ]);
          if (duplicate) throw refused("duplicate");
          if (filled >= shift.headcount) throw refused("full");
          if (applied >= shift.headcount * perSeat) throw refused("cap");

          const code = await freshCode(tx, workspaceId);
          const resident = await tx.resident.create({
            data: {
              workspaceId,
              registeredByOrgId: shift.task.ownerOrgId,
              publicCode: code,
              displayName: form.name,
              ...contactWhere(form.contact),
              style: "PER_EVENT",
              interests: [shift.task.category],
              notes: form.note,
            },
            select: { id: true },
          });
          const fields = ["name", "contact", ...(form.note ? ["notes"] : [])];
          const expiresAt = new Date(
            Math.min(
              shift.endsAt.getTime() + APPLICATION_CONSENT_DAYS_AFTER * DAY_MS,
              now.getTime() + MAX_CONSENT_DAYS * DAY_MS
            )
          );
          const consent = await tx.consent.create({
            data: {
              residentId: resident.id,
              organizationId: shift.task.ownerOrgId,
              fields,
              purpose: APPLICATION_PURPOSE,
              onBehalf: false,
              grantedAt: now,
              expiresAt,
            },
            select: { id: true },
          });
          const match = await tx.match.create({
            data: {
              workspaceId,
              shiftId: shift.id,
              residentId: resident.id,
              stage: "CONTACTING",
              source: "APPLICATION",
              stageChangedAt: now,
            },
            select: { id: true, stage: true, version: true, shiftId: true },
          });
          await tx.matchEvent.create({
            data: {
              matchId: match.id,
              actorUserId: null,
              kind: "created",
              toStage: match.stage,
              note: "都度申し込み / Application",
            },
          });
          // The resident's own consent, recorded like any other grant (server/trust/audit.ts).
          await tx.auditLog.create({
            data: {
              workspaceId,
              actorUserId: null,
              action: "consent.grant",
              entity: "consent",
              entityId: consent.id,
              residentId: resident.id,
              fields,
              purpose: "application",
              organizationId: null,
              basis: "self",
            },
          });
          return {
            result: {
              code,
              matchId: match.id,
              residentId: resident.id,
              consentId: consent.id,
              workspaceId,
            },
            entity: "match",
            entityId: match.id,
            verb: "created",
            // The board fetches the card (a pseudonym) through the authorized API.
            data: {
              matchId: match.id,
              shiftId: match.shiftId,
              stage: match.stage,
              version: match.version,
            },
          };
        }
      );
      return value;
    },

    confirmation,

    /**
     * The status page: the code and the contact the applicant entered must both match; a wrong
     * code and a wrong contact answer the same null, so neither can be probed alone.
     */
    async status(rawCode: unknown, rawContact: unknown) {
      const code = normalizeReferenceCode(rawCode);
      const contact = parseContact(rawContact);
      if (!code || !contact) return null;
      const owner = await prisma.resident.findFirst({
        where: {
          publicCode: code,
          style: "PER_EVENT",
          deletedAt: null,
          ...contactWhere(contact),
        },
        select: { id: true },
      });
      if (!owner) return null;
      return confirmation(code);
    },
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
