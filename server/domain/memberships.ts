import { z } from "zod";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { writeInWorkspace, type Tx, type WriteDeps } from "./write-path.ts";

export const RoleSchema = z.enum(["ADMIN", "COORDINATOR", "MEMBER", "VIEWER"]);
export const MembershipUpdateSchema = z.object({ role: RoleSchema }).strict();
export type MembershipUpdate = z.infer<typeof MembershipUpdateSchema>;

const MEMBERSHIP_SELECT = {
  id: true,
  userId: true,
  organizationId: true,
  role: true,
  createdAt: true,
  user: { select: { displayName: true, email: true } },
  organization: { select: { workspaceId: true, name: true } },
} as const;

type MembershipRow = {
  id: string;
  userId: string;
  organizationId: string;
  role: z.infer<typeof RoleSchema>;
  createdAt: Date;
  user: { displayName: string; email: string };
  organization: { workspaceId: string; name: string };
};

function membershipDto(m: MembershipRow) {
  return {
    id: m.id,
    userId: m.userId,
    displayName: m.user.displayName,
    email: m.user.email,
    organizationId: m.organizationId,
    organizationName: m.organization.name,
    workspaceId: m.organization.workspaceId,
    role: m.role,
    createdAt: m.createdAt,
  };
}

/**
 * Memberships (user × organization × role). An ADMIN of an organization (`write:membership:own`)
 * changes roles and removes members of that organization. Writes go through the one write path,
 * so they bump the workspace version and publish a `membership` event after commit; the composition
 * root closes the user's live connections on that event (they reconnect and are authorized anew).
 * The event carries ids and the role only.
 */
export function createMembershipService(deps: WriteDeps) {
  const { prisma } = deps;

  /** The membership, when the caller may manage it; 404 for people outside the workspace. */
  async function manageable(user: SessionUser, membershipId: string) {
    const membership = await prisma.membership.findUnique({ where: { id: membershipId }, select: MEMBERSHIP_SELECT });
    const workspaceId = membership?.organization.workspaceId;
    if (!membership || !user.memberships.some((m) => m.workspaceId === workspaceId)) {
      throw new AppError("not_found", "メンバーシップが見つかりません / Membership not found");
    }
    requirePermission(user, membership.organization.workspaceId, "write:membership:own", membership.organizationId);
    return membership;
  }

  /** An organization keeps at least one ADMIN, or nobody could manage it any more. Runs under the workspace lock. */
  async function keepAnAdmin(tx: Tx, organizationId: string, membershipId: string) {
    const others = await tx.membership.count({ where: { organizationId, role: "ADMIN", id: { not: membershipId } } });
    if (others === 0) {
      throw new AppError("conflict", "団体の最後の管理者は外せません / An organization needs at least one ADMIN");
    }
  }

  async function current(tx: Tx, membershipId: string) {
    const row = await tx.membership.findUnique({ where: { id: membershipId }, select: MEMBERSHIP_SELECT });
    if (!row) throw new AppError("not_found", "メンバーシップが見つかりません / Membership not found");
    return row;
  }

  return {
    async listForOrganization(user: SessionUser, organizationId: string) {
      const organization = await prisma.organization.findUnique({ where: { id: organizationId }, select: { workspaceId: true } });
      if (!organization || !user.memberships.some((m) => m.workspaceId === organization.workspaceId)) {
        throw new AppError("not_found", "団体が見つかりません / Organization not found");
      }
      requirePermission(user, organization.workspaceId, "write:membership:own", organizationId);
      const rows = await prisma.membership.findMany({
        where: { organizationId },
        select: MEMBERSHIP_SELECT,
        orderBy: [{ role: "asc" }, { createdAt: "asc" }],
      });
      return rows.map(membershipDto);
    },

    async changeRole(user: SessionUser, membershipId: string, input: MembershipUpdate) {
      const membership = await manageable(user, membershipId);
      if (membership.role === input.role) return membershipDto(membership);
      const { value } = await writeInWorkspace(deps, membership.organization.workspaceId, user.id, async (tx) => {
        const before = await current(tx, membershipId);
        if (before.role === "ADMIN" && input.role !== "ADMIN") await keepAnAdmin(tx, before.organizationId, membershipId);
        const updated = await tx.membership.update({ where: { id: membershipId }, data: { role: input.role }, select: MEMBERSHIP_SELECT });
        return {
          result: updated,
          entity: "membership",
          entityId: membershipId,
          verb: "updated",
          data: { membershipId, organizationId: updated.organizationId, userId: updated.userId, role: updated.role },
        };
      });
      return membershipDto(value);
    },

    async remove(user: SessionUser, membershipId: string) {
      const membership = await manageable(user, membershipId);
      await writeInWorkspace(deps, membership.organization.workspaceId, user.id, async (tx) => {
        const before = await current(tx, membershipId);
        if (before.role === "ADMIN") await keepAnAdmin(tx, before.organizationId, membershipId);
        await tx.membership.delete({ where: { id: membershipId } });
        return {
          result: null,
          entity: "membership",
          entityId: membershipId,
          verb: "deleted",
          data: { membershipId, organizationId: before.organizationId, userId: before.userId, role: null },
        };
      });
      return { id: membershipId, deleted: true as const };
    },
  };
}
