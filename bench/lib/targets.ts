/**
 * The servers under test, each in its own child process (so /proc figures are per server):
 * - "reference": bench/reference-server.mjs (@y/websocket-server 0.1.1, in memory);
 * - "ours": `node --import tsx server/index.ts`, production mode, against a fresh migrated and
 *   seeded PostgreSQL database that is dropped afterwards.
 * Everything listens on 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { onCleanup } from "./cleanup.ts";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
const GUARD = path.join(ROOT, "bench", "child-guard.mjs");

export const COORDINATOR = { email: "coordinator@tsunagu.example", password: "tsunagu-demo" };

export type TargetKind = "reference" | "ours";

export interface RunningTarget {
  kind: TargetKind;
  pid: number;
  /** e.g. ws://127.0.0.1:4567/yjs (the provider appends /<docName>) */
  wsBase: string;
  docName: string;
  cookie: string | null;
  /** PostgreSQL backends serving this server (ours only), for the database CPU figure. */
  databasePids?: () => number[];
  /** Stops the child (SIGTERM, SIGKILL after a grace period) and drops its database. */
  stop(): Promise<void>;
  /** Last lines the child wrote to stdout/stderr. */
  output(): string;
  /** How the child ended ("exit 1", "SIGKILL"), or null while it runs. */
  exitInfo(): string | null;
}

type Log = (message: string) => void;

function isLoopback(host: string) {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "[::1]";
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Child {
  child: ChildProcess;
  output(): string;
  exitInfo(): string | null;
  exited: Promise<void>;
  stop(graceMs: number): Promise<void>;
}

/**
 * Spawns a server in its own process group (a Ctrl-C in the terminal reaches only the
 * benchmark, which then stops its children in order) with its stdin held by us (child-guard).
 */
function spawnServer(args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void, echo?: Log): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
      onLine?.(line);
      echo?.(line);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.stdin?.on("error", () => undefined);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    exited,
    output: () => lines.join("\n"),
    exitInfo: () => (running() ? null : child.signalCode ? String(child.signalCode) : `exit ${child.exitCode}`),
    async stop(graceMs) {
      if (!running()) return;
      child.kill("SIGTERM");
      const timedOut = await Promise.race([exited.then(() => false), delay(graceMs).then(() => true)]);
      if (timedOut && running()) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}

export async function startReference(options: { log: Log; verbose: boolean }): Promise<RunningTarget> {
  let resolvePort: (port: number) => void;
  const portKnown = new Promise<number>((resolve) => (resolvePort = resolve));
  const server = spawnServer(
    [...(process.env.BENCH_REF_NODE_ARGS?.split(" ").filter(Boolean) ?? []), path.join(ROOT, "bench", "reference-server.mjs")],
    { ...process.env, PORT: "0", NODE_ENV: "production" },
    (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolvePort(Number(match[1]));
    },
    options.verbose ? (line) => options.log(`[reference] ${line}`) : undefined,
  );
  const stop = onCleanup("reference server", () => server.stop(3_000));
  const port = await Promise.race([
    portKnown,
    server.exited.then(() => Promise.reject(new Error(`the reference server exited:\n${server.output()}`))),
    delay(15_000).then(() => Promise.reject(new Error("the reference server did not start within 15 s"))),
  ]);
  return {
    kind: "reference",
    pid: server.child.pid as number,
    wsBase: `ws://127.0.0.1:${port}/yjs`,
    // Same shape of name as against our server; the reference accepts any name.
    docName: `chart:bench-${randomBytes(4).toString("hex")}`,
    cookie: null,
    stop,
    output: server.output,
    exitInfo: server.exitInfo,
  };
}

// ───────────── PostgreSQL for our server ─────────────

export interface DatabaseServer {
  /** `postgres` database of the server: to create and drop the benchmark's databases. */
  adminUrl: string;
  description: string;
  settings: { version: string; fsync: string; synchronousCommit: string };
}

/**
 * The machine's PostgreSQL when reachable (a database is created on it per run of our server),
 * else an ephemeral embedded PostgreSQL (note: embedded ephemeral clusters run with fsync off).
 */
export async function openDatabaseServer(adminUrl: string, log: Log): Promise<DatabaseServer> {
  const host = new URL(adminUrl).hostname;
  if (!isLoopback(host)) throw new Error(`--pg must point at 127.0.0.1 (got ${host}): the benchmark sends traffic only to this machine`);
  let url = adminUrl;
  let description = `PostgreSQL at ${host}:${new URL(adminUrl).port || 5432}`;
  try {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
    await client.connect();
    await client.end();
  } catch (error) {
    log(`${adminUrl} is not reachable (${error instanceof Error ? error.message : String(error)}): starting an embedded PostgreSQL`);
    const { startEmbeddedPostgres } = await import("../../server/db/embedded.ts");
    const embedded = await startEmbeddedPostgres({
      ephemeral: true,
      database: "postgres",
      logger: { info: () => undefined, warn: (message) => log(`[embedded-postgres] ${message}`) },
    });
    onCleanup("embedded PostgreSQL", () => embedded.stop());
    url = embedded.adminConnectionString;
    description = `embedded ephemeral PostgreSQL on 127.0.0.1:${embedded.port}`;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = async (sql: string) => String(Object.values((await client.query(sql)).rows[0] ?? {})[0]);
    const settings = {
      version: await row("show server_version"),
      fsync: await row("show fsync"),
      synchronousCommit: await row("show synchronous_commit"),
    };
    return { adminUrl: url, description: `${description} (PostgreSQL ${settings.version})`, settings };
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

const utcStamp = (date: Date) => date.toISOString().replace(/\D/g, "").slice(0, 14); // YYYYMMDDHHMMSS

/** Databases of benchmark runs killed with -9 more than a day ago (the name carries the time). */
async function dropAbandonedBenchDatabases(db: DatabaseServer, log: Log) {
  const cutoff = utcStamp(new Date(Date.now() - 24 * 3600 * 1000));
  const { rows } = await adminQuery(db.adminUrl, String.raw`select datname from pg_database where datname ~ '^tsunagu_bench_\d{14}_[0-9a-f]+$'`);
  for (const { datname } of rows as Array<{ datname: string }>) {
    if (datname.split("_")[2] >= cutoff) continue;
    await adminQuery(db.adminUrl, `drop database if exists "${datname}" with (force)`).then(
      () => log(`dropped abandoned benchmark database ${datname}`),
      (error: Error) => log(`could not drop abandoned benchmark database ${datname}: ${error.message}`),
    );
  }
}

/** A fresh database, migrated and (unless `seed: false`) seeded with the demo platform; dropped by the cleanup. */
export async function createBenchDatabase(
  db: DatabaseServer,
  log: Log,
  options: { seed?: boolean } = {},
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  await dropAbandonedBenchDatabases(db, log);
  const name = `tsunagu_bench_${utcStamp(new Date())}_${randomBytes(3).toString("hex")}`;
  await adminQuery(db.adminUrl, `create database "${name}" template template0 encoding 'UTF8'`);
  const drop = onCleanup(`database ${name}`, async () => {
    await adminQuery(db.adminUrl, `drop database if exists "${name}" with (force)`);
  });
  const url = withDatabase(db.adminUrl, name);
  const t0 = performance.now();
  try {
    const { applyMigrations } = await import("../../server/db/migrate.ts");
    await applyMigrations({
      connectionString: url,
      migrationsDir: path.join(ROOT, "prisma", "migrations"),
      schemaPath: path.join(ROOT, "prisma", "schema.prisma"),
      logger: {
        info: () => undefined,
        warn: (obj, msg) => log(`[migrate] ${msg ?? (typeof obj === "string" ? obj : JSON.stringify(obj))}`),
        error: (obj, msg) => log(`[migrate] ${msg ?? (typeof obj === "string" ? obj : JSON.stringify(obj))}`),
      },
    });
    if (options.seed !== false) {
      const { seedDemo } = await import("../../prisma/seed/demo.ts");
      const { createPrisma } = await import("../../server/db/client.ts");
      const prisma = createPrisma(url, { max: 4 });
      try {
        await seedDemo(prisma);
      } finally {
        await prisma.$disconnect();
      }
    }
  } catch (error) {
    await drop();
    throw error;
  }
  log(`database ${name} migrated${options.seed !== false ? " and seeded" : ""} (${Math.round(performance.now() - t0)} ms)`);
  return { name, url, drop };
}

async function waitForHealth(base: string, exited: Promise<void>, output: () => string, timeoutMs: number) {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (gone) throw new Error(`our server exited during start-up:\n${output()}`);
    try {
      const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`our server did not answer /healthz within ${timeoutMs / 1000} s:\n${output()}`);
}

async function login(base: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(COORDINATOR),
  });
  if (response.status !== 200) throw new Error(`login as ${COORDINATOR.email} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error("login answered without a cookie");
  return cookie;
}

async function getJson(base: string, route: string, cookie: string) {
  const response = await fetch(`${base}${route}`, { headers: { cookie } });
  if (response.status !== 200) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { items: Array<{ id: string }> };
}

export async function startOurs(options: {
  db: DatabaseServer;
  log: Log;
  verbose: boolean;
  /** Directory for a V8 CPU profile of the server (written when it exits). */
  cpuProfDir?: string;
}): Promise<RunningTarget> {
  const { log } = options;
  const database = await createBenchDatabase(options.db, log);
  const port = await freePort();
  const args = [
    ...(options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    ...(process.env.BENCH_OURS_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
    "--import",
    "tsx",
    "--import",
    GUARD,
    path.join(ROOT, "server", "index.ts"),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: options.verbose ? "info" : "warn",
    NODE_ENV: "production",
    SEED_DEMO: "0",
  };
  delete env.REDIS_URL; // one instance: no fan-out through Redis
  const server = spawnServer(args, env, undefined, options.verbose ? (line) => log(`[ours] ${line}`) : undefined);
  // Registered after the database's cleanup, so it runs first: stop the server, then drop.
  const stopServer = onCleanup("our server", () => server.stop(20_000));
  const base = `http://127.0.0.1:${port}`;
  let cookie: string;
  let areaId: string;
  try {
    await waitForHealth(base, server.exited, server.output, 60_000);
    cookie = await login(base);
    const workspaces = await getJson(base, "/api/v1/workspaces", cookie);
    if (!workspaces.items[0]) throw new Error("the coordinator has no workspace");
    const areas = await getJson(base, `/api/v1/workspaces/${workspaces.items[0].id}/areas`, cookie);
    if (!areas.items[0]) throw new Error("the demo workspace has no area");
    areaId = areas.items[0].id;
  } catch (error) {
    await stopServer();
    await database.drop();
    throw error;
  }

  // Backends of this database (the server's pool), refreshed in the background for the meter.
  let backendPids: number[] = [];
  const monitor = new pg.Client({ connectionString: options.db.adminUrl });
  await monitor.connect();
  const refresh = async () => {
    const { rows } = await monitor.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [
      database.name,
    ]);
    backendPids = rows.map((r) => r.pid);
  };
  await refresh();
  const refresher = setInterval(() => void refresh().catch(() => undefined), 500);
  const stopMonitor = onCleanup("database monitor", async () => {
    clearInterval(refresher);
    await monitor.end().catch(() => undefined);
  });

  return {
    kind: "ours",
    pid: server.child.pid as number,
    wsBase: `ws://127.0.0.1:${port}/yjs`,
    docName: `chart:${areaId}`,
    cookie,
    databasePids: () => backendPids,
    async stop() {
      await stopMonitor();
      await stopServer();
      await database.drop();
    },
    output: server.output,
    exitInfo: server.exitInfo,
  };
}
