import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planTeam, type MosaicPiece } from "../../app/features/mosaic/mosaic-grid.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { DAY, HOUR, makeArea, makeMatch, makeResident, makeTask } from "./board-fixtures.ts";
import { connected, nextEvent, openSocket, type LiveTestSocket } from "./live-support.ts";
import { ORG, PERSONAL_KEYS } from "./trust-support.ts";

/**
 * The mosaic view of a task and "confirm the whole team" against the real server (decision 034):
 * the grid's data, the team confirmed in one transaction, all-or-nothing refusals by the
 * database's booking rules, stale pages, permissions, and the live event boards patch from.
 */
describe("board: mosaic view and confirm the whole team", () => {
  let server: TestServer;
  let coordinator: string;
  let npo: string;
  let viewer: string;
  let workspaceId: string;
  let areaId: string;
  let socket: LiveTestSocket;

  const mosaic = (taskId: string, cookie: string) => getJson(server.url, `/api/v1/tasks/${taskId}/mosaic`, cookie);
  const confirm = (taskId: string, picks: unknown, cookie: string) => sendJson(server.url, "POST", `/api/v1/tasks/${taskId}/confirm-team`, { picks }, cookie);
  const stages = async (ids: string[]) =>
    Object.fromEntries((await server.services.prisma.match.findMany({ where: { id: { in: ids } }, select: { id: true, stage: true } })).map((m) => [m.id, m.stage]));

  beforeAll(async () => {
    server = await startTestServer();
    [coordinator, npo, viewer] = await Promise.all([login(server.url), login(server.url, "npo@tsunagu.example"), login(server.url, "viewer@tsunagu.example")]);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
    areaId = (await makeArea(server.services.prisma, workspaceId)).id;
    socket = openSocket(server.url, npo);
    await connected(socket);
    expect((await socket.emitWithAck("workspace:join", { workspaceId })).ok).toBe(true);
  });
  afterAll(async () => {
    socket?.close();
    await server?.stop();
  });

  /** A task of two times × two roles: 調理 ×2 and 受付 ×1 at 10:00, 調理 ×1 at 13:00. */
  async function team() {
    const prisma = server.services.prisma;
    const start = new Date(Date.now() + 6 * DAY);
    const { task, shifts } = await makeTask(prisma, { workspaceId, ownerOrgId: ORG.shakyo, areaId }, [
      { role: "調理", startsAt: start, headcount: 2 },
      { role: "受付", startsAt: start, headcount: 1 },
      { role: "調理", startsAt: new Date(start.getTime() + 3 * HOUR), headcount: 1 },
    ]);
    const residents = await Promise.all([0, 1, 2, 3, 4].map(() => makeResident(prisma, workspaceId, ORG.shakyo, areaId)));
    const [cook, desk, late] = shifts;
    const matches = {
      cookA: await makeMatch(prisma, { workspaceId, shiftId: cook.id, residentId: residents[0].id, stage: "CONFIRMED" }),
      cookB: await makeMatch(prisma, { workspaceId, shiftId: cook.id, residentId: residents[1].id, score: 0.9 }),
      cookC: await makeMatch(prisma, { workspaceId, shiftId: cook.id, residentId: residents[2].id, score: 0.2 }),
      deskD: await makeMatch(prisma, { workspaceId, shiftId: desk.id, residentId: residents[3].id, stage: "CONTACTING" }),
      lateE: await makeMatch(prisma, { workspaceId, shiftId: late.id, residentId: residents[4].id }),
    };
    return { task, shifts, residents, matches };
  }

  it("shows every piece with its cards as pseudonyms, to every member of the workspace", async () => {
    const { task, shifts } = await team();
    for (const cookie of [coordinator, npo, viewer]) {
      const answer = await mosaic(task.id, cookie);
      expect(answer.status).toBe(200);
      const ids = answer.body.pieces.map((p: MosaicPiece) => p.id);
      expect([...ids].sort()).toEqual(shifts.map((s) => s.id).sort());
      expect(ids[2]).toBe(shifts[2].id); // by start time
      expect(answer.body.pieces.find((p: MosaicPiece) => p.id === shifts[0].id).matches).toHaveLength(3);
      expect(typeof answer.body.version).toBe("number");
      const keys = new Set<string>();
      JSON.stringify(answer.body, (k, v) => (keys.add(k), v));
      expect(PERSONAL_KEYS.filter((k) => keys.has(k) && k !== "name")).toEqual([]);
    }
    expect((await mosaic("no-such-task", coordinator)).status).toBe(404);
    expect((await mosaic(task.id, await login(server.url, "resident@tsunagu.example"))).status).toBe(403);
  });

  it("confirms the top proposal of every open place in one transaction, and boards hear it as one task change", async () => {
    const { task, matches } = await team();
    const answer = await mosaic(task.id, coordinator);
    const plan = planTeam(answer.body.pieces, Date.now());
    expect(plan.picks.map((p) => p.matchId).sort()).toEqual([matches.cookB.id, matches.deskD.id, matches.lateE.id].sort());

    const live = nextEvent(socket, "task:changed", (e) => e.entityId === task.id);
    const done = await confirm(task.id, plan.picks.map((p) => ({ matchId: p.matchId, expectedVersion: p.expectedVersion })), coordinator);
    expect(done.status).toBe(200);
    expect(done.body.confirmed).toHaveLength(3);
    const event = await live;
    expect(event.data).toMatchObject({ kind: "match.team", taskId: task.id });
    expect((event.data.matches as Array<{ matchId: string; stage: string }>).every((m) => m.stage === "CONFIRMED")).toBe(true);

    expect(await stages(Object.values(matches).map((m) => m.id))).toEqual({
      [matches.cookA.id]: "CONFIRMED",
      [matches.cookB.id]: "CONFIRMED",
      [matches.cookC.id]: "SUGGESTED",
      [matches.deskD.id]: "CONFIRMED",
      [matches.lateE.id]: "CONFIRMED",
    });
    // History: who confirmed it, as a stage move (the KPIs read these).
    const history = await server.services.prisma.matchEvent.findMany({ where: { matchId: matches.deskD.id, kind: "stage" } });
    expect(history).toMatchObject([{ fromStage: "CONTACTING", toStage: "CONFIRMED" }]);

    // The page now offers nothing more to confirm.
    const after = await mosaic(task.id, coordinator);
    expect(planTeam(after.body.pieces, Date.now()).picks).toEqual([]);
  });

  it("all or nothing: a resident booked elsewhere at the same time is refused by the database (409 double_booked, naming the card) and nobody is confirmed", async () => {
    const prisma = server.services.prisma;
    const { task, shifts, residents, matches } = await team();
    // Resident 4 (proposed for the 13:00 piece) gets booked on another task at the same time.
    const other = await makeTask(prisma, { workspaceId, ownerOrgId: ORG.shakyo, areaId }, [{ role: "見守り", startsAt: shifts[2].startsAt }]);
    await makeMatch(prisma, { workspaceId, shiftId: other.shifts[0].id, residentId: residents[4].id, stage: "CONFIRMED" });

    const plan = planTeam((await mosaic(task.id, coordinator)).body.pieces, Date.now());
    const versionBefore = (await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).version;
    const refused = await confirm(task.id, plan.picks.map((p) => ({ matchId: p.matchId, expectedVersion: p.expectedVersion })), coordinator);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ reason: "double_booked", matchId: matches.lateE.id, publicCode: residents[4].publicCode });
    expect(refused.body.error.message).toContain(residents[4].publicCode);
    expect(await stages([matches.cookB.id, matches.deskD.id, matches.lateE.id])).toEqual({
      [matches.cookB.id]: "SUGGESTED",
      [matches.deskD.id]: "CONTACTING",
      [matches.lateE.id]: "SUGGESTED",
    });
    expect((await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).version).toBe(versionBefore);
  });

  it("a piece over its headcount is refused (409 piece_full) and nothing is confirmed", async () => {
    const { task, matches } = await team();
    // Two picks for the one open cooking place: the second would overfill it.
    const refused = await confirm(task.id, [
      { matchId: matches.cookB.id, expectedVersion: 1 },
      { matchId: matches.cookC.id, expectedVersion: 1 },
    ], coordinator);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ reason: "piece_full", matchId: matches.cookC.id });
    expect(await stages([matches.cookB.id, matches.cookC.id])).toEqual({ [matches.cookB.id]: "SUGGESTED", [matches.cookC.id]: "SUGGESTED" });
  });

  it("a card changed since the page was read is a conflict naming it; cards of another task are refused", async () => {
    const { task, matches } = await team();
    const moved = await sendJson(server.url, "POST", `/api/v1/matches/${matches.deskD.id}/stage`, { stage: "ARRANGING", expectedVersion: 1 }, coordinator);
    expect(moved.status).toBe(200);
    const stale = await confirm(task.id, [
      { matchId: matches.cookB.id, expectedVersion: 1 },
      { matchId: matches.deskD.id, expectedVersion: 1 },
    ], coordinator);
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toMatchObject({ reason: "changed", matchId: matches.deskD.id });
    expect((await stages([matches.cookB.id]))[matches.cookB.id]).toBe("SUGGESTED");

    const elsewhere = await team();
    const foreign = await confirm(task.id, [{ matchId: elsewhere.matches.cookB.id, expectedVersion: 1 }], coordinator);
    expect(foreign.status).toBe(400);
    expect((await confirm(task.id, [], coordinator)).status).toBe(400);
  });

  it("viewers and members may look but not confirm; ORG tasks of another organization are not found", async () => {
    const { task, matches } = await team();
    const body = [{ matchId: matches.cookB.id, expectedVersion: 1 }];
    expect((await confirm(task.id, body, viewer)).status).toBe(403);
    expect((await confirm(task.id, body, await login(server.url, "member@tsunagu.example"))).status).toBe(403);
    expect((await stages([matches.cookB.id]))[matches.cookB.id]).toBe("SUGGESTED");

    const hidden = await makeTask(server.services.prisma, { workspaceId, ownerOrgId: ORG.shakyo, areaId, visibility: "ORG" }, [{ role: "内部", startsAt: new Date(Date.now() + 8 * DAY) }]);
    expect((await mosaic(hidden.task.id, npo)).status).toBe(404);
    expect((await confirm(hidden.task.id, body, npo)).status).toBe(404);
    expect((await mosaic(hidden.task.id, coordinator)).status).toBe(200);
  });
});
