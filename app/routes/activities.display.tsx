import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { parse, serialize } from "cookie";
import { displayCookie } from "~/features/residents/display.server";
import { DISPLAY_COOKIE, parseDisplay } from "~/features/residents/display";
import { cookieIsSecure } from "~/lib/auth.server";
import { LOCALE_COOKIE } from "~/lib/i18n";
import { safeRedirectPath } from "~/lib/safe-redirect";

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** GET /activities/display has nothing to show: back to the list. */
export function loader() {
  return redirect("/activities");
}

/**
 * The residents' display settings (a plain form POST, so it works without JavaScript): one choice
 * per submission — reading (ja / easy / en), text size, contrast — remembered in cookies, then back
 * to the page the reader was on (303, so a reload does not post again).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const secure = cookieIsSecure(context);
  const prefs = parseDisplay(
    parse(request.headers.get("Cookie") ?? "")[DISPLAY_COOKIE]
  );
  const headers = new Headers();
  const reading = form.get("reading");
  if (reading === "ja" || reading === "en" || reading === "easy") {
    prefs.easy = reading === "easy";
    headers.append(
      "Set-Cookie",
      serialize(LOCALE_COOKIE, reading === "en" ? "en" : "ja", {
        path: "/",
        sameSite: "lax",
        secure,
        maxAge: ONE_YEAR_SECONDS,
      })
    );
  }
  const text = form.get("text");
  if (text === "normal" || text === "large") prefs.large = text === "large";
  const contrast = form.get("contrast");
  if (contrast === "normal" || contrast === "high")
    prefs.contrast = contrast === "high";
  headers.append("Set-Cookie", displayCookie(prefs, secure));
  return redirect(safeRedirectPath(form.get("redirectTo")) ?? "/activities", {
    status: 303,
    headers,
  });
}
