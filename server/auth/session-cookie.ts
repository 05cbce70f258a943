import { parse, serialize } from "cookie";

/** The one cookie name, shared by HTTP, Socket.IO and /yjs/ authentication. */
export const SESSION_COOKIE = "tsunagu_session";

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  const token = parse(cookieHeader)[SESSION_COOKIE];
  // Tokens are 43 base64url characters; anything else is not ours and not worth a query.
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

export function sessionCookie(token: string, options: { maxAgeSeconds: number; secure: boolean }) {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: options.secure,
    path: "/",
    maxAge: options.maxAgeSeconds,
  });
}

export function clearedSessionCookie(secure: boolean) {
  return serialize(SESSION_COOKIE, "", {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: 0,
  });
}
