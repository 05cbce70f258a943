import { z } from "zod";

/**
 * Every live connection (Socket.IO socket, /yjs/ WebSocket) registers here with the user and the
 * session it was authenticated with, so that logging out or losing a membership can close them
 * at once, on every transport.
 */
export interface LiveConnection {
  userId: string;
  sessionId: string;
  /** Closes the connection; the transport maps the reason to its own close code. */
  close(reason: RevocationReason): void;
}

export type RevocationReason = "logged_out" | "membership_changed" | "session_expired";

/** A revocation as the other server instances hear it (multi-instance mode). */
export interface Revocation {
  scope: "session" | "user";
  id: string;
  reason: RevocationReason;
}

const RevocationSchema = z.object({
  scope: z.enum(["session", "user"]),
  id: z.string().min(1).max(200),
  reason: z.enum(["logged_out", "membership_changed", "session_expired"]),
});

export function encodeRevocation(revocation: Revocation): Buffer {
  return Buffer.from(JSON.stringify(revocation));
}

/** Null for anything that is not a revocation (parsed at the edge, like every other input). */
export function decodeRevocation(payload: Buffer): Revocation | null {
  try {
    const parsed = RevocationSchema.safeParse(JSON.parse(payload.toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * With several server instances a user's connections may be anywhere: every revocation is
 * applied here and handed to `publish`, and each instance applies what the others published
 * with `applyRemote` (which publishes nothing).
 */
export class ConnectionRegistry {
  private readonly byUser = new Map<string, Set<LiveConnection>>();

  /** @param publish tells the other instances; @default nobody (a single instance) */
  constructor(private readonly publish: (revocation: Revocation) => void = () => {}) {}

  /** Registers a connection; call the returned function when it closes by itself. */
  add(connection: LiveConnection): () => void {
    let set = this.byUser.get(connection.userId);
    if (!set) this.byUser.set(connection.userId, (set = new Set()));
    set.add(connection);
    return () => {
      set.delete(connection);
      if (set.size === 0 && this.byUser.get(connection.userId) === set) this.byUser.delete(connection.userId);
    };
  }

  /** Closes the connections of one session (logout), here and on every instance. Returns how many were closed here. */
  closeSession(sessionId: string, reason: RevocationReason = "logged_out"): number {
    this.publish({ scope: "session", id: sessionId, reason });
    return this.closeSessionHere(sessionId, reason);
  }

  /**
   * Closes every connection of a user (membership or role changed: they reconnect and
   * re-authorize), here and on every instance. Returns how many were closed here.
   */
  closeUser(userId: string, reason: RevocationReason = "membership_changed"): number {
    this.publish({ scope: "user", id: userId, reason });
    return this.closeUserHere(userId, reason);
  }

  /** A revocation another instance published. */
  applyRemote(revocation: Revocation): number {
    return revocation.scope === "session"
      ? this.closeSessionHere(revocation.id, revocation.reason)
      : this.closeUserHere(revocation.id, revocation.reason);
  }

  /** Session ids of the connections open here (to check them again after a lost Redis). */
  sessionIds(): Set<string> {
    const ids = new Set<string>();
    for (const set of this.byUser.values()) for (const connection of set) ids.add(connection.sessionId);
    return ids;
  }

  private closeSessionHere(sessionId: string, reason: RevocationReason): number {
    let closed = 0;
    for (const set of this.byUser.values()) {
      for (const connection of [...set]) {
        if (connection.sessionId !== sessionId) continue;
        set.delete(connection);
        connection.close(reason);
        closed++;
      }
    }
    return closed;
  }

  private closeUserHere(userId: string, reason: RevocationReason): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    this.byUser.delete(userId);
    for (const connection of set) connection.close(reason);
    return set.size;
  }

  count(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }
}
