import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { AppServices } from "../../services.ts";
import { createOriginCheck } from "../origin.ts";
import { authorizeDocument, CollabCloseCode } from "./authorize.ts";

export const COLLAB_PATH_PREFIX = "/yjs/";

/**
 * The /yjs/<docName> WebSocket endpoint. Authentication happens at the HTTP upgrade from the
 * session cookie; refusals are sent as WebSocket close codes (4401/4403/4404) so that the
 * y-websocket client can tell the user why. The y-protocols document server behind it is the
 * live-collaboration issue; until then an authorized connection is closed with 4503.
 */
export function attachCollabEndpoint(httpServer: HttpServer, services: AppServices) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const originAllowed = createOriginCheck(services.env.ALLOWED_ORIGINS);

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? "";
    if (!url.startsWith(COLLAB_PATH_PREFIX)) return; // Socket.IO's upgrades are not ours.
    if (!originAllowed(req.headers.origin, req.headers.host)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      void accept(ws, req).catch((error) => {
        services.logger.error({ err: error }, "collab upgrade failed");
        ws.close(CollabCloseCode.unavailable, "unavailable");
      });
    });
  };

  async function accept(ws: WebSocket, req: IncomingMessage) {
    const docName = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname.slice(COLLAB_PATH_PREFIX.length));
    const user = await services.userFromCookieHeader(req.headers.cookie);
    const access = await authorizeDocument(services.prisma, user, docName);
    if (!access.ok) {
      ws.close(access.code, access.reason);
      return;
    }
    ws.close(CollabCloseCode.unavailable, "collaboration server not enabled yet");
  }

  httpServer.on("upgrade", onUpgrade);
  return {
    async close() {
      httpServer.off("upgrade", onUpgrade);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
