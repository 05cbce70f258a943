/**
 * The wire protocol of `/yjs/<docName>` (docs/collab-protocol.md), shared by the server
 * (server/realtime/collab) and the browser. Messages are y-websocket's: a varUint message type,
 * then its body. Types 0–3 are y-websocket's own; 100–102 are ours, and a client handles them
 * through `provider.messageHandlers[type]`.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** y-websocket's message types. */
export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

/**
 * Ours. `saved`: `[100, seq]` — every update-bearing message this connection sent (sync step 2
 * or update) up to and including number `seq` is durable (or changed nothing). Numbered per
 * connection from 1, in the order the client sent them.
 */
export const messageSaved = 100;
/** Ours. `refused`: `[101, seq, reason]` — update-bearing message `seq` was not applied. */
export const messageRefused = 101;
/** Ours. `access`: `[102, flags]` — sent first on every connection; bit 0 = read-only. */
export const messageAccess = 102;

/** Why an update was refused (`refused` message). */
export type RefusedReason = "read_only" | "store_unavailable";

/** WebSocket close codes of /yjs/. 44xx: don't reconnect (y-websocket stops); others: transient. */
export const CollabCloseCode = {
  /** A malformed or oversized message (the client is broken; reconnecting won't help). */
  badMessage: 4400,
  /** No session, the session ended (logout) or expired. */
  unauthenticated: 4401,
  /** Not a member of the document's workspace, or the membership changed. */
  forbidden: 4403,
  /** No such document. */
  notFound: 4404,
  /** The server cannot load or save the document right now; the client reconnects and resyncs. */
  unavailable: 4503,
  /** Too many messages per second (transient: the client reconnects after its backoff). */
  rateLimited: 1008,
  /** The server is shutting down (transient). */
  goingAway: 1001,
  /** The client reads too slowly or has too many unsaved updates in flight (transient). */
  tryAgainLater: 1013,
} as const;

export function encodeSaved(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSaved);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

export function encodeRefused(seq: number, reason: RefusedReason): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageRefused);
  encoding.writeVarUint(encoder, seq);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

export function encodeAccess(readOnly: boolean): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAccess);
  encoding.writeVarUint(encoder, readOnly ? 1 : 0);
  return encoding.toUint8Array(encoder);
}

/** Reads the body of a `saved` message (the type is already read). */
export function readSaved(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder);
}

/** Reads the body of a `refused` message (the type is already read). */
export function readRefused(decoder: decoding.Decoder): { seq: number; reason: string } {
  const seq = decoding.readVarUint(decoder);
  const reason = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : "unknown";
  return { seq, reason };
}

/** Reads the body of an `access` message (the type is already read). */
export function readAccess(decoder: decoding.Decoder): { readOnly: boolean } {
  return { readOnly: (decoding.readVarUint(decoder) & 1) === 1 };
}

/** Document names are built here only (style: one helper module for rooms and documents). */
export function chartDocName(areaId: string): string {
  return `chart:${areaId}`;
}

/** Awareness state of one person in a document, as clients set it and the server stamps it. */
export interface PresenceState {
  user?: {
    name?: string;
    /** #rrggbb; the server sets it from the user id so that every client agrees. */
    color?: string;
    organization?: string;
  };
  /** Selection in the shared text as Yjs relative positions (JSON), or null. */
  cursor?: { anchor: unknown; head: unknown } | null;
}
