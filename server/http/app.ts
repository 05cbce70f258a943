import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { z } from "zod";
import { LoginSchema } from "../../app/lib/schemas.ts";
import { rateLimitedError } from "../auth/account.ts";
import { clearedSessionCookie, readSessionToken, sessionCookie } from "../auth/session-cookie.ts";
import { publicUser } from "../auth/sessions.ts";
import type { AppServices } from "../services.ts";
import { apiV1Router } from "./api/v1.ts";
import { AppError, isAppError } from "./errors.ts";
import { api, parse } from "./handler.ts";
import { checkDatabase } from "./health.ts";
import { apiRateLimits, originGuard, requestAddress, retryAfterHeader, securityHeaders } from "./security.ts";

/** Change password: the current one (checked, throttled) and the new one (the password policy decides its length). */
const ChangePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(4096),
});

export interface RemixMount {
  /** Serves the browser bundle (static files, or Vite's dev middleware). */
  assets: RequestHandler[];
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "production" | "development";
}

/** Express app: health, auth, REST API, then Remix for every page. */
export function createHttpApp(services: AppServices, remix: RemixMount | null) {
  const app = express();
  const { logger, env } = services;
  app.disable("x-powered-by");
  // Who may name the client in X-Forwarded-For (rate limits by address); Socket.IO uses the same setting.
  app.set("trust proxy", env.TRUST_PROXY);

  app.use((req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      if (req.path.startsWith("/assets/")) return;
      logger.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) },
        "request",
      );
    });
    next();
  });
  // Headers and the CSP nonce (docs/decisions/025), then the cross-site write check.
  app.use(securityHeaders(env, remix?.mode ?? "production"));
  app.use(originGuard(env));

  // 503 only when the database does not answer. In multi-instance mode Redis is reported too, but
  // a Redis outage affects every instance alike and each one still serves its own clients: taking
  // them all out of the load balancer would turn a degradation into an outage (decision 012).
  app.get("/healthz", async (_req, res) => {
    const [health, redis] = await Promise.all([checkDatabase(services.prisma), services.cluster.checkRedis()]);
    res.status(health.ok ? 200 : 503).json({
      status: health.ok ? "ok" : "unavailable",
      database: health.ok ? "up" : "down",
      databaseLatencyMs: health.latencyMs,
      ...(redis ? { redis: redis.ok ? "up" : "down", redisLatencyMs: redis.latencyMs } : {}),
      uptimeSeconds: Math.round(process.uptime()),
    });
  });

  const json = express.json({ limit: "256kb", strict: true });
  const cookieOptions = { maxAgeSeconds: env.SESSION_DAYS * 86_400, secure: env.COOKIE_SECURE === "1" };

  // Per address for every /api request, per address and user for writes (docs/decisions/026).
  app.use("/api", apiRateLimits(services.rateLimits, services.sessions));

  app.post(
    "/api/auth/login",
    json,
    api(services, async ({ req, res }) => {
      const body = parse(LoginSchema, req.body);
      const result = await services.auth.login({
        email: body.email,
        password: body.password,
        ip: requestAddress(req),
        userAgent: req.get("user-agent"),
      });
      // The same 429 whether or not the account exists (docs/decisions/027).
      if (!result.ok && result.code === "rate_limited") throw rateLimitedError(result.retryAfterSeconds * 1000);
      // One message for unknown email and wrong password: do not reveal which accounts exist.
      if (!result.ok) throw new AppError("unauthenticated", "メールアドレスまたはパスワードが正しくありません / Wrong email or password");
      res.setHeader("Set-Cookie", sessionCookie(result.token, cookieOptions));
      return { user: publicUser(result.user) };
    }),
  );
  app.post(
    "/api/auth/logout",
    api(services, async ({ req, res }) => {
      const token = readSessionToken(req.headers.cookie);
      if (token) await services.logout(token);
      res.setHeader("Set-Cookie", clearedSessionCookie(cookieOptions.secure));
      return { ok: true };
    }),
  );
  // Ends every session of the caller (this one too) and closes all their live connections.
  app.post(
    "/api/auth/logout-all",
    api(services, async ({ res, user }) => {
      const result = await services.auth.logoutEverywhere(await user());
      res.setHeader("Set-Cookie", clearedSessionCookie(cookieOptions.secure));
      return { ok: true, ...result };
    }),
  );
  // Change password: the caller stays signed in here; every other session ends (docs/decisions/027).
  app.post(
    "/api/auth/password",
    json,
    api(services, async ({ req, user }) => {
      const body = parse(ChangePasswordSchema, req.body);
      const result = await services.auth.changePassword(await user(), body.currentPassword, body.newPassword);
      return { ok: true, ...result };
    }),
  );
  app.get("/api/auth/me", api(services, async ({ user }) => ({ user: publicUser(await user()) })));

  app.use("/api/v1", json, apiV1Router(services));
  app.use("/api", (_req, _res, next) => next(new AppError("not_found", "No such API endpoint")));
  app.use("/api", retryAfterHeader, apiErrorHandler(services));

  if (remix) {
    app.use(...remix.assets);
    app.all(
      "*",
      createRequestHandler({
        build: remix.build,
        mode: remix.mode,
        getLoadContext: (req, res) => ({ services, cspNonce: String(res.locals.cspNonce ?? ""), clientIp: requestAddress(req) }),
      }),
    );
  }
  app.use(retryAfterHeader, apiErrorHandler(services));
  return app;
}

/** Named JSON errors for API callers; malformed JSON is a 400 with a message, never a 500. */
function apiErrorHandler(services: AppServices): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return res.end();
    let appError: AppError;
    if (isAppError(error)) appError = error;
    else if (error?.type === "entity.parse.failed") {
      appError = new AppError("invalid_json", `リクエストの JSON が不正です / Malformed JSON: ${error.message}`);
    } else if (error?.type === "entity.too.large") {
      appError = new AppError("payload_too_large", "リクエストが大きすぎます / Request body too large");
    } else if (typeof error?.status === "number" && error.status >= 400 && error.status < 500) {
      appError = new AppError("bad_request", String(error.message ?? "Bad request"));
    } else {
      services.logger.error({ err: error, path: req.path }, "unhandled error");
      appError = isDatabaseUnavailable(error)
        ? new AppError("unavailable", "データベースに接続できません / Database unavailable")
        : new AppError("internal", "サーバーエラーが発生しました / Internal server error");
    }
    res.status(appError.status).json({
      error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) },
    });
  };
}

function isDatabaseUnavailable(error: unknown): boolean {
  const text = String((error as { message?: string })?.message ?? "") + String((error as { code?: string })?.code ?? "");
  return /ECONNREFUSED|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|DatabaseNotReachable|P1001/i.test(text);
}
