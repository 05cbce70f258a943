import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { NPO, SHAKYO } from "./outcomes-support.ts";

/**
 * The resident's own 参加証明書 (issue 9, decision 056) against the real server: the signed-in
 * resident gets their own (API and the printable page /me/certificate), every organization's
 * activities or one organization's; anyone else's certificate is refused with a clear 403,
 * whether the id exists or not; anonymous callers and staff without a resident record get none.
 */
describe("outcomes: a resident prints their own certificate", () => {
  let server: TestServer;
  let resident: string; // resident@tsunagu.example, linked to a resident record
  let coordinator: string; // 社協 COORDINATOR
  let workspaceId: string;
  let ownId: string;
  let ownName: string;
  let otherId: string;
  const PERIOD = "from=2024-06-01&to=2024-06-30";

  beforeAll(async () => {
    server = await startTestServer({ remix: "build" });
    [resident, coordinator] = await Promise.all([login(server.url, "resident@tsunagu.example"), login(server.url)]);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
    const { prisma } = server.services;
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "resident@tsunagu.example" } });
    const own = await prisma.resident.findUniqueOrThrow({ where: { userId: user.id } });
    ownId = own.id;
    ownName = own.displayName ?? "";
    const other = await prisma.resident.create({
      data: { workspaceId, registeredByOrgId: SHAKYO, publicCode: "CRTF7XTH", displayName: "他人 次郎", style: "PER_EVENT" },
    });
    otherId = other.id;
    // Two organizations' pieces in June 2024 (a month the demo data does not reach).
    const piece = async (owner: string, title: string, startsAt: string) => {
      const task = await prisma.task.create({ data: { workspaceId, ownerOrgId: owner, title, titleEn: `${title} (en)`, description: "テスト", category: "food", visibility: "PLATFORM" } });
      return prisma.shift.create({ data: { taskId: task.id, role: "受付", roleEn: "Reception", startsAt: new Date(startsAt), endsAt: new Date(Date.parse(startsAt) + 2 * 3_600_000), headcount: 3 } });
    };
    const a = await piece(SHAKYO, "証明書試験 こども食堂", "2024-06-08T01:00:00Z");
    const b = await piece(NPO, "証明書試験 フードパントリー", "2024-06-15T01:00:00Z");
    const c = await piece(NPO, "証明書試験 欠席した回", "2024-06-22T01:00:00Z");
    await prisma.participation.createMany({
      data: [
        { residentId: ownId, shiftId: a.id, attended: true, minutes: 90 },
        { residentId: ownId, shiftId: b.id, attended: true, minutes: null }, // no times: the piece's 120 minutes
        { residentId: ownId, shiftId: c.id, attended: false, minutes: 0 },
        { residentId: otherId, shiftId: a.id, attended: true, minutes: 600 },
      ],
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("gives the resident their own certificate: their name, every organization's activities, the total", async () => {
    const answer = await getJson(server.url, `/api/v1/me/certificate?${PERIOD}`, resident);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toContain("no-store");
    expect(answer.body.resident).toMatchObject({ id: ownId, name: ownName });
    expect(answer.body.period).toEqual({ from: "2024-06-01", to: "2024-06-30" });
    expect(answer.body.items.map((i: { taskTitle: string; minutes: number; timed: boolean }) => [i.taskTitle, i.minutes, i.timed])).toEqual([
      ["証明書試験 こども食堂", 90, true],
      ["証明書試験 フードパントリー", 120, false],
    ]);
    expect(answer.body).toMatchObject({ count: 2, totalMinutes: 210 });
    expect(answer.body.issuers.map((o: { id: string }) => o.id).sort()).toEqual([NPO, SHAKYO].sort());
    expect(answer.body.organizations.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([NPO, SHAKYO]));
    expect(JSON.stringify(answer.body)).not.toContain("他人 次郎");

    // The same through the coordinators' route with their own id.
    const byId = await getJson(server.url, `/api/v1/residents/${ownId}/certificate?${PERIOD}`, resident);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ count: 2, totalMinutes: 210, resident: { id: ownId } });
  });

  it("gives one organization's certificate on request, and refuses an organization they never took part with", async () => {
    const npo = await getJson(server.url, `/api/v1/me/certificate?${PERIOD}&organizationId=${NPO}`, resident);
    expect(npo.status).toBe(200);
    expect(npo.body.issuers.map((o: { id: string }) => o.id)).toEqual([NPO]);
    expect(npo.body).toMatchObject({ count: 1, totalMinutes: 120 });
    const unknown = await getJson(server.url, `/api/v1/me/certificate?${PERIOD}&organizationId=no-such-org`, resident);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("validation_failed");
  });

  it("refuses anyone else's certificate with a clear 403, whether the id exists or not", async () => {
    for (const id of [otherId, "no-such-resident"]) {
      const refused = await getJson(server.url, `/api/v1/residents/${id}/certificate?${PERIOD}`, resident);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("forbidden");
      expect(refused.body.error.message).toMatch(/ご本人の参加証明書だけ.*only see your own/);
      expect(JSON.stringify(refused.body)).not.toContain("他人 次郎");
    }
    // The coordinators' page is not theirs either.
    const slug = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].slug;
    expect((await fetch(`${server.url}/w/${slug}/residents/${otherId}/certificate`, { headers: { cookie: resident }, redirect: "manual" })).status).toBe(403);
    // Coordinators still get it (the other resident was registered by their organization).
    const coord = await getJson(server.url, `/api/v1/residents/${otherId}/certificate?${PERIOD}`, coordinator);
    expect(coord.status).toBe(200);
    expect(coord.body).toMatchObject({ count: 1, totalMinutes: 600 });
  });

  it("refuses anonymous callers (401, the page sends them to log in) and staff without a resident record (404)", async () => {
    expect((await getJson(server.url, "/api/v1/me/certificate")).status).toBe(401);
    expect((await getJson(server.url, `/api/v1/residents/${ownId}/certificate`)).status).toBe(401);
    const page = await fetch(`${server.url}/me/certificate`, { redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toMatch(/^\/login\?/);
    expect((await getJson(server.url, "/api/v1/me/certificate", coordinator)).status).toBe(404);
    expect((await fetch(`${server.url}/me/certificate`, { headers: { cookie: coordinator } })).status).toBe(404);
  });

  it("prints: /me/certificate renders the sheet with the print styles, in Japanese and in English, linked from /me", async () => {
    const page = await fetch(`${server.url}/me/certificate?${PERIOD}`, { headers: { cookie: resident } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("わたしの参加証明書");
    expect(html).toContain(`<strong data-certificate-name="true">${ownName}</strong>`);
    expect(html).toContain("証明書試験 こども食堂");
    expect(html).toContain('data-total-minutes="210"');
    expect(html).toMatch(/<link[^>]+rel="stylesheet"[^>]+outcomes[^"]*\.css/);
    expect(html).toContain('class="ledger-filters no-print"');
    expect(html).not.toContain("他人 次郎");
    const en = await (await fetch(`${server.url}/me/certificate?${PERIOD}&lang=en`, { headers: { cookie: resident } })).text();
    expect(en).toContain("Certificate of participation");
    expect(en).toContain("証明書試験 フードパントリー (en)");
    // The page reads the same query as the API: one organization, or a clear 400.
    const one = await (await fetch(`${server.url}/me/certificate?${PERIOD}&organizationId=${NPO}`, { headers: { cookie: resident } })).text();
    expect(one).toContain('data-total-minutes="120"');
    for (const bad of ["from=2024-13-45", `${PERIOD}&organizationId=no-such-org`]) {
      expect((await fetch(`${server.url}/me/certificate?${bad}`, { headers: { cookie: resident } })).status).toBe(400);
    }
    const me = await (await fetch(`${server.url}/me`, { headers: { cookie: resident } })).text();
    expect(me).toContain('href="/me/certificate"');
    // Reading the own name for the certificate is recorded (the resident's own read).
    const audited = await server.services.prisma.auditLog.count({ where: { residentId: ownId, action: "resident.read", purpose: "certificate" } });
    expect(audited).toBeGreaterThanOrEqual(1);
  });
});
