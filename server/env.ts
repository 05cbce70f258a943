import { z } from "zod";

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
  /** Prefix of every Redis key and channel, so deployments can share a Redis. @default "tsunagu" */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "letters, digits and _ . : - only (1–64)")
    .default("tsunagu"),
  /** Comma-separated origins allowed for Socket.IO and /yjs/ besides the server's own. */
  ALLOWED_ORIGINS: z.string().default(""),
  /** Public base URL, used in links. @default http://localhost:PORT */
  PUBLIC_URL: z.string().url().optional(),
  /** Optional MapLibre base-map style URL (e.g. 地理院タイル); unset → inline offline style. */
  MAP_STYLE_URL: z.string().url().optional(),
  /** @default "info" */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Session lifetime in days. @default 14 */
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** "1" marks the session cookie Secure (behind HTTPS). @default "0" */
  COOKIE_SECURE: z.enum(["0", "1"]).default("0"),
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
  return { MAP_STYLE_URL: env.MAP_STYLE_URL ?? null };
}
