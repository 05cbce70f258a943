import type { AuthService } from "./auth/account.ts";
import type { SessionStore, SessionUser } from "./auth/sessions.ts";
import type { Cluster } from "./cluster/cluster.ts";
import type { PrismaClient } from "./db/client.ts";
import type { Env } from "./env.ts";
import type { DomainEventBus } from "./events/bus.ts";
import type { RateLimiter } from "./http/rate-limit.ts";
import type { Logger } from "./logger.ts";
import type { Domain } from "./domain/index.ts";
import type { ConnectionRegistry } from "./realtime/connections.ts";

/**
 * Everything a request handler may use, built once by the composition root (server/index.ts)
 * and handed to Remix through getLoadContext, to the REST API and to the sockets.
 */
export interface AppServices {
  env: Env;
  logger: Logger;
  prisma: PrismaClient;
  bus: DomainEventBus;
  sessions: SessionStore;
  /**
   * Login with rate limits and lockout, password change, logout everywhere: the one path for the
   * JSON API and the Remix login page (docs/decisions/027, 028).
   */
  auth: AuthService;
  /** The named HTTP rate limits (docs/decisions/026). */
  rateLimits: RateLimiter;
  domain: Domain;
  /** Every live connection (Socket.IO, /yjs/) by user and session, for revocation. */
  connections: ConnectionRegistry;
  /** The other server instances: none (single) or Redis (multi-instance mode, REDIS_URL). */
  cluster: Cluster;
  /**
   * The one logout, for every path (REST and the Remix route): deletes the session, then closes
   * the live connections opened with it.
   */
  logout(sessionToken: string): Promise<void>;
  /** Resolves the session cookie of a request (HTTP or upgrade) to its user. */
  userFromCookieHeader(cookieHeader: string | null | undefined): Promise<SessionUser | null>;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    services: AppServices;
    /** This response's CSP nonce (server/http/security.ts), for app/entry.server.tsx and root.tsx. */
    cspNonce: string;
    /** The client's address as express resolved it (trust proxy: loopback), for rate limits. */
    clientIp: string;
  }
}
