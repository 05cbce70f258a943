import { can, type Permission } from "../../app/lib/permissions.ts";
import { AppError } from "../http/errors.ts";
import type { SessionMembership, SessionUser } from "./sessions.ts";

/**
 * `require…` helpers: return what the caller may use, or throw. The same helpers guard Remix
 * loaders/actions, the REST API, the Socket.IO handshake and the /yjs/ upgrade.
 */
export function requireAuthenticated(user: SessionUser | null): SessionUser {
  if (!user) throw new AppError("unauthenticated", "ログインが必要です / Login required");
  return user;
}

/** The caller's memberships in a workspace; throws when there are none. */
export function requireWorkspaceMember(user: SessionUser, workspaceId: string): SessionMembership[] {
  const memberships = user.memberships.filter((m) => m.workspaceId === workspaceId);
  if (memberships.length === 0) {
    throw new AppError("forbidden", "このプラットフォームのメンバーではありません / Not a member of this workspace");
  }
  return memberships;
}

export function requirePermission(
  user: SessionUser,
  workspaceId: string,
  permission: Permission,
  ownerOrgId?: string | null,
): void {
  requireWorkspaceMember(user, workspaceId);
  if (!can(user.memberships, workspaceId, permission, ownerOrgId)) {
    throw new AppError("forbidden", `権限がありません / Permission denied (${permission})`);
  }
}

/** The organizations in this workspace for which the caller holds a permission with own access. */
export function organizationsWithPermission(
  user: SessionUser,
  workspaceId: string,
  permission: Permission,
): string[] {
  return user.memberships
    .filter((m) => m.workspaceId === workspaceId && can([m], workspaceId, permission, m.organizationId))
    .map((m) => m.organizationId);
}
