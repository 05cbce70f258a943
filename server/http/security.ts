import { randomBytes } from "node:crypto";
import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { AuthService, rateLimitedError } from "../auth/account.ts";
import { LoginThrottle } from "../auth/login-throttle.ts";
import { readSessionToken } from "../auth/session-cookie.ts";
import type { SessionStore } from "../auth/sessions.ts";
import type { Cluster } from "../cluster/cluster.ts";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import type { ConnectionRegistry } from "../realtime/connections.ts";
import { createOriginCheck } from "../realtime/origin.ts";
import { AppError } from "./errors.ts";
import { addressKey, RateLimiter, rateLimitsFromEnv } from "./rate-limit.ts";
import { RedisRateLimitStore } from "./redis-rate-limit.ts";

/**
 * Web security at the HTTP edge (docs/decisions/025-content-security-policy.md): security headers
 * with a per-request CSP nonce, the Origin check that refuses cross-site writes, and the /api
 * rate limits.
 */

/** 128 random bits per response, as CSP3 asks ("at least 128 bits"), base64 (nonce-source syntax). */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

export interface CspOptions {
  nonce: string;
  /** Origins of MAP_STYLE_URL / MAP_TILE_URL (tiles, style JSON, glyphs, sprites). */
  mapOrigins: string[];
  /** This server's WebSocket origins (ws://host, wss://host): Socket.IO and /yjs/. */
  socketOrigins: string[];
  /** Vite's dev server: HMR WebSocket on another port, eval-based tooling. */
  development: boolean;
  /** Behind HTTPS (COOKIE_SECURE=1): upgrade any stray http:// subresource. */
  upgradeInsecureRequests: boolean;
}

/**
 * The page policy. Scripts run only with this response's nonce; `'strict-dynamic'` lets them load
 * the route chunks they import, and `'self'` is the fallback for browsers without CSP3.
 * Styles allow `'unsafe-inline'`: React renders `style={…}` as style attributes and MapLibre
 * positions its markers and popups with inline styles; a nonce cannot cover style attributes,
 * and CSS cannot run script (decision 025 weighs it).
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const map = options.mapOrigins;
  const devConnect = options.development ? ["ws://localhost:*", "ws://127.0.0.1:*", "http://localhost:*"] : [];
  const directives: Array<[string, string[]]> = [
    ["default-src", ["'self'"]],
    ["script-src", ["'self'", `'nonce-${options.nonce}'`, "'strict-dynamic'", ...(options.development ? ["'unsafe-eval'"] : [])]],
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["img-src", ["'self'", "data:", "blob:", ...map]],
    ["font-src", ["'self'", "data:"]],
    ["connect-src", ["'self'", ...options.socketOrigins, ...map, ...devConnect]],
    // MapLibre runs its tile parsing in Web Workers created from a blob: URL.
    ["worker-src", ["'self'", "blob:"]],
    ["child-src", ["'self'", "blob:"]],
    ["manifest-src", ["'self'"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["frame-ancestors", ["'none'"]],
    ["form-action", ["'self'"]],
  ];
  if (options.upgradeInsecureRequests) directives.push(["upgrade-insecure-requests", []]);
  return directives.map(([name, values]) => [name, ...dedupe(values)].join(" ")).join("; ");
}

/** JSON and files need no scripts at all; the policy only stops them being framed or rendered as pages. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/** Origins (scheme://host[:port]) of the configured map URLs; templates like {z} are fine. */
export function mapOrigins(env: Pick<Env, "MAP_STYLE_URL" | "MAP_TILE_URL">): string[] {
  const origins: string[] = [];
  for (const url of [env.MAP_STYLE_URL, env.MAP_TILE_URL]) {
    if (!url) continue;
    try {
      const origin = new URL(url).origin;
      if (origin !== "null") origins.push(origin);
    } catch {
      // env.ts already refused anything that is not a URL.
    }
  }
  return dedupe(origins);
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** ws:// and wss:// for the host the page was served from (or PUBLIC_URL's), when it is well-formed. */
export function socketOrigins(host: string | undefined, publicUrl: string | undefined): string[] {
  let h = host;
  if (publicUrl) {
    try {
      h = new URL(publicUrl).host;
    } catch {
      /* env.ts validated it */
    }
  }
  if (!h || !HOST.test(h)) return [];
  return [`ws://${h}`, `wss://${h}`];
}

/**
 * Security headers on every response; the CSP nonce goes to `res.locals.cspNonce`, from where
 * getLoadContext hands it to Remix (app/entry.server.tsx, app/root.tsx).
 *
 * In development (Vite middleware, `remix: "dev"`) the same policy, relaxed for Vite's HMR
 * WebSocket and tooling, is sent as Content-Security-Policy-Report-Only: violations show in the
 * console, nothing is blocked, HMR keeps working.
 */
export function securityHeaders(env: Env, mode: "production" | "development"): RequestHandler {
  const maps = mapOrigins(env);
  const secure = env.COOKIE_SECURE === "1";
  const development = mode === "development";
  return (req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    // Old browsers without frame-ancestors.
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), browsing-topics=()");
    // A year, without includeSubDomains: a municipality's other hosts under the same domain are
    // not ours to pin to HTTPS (decision 025).
    if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
    if (req.path.startsWith("/api/")) {
      res.setHeader("Content-Security-Policy", API_CSP);
    } else {
      // Only pages need one (an API flood should not cost 16 random bytes per refusal).
      const nonce = createNonce();
      res.locals.cspNonce = nonce;
      const policy = contentSecurityPolicy({
        nonce,
        mapOrigins: maps,
        socketOrigins: socketOrigins(req.headers.host, env.PUBLIC_URL),
        development,
        upgradeInsecureRequests: secure,
      });
      res.setHeader(development ? "Content-Security-Policy-Report-Only" : "Content-Security-Policy", policy);
    }
    next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const CROSS_SITE_MESSAGE =
  "別のサイトからの送信は受け付けられません。画面を再読み込みしてからお試しください / Cross-site request refused: the Origin is not allowed";

/**
 * CSRF: a state-changing request whose Origin header names another site is refused with 403,
 * on the API and on Remix actions alike (a cross-site form post to /login would otherwise log a
 * victim into the attacker's account). Same allow-list as Socket.IO and /yjs/ (server's own
 * host + ALLOWED_ORIGINS). Requests without Origin (curl, server-to-server) carry no victim's
 * browser session across sites and pass; SameSite=Lax cookies stay the first line.
 */
export function originGuard(env: Env): RequestHandler {
  const originAllowed = createOriginCheck(env.ALLOWED_ORIGINS);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    if (origin === undefined || originAllowed(origin, req.headers.host)) return next();
    next(new AppError("forbidden", CROSS_SITE_MESSAGE, { origin }));
  };
}

/** Endpoints that are never limited as writes: nobody may be kept from logging out. Login has its own limits. */
const NOT_WRITES = new Set(["/api/auth/login", "/api/auth/logout", "/api/auth/logout-all"]);

/**
 * /api limits (mounted on /api): every request per client address; writes also per address and
 * per signed-in user. Refusals are 429 `rate_limited` with Retry-After, decided before any
 * handler, so a flood costs a Map lookup (and, for writes, one primary-key read of the session).
 */
export function apiRateLimits(limiter: RateLimiter, sessions: SessionStore): RequestHandler {
  return (req, _res, next) => {
    void (async () => {
      const address = addressKey(req.ip ?? req.socket.remoteAddress ?? "");
      let refused = await limiter.check("apiIp", address);
      const path = req.baseUrl + req.path;
      if (!refused && !SAFE_METHODS.has(req.method) && !NOT_WRITES.has(path)) {
        refused = await limiter.check("writeIp", address);
        if (!refused && limiter.config.writeUser) {
          const token = readSessionToken(req.headers.cookie);
          const userId = token ? await sessions.userIdForToken(token) : null;
          if (userId) refused = await limiter.check("writeUser", userId);
        }
      }
      next(refused ? rateLimitedError(refused.retryAfterMs) : undefined);
    })().catch(next);
  };
}

/** Retry-After on every 429 that carries `details.retryAfterSeconds`; then the next error handler. */
export const retryAfterHeader: ErrorRequestHandler = (error, _req, res, next) => {
  const seconds = (error as AppError | undefined)?.code === "rate_limited" ? (error as AppError).details : undefined;
  const value = (seconds as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof value === "number" && !res.headersSent) res.setHeader("Retry-After", String(value));
  next(error);
};

/** The client address express resolved (trust proxy: loopback), for Remix's load context. */
export function requestAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "";
}

/**
 * The security services, built once by the composition root: the rate limiter (buckets in memory
 * with one instance, in Redis shared by all in multi-instance mode: decisions 026 and 071) and the
 * login/password/logout-everywhere service.
 */
export function createSecurityServices(
  env: Env,
  deps: { sessions: SessionStore; connections: ConnectionRegistry; cluster?: Pick<Cluster, "redis" | "names">; logger?: Logger },
) {
  const store =
    deps.cluster?.redis && deps.logger
      ? new RedisRateLimitStore({ redis: deps.cluster.redis, prefix: deps.cluster.names.rateLimits, logger: deps.logger.child({ module: "rate-limit" }) })
      : undefined;
  const rateLimits = new RateLimiter(rateLimitsFromEnv(env as unknown as Record<string, string | undefined>), store);
  const throttle = new LoginThrottle({
    maxFailures: env.LOGIN_MAX_FAILURES,
    baseLockoutMs: env.LOGIN_LOCKOUT_SECONDS * 1000,
    maxLockoutMs: Math.max(env.LOGIN_LOCKOUT_SECONDS, env.LOGIN_LOCKOUT_MAX_SECONDS) * 1000,
    resetAfterMs: Math.max(900_000, 2 * env.LOGIN_LOCKOUT_MAX_SECONDS * 1000),
  });
  const auth = new AuthService({ sessions: deps.sessions, connections: deps.connections, limiter: rateLimits, throttle });
  const pruneTimer = setInterval(() => {
    rateLimits.prune();
    throttle.prune();
  }, 60_000);
  pruneTimer.unref();
  return { rateLimits, auth, stop: () => clearInterval(pruneTimer) };
}
