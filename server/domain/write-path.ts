import type { EntityName, Verb } from "../../app/lib/realtime/events.ts";
import type { PrismaClient } from "../db/client.ts";
import type { DomainEventBus } from "../events/bus.ts";
import { asBookingConflict } from "./booking-rules.ts";

/** The transaction client handed to a write. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface WriteDeps {
  prisma: PrismaClient;
  bus: DomainEventBus;
}

export interface WriteOutcome<T> {
  result: T;
  entity: EntityName;
  entityId: string;
  verb: Verb;
  /** Non-personal summary broadcast to the workspace room. */
  data: Record<string, unknown>;
}

/**
 * The one write path: (the caller has authorized) → transaction → bump the workspace version →
 * record the change → commit → publish the domain event.
 *
 * The version bump is the first statement so the workspace row lock is taken before any other
 * work: concurrent writes of a workspace commit in version order, so a client that has seen
 * version N has seen every change up to N.
 */
export async function writeInWorkspace<T>(
  deps: WriteDeps,
  workspaceId: string,
  actorUserId: string | null,
  work: (tx: Tx, version: number) => Promise<WriteOutcome<T>>,
  /** Bulk writes (a matching run over a whole workspace) may need more than Prisma's 5 s. */
  options: { timeoutMs?: number } = {},
): Promise<{ value: T; version: number }> {
  const { outcome, version } = await deps.prisma.$transaction(async (tx) => {
    const bumped = await tx.workspace.update({
      where: { id: workspaceId },
      data: { version: { increment: 1 } },
      select: { version: true },
    });
    const outcome = await work(tx, bumped.version);
    await tx.workspaceChange.create({
      data: {
        workspaceId,
        version: bumped.version,
        entity: outcome.entity,
        entityId: outcome.entityId,
        verb: outcome.verb,
        actorUserId,
      },
    });
    return { outcome, version: bumped.version };
  }, options.timeoutMs ? { timeout: options.timeoutMs, maxWait: 10_000 } : undefined).catch((error: unknown) => {
    // A refused booking (the database's no-double-booking rules) is a conflict the caller can show.
    throw asBookingConflict(error);
  });
  deps.bus.publish({
    workspaceId,
    version,
    entity: outcome.entity,
    entityId: outcome.entityId,
    verb: outcome.verb,
    actorUserId,
    data: outcome.data,
  });
  return { value: outcome.result, version };
}
