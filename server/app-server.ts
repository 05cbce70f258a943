import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import pg from "pg";
import { SessionStore } from "./auth/sessions.ts";
import { readSessionToken } from "./auth/session-cookie.ts";
import { startCluster, type Cluster } from "./cluster/cluster.ts";
import { createPrisma, type PrismaClient } from "./db/client.ts";
import { createDomain } from "./domain/index.ts";
import type { Env } from "./env.ts";
import { DomainEventBus } from "./events/bus.ts";
import { createHttpApp, type RemixMount } from "./http/app.ts";
import { createSecurityServices } from "./http/security.ts";
import { createLogger, type Logger } from "./logger.ts";
import { MatchingScheduler, type MatchingSchedulerOptions } from "./matching/scheduler.ts";
import { attachCollabEndpoint, type CollabEndpoint, type CollabEndpointOptions } from "./realtime/collab/index.ts";
import { PostgresCollabStore } from "./realtime/collab/postgres-store.ts";
import { ConnectionRegistry, decodeRevocation, encodeRevocation } from "./realtime/connections.ts";
import { RedisPresenceStore } from "./realtime/presence/redis-store.ts";
import { attachSocketServer } from "./realtime/socket/index.ts";
import { liveRateLimits } from "./realtime/socket/rate-limit.ts";
import type { AppServices } from "./services.ts";

export const ROOT_DIR = join(import.meta.dirname, "..");

export interface StartServerOptions {
  env: Env;
  databaseUrl: string;
  logger?: Logger;
  /**
   * How pages are served: "build" imports build/server (production), "dev" runs Vite in
   * middleware mode, "none" serves only the API (for API-only tests).
   * @default "build"
   */
  remix?: "build" | "dev" | "none";
  /** Tuning of the /yjs/ document server (idle unload, compaction timing, limits); tests shorten them. */
  collab?: CollabEndpointOptions;
  /**
   * The live matching rerun (docs/decisions/013). `enabled: false` leaves proposals alone (tests
   * that count versions or events).
   * @default { enabled: true }
   */
  matching?: MatchingSchedulerOptions & { enabled?: boolean };
}

export interface RunningServer {
  url: string;
  port: number;
  services: AppServices;
  httpServer: HttpServer;
  /** Graceful: stop accepting, finish in-flight requests, close sockets, then the database. */
  close(): Promise<void>;
  /** The /yjs/ document server (stats, compaction) for tests and the benchmark. */
  collab: CollabEndpoint;
  /** The live matching rerun, or null when disabled. */
  matching: MatchingScheduler | null;
}

/**
 * Builds the services once and serves HTTP, Socket.IO and /yjs/ on one http.Server. With
 * REDIS_URL set the instance joins the others through Redis (docs/decisions/012): Socket.IO's
 * adapter, Yjs and revocation fan-out, shared presence and locks.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { env } = options;
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  // First: a Redis that does not answer stops the boot before anything else was opened.
  const cluster = await startCluster({ redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX, logger });
  const prisma = createPrisma(options.databaseUrl);
  // The collab log's hot append and its compactions run on plain pg (see PostgresCollabStore):
  // group commit needs one connection per document at a time; a compaction holds one for a few
  // ms. Idle connections are kept: with pg's default 10-s idle timeout, the connection a
  // compaction had opened was gone by the next one (every 10 s under edits), and an append
  // arriving during that compaction waited for a new PostgreSQL backend to start.
  const collabAppendPool = new pg.Pool({ connectionString: options.databaseUrl, max: 4, idleTimeoutMillis: 0, connectionTimeoutMillis: 3_000 });
  collabAppendPool.on("error", () => {}); // idle-client errors surface on the next query instead
  const bus = new DomainEventBus((error, event) => logger.error({ err: error, event: event.entity }, "event listener failed"));
  const sessions = new SessionStore(prisma, env.SESSION_DAYS * 86_400_000);
  const connections = new ConnectionRegistry(cluster.mode === "single" ? undefined : (revocation) => {
    cluster.bus.publish(cluster.names.revoke, encodeRevocation(revocation)).catch((error) => {
      // The session is gone from the database: new connections are refused everywhere; the
      // other instances check theirs again when Redis is back (below).
      logger.error({ err: error, scope: revocation.scope }, "revocation could not reach the other instances");
    });
  });
  const stopRevocations = await listenForRevocations(cluster, connections, prisma, logger);
  // A membership removed or a role changed: that user's live connections close at once; they
  // reconnect and are authorized again with what they may do now.
  bus.subscribe((event) => {
    if (event.entity === "membership" && typeof event.data.userId === "string") {
      connections.closeUser(event.data.userId, "membership_changed");
    }
  });
  const security = createSecurityServices(env, { sessions, connections, cluster, logger });
  const services: AppServices = {
    env,
    logger,
    prisma,
    bus,
    sessions,
    auth: security.auth,
    rateLimits: security.rateLimits,
    connections,
    cluster,
    async logout(sessionToken) {
      const sessionId = await sessions.logout(sessionToken);
      connections.closeSession(sessionId, "logged_out");
    },
    domain: createDomain({ prisma, bus }),
    async userFromCookieHeader(cookieHeader) {
      const token = readSessionToken(cookieHeader);
      const user = token ? await sessions.userForToken(token) : null;
      // Transports authenticate again right after registering a connection: this arms the
      // session's expiry timer for it (no-op for a session without live connections).
      if (user?.sessionId && user.sessionExpiresAt !== undefined) connections.noteSessionExpiry(user.sessionId, user.sessionExpiresAt);
      return user;
    },
  };

  const httpServer = createServer();
  let closeRemix: () => Promise<void>;
  let sockets: ReturnType<typeof attachSocketServer>;
  let collab: CollabEndpoint;
  try {
    const remix = await mountRemix(options.remix ?? "build");
    closeRemix = remix.closeRemix;
    httpServer.on("request", createHttpApp(services, remix.mount));
    sockets = attachSocketServer(httpServer, services, {
      rateLimits: liveRateLimits(security.rateLimits.config),
      adapter: cluster.socketAdapter ?? undefined,
      presenceStore: cluster.redis ? new RedisPresenceStore({ redis: cluster.redis, prefix: cluster.names.presence }) : undefined,
    });
    collab = attachCollabEndpoint(httpServer, services, {
      store: new PostgresCollabStore(prisma, collabAppendPool),
      ...options.collab,
      fanOut: { bus: cluster.bus, channel: cluster.names.yjs },
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(env.PORT, env.HOST, () => {
        httpServer.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    // No web build, port taken…: let go of Redis and the database, or the process would hang.
    security.stop();
    await stopRevocations();
    await cluster.close();
    await collabAppendPool.end();
    await prisma.$disconnect();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  const matching =
    options.matching?.enabled === false
      ? null
      : new MatchingScheduler({ prisma, bus, logger, databaseUrl: options.databaseUrl }, options.matching);
  await matching?.start().catch((error) => logger.error({ err: error }, "matching scheduler could not list workspaces"));
  const purgeTimer = setInterval(() => {
    sessions.purgeExpired().catch((error) => logger.warn({ err: error }, "session purge failed"));
  }, 3_600_000);
  purgeTimer.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(purgeTimer);
      security.stop();
      const drained = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await sockets.close();
      await collab.close();
      // In-flight requests get a few seconds to finish; then the remaining connections go.
      const forced = setTimeout(() => httpServer.closeAllConnections(), 5_000);
      await drained;
      clearTimeout(forced);
      await closeRemix();
      // Pending reruns are cancelled, a running one finishes its transaction before the database goes.
      await matching?.close();
      // After the transports: their last presence releases and publications went through.
      await stopRevocations();
      await cluster.close();
      await collabAppendPool.end();
      await prisma.$disconnect();
    })());

  return { url: `http://127.0.0.1:${port}`, port, services, httpServer, close, collab, matching };
}

/**
 * Applies the revocations other instances publish. While Redis was unreachable some may have
 * been lost: when it is back, every session with a connection here is checked again.
 */
async function listenForRevocations(cluster: Cluster, connections: ConnectionRegistry, prisma: PrismaClient, logger: Logger) {
  if (cluster.mode === "single") return async () => {};
  const unsubscribe = await cluster.bus.subscribe(cluster.names.revoke, (payload) => {
    const revocation = decodeRevocation(payload);
    if (revocation) connections.applyRemote(revocation);
  });
  const stopReconnect = cluster.bus.onReconnect(() => {
    const ids = [...connections.sessionIds()].filter((id) => id !== "");
    if (ids.length === 0) return;
    prisma.session
      .findMany({ where: { id: { in: ids }, expiresAt: { gt: new Date() } }, select: { id: true } })
      .then((alive) => {
        const valid = new Set(alive.map((session) => session.id));
        for (const id of ids) if (!valid.has(id)) connections.applyRemote({ scope: "session", id, reason: "session_expired" });
      })
      .catch((error) => logger.warn({ err: error }, "sessions could not be checked after Redis came back"));
  });
  return async () => {
    stopReconnect();
    await unsubscribe().catch(() => {});
  };
}

async function mountRemix(mode: "build" | "dev" | "none"): Promise<{ mount: RemixMount | null; closeRemix: () => Promise<void> }> {
  if (mode === "none") return { mount: null, closeRemix: async () => {} };
  if (mode === "dev") {
    const vite = await import("vite");
    const devServer = await vite.createServer({ root: ROOT_DIR, server: { middlewareMode: true } });
    return {
      mount: {
        mode: "development",
        assets: [devServer.middlewares],
        build: () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
      },
      closeRemix: () => devServer.close(),
    };
  }
  const buildPath = join(ROOT_DIR, "build", "server", "index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const clientDir = join(ROOT_DIR, "build", "client");
  return {
    mount: {
      mode: "production",
      assets: [
        express.static(join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }),
        express.static(clientDir, { maxAge: "1h", index: false }),
      ],
      build,
    },
    closeRemix: async () => {},
  };
}
