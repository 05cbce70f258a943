import { z } from "zod";

/**
 * Every live connection (Socket.IO socket, /yjs/ WebSocket) registers here with the user and the
 * session it was authenticated with, so that logging out or losing a membership can close them
 * at once, on every transport.
 */
export interface LiveConnection {
  userId: string;
  sessionId: string;
  /** When the session ends (epoch ms): the connection is closed then with `session_expired`. */
  expiresAt?: number;
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

/** setTimeout's longest delay (about 24.8 days); longer sessions re-arm when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ConnectionRegistryOptions {
  /** Epoch milliseconds. @default Date.now */
  clock?: () => number;
}

/**
 * With several server instances a user's connections may be anywhere: every revocation is
 * applied here and handed to `publish`, and each instance applies what the others published
 * with `applyRemote` (which publishes nothing).
 *
 * Session expiry (docs/decisions/028-session-expiry-and-logout-everywhere.md): one timer per
 * session that has live connections here, armed from the expiry the transports learned when
 * they authenticated the connection, closes them at that instant with `session_expired`. Each
 * instance arms its own timers, so nothing is published for an expiry.
 */
export class ConnectionRegistry {
  private readonly byUser = new Map<string, Set<LiveConnection>>();
  private readonly bySession = new Map<string, Set<LiveConnection>>();
  private readonly expiries = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  private readonly clock: () => number;

  /** @param publish tells the other instances; @default nobody (a single instance) */
  constructor(
    private readonly publish: (revocation: Revocation) => void = () => {},
    options: ConnectionRegistryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Registers a connection; call the returned function when it closes by itself. */
  add(connection: LiveConnection): () => void {
    let set = this.byUser.get(connection.userId);
    if (!set) this.byUser.set(connection.userId, (set = new Set()));
    set.add(connection);
    let sessionSet = this.bySession.get(connection.sessionId);
    if (!sessionSet) this.bySession.set(connection.sessionId, (sessionSet = new Set()));
    sessionSet.add(connection);
    if (connection.expiresAt !== undefined) this.noteSessionExpiry(connection.sessionId, connection.expiresAt);
    return () => {
      set.delete(connection);
      if (set.size === 0 && this.byUser.get(connection.userId) === set) this.byUser.delete(connection.userId);
      this.forget(connection);
    };
  }

  /**
   * A transport (or the session lookup) learned when a session ends. Arms the session's timer
   * when it has connections here; otherwise there is nothing to close and nothing is kept.
   */
  noteSessionExpiry(sessionId: string, expiresAt: number): void {
    if (!sessionId || !this.bySession.get(sessionId)?.size) return;
    const current = this.expiries.get(sessionId);
    if (current && current.at === expiresAt) return;
    if (current) clearTimeout(current.timer);
    this.arm(sessionId, expiresAt);
  }

  /** Closes the connections of one session (logout), here and on every instance. Returns how many were closed here. */
  closeSession(sessionId: string, reason: RevocationReason = "logged_out"): number {
    this.publish({ scope: "session", id: sessionId, reason });
    return this.closeSessionHere(sessionId, reason);
  }

  /**
   * Closes every connection of a user (membership or role changed: they reconnect and
   * re-authorize; logged out everywhere), here and on every instance. Returns how many were
   * closed here.
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
    return new Set([...this.bySession.keys()]);
  }

  /** Sessions with an armed expiry timer (for tests and stats). */
  get armedExpiries(): number {
    return this.expiries.size;
  }

  private arm(sessionId: string, at: number) {
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock()));
    const timer = setTimeout(() => {
      this.expiries.delete(sessionId);
      if (this.clock() < at) return this.arm(sessionId, at); // a 24.8-day step of a longer session
      this.closeSessionHere(sessionId, "session_expired");
    }, delay);
    // A pending expiry must not keep the process alive at shutdown.
    timer.unref?.();
    this.expiries.set(sessionId, { at, timer });
  }

  /** Drops a connection from the session index (and its timer with the session's last connection). */
  private forget(connection: LiveConnection) {
    const sessionSet = this.bySession.get(connection.sessionId);
    if (!sessionSet) return;
    sessionSet.delete(connection);
    if (sessionSet.size > 0) return;
    this.bySession.delete(connection.sessionId);
    const expiry = this.expiries.get(connection.sessionId);
    if (expiry) {
      clearTimeout(expiry.timer);
      this.expiries.delete(connection.sessionId);
    }
  }

  private closeSessionHere(sessionId: string, reason: RevocationReason): number {
    const sessionSet = this.bySession.get(sessionId);
    if (!sessionSet) return 0;
    let closed = 0;
    for (const connection of [...sessionSet]) {
      this.byUser.get(connection.userId)?.delete(connection);
      if (this.byUser.get(connection.userId)?.size === 0) this.byUser.delete(connection.userId);
      this.forget(connection);
      connection.close(reason);
      closed++;
    }
    return closed;
  }

  private closeUserHere(userId: string, reason: RevocationReason): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    this.byUser.delete(userId);
    for (const connection of set) {
      this.forget(connection);
      connection.close(reason);
    }
    return set.size;
  }

  count(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }
}
