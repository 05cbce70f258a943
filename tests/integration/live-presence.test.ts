import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { connected, EMAILS, joinedSocket, nextEvent, openSocket, type LiveTestSocket } from "./live-support.ts";

/** Presence (who is on which board) and soft locks, between real clients. */
describe("live presence and soft locks", () => {
  let server: TestServer;
  let a: Awaited<ReturnType<typeof joinedSocket>>;
  let b: Awaited<ReturnType<typeof joinedSocket>>;
  let aUser: { id: string; displayName: string; memberships: Array<{ organizationName: string }> };
  let workspaceId: string;
  let target: string;
  const sockets: LiveTestSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    a = await joinedSocket(server.url, EMAILS.coordinator);
    b = await joinedSocket(server.url, EMAILS.npo);
    sockets.push(a.socket, b.socket);
    workspaceId = a.workspaceId;
    aUser = (await getJson(server.url, "/api/auth/me", a.cookie)).body.user;
    const matches = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/matches?limit=1`, a.cookie);
    target = `match:${matches.body.items[0].id}`;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await server?.stop();
  });

  it("others see who is on which board, with name, organization and colour only", async () => {
    const seen = nextEvent(b.socket, "presence:changed", (p) => p.present.some((e) => e.userId === aUser.id));
    const ack = await a.socket.emitWithAck("presence:join", { workspaceId, board: "kanban" });
    expect(ack).toMatchObject({ ok: true, workspaceId });
    const { present } = await seen;
    const entry = present.find((e) => e.userId === aUser.id)!;
    expect(entry).toEqual({
      userId: aUser.id,
      displayName: "中村 由美",
      organizationName: aUser.memberships[0].organizationName,
      board: "kanban",
      colour: expect.stringMatching(/^#[0-9a-f]{6}$/),
    });

    const back = nextEvent(a.socket, "presence:changed", (p) => p.present.length === 2);
    const bAck = await b.socket.emitWithAck("presence:join", { workspaceId, board: "map" });
    expect(bAck.ok && bAck.present.map((p) => p.board).sort()).toEqual(["kanban", "map"]);
    expect((await back).present.map((p) => p.displayName).sort()).toEqual(["中村 由美", "森 さくら"].sort());
  });

  it("presence and locks need the workspace joined first", async () => {
    const cookie = await login(server.url, EMAILS.coordinator);
    const socket = openSocket(server.url, cookie);
    sockets.push(socket);
    await connected(socket);
    expect(await socket.emitWithAck("presence:join", { workspaceId, board: "kanban" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await socket.emitWithAck("lock:acquire", { workspaceId, target, kind: "dragging" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
  });

  it("a held lock refuses the next taker with the holder; only the holder releases it", async () => {
    const announced = nextEvent(b.socket, "lock:changed", (l) => l.target === target && l.lock !== null);
    const ack = await a.socket.emitWithAck("lock:acquire", { workspaceId, target, kind: "dragging" });
    expect(ack).toMatchObject({ ok: true, lock: { target, kind: "dragging", holder: { userId: aUser.id } } });
    expect((await announced).lock?.holder.displayName).toBe("中村 由美");

    const refused = await b.socket.emitWithAck("lock:acquire", { workspaceId, target, kind: "editing" });
    expect(refused).toMatchObject({ ok: false, code: "locked", kind: "dragging", holder: { userId: aUser.id, displayName: "中村 由美" } });
    expect(await b.socket.emitWithAck("lock:release", { workspaceId, target })).toMatchObject({ ok: false, code: "locked" });

    // Re-acquiring refreshes the holder's lock and is not refused.
    expect(await a.socket.emitWithAck("lock:acquire", { workspaceId, target, kind: "dragging" })).toMatchObject({ ok: true });

    const released = nextEvent(b.socket, "lock:changed", (l) => l.target === target && l.lock === null);
    expect(await a.socket.emitWithAck("lock:release", { workspaceId, target })).toEqual({ ok: true });
    await released;
    expect(await b.socket.emitWithAck("lock:acquire", { workspaceId, target, kind: "editing" })).toMatchObject({ ok: true });
  });

  it("a lock and a seat go when their connection closes, and everyone is told", async () => {
    // b holds `target` from the previous test.
    const lockGone = nextEvent(a.socket, "lock:changed", (l) => l.target === target && l.lock === null);
    const seatGone = nextEvent(a.socket, "presence:changed", (p) => !p.present.some((e) => e.displayName === "森 さくら"));
    b.socket.disconnect();
    await Promise.all([lockGone, seatGone]);
    expect(await a.socket.emitWithAck("lock:acquire", { workspaceId, target, kind: "dragging" })).toMatchObject({ ok: true });
  });

  it("a late joiner gets the current list and locks in its ack", async () => {
    const c = await joinedSocket(server.url, EMAILS.admin);
    sockets.push(c.socket);
    const ack = await c.socket.emitWithAck("presence:join", { workspaceId, board: "chart:area-1" });
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    expect(ack.locks.map((l) => [l.target, l.holder.userId])).toEqual([[target, aUser.id]]);
    expect(ack.present.map((p) => p.board).sort()).toEqual(["chart:area-1", "kanban"]);
  });

  it("read-only members cannot lock; malformed lock requests are invalid", async () => {
    const viewer = await joinedSocket(server.url, EMAILS.viewer);
    sockets.push(viewer.socket);
    expect(await viewer.socket.emitWithAck("lock:acquire", { workspaceId, target, kind: "dragging" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    for (const payload of [
      { workspaceId, target: "match", kind: "dragging" },
      { workspaceId, target: "secret:1", kind: "dragging" },
      { workspaceId, target, kind: "sleeping" },
      { workspaceId, target: `match:${"x".repeat(80)}`, kind: "dragging" },
    ]) {
      expect(await a.socket.emitWithAck("lock:acquire", payload as never), JSON.stringify(payload)).toMatchObject({
        ok: false,
        code: "invalid",
      });
    }
  });

  it("leaving the workspace drops the seat and the locks there", async () => {
    const watcher = await joinedSocket(server.url, EMAILS.member);
    sockets.push(watcher.socket);
    const lockGone = nextEvent(watcher.socket, "lock:changed", (l) => l.target === target && l.lock === null);
    expect(await a.socket.emitWithAck("workspace:leave", { workspaceId })).toEqual({ ok: true });
    await lockGone;
    expect(await a.socket.emitWithAck("lock:acquire", { workspaceId, target, kind: "dragging" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
  });
});
