import { data, redirect, type AppLoadContext } from "@remix-run/node";
import type { SessionUser } from "../../server/auth/sessions.ts";

export { clearedSessionCookie, readSessionToken, sessionCookie } from "../../server/auth/session-cookie.ts";
export type { SessionUser };

/**
 * Request glue between Remix and the server's services. Loaders of one request run in parallel
 * and each needs the caller; memoizing per Request object resolves the session once.
 */
const usersByRequest = new WeakMap<Request, Promise<SessionUser | null>>();

export function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  let user = usersByRequest.get(request);
  if (!user) {
    user = context.services.userFromCookieHeader(request.headers.get("Cookie"));
    usersByRequest.set(request, user);
  }
  return user;
}

/** The caller, or a redirect to the login page that brings them back here afterwards. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await getUser(request, context);
  if (!user) throw redirect(loginPath(request));
  return user;
}

export function loginPath(request: Request): string {
  const url = new URL(request.url);
  return `/login?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`;
}

export function cookieIsSecure(context: AppLoadContext): boolean {
  return context.services.env.COOKIE_SECURE === "1";
}

/** Session cookie lifetime from the server's settings. */
export function sessionMaxAgeSeconds(context: AppLoadContext): number {
  return context.services.env.SESSION_DAYS * 24 * 60 * 60;
}

/** Where a signed-in user lands when nothing else was asked for. */
export async function homePathFor(user: SessionUser, context: AppLoadContext): Promise<string> {
  const slug = await context.services.domain.pages.firstWorkspaceSlug({ user });
  return slug ? `/w/${encodeURIComponent(slug)}` : "/w";
}

/**
 * Duck-typed on purpose: in development Vite loads route modules as a second module instance, so
 * an AppError thrown by the server's domain layer is not `instanceof` the class seen here.
 */
function isAppErrorLike(error: unknown): error is { status: number; code: string; message: string } {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === "number" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/**
 * Runs a domain call and turns its AppError into a thrown Remix response with the same status
 * (caught by the nearest ErrorBoundary); anything else propagates as a 500.
 */
export async function orResponse<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAppErrorLike(error)) {
      throw data({ code: error.code, message: error.message }, { status: error.status });
    }
    throw error;
  }
}

/**
 * A page's query parameters — those the object schema names, as the JSON API checks them — or,
 * when they do not fit, a thrown 400 `validation_failed` response for the nearest ErrorBoundary.
 */
export function queryOrResponse<T>(
  request: Request,
  schema: { shape: object; safeParse(input: unknown): { success: true; data: T } | { success: false } },
): T {
  const search = new URL(request.url).searchParams;
  const parsed = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((name) => [name, search.get(name) ?? undefined])));
  if (!parsed.success) throw data({ code: "validation_failed", message: "入力内容に誤りがあります / Invalid input" }, { status: 400 });
  return parsed.data;
}
