import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionRevoked } from "../../app/lib/realtime/events.ts";
import type { LiveConnection } from "../../server/realtime/connections.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { connected, disconnection, EMAILS, joinedSocket, nextEvent, openSocket, sleep, type LiveTestSocket } from "./live-support.ts";

const REVOCATION_BUDGET_MS = 1_000;

/** Records a socket's session:revoked and the moment it was closed, from `started`. */
function watchRevocation(socket: LiveTestSocket, started: () => number) {
  let revoked: SessionRevoked | null = null;
  socket.once("session:revoked", (payload) => (revoked = payload));
  return disconnection(socket, 3_000).then(({ reason, at }) => ({ reason, ms: at - started(), revoked: revoked as SessionRevoked | null }));
}

/** A raw /yjs/ connection, resolved once the document server has accepted it (its first message). */
async function openDocument(url: string, docName: string, cookie: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/yjs/${docName}`, { headers: { cookie } });
  await new Promise<void>((resolve, reject) => {
    ws.once("message", () => resolve());
    ws.once("close", (code) => reject(new Error(`closed with ${code} before syncing`)));
    ws.once("error", reject);
  });
  return ws;
}

function fakeConnection(userId: string, sessionId: string) {
  const closed: string[] = [];
  const connection: LiveConnection = { userId, sessionId, close: (reason) => closed.push(reason) };
  return { connection, closed };
}

describe("revocation: logout closes that session's live connections within 1 s", () => {
  let server: TestServer;
  const sockets: LiveTestSocket[] = [];
  const measured: Record<string, number> = {};

  beforeAll(async () => {
    // The Remix logout route needs the web build.
    server = await startTestServer({ remix: "build" });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    console.info(`[live] logout → connection closed (ms): ${JSON.stringify(measured)}`);
    await server?.stop();
  });

  it("POST /api/auth/logout closes every socket of the session (and registered /yjs/-style connections), not other sessions'", async () => {
    const one = await joinedSocket(server.url, EMAILS.coordinator);
    const second = openSocket(server.url, one.cookie);
    const otherSession = await joinedSocket(server.url, EMAILS.coordinator);
    sockets.push(one.socket, second, otherSession.socket);
    await connected(second);
    const user = (await server.services.userFromCookieHeader(one.cookie))!;
    // Any transport registers like this (the /yjs/ endpoint does too): the registry closes it.
    const doc = fakeConnection(user.id, user.sessionId!);
    const unregister = server.services.connections.add(doc.connection);

    let started = 0;
    const watched = [watchRevocation(one.socket, () => started), watchRevocation(second, () => started)];
    started = performance.now();
    const response = await sendJson(server.url, "POST", "/api/auth/logout", {}, one.cookie);
    expect(response.status).toBe(200);
    for (const [i, result] of (await Promise.all(watched)).entries()) {
      measured[`restSocket${i + 1}`] = Math.round(result.ms);
      expect(result.reason).toBe("io server disconnect");
      expect(result.revoked).toEqual({ reason: "logged_out", reconnect: false });
      expect(result.ms).toBeLessThanOrEqual(REVOCATION_BUDGET_MS);
    }
    expect(doc.closed).toEqual(["logged_out"]);
    unregister();

    // The other session of the same user is untouched.
    await sleep(50);
    expect(otherSession.socket.connected).toBe(true);
    // The old cookie cannot come back.
    const again = openSocket(server.url, one.cookie);
    sockets.push(again);
    await expect(connected(again)).rejects.toMatchObject({ message: "unauthenticated" });
  });

  it("logout closes the session's /yjs/ document connections too", async () => {
    const cookie = await login(server.url, EMAILS.coordinator);
    const workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
    const areaId = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/areas`, cookie)).body.items[0].id;
    const ws = await openDocument(server.url, `chart:${areaId}`, cookie);
    const started = performance.now();
    const closed = new Promise<{ code: number; ms: number }>((resolve) =>
      ws.once("close", (code) => resolve({ code, ms: performance.now() - started })),
    );
    expect((await sendJson(server.url, "POST", "/api/auth/logout", {}, cookie)).status).toBe(200);
    const result = await Promise.race([closed, sleep(3_000).then(() => ({ code: -1, ms: Infinity }))]);
    measured.yjs = Math.round(result.ms);
    expect(result.code).toBe(4401);
    expect(result.ms).toBeLessThanOrEqual(REVOCATION_BUDGET_MS);
  });

  it("the Remix /logout route does the same (one logout function for both paths)", async () => {
    const one = await joinedSocket(server.url, EMAILS.npo);
    sockets.push(one.socket);
    const started = performance.now();
    const watched = watchRevocation(one.socket, () => started);
    const response = await fetch(`${server.url}/logout`, {
      method: "POST",
      headers: { cookie: one.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "",
      redirect: "manual",
    });
    expect([302, 303]).toContain(response.status);
    expect(response.headers.get("set-cookie")).toMatch(/tsunagu_session=;/);
    const result = await watched;
    measured.remixSocket = Math.round(result.ms);
    expect(result.revoked).toEqual({ reason: "logged_out", reconnect: false });
    expect(result.ms).toBeLessThanOrEqual(REVOCATION_BUDGET_MS);
    expect((await getJson(server.url, "/api/auth/me", one.cookie)).status).toBe(401);
  });

  it("a socket that connects while its session is being logged out does not survive it", async () => {
    for (let round = 0; round < 8; round++) {
      const cookie = await login(server.url, EMAILS.viewer);
      const socket = openSocket(server.url, cookie);
      sockets.push(socket);
      const outcome = new Promise<string>((resolve) => {
        socket.once("connect_error", () => resolve("refused"));
        socket.once("disconnect", () => resolve("closed"));
      });
      // Race the handshake against the logout, at slightly different offsets each round.
      await sleep(round);
      await sendJson(server.url, "POST", "/api/auth/logout", {}, cookie);
      const result = await Promise.race([outcome, sleep(REVOCATION_BUDGET_MS).then(() => "still open")]);
      expect(result, `round ${round}`).not.toBe("still open");
      expect(socket.connected).toBe(false);
    }
  });
});

describe("revocation: membership changes close all of the user's live connections within 1 s", () => {
  let server: TestServer;
  let adminCookie: string;
  let shakyoId: string;
  const sockets: LiveTestSocket[] = [];
  const measured: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer();
    adminCookie = await login(server.url, EMAILS.admin);
    const me = (await getJson(server.url, "/api/auth/me", adminCookie)).body.user;
    shakyoId = me.memberships[0].organizationId;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    console.info(`[live] membership change → sockets closed: ${JSON.stringify(measured)}`);
    await server?.stop();
  });

  async function membershipOf(email: string) {
    const list = await getJson(server.url, `/api/v1/organizations/${shakyoId}/memberships`, adminCookie);
    expect(list.status).toBe(200);
    return list.body.items.find((m: { email: string }) => m.email === email) as { id: string; role: string; userId: string };
  }

  it("a role change closes every session's sockets; they reconnect with the new role", async () => {
    const first = await joinedSocket(server.url, EMAILS.coordinator);
    const second = await joinedSocket(server.url, EMAILS.coordinator); // another session of the same user
    const bystander = await joinedSocket(server.url, EMAILS.npo);
    sockets.push(first.socket, second.socket, bystander.socket);
    const membership = await membershipOf(EMAILS.coordinator);
    const user = (await server.services.userFromCookieHeader(first.cookie))!;
    const doc = fakeConnection(user.id, user.sessionId!);
    const unregister = server.services.connections.add(doc.connection);

    let started = 0;
    const watched = [watchRevocation(first.socket, () => started), watchRevocation(second.socket, () => started)];
    const announced = nextEvent(bystander.socket, "membership:changed", (e) => e.entityId === membership.id);
    started = performance.now();
    const patched = await sendJson(server.url, "PATCH", `/api/v1/memberships/${membership.id}`, { role: "VIEWER" }, adminCookie);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: membership.id, role: "VIEWER" });
    for (const result of await Promise.all(watched)) {
      expect(result.revoked).toEqual({ reason: "membership_changed", reconnect: true });
      expect(result.ms).toBeLessThanOrEqual(REVOCATION_BUDGET_MS);
      measured.roleChangeMs = Math.max(measured.roleChangeMs ?? 0, Math.round(result.ms));
    }
    expect(doc.closed).toEqual(["membership_changed"]);
    unregister();
    // The room hears of it: ids and the role only.
    expect((await announced).data).toEqual({ membershipId: membership.id, organizationId: shakyoId, userId: user.id, role: "VIEWER" });
    expect(bystander.socket.connected).toBe(true);

    // Reconnecting is allowed (same session) and authorizes with the new role.
    const again = openSocket(server.url, first.cookie);
    sockets.push(again);
    await connected(again);
    expect((await again.emitWithAck("workspace:join", { workspaceId: first.workspaceId })).ok).toBe(true);
    const match = (await getJson(server.url, `/api/v1/workspaces/${first.workspaceId}/matches?limit=1`, first.cookie)).body.items[0];
    expect(await again.emitWithAck("match:move", { matchId: match.id, stage: "DECLINED", expectedVersion: match.version })).toMatchObject({
      ok: false,
      code: "forbidden",
    });

    const restored = await sendJson(server.url, "PATCH", `/api/v1/memberships/${membership.id}`, { role: "COORDINATOR" }, adminCookie);
    expect(restored.status).toBe(200);
  });

  it("removing a membership closes the user's sockets; they can no longer join the workspace", async () => {
    const member = await joinedSocket(server.url, EMAILS.member);
    sockets.push(member.socket);
    const areaId = (await getJson(server.url, `/api/v1/workspaces/${member.workspaceId}/areas`, member.cookie)).body.items[0].id;
    const doc = await openDocument(server.url, `chart:${areaId}`, member.cookie);
    const membership = await membershipOf(EMAILS.member);
    let started = 0;
    const watched = watchRevocation(member.socket, () => started);
    const docClosed = new Promise<{ code: number; ms: number }>((resolve) =>
      doc.once("close", (code) => resolve({ code, ms: performance.now() - started })),
    );
    started = performance.now();
    const removed = await sendJson(server.url, "DELETE", `/api/v1/memberships/${membership.id}`, undefined, adminCookie);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ id: membership.id, deleted: true });
    const result = await watched;
    measured.removalMs = Math.round(result.ms);
    expect(result.revoked).toEqual({ reason: "membership_changed", reconnect: true });
    expect(result.ms).toBeLessThanOrEqual(REVOCATION_BUDGET_MS);
    const docResult = await Promise.race([docClosed, sleep(3_000).then(() => ({ code: -1, ms: Infinity }))]);
    measured.removalYjsMs = Math.round(docResult.ms);
    expect(docResult.code).toBe(4403);
    expect(docResult.ms).toBeLessThanOrEqual(REVOCATION_BUDGET_MS);

    const again = openSocket(server.url, member.cookie);
    sockets.push(again);
    await connected(again);
    expect(await again.emitWithAck("workspace:join", { workspaceId: member.workspaceId })).toMatchObject({ ok: false, code: "forbidden" });
    expect((await getJson(server.url, `/api/v1/workspaces/${member.workspaceId}/matches`, member.cookie)).status).toBe(403);
  });

  it("only an ADMIN of the membership's organization may change it; the last ADMIN stays", async () => {
    const target = await membershipOf(EMAILS.coordinator);
    const coordinatorCookie = await login(server.url, EMAILS.coordinator);
    const otherOrgAdmin = await login(server.url, "mobility@tsunagu.example");
    const outsider = await login(server.url, "resident@tsunagu.example");
    const patch = (cookie: string) => sendJson(server.url, "PATCH", `/api/v1/memberships/${target.id}`, { role: "MEMBER" }, cookie);
    expect((await patch(coordinatorCookie)).status).toBe(403);
    expect((await patch(otherOrgAdmin)).status).toBe(403);
    expect((await patch(outsider)).status).toBe(404);
    expect((await sendJson(server.url, "DELETE", `/api/v1/memberships/${target.id}`, undefined, coordinatorCookie)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/organizations/${shakyoId}/memberships`, coordinatorCookie)).status).toBe(403);
    expect((await sendJson(server.url, "PATCH", `/api/v1/memberships/${target.id}`, { role: "OWNER" }, adminCookie)).status).toBe(400);
    expect((await sendJson(server.url, "PATCH", "/api/v1/memberships/nope", { role: "MEMBER" }, adminCookie)).status).toBe(404);

    const self = await membershipOf(EMAILS.admin);
    const demoteSelf = await sendJson(server.url, "PATCH", `/api/v1/memberships/${self.id}`, { role: "MEMBER" }, adminCookie);
    expect(demoteSelf.status).toBe(409);
    expect((await sendJson(server.url, "DELETE", `/api/v1/memberships/${self.id}`, undefined, adminCookie)).status).toBe(409);
    expect((await membershipOf(EMAILS.admin)).role).toBe("ADMIN");
  });

  it("an unchanged role changes nothing and closes nothing", async () => {
    const coordinator = await joinedSocket(server.url, EMAILS.coordinator);
    sockets.push(coordinator.socket);
    const membership = await membershipOf(EMAILS.coordinator);
    const before = (await getJson(server.url, "/api/v1/workspaces", adminCookie)).body.items[0].version;
    const same = await sendJson(server.url, "PATCH", `/api/v1/memberships/${membership.id}`, { role: membership.role }, adminCookie);
    expect(same.status).toBe(200);
    await sleep(100);
    expect(coordinator.socket.connected).toBe(true);
    expect((await getJson(server.url, "/api/v1/workspaces", adminCookie)).body.items[0].version).toBe(before);
  });
});
