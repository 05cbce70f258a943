import type { SessionUser } from "../auth/sessions.ts";
import { requireWorkspaceMember } from "../auth/require.ts";

/**
 * Which tasks/resources of a workspace a member may see: PUBLIC and PLATFORM ones, and ORG ones
 * only of the caller's own organizations. Returned as a Prisma `where` fragment.
 */
export function visibleToMember(user: SessionUser, workspaceId: string) {
  const orgIds = requireWorkspaceMember(user, workspaceId).map((m) => m.organizationId);
  return {
    OR: [{ visibility: { in: ["PUBLIC", "PLATFORM"] as Array<"PUBLIC" | "PLATFORM"> } }, { ownerOrgId: { in: orgIds } }],
  };
}

export function canSeeOrgScoped(user: SessionUser, workspaceId: string, visibility: string, ownerOrgId: string | null) {
  if (visibility !== "ORG") return true;
  return user.memberships.some((m) => m.workspaceId === workspaceId && m.organizationId === ownerOrgId);
}
