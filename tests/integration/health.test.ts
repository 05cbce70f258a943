import { createServer, Socket as NetSocket, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app-server.ts";
import { parseEnv } from "../../server/env.ts";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";

/**
 * A TCP relay between the server and PostgreSQL that the test can cut and restore: the database
 * "goes down" for the server while PostgreSQL itself keeps running for other tests.
 */
function startRelay(targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<number>((resolve) => {
      server = createServer((client) => {
        const upstream = new NetSocket();
        sockets.add(client).add(upstream);
        upstream.connect(targetPort, "127.0.0.1");
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as AddressInfo).port;
        resolve(port);
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      server?.close(() => resolve());
    });
  return { open, cut };
}

describe("GET /healthz", () => {
  let database: TestDatabase;
  let server: RunningServer;
  let relay: ReturnType<typeof startRelay>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const dbUrl = new URL(database.url);
    relay = startRelay(Number(dbUrl.port || 5432));
    dbUrl.port = String(await relay.open());
    dbUrl.hostname = "127.0.0.1";
    const env = parseEnv({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" });
    server = await startServer({ env, databaseUrl: dbUrl.toString(), remix: "none" });
  });
  afterAll(async () => {
    await server?.close();
    await relay?.cut();
    await database?.drop();
  });

  it("answers 200 ok while the database answers", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.status).toBe("ok");
    expect(body.database).toBe("up");
  });

  it("answers 503 while the database is unreachable, stays up, and recovers", async () => {
    await relay.cut();
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect((await down.json()).status).toBe("unavailable");

    // The server itself still serves other requests.
    const api = await fetch(`${server.url}/api/v1/open-data/activities.geojson`);
    expect([500, 503]).toContain(api.status);

    await relay.open();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await fetch(`${server.url}/healthz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});
