import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_FIELD, CHART_SECTIONS, docFromState, readBlocks, readPlan, restoreVersion, seedChart, addPlanItem } from "../../app/features/chart/chart-doc.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { OUTSIDER_EMAIL, openProvider, synced, VIEWER_EMAIL, waitFor, type TestProvider } from "./collab-helpers.ts";

/**
 * The community chart's REST routes (figures, versions) against the real server: who may read
 * and write, input validation, figures that follow the database (with small counts suppressed),
 * and versions taken from — and restored into — the live document over /yjs/.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const headingTexts = (doc: Y.Doc) =>
  readBlocks(doc)
    .filter((b) => b.type === "heading")
    .map((b) => (b.type === "heading" ? b.runs.map((r) => r.text).join("") : ""));

describe("chart REST: figures and versions", () => {
  let server: TestServer;
  let coordinator: string;
  let viewer: string;
  let outsider: string;
  let workspaceId: string;
  let orgId: string;
  let areaId: string;
  const providers: TestProvider[] = [];

  const figuresPath = (area = areaId) => `/api/v1/workspaces/${workspaceId}/areas/${area}/figures`;
  const versionsPath = (area = areaId) => `/api/v1/workspaces/${workspaceId}/areas/${area}/chart/versions`;

  beforeAll(async () => {
    server = await startTestServer();
    [coordinator, viewer, outsider] = await Promise.all([login(server.url), login(server.url, VIEWER_EMAIL), login(server.url, OUTSIDER_EMAIL)]);
    const mine = await getJson(server.url, "/api/v1/workspaces", coordinator);
    workspaceId = mine.body.items[0].id;
    orgId = mine.body.items[0].memberships[0].organizationId;

    // An empty new area with known contents: 6 residents in their 70s (one attended a piece
    // last week, so "active" is 1: suppressed), a task with two future pieces of headcount 1,
    // one of them filled by a confirmed match made this month.
    const prisma = server.services.prisma;
    const now = Date.now();
    const year = new Date().getUTCFullYear();
    const area = await prisma.area.create({
      data: { workspaceId, code: "chart-test", name: "カルテテスト地区", polygon: { type: "Polygon", coordinates: [] }, centerLat: 35.7, centerLng: 139.7 },
    });
    areaId = area.id;
    const residents = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        prisma.resident.create({
          data: { workspaceId, registeredByOrgId: orgId, publicCode: `CT${i}`, displayName: `カルテ ${i}`, birthYear: year - 75, homeAreaId: areaId },
        }),
      ),
    );
    const task = await prisma.task.create({
      data: { workspaceId, ownerOrgId: orgId, areaId, title: "カルテテストの活動", description: "テスト", category: "watch", visibility: "PLATFORM", status: "OPEN" },
    });
    const [filledShift] = await Promise.all([
      prisma.shift.create({ data: { taskId: task.id, role: "受付", startsAt: new Date(now + 3 * DAY), endsAt: new Date(now + 3 * DAY + 2 * HOUR), headcount: 1 } }),
      prisma.shift.create({ data: { taskId: task.id, role: "片付け", startsAt: new Date(now + 4 * DAY), endsAt: new Date(now + 4 * DAY + 2 * HOUR), headcount: 1 } }),
    ]);
    await prisma.match.create({ data: { workspaceId, shiftId: filledShift.id, residentId: residents[0].id, stage: "CONFIRMED", stageChangedAt: new Date(now) } });
    const pastShift = await prisma.shift.create({
      data: { taskId: task.id, role: "先週", startsAt: new Date(now - 7 * DAY), endsAt: new Date(now - 7 * DAY + HOUR), headcount: 1 },
    });
    await prisma.participation.create({ data: { residentId: residents[1].id, shiftId: pastShift.id, attended: true } });
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server?.stop();
  });

  it("figures: members only; unknown areas and other callers are refused", async () => {
    expect((await getJson(server.url, figuresPath(), undefined)).status).toBe(401);
    const refused = await getJson(server.url, figuresPath(), outsider);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    const unknown = await getJson(server.url, figuresPath("no-such-area"), coordinator);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    const tooLong = await getJson(server.url, figuresPath("x".repeat(65)), coordinator);
    expect(tooLong.status).toBe(400);
    expect((await getJson(server.url, figuresPath(), viewer)).status).toBe(200);
  });

  it("figures count the area's resources, residents by age band (suppressed under 5), pieces and matches", async () => {
    const before = await getJson(server.url, figuresPath(), coordinator);
    expect(before.status).toBe(200);
    expect(before.headers.get("cache-control")).toContain("no-store");
    const f = before.body;
    expect(f.areaId).toBe(areaId);
    expect(f.resources).toEqual({ total: 0, byCategory: [] });
    expect(f.residents.registered).toEqual({ value: 6, suppressed: false });
    expect(f.residents.active).toEqual({ value: null, suppressed: true });
    expect(f.residents.byAgeBand).toEqual([{ band: 70, registered: { value: 6, suppressed: false }, active: { value: null, suppressed: true } }]);
    expect(f.pieces).toEqual({ total: 2, open: 1, filled: 1 });
    expect(f.matches.proposed).toEqual({ value: null, suppressed: true });
    expect(f.matches.confirmed).toEqual({ value: null, suppressed: true });
    expect(JSON.stringify(f)).not.toMatch(/birthYear|displayName|カルテ 0/);

    // A resource added through the API shows up at once.
    const created = await sendJson(
      server.url,
      "POST",
      `/api/v1/workspaces/${workspaceId}/resources`,
      { kind: "PLACE", category: "salon", name: "カルテテストのサロン", lat: 35.7, lng: 139.7, areaId, ownerOrgId: orgId },
      coordinator,
    );
    expect(created.status).toBe(201);
    const after = await getJson(server.url, figuresPath(), coordinator);
    expect(after.body.resources).toEqual({ total: 1, byCategory: [{ kind: "PLACE", category: "salon", count: 1 }] });
  });

  it("versions: VIEWERs and outsiders cannot name one; names are validated after authorization", async () => {
    const byViewer = await sendJson(server.url, "POST", versionsPath(), { name: "閲覧者の版" }, viewer);
    expect(byViewer.status).toBe(403);
    const byViewerInvalid = await sendJson(server.url, "POST", versionsPath(), { name: "" }, viewer);
    expect(byViewerInvalid.status).toBe(403);
    expect((await sendJson(server.url, "POST", versionsPath(), { name: "部外者" }, outsider)).status).toBe(403);
    expect((await sendJson(server.url, "POST", versionsPath(), { name: "匿名" }, undefined)).status).toBe(401);

    for (const body of [{ name: "" }, { name: "   " }, { name: "あ".repeat(81) }, { name: "改行\nあり" }, {}, { name: 42 }]) {
      const answer = await sendJson(server.url, "POST", versionsPath(), body, coordinator);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe("validation_failed");
    }
    expect((await sendJson(server.url, "POST", versionsPath("no-such-area"), { name: "x" }, coordinator)).status).toBe(404);
    expect((await getJson(server.url, versionsPath(), outsider)).status).toBe(403);
    expect((await getJson(server.url, `${versionsPath()}/no-such-version`, coordinator)).status).toBe(404);
    const count = await server.services.prisma.chartVersion.count({ where: { areaId } });
    expect(count).toBe(0);
  });

  it("a version holds the stored chart; restoring it is an edit every client gets and that is stored", async () => {
    const docName = `chart:${areaId}`;
    const a = openProvider(server.url, docName, coordinator);
    const b = openProvider(server.url, docName, coordinator);
    providers.push(a, b);
    await synced(a, b);
    // Both seed at once: the sections appear once.
    seedChart(a.doc);
    seedChart(b.doc);
    addPlanItem(a.doc, { id: "p1", title: "居場所の立ち上げ", ownerOrgId: orgId, ownerOrgName: "社協", due: "2027-03-31", status: "IN_PROGRESS", progress: 30, source: "chart" });
    await waitFor(() => a.doc.getArray("plan").length === 1 && b.doc.getArray("plan").length === 1, 5_000, "plan item on both");
    await synced(a, b);
    expect(headingTexts(b.doc)).toEqual(CHART_SECTIONS.map((s) => s.ja));

    const saved = await sendJson(server.url, "POST", versionsPath(), { name: "2026年11月 協議会" }, coordinator);
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ areaId, name: "2026年11月 協議会", createdByName: "中村 由美" });
    const again = await sendJson(server.url, "POST", versionsPath(), { name: "2026年11月 協議会" }, coordinator);
    expect(again.status).toBe(409);

    const list = await getJson(server.url, versionsPath(), viewer);
    expect(list.status).toBe(200);
    expect(list.body.items.map((v: { name: string }) => v.name)).toEqual(["2026年11月 協議会"]);
    const detail = await getJson(server.url, `${versionsPath()}/${saved.body.id}`, viewer);
    expect(detail.status).toBe(200);
    const versionDoc = docFromState(Buffer.from(detail.body.state, "base64"));
    expect(headingTexts(versionDoc)).toEqual(CHART_SECTIONS.map((s) => s.ja));
    expect(readPlan(versionDoc).map((i) => i.title)).toEqual(["居場所の立ち上げ"]);

    // Later edits: text in the first section, the plan item changed, a new one.
    const para = new Y.XmlElement("paragraph");
    para.insert(0, [new Y.XmlText("版のあとに書いた文")]);
    b.doc.getXmlFragment(BODY_FIELD).insert(1, [para]);
    b.doc.getArray<Y.Map<unknown>>("plan").get(0).set("progress", 80);
    await waitFor(() => JSON.stringify(readBlocks(a.doc)).includes("版のあとに書いた文"), 5_000, "later edit on a");
    await synced(a, b);

    // Restore in a: b sees the version's content; it is saved, and the stored state has it.
    restoreVersion(a.doc, Buffer.from(detail.body.state, "base64"), null);
    await waitFor(() => !JSON.stringify(readBlocks(b.doc)).includes("版のあとに書いた文"), 5_000, "restore reaches b");
    await synced(a, b);
    expect(readBlocks(b.doc)).toEqual(readBlocks(versionDoc));
    expect(readPlan(b.doc)).toEqual(readPlan(versionDoc));

    const stored = docFromState(await server.services.domain.chart.currentState(await userOf(coordinator), workspaceId, areaId));
    expect(readBlocks(stored)).toEqual(readBlocks(versionDoc));
    expect(readPlan(stored)).toEqual(readPlan(versionDoc));
  });

  async function userOf(cookie: string) {
    const user = await server.services.userFromCookieHeader(cookie);
    if (!user) throw new Error("no session");
    return user;
  }
});
