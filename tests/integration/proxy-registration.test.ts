import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

/**
 * 代理登録 (issue 8): a coordinator registers a resident on their behalf; the consent is recorded
 * as given on the resident's behalf, the registration is audited, and refusals write nothing.
 */
describe("proxy registration (代理登録)", () => {
  let server: TestServer;
  let coordinator: string;
  let workspaceId: string;
  let areaId: string;

  const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
  const body = (over: Record<string, unknown> = {}) => ({
    name: "代理 花子",
    nameKana: "だいり はなこ",
    contact: "090-1234-5678",
    birthYear: 1950,
    homeAreaId: areaId,
    interests: ["food"],
    windows: [{ weekday: 2, startMinute: 540, endMinute: 720 }],
    consent: { obtainedBy: "phone", purpose: "こども食堂の調理ボランティアの紹介のため", shareWith: ["seed-org-npo-food"], fields: ["name", "contact"], expiresAt: inAYear() },
    ...over,
  });
  const counts = async () => {
    const db = server.services.prisma;
    return { residents: await db.resident.count(), consents: await db.consent.count(), audit: await db.auditLog.count(), version: (await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).version };
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: "error" } });
    coordinator = await login(server.url);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
    areaId = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/areas`, coordinator)).body.items[0].id;
  }, 20_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("registers the resident for the coordinator's organization, records the consent as on-behalf and audits it", async () => {
    const created = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/residents`, body(), coordinator);
    expect(created.status).toBe(201);
    expect(created.body.publicCode).toMatch(/^[A-Z2-9]{8}$/);
    const db = server.services.prisma;
    const resident = await db.resident.findUniqueOrThrow({
      where: { id: created.body.id },
      include: { availabilityWindows: true, consents: true },
    });
    expect(resident).toMatchObject({ registeredByOrgId: "seed-org-shakyo", userId: null, displayName: "代理 花子", phone: "09012345678", birthYear: 1950 });
    expect(resident.availabilityWindows).toHaveLength(1);
    expect(resident.consents).toHaveLength(1);
    expect(resident.consents[0]).toMatchObject({ organizationId: "seed-org-npo-food", onBehalf: true, fields: ["name", "contact"] });
    expect(resident.consents[0].purpose).toContain("代理: 電話");
    const audit = await db.auditLog.findMany({ where: { residentId: resident.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["consent.grant", "resident.register"]);
    expect(audit[1].basis).toBe("on-behalf:phone");

    // The NPO the resident agreed to share with now sees the name; the change went out as an event.
    const npo = await login(server.url, "npo@tsunagu.example");
    const seen = await getJson(server.url, `/api/v1/residents/${resident.id}`, npo);
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).toContain("代理 花子");
    const changes = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/changes?since=0&limit=500`, coordinator);
    expect(changes.body.items.some((c: { entity: string; entityId: string; verb: string }) => c.entity === "resident" && c.entityId === resident.id && c.verb === "created")).toBe(true);
  });

  it("refuses members, viewers and anonymous callers, and writes nothing", async () => {
    const before = await counts();
    for (const email of ["member@tsunagu.example", "viewer@tsunagu.example"]) {
      const cookie = await login(server.url, email);
      const refused = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/residents`, body(), cookie);
      expect(refused.status).toBe(403);
    }
    expect((await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/residents`, body())).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("answers bad input with the field and writes nothing", async () => {
    const before = await counts();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ contact: "not a contact" }, "contact"],
      [{ homeAreaId: "no-such-area" }, "homeAreaId"],
      [{ consent: { ...body().consent, fields: ["name", "specialCare"] } }, "consent.fields"],
      [{ consent: { ...body().consent, expiresAt: new Date(Date.now() - 1000).toISOString() } }, "consent.expiresAt"],
      [{ windows: [] }, "windows"],
    ];
    for (const [over, path] of cases) {
      const refused = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/residents`, body(over), coordinator);
      expect(refused.status, path).toBe(400);
      expect(JSON.stringify(refused.body.error.details), path).toContain(path);
    }
    expect(await counts()).toEqual(before);
  });
});
