import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app-server.ts";
import { parseEnv } from "../../server/env.ts";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";
import { freePort } from "../setup/server-process.ts";
import { getJson, login, sendJson } from "../setup/test-server.ts";
import { chartDocs, openProvider, synced, waitFor, type TestProvider } from "./collab-helpers.ts";
import { connected, openSocket, type LiveTestSocket } from "./live-support.ts";

/**
 * What decision 012 promises when Redis goes away and comes back, against a Redis of our own
 * (a `redis-server` child we can kill): each instance keeps serving its own clients, /healthz
 * stays 200 and says `"redis": "down"`, and once Redis is back every instance catches up — Yjs
 * updates from the store, revocations by checking its sessions again.
 */
const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;
if (!hasRedisServer) console.warn("[tests] no redis-server binary: the Redis outage test is skipped");

/** A private Redis we can kill and bring back on the same port (no persistence: a restart is empty). */
class RedisServer {
  child: ChildProcess | null = null;
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }
  async start() {
    if (this.running) return;
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    this.child = child;
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
        return new Promise<boolean>((resolve) => {
          const socket = connect(this.port, "127.0.0.1");
          socket.once("connect", () => {
            socket.destroy();
            resolve(true);
          });
          socket.once("error", () => resolve(false));
        });
      },
      10_000,
      "redis-server to listen",
    );
  }
  async kill() {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}

describe.skipIf(!hasRedisServer)("multi-instance: Redis goes down and comes back", () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  const providers: TestProvider[] = [];
  const sockets: LiveTestSocket[] = [];

  beforeAll(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    database = await createTestDatabase();
    const env = parseEnv({
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      REDIS_URL: redis.url,
      REDIS_PREFIX: `test-${database.name}`,
    });
    a = await startServer({ env, databaseUrl: database.url, remix: "none" });
    b = await startServer({ env, databaseUrl: database.url, remix: "none" });
  }, 30_000);

  afterAll(async () => {
    providers.forEach((p) => p.destroy());
    sockets.forEach((s) => s.disconnect());
    await redis?.start().catch(() => {}); // if a failure left it down: the servers close faster
    await Promise.all([a?.close(), b?.close()]);
    await redis?.kill();
    await database?.drop();
  });

  it("keeps serving, reports it, then catches up edits and revocations", { timeout: 30_000 }, async () => {
    const cookie = await login(a.url);
    const [docName] = await chartDocs(a.url, cookie);
    const onA = openProvider(a.url, docName, cookie);
    const onB = openProvider(b.url, docName, cookie);
    providers.push(onA, onB);
    await synced(onA, onB);
    // A session with a live socket on B, to be logged out through A during the outage.
    const doomed = await login(a.url);
    const doomedSocket = openSocket(b.url, doomed);
    sockets.push(doomedSocket);
    await connected(doomedSocket);

    await redis.kill();

    // Each instance serves its own clients: the edit is saved on A…
    onA.text.insert(0, "written during the outage");
    await synced(onA);
    const health = await getJson(a.url, "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", database: "up", redis: "down" });
    // …and the logout succeeds (the session is gone from the database), but B cannot hear of it.
    expect((await sendJson(a.url, "POST", "/api/auth/logout", {}, doomed)).status).toBe(200);
    // Long enough for ioredis to give up on the commands it queued (3 reconnection attempts):
    // what was published during the outage is lost, not delivered late.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(onB.text.toString()).toBe("");
    expect(doomedSocket.connected).toBe(true);

    await redis.start();

    // B reconnects, reads what it missed from PostgreSQL, and checks its sessions again.
    await waitFor(() => onB.text.toString() === "written during the outage", 15_000, "B to catch up the edit");
    await waitFor(() => !doomedSocket.connected, 5_000, "the logged-out socket on B to close");
    await waitFor(async () => (await getJson(b.url, "/healthz")).body.redis === "up", 5_000, "B's /healthz to say redis up");

    // And the fan-out works again.
    onA.text.insert(0, "after: ");
    await waitFor(() => onB.text.toString() === "after: written during the outage", 5_000, "a new edit on B");
  });
});
