/**
 * The audit trail of residents' personal data (AuditLog, append-only): every read that returned
 * personal fields (one row per resident, with the fields actually shown) and every change
 * (consent granted or revoked, erasure). Reads are recorded before the answer is sent; when the
 * row cannot be written the request fails, so no personal data leaves unrecorded.
 */
import type { ResidentPersonalField } from "../../app/lib/resident-fields.ts";
import type { PrismaClient } from "../db/client.ts";
import type { Tx } from "../domain/write-path.ts";
import { basisLabel, basisOrganization, type Projection } from "./projection.ts";

/** Who is reading or writing, and why: built at the edge from the request. */
export interface AuditContext {
  actorUserId: string;
  /** The caller's stated purpose (`?purpose=`). @default "coordination" */
  purpose: string;
  ip: string | null;
}

export const DEFAULT_PURPOSE = "coordination";

export type AuditAction =
  | "resident.read"
  | "resident.list"
  | "resident.erase"
  /** 代理登録: a coordinator registered the resident on their behalf. */
  | "resident.register"
  | "consent.grant"
  | "consent.revoke"
  | "joint-use.publish"
  /** A kanban card handed to another organization (it may then read the resident's contact). */
  | "match.handoff";

export interface AuditEntry {
  workspaceId: string;
  action: AuditAction;
  entity: "resident" | "consent" | "joint-use-notice" | "match";
  entityId: string;
  residentId: string | null;
  fields: readonly string[];
  organizationId?: string | null;
  basis?: string | null;
}

type Db = Pick<PrismaClient, "auditLog"> | Tx;

function row(ctx: AuditContext, entry: AuditEntry) {
  return {
    workspaceId: entry.workspaceId,
    actorUserId: ctx.actorUserId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    residentId: entry.residentId,
    fields: [...entry.fields],
    purpose: ctx.purpose,
    ip: ctx.ip,
    organizationId: entry.organizationId ?? null,
    basis: entry.basis ?? null,
  };
}

/** Records a change, inside the write's transaction. */
export async function recordChange(tx: Db, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: row(ctx, entry) });
}

/**
 * Records the reads of residents whose projection showed personal fields: one row per resident
 * in one INSERT. Projections that showed nothing (pseudonym cards) are not personal data reads.
 */
export async function recordReads(
  db: Db,
  ctx: AuditContext,
  action: "resident.read" | "resident.list",
  reads: ReadonlyArray<{ workspaceId: string; projection: Projection }>,
): Promise<number> {
  const rows = reads
    .filter((r) => r.projection.shown.length > 0)
    .map((r) =>
      row(ctx, {
        workspaceId: r.workspaceId,
        action,
        entity: "resident",
        entityId: r.projection.resident.id,
        residentId: r.projection.resident.id,
        fields: r.projection.shown satisfies ResidentPersonalField[],
        organizationId: basisOrganization(r.projection.basis),
        basis: basisLabel(r.projection.basis),
      }),
    );
  if (rows.length === 0) return 0;
  await db.auditLog.createMany({ data: rows });
  return rows.length;
}

/** The audit context of an HTTP request: the caller, their stated purpose, their address. */
export function auditContextOf(
  request: { ip?: string | undefined; socket?: { remoteAddress?: string | undefined } },
  actorUserId: string,
  purpose: string | undefined,
): AuditContext {
  return { actorUserId, purpose: purpose ?? DEFAULT_PURPOSE, ip: request.ip ?? request.socket?.remoteAddress ?? null };
}
