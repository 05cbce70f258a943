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
  // Residents as pseudonym cards only (publicCode, age band, area); never personal fields.
  "read:resident:workspace",
  "read:joint-use:workspace",
];
const MEMBER: Permission[] = [
  ...VIEWER,
  "write:task:own",
  "write:resource:own",
  // Name and contact of the residents the own organization registered (to call volunteers).
  "read:resident-contact:own",
  // The fields an active consent grants to the own organization.
  "read:consented-resident:own",
];
const COORDINATOR: Permission[] = [
  ...MEMBER,
  "write:match:workspace",
  "write:availability:own",
  // Every field of the residents the own organization registered, 要配慮個人情報 included.
  "read:resident:own",
  // Grant on a resident's behalf (代理) and revoke consents of the own organization's residents.
  "write:consent:own",
  // Who read the own organization's residents, and what the own organization read.
  "read:audit:own",
  // Erase a resident's personal data (retention).
  "write:resident:own",
  // Publish a 共同利用 notice managed by the own organization.
  "write:joint-use:own",
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

/**
 * What a resident may do with their own record (their login is linked to it: Resident.userId).
 * A resident has no membership, so these are not role permissions.
 */
export const RESIDENT_SELF_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  "read:resident:own",
  "write:consent:own",
  "read:audit:own",
  "write:resident:own",
  "write:availability:own",
]);

export interface ResidentLike {
  workspaceId: string;
  registeredByOrgId: string;
  userId: string | null;
}

/**
 * `can` for a resident's record: the resident themself (for RESIDENT_SELF_PERMISSIONS), or a
 * membership with the permission in the registering organization.
 */
export function canOnResident(
  viewer: { userId: string | null; memberships: readonly MembershipLike[] },
  resident: ResidentLike,
  permission: Permission,
): boolean {
  if (resident.userId !== null && resident.userId === viewer.userId && RESIDENT_SELF_PERMISSIONS.has(permission)) return true;
  return can(viewer.memberships, resident.workspaceId, permission, resident.registeredByOrgId);
}
