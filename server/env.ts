import { z } from "zod";
import { RATE_SYNTAX, trustedProxies } from "./http/rate-limit.ts";

/** A limit such as `10/1m` (burst 10, 10 more per minute), `40/2s`, or `off`. */
const Rate = z.string().trim().regex(RATE_SYNTAX, "a rate such as 10/1m, 40/2s, 600/h, or off").optional();

/**
 * Every setting the server reads, parsed once at boot. A bad value stops the process with a
 * message that names the variable, instead of failing later in some request.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** @default 3000 */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** @default "0.0.0.0" */
  HOST: z.string().min(1).default("0.0.0.0"),
  /** PostgreSQL URL. Unset → an embedded PostgreSQL under DATA_DIR is started with the server. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  /** Where the embedded PostgreSQL keeps its data. @default ".data" */
  DATA_DIR: z.string().min(1).default(".data"),
  /** "1" seeds the demo platform into an empty DATABASE_URL database (always on for embedded). */
  SEED_DEMO: z.enum(["0", "1"]).default("0"),
  /**
   * Redis: set → multi-instance mode (Socket.IO's Redis adapter, Yjs and revocation fan-out,
   * shared presence and locks; docs/decisions/012). Unset → single instance, no Redis at all.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
    .optional(),
  /**
   * `off`: this instance never reruns matching (e.g. an instance that only serves pages, or tests
   * of the transports that need versions to move only when they write). @default "on"
   */
  MATCHING: z.enum(["on", "off"]).default("on"),
  /** Prefix of every Redis key and channel, so deployments can share a Redis. @default "tsunagu" */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "letters, digits and _ . : - only (1–64)")
    .default("tsunagu"),
  /**
   * Proxies whose X-Forwarded-For names the client (rate limits, logs): addresses, CIDR ranges and
   * loopback / linklocal / uniquelocal, comma-separated — express's `trust proxy` syntax.
   * @default "loopback" (a reverse proxy on the same machine)
   */
  TRUST_PROXY: z
    .string()
    .default("loopback")
    .refine((value) => {
      try {
        trustedProxies(value);
        return true;
      } catch {
        return false;
      }
    }, "comma-separated addresses, CIDR ranges or loopback / linklocal / uniquelocal"),
  /** Comma-separated origins allowed for Socket.IO and /yjs/ besides the server's own. */
  ALLOWED_ORIGINS: z.string().default(""),
  /** Public base URL, used in links. @default http://localhost:PORT */
  PUBLIC_URL: z.string().url().optional(),
  /** Optional MapLibre base-map style URL (e.g. 地理院タイル); unset → inline offline style. */
  MAP_STYLE_URL: z.string().url().regex(/^https?:\/\//, "must be an http(s) URL").optional(),
  /**
   * Optional raster/vector tile URL template, e.g. https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png.
   * Its origin (and MAP_STYLE_URL's) is allowed in the CSP's img-src and connect-src.
   */
  MAP_TILE_URL: z.string().url().regex(/^https?:\/\//, "must be an http(s) URL").optional(),
  /**
   * Attribution shown on the map for MAP_TILE_URL's tiles (plain text). Unset with 地理院タイル
   * (cyberjapandata.gsi.go.jp) → 「地理院タイル」 (app/features/map/base-map.ts).
   */
  MAP_TILE_ATTRIBUTION: z.string().max(200).optional(),
  /** Link of the attribution, an http(s) URL. */
  MAP_TILE_ATTRIBUTION_URL: z.string().url().regex(/^https?:\/\//, "must be an http(s) URL").optional(),
  /** @default "info" */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Session lifetime in days. @default 14 */
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** "1" marks the session cookie Secure (behind HTTPS) and sends HSTS. @default "0" */
  COOKIE_SECURE: z.enum(["0", "1"]).default("0"),
  /**
   * Rate limits (docs/decisions/026): `<count>/<window>` token buckets, or `off`. Unset → the
   * defaults in server/http/rate-limit.ts (under NODE_ENV=test the new ones are off unless set).
   */
  RATE_LIMIT_LOGIN_IP: Rate,
  RATE_LIMIT_LOGIN_ACCOUNT: Rate,
  RATE_LIMIT_API_IP: Rate,
  RATE_LIMIT_WRITE_USER: Rate,
  RATE_LIMIT_WRITE_IP: Rate,
  RATE_LIMIT_SOCKET: Rate,
  RATE_LIMIT_SOCKET_USER: Rate,
  RATE_LIMIT_SOCKET_IP: Rate,
  /** Failed public check-ins per client address / per check-in code (decision 055). @default "20/10m" / "30/10m" */
  RATE_LIMIT_CHECK_IN_IP: Rate,
  RATE_LIMIT_CHECK_IN_CODE: Rate,
  /** Failed logins in a row before an account is locked for a while. @default 5 */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** First lockout; each further failure doubles it. @default 30 */
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  /** Longest lockout. @default 900 */
  LOGIN_LOCKOUT_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

/** Parses the environment; throws EnvError listing every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** The subset of settings the browser may see. */
export function publicEnv(env: Env) {
  return {
    MAP_STYLE_URL: env.MAP_STYLE_URL ?? null,
    MAP_TILE_URL: env.MAP_TILE_URL ?? null,
    MAP_TILE_ATTRIBUTION: env.MAP_TILE_ATTRIBUTION ?? null,
    MAP_TILE_ATTRIBUTION_URL: env.MAP_TILE_ATTRIBUTION_URL ?? null,
  };
}
