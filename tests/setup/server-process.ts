import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { TEST_REDIS_URL } from "./redis.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** A port that was free a moment ago (for child processes that must know theirs up front). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server process (`node --import tsx server/index.ts`), as deployed: for tests that
 * kill it, or run several against one database.
 */
export class ServerProcess {
  child: ChildProcess | null = null;
  output = "";
  constructor(
    readonly name: string,
    readonly port: number,
    /** DATABASE_URL and the rest; PORT, HOST and NODE_ENV are set here. */
    readonly env: Record<string, string>,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and resolves once /healthz answers 200 (fails if it exits first). */
  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", ...this.env, PORT: String(this.port), HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    child.stdout?.on("data", (chunk) => (this.output += chunk));
    child.stderr?.on("data", (chunk) => (this.output += chunk));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server ${this.name} exited (${child.exitCode}):\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for server ${this.name} to answer /healthz`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** kill -9, and wait until the process is gone. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** SIGTERM (graceful shutdown), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const forced = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(forced);
  }
}

/**
 * Two server processes, A and B, on one database and the test Redis (multi-instance mode), started
 * together. Their Redis keys and channels are prefixed with the database's name, so parallel runs
 * on one Redis never hear each other; matching is off (a start-up run would bump versions).
 */
export async function startInstancePair(database: { url: string; name: string }, extraEnv: Record<string, string> = {}): Promise<[ServerProcess, ServerProcess]> {
  const env = {
    LOG_LEVEL: "warn",
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `test-${database.name}`,
    MATCHING: "off",
    ...extraEnv,
  };
  const pair: [ServerProcess, ServerProcess] = [new ServerProcess("A", await freePort(), env), new ServerProcess("B", await freePort(), env)];
  const started = await Promise.allSettled(pair.map((instance) => instance.start()));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) {
    await Promise.all(pair.map((instance) => instance.stop()));
    throw failed.reason;
  }
  return pair;
}
