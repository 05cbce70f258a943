import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";

/**
 * GET /api/v1/workspaces/:id/kpis against the real server and the seeded demo platform, plus a
 * small hand-made activity in a new area whose numbers are known: 3 residents took part (below
 * the suppression threshold of 5), so only the owning organization sees them.
 */

const PERSONAL_KEYS = ["displayName", "email", "phone", "address", "birthYear", "homeLat", "homeLng", "notes", "specialCare", "nameKana"];
function personalKeys(value: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(value)) value.forEach((v) => personalKeys(v, found));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (PERSONAL_KEYS.includes(key)) found.add(key);
      personalKeys(v, found);
    }
  }
  return [...found];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe("outcomes: KPIs", () => {
  let server: TestServer;
  let coordinator: string; // 社協 coordinator: organization A, owns the test activity
  let npo: string; // coordinator of another organization of the same workspace
  let outsider: string; // a resident's own login: no membership
  let workspaceId: string;
  let ownOrgId: string;
  let npoOrgId: string;
  let areaId: string;

  const kpis = (cookie: string | undefined, query = "") => getJson(server.url, `/api/v1/workspaces/${workspaceId}/kpis${query}`, cookie);

  beforeAll(async () => {
    server = await startTestServer({ remix: "build" });
    [coordinator, npo, outsider] = await Promise.all([
      login(server.url),
      login(server.url, "npo@tsunagu.example"),
      login(server.url, "resident@tsunagu.example"),
    ]);
    const mine = await getJson(server.url, "/api/v1/workspaces", coordinator);
    workspaceId = mine.body.items[0].id;
    ownOrgId = mine.body.items[0].memberships[0].organizationId;
    const theirs = await getJson(server.url, "/api/v1/workspaces", npo);
    npoOrgId = theirs.body.items[0].memberships[0].organizationId;
    expect(npoOrgId).not.toBe(ownOrgId);

    // A known activity in a new area: one piece 10 days ago (headcount 3), three residents
    // proposed 20 days ago and confirmed 48 h later, all attended, each paid a 500 yen fare.
    const prisma = server.services.prisma;
    const now = Date.now();
    const year = new Date().getUTCFullYear();
    const area = await prisma.area.create({
      data: {
        workspaceId,
        code: "kpi-test",
        name: "KPIテスト地区",
        polygon: { type: "Polygon", coordinates: [[[130, 32], [130.01, 32], [130.01, 32.01], [130, 32]]] },
        centerLat: 32.005,
        centerLng: 130.005,
      },
    });
    areaId = area.id;
    const task = await prisma.task.create({
      data: { workspaceId, ownerOrgId: ownOrgId, areaId, title: "KPIテストの食事会", description: "テスト", category: "food", visibility: "PLATFORM" },
    });
    const shift = await prisma.shift.create({
      data: { taskId: task.id, role: "配膳", startsAt: new Date(now - 10 * DAY), endsAt: new Date(now - 10 * DAY + 2 * HOUR), headcount: 3 },
    });
    const birthYears = [year - 75, year - 75, year - 35];
    for (const [i, birthYear] of birthYears.entries()) {
      const resident = await prisma.resident.create({
        data: { workspaceId, registeredByOrgId: ownOrgId, publicCode: `KPI${i}`, displayName: `KPI テスト ${i}`, birthYear, homeAreaId: areaId },
      });
      const createdAt = new Date(now - 20 * DAY);
      const match = await prisma.match.create({
        data: {
          workspaceId,
          shiftId: shift.id,
          residentId: resident.id,
          stage: "COMPLETED",
          source: "COORDINATOR",
          createdAt,
          stageChangedAt: new Date(now - 9 * DAY),
          events: { create: [{ kind: "stage", fromStage: "ARRANGING", toStage: "CONFIRMED", createdAt: new Date(createdAt.getTime() + 48 * HOUR) }] },
        },
      });
      await prisma.participation.create({
        data: {
          residentId: resident.id,
          shiftId: shift.id,
          matchId: match.id,
          attended: true,
          incentives: { create: [{ kind: "TRANSPORT_FEE", amount: 500, issuedAt: new Date(now - 8 * DAY) }] },
        },
      });
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("who may read them", () => {
    it("refuses a caller without a session with 401", async () => {
      const response = await kpis(undefined);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe("unauthenticated");
    });

    it("refuses a user of no workspace with 403, even for their own organization's id", async () => {
      for (const query of ["", `?organizationId=${ownOrgId}`]) {
        const response = await kpis(outsider, query);
        expect(response.status, query).toBe(403);
        expect(response.body.error.code).toBe("forbidden");
      }
    });

    it("answers any member with the report, its targets and no personal fields, uncached", async () => {
      for (const cookie of [coordinator, npo, await login(server.url, "viewer@tsunagu.example")]) {
        const response = await kpis(cookie);
        expect(response.status).toBe(200);
        expect(response.headers.get("cache-control")).toContain("no-store");
        const { report, filters } = response.body;
        expect(filters).toMatchObject({ areaId: null, organizationId: null, category: null });
        expect(filters.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(report.scope).toBe("shared");
        expect(report.matchSuccess.target).toBe(0.7);
        expect(report.continuation30.target).toBe(0.6);
        expect(report.incentives.map((i: { kind: string }) => i.kind)).toEqual(["TRANSPORT_FEE", "THANKS_MONEY", "LOCAL_POINTS", "CERTIFICATE"]);
        expect(personalKeys(response.body)).toEqual([]);
      }
    });
  });

  describe("suppression of small counts", () => {
    it("shows the owning organization every count of its own activity", async () => {
      const response = await kpis(coordinator, `?organizationId=${ownOrgId}&areaId=${areaId}`);
      expect(response.status).toBe(200);
      const { report } = response.body;
      expect(report.scope).toBe("own-organization");
      expect(report.participants).toEqual({ value: 3, suppressed: false });
      expect(report.firstTimeParticipants).toEqual({ value: 3, suppressed: false });
      expect(report.matchSuccess).toMatchObject({ rate: 1, numerator: 3, denominator: 3, met: true, suppressed: false });
      expect(report.timeToMatch).toMatchObject({ hours: 48, count: 3, met: true });
      expect(report.piecesFilledOnTime).toMatchObject({ numerator: 1, denominator: 1, rate: 1 });
      expect(report.byAgeBand).toEqual([
        { key: "30", count: 1, suppressed: false },
        { key: "70", count: 2, suppressed: false },
      ]);
      expect(report.byArea).toEqual([{ key: areaId, count: 3, suppressed: false }]);
      expect(report.incentives[0]).toEqual({ kind: "TRANSPORT_FEE", count: 3, total: 1500, suppressed: false });
    });

    it("hides the same counts from another organization of the workspace", async () => {
      for (const query of [`?areaId=${areaId}`, `?organizationId=${ownOrgId}&areaId=${areaId}`]) {
        const response = await kpis(npo, query);
        expect(response.status, query).toBe(200);
        const { report } = response.body;
        expect(report.scope).toBe("shared");
        expect(report.participants).toEqual({ value: null, suppressed: true });
        expect(report.matchSuccess).toMatchObject({ rate: null, numerator: null, denominator: null, suppressed: true, met: null });
        expect(report.timeToMatch).toMatchObject({ hours: null, suppressed: true });
        expect(report.byArea).toEqual([{ key: areaId, count: null, suppressed: true }]);
        expect(report.incentives[0]).toEqual({ kind: "TRANSPORT_FEE", count: null, total: null, suppressed: true });
      }
    });

    it("hides them from the owner too when the question is not limited to the owner's organization", async () => {
      const response = await kpis(coordinator, `?areaId=${areaId}`);
      expect(response.body.report.scope).toBe("shared");
      expect(response.body.report.participants).toEqual({ value: null, suppressed: true });
    });
  });

  describe("filters", () => {
    it("narrow the counted activities: area, category and period", async () => {
      const own = `?organizationId=${ownOrgId}`;
      const all = (await kpis(coordinator, own)).body.report;
      const inArea = (await kpis(coordinator, `${own}&areaId=${areaId}`)).body.report;
      const otherCategory = (await kpis(coordinator, `${own}&areaId=${areaId}&category=watch`)).body.report;
      const sameCategory = (await kpis(coordinator, `${own}&areaId=${areaId}&category=food`)).body.report;
      const day = (ms: number) => new Date(ms + 9 * HOUR).toISOString().slice(0, 10);
      const before = (await kpis(coordinator, `${own}&areaId=${areaId}&from=${day(Date.now() - 60 * DAY)}&to=${day(Date.now() - 30 * DAY)}`)).body
        .report;

      expect(all.participants.value).toBeGreaterThan(inArea.participants.value);
      expect(all.matchSuccess.denominator).toBeGreaterThan(3);
      expect(inArea.participants.value).toBe(3);
      expect(sameCategory.participants.value).toBe(3);
      expect(otherCategory.participants.value).toBe(0);
      expect(otherCategory.matchSuccess.denominator).toBe(0);
      expect(otherCategory.matchSuccess.rate).toBeNull();
      expect(before.participants.value).toBe(0);
      expect(before.incentives[0].count).toBe(0);
    });

    it("another organization's filter counts none of the test activity", async () => {
      const response = await kpis(npo, `?organizationId=${npoOrgId}&areaId=${areaId}`);
      expect(response.body.report.scope).toBe("own-organization");
      expect(response.body.report.participants).toEqual({ value: 0, suppressed: false });
    });

    it("refuses unknown areas and organizations, bad dates and reversed or overlong periods with 400", async () => {
      for (const query of [
        "?areaId=no-such-area",
        "?organizationId=no-such-org",
        "?category=nonsense",
        "?from=2026-13-45",
        "?from=yesterday",
        "?from=2026-03-01&to=2026-02-01",
        "?from=2020-01-01&to=2026-01-01",
      ]) {
        const response = await kpis(coordinator, query);
        expect(response.status, query).toBe(400);
        expect(response.body.error.code, query).toBe("validation_failed");
      }
    });
  });

  it("serves the dashboard page with the numbers, and the nav links to it", async () => {
    const slug = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].slug;
    const response = await fetch(`${server.url}/w/${slug}/outcomes?organizationId=${ownOrgId}&areaId=${areaId}&lang=en`, { headers: { cookie: coordinator } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Outcomes (KPIs)");
    expect(html).toContain("Matching success rate");
    expect(html).toContain("3 of 3");
    expect(html).toContain(`href="/w/${slug}/outcomes"`);
    expect(html).not.toContain("KPI テスト");
  });
});
