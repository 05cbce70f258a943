import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, WebSocket, type RawData } from "ws";
import { colourFor } from "../../../app/lib/realtime/colours.ts";
import type { SessionUser } from "../../auth/sessions.ts";
import type { AppServices } from "../../services.ts";
import type { RevocationReason } from "../connections.ts";
import { createOriginCheck } from "../origin.ts";
import { authorizeDocument, CollabCloseCode } from "./authorize.ts";
import { CollabServer, type CollabOptions } from "./collab-server.ts";
import type { CollabConnection, ConnectionIdentity } from "./connection.ts";
import type { CollabFanOut } from "./fan-out.ts";
import { PostgresCollabStore } from "./postgres-store.ts";
import type { CollabStore } from "./store.ts";

export const COLLAB_PATH_PREFIX = "/yjs/";

export interface CollabEndpointOptions extends Partial<CollabOptions> {
  /** @default PostgresCollabStore on services.prisma */
  store?: CollabStore;
  /** Largest WebSocket message accepted (bigger ones close with 1009). @default 1 MiB */
  maxPayloadBytes?: number;
  /** A connection that does not answer a ping within this is dropped. @default 30_000 */
  pingIntervalMs?: number;
  /** The other server instances (multi-instance mode). @default none: a single instance */
  fanOut?: CollabFanOut;
}

export interface CollabEndpoint {
  server: CollabServer;
  /** Stops accepting, closes the connections, stores queued writes, runs pending compactions. */
  close(): Promise<void>;
}

/**
 * The /yjs/<docName> WebSocket endpoint (docs/collab-protocol.md). Authentication happens at the
 * HTTP upgrade from the session cookie; refusals are WebSocket close codes (4401/4403/4404) so
 * that the y-websocket client can tell the user why and stops retrying. Authorized connections
 * go to the CollabServer; each registers in the ConnectionRegistry so that logout and membership
 * changes close it.
 */
export function attachCollabEndpoint(httpServer: HttpServer, services: AppServices, options: CollabEndpointOptions = {}): CollabEndpoint {
  const logger = services.logger.child({ module: "collab" });
  const collab = new CollabServer(options.store ?? new PostgresCollabStore(services.prisma), logger, options, options.fanOut ?? null);
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024, perMessageDeflate: false });
  const originAllowed = createOriginCheck(services.env.ALLOWED_ORIGINS);
  const alive = new WeakSet<WebSocket>();
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? "";
    if (!url.startsWith(COLLAB_PATH_PREFIX)) return; // Socket.IO's upgrades are not ours.
    if (closing) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
      return;
    }
    if (!originAllowed(req.headers.origin, req.headers.host)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // An 'error' without a listener would throw: invalid frames, oversized messages (1009).
      ws.on("error", (error) => logger.debug({ err: error }, "collab socket error"));
      // Nothing is read until the document is ready: the client's first messages wait in the socket.
      ws.pause();
      alive.add(ws);
      ws.on("pong", () => alive.add(ws));
      accept(ws, req).catch((error) => {
        logger.error({ err: error }, "collab upgrade failed");
        closeSocket(ws, CollabCloseCode.unavailable, "unavailable");
      });
    });
  };

  async function accept(ws: WebSocket, req: IncomingMessage) {
    let docName: string;
    try {
      docName = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname.slice(COLLAB_PATH_PREFIX.length));
    } catch {
      closeSocket(ws, CollabCloseCode.notFound, "unknown document");
      return;
    }
    const user = await services.userFromCookieHeader(req.headers.cookie);
    const access = await authorizeDocument(services.prisma, user, docName);
    if (ws.readyState !== WebSocket.OPEN) return;
    if (!access.ok || !user) {
      closeSocket(ws, access.ok ? CollabCloseCode.unauthenticated : access.code, access.ok ? "login required" : access.reason);
      return;
    }
    if (closing) {
      closeSocket(ws, CollabCloseCode.goingAway, "server shutting down");
      return;
    }
    let conn: CollabConnection;
    try {
      conn = await collab.connect(transportOf(ws), { docName, identity: identityOf(user, access.workspaceId), readOnly: access.readOnly });
    } catch {
      closeSocket(ws, CollabCloseCode.unavailable, "document unavailable");
      return;
    }
    const unregister = services.connections.add({
      userId: user.id,
      sessionId: user.sessionId ?? "",
      close: (reason: RevocationReason) =>
        conn.close(reason === "membership_changed" ? CollabCloseCode.forbidden : CollabCloseCode.unauthenticated, reason),
    });
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        conn.close(CollabCloseCode.badMessage, "binary messages only");
        return;
      }
      conn.receive(toBytes(data));
    });
    ws.on("close", () => {
      unregister();
      conn.transportClosed();
    });
    if (ws.readyState !== WebSocket.OPEN) {
      // Closed while the document loaded: 'close' was emitted before our listener.
      unregister();
      conn.transportClosed();
      return;
    }
    // A logout that landed between the first lookup and the registration above found nothing to
    // close; ask again now that revocation can reach this connection.
    const stillValid = await services.userFromCookieHeader(req.headers.cookie).catch(() => null);
    if (!stillValid) {
      conn.close(CollabCloseCode.unauthenticated, "logged_out");
      return;
    }
    ws.resume();
  }

  // Liveness: a connection that does not answer a ping within an interval is dropped (its
  // presence goes with it).
  const pingTimer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, options.pingIntervalMs ?? 30_000);
  pingTimer.unref();

  httpServer.on("upgrade", onUpgrade);
  return {
    server: collab,
    async close() {
      closing = true;
      clearInterval(pingTimer);
      httpServer.off("upgrade", onUpgrade);
      // Closes connections (1001), stores what is queued, runs pending compactions.
      await collab.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function transportOf(ws: WebSocket) {
  return {
    send: (message: Uint8Array) => ws.send(message, { binary: true }),
    close: (code: number, reason: string) => closeSocket(ws, code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
}

function closeSocket(ws: WebSocket, code: number, reason: string) {
  if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
  ws.resume(); // a paused socket would never read the client's close frame
  ws.close(code, reason);
  // A client that never answers the close handshake is cut off.
  const timer = setTimeout(() => ws.terminate(), 5_000);
  timer.unref();
  ws.once("close", () => clearTimeout(timer));
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function identityOf(user: SessionUser, workspaceId: string): ConnectionIdentity {
  const membership = user.memberships.find((m) => m.workspaceId === workspaceId);
  return {
    userId: user.id,
    sessionId: user.sessionId,
    name: user.displayName,
    organization: membership?.organizationName ?? null,
    color: colourFor(user.id),
  };
}
