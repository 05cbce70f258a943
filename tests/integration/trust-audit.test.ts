import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, type TestServer } from "../setup/test-server.ts";
import { DEMO_RESIDENT_ID, grant, ORG, revoke, startTrustServer, type Sessions } from "./trust-support.ts";

/** The audit trail: every read of personal fields and every change, and who may read it. */
describe("audit of residents' personal data", () => {
  let server: TestServer;
  let as: Sessions;
  let workspaceId: string;

  beforeAll(async () => {
    ({ server, as, workspaceId } = await startTrustServer());
  });
  afterAll(async () => {
    await server?.stop();
  });

  const rows = (where: Record<string, unknown>) =>
    server.services.prisma.auditLog.findMany({ where, orderBy: { id: "asc" } });

  it("records a read with the actor, the fields shown, the purpose, the organization and the address", async () => {
    const read = await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}?purpose=${encodeURIComponent("こども食堂の連絡")}`, as.npo);
    expect(read.status).toBe(200);
    const [row] = await rows({ residentId: DEMO_RESIDENT_ID, actorUserId: "seed-user-npo" });
    expect(row).toMatchObject({
      workspaceId,
      action: "resident.read",
      entity: "resident",
      entityId: DEMO_RESIDENT_ID,
      fields: ["name", "contact"],
      purpose: "こども食堂の連絡",
      organizationId: ORG.npo,
      basis: expect.stringMatching(/^consent:/),
    });
    expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it("uses the purpose 'coordination' when none is given, and records nothing for pseudonym cards", async () => {
    const before = await server.services.prisma.auditLog.count();
    await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}`, as.viewer);
    await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}`, as.company);
    await getJson(server.url, `/api/v1/workspaces/${workspaceId}/residents?limit=50`, as.viewer);
    expect(await server.services.prisma.auditLog.count()).toBe(before);
    await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}`, as.coordinator);
    const latest = (await rows({ actorUserId: "seed-user-coordinator", residentId: DEMO_RESIDENT_ID })).at(-1)!;
    expect(latest.purpose).toBe("coordination");
    expect(latest.fields).toEqual(["name", "contact", "address", "birthYear", "notes", "location", "specialCare"]);
    expect(latest.basis).toBe("registering");
  });

  it("records a list read as one row per resident whose fields were shown, in one batch", async () => {
    const page = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/residents?limit=40&purpose=monthly-review`, as.member);
    const shown = page.body.items.filter((r: { visibleFields: string[] }) => r.visibleFields.length > 0);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(40);
    const logged = await rows({ actorUserId: "seed-user-member", action: "resident.list", purpose: "monthly-review" });
    expect(logged.map((r) => r.residentId).sort()).toEqual(shown.map((r: { id: string }) => r.id).sort());
    for (const r of logged) expect(r.fields).toEqual(["name", "contact"]);
    // One INSERT: every row of the batch has the same timestamp.
    expect(new Set(logged.map((r) => r.createdAt.getTime())).size).toBe(1);
  });

  it("records consent changes with the fields they cover", async () => {
    const granted = await grant(server.url, as.coordinator, DEMO_RESIDENT_ID, { organizationId: ORG.company, fields: ["name", "birthYear"] });
    expect(granted.status).toBe(201);
    await revoke(server.url, as.coordinator, granted.body.id);
    const changes = await rows({ entityId: granted.body.id });
    expect(changes.map((r) => [r.action, r.fields, r.actorUserId, r.residentId])).toEqual([
      ["consent.grant", ["name", "birthYear"], "seed-user-coordinator", DEMO_RESIDENT_ID],
      ["consent.revoke", ["name", "birthYear"], "seed-user-coordinator", DEMO_RESIDENT_ID],
    ]);
  });

  it("shows the resident who looked at their data, without the staff's addresses", async () => {
    const audit = await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}/audit`, as.resident);
    expect(audit.status).toBe(200);
    const reads = audit.body.items.filter((i: { action: string }) => i.action === "resident.read");
    expect(reads.map((i: { actor: { displayName: string } }) => i.actor.displayName)).toEqual(
      expect.arrayContaining(["中村 由美", expect.any(String)]),
    );
    const npoRead = reads.find((i: { organization: { id: string } | null }) => i.organization?.id === ORG.npo);
    expect(npoRead).toMatchObject({ purpose: "こども食堂の連絡", fields: ["name", "contact"], organization: { name: expect.any(String) } });
    expect(audit.body.items.every((i: object) => !("ip" in i))).toBe(true);
    // Newest first.
    const ids = audit.body.items.map((i: { id: string }) => BigInt(i.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
  });

  it("shows the registering organization's coordinators the same trail, with addresses, paged", async () => {
    const first = await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}/audit?limit=2`, as.coordinator);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]).toHaveProperty("ip");
    const second = await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}/audit?limit=2&cursor=${first.body.nextCursor}`, as.coordinator);
    expect(second.body.items.length).toBeGreaterThan(0);
    expect(BigInt(second.body.items[0].id)).toBeLessThan(BigInt(first.body.items[1].id));
  });

  it("refuses the resident audit to everyone else", async () => {
    expect((await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}/audit`, as.npo)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}/audit`, as.member)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}/audit`, as.viewer)).status).toBe(403);
    expect((await getJson(server.url, "/api/v1/residents/seed-res-002/audit", as.resident)).status).toBe(404);
    expect((await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}/audit?cursor=abc`, as.coordinator)).status).toBe(400);
  });

  it("shows an organization's coordinators what their people read and who read their residents", async () => {
    const npoAudit = await getJson(server.url, `/api/v1/organizations/${ORG.npo}/audit`, as.npo);
    expect(npoAudit.status).toBe(200);
    expect(npoAudit.body.items.some((i: { residentId: string; actor: { userId: string } }) => i.residentId === DEMO_RESIDENT_ID && i.actor.userId === "seed-user-npo")).toBe(true);
    const shakyoAudit = await getJson(server.url, `/api/v1/organizations/${ORG.shakyo}/audit?limit=500`, as.coordinator);
    const actors = new Set(shakyoAudit.body.items.map((i: { actor: { userId: string } }) => i.actor.userId));
    // The NPO's read of a 社協 resident shows up for the 社協 too.
    expect(actors.has("seed-user-npo")).toBe(true);
    expect(actors.has("seed-user-member")).toBe(true);
    const one = await getJson(server.url, `/api/v1/organizations/${ORG.shakyo}/audit?residentId=${DEMO_RESIDENT_ID}`, as.coordinator);
    expect(one.body.items.every((i: { residentId: string }) => i.residentId === DEMO_RESIDENT_ID)).toBe(true);
    // The company read nothing personal: its trail stays empty.
    expect((await getJson(server.url, `/api/v1/organizations/${ORG.company}/audit`, as.company)).body.items).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ action: "resident.read" })]),
    );
  });

  it("refuses an organization's audit to other organizations, members and viewers", async () => {
    expect((await getJson(server.url, `/api/v1/organizations/${ORG.shakyo}/audit`, as.npo)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/organizations/${ORG.shakyo}/audit`, as.member)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/organizations/${ORG.houkatsu}/audit`, as.viewer)).status).toBe(403);
    expect((await getJson(server.url, `/api/v1/organizations/${ORG.shakyo}/audit`, as.resident)).status).toBe(404);
    expect((await getJson(server.url, "/api/v1/organizations/nope/audit", as.coordinator)).status).toBe(404);
  });
});
