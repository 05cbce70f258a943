import { io as connect, type Socket } from "socket.io-client";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainEvent, JoinAck } from "../../app/lib/realtime/events.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

function open(url: string, cookie?: string, origin?: string): Socket {
  return connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) },
  });
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

function closeCode(url: string, cookie?: string): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.once("error", reject);
  });
}

describe("Socket.IO handshake and workspace rooms", () => {
  let server: TestServer;
  let cookie: string;
  let workspaceId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await server?.stop();
  });

  it("refuses a connection without a session cookie", async () => {
    const socket = open(server.url);
    sockets.push(socket);
    const error = await new Promise<Error & { data?: { code: number } }>((resolve) => socket.once("connect_error", resolve));
    expect(error.message).toBe("unauthenticated");
    expect(error.data?.code).toBe(4401);
    expect(socket.connected).toBe(false);
  });

  it("refuses a browser handshake from a foreign origin", async () => {
    const socket = open(server.url, cookie, "https://evil.example");
    sockets.push(socket);
    await expect(connected(socket)).rejects.toBeTruthy();
  });

  it("connects with the cookie, joins the workspace room and receives committed changes", async () => {
    const socket = open(server.url, cookie);
    sockets.push(socket);
    await connected(socket);
    const ack = await socket.emitWithAck("workspace:join", { workspaceId }) as JoinAck;
    expect(ack.ok).toBe(true);
    const joinedVersion = ack.ok ? ack.version : -1;

    const received = new Promise<DomainEvent>((resolve) => socket.once("resource:changed", resolve));
    const orgId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].memberships[0].organizationId;
    const created = await sendJson(
      server.url,
      "POST",
      `/api/v1/workspaces/${workspaceId}/resources`,
      { ownerOrgId: orgId, kind: "PLACE", category: "classroom", name: "ライブ確認用の教室", lat: 35.5, lng: 139.5 },
      cookie,
    );
    expect(created.status).toBe(201);
    const event = await received;
    expect(event.entityId).toBe(created.body.id);
    expect(event.verb).toBe("created");
    expect(event.version).toBe(joinedVersion + 1);
  });

  it("refuses to join a workspace the user is not a member of, and malformed payloads", async () => {
    const socket = open(server.url, cookie);
    sockets.push(socket);
    await connected(socket);
    const foreign = (await socket.emitWithAck("workspace:join", { workspaceId: "someone-elses" })) as JoinAck;
    expect(foreign).toMatchObject({ ok: false, code: "forbidden" });
    const malformed = (await socket.emitWithAck("workspace:join", { nope: 1 } as never)) as JoinAck;
    expect(malformed).toMatchObject({ ok: false, code: "invalid" });
    expect(socket.connected).toBe(true);
  });
});

describe("/yjs/ upgrade", () => {
  let server: TestServer;
  let cookie: string;
  let areaId: string;

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
    const workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
    areaId = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/areas`, cookie)).body.items[0].id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const wsUrl = (path: string) => server.url.replace("http://", "ws://") + path;

  it("closes an unauthenticated upgrade with 4401", async () => {
    const { code } = await closeCode(wsUrl(`/yjs/chart:${areaId}`));
    expect(code).toBe(4401);
  });

  it("closes an unknown document with 4404 even when logged in", async () => {
    const { code } = await closeCode(wsUrl("/yjs/secret:thing"), cookie);
    expect(code).toBe(4404);
  });

  it("lets a member through to the document server, which greets it: access flags, then sync step 1", async () => {
    const ws = new WebSocket(wsUrl(`/yjs/chart:${areaId}`), { headers: { cookie } });
    const first = await new Promise<Buffer[]>((resolve, reject) => {
      const received: Buffer[] = [];
      ws.on("message", (data: Buffer) => {
        received.push(data);
        if (received.length === 2) resolve(received);
      });
      ws.once("close", (code) => reject(new Error(`closed with ${code}`)));
      ws.once("error", reject);
    });
    ws.close();
    expect([...first[0]]).toEqual([102, 0]); // access: not read-only (docs/collab-protocol.md)
    expect([first[1][0], first[1][1]]).toEqual([0, 0]); // y-websocket sync, step 1
  });
});
