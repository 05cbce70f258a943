import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../server/auth/sessions.ts";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";

/**
 * The meeting agenda (server/domain/meeting-agenda.ts) against the seeded demo platform: which
 * matches count as stuck, which pieces as open and soon, visibility of ORG tasks, and that no
 * resident appears in it.
 */
const DAY = 86_400_000;

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  return [];
}

describe("meeting agenda", () => {
  let server: TestServer;
  let coordinator: SessionUser;
  let npo: SessionUser;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestServer({ remix: "none" });
    coordinator = (await server.services.userFromCookieHeader(await login(server.url)))!;
    npo = (await server.services.userFromCookieHeader(await login(server.url, "npo@tsunagu.example")))!;
    workspaceId = coordinator.memberships[0].workspaceId;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const agenda = (user: SessionUser, now = new Date()) => server.services.domain.meetingAgenda.forWorkspace(user, workspaceId, { now });

  it("lists matches waiting in 連絡中/調整中 longer than 3 days, oldest first, without residents", async () => {
    const prisma = server.services.prisma;
    const now = new Date();
    // Two proposals on future pieces of workspace-visible tasks.
    const candidates = await prisma.match.findMany({
      where: { workspaceId, stage: "SUGGESTED", shift: { startsAt: { gt: now }, task: { visibility: { in: ["PUBLIC", "PLATFORM"] } } } },
      take: 2,
      orderBy: { id: "asc" },
      select: { id: true },
    });
    expect(candidates).toHaveLength(2);
    const [old, fresh] = candidates.map((c) => c.id);
    await prisma.match.update({ where: { id: old }, data: { stage: "ARRANGING", stageChangedAt: new Date(now.getTime() - 9.5 * DAY) } });
    await prisma.match.update({ where: { id: fresh }, data: { stage: "CONTACTING", stageChangedAt: new Date(now.getTime() - 1 * DAY) } });

    const result = await agenda(coordinator, now);
    const ids = result.stuck.map((s) => s.matchId);
    expect(ids).toContain(old);
    expect(ids).not.toContain(fresh);
    expect(result.stuck.find((s) => s.matchId === old)).toMatchObject({ stage: "ARRANGING", days: 9 });
    // Oldest first; every one over the threshold and in a stuck stage.
    const days = result.stuck.map((s) => s.days);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
    for (const s of result.stuck) {
      expect(["CONTACTING", "ARRANGING"]).toContain(s.stage);
      expect(s.days).toBeGreaterThanOrEqual(3);
    }
    // No resident in the agenda: no such field, and no resident's id, code or name anywhere. (Not a
    // text search for "resident": a task may be called "Escorting residents…".)
    expect(keysOf(result).filter((key) => /resident|displayName|publicCode/i.test(key))).toEqual([]);
    const text = JSON.stringify(result);
    const residents = await prisma.resident.findMany({ where: { workspaceId }, select: { id: true, publicCode: true, displayName: true } });
    expect(residents.length).toBeGreaterThan(0);
    for (const r of residents) for (const value of [r.id, r.publicCode, r.displayName]) expect(text).not.toContain(value);

    // Moving the stage on takes it off the agenda.
    await prisma.match.update({ where: { id: old }, data: { stage: "CONFIRMED", stageChangedAt: now } });
    expect((await agenda(coordinator, now)).stuck.map((s) => s.matchId)).not.toContain(old);
  });

  it("lists pieces of open tasks starting within 7 days that still have free seats", async () => {
    const now = new Date();
    const result = await agenda(coordinator, now);
    expect(result.openSoon.length).toBeGreaterThan(0);
    for (const piece of result.openSoon) {
      const starts = Date.parse(piece.startsAt);
      expect(starts).toBeGreaterThan(now.getTime());
      expect(starts).toBeLessThan(now.getTime() + 7 * DAY);
      expect(piece.open).toBeGreaterThan(0);
      expect(piece.open).toBeLessThanOrEqual(piece.headcount);
    }
    // The free seats are the headcount less the filled (CONFIRMED, ACTIVE, COMPLETED) matches, counted here.
    for (const piece of result.openSoon.slice(0, 5)) {
      const filled = await server.services.prisma.match.count({ where: { shiftId: piece.shiftId, stage: { in: ["CONFIRMED", "ACTIVE", "COMPLETED"] } } });
      expect(piece.open).toBe(piece.headcount - filled);
    }
    // Closing the first one's task takes it off.
    const first = result.openSoon[0];
    await server.services.prisma.task.update({ where: { id: first.taskId }, data: { status: "CLOSED" } });
    expect((await agenda(coordinator, now)).openSoon.map((p) => p.shiftId)).not.toContain(first.shiftId);
  });

  it("shows an organization-only task's items to that organization only", async () => {
    const prisma = server.services.prisma;
    const now = new Date();
    const ownOrg = coordinator.memberships.find((m) => m.workspaceId === workspaceId)!.organizationId;
    const match = await prisma.match.findFirstOrThrow({
      where: { workspaceId, stage: "SUGGESTED", shift: { startsAt: { gt: now }, task: { ownerOrgId: ownOrg } } },
      select: { id: true, shift: { select: { taskId: true } } },
    });
    await prisma.task.update({ where: { id: match.shift.taskId }, data: { visibility: "ORG" } });
    await prisma.match.update({ where: { id: match.id }, data: { stage: "CONTACTING", stageChangedAt: new Date(now.getTime() - 5 * DAY) } });
    expect((await agenda(coordinator, now)).stuck.map((s) => s.matchId)).toContain(match.id);
    expect((await agenda(npo, now)).stuck.map((s) => s.matchId)).not.toContain(match.id);
  });

  it("GET /api/v1/workspaces/:id/meeting-agenda answers the same read, by area too, and refuses bad requests", async () => {
    const cookie = await login(server.url);
    const path = `/api/v1/workspaces/${workspaceId}/meeting-agenda`;
    const whole = await getJson(server.url, path, cookie);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("cache-control")).toContain("no-store");
    const direct = await agenda(coordinator);
    expect(whole.body.stuck.map((s: { matchId: string }) => s.matchId)).toEqual(direct.stuck.map((s) => s.matchId));
    expect(whole.body.openSoon.map((p: { shiftId: string }) => p.shiftId)).toEqual(direct.openSoon.map((p) => p.shiftId));
    expect(whole.body.openSoon.length + whole.body.stuck.length).toBeGreaterThan(0);

    // With an area: only that area's tasks (the chart's agenda).
    const prisma = server.services.prisma;
    const shift = await prisma.shift.findFirstOrThrow({
      where: { id: { in: direct.openSoon.map((p) => p.shiftId) }, task: { areaId: { not: null } } },
      select: { task: { select: { areaId: true } } },
    });
    const areaId = shift.task.areaId!;
    const byArea = await getJson(server.url, `${path}?areaId=${areaId}`, cookie);
    expect(byArea.status).toBe(200);
    expect(byArea.body.openSoon.length).toBeGreaterThan(0);
    const taskAreas = await prisma.task.findMany({
      where: { id: { in: [...byArea.body.openSoon, ...byArea.body.stuck].map((item: { taskId: string }) => item.taskId) } },
      select: { areaId: true },
    });
    expect(new Set(taskAreas.map((t) => t.areaId))).toEqual(new Set([areaId]));

    expect((await getJson(server.url, path)).status).toBe(401);
    const unknownKey = await getJson(server.url, `${path}?stuckDays=0`, cookie);
    expect(unknownKey.status).toBe(400);
    expect((await getJson(server.url, `${path}?areaId=${"x".repeat(65)}`, cookie)).status).toBe(400);
    expect((await getJson(server.url, `/api/v1/workspaces/no-such-workspace/meeting-agenda`, cookie)).status).toBeGreaterThanOrEqual(403);
  });
});
