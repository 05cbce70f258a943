import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, type TestServer } from "../setup/test-server.ts";
import { connected, EMAILS, nextEvent, openMeetingRoom, openSocket, sleep, type JoinedSocket, type LiveTestSocket } from "./live-support.ts";

/** Meeting mode's `meeting:view` between real clients: relayed to the room, never echoed, VIEWERs follow only. */
describe("live meeting:view", () => {
  let room: Awaited<ReturnType<typeof openMeetingRoom>>;
  let server: TestServer;
  let a: JoinedSocket;
  let b: JoinedSocket;
  let viewer: JoinedSocket;
  let workspaceId: string;
  let sockets: LiveTestSocket[];

  beforeAll(async () => {
    room = await openMeetingRoom();
    ({ server, a, b, viewer, workspaceId, sockets } = room);
  });
  afterAll(() => room?.close());

  it("relays the facilitator's view to the others in the room, with name and colour, and not back to the sender", async () => {
    const me = (await getJson(server.url, "/api/auth/me", a.cookie)).body.user;
    const echoes: unknown[] = [];
    a.socket.on("meeting:view", (p) => echoes.push(p));
    const atB = nextEvent(b.socket, "meeting:view");
    const atViewer = nextEvent(viewer.socket, "meeting:view");
    const before = Date.now();
    const ack = await a.socket.emitWithAck("meeting:view", { workspaceId, board: "map", view: { lat: 35.45, lng: 139.63, zoom: 14.5 } });
    expect(ack).toEqual({ ok: true });
    for (const shared of [await atB, await atViewer]) {
      expect(shared).toMatchObject({
        workspaceId,
        board: "map",
        view: { lat: 35.45, lng: 139.63, zoom: 14.5 },
        facilitator: { userId: me.id, displayName: "中村 由美", colour: expect.stringMatching(/^(#|hsl)/) },
      });
      expect(shared.at).toBeGreaterThanOrEqual(before - 1_000);
      // Staff name, organization and colour only: no e-mail.
      expect(JSON.stringify(shared)).not.toContain("@");
    }
    // A chart section travels too; null ends the sharing.
    const section = nextEvent(b.socket, "meeting:view", (p) => p.board.startsWith("chart:"));
    await a.socket.emitWithAck("meeting:view", { workspaceId, board: "chart:area-1", view: { lat: 35, lng: 139, zoom: 12 }, section: "vision" });
    expect(await section).toMatchObject({ board: "chart:area-1", section: "vision" });
    const ended = nextEvent(b.socket, "meeting:view", (p) => p.view === null);
    await a.socket.emitWithAck("meeting:view", { workspaceId, board: "map", view: null });
    expect(await ended).toMatchObject({ board: "map", view: null });
    await sleep(200);
    expect(echoes).toEqual([]);
  });

  it("refuses a VIEWER (who may follow, not lead) and a socket that has not joined the room; nothing is relayed", async () => {
    const relayed: unknown[] = [];
    b.socket.on("meeting:view", (p) => relayed.push(p));
    const refused = await viewer.socket.emitWithAck("meeting:view", { workspaceId, board: "map", view: { lat: 35, lng: 139, zoom: 12 } });
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });

    const outside = openSocket(server.url, await login(server.url, EMAILS.member));
    sockets.push(outside);
    await connected(outside);
    expect(await outside.emitWithAck("meeting:view", { workspaceId, board: "map", view: { lat: 35, lng: 139, zoom: 12 } })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    // Malformed: out of range, unknown keys.
    expect(await a.socket.emitWithAck("meeting:view", { workspaceId, board: "map", view: { lat: 99, lng: 139, zoom: 12 } })).toMatchObject({ ok: false, code: "invalid" });
    expect(await a.socket.emitWithAck("meeting:view", { workspaceId, board: "map", view: null, extra: 1 } as never)).toMatchObject({ ok: false, code: "invalid" });
    await sleep(200);
    expect(relayed).toEqual([]);
    b.socket.off("meeting:view");
  });
});
