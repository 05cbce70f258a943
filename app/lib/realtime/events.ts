/**
 * Typed live events shared by server and browser (docs/live-events.md). Every event broadcast to a
 * workspace room carries the workspace's version after the change; a client that sees a gap
 * resyncs with GET /api/v1/workspaces/<id>/changes?since=<version>. Payloads never carry resident
 * personal data: residents appear at most as pseudonymous cards (`publicCode`, age band, area).
 */
import type { MatchStage } from "../schemas.ts";
import type { ClientEventName, ClientPayload, CommandName, LockKind } from "./payloads.ts";

export type { ClientEventName, ClientPayload, CommandName, LockKind } from "./payloads.ts";

export type EntityName = "task" | "shift" | "resource" | "availability" | "match" | "resident" | "consent" | "membership";
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

// ───────────── Acks ─────────────

/** Codes of a refused event. The message is for people (Japanese / English). */
export type LiveErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "locked"
  | "limit_exceeded"
  | "rate_limited"
  | "unavailable"
  | "internal";

export interface Refusal<C extends LiveErrorCode = LiveErrorCode> {
  ok: false;
  code: C;
  message: string;
  /** For `invalid`: which fields were wrong. */
  issues?: Array<{ path: string; message: string }>;
}

/** Refusals every event may answer, whatever it does. */
export type CommonRefusal = Refusal<"invalid" | "unauthenticated" | "forbidden" | "rate_limited" | "unavailable" | "internal">;

export type OkAck = { ok: true } | CommonRefusal;

export type JoinAck = { ok: true; workspaceId: string; version: number } | CommonRefusal | Refusal<"not_found">;

/** Somebody on a board. Staff only: residents never join workspace rooms. */
export interface PresenceEntry {
  userId: string;
  displayName: string;
  organizationName: string;
  board: string;
  /** CSS colour derived from the user id (the same on every client). */
  colour: string;
}

export type LockHolder = Omit<PresenceEntry, "board">;

export interface LockInfo {
  target: string;
  kind: LockKind;
  holder: LockHolder;
  /** Epoch milliseconds; the holder refreshes by acquiring again. */
  expiresAt: number;
}

export type PresenceJoinAck =
  | { ok: true; workspaceId: string; present: PresenceEntry[]; locks: LockInfo[] }
  | CommonRefusal;

export type LockAcquireAck =
  | { ok: true; lock: LockInfo }
  | (Refusal<"locked"> & { holder: LockHolder; kind: LockKind; expiresAt: number })
  | Refusal<"limit_exceeded">
  | CommonRefusal;

export type LockReleaseAck = { ok: true } | (Refusal<"locked"> & { holder: LockHolder }) | CommonRefusal;

/** A kanban card as members see it (the resident is a pseudonymous card). */
export interface LiveMatch {
  id: string;
  workspaceId: string;
  stage: MatchStage;
  version: number;
  [field: string]: unknown;
}

/** What each command answers with on success. */
export interface CommandEntities {
  "match:move": LiveMatch;
}

export type ConflictRefusal<T> = Refusal<"conflict"> & {
  /** The entity as it is now, so the client can show it instead of overwriting silently. */
  current: T;
  changedBy: string | null;
  changedAt: string | null;
};

export type CommandAck<T> = { ok: true; entity: T } | ConflictRefusal<T> | Refusal<"not_found"> | CommonRefusal;

/** The ack of every client → server event. */
export type ClientAcks = {
  "workspace:join": JoinAck;
  "workspace:leave": OkAck;
  "presence:join": PresenceJoinAck;
  "presence:leave": OkAck;
  "lock:acquire": LockAcquireAck;
  "lock:release": LockReleaseAck;
  "meeting:view": OkAck;
} & { [C in CommandName]: CommandAck<CommandEntities[C]> };

/**
 * Socket.IO events the client sends; every one takes an ack. Without an ack the event is still
 * handled (its answer is dropped).
 */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: (result: ClientAcks[E]) => void) => void;
};

// ───────────── Server → client ─────────────

export interface PresenceChanged {
  workspaceId: string;
  present: PresenceEntry[];
}

export interface LockChanged {
  workspaceId: string;
  target: string;
  /** null: released or expired. */
  lock: LockInfo | null;
}

/**
 * Meeting mode: a facilitator's viewport, relayed to everyone else in the workspace room. `view`
 * null: the facilitator stopped sharing. `at` is the server's epoch ms (later wins).
 */
export interface MeetingViewShared {
  workspaceId: string;
  board: string;
  view: { lat: number; lng: number; zoom: number } | null;
  section?: string;
  facilitator: LockHolder;
  at: number;
}

export type SessionRevokedReason = "logged_out" | "membership_changed" | "session_expired";

export interface SessionRevoked {
  reason: SessionRevokedReason;
  /** true: connect again (the server re-authorizes); false: the session is over. */
  reconnect: boolean;
}

/**
 * A matching rerun wrote new proposals (docs/decisions/013). Counts, match ids and the run's
 * statistics only: no personal data. `version` is the workspace version the run produced.
 */
export interface MatchingUpdated {
  workspaceId: string;
  version: number;
  added: number;
  removed: number;
  rescored: number;
  matchIds: { added: string[]; removed: string[]; updated: string[] };
  stats: {
    /** "full": the workspace was solved whole; "incremental": only the region the changes touch. */
    mode: "full" | "incremental";
    /** Load + solve + apply, and each part. */
    durationMs: number;
    solveMs: number;
    loadMs: number;
    applyMs: number;
    proposals: number;
    residents: number;
    shifts: number;
    filledSeats: number;
    kept: number;
    totalScore: number;
    /** Full solves only. */
    openSeats?: number;
    candidatePairs?: number;
    /** Incremental runs only. */
    regionShifts?: number;
    regionResidents?: number;
  };
  /** ISO time the run's snapshot was taken. */
  ranAt: string;
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
  "membership:changed": (event: DomainEvent) => void;
  "matching:updated": (payload: MatchingUpdated) => void;
  "presence:changed": (payload: PresenceChanged) => void;
  "lock:changed": (payload: LockChanged) => void;
  "meeting:view": (payload: MeetingViewShared) => void;
  /** Sent just before the server closes the connection (logout, membership change). */
  "session:revoked": (payload: SessionRevoked) => void;
}

export const DOMAIN_EVENT_NAMES = [
  "task:changed",
  "shift:changed",
  "resource:changed",
  "availability:changed",
  "match:changed",
  "resident:changed",
  "consent:changed",
  "membership:changed",
] as const satisfies ReadonlyArray<keyof ServerToClientEvents>;

/** Room names are built here only. */
export const rooms = {
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
};

export function eventName(entity: EntityName): (typeof DOMAIN_EVENT_NAMES)[number] {
  return `${entity}:changed`;
}
