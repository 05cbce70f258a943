import type { ResourceCreate, ResourceUpdate } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { canSeeOrgScoped, visibleToMember } from "./access.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";

export function createResourceService(deps: WriteDeps) {
  const { prisma } = deps;

  async function visibleResource(user: SessionUser, resourceId: string) {
    const resource = await prisma.resource.findUnique({ where: { id: resourceId } });
    if (!resource) throw new AppError("not_found", "Resource not found");
    requirePermission(user, resource.workspaceId, "read:resource:workspace");
    if (!canSeeOrgScoped(user, resource.workspaceId, resource.visibility, resource.ownerOrgId)) {
      throw new AppError("not_found", "Resource not found");
    }
    return resource;
  }

  async function checkArea(workspaceId: string, areaId: string | null | undefined) {
    if (!areaId) return;
    const area = await prisma.area.findFirst({ where: { id: areaId, workspaceId }, select: { id: true } });
    if (!area) throw new AppError("validation_failed", "areaId is not an area of this workspace");
  }

  return {
    async list(
      user: SessionUser,
      workspaceId: string,
      options: { limit: number; cursor?: string; kind?: "PLACE" | "ACTIVITY" | "SERVICE" | "ORGANIZATION"; includeArchived?: boolean },
    ) {
      requirePermission(user, workspaceId, "read:resource:workspace");
      const rows = await prisma.resource.findMany({
        where: {
          workspaceId,
          ...visibleToMember(user, workspaceId),
          ...(options.kind ? { kind: options.kind } : {}),
          ...(options.includeArchived ? {} : { status: "ACTIVE" as const }),
        },
        orderBy: { id: "asc" },
        take: options.limit + 1,
        ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, options.limit);
      return { items: page, nextCursor: rows.length > options.limit ? page[page.length - 1].id : null };
    },

    get: visibleResource,

    async create(user: SessionUser, workspaceId: string, input: ResourceCreate) {
      requirePermission(user, workspaceId, "write:resource:own", input.ownerOrgId);
      await checkArea(workspaceId, input.areaId);
      const { value } = await writeInWorkspace(deps, workspaceId, user.id, async (tx) => {
        const resource = await tx.resource.create({ data: { ...input, workspaceId } });
        return {
          result: resource,
          entity: "resource",
          entityId: resource.id,
          verb: "created",
          data: { resourceId: resource.id, kind: resource.kind, lat: resource.lat, lng: resource.lng, version: resource.version },
        };
      });
      return value;
    },

    async update(user: SessionUser, resourceId: string, input: ResourceUpdate) {
      const resource = await visibleResource(user, resourceId);
      requirePermission(user, resource.workspaceId, "write:resource:own", resource.ownerOrgId);
      await checkArea(resource.workspaceId, input.areaId);
      const { expectedVersion, ...changes } = input;
      const { value } = await writeInWorkspace(deps, resource.workspaceId, user.id, async (tx) => {
        const { count } = await tx.resource.updateMany({
          where: { id: resourceId, version: expectedVersion },
          data: { ...changes, version: { increment: 1 } },
        });
        if (count === 0) {
          throw new AppError("conflict", "The resource was changed by someone else", {
            current: await tx.resource.findUnique({ where: { id: resourceId } }),
          });
        }
        const updated = await tx.resource.findUniqueOrThrow({ where: { id: resourceId } });
        return {
          result: updated,
          entity: "resource",
          entityId: resourceId,
          verb: updated.status === "ARCHIVED" ? "deleted" : "updated",
          data: { resourceId, kind: updated.kind, lat: updated.lat, lng: updated.lng, version: updated.version },
        };
      });
      return value;
    },
  };
}
