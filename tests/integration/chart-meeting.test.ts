import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../server/auth/sessions.ts";
import type { TestServer } from "../setup/test-server.ts";
import { nextEvent, openMeetingRoom, sleep, type JoinedSocket } from "./live-support.ts";

/**
 * Meeting mode on a chart (decision 069), against real sockets and the seeded database:
 * - `meeting:view` on `chart:<areaId>` carries a section and no viewport, is relayed to the others
 *   (a VIEWER included) with the facilitator, and ends with neither view nor section;
 * - a malformed section is refused and not relayed;
 * - the agenda read for an area holds that area's tasks only.
 */
const DAY = 86_400_000;

describe("meeting mode on a chart", () => {
  let room: Awaited<ReturnType<typeof openMeetingRoom>>;
  let server: TestServer;
  let a: JoinedSocket;
  let b: JoinedSocket;
  let viewer: JoinedSocket;
  let workspaceId: string;

  beforeAll(async () => {
    room = await openMeetingRoom();
    ({ server, a, b, viewer, workspaceId } = room);
  });
  afterAll(() => room?.close());

  it("relays the section a facilitator is in on one area's chart, without a viewport, and ends it", async () => {
    const echoes: unknown[] = [];
    a.socket.on("meeting:view", (p) => echoes.push(p));
    const atB = nextEvent(b.socket, "meeting:view", (p) => p.board === "chart:area-north");
    const atViewer = nextEvent(viewer.socket, "meeting:view", (p) => p.board === "chart:area-north");
    expect(await a.socket.emitWithAck("meeting:view", { workspaceId, board: "chart:area-north", view: null, section: "issues" })).toEqual({ ok: true });
    for (const shared of [await atB, await atViewer]) {
      expect(shared).toMatchObject({ workspaceId, board: "chart:area-north", view: null, section: "issues", facilitator: { displayName: "中村 由美" } });
    }
    // Another heading and the plan table are sections too.
    const next = nextEvent(b.socket, "meeting:view", (p) => p.section === "action-plan");
    await a.socket.emitWithAck("meeting:view", { workspaceId, board: "chart:area-north", view: null, section: "action-plan" });
    expect(await next).toMatchObject({ board: "chart:area-north", section: "action-plan" });
    // Neither view nor section: the sharing ends (the client drops the board's entry).
    const ended = nextEvent(b.socket, "meeting:view", (p) => p.board === "chart:area-north" && p.section === undefined);
    await a.socket.emitWithAck("meeting:view", { workspaceId, board: "chart:area-north", view: null });
    expect(await ended).toMatchObject({ view: null });
    expect(await ended).not.toHaveProperty("section");
    await sleep(150);
    expect(echoes).toEqual([]);
    a.socket.off("meeting:view");
  });

  it("refuses a malformed section or board and a VIEWER leading; nothing is relayed", async () => {
    const relayed: unknown[] = [];
    b.socket.on("meeting:view", (p) => relayed.push(p));
    for (const bad of [
      { workspaceId, board: "chart:area-north", view: null, section: "課題" },
      { workspaceId, board: "chart:area-north", view: null, section: "x".repeat(65) },
      { workspaceId, board: "chart:<script>", view: null, section: "issues" },
    ]) {
      expect(await a.socket.emitWithAck("meeting:view", bad)).toMatchObject({ ok: false, code: "invalid" });
    }
    expect(await viewer.socket.emitWithAck("meeting:view", { workspaceId, board: "chart:area-north", view: null, section: "issues" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    await sleep(200);
    expect(relayed).toEqual([]);
    b.socket.off("meeting:view");
  });

  it("reads the agenda of one area: its tasks' open pieces and stuck matches, not other areas' nor area-less tasks", async () => {
    const prisma = server.services.prisma;
    const coordinator = (await server.services.userFromCookieHeader(a.cookie)) as SessionUser;
    const now = new Date();
    const orgId = coordinator.memberships.find((m) => m.workspaceId === workspaceId)!.organizationId;
    const [north, south] = await Promise.all(
      ["north", "south"].map((code) =>
        prisma.area.create({
          data: { workspaceId, code: `meeting-${code}`, name: `会議${code}地区`, polygon: { type: "Polygon", coordinates: [] }, centerLat: 35.7, centerLng: 139.7 },
        }),
      ),
    );
    const task = (title: string, areaId: string | null) =>
      prisma.task.create({
        data: {
          workspaceId,
          ownerOrgId: orgId,
          areaId,
          title,
          description: "会議モードのテスト",
          category: "watch",
          shifts: { create: [{ role: "訪問", startsAt: new Date(now.getTime() + 2 * DAY), endsAt: new Date(now.getTime() + 2 * DAY + 3_600_000), headcount: 2 }] },
        },
        select: { id: true, shifts: { select: { id: true } } },
      });
    const inNorth = await task("北の見守り", north.id);
    const inSouth = await task("南の見守り", south.id);
    const nowhere = await task("地区なしの見守り", null);
    // A stuck match on the north task's piece (any resident of the workspace).
    const resident = await prisma.resident.findFirstOrThrow({ where: { workspaceId }, select: { id: true } });
    const match = await prisma.match.create({
      data: { workspaceId, residentId: resident.id, shiftId: inNorth.shifts[0].id, stage: "CONTACTING", stageChangedAt: new Date(now.getTime() - 6 * DAY), score: 0.5 },
      select: { id: true },
    });

    const agenda = server.services.domain.meetingAgenda;
    const forNorth = await agenda.forWorkspace(coordinator, workspaceId, { now, areaId: north.id });
    expect(forNorth.openSoon.map((p) => p.taskId)).toEqual([inNorth.id]);
    expect(forNorth.stuck.map((s) => s.matchId)).toEqual([match.id]);
    const forSouth = await agenda.forWorkspace(coordinator, workspaceId, { now, areaId: south.id });
    expect(forSouth.openSoon.map((p) => p.taskId)).toEqual([inSouth.id]);
    expect(forSouth.stuck).toEqual([]);
    // The workspace's agenda (the map's) still has all three.
    const all = await agenda.forWorkspace(coordinator, workspaceId, { now, limit: 200 });
    expect(all.openSoon.map((p) => p.taskId)).toEqual(expect.arrayContaining([inNorth.id, inSouth.id, nowhere.id]));
  });
});
