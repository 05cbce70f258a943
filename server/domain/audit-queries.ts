import { canOnResident } from "../../app/lib/permissions.ts";
import type { AuditListQuery } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import type { Prisma, PrismaClient } from "../db/client.ts";
import { AppError } from "../http/errors.ts";
import { requireResidentVisible, viewerOf } from "./residents.ts";

const AUDIT_SELECT = {
  id: true,
  createdAt: true,
  action: true,
  entity: true,
  entityId: true,
  residentId: true,
  fields: true,
  purpose: true,
  ip: true,
  organizationId: true,
  basis: true,
  actorUserId: true,
  actor: { select: { displayName: true } },
} as const;

/**
 * Reading the audit trail: "who looked at this resident" for the resident themself and the
 * registering organization's coordinators; "what happened to our residents, and what did our
 * people read" for an organization's coordinators. Newest first, paged by row number.
 */
export function createAuditQueries(prisma: PrismaClient) {
  async function page(where: Prisma.AuditLogWhereInput, query: AuditListQuery, staffView: boolean) {
    const rows = await prisma.auditLog.findMany({
      where: { ...where, ...(query.cursor ? { id: { lt: BigInt(query.cursor) } } : {}) },
      select: AUDIT_SELECT,
      orderBy: { id: "desc" },
      take: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const orgIds = [...new Set(items.flatMap((r) => (r.organizationId ? [r.organizationId] : [])))];
    const orgs = await prisma.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } });
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    return {
      items: items.map((r) => ({
        id: r.id.toString(),
        at: r.createdAt,
        action: r.action,
        entity: r.entity,
        entityId: r.entityId,
        residentId: r.residentId,
        fields: r.fields,
        purpose: r.purpose,
        actor: r.actorUserId ? { userId: r.actorUserId, displayName: r.actor?.displayName ?? null } : null,
        organization: r.organizationId ? { id: r.organizationId, name: orgName.get(r.organizationId) ?? null } : null,
        // The staff's own network address is theirs, not the resident's business.
        ...(staffView ? { ip: r.ip, basis: r.basis } : {}),
      })),
      nextCursor: rows.length > query.limit ? items[items.length - 1].id.toString() : null,
    };
  }

  return {
    async forResident(user: SessionUser, residentId: string, query: AuditListQuery) {
      const resident = requireResidentVisible(
        user,
        await prisma.resident.findUnique({ where: { id: residentId }, select: { workspaceId: true, registeredByOrgId: true, userId: true } }),
      );
      if (!canOnResident(viewerOf(user), resident, "read:audit:own")) {
        throw new AppError("forbidden", "権限がありません / Permission denied (read:audit:own)");
      }
      const self = resident.userId !== null && resident.userId === user.id;
      return page({ residentId }, query, !self);
    },

    async forOrganization(user: SessionUser, organizationId: string, query: AuditListQuery) {
      const organization = await prisma.organization.findUnique({ where: { id: organizationId }, select: { workspaceId: true } });
      if (!organization || !user.memberships.some((m) => m.workspaceId === organization.workspaceId)) {
        throw new AppError("not_found", "団体が見つかりません / Organization not found");
      }
      requirePermission(user, organization.workspaceId, "read:audit:own", organizationId);
      const registered = await prisma.resident.findMany({ where: { registeredByOrgId: organizationId }, select: { id: true } });
      return page(
        {
          workspaceId: organization.workspaceId,
          OR: [{ organizationId }, { residentId: { in: registered.map((r) => r.id) } }],
          ...(query.residentId ? { residentId: query.residentId } : {}),
        },
        query,
        true,
      );
    },
  };
}
