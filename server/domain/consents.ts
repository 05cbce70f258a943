import { can, canOnResident } from "../../app/lib/permissions.ts";
import type { ConsentGrant, ConsentRevoke, JointUseNoticeCreate } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { recordChange, type AuditContext } from "../trust/audit.ts";
import { isConsentActive } from "../trust/projection.ts";
import { requireResidentVisible, viewerOf } from "./residents.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";

/** A consent runs at most this long; then the resident is asked again. @default 3 years */
export const MAX_CONSENT_DAYS = 3 * 366;
const DAY_MS = 86_400_000;

const CONSENT_SELECT = {
  id: true,
  residentId: true,
  organizationId: true,
  fields: true,
  purpose: true,
  includesSpecialCare: true,
  onBehalf: true,
  grantedByUserId: true,
  grantedAt: true,
  expiresAt: true,
  revokedAt: true,
  organization: { select: { name: true } },
  resident: { select: { publicCode: true, workspaceId: true, registeredByOrgId: true, userId: true } },
} as const;

type ConsentRow = {
  id: string;
  residentId: string;
  organizationId: string;
  fields: string[];
  purpose: string;
  includesSpecialCare: boolean;
  onBehalf: boolean;
  grantedByUserId: string | null;
  grantedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  organization: { name: string };
  resident: { publicCode: string };
};

function consentDto(c: ConsentRow, now: Date) {
  return {
    id: c.id,
    residentId: c.residentId,
    publicCode: c.resident.publicCode,
    organizationId: c.organizationId,
    organizationName: c.organization.name,
    fields: c.fields,
    purpose: c.purpose,
    includesSpecialCare: c.includesSpecialCare,
    onBehalf: c.onBehalf,
    grantedByUserId: c.grantedByUserId,
    grantedAt: c.grantedAt,
    expiresAt: c.expiresAt,
    revokedAt: c.revokedAt,
    active: isConsentActive(c, now),
  };
}

/** What a consent event tells the room: ids only, never a field value. */
function eventData(c: { id: string; residentId: string; organizationId: string }, publicCode: string, extra: Record<string, unknown> = {}) {
  return { consentId: c.id, residentId: c.residentId, publicCode, organizationId: c.organizationId, ...extra };
}

function invalid(path: string, message: string) {
  return new AppError("validation_failed", "入力内容に誤りがあります / Invalid input", [{ path, message }]);
}

/**
 * Consents (同意) and 共同利用 notices, through the one write path. A consent lets one organization
 * see named fields of one resident for a purpose until a date; the projection
 * (server/trust/projection.ts) honours it from the next read on, and stops the moment it is
 * revoked or expires.
 */
export function createConsentService(deps: WriteDeps, clock: () => Date = () => new Date()) {
  const { prisma } = deps;

  async function residentHead(residentId: string) {
    return prisma.resident.findUnique({
      where: { id: residentId },
      select: { id: true, workspaceId: true, registeredByOrgId: true, userId: true, publicCode: true, deletedAt: true },
    });
  }

  return {
    /**
     * A resident's consents: all of them for the resident and the registering organization's
     * coordinators; for other organizations only those granted to them.
     */
    async list(user: SessionUser, residentId: string) {
      const resident = requireResidentVisible(user, await residentHead(residentId));
      const all = canOnResident(viewerOf(user), resident, "write:consent:own");
      const ownOrgs = user.memberships
        .filter((m) => m.workspaceId === resident.workspaceId && can([m], resident.workspaceId, "read:consented-resident:own", m.organizationId))
        .map((m) => m.organizationId);
      const rows = await prisma.consent.findMany({
        where: { residentId, ...(all ? {} : { organizationId: { in: ownOrgs } }) },
        select: CONSENT_SELECT,
        orderBy: [{ grantedAt: "desc" }, { id: "asc" }],
      });
      const now = clock();
      return rows.map((c) => consentDto(c, now));
    },

    /**
     * Grants a consent: by the resident themself, or by a coordinator of the registering
     * organization on the resident's behalf (代理: onBehalf, grantedByUserId recorded). A new
     * consent replaces the active one of the same organization (revoked at the same instant).
     */
    async grant(user: SessionUser, residentId: string, input: ConsentGrant, ctx: AuditContext) {
      const resident = requireResidentVisible(user, await residentHead(residentId));
      const self = resident.userId !== null && resident.userId === user.id;
      if (!self && !canOnResident(viewerOf(user), resident, "write:consent:own")) {
        throw new AppError("forbidden", "権限がありません / Permission denied (write:consent:own)");
      }
      if (resident.deletedAt) throw new AppError("conflict", "この住民のデータは消去されています / The resident's data was erased");
      const organization = await prisma.organization.findUnique({ where: { id: input.organizationId }, select: { workspaceId: true } });
      if (!organization || organization.workspaceId !== resident.workspaceId) {
        throw invalid("organizationId", "no such organization in this workspace");
      }
      if (input.organizationId === resident.registeredByOrgId) {
        throw invalid("organizationId", "the registering organization needs no consent");
      }
      const now = clock();
      const expires = Date.parse(input.expiresAt);
      if (expires <= now.getTime()) throw invalid("expiresAt", "expiresAt must be in the future");
      if (expires > now.getTime() + MAX_CONSENT_DAYS * DAY_MS) throw invalid("expiresAt", `at most ${MAX_CONSENT_DAYS} days ahead`);

      const { value } = await writeInWorkspace(deps, resident.workspaceId, user.id, async (tx) => {
        const superseded = await tx.consent.findMany({
          where: { residentId, organizationId: input.organizationId, revokedAt: null },
          select: { id: true },
        });
        await tx.consent.updateMany({ where: { id: { in: superseded.map((c) => c.id) } }, data: { revokedAt: now } });
        const created = await tx.consent.create({
          data: {
            residentId,
            organizationId: input.organizationId,
            fields: input.fields,
            purpose: input.purpose,
            includesSpecialCare: input.includesSpecialCare,
            onBehalf: !self,
            grantedByUserId: user.id,
            grantedAt: now,
            expiresAt: new Date(expires),
          },
          select: CONSENT_SELECT,
        });
        await recordChange(tx, ctx, {
          workspaceId: resident.workspaceId,
          action: "consent.grant",
          entity: "consent",
          entityId: created.id,
          residentId,
          fields: input.fields,
          organizationId: self ? null : resident.registeredByOrgId,
          basis: self ? "self" : "registering",
        });
        return {
          result: created,
          entity: "consent",
          entityId: created.id,
          verb: "created",
          data: eventData(created, resident.publicCode, { supersededConsentIds: superseded.map((c) => c.id) }),
        };
      });
      return consentDto(value, now);
    },

    /**
     * Revokes at once: the next read is projected without the consent. Allowed to the resident,
     * the registering organization's coordinators, and the receiving organization's coordinators
     * (who may give access up). Revoking a revoked consent changes nothing.
     */
    async revoke(user: SessionUser, consentId: string, input: ConsentRevoke, ctx: AuditContext) {
      const consent = await prisma.consent.findUnique({ where: { id: consentId }, select: CONSENT_SELECT });
      const resident = requireResidentVisible(user, consent ? { ...consent.resident } : null);
      const c = consent!;
      const allowed =
        canOnResident(viewerOf(user), resident, "write:consent:own") ||
        can(user.memberships, resident.workspaceId, "write:consent:own", c.organizationId);
      if (!allowed) throw new AppError("forbidden", "権限がありません / Permission denied (write:consent:own)");
      if (c.revokedAt) return consentDto(c, clock());
      const self = resident.userId !== null && resident.userId === user.id;
      const ws = resident.workspaceId;
      // The organization the caller revokes for: the registering one first, else the receiving one.
      const actingOrg = self
        ? null
        : ([resident.registeredByOrgId, c.organizationId].find((orgId) => can(user.memberships, ws, "write:consent:own", orgId)) ?? null);
      const { value } = await writeInWorkspace(deps, resident.workspaceId, user.id, async (tx) => {
        const now = clock();
        const { count } = await tx.consent.updateMany({ where: { id: consentId, revokedAt: null }, data: { revokedAt: now } });
        const updated = await tx.consent.findUniqueOrThrow({ where: { id: consentId }, select: CONSENT_SELECT });
        if (count === 0) throw new AppError("conflict", "The consent was revoked by someone else", { current: consentDto(updated, now) });
        await recordChange(tx, { ...ctx, purpose: input.reason ? `${ctx.purpose}: ${input.reason}` : ctx.purpose }, {
          workspaceId: resident.workspaceId,
          action: "consent.revoke",
          entity: "consent",
          entityId: consentId,
          residentId: c.residentId,
          fields: c.fields,
          organizationId: actingOrg,
          basis: self ? "self" : actingOrg === resident.registeredByOrgId ? "registering" : "receiving",
        });
        return {
          result: updated,
          entity: "consent",
          entityId: consentId,
          verb: "updated",
          data: eventData(updated, c.resident.publicCode, { active: false }),
        };
      });
      return consentDto(value, clock());
    },

    /** A workspace's published 共同利用 notices, newest first (every member may read them). */
    async listJointUse(user: SessionUser, workspaceId: string) {
      requirePermission(user, workspaceId, "read:joint-use:workspace");
      const [notices, organizations] = await Promise.all([
        prisma.jointUseNotice.findMany({ where: { workspaceId }, orderBy: [{ publishedAt: "desc" }, { id: "asc" }] }),
        prisma.organization.findMany({ where: { workspaceId }, select: { id: true, name: true } }),
      ]);
      const names = new Map(organizations.map((o) => [o.id, o.name]));
      return notices.map((n) => ({
        ...n,
        managerOrgName: names.get(n.managerOrgId) ?? null,
        organizations: n.organizationIds.map((id) => ({ id, name: names.get(id) ?? null })),
      }));
    },

    /** Publishes a 共同利用 notice managed by one of the caller's organizations. */
    async publishJointUse(user: SessionUser, workspaceId: string, input: JointUseNoticeCreate, ctx: AuditContext) {
      requirePermission(user, workspaceId, "write:joint-use:own", input.managerOrgId);
      const organizationIds = [input.managerOrgId, ...input.organizationIds.filter((id) => id !== input.managerOrgId)];
      const known = await prisma.organization.count({ where: { workspaceId, id: { in: organizationIds } } });
      if (known !== organizationIds.length) throw invalid("organizationIds", "every organization must belong to this workspace");
      const { value } = await writeInWorkspace(deps, workspaceId, user.id, async (tx) => {
        const notice = await tx.jointUseNotice.create({
          data: {
            workspaceId,
            managerOrgId: input.managerOrgId,
            organizationIds,
            fields: input.fields,
            purpose: input.purpose,
            createdByUserId: user.id,
            publishedAt: clock(),
          },
        });
        await recordChange(tx, ctx, {
          workspaceId,
          action: "joint-use.publish",
          entity: "joint-use-notice",
          entityId: notice.id,
          residentId: null,
          fields: input.fields,
          organizationId: input.managerOrgId,
          basis: null,
        });
        // The change feed knows no "joint-use" entity: it is announced as a consent change.
        return {
          result: notice,
          entity: "consent",
          entityId: notice.id,
          verb: "created",
          data: { kind: "joint-use-notice", noticeId: notice.id, managerOrgId: notice.managerOrgId },
        };
      });
      return value;
    },
  };
}
