/**
 * Permission strings `action:entity:access`. `own` = the caller's organization owns the entity;
 * `workspace` = any entity of a workspace the caller belongs to. Isomorphic: the browser uses it
 * to hide what the server would refuse anyway.
 */
export type Role = "ADMIN" | "COORDINATOR" | "MEMBER" | "VIEWER";
export type Access = "own" | "workspace";
export type Permission = `${"read" | "write"}:${string}:${Access}`;

const VIEWER: Permission[] = [
  "read:workspace:workspace",
  "read:task:workspace",
  "read:resource:workspace",
  "read:match:workspace",
];
const MEMBER: Permission[] = [...VIEWER, "write:task:own", "write:resource:own"];
const COORDINATOR: Permission[] = [
  ...MEMBER,
  "write:match:workspace",
  "write:availability:own",
  "read:resident:own",
];
const ADMIN: Permission[] = [...COORDINATOR, "write:membership:own"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  VIEWER: new Set(VIEWER),
  MEMBER: new Set(MEMBER),
  COORDINATOR: new Set(COORDINATOR),
  ADMIN: new Set(ADMIN),
};

export interface MembershipLike {
  organizationId: string;
  workspaceId: string;
  role: Role;
}

/**
 * True when one of the caller's memberships in the workspace grants the permission.
 * For `own` access the membership must be in the owning organization.
 */
export function can(
  memberships: readonly MembershipLike[],
  workspaceId: string,
  permission: Permission,
  ownerOrgId?: string | null,
): boolean {
  const access = permission.split(":")[2] as Access;
  return memberships.some((m) => {
    if (m.workspaceId !== workspaceId) return false;
    if (!ROLE_PERMISSIONS[m.role].has(permission)) return false;
    return access === "workspace" || (ownerOrgId != null && m.organizationId === ownerOrgId);
  });
}
