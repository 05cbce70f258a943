/**
 * Composition root and boot order of the Tsunagu process:
 *   env (fail fast) → logger → database (DATABASE_URL, or an embedded PostgreSQL under DATA_DIR)
 *   → migrations → demo seed (embedded, or SEED_DEMO=1 on an empty database) → Redis when
 *   REDIS_URL is set (multi-instance mode) → HTTP + Socket.IO + /yjs/ on one port → graceful
 *   shutdown on SIGTERM/SIGINT (transports first, then Redis, then the database).
 */
import { join, resolve } from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./db/embedded.ts";
import { applyMigrations } from "./db/migrate.ts";
import { createPrisma } from "./db/client.ts";
import { EnvError, parseEnv, type Env } from "./env.ts";
import { createLogger, type Logger } from "./logger.ts";
import { ROOT_DIR, startServer, type RunningServer } from "./app-server.ts";

async function main() {
  let env: Env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));

  let embedded: EmbeddedPostgres | undefined;
  let server: RunningServer | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    try {
      await server?.close();
      await embedded?.stop();
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = resolve(ROOT_DIR, env.DATA_DIR, "postgres");
    embedded = await startEmbeddedPostgres({ dataDir, logger: embeddedLogger(logger) });
    logger.info({ port: embedded.port, ...embedded.timings }, "embedded PostgreSQL started");
    databaseUrl = embedded.connectionString;
  }

  const migrated = await applyMigrations({
    connectionString: databaseUrl,
    migrationsDir: join(ROOT_DIR, "prisma", "migrations"),
    schemaPath: join(ROOT_DIR, "prisma", "schema.prisma"),
    logger: logger.child({ module: "migrate" }),
  });
  if (migrated.applied.length > 0) logger.debug({ applied: migrated.applied }, "migrations applied");

  // A real deployment never gets demo accounts by accident: only the embedded database or an
  // explicit SEED_DEMO=1 is seeded, and only when empty.
  if (embedded || env.SEED_DEMO === "1") await seedIfEmpty(databaseUrl, logger);

  server = await startServer({
    env,
    databaseUrl,
    logger,
    remix: env.NODE_ENV === "development" ? "dev" : "build",
    matching: { enabled: env.MATCHING === "on" },
  });
  const shownHost = env.HOST === "0.0.0.0" ? "localhost" : env.HOST;
  logger.info({ url: `http://${shownHost}:${server.port}` }, "Tsunagu is ready");
}

async function seedIfEmpty(databaseUrl: string, logger: Logger) {
  const { seedDemo } = await import("../prisma/seed/demo.ts");
  const prisma = createPrisma(databaseUrl, { max: 4 });
  try {
    const started = performance.now();
    const summary = await seedDemo(prisma);
    if (!("skipped" in summary && summary.skipped)) {
      logger.info({ ...summary, ms: Math.round(performance.now() - started) }, "demo platform seeded");
    }
  } finally {
    await prisma.$disconnect();
  }
}

function embeddedLogger(logger: Logger) {
  const child = logger.child({ module: "embedded-postgres" });
  return {
    info: (message: string) => child.info(message),
    warn: (message: string) => child.warn(message),
  };
}

main().catch((error) => {
  console.error("Tsunagu failed to start:", error instanceof Error ? error.message : error);
  if (process.env.LOG_LEVEL === "debug") console.error(error);
  process.exit(1);
});
