import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { LoginSchema } from "../../app/lib/schemas.ts";
import { clearedSessionCookie, readSessionToken, sessionCookie } from "../auth/session-cookie.ts";
import { publicUser } from "../auth/sessions.ts";
import type { AppServices } from "../services.ts";
import { apiV1Router } from "./api/v1.ts";
import { AppError, isAppError } from "./errors.ts";
import { api, parse } from "./handler.ts";
import { checkDatabase } from "./health.ts";

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
  app.set("trust proxy", "loopback");

  app.use((req, res, next) => {
    const started = performance.now();
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.on("finish", () => {
      if (req.path.startsWith("/assets/")) return;
      logger.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) },
        "request",
      );
    });
    next();
  });

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

  app.post(
    "/api/auth/login",
    json,
    api(services, async ({ req, res }) => {
      const body = parse(LoginSchema, req.body);
      const result = await services.sessions.login(body.email, body.password, req.get("user-agent"));
      // One message for unknown email and wrong password: do not reveal which accounts exist.
      if (!result) throw new AppError("unauthenticated", "メールアドレスまたはパスワードが正しくありません / Wrong email or password");
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
  app.get("/api/auth/me", api(services, async ({ user }) => ({ user: publicUser(await user()) })));

  app.use("/api/v1", json, apiV1Router(services));
  app.use("/api", (_req, _res, next) => next(new AppError("not_found", "No such API endpoint")));
  app.use("/api", apiErrorHandler(services));

  if (remix) {
    app.use(...remix.assets);
    app.all(
      "*",
      createRequestHandler({
        build: remix.build,
        mode: remix.mode,
        getLoadContext: () => ({ services }),
      }),
    );
  }
  app.use(apiErrorHandler(services));
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
