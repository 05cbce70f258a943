import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { z } from "zod";
import {
  eventName,
  rooms,
  type ClientToServerEvents,
  type JoinAck,
  type ServerToClientEvents,
} from "../../../app/lib/realtime/events.ts";
import type { SessionUser } from "../../auth/sessions.ts";
import type { AppServices } from "../../services.ts";
import { createOriginCheck } from "../origin.ts";

interface SocketData {
  user: SessionUser;
}

const JoinSchema = z.object({ workspaceId: z.string().min(1).max(64) }).strict();

/**
 * Socket.IO for live structured data: cookie authentication and an Origin check at the
 * handshake, one room per workspace (joined with an ack that checks membership), and every
 * committed domain event broadcast to its workspace room.
 */
export function attachSocketServer(httpServer: HttpServer, services: AppServices) {
  const originAllowed = createOriginCheck(services.env.ALLOWED_ORIGINS);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // /yjs/ upgrades share this http.Server; engine.io must not destroy upgrades it does not own.
    destroyUpgrade: false,
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers.origin, req.headers.host);
      callback(ok ? null : "origin not allowed", ok);
    },
  });

  io.use(async (socket, next) => {
    try {
      const user = await services.userFromCookieHeader(socket.handshake.headers.cookie);
      if (!user) {
        const error = new Error("unauthenticated") as Error & { data?: unknown };
        error.data = { code: 4401, message: "ログインが必要です / Login required" };
        return next(error);
      }
      socket.data.user = user;
      next();
    } catch (error) {
      services.logger.error({ err: error }, "socket auth failed");
      next(new Error("unavailable"));
    }
  });

  io.on("connection", (socket) => {
    socket.on("workspace:join", async (payload, ack) => {
      if (typeof ack !== "function") return;
      const parsed = JoinSchema.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, code: "invalid", message: "workspaceId is required" });
      const { workspaceId } = parsed.data;
      const member = socket.data.user.memberships.some((m) => m.workspaceId === workspaceId);
      if (!member) return ack({ ok: false, code: "forbidden", message: "Not a member of this workspace" });
      try {
        const workspace = await services.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { version: true } });
        if (!workspace) return ack({ ok: false, code: "not_found", message: "Workspace not found" });
        await socket.join(rooms.workspace(workspaceId));
        const result: JoinAck = { ok: true, workspaceId, version: workspace.version };
        ack(result);
      } catch (error) {
        services.logger.error({ err: error }, "workspace:join failed");
        ack({ ok: false, code: "not_found", message: "Workspace unavailable" });
      }
    });

    socket.on("workspace:leave", async (payload, ack) => {
      const parsed = JoinSchema.safeParse(payload);
      if (parsed.success) await socket.leave(rooms.workspace(parsed.data.workspaceId));
      if (typeof ack === "function") ack({ ok: parsed.success });
    });
  });

  const unsubscribe = services.bus.subscribe((event) => {
    io.to(rooms.workspace(event.workspaceId)).emit(eventName(event.entity), event);
  });

  return {
    io,
    async close() {
      unsubscribe();
      await new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        // io.close() would also close the shared http.Server; the composition root owns that.
        io.engine.close();
        resolve();
      });
    },
  };
}
