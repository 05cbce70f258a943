import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainEvent } from "../../app/lib/realtime/events.ts";
import { DAY, makeArea, makeMatch, makeResident, makeTask } from "./board-fixtures.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

/**
 * The map's task layer, resident counts, task moves and resource edits (decision 070) against the
 * real server: visibility of ORG tasks, the next open piece, counts under 5 never exact and no
 * resident position, a task move refused to other organizations and on a stale version (through
 * the task API, so matching reruns), and an archived resource leaving the list.
 */
describe("map layers: tasks, resident counts, edits", () => {
  let server: TestServer;
  let shakyo: string;
  let npo: string;
  let workspaceId: string;
  let shakyoOrg: string;
  let npoOrg: string;
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    server = await startTestServer({ matching: { debounceMs: 20, maxWaitMs: 200 }, env: { LOG_LEVEL: "error" } });
    await server.matching!.idle();
    [shakyo, npo] = await Promise.all([login(server.url), login(server.url, "npo@tsunagu.example")]);
    const mine = await getJson(server.url, "/api/v1/workspaces", shakyo);
    workspaceId = mine.body.items[0].id;
    const shakyoUser = (await server.services.userFromCookieHeader(`${shakyo}`))!;
    const npoUser = (await server.services.userFromCookieHeader(`${npo}`))!;
    shakyoOrg = shakyoUser.memberships.find((m) => m.workspaceId === workspaceId)!.organizationId;
    npoOrg = npoUser.memberships.find((m) => m.workspaceId === workspaceId)!.organizationId;
    expect(npoOrg).not.toBe(shakyoOrg);
    server.services.bus.subscribe((event) => void events.push(event));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const mapTasks = async (cookie: string, ids?: string[]) => {
    const response = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/map/tasks${ids ? `?ids=${ids.join(",")}` : ""}`, cookie);
    expect(response.status).toBe(200);
    return response.body.items as Array<Record<string, any>>;
  };

  it("shows open, located tasks the caller may see, with the next open piece", async () => {
    const prisma = server.services.prisma;
    const area = await makeArea(prisma, workspaceId);
    const now = Date.now();
    const { task: orgTask } = await makeTask(prisma, { workspaceId, ownerOrgId: npoOrg, areaId: area.id, title: "地図テスト 団体内", visibility: "ORG" }, [
      { role: "受付", startsAt: new Date(now + 30 * DAY) },
    ]);
    const { task: open, shifts } = await makeTask(prisma, { workspaceId, ownerOrgId: npoOrg, areaId: area.id, title: "地図テスト 公開" }, [
      { role: "満席の回", startsAt: new Date(now + 31 * DAY), headcount: 1 },
      { role: "次の回", startsAt: new Date(now + 32 * DAY), headcount: 3 },
      { role: "その次", startsAt: new Date(now + 33 * DAY), headcount: 1 },
    ]);
    const { task: closed } = await makeTask(prisma, { workspaceId, ownerOrgId: npoOrg, areaId: area.id, title: "地図テスト 締切" }, []);
    const { task: nowhere } = await makeTask(prisma, { workspaceId, ownerOrgId: npoOrg, areaId: area.id, title: "地図テスト 場所なし" }, []);
    await prisma.task.updateMany({ where: { id: { in: [orgTask.id, open.id, closed.id] } }, data: { lat: 33.004, lng: 131.004 } });
    await prisma.task.update({ where: { id: closed.id }, data: { status: "CLOSED" } });
    const resident = await makeResident(prisma, workspaceId, npoOrg, area.id);
    const other = await makeResident(prisma, workspaceId, npoOrg, area.id);
    await makeMatch(prisma, { workspaceId, shiftId: shifts[0].id, residentId: resident.id, stage: "CONFIRMED" });
    await makeMatch(prisma, { workspaceId, shiftId: shifts[1].id, residentId: other.id, stage: "CONFIRMED" });

    const seenByShakyo = (await mapTasks(shakyo)).map((t) => t.id);
    expect(seenByShakyo).toContain(open.id);
    expect(seenByShakyo).not.toContain(orgTask.id); // another organization's ORG task
    expect(seenByShakyo).not.toContain(closed.id);
    expect(seenByShakyo).not.toContain(nowhere.id);
    // Asking by id does not reveal it either.
    expect((await mapTasks(shakyo, [orgTask.id])).map((t) => t.id)).toEqual([]);
    const seenByNpo = (await mapTasks(npo)).map((t) => t.id);
    expect(seenByNpo).toEqual(expect.arrayContaining([open.id, orgTask.id]));

    const row = (await mapTasks(shakyo, [open.id]))[0];
    expect(row).toMatchObject({ id: open.id, lat: 33.004, lng: 131.004, openPieces: 2 });
    expect(row.nextPiece).toMatchObject({ shiftId: shifts[1].id, role: "次の回", open: 2, headcount: 3 });
    expect(JSON.stringify(row)).not.toMatch(/resident|displayName|publicCode/i);
  });

  it("counts residents per area, never an exact number under 5, and never a resident's position", async () => {
    const prisma = server.services.prisma;
    const few = await makeArea(prisma, workspaceId);
    const many = await makeArea(prisma, workspaceId);
    for (let i = 0; i < 3; i++) await makeResident(prisma, workspaceId, shakyoOrg, few.id);
    const residents = [];
    for (let i = 0; i < 7; i++) residents.push(await makeResident(prisma, workspaceId, shakyoOrg, many.id));
    await prisma.resident.updateMany({ where: { id: { in: residents.map((r) => r.id) } }, data: { homeLat: 12.345678, homeLng: 98.765432 } });
    await prisma.resident.update({ where: { id: residents[0].id }, data: { status: "LEFT" } }); // left: not counted

    for (const cookie of [shakyo, npo]) {
      const response = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/map/resident-counts`, cookie);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toMatch(/no-store/);
      const items = response.body.items as Array<Record<string, unknown>>;
      expect(items.find((i) => i.areaId === few.id)).toEqual({ areaId: few.id, name: few.name, nameEn: null, lat: few.centerLat, lng: few.centerLng, value: null, suppressed: true });
      expect(items.find((i) => i.areaId === many.id)).toMatchObject({ value: 6, suppressed: false, lat: many.centerLat, lng: many.centerLng });
      for (const item of items) {
        expect(Object.keys(item).sort()).toEqual(["areaId", "lat", "lng", "name", "nameEn", "suppressed", "value"]);
        if (typeof item.value === "number") expect(item.value).toBeGreaterThanOrEqual(5);
        else expect(item.suppressed).toBe(true);
      }
      const text = JSON.stringify(response.body);
      expect(text).not.toContain("12.345678");
      expect(text).not.toContain("98.765432");
    }
    expect((await getJson(server.url, `/api/v1/workspaces/${workspaceId}/map/resident-counts`)).status).toBe(401);
  });

  it("moves a task only for its own organization, refuses a stale version, and reruns matching", async () => {
    const prisma = server.services.prisma;
    const area = await makeArea(prisma, workspaceId);
    const { task } = await makeTask(prisma, { workspaceId, ownerOrgId: npoOrg, areaId: area.id, title: "地図テスト 移動" }, [{ role: "回", startsAt: new Date(Date.now() + 40 * DAY) }]);
    await prisma.task.update({ where: { id: task.id }, data: { lat: 33.001, lng: 131.001 } });

    const refused = await sendJson(server.url, "PATCH", `/api/v1/tasks/${task.id}`, { lat: 33.002, lng: 131.002, expectedVersion: 1 }, shakyo);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");

    const before = events.length;
    const moved = await sendJson(server.url, "PATCH", `/api/v1/tasks/${task.id}`, { lat: 33.003, lng: 131.003, expectedVersion: 1 }, npo);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ lat: 33.003, lng: 131.003, version: 2 });
    const event = events.slice(before).find((e) => e.entity === "task" && e.entityId === task.id)!;
    // The event goes to the whole workspace room: no place of the task in it (the map refetches).
    expect(event.data).toEqual({ taskId: task.id, version: 2 });

    // The task update is a matching trigger: a run covers the move's workspace version.
    await new Promise((r) => setTimeout(r, 50));
    await server.matching!.idle();
    expect(server.matching!.solvedVersion(workspaceId)).toBeGreaterThanOrEqual(event.version);

    const stale = await sendJson(server.url, "PATCH", `/api/v1/tasks/${task.id}`, { lat: 33.009, lng: 131.009, expectedVersion: 1 }, npo);
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toMatchObject({ id: task.id, version: 2, lat: 33.003, lng: 131.003 });
    expect((await mapTasks(npo, [task.id]))[0]).toMatchObject({ lat: 33.003, lng: 131.003, version: 2 });
  });

  it("edits a resource's fields with a version check, and an archived one leaves the list", async () => {
    const created = await sendJson(
      server.url,
      "POST",
      `/api/v1/workspaces/${workspaceId}/resources`,
      { ownerOrgId: shakyoOrg, kind: "PLACE", category: "gathering", name: "地図テスト 集会所", lat: 33.005, lng: 131.005 },
      shakyo,
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const edit = { name: "地図テスト 公民館", nameEn: "Test hall", category: "gathering", description: "説明", address: "1-2-3", expectedVersion: 1 };
    expect((await sendJson(server.url, "PATCH", `/api/v1/resources/${id}`, edit, npo)).status).toBe(403);
    const saved = await sendJson(server.url, "PATCH", `/api/v1/resources/${id}`, edit, shakyo);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ name: "地図テスト 公民館", nameEn: "Test hall", description: "説明", address: "1-2-3", version: 2 });
    const stale = await sendJson(server.url, "PATCH", `/api/v1/resources/${id}`, { ...edit, name: "上書き" }, shakyo);
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toMatchObject({ name: "地図テスト 公民館", version: 2 });

    const before = events.length;
    const archived = await sendJson(server.url, "PATCH", `/api/v1/resources/${id}`, { status: "ARCHIVED", expectedVersion: 2 }, shakyo);
    expect(archived.status).toBe(200);
    expect(events.slice(before).find((e) => e.entity === "resource" && e.entityId === id)?.verb).toBe("deleted");
    const list = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/resources?limit=500`, npo);
    expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });
});
