import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearedSessionCookie, cookieIsSecure, readSessionToken } from "~/lib/auth.server";

/** GET changes nothing (a prefetch or an <img src> must not log anyone out). */
export function loader() {
  throw redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = readSessionToken(request.headers.get("Cookie"));
  // Deletes the session and closes its live connections (Socket.IO, /yjs/) at once.
  if (token) await context.services.logout(token);
  throw redirect("/", { headers: { "Set-Cookie": clearedSessionCookie(cookieIsSecure(context)) } });
}
