/**
 * Returns `to` when it is a path on this site, else null. Refuses absolute URLs, protocol-relative
 * `//host` and `/\host` (browsers treat a backslash as a slash), and control characters, so a
 * crafted `?redirectTo=` cannot send a freshly logged-in user to another site.
 */
export function safeRedirectPath(to: unknown): string | null {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return null;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(to)) return null;
  const base = "http://tsunagu.invalid";
  try {
    const url = new URL(to, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}
