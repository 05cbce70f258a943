import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import {
  eventName,
  rooms,
  type ClientEventName,
  type ClientToServerEvents,
  type MatchingUpdated,
  type SessionRevokedReason,
  type ServerToClientEvents,
} from "../../../app/lib/realtime/events.ts";
import { clientPayloadSchemas, isClientEventName } from "../../../app/lib/realtime/payloads.ts";
import type { AppServices } from "../../services.ts";
import { addressKey, clientAddress, trustedProxies } from "../../http/rate-limit.ts";
import { createOriginCheck } from "../origin.ts";
import { PresenceHub } from "../presence/hub.ts";
import type { PresenceStore } from "../presence/store.ts";
import { invalidPayload, MESSAGES, refusal, refusalFor } from "./acks.ts";
import { handlers, type HandlerContext, type LiveSocket, type SocketData } from "./handlers.ts";
import { DEFAULT_RATE_LIMITS, LiveRateLimiter, type RateLimitOptions } from "./rate-limit.ts";

export interface LiveSocketOptions {
  /** Epoch milliseconds, for rate limits and lock expiry. @default Date.now */
  clock?: () => number;
  /** @default DEFAULT_RATE_LIMITS (40 burst / 20 per s per socket; 120 / 60 per user; 300 / 150 per address) */
  rateLimits?: RateLimitOptions;
  /** @default 30_000 */
  lockTtlMs?: number;
  /** @default an InMemoryPresenceStore (single instance) */
  presenceStore?: PresenceStore;
  /**
   * Socket.IO's adapter: Redis in multi-instance mode, so that a room broadcast reaches the
   * room's sockets on every instance. @default Socket.IO's in-memory adapter
   */
  adapter?: ServerOptions["adapter"];
}

type Ack = (result: unknown) => void;
const noAck: Ack = () => {};

/**
 * Socket.IO for live structured data (docs/live-events.md): cookie authentication and an Origin
 * check at the handshake; one room per workspace, joined with an ack that checks membership;
 * every committed domain event broadcast to its room with the workspace version; commands
 * through the domain services; presence and soft locks; revocation through the
 * ConnectionRegistry.
 *
 * Untrusted input never reaches a handler unparsed: unknown events and rate-limited ones are
 * refused by a middleware, every payload is parsed with its zod schema, and every handler's
 * error becomes a typed `{ ok: false, code }` ack.
 */
export function attachSocketServer(httpServer: HttpServer, services: AppServices, options: LiveSocketOptions = {}) {
  const { logger } = services;
  const clock = options.clock ?? Date.now;
  const originAllowed = createOriginCheck(services.env.ALLOWED_ORIGINS);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // A closed laptop lid releases its presence and locks within ~25 s.
    pingInterval: 15_000,
    pingTimeout: 10_000,
    // /yjs/ upgrades share this http.Server; engine.io must not destroy upgrades it does not own.
    destroyUpgrade: false,
    ...(options.adapter ? { adapter: options.adapter } : {}),
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers.origin, req.headers.host);
      callback(ok ? null : "origin not allowed", ok);
    },
  });

  const limiter = new LiveRateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const trustedProxy = trustedProxies(services.env.TRUST_PROXY ?? "loopback");
  const room = (workspaceId: string, except?: string) =>
    except ? io.to(rooms.workspace(workspaceId)).except(except) : io.to(rooms.workspace(workspaceId));
  const hub = new PresenceHub(
    {
      presence: (workspaceId, present, except) => room(workspaceId, except).emit("presence:changed", { workspaceId, present }),
      lock: (workspaceId, target, lock, except) => room(workspaceId, except).emit("lock:changed", { workspaceId, target, lock }),
    },
    {
      clock,
      lockTtlMs: options.lockTtlMs,
      store: options.presenceStore,
      onError: (error) => logger.error({ err: error }, "presence sweep failed"),
    },
  );
  hub.start();
  const pruneTimer = setInterval(() => limiter.prune(clock()), 30_000);
  pruneTimer.unref();
  /** Presence cleanups of closed sockets still talking to the store (awaited at shutdown). */
  const cleanups = new Set<Promise<void>>();

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
      logger.error({ err: error }, "socket auth failed");
      next(new Error("unavailable"));
    }
  });

  /** Tells the client why, then closes the whole connection (it must re-authenticate to come back). */
  function revoke(socket: LiveSocket, reason: SessionRevokedReason) {
    try {
      socket.emit("session:revoked", { reason, reconnect: reason === "membership_changed" });
      socket.disconnect(true);
    } catch (error) {
      logger.warn({ err: error }, "socket revoke failed");
    }
  }

  io.on("connection", (socket) => {
    const user = socket.data.user;
    // The client's address as express sees it (X-Forwarded-For from a TRUST_PROXY proxy).
    const address = addressKey(clientAddress(socket.handshake.address, socket.handshake.headers["x-forwarded-for"], trustedProxy));
    const unregister = services.connections.add({
      userId: user.id,
      sessionId: user.sessionId ?? "",
      // Closed with session:revoked { reason: "session_expired" } when the session ends.
      expiresAt: user.sessionExpiresAt,
      close: (reason) => revoke(socket, reason),
    });
    // A logout or membership change that committed between the handshake's lookup and the line
    // above found nothing to close: look again now that this connection is registered. Handlers
    // wait for this, so nothing runs on a stale authorization.
    const ready = services
      .userFromCookieHeader(socket.handshake.headers.cookie)
      .then((fresh) => {
        if (!fresh || fresh.id !== user.id) {
          revoke(socket, "session_expired");
          return false;
        }
        socket.data.user = fresh;
        return true;
      })
      .catch((error) => {
        logger.error({ err: error }, "socket revalidation failed");
        socket.disconnect(true);
        return false;
      });

    socket.on("error", (error) => logger.warn({ err: error }, "socket error"));
    socket.on("disconnect", (reason) => {
      // This server has one namespace: a client that leaves it has no reason to keep the
      // connection (Socket.IO would keep an idle, namespace-less connection open indefinitely).
      if (reason === "client namespace disconnect") socket.conn.close();
      unregister();
      limiter.forgetSocket(socket.id);
      const cleanup = hub.disconnect(socket.id).catch((error) => logger.error({ err: error }, "presence cleanup failed"));
      cleanups.add(cleanup);
      void cleanup.finally(() => cleanups.delete(cleanup));
    });

    // Before any listener: unknown events and floods are answered here, cheaply.
    socket.use((packet, next) => {
      const [event] = packet;
      const last = packet[packet.length - 1];
      const ack = typeof last === "function" ? (last as Ack) : null;
      // Every event counts, known or not: a flood of made-up names costs as much as any other.
      if (!limiter.allow(socket.id, socket.data.user.id, clock(), address)) {
        ack?.(refusal("rate_limited", MESSAGES.rateLimited));
        // Told, and still flooding: cut it off (docs/decisions/026).
        if (!limiter.strike(socket.id, clock())) {
          logger.warn({ userId: socket.data.user.id, address }, "socket disconnected for flooding past its rate limit");
          socket.disconnect(true);
        }
        return;
      }
      if (!isClientEventName(event)) return ack?.(refusal("invalid", MESSAGES.unknownEvent));
      next();
    });

    const ctx: HandlerContext = {
      services,
      hub,
      socket,
      get user() {
        return socket.data.user;
      },
    };
    for (const event of Object.keys(clientPayloadSchemas) as ClientEventName[]) {
      const schema = clientPayloadSchemas[event];
      const handler = handlers[event] as (ctx: HandlerContext, payload: unknown) => Promise<unknown>;
      (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, (...args) => {
        const ack = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : noAck;
        void (async () => {
          try {
            if (!(await ready)) return ack(refusal("unauthenticated", MESSAGES.revalidation));
            if (args.length !== 1) return ack(refusal("invalid", MESSAGES.invalid));
            const parsed = schema.safeParse(args[0]);
            if (!parsed.success) return ack(invalidPayload(parsed.error));
            ack(await handler(ctx, parsed.data));
          } catch (error) {
            try {
              ack(refusalFor(error, (e) => logger.error({ err: e, event }, "socket handler failed")));
            } catch (ackError) {
              logger.error({ err: ackError, event }, "socket ack failed");
            }
          }
        })();
      });
    }
  });

  const unsubscribe = services.bus.subscribe((event) => {
    io.to(rooms.workspace(event.workspaceId)).emit(eventName(event.entity), event);
    // A matching run (server/matching/scheduler.ts): its summary too. The match:changed above keeps
    // the room's versions without holes, so clients do not resync for it.
    if (event.data.kind === "matching.run" && event.data.summary) {
      io.to(rooms.workspace(event.workspaceId)).emit("matching:updated", event.data.summary as MatchingUpdated);
    }
  });

  return {
    io,
    hub,
    async close() {
      unsubscribe();
      hub.stop();
      clearInterval(pruneTimer);
      // This instance's sockets only: with the Redis adapter, io.disconnectSockets() would
      // disconnect every instance's. Their seats and locks are released for everyone before the
      // store and the adapter go.
      io.local.disconnectSockets(true);
      await Promise.allSettled([...cleanups]);
      await io.of("/").adapter.close();
      // io.close() would also close the shared http.Server; the composition root owns that.
      io.engine.close();
    },
  };
}
