import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionRevoked } from "../../app/lib/realtime/events.ts";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { connected, disconnection, EMAILS, joinedSocket, openSocket, sleep, type LiveTestSocket } from "./live-support.ts";

/** How late after its expiry a connection may still be open. */
const BUDGET_MS = 1_000;

describe("live connections close when their session expires", () => {
  let server: TestServer;
  const sockets: LiveTestSocket[] = [];
  const measured: Record<string, number> = {};
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    console.info(`[security] session expiry → connection closed, ms after expiry: ${JSON.stringify(measured)}`);
    await server?.stop();
  });

  /** Logs in and moves the session's expiry to `inMs` from now (the database is the truth). */
  async function shortSession(email: string, inMs: number) {
    const cookie = await login(server.url, email);
    const user = (await server.services.userFromCookieHeader(cookie))!;
    const expiresAt = Date.now() + inMs;
    await server.services.prisma.session.update({ where: { id: user.sessionId! }, data: { expiresAt: new Date(expiresAt) } });
    return { cookie, expiresAt };
  }

  async function openChart(cookie: string): Promise<WebSocket> {
    const workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
    const areaId = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/areas`, cookie)).body.items[0].id;
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/yjs/chart:${areaId}`, { headers: { cookie } });
    await new Promise<void>((resolve, reject) => {
      ws.once("message", () => resolve());
      ws.once("close", (code) => reject(new Error(`closed with ${code} before syncing`)));
      ws.once("error", reject);
    });
    return ws;
  }

  it("a socket and a document connection close at the expiry, with session_expired / 4401; others stay", async () => {
    const { cookie, expiresAt } = await shortSession(EMAILS.coordinator, 2_500);
    const workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
    const socket = openSocket(server.url, cookie);
    sockets.push(socket);
    await connected(socket);
    expect((await socket.emitWithAck("workspace:join", { workspaceId })).ok).toBe(true);
    const doc = await openChart(cookie);
    const bystander = await joinedSocket(server.url, EMAILS.npo);
    sockets.push(bystander.socket);

    let revoked: SessionRevoked | null = null;
    socket.once("session:revoked", (payload) => (revoked = payload));
    const socketClosed = disconnection(socket, 6_000).then(() => Date.now());
    const docClosed = new Promise<{ code: number; at: number }>((resolve) => doc.once("close", (code) => resolve({ code, at: Date.now() })));
    // Still open shortly before the expiry.
    await sleep(Math.max(0, expiresAt - Date.now() - 300));
    expect(socket.connected).toBe(true);
    expect(doc.readyState).toBe(WebSocket.OPEN);

    const socketAt = await socketClosed;
    const docResult = await Promise.race([docClosed, sleep(6_000).then(() => ({ code: -1, at: Infinity }))]);
    measured.socket = socketAt - expiresAt;
    measured.yjs = docResult.at - expiresAt;
    expect(revoked).toEqual({ reason: "session_expired", reconnect: false });
    expect(socketAt - expiresAt).toBeGreaterThanOrEqual(-50);
    expect(socketAt - expiresAt).toBeLessThanOrEqual(BUDGET_MS);
    expect(docResult.code).toBe(4401);
    expect(docResult.at - expiresAt).toBeGreaterThanOrEqual(-50);
    expect(docResult.at - expiresAt).toBeLessThanOrEqual(BUDGET_MS);

    await sleep(50);
    expect(bystander.socket.connected).toBe(true);
    // The expired cookie opens nothing any more.
    expect((await getJson(server.url, "/api/auth/me", cookie)).status).toBe(401);
    const again = openSocket(server.url, cookie);
    sockets.push(again);
    await expect(connected(again)).rejects.toMatchObject({ message: "unauthenticated" });
  });

  it("connections of a session that ends later are not closed early, and their timers go with them", async () => {
    const { cookie } = await shortSession(EMAILS.viewer, 60_000);
    const socket = openSocket(server.url, cookie);
    sockets.push(socket);
    await connected(socket);
    expect(server.services.connections.armedExpiries).toBeGreaterThanOrEqual(1);
    const armedBefore = server.services.connections.armedExpiries;
    await sleep(200);
    expect(socket.connected).toBe(true);
    socket.disconnect();
    await sleep(100);
    expect(server.services.connections.armedExpiries).toBe(armedBefore - 1);
  });
});
