/**
 * Typed live events shared by server and browser. Every event broadcast to a workspace room
 * carries the workspace's version after the change; a client that sees a gap resyncs with
 * GET /api/v1/workspaces/<id>/changes?since=<version>. Payloads never carry resident personal data.
 */
export type EntityName = "task" | "shift" | "resource" | "availability" | "match" | "resident" | "consent";
export type Verb = "created" | "updated" | "deleted";

export interface DomainEvent {
  workspaceId: string;
  /** The workspace version this change produced. */
  version: number;
  entity: EntityName;
  entityId: string;
  verb: Verb;
  actorUserId: string | null;
  /** Non-personal summary of the entity after the change (ids, stage, version…). */
  data: Record<string, unknown>;
}

/** Socket.IO events the server sends. Event names follow `entity:verb`. */
export interface ServerToClientEvents {
  "task:changed": (event: DomainEvent) => void;
  "shift:changed": (event: DomainEvent) => void;
  "resource:changed": (event: DomainEvent) => void;
  "availability:changed": (event: DomainEvent) => void;
  "match:changed": (event: DomainEvent) => void;
  "resident:changed": (event: DomainEvent) => void;
  "consent:changed": (event: DomainEvent) => void;
}

export type JoinAck =
  | { ok: true; workspaceId: string; version: number }
  | { ok: false; code: "forbidden" | "invalid" | "not_found"; message: string };

export interface ClientToServerEvents {
  "workspace:join": (payload: { workspaceId: string }, ack: (result: JoinAck) => void) => void;
  "workspace:leave": (payload: { workspaceId: string }, ack?: (result: { ok: boolean }) => void) => void;
}

/** Room names are built here only. */
export const rooms = {
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
};

export function eventName(entity: EntityName): keyof ServerToClientEvents {
  return `${entity}:changed` as keyof ServerToClientEvents;
}
