import type { SessionUser } from "../auth/sessions.ts";
import { requireWorkspaceMember } from "../auth/require.ts";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../http/errors.ts";

export function createWorkspaceQueries(prisma: PrismaClient) {
  return {
    /** The workspaces the caller belongs to, with their organizations and roles there. */
    async listForUser(user: SessionUser) {
      const ids = [...new Set(user.memberships.map((m) => m.workspaceId))];
      const workspaces = await prisma.workspace.findMany({ where: { id: { in: ids } }, orderBy: { name: "asc" } });
      return workspaces.map((w) => ({
        id: w.id,
        slug: w.slug,
        name: w.name,
        nameEn: w.nameEn,
        municipality: w.municipality,
        timezone: w.timezone,
        version: w.version,
        memberships: user.memberships
          .filter((m) => m.workspaceId === w.id)
          .map((m) => ({ organizationId: m.organizationId, organizationName: m.organizationName, role: m.role })),
      }));
    },

    async areas(user: SessionUser, workspaceId: string) {
      requireWorkspaceMember(user, workspaceId);
      return prisma.area.findMany({
        where: { workspaceId },
        orderBy: { code: "asc" },
        select: {
          id: true,
          code: true,
          name: true,
          nameEn: true,
          polygon: true,
          centerLat: true,
          centerLng: true,
          population: true,
          households: true,
        },
      });
    },

    async organizations(user: SessionUser, workspaceId: string) {
      requireWorkspaceMember(user, workspaceId);
      return prisma.organization.findMany({
        where: { workspaceId },
        orderBy: { name: "asc" },
        select: { id: true, kind: true, name: true, nameEn: true, description: true },
      });
    },

    /**
     * Changes after `since`, oldest first, for clients that missed live events. `hasMore` tells
     * the client to ask again from the last version it got.
     */
    async changesSince(user: SessionUser, workspaceId: string, since: number, limit: number) {
      requireWorkspaceMember(user, workspaceId);
      const workspace = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { version: true } });
      if (!workspace) throw new AppError("not_found", "Workspace not found");
      const rows = await prisma.workspaceChange.findMany({
        where: { workspaceId, version: { gt: since } },
        orderBy: { version: "asc" },
        take: limit + 1,
      });
      const items = rows.slice(0, limit).map((r) => ({
        version: r.version,
        entity: r.entity,
        entityId: r.entityId,
        verb: r.verb,
        actorUserId: r.actorUserId,
        at: r.createdAt.toISOString(),
      }));
      return { version: workspace.version, items, hasMore: rows.length > limit };
    },

    /** The single workspace of a caller, for endpoints where the workspace may be implied. */
    defaultWorkspaceId(user: SessionUser): string {
      const ids = [...new Set(user.memberships.map((m) => m.workspaceId))];
      if (ids.length === 1) return ids[0];
      if (ids.length === 0) throw new AppError("forbidden", "No workspace membership");
      throw new AppError("bad_request", "workspaceId is required when you belong to several workspaces");
    },
  };
}
