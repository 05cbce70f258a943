import pg from "pg";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainEvent, JoinAck, MatchingUpdated } from "../../app/lib/realtime/events.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

/** The live matching rerun (issue 4, section 2): change → solve in a worker → one write → matching:updated. */
describe("matching rerun", () => {
  let server: TestServer;
  let cookie: string;
  let workspaceId: string;
  let socket: Socket;
  const updates: Array<{ at: number; payload: MatchingUpdated }> = [];
  const matchChangedVersions: number[] = [];

  const engineProposals = (where: Record<string, unknown> = {}) =>
    server.services.prisma.match.findMany({
      where: { workspaceId, stage: "SUGGESTED", pinned: false, source: "MATCHER", ...where },
      select: { id: true, residentId: true, shiftId: true },
    });

  function nextUpdate(after: number, timeoutMs = 5_000): Promise<{ at: number; payload: MatchingUpdated }> {
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const poll = () => {
        const found = updates.find((u) => u.at >= after);
        if (found) return resolve(found);
        if (Date.now() > deadline) return reject(new Error("no matching:updated"));
        setTimeout(poll, 5);
      };
      poll();
    });
  }

  async function putAvailability(residentId: string, windows: Array<{ weekday: number; startMinute: number; endMinute: number }>) {
    const current = await getJson(server.url, `/api/v1/residents/${residentId}/availability`, cookie);
    expect(current.status).toBe(200);
    const put = await sendJson(
      server.url,
      "PUT",
      `/api/v1/residents/${residentId}/availability`,
      { expectedVersion: current.body.version, windows, exceptions: [] },
      cookie,
    );
    expect(put.status).toBe(200);
  }

  beforeAll(async () => {
    server = await startTestServer({ matching: { debounceMs: 50, maxWaitMs: 300 }, env: { LOG_LEVEL: "error" } });
    // The start-up rerun of every workspace (a restart reruns what changed while down).
    await server.matching!.idle();
    cookie = await login(server.url);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
    socket = connect(server.url, { path: "/socket.io", transports: ["websocket"], reconnection: false, extraHeaders: { cookie } });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const ack = (await socket.emitWithAck("workspace:join", { workspaceId })) as JoinAck;
    expect(ack.ok).toBe(true);
    // The start-up rerun solved this workspace.
    expect(server.matching!.solvedVersion(workspaceId)).toBeGreaterThan(0);
    socket.on("matching:updated", (payload: MatchingUpdated) => updates.push({ at: Date.now(), payload }));
    socket.on("match:changed", (event: DomainEvent) => matchChangedVersions.push(event.version));
  }, 20_000);

  afterAll(async () => {
    socket?.disconnect();
    await server?.stop();
  });

  it("reruns after an availability change and pushes matching:updated within 1 s", async () => {
    const proposals = await engineProposals({ resident: { registeredByOrgId: "seed-org-shakyo" } });
    expect(proposals.length).toBeGreaterThan(0);
    const residentId = proposals[0].residentId;

    const started = Date.now();
    await putAvailability(residentId, []);
    const { at, payload } = await nextUpdate(started);
    expect(at - started).toBeLessThan(1_000);
    expect(payload.workspaceId).toBe(workspaceId);
    expect(payload.removed).toBeGreaterThan(0);
    expect(payload.stats.proposals).toBeGreaterThan(0);
    // The start-up run solved in full; this one re-solves only what the change touches.
    expect(payload.stats.mode).toBe("incremental");
    // No personal data: counts, ids, statistics.
    expect(JSON.stringify(payload)).not.toMatch(/displayName|email|phone|address/);
    console.info(`change → matching:updated ${at - started} ms; run ${JSON.stringify(payload.stats)}`);

    const db = server.services.prisma;
    const added = await db.match.findMany({ where: { id: { in: payload.matchIds.added } } });
    expect(added).toHaveLength(payload.added);
    for (const m of added) expect(m).toMatchObject({ stage: "SUGGESTED", source: "MATCHER", pinned: false });
    expect(await db.match.count({ where: { id: { in: payload.matchIds.removed } } })).toBe(0);
    expect(await db.matchEvent.count({ where: { matchId: { in: payload.matchIds.added }, kind: "created", actorUserId: null } })).toBe(payload.added);
    expect(await engineProposals({ residentId })).toHaveLength(0);
    // The run's version also came as a match:changed, so live clients see no hole in the versions.
    expect(matchChangedVersions).toContain(payload.version);
    const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    expect(workspace.version).toBeGreaterThanOrEqual(payload.version);

    // Free again all week: the resident gets proposals back, and the database holds them.
    const again = Date.now();
    const allWeek = Array.from({ length: 7 }, (_, weekday) => ({ weekday, startMinute: 0, endMinute: 1440 }));
    await putAvailability(residentId, allWeek);
    const second = await nextUpdate(again);
    expect(second.at - again).toBeLessThan(1_000);
    const held = await db.match.findMany({ where: { id: { in: second.payload.matchIds.added } } });
    expect(held).toHaveLength(second.payload.added);
    await server.matching!.idle();
  }, 20_000);

  it("never writes over a card a coordinator moved", async () => {
    await server.matching!.idle();
    const all = await engineProposals({ resident: { registeredByOrgId: "seed-org-shakyo" } });
    const perResident = new Map<string, number>();
    for (const p of all) perResident.set(p.residentId, (perResident.get(p.residentId) ?? 0) + 1);
    // A resident with another proposal, so the rerun has something to remove.
    const card = all.find((p) => (perResident.get(p.residentId) ?? 0) >= 2)!;
    expect(card).toBeTruthy();
    const row = await server.services.prisma.match.findUniqueOrThrow({ where: { id: card.id } });

    // The availability change (rerun trigger) and the move race: whichever order they commit in,
    // the card stays where the coordinator put it.
    const started = Date.now();
    const [moved] = await Promise.all([
      sendJson(server.url, "POST", `/api/v1/matches/${card.id}/stage`, { stage: "CONTACTING", expectedVersion: row.version }, cookie),
      putAvailability(card.residentId, []),
    ]);
    expect(moved.status).toBe(200);
    await nextUpdate(started);
    await server.matching!.idle();
    const after = await server.services.prisma.match.findUniqueOrThrow({ where: { id: card.id } });
    expect(after.stage).toBe("CONTACTING");
    expect(after.source).toBe("MATCHER");
    // The resident's other engine proposals went (no free time), the moved card did not.
    expect(await engineProposals({ residentId: card.residentId })).toHaveLength(0);
  }, 20_000);

  it("plans nothing when nothing changed (no version bump)", async () => {
    await server.matching!.idle();
    const before = (await server.services.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).version;
    expect(await server.matching!.runOnce(workspaceId)).toBeNull();
    const after = (await server.services.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).version;
    expect(after).toBe(before);
  }, 20_000);

  it("leaves a workspace to the instance holding its advisory lock", async () => {
    await server.matching!.idle();
    const other = new pg.Client({ connectionString: server.database.url });
    await other.connect();
    try {
      const key = "select pg_try_advisory_lock(hashtext('tsunagu:matching'), hashtext($1)) as ok";
      expect((await other.query(key, [workspaceId])).rows[0].ok).toBe(true);
      const [card] = await engineProposals({ resident: { registeredByOrgId: "seed-org-shakyo" } });
      const before = (await server.services.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).version;
      const started = Date.now();
      await putAvailability(card.residentId, []);
      // Debounce + run: skipped while the other "instance" holds the lock.
      await new Promise((r) => setTimeout(r, 250));
      expect(updates.some((u) => u.at >= started)).toBe(false);
      expect((await server.services.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).version).toBe(before + 1);
      // Released: this instance retries (after the max wait) and solves the change.
      await other.query("select pg_advisory_unlock(hashtext('tsunagu:matching'), hashtext($1))", [workspaceId]);
      await nextUpdate(started);
      expect(await engineProposals({ residentId: card.residentId })).toHaveLength(0);
    } finally {
      await other.end();
    }
  }, 20_000);

  it("closes cleanly while a rerun is pending or running", async () => {
    await server.matching!.idle();
    const [card] = await engineProposals({ resident: { registeredByOrgId: "seed-org-shakyo" } });
    await putAvailability(card.residentId, []);
    // Past the debounce: the run is loading or solving when close() starts.
    await new Promise((r) => setTimeout(r, 60));
    const started = Date.now();
    socket.disconnect();
    const stopping = server;
    server = undefined as unknown as TestServer;
    await stopping.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);
});
