import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

const PERSONAL_KEYS = ["displayName", "email", "phone", "address", "birthYear", "homeLat", "homeLng", "notes", "specialCare", "nameKana"];

function findPersonalKeys(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => findPersonalKeys(v, found));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (PERSONAL_KEYS.includes(key)) found.push(key);
      findPersonalKeys(v, found);
    }
  }
  return found;
}

describe("REST API v1", () => {
  let server: TestServer;
  let coordinator: string; // 社協 coordinator
  let npo: string; // coordinator of another organization
  let viewer: string;
  let outsider: string; // a resident's own login: no membership
  let workspaceId: string;
  let coordinatorOrgId: string;
  let startVersion: number;

  beforeAll(async () => {
    server = await startTestServer();
    [coordinator, npo, viewer, outsider] = await Promise.all([
      login(server.url),
      login(server.url, "npo@tsunagu.example"),
      login(server.url, "viewer@tsunagu.example"),
      login(server.url, "resident@tsunagu.example"),
    ]);
    const workspaces = await getJson(server.url, "/api/v1/workspaces", coordinator);
    workspaceId = workspaces.body.items[0].id;
    startVersion = workspaces.body.items[0].version;
    coordinatorOrgId = workspaces.body.items[0].memberships[0].organizationId;
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("workspaces and areas", () => {
    it("refuses callers without a session with 401", async () => {
      for (const path of ["/api/v1/workspaces", `/api/v1/workspaces/${workspaceId}/areas`, `/api/v1/workspaces/${workspaceId}/tasks`]) {
        const response = await getJson(server.url, path);
        expect(response.status, path).toBe(401);
        expect(response.body.error.code).toBe("unauthenticated");
      }
    });

    it("lists the caller's workspaces with their roles", async () => {
      const response = await getJson(server.url, "/api/v1/workspaces", coordinator);
      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(1);
      expect(response.body.items[0].memberships[0].role).toBe("COORDINATOR");
      const none = await getJson(server.url, "/api/v1/workspaces", outsider);
      expect(none.body.items).toEqual([]);
    });

    it("lists areas with GeoJSON polygons, and refuses non-members", async () => {
      const response = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/areas`, coordinator);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeGreaterThanOrEqual(3);
      for (const area of response.body.items) {
        expect(["Polygon", "MultiPolygon"]).toContain(area.polygon.type);
      }
      const refused = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/areas`, outsider);
      expect(refused.status).toBe(403);
    });
  });

  describe("tasks and pieces", () => {
    let taskId: string;

    it("pages through tasks with a cursor", async () => {
      const first = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/tasks?limit=10`, coordinator);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(10);
      expect(first.body.nextCursor).toBeTruthy();
      const second = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/tasks?limit=10&cursor=${first.body.nextCursor}`, coordinator);
      const ids = new Set(first.body.items.map((t: { id: string }) => t.id));
      expect(second.body.items.some((t: { id: string }) => ids.has(t.id))).toBe(false);
      expect(first.body.items[0].shifts).toBeInstanceOf(Array);
    });

    it("rejects a bad query with 400", async () => {
      const response = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/tasks?limit=abc`, coordinator);
      expect(response.status).toBe(400);
      expect(response.body.error.details[0].path).toBe("limit");
    });

    it("creates a task for the caller's own organization", async () => {
      const response = await sendJson(
        server.url,
        "POST",
        `/api/v1/workspaces/${workspaceId}/tasks`,
        { ownerOrgId: coordinatorOrgId, title: "テスト用の見守り活動", category: "watch", visibility: "PUBLIC", lat: 35.5, lng: 139.5 },
        coordinator,
      );
      expect(response.status).toBe(201);
      expect(response.body.version).toBe(1);
      expect(response.body.status).toBe("OPEN");
      taskId = response.body.id;
    });

    it("refuses to create a task for another organization, or as a viewer", async () => {
      const npoWorkspaces = await getJson(server.url, "/api/v1/workspaces", npo);
      const npoOrgId = npoWorkspaces.body.items[0].memberships[0].organizationId;
      const other = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/tasks`, { ownerOrgId: npoOrgId, title: "x", category: "food" }, coordinator);
      expect(other.status).toBe(403);
      const asViewer = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/tasks`, { ownerOrgId: coordinatorOrgId, title: "x", category: "food" }, viewer);
      expect(asViewer.status).toBe(403);
    });

    it("names every invalid field of a task", async () => {
      const response = await sendJson(
        server.url,
        "POST",
        `/api/v1/workspaces/${workspaceId}/tasks`,
        { ownerOrgId: coordinatorOrgId, title: "", category: "unknown", lat: 35.5, extra: 1 },
        coordinator,
      );
      expect(response.status).toBe(400);
      const paths = response.body.error.details.map((d: { path: string }) => d.path);
      expect(paths).toEqual(expect.arrayContaining(["title", "category"]));
    });

    it("updates with expectedVersion and answers 409 with the current task when stale", async () => {
      const ok = await sendJson(server.url, "PATCH", `/api/v1/tasks/${taskId}`, { title: "見守り活動（更新）", expectedVersion: 1 }, coordinator);
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(2);
      const stale = await sendJson(server.url, "PATCH", `/api/v1/tasks/${taskId}`, { title: "古い版から", expectedVersion: 1 }, coordinator);
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe("conflict");
      expect(stale.body.error.details.current.title).toBe("見守り活動（更新）");
      const read = await getJson(server.url, `/api/v1/tasks/${taskId}`, viewer);
      expect(read.status).toBe(200);
      expect(read.body.title).toBe("見守り活動（更新）");
    });

    it("creates, lists, reads and updates pieces; refuses an inverted time window", async () => {
      const created = await sendJson(
        server.url,
        "POST",
        `/api/v1/tasks/${taskId}/shifts`,
        { role: "受付", startsAt: "2026-12-05T01:00:00Z", endsAt: "2026-12-05T03:00:00Z", headcount: 2 },
        coordinator,
      );
      expect(created.status).toBe(201);
      const shiftId = created.body.id;
      const inverted = await sendJson(
        server.url,
        "POST",
        `/api/v1/tasks/${taskId}/shifts`,
        { role: "受付", startsAt: "2026-12-05T03:00:00Z", endsAt: "2026-12-05T01:00:00Z" },
        coordinator,
      );
      expect(inverted.status).toBe(400);
      expect(inverted.body.error.details[0].path).toBe("endsAt");
      const zero = await sendJson(server.url, "POST", `/api/v1/tasks/${taskId}/shifts`, { role: "x", startsAt: "2026-12-05T01:00:00Z", endsAt: "2026-12-05T02:00:00Z", headcount: 0 }, coordinator);
      expect(zero.status).toBe(400);

      const list = await getJson(server.url, `/api/v1/tasks/${taskId}/shifts`, coordinator);
      expect(list.body.items.map((s: { id: string }) => s.id)).toContain(shiftId);
      const one = await getJson(server.url, `/api/v1/shifts/${shiftId}`, coordinator);
      expect(one.body.headcount).toBe(2);
      const updated = await sendJson(server.url, "PATCH", `/api/v1/shifts/${shiftId}`, { headcount: 3, expectedVersion: 1 }, coordinator);
      expect(updated.status).toBe(200);
      expect(updated.body.headcount).toBe(3);
      const stale = await sendJson(server.url, "PATCH", `/api/v1/shifts/${shiftId}`, { headcount: 4, expectedVersion: 1 }, coordinator);
      expect(stale.status).toBe(409);
    });

    it("answers 404 for an unknown task", async () => {
      const response = await getJson(server.url, "/api/v1/tasks/does-not-exist", coordinator);
      expect(response.status).toBe(404);
    });
  });

  describe("residents' availability", () => {
    let residentId: string;
    let version: number;

    beforeAll(async () => {
      const resident = await server.services.prisma.resident.findFirstOrThrow({
        where: { registeredByOrgId: coordinatorOrgId, userId: null },
        orderBy: { publicCode: "asc" },
      });
      residentId = resident.id;
    });

    it("is readable by coordinators of the registering organization", async () => {
      const response = await getJson(server.url, `/api/v1/residents/${residentId}/availability`, coordinator);
      expect(response.status).toBe(200);
      expect(response.body.windows.length).toBeGreaterThan(0);
      version = response.body.version;
    });

    it("is hidden (404) from other organizations and viewers", async () => {
      expect((await getJson(server.url, `/api/v1/residents/${residentId}/availability`, npo)).status).toBe(404);
      expect((await getJson(server.url, `/api/v1/residents/${residentId}/availability`, viewer)).status).toBe(404);
    });

    it("is replaced as a whole with expectedVersion; stale writes get 409; bad windows 400", async () => {
      const put = await sendJson(
        server.url,
        "PUT",
        `/api/v1/residents/${residentId}/availability`,
        {
          expectedVersion: version,
          windows: [{ weekday: 2, startMinute: 540, endMinute: 720 }],
          exceptions: [{ date: "2026-12-08", available: false }],
          weeklyHourCap: 6,
        },
        coordinator,
      );
      expect(put.status).toBe(200);
      expect(put.body.windows).toEqual([{ weekday: 2, startMinute: 540, endMinute: 720 }]);
      expect(put.body.exceptions[0].date).toBe("2026-12-08");
      expect(put.body.version).toBe(version + 1);
      const stale = await sendJson(server.url, "PUT", `/api/v1/residents/${residentId}/availability`, { expectedVersion: version, windows: [] }, coordinator);
      expect(stale.status).toBe(409);
      const bad = await sendJson(
        server.url,
        "PUT",
        `/api/v1/residents/${residentId}/availability`,
        { expectedVersion: version + 1, windows: [{ weekday: 7, startMinute: 600, endMinute: 500 }] },
        coordinator,
      );
      expect(bad.status).toBe(400);
    });
  });

  describe("resources", () => {
    it("lists by kind, creates, moves and archives a resource", async () => {
      const places = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/resources?kind=PLACE&limit=200`, coordinator);
      expect(places.status).toBe(200);
      expect(places.body.items.length).toBeGreaterThan(0);
      expect(places.body.items.every((r: { kind: string }) => r.kind === "PLACE")).toBe(true);

      const created = await sendJson(
        server.url,
        "POST",
        `/api/v1/workspaces/${workspaceId}/resources`,
        { ownerOrgId: coordinatorOrgId, kind: "PLACE", category: "vacant_shop", name: "テスト空き店舗", lat: 35.51, lng: 139.52 },
        coordinator,
      );
      expect(created.status).toBe(201);
      const moved = await sendJson(server.url, "PATCH", `/api/v1/resources/${created.body.id}`, { lat: 35.512, expectedVersion: 1 }, coordinator);
      expect(moved.status).toBe(200);
      expect(moved.body.lat).toBe(35.512);
      const archived = await sendJson(server.url, "PATCH", `/api/v1/resources/${created.body.id}`, { status: "ARCHIVED", expectedVersion: 2 }, coordinator);
      expect(archived.body.status).toBe("ARCHIVED");
      const outOfRange = await sendJson(server.url, "PATCH", `/api/v1/resources/${created.body.id}`, { lat: 123, expectedVersion: 3 }, coordinator);
      expect(outOfRange.status).toBe(400);
      const byNpo = await sendJson(server.url, "PATCH", `/api/v1/resources/${created.body.id}`, { name: "x", expectedVersion: 3 }, npo);
      expect(byNpo.status).toBe(403);
    });
  });

  describe("matches", () => {
    it("lists cards with pseudonymous residents only", async () => {
      const response = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/matches?limit=200`, viewer);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeGreaterThan(0);
      expect(response.body.items[0].resident.publicCode).toBeTruthy();
      expect(findPersonalKeys(response.body)).toEqual([]);
    });

    it("moves a card with expectedVersion; a stale move gets 409 with the current card", async () => {
      const list = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/matches?stage=SUGGESTED&limit=1`, coordinator);
      const card = list.body.items[0];
      const moved = await sendJson(server.url, "POST", `/api/v1/matches/${card.id}/stage`, { stage: "CONTACTING", expectedVersion: card.version }, coordinator);
      expect(moved.status).toBe(200);
      expect(moved.body.stage).toBe("CONTACTING");
      expect(moved.body.version).toBe(card.version + 1);

      const stale = await sendJson(server.url, "POST", `/api/v1/matches/${card.id}/stage`, { stage: "DECLINED", expectedVersion: card.version }, npo);
      expect(stale.status).toBe(409);
      expect(stale.body.error.details.current.stage).toBe("CONTACTING");
      expect(stale.body.error.details.changedBy).toBeTruthy();

      const byViewer = await sendJson(server.url, "POST", `/api/v1/matches/${card.id}/stage`, { stage: "ARRANGING", expectedVersion: card.version + 1 }, viewer);
      expect(byViewer.status).toBe(403);
      const badStage = await sendJson(server.url, "POST", `/api/v1/matches/${card.id}/stage`, { stage: "DONE", expectedVersion: card.version + 1 }, coordinator);
      expect(badStage.status).toBe(400);
    });
  });

  describe("changes since a version", () => {
    it("returns every write of this file in version order", async () => {
      const response = await getJson(server.url, `/api/v1/changes?since=${startVersion}`, coordinator);
      expect(response.status).toBe(200);
      const versions = response.body.items.map((c: { version: number }) => c.version);
      expect(versions.length).toBeGreaterThanOrEqual(8);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(versions[0]).toBe(startVersion + 1);
      expect(response.body.version).toBe(versions[versions.length - 1]);
      const entities = new Set(response.body.items.map((c: { entity: string }) => c.entity));
      expect([...entities].sort()).toEqual(["availability", "match", "resource", "shift", "task"]);
      const scoped = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/changes?since=${response.body.version}`, coordinator);
      expect(scoped.body.items).toEqual([]);
      expect((await getJson(server.url, `/api/v1/changes?since=-1`, coordinator)).status).toBe(400);
    });
  });

  describe("open data (no login)", () => {
    it("serves public activities as GeoJSON without personal data", async () => {
      const response = await fetch(`${server.url}/api/v1/open-data/activities.geojson`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/geo\+json/);
      const body = await response.json();
      expect(body.type).toBe("FeatureCollection");
      expect(body.features.length).toBeGreaterThan(0);
      for (const feature of body.features) {
        expect(feature.geometry.type).toBe("Point");
        const [lng, lat] = feature.geometry.coordinates;
        expect(lng).toBeGreaterThan(122);
        expect(lat).toBeGreaterThan(20);
        expect(feature.properties.license).toBe("CC BY 4.0");
      }
      // Places keep their (public) address; people's fields never appear.
      expect(findPersonalKeys(body).filter((key) => key !== "address")).toEqual([]);
      const text = JSON.stringify(body);
      const residents = await server.services.prisma.resident.findMany({ select: { displayName: true, phone: true } });
      const leaked = residents.filter((r) => text.includes(r.displayName) || (r.phone && text.includes(r.phone)));
      expect(leaked).toEqual([]);
    });

    it("serves the same activities as CSV with a header row", async () => {
      const response = await fetch(`${server.url}/api/v1/open-data/activities.csv`);
      expect(response.status).toBe(200);
      const text = await response.text();
      const [header, ...rows] = text.replace(/^\uFEFF/, "").trim().split("\r\n");
      expect(header.split(",").slice(0, 3)).toEqual(["ID", "種別", "名称"]);
      expect(rows.length).toBeGreaterThan(0);
    });
  });

  it("answers unknown API paths with a JSON 404", async () => {
    const response = await getJson(server.url, "/api/v1/nothing-here", coordinator);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("not_found");
  });
});
