import type { SessionUser } from "../../auth/sessions.ts";
import type { PrismaClient } from "../../db/client.ts";
import { CollabCloseCode } from "../../../app/features/collab/protocol.ts";

/** Named WebSocket close codes of /yjs/ (docs/collab-protocol.md), shared with the browser. */
export { CollabCloseCode };

export type DocAccess = { ok: true; readOnly: boolean; workspaceId: string } | { ok: false; code: number; reason: string };

/**
 * Who may open a collaborative document. `chart:<areaId>`: members of the area's workspace;
 * VIEWERs read only. Unknown kinds of document are refused.
 */
export async function authorizeDocument(prisma: PrismaClient, user: SessionUser | null, docName: string): Promise<DocAccess> {
  if (!user) return { ok: false, code: CollabCloseCode.unauthenticated, reason: "login required" };
  const match = /^chart:([A-Za-z0-9_-]{1,64})$/.exec(docName);
  if (!match) return { ok: false, code: CollabCloseCode.notFound, reason: "unknown document" };
  const area = await prisma.area.findUnique({ where: { id: match[1] }, select: { workspaceId: true } });
  if (!area) return { ok: false, code: CollabCloseCode.notFound, reason: "unknown document" };
  const roles = user.memberships.filter((m) => m.workspaceId === area.workspaceId).map((m) => m.role);
  if (roles.length === 0) return { ok: false, code: CollabCloseCode.forbidden, reason: "not a member" };
  return { ok: true, readOnly: roles.every((r) => r === "VIEWER"), workspaceId: area.workspaceId };
}
