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

export class ConnectionRegistry {
  private readonly byUser = new Map<string, Set<LiveConnection>>();

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

  /** Closes the connections of one session (logout). Returns how many were closed. */
  closeSession(sessionId: string, reason: RevocationReason = "logged_out"): number {
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

  /** Closes every connection of a user (membership or role changed: they reconnect and re-authorize). */
  closeUser(userId: string, reason: RevocationReason = "membership_changed"): number {
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
