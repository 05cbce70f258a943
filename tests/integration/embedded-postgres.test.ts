import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../server/db/embedded";

const modulePath = fileURLToPath(new URL("../../server/db/embedded.ts", import.meta.url));
const silent = { info() {}, warn() {} };

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped) is not running.
  try {
    return !/\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Start the cluster in another process (which we can then kill -9); resolves once it is up. */
function startInChild(dataDir: string, stopOnParentExit: boolean) {
  const code = `
    const { startEmbeddedPostgres } = await import(process.argv[1]);
    const db = await startEmbeddedPostgres({
      dataDir: process.argv[2], stopOnParentExit: process.argv[3] === "true", logger: { info() {}, warn() {} },
    });
    console.log(JSON.stringify({ pid: db.pid, port: db.port, url: db.connectionString }));
    setInterval(() => {}, 1000);
  `;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", code, modulePath, dataDir, String(stopOnParentExit)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise<{ child: ChildProcess; pid: number; port: number; url: string }>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ child, ...JSON.parse(line) });
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("exit", (exitCode) => reject(new Error(`child exited (${exitCode}): ${err}`)));
  });
}

describe("embedded PostgreSQL", () => {
  const tmpDirs: string[] = [];
  const servers: EmbeddedPostgres[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(tmpDirs.map((d) => fs.rm(d, { recursive: true, force: true })));
  });

  it("runs an ephemeral cluster on a free port and removes it on stop", async () => {
    const db = await startEmbeddedPostgres({ ephemeral: true, logger: silent });
    servers.push(db);

    expect(db.connectionString).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/tsunagu$/);
    const [row] = await query<{ one: number; db: string; enc: string }>(
      db.connectionString,
      "select 1 as one, current_database() as db, pg_encoding_to_char(encoding) as enc from pg_database where datname = current_database()",
    );
    expect(row).toEqual({ one: 1, db: "tsunagu", enc: "UTF8" });
    expect(db.timings.initMs).not.toBeNull();

    await db.stop();
    expect(await accepts(db.port)).toBe(false);
    expect(isRunning(db.pid)).toBe(false);
    await expect(fs.stat(db.dataDir)).rejects.toMatchObject({ code: "ENOENT" });
    await db.stop(); // idempotent
  });

  it("keeps data across restarts and recovers after its owner is killed with SIGKILL", async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), "tsunagu-embedded-test-"));
    tmpDirs.push(base);
    await fs.chmod(base, 0o755); // mkdtemp makes it 0700; as root, PostgreSQL runs as "postgres"
    const dataDir = path.join(base, "postgres");

    // 1. Owner killed, watchdog on: the server goes down with its owner.
    const first = await startInChild(dataDir, true);
    await query(first.url, "create table survivor (note text); insert into survivor values ('保存済み')");
    first.child.kill("SIGKILL");
    expect(await eventually(async () => !isRunning(first.pid))).toBe(true);

    // 2. Owner killed, watchdog off: an orphaned postmaster keeps the data dir locked...
    const second = await startInChild(dataDir, false);
    expect(second.pid).not.toBe(first.pid);
    second.child.kill("SIGKILL");
    await new Promise((resolve) => second.child.once("exit", resolve));
    expect(isRunning(second.pid)).toBe(true);
    expect(await accepts(second.port)).toBe(true);

    // ...which the next start shuts down before starting its own; the data is still there.
    const third = await startEmbeddedPostgres({ dataDir, logger: silent });
    servers.push(third);
    expect(isRunning(second.pid)).toBe(false);
    expect(third.timings.initMs).toBeNull();
    expect(await query(third.connectionString, "select note from survivor")).toEqual([{ note: "保存済み" }]);
    await third.stop();
    expect(await accepts(third.port)).toBe(false);
    await expect(fs.stat(path.join(dataDir, "PG_VERSION"))).resolves.toBeTruthy();
  });
});
