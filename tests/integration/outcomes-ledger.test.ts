import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jstMonth } from "../../app/features/outcomes/format.ts";
import { parseCsv } from "../../server/outcomes/csv.ts";
import { LEDGER_CSV_COLUMNS } from "../../server/outcomes/ledger.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { key, makeCheckInFixture, NPO, SHAKYO, type OutcomeFixture } from "./outcomes-support.ts";

/**
 * The incentive ledger (issue 9) against the real server: adding entries (who may, what is
 * refused), totals per kind, resident, organization and month, the accounting CSV (BOM, columns,
 * rows), the participation certificate, the pages, and the monthly report.
 */
describe("outcomes: incentive ledger, certificate, monthly report", () => {
  let server: TestServer;
  let coordinator: string;
  let member: string;
  let npo: string;
  let viewer: string;
  let workspaceId: string;
  let slug: string;
  let fx: OutcomeFixture;
  let participationId: string;
  const month = jstMonth(new Date());

  const add = (body: Record<string, unknown>, cookie = coordinator, id = participationId) => sendJson(server.url, "POST", `/api/v1/participations/${id}/incentives`, body, cookie);

  beforeAll(async () => {
    server = await startTestServer({ remix: "build" });
    [coordinator, member, npo, viewer] = await Promise.all([
      login(server.url),
      login(server.url, "member@tsunagu.example"),
      login(server.url, "npo@tsunagu.example"),
      login(server.url, "viewer@tsunagu.example"),
    ]);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
    slug = (await server.services.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).slug;
    fx = await makeCheckInFixture(server.services.prisma, workspaceId, "LDAA");
    // Took part: checked in 40 minutes ago, out 10 minutes ago (30 minutes).
    const code = (await getJson(server.url, `/api/v1/shifts/${fx.shiftId}/check-in`, coordinator)).body.code;
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    expect((await sendJson(server.url, "POST", `/api/v1/check-in/${code}`, { referenceCode: fx.bookedCode, action: "in", key: key("li"), at: at(40) })).status).toBe(201);
    expect((await sendJson(server.url, "POST", `/api/v1/check-in/${code}`, { referenceCode: fx.bookedCode, action: "out", key: key("lo"), at: at(10) })).status).toBe(201);
    participationId = (await server.services.prisma.participation.findFirstOrThrow({ where: { shiftId: fx.shiftId, residentId: fx.bookedId } })).id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("lets the organizer's coordinator add each kind; a certificate counts 1 whatever was typed", async () => {
    const answers = await Promise.all([
      add({ kind: "TRANSPORT_FEE", amount: 480, note: "バス往復" }),
      add({ kind: "THANKS_MONEY", amount: "1000" }),
      add({ kind: "LOCAL_POINTS", amount: 50 }),
      add({ kind: "CERTIFICATE", amount: 99 }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(answers.map((a) => a.body.amount)).toEqual([480, 1000, 50, 1]);
    expect(answers[0].body.note).toBe("バス往復");
  });

  it("refuses other people, bad amounts and a participation without attendance, writing nothing", async () => {
    const count = () => server.services.prisma.incentiveEntry.count({ where: { participationId } });
    const before = await count();
    expect((await add({ kind: "TRANSPORT_FEE", amount: 100 }, npo)).status).toBe(403);
    expect((await add({ kind: "TRANSPORT_FEE", amount: 100 }, member)).status).toBe(403);
    expect((await add({ kind: "TRANSPORT_FEE", amount: 100 }, viewer)).status).toBe(403);
    expect((await sendJson(server.url, "POST", `/api/v1/participations/${participationId}/incentives`, { kind: "TRANSPORT_FEE", amount: 100 })).status).toBe(401);
    expect((await add({ kind: "TRANSPORT_FEE" })).status).toBe(400);
    expect((await add({ kind: "TRANSPORT_FEE", amount: 0 })).status).toBe(400);
    expect((await add({ kind: "TRANSPORT_FEE", amount: 100_001 })).status).toBe(400);
    expect((await add({ kind: "GIFT_CARD", amount: 100 })).status).toBe(400);
    expect((await add({ kind: "LOCAL_POINTS", amount: 1.5 })).status).toBe(400);
    expect((await add({ kind: "TRANSPORT_FEE", amount: 100 }, coordinator, "no-such-participation")).status).toBe(404);
    const absent = await server.services.prisma.participation.create({ data: { residentId: fx.bookedId, shiftId: (await makeCheckInFixture(server.services.prisma, workspaceId, "LDBB")).shiftId } });
    const notAttended = await add({ kind: "TRANSPORT_FEE", amount: 100 }, coordinator, absent.id);
    expect(notAttended.status).toBe(409);
    expect(notAttended.body.error.details.reason).toBe("not_attended");
    expect(await count()).toBe(before);
  });

  it("totals per kind, resident, organization and month (hand-computed), names only where allowed", async () => {
    const ledger = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/incentives?month=${month}&organizationId=${SHAKYO}`, coordinator);
    expect(ledger.status).toBe(200);
    expect(ledger.headers.get("cache-control")).toContain("no-store");
    const mine = ledger.body.items.filter((i: { participationId: string }) => i.participationId === participationId);
    expect(mine).toHaveLength(4);
    expect(mine[0]).toMatchObject({ residentCode: fx.bookedCode, residentName: fx.bookedName, organizationId: SHAKYO, minutes: 30 });
    const resident = ledger.body.totals.byResident.find((r: { residentId: string }) => r.residentId === fx.bookedId);
    const pick = (totals: Array<{ kind: string; count: number; amount: number }>) => Object.fromEntries(totals.map((t) => [t.kind, [t.count, t.amount]]));
    expect(pick(resident.totals)).toEqual({ TRANSPORT_FEE: [1, 480], THANKS_MONEY: [1, 1000], LOCAL_POINTS: [1, 50], CERTIFICATE: [1, 1] });
    // The organization's and the month's totals are the sums of every listed entry.
    const sum = (kind: string) => ledger.body.items.filter((i: { kind: string }) => i.kind === kind).reduce((s: number, i: { amount: number }) => s + i.amount, 0);
    const org = ledger.body.totals.byOrganization.find((o: { organizationId: string }) => o.organizationId === SHAKYO);
    expect(pick(org.totals).TRANSPORT_FEE[1]).toBe(sum("TRANSPORT_FEE"));
    expect(ledger.body.totals.byMonth.map((m: { month: string }) => m.month)).toEqual([month]);

    // Another organization's coordinator keeps only their own ledger: none of these entries.
    const theirs = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/incentives?month=${month}`, npo);
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.some((i: { participationId: string }) => i.participationId === participationId)).toBe(false);
    expect((await getJson(server.url, `/api/v1/workspaces/${workspaceId}/incentives?organizationId=${SHAKYO}`, npo)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/workspaces/${workspaceId}/incentives`, member)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/workspaces/${workspaceId}/incentives?month=2026-13`, coordinator)).status).toBe(400);
  });

  it("exports the accounting CSV: UTF-8 with a BOM, the documented columns, one row per entry", async () => {
    const response = await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/incentives.csv?month=${month}&organizationId=${SHAKYO}`, { headers: { cookie: coordinator } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="tsunagu-incentives-\d{4}-\d{2}\.csv"/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes));
    expect(rows[0]).toEqual([...LEDGER_CSV_COLUMNS]);
    const mine = rows.slice(1).filter((r) => r[7] === fx.bookedCode);
    expect(mine.map((r) => [r[3], r[5], r[6], r[8]]).sort()).toEqual(
      [
        ["CERTIFICATE", "1", "件", fx.bookedName],
        ["LOCAL_POINTS", "50", "pt", fx.bookedName],
        ["THANKS_MONEY", "1000", "円", fx.bookedName],
        ["TRANSPORT_FEE", "480", "円", fx.bookedName],
      ].sort(),
    );
    expect(rows.slice(1).every((r) => r.length === LEDGER_CSV_COLUMNS.length)).toBe(true);
    expect((await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/incentives.csv`, { headers: { cookie: member } })).status).toBe(403);
  });

  it("issues a participation certificate with the activities and the hours", async () => {
    const cert = await getJson(server.url, `/api/v1/residents/${fx.bookedId}/certificate`, coordinator);
    expect(cert.status).toBe(200);
    expect(cert.body.resident).toEqual({ id: fx.bookedId, publicCode: fx.bookedCode, name: fx.bookedName });
    expect(cert.body.count).toBe(1);
    expect(cert.body.items[0]).toMatchObject({ taskTitle: "チェックイン試験 LDAA", role: "受付", minutes: 30, timed: true });
    expect(cert.body.totalMinutes).toBe(30);
    const audited = await server.services.prisma.auditLog.count({ where: { residentId: fx.bookedId, action: "resident.read", purpose: "certificate" } });
    expect(audited).toBe(1);
    // Another organization: none of its activities, and no consent to see the name.
    const theirs = await getJson(server.url, `/api/v1/residents/${fx.bookedId}/certificate?organizationId=${NPO}`, npo);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ count: 0, totalMinutes: 0, resident: { name: null } });
    expect((await getJson(server.url, `/api/v1/residents/${fx.bookedId}/certificate`, member)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/residents/${fx.bookedId}/certificate?from=2026-12-31&to=2026-01-01`, coordinator)).status).toBe(400);
  });

  it("serves the ledger, certificate and report pages (printable, no JavaScript needed)", async () => {
    const get = (path: string, cookie = coordinator) => fetch(`${server.url}${path}`, { headers: { cookie } });
    const ledger = await get(`/w/${slug}/incentives?month=${month}`);
    const ledgerHtml = await ledger.text();
    expect(ledger.status).toBe(200);
    expect(ledgerHtml).toContain("インセンティブ台帳");
    expect(ledgerHtml).toContain(fx.bookedName);
    expect(ledgerHtml).toContain(`/api/v1/workspaces/${workspaceId}/incentives.csv?month=${month}`);
    expect(ledgerHtml).toContain(`/w/${slug}/shifts/${fx.shiftId}/check-in`);
    expect((await get(`/w/${slug}/incentives`, member)).status).toBe(403);

    const cert = await get(`/w/${slug}/residents/${fx.bookedId}/certificate`);
    const certHtml = await cert.text();
    expect(cert.status).toBe(200);
    expect(certHtml).toContain("参加証明書");
    expect(certHtml).toContain(fx.bookedName);
    expect(certHtml).toContain('data-total-minutes="30"');

    const report = await get(`/w/${slug}/reports/${month}`);
    const reportHtml = await report.text();
    expect(report.status).toBe(200);
    expect(reportHtml).toContain(`${month} 月次報告`);
    expect(reportHtml).not.toContain(fx.bookedName);
    expect((await get(`/w/${slug}/reports/2026-13`)).status).toBe(400);
    expect((await get(`/w/${slug}/reports/${month}?organizationId=no-such-org`)).status).toBe(400);
    // Linked from the outcomes dashboard.
    expect(await (await get(`/w/${slug}/outcomes`)).text()).toMatch(new RegExp(`/w/${slug}/reports/\\d{4}-\\d{2}`));
  });

  it("reports the month: own organization unsuppressed, shared scope suppressed, pieces counted", async () => {
    const own = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/reports/${month}?organizationId=${SHAKYO}`, coordinator);
    expect(own.status).toBe(200);
    expect(own.body.kpis.report.scope).toBe("own-organization");
    const prisma = server.services.prisma;
    const [from, to] = [new Date(Date.parse(`${month}-01T00:00:00+09:00`)), new Date(Date.parse(`${own.body.next ?? "2999-01"}-01T00:00:00+09:00`))];
    const attended = await prisma.participation.count({ where: { attended: true, shift: { startsAt: { gte: from, lt: to }, task: { workspaceId, ownerOrgId: SHAKYO } } } });
    expect(attended).toBeGreaterThanOrEqual(1);
    expect(own.body.participations).toEqual({ value: attended, suppressed: false });
    expect(own.body.pieces.total).toBeGreaterThanOrEqual(2);
    expect(own.body.pieces.filled + own.body.pieces.open).toBe(own.body.pieces.total);
    expect(own.body.kpis.report.incentives.find((i: { kind: string }) => i.kind === "TRANSPORT_FEE").total).toBeGreaterThanOrEqual(480);

    // The NPO asking about the 社協: shared scope; a count below 5 is hidden.
    const shared = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/reports/${month}?organizationId=${SHAKYO}`, npo);
    expect(shared.body.kpis.report.scope).toBe("shared");
    if (attended < 5) expect(shared.body.participations).toEqual({ value: null, suppressed: true });
    else expect(shared.body.participations).toEqual({ value: attended, suppressed: false });
    expect((await getJson(server.url, `/api/v1/workspaces/${workspaceId}/reports/2026-1`, coordinator)).status).toBe(400);
    expect((await getJson(server.url, `/api/v1/workspaces/${workspaceId}/reports/${month}`)).status).toBe(401);
  });
});
