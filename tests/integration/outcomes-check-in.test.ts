import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { key, makeCheckInFixture, type OutcomeFixture } from "./outcomes-support.ts";

/**
 * Participation check-in (issue 9) against the real server: the per-piece code and the poster's
 * roster (who may see them), check-in and check-out by the code with a reference code, exactly
 * once per idempotency key (also when the same request races itself), the refusals, a
 * coordinator checking someone in, and the no-JavaScript page.
 */
describe("outcomes: participation check-in", () => {
  let server: TestServer;
  let coordinator: string; // 社協 COORDINATOR: the organizer
  let member: string; // 社協 MEMBER
  let npo: string; // another organization's COORDINATOR
  let workspaceId: string;
  let fx: OutcomeFixture;
  let code: string;

  const version = async () => (await server.services.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { version: true } })).version;
  const receipts = () => server.services.prisma.checkInReceipt.count({ where: { participation: { shiftId: fx.shiftId } } });
  const participation = () => server.services.prisma.participation.findUnique({ where: { residentId_shiftId: { residentId: fx.bookedId, shiftId: fx.shiftId } } });
  const checkIn = (body: Record<string, unknown>, c = code, cookie?: string) => sendJson(server.url, "POST", `/api/v1/check-in/${c}`, body, cookie);

  beforeAll(async () => {
    server = await startTestServer({ remix: "build" });
    [coordinator, member, npo] = await Promise.all([login(server.url), login(server.url, "member@tsunagu.example"), login(server.url, "npo@tsunagu.example")]);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
    fx = await makeCheckInFixture(server.services.prisma, workspaceId, "CQAA");
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("gives the organizer's coordinators a 6-character code, the same on every visit, and the roster", async () => {
    const first = await getJson(server.url, `/api/v1/shifts/${fx.shiftId}/check-in`, coordinator);
    expect(first.status).toBe(200);
    code = first.body.code;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    const again = await getJson(server.url, `/api/v1/shifts/${fx.shiftId}/check-in`, coordinator);
    expect(again.body.code).toBe(code);
    expect(first.body.roster).toHaveLength(1);
    // Registered by the coordinator's own organization: the name is shown (and the read audited).
    expect(first.body.roster[0].resident).toMatchObject({ id: fx.bookedId, publicCode: fx.bookedCode, name: fx.bookedName });
    const audited = await server.services.prisma.auditLog.count({ where: { residentId: fx.bookedId, action: "resident.list", purpose: "check-in" } });
    expect(audited).toBeGreaterThanOrEqual(2);
  });

  it("refuses the poster to others: members, other organizations, no session", async () => {
    expect((await getJson(server.url, `/api/v1/shifts/${fx.shiftId}/check-in`, member)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/shifts/${fx.shiftId}/check-in`, npo)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/shifts/${fx.shiftId}/check-in`)).status).toBe(401);
  });

  it("checks in by the code and a reference code, once per key", async () => {
    const before = await version();
    const k = key("in");
    // Pressed 20 minutes ago on a phone without a connection; sent now.
    const pressedAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const first = await checkIn({ referenceCode: fx.bookedCode.toLowerCase().replace(/(.{4})/, "$1-"), action: "in", key: k, at: pressedAt });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "recorded", action: "in", participation: { attended: true, checkOutAt: null } });
    expect(JSON.stringify(first.body)).not.toContain(fx.bookedName);
    expect(await version()).toBe(before + 1);

    const again = await checkIn({ referenceCode: fx.bookedCode, action: "in", key: k });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: "duplicate", at: first.body.at });
    expect(await version()).toBe(before + 1);
    expect(await receipts()).toBe(1);

    const p = await participation();
    expect(p?.attended).toBe(true);
    expect(p?.checkInAt?.toISOString()).toBe(pressedAt);
    expect(first.body.at).toBe(pressedAt);
    // The board card follows: confirmed → active, through the one write path (a change-feed row).
    const match = await server.services.prisma.match.findUniqueOrThrow({ where: { id: fx.matchId } });
    expect(match.stage).toBe("ACTIVE");
    const change = await server.services.prisma.workspaceChange.findUniqueOrThrow({ where: { workspaceId_version: { workspaceId, version: before + 1 } } });
    expect(change).toMatchObject({ entity: "match", entityId: fx.matchId, verb: "updated" });
  });

  it("records a check-out that races itself (the same key five times at once) exactly once, at the time it was pressed", async () => {
    const before = await version();
    const k = key("out");
    const pressedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const answers = await Promise.all(Array.from({ length: 5 }, () => checkIn({ referenceCode: fx.bookedCode, action: "out", key: k, at: pressedAt })));
    const statuses = answers.map((a) => a.body.status).sort();
    expect(statuses).toEqual(["duplicate", "duplicate", "duplicate", "duplicate", "recorded"]);
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(await version()).toBe(before + 1);
    expect(await server.services.prisma.checkInReceipt.count({ where: { key: k } })).toBe(1);
    const p = await participation();
    expect(p?.checkOutAt?.toISOString()).toBe(new Date(pressedAt).toISOString());
    // In 20 minutes ago, out 5 minutes ago.
    expect(p?.minutes).toBe(15);
    expect((await server.services.prisma.match.findUniqueOrThrow({ where: { id: fx.matchId } })).stage).toBe("COMPLETED");
  });

  it("answers a wrong code, an unknown reference code and a resident without a seat the same 404, writing nothing", async () => {
    const before = await version();
    const wrongCode = code === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ";
    const answers = await Promise.all([
      checkIn({ referenceCode: fx.bookedCode, action: "in", key: key("w1") }, wrongCode),
      checkIn({ referenceCode: "ZZZZ9999", action: "in", key: key("w2") }),
      checkIn({ referenceCode: fx.strangerCode, action: "in", key: key("w3") }),
      checkIn({ referenceCode: fx.bookedCode, action: "in", key: key("w4") }, "NOT-A-CODE"),
    ]);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404]);
    expect(new Set(answers.map((a) => a.body.error.message)).size).toBe(1);
    expect(await version()).toBe(before);
  });

  it("refuses a key reused for something else, a bad key, a future time, and no identity", async () => {
    const k = key("re");
    expect((await checkIn({ referenceCode: fx.bookedCode, action: "in", key: k })).status).toBe(201);
    const reused = await checkIn({ referenceCode: fx.bookedCode, action: "out", key: k });
    expect(reused.status).toBe(409);
    expect(reused.body.error.details.reason).toBe("key_reused");
    expect((await checkIn({ referenceCode: fx.bookedCode, action: "in", key: "short" })).status).toBe(400);
    const future = await checkIn({ referenceCode: fx.bookedCode, action: "in", key: key("fu"), at: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.status).toBe(400);
    expect((await checkIn({ action: "in", key: key("no") })).status).toBe(400);
    const beforeIn = await checkIn({ referenceCode: fx.bookedCode, action: "out", key: key("ob"), at: new Date(Date.now() - 60 * 60_000).toISOString() });
    expect(beforeIn.status).toBe(409);
    expect(beforeIn.body.error.details.reason).toBe("out_before_in");
  });

  it("refuses check-in outside the piece's window", async () => {
    const later = await makeCheckInFixture(server.services.prisma, workspaceId, "CQBB", 3 * 24 * 60);
    const sheet = await getJson(server.url, `/api/v1/shifts/${later.shiftId}/check-in`, coordinator);
    const answer = await checkIn({ referenceCode: later.bookedCode, action: "in", key: key("wi") }, sheet.body.code);
    expect(answer.status).toBe(409);
    expect(answer.body.error.details.reason).toBe("outside_window");
    expect(await server.services.prisma.participation.count({ where: { shiftId: later.shiftId } })).toBe(0);
  });

  it("lets the organizer's coordinator check someone in; not another organization's", async () => {
    const other = await makeCheckInFixture(server.services.prisma, workspaceId, "CQCC");
    const body = { residentId: other.bookedId, action: "in", key: key("co") };
    expect((await sendJson(server.url, "POST", `/api/v1/shifts/${other.shiftId}/check-in`, body, npo)).status).toBe(403);
    expect((await sendJson(server.url, "POST", `/api/v1/shifts/${other.shiftId}/check-in`, body, member)).status).toBe(403);
    expect((await sendJson(server.url, "POST", `/api/v1/shifts/${other.shiftId}/check-in`, body)).status).toBe(401);
    const ok = await sendJson(server.url, "POST", `/api/v1/shifts/${other.shiftId}/check-in`, body, coordinator);
    expect(ok.status).toBe(201);
    const receipt = await server.services.prisma.checkInReceipt.findUniqueOrThrow({ where: { key: body.key } });
    expect(receipt.via).toBe("coordinator");
    expect(receipt.actorUserId).not.toBeNull();
  });

  it("works without JavaScript: the page shows the piece (no person) and a plain form POST records once", async () => {
    const other = await makeCheckInFixture(server.services.prisma, workspaceId, "CQDD");
    const sheet = await getJson(server.url, `/api/v1/shifts/${other.shiftId}/check-in`, coordinator);
    const page = await fetch(`${server.url}/c/${sheet.body.code}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("チェックイン試験 CQDD");
    expect(html).not.toContain(other.bookedName);
    const formKey = /name="key" value="([0-9a-f]{32})"/.exec(html)?.[1];
    expect(formKey).toBeDefined();
    const post = () =>
      fetch(`${server.url}/c/${sheet.body.code}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ referenceCode: other.bookedCode, action: "in", key: formKey as string }).toString(),
      });
    const first = await post();
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/\d\d:\d\d にチェックインしました/);
    const second = await post();
    expect(await second.text()).toContain("すでに届いています");
    expect(await server.services.prisma.checkInReceipt.count({ where: { participation: { shiftId: other.shiftId } } })).toBe(1);
    expect((await fetch(`${server.url}/c/ZZZZZZ`)).status).toBe(404);
  });

  it("prints the poster with the code and an inline SVG QR code for the organizer's coordinator", async () => {
    const slug = (await server.services.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).slug;
    const page = await fetch(`${server.url}/w/${slug}/shifts/${fx.shiftId}/check-in`, { headers: { cookie: coordinator } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`data-code="${code}"`);
    expect(html).toMatch(/<svg[^>]*viewBox="0 0 \d+ \d+"[^>]*>.*<path fill="#000" d="M/s);
    expect(html).toContain(`/c/${code}`);
    expect(html).toContain(fx.bookedName);
    const denied = await fetch(`${server.url}/w/${slug}/shifts/${fx.shiftId}/check-in`, { headers: { cookie: npo } });
    expect(denied.status).toBe(403);
  });
});
