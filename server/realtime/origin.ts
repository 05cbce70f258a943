/**
 * Origin allow-list for Socket.IO and /yjs/: the server's own host, plus ALLOWED_ORIGINS.
 * Requests without an Origin header (non-browser clients, which cannot ride a victim's cookie
 * across sites) are allowed; a browser always sends one on cross-origin WebSocket handshakes.
 */
export function createOriginCheck(allowedOrigins: string) {
  const extra = new Set(
    allowedOrigins
      .split(",")
      .map((s) => s.trim().replace(/\/$/, ""))
      .filter(Boolean),
  );
  return (origin: string | undefined, host: string | undefined): boolean => {
    if (!origin) return true;
    if (extra.has(origin)) return true;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  };
}
