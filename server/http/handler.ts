import type { NextFunction, Request, RequestHandler, Response } from "express";
import { z } from "zod";
import type { SessionUser } from "../auth/sessions.ts";
import { requireAuthenticated } from "../auth/require.ts";
import type { AppServices } from "../services.ts";
import { AppError } from "./errors.ts";

/** Parses untrusted input with a zod schema; a refusal names every bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError(
      "validation_failed",
      "入力内容に誤りがあります / Invalid input",
      result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}

export interface ApiContext {
  req: Request;
  res: Response;
  services: AppServices;
  /** The caller; throws 401 when the request has no valid session. */
  user(): Promise<SessionUser>;
}

/**
 * Wraps an async JSON handler: resolves the caller lazily, sends the returned value as JSON,
 * and hands thrown errors to the error middleware.
 */
export function api(
  services: AppServices,
  handler: (ctx: ApiContext) => Promise<unknown>,
  options: { status?: number } = {},
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let cached: Promise<SessionUser> | undefined;
    const ctx: ApiContext = {
      req,
      res,
      services,
      user: () => {
        cached ??= services.userFromCookieHeader(req.headers.cookie).then(requireAuthenticated);
        return cached;
      },
    };
    handler(ctx)
      .then((body) => {
        if (res.headersSent) return;
        res.status(options.status ?? 200).json(body);
      })
      .catch(next);
  };
}

export const IdParam = z.string().min(1).max(64);
