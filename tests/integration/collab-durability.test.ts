import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { saveStateOf } from "../../app/features/collab/save-state.ts";
import { createPrisma } from "../../server/db/client.ts";
import { PostgresCollabStore } from "../../server/realtime/collab/postgres-store.ts";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";
import { login } from "../setup/test-server.ts";
import { chartDocs, openProvider, synced, waitFor, type TestProvider } from "./collab-helpers.ts";

const ROOT = join(import.meta.dirname, "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The real server process (`node --import tsx server/index.ts`), as in production. */
class ServerProcess {
  child: ChildProcess | null = null;
  output = "";
  constructor(
    readonly port: number,
    readonly databaseUrl: string,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        DATABASE_URL: this.databaseUrl,
        PORT: String(this.port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    child.stdout?.on("data", (chunk) => (this.output += chunk));
    child.stderr?.on("data", (chunk) => (this.output += chunk));
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${this.output}`);
        try {
          return (await fetch(`${this.url}/healthz`)).status === 200;
        } catch {
          return false;
        }
      },
      30_000,
      "the server process to answer /healthz",
    );
  }

  /** kill -9, and wait until the process is gone. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

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
 * Follows one provider's edits: a token is saved when the server answered the message that
 * carried it (same connection, seq ≤ answered), or when everything local is saved.
 */
function trackSaves(p: TestProvider, saved: Set<string>) {
  let current: string | null = null;
  let epoch = 0;
  const inFlight: Array<{ token: string; epoch: number; seq: number }> = [];
  const all: string[] = [];
  p.binding.onSaveEvent((event, state) => {
    if (event.type === "open") epoch++;
    if (event.type === "local-change" && current) {
      all.push(current);
      if (event.connected) inFlight.push({ token: current, epoch, seq: state.sent });
    }
    if (event.type === "saved") {
      for (const entry of inFlight) if (entry.epoch === epoch && entry.seq <= event.seq) saved.add(entry.token);
    }
    if (saveStateOf(state) === "saved") for (const token of all) saved.add(token);
  });
  return (token: string) => {
    current = token;
    p.text.insert(p.text.length, token);
    current = null;
  };
}

describe("durability: kill -9 while edits flow", () => {
  let database: TestDatabase;
  let server: ServerProcess;
  const providers: TestProvider[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = new ServerProcess(await freePort(), database.url);
    await server.start();
  }, 60_000);
  afterAll(async () => {
    providers.forEach((p) => p.destroy());
    await server?.stop();
    await database?.drop();
  });

  it("every edit a client was told is saved survives SIGKILL; clients converge after the restart", { timeout: 60_000 }, async () => {
    const cookie = await login(server.url);
    const [docName] = await chartDocs(server.url, cookie);
    const a = openProvider(server.url, docName, cookie, { maxBackoffTime: 300 });
    const b = openProvider(server.url, docName, cookie, { maxBackoffTime: 300 });
    providers.push(a, b);
    await synced(a, b);
    const saved = new Set<string>();
    const editA = trackSaves(a, saved);
    const editB = trackSaves(b, saved);

    // A random round between 10 and 40, at a random moment inside it (often while an append is
    // in flight).
    const killRound = 10 + Math.floor(Math.random() * 30);
    const killDelayMs = Math.random() * 30;
    let killed: Promise<{ savedAtKill: string[]; stored: string }> | null = null;
    let restarted: Promise<void> | null = null;
    const rounds = 50;
    const tokens: string[] = [];
    let madeAtKill = 0;
    for (let round = 0; round < rounds; round++) {
      // 1–3 edits per client per round, typed in one go.
      for (let k = Math.floor(Math.random() * 3); k >= 0; k--) {
        for (const [name, edit] of [["a", editA], ["b", editB]] as const) {
          const token = `[${name}${round}.${k}]`;
          tokens.push(token);
          edit(token);
        }
      }
      if (round === killRound) {
        killed = (async () => {
          await new Promise((r) => setTimeout(r, killDelayMs));
          await server.kill9();
          madeAtKill = tokens.length;
          const savedAtKill = [...saved]; // the process is gone: nothing more can be confirmed
          const prisma = createPrisma(database.url, { max: 2 });
          try {
            const stored = await new PostgresCollabStore(prisma).load(docName);
            const doc = new Y.Doc();
            if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
            for (const update of stored.updates) Y.applyUpdate(doc, update);
            return { savedAtKill, stored: doc.getText("chart").toString() };
          } finally {
            await prisma.$disconnect();
          }
        })();
        // The restart runs while the rounds go on (offline edits, reconnects).
        restarted = killed.then(() => server.start());
        restarted.catch(() => {}); // awaited below
      }
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
    }
    expect(killed, "the kill happened during the rounds").not.toBeNull();
    const atKill = await killed!;
    console.info(
      `[collab durability] kill -9 in round ${killRound} (+${killDelayMs.toFixed(0)} ms): ${atKill.savedAtKill.length} of ${madeAtKill} edits confirmed saved, all of them in the database`,
    );
    expect(atKill.savedAtKill.length).toBeGreaterThan(0);
    for (const token of atKill.savedAtKill) expect(atKill.stored, `saved edit ${token} after kill -9`).toContain(token);

    // After the restart both clients reconnect, resend what was not saved, and converge.
    await restarted;
    await waitFor(() => a.provider.wsconnected && b.provider.wsconnected, 30_000, "reconnect");
    await synced(a, b);
    await waitFor(() => a.text.toString() === b.text.toString(), 10_000, "convergence");
    for (const token of tokens) expect(a.text.toString()).toContain(token);
    const observer = openProvider(server.url, docName, cookie);
    providers.push(observer);
    await synced(observer);
    expect(observer.text.toString()).toBe(a.text.toString());
  });
});
