import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, sendJson, type TestServer } from "../setup/test-server.ts";
import { connected, nextEvent, openSocket, sleep, type LiveTestSocket } from "./live-support.ts";
import { DEMO_RESIDENT_ID, grant, inDays, ORG, personalKeysIn, revoke, startTrustServer, type Sessions } from "./trust-support.ts";

/** Consents: granting shares named fields with one organization; revoking or expiry stops it at once. */
describe("consents", () => {
  let server: TestServer;
  let as: Sessions;
  let workspaceId: string;
  let residentId: string; // registered by the 社協, with 要配慮個人情報, no consent to the NPO
  let socket: LiveTestSocket; // the NPO coordinator, in the workspace room

  beforeAll(async () => {
    ({ server, as, workspaceId } = await startTrustServer());
    const candidate = await server.services.prisma.resident.findFirstOrThrow({
      where: { registeredByOrgId: ORG.shakyo, specialCare: { not: null }, status: "ACTIVE", consents: { none: { organizationId: ORG.npo } } },
      orderBy: { id: "asc" },
    });
    residentId = candidate.id;
    socket = openSocket(server.url, as.npo);
    await connected(socket);
    const ack = await socket.emitWithAck("workspace:join", { workspaceId });
    expect(ack.ok).toBe(true);
  });
  afterAll(async () => {
    socket?.close();
    await server?.stop();
  });

  const read = (cookie: string) => getJson(server.url, `/api/v1/residents/${residentId}`, cookie);

  it("starts with the NPO seeing only the pseudonym card", async () => {
    const view = await read(as.npo);
    expect(view.status).toBe(200);
    expect(view.body.access).toBe("pseudonym");
    expect(personalKeysIn(view.body)).toEqual([]);
  });

  let consentId: string;

  it("lets the registering coordinator grant on the resident's behalf; the NPO then sees the named fields; the room hears of it", async () => {
    const heard = nextEvent(socket, "consent:changed", (e) => e.data.residentId === residentId, 1_000);
    const granted = await grant(server.url, as.coordinator, residentId, { organizationId: ORG.npo, fields: ["name", "contact"] });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      residentId,
      organizationId: ORG.npo,
      fields: ["name", "contact"],
      onBehalf: true,
      grantedByUserId: "seed-user-coordinator",
      includesSpecialCare: false,
      active: true,
      revokedAt: null,
    });
    consentId = granted.body.id;
    const event = await heard;
    expect(event.verb).toBe("created");
    expect(event.entityId).toBe(consentId);
    expect(Object.keys(event.data).sort()).toEqual(["consentId", "organizationId", "publicCode", "residentId", "supersededConsentIds"]);

    const view = await read(as.npo);
    expect(view.body.access).toBe("partial");
    expect(view.body.visibleFields).toEqual(["name", "contact"]);
    expect(typeof view.body.name).toBe("string");
    expect(view.body).toHaveProperty("email");
    expect(view.body).not.toHaveProperty("address");
    expect(view.body).not.toHaveProperty("specialCare");
    expect(view.body).not.toHaveProperty("location");
    // Another organization still sees the card only.
    expect(personalKeysIn((await read(as.company)).body)).toEqual([]);
  });

  it("refuses special care without its own flag, and shows it only with its own consent", async () => {
    const withoutFlag = await grant(server.url, as.coordinator, residentId, { organizationId: ORG.npo, fields: ["name", "contact", "specialCare"] });
    expect(withoutFlag.status).toBe(400);
    expect(withoutFlag.body.error.details.map((d: { path: string }) => d.path)).toContain("includesSpecialCare");
    const flagOnly = await grant(server.url, as.coordinator, residentId, { organizationId: ORG.npo, fields: ["name"], includesSpecialCare: true });
    expect(flagOnly.status).toBe(400);
    expect((await read(as.npo)).body).not.toHaveProperty("specialCare");

    const withFlag = await grant(server.url, as.coordinator, residentId, {
      organizationId: ORG.npo,
      fields: ["name", "contact", "specialCare"],
      includesSpecialCare: true,
      purpose: "配食時の配慮事項の共有",
    });
    expect(withFlag.status).toBe(201);
    const view = await read(as.npo);
    expect(view.body.visibleFields).toEqual(["name", "contact", "specialCare"]);
    expect(typeof view.body.specialCare).toBe("string");
    // The new consent replaced the earlier one of the same organization.
    const list = await getJson(server.url, `/api/v1/residents/${residentId}/consents`, as.coordinator);
    const earlier = list.body.items.find((c: { id: string }) => c.id === consentId);
    expect(earlier.active).toBe(false);
    expect(earlier.revokedAt).not.toBeNull();
    consentId = withFlag.body.id;
  });

  it("revokes at once: the next read is projected down and the room hears of it within 1 s", async () => {
    const heard = nextEvent(socket, "consent:changed", (e) => e.entityId === consentId && e.verb === "updated", 1_000);
    const started = performance.now();
    const revoked = await revoke(server.url, as.coordinator, consentId);
    expect(revoked.status).toBe(200);
    expect(revoked.body.active).toBe(false);
    const view = await read(as.npo);
    expect(view.body.access).toBe("pseudonym");
    expect(personalKeysIn(view.body)).toEqual([]);
    const event = await heard;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(event.data).toEqual({ consentId, residentId, publicCode: view.body.publicCode, organizationId: ORG.npo, active: false });
    // Revoking again changes nothing and is not an error.
    const again = await revoke(server.url, as.coordinator, consentId);
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it("stops sharing when a consent expires", async () => {
    const granted = await grant(server.url, as.coordinator, residentId, {
      organizationId: ORG.npo,
      fields: ["name", "address"],
      expiresAt: new Date(Date.now() + 1_500).toISOString(),
    });
    expect(granted.status).toBe(201);
    expect((await read(as.npo)).body.visibleFields).toEqual(["name", "address"]);
    await sleep(1_700);
    const after = await read(as.npo);
    expect(after.body.access).toBe("pseudonym");
    expect(personalKeysIn(after.body)).toEqual([]);
    const listed = await getJson(server.url, `/api/v1/residents/${residentId}/consents`, as.npo);
    expect(listed.body.items.find((c: { id: string }) => c.id === granted.body.id).active).toBe(false);
  });

  it("lets the resident grant and revoke their own consents (not on behalf)", async () => {
    const granted = await grant(server.url, as.resident, DEMO_RESIDENT_ID, { organizationId: ORG.company, fields: ["name"] });
    expect(granted.status).toBe(201);
    expect(granted.body.onBehalf).toBe(false);
    expect(granted.body.grantedByUserId).toBe("seed-user-resident");
    expect((await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}`, as.company)).body.name).toBe("佐藤 和子");
    const own = await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}/consents`, as.resident);
    expect(own.body.items.map((c: { id: string }) => c.id)).toContain(granted.body.id);
    expect((await revoke(server.url, as.resident, granted.body.id)).status).toBe(200);
    expect((await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}`, as.company)).body).not.toHaveProperty("name");
  });

  it("lets the receiving organization give access up, and nobody else", async () => {
    const granted = await grant(server.url, as.coordinator, residentId, { organizationId: ORG.npo, fields: ["name"] });
    expect((await revoke(server.url, as.company, granted.body.id)).status).toBe(403);
    expect((await revoke(server.url, as.viewer, granted.body.id)).status).toBe(403);
    expect((await revoke(server.url, as.member, granted.body.id)).status).toBe(403);
    expect((await revoke(server.url, as.resident, granted.body.id)).status).toBe(404);
    expect((await revoke(server.url, as.npo, granted.body.id)).status).toBe(200);
    expect((await revoke(server.url, as.npo, "nope")).status).toBe(404);
  });

  it("refuses grants by the wrong people and for the wrong organizations or dates", async () => {
    const body = { organizationId: ORG.company, fields: ["name"] };
    expect((await grant(server.url, as.npo, residentId, body)).status).toBe(403);
    expect((await grant(server.url, as.viewer, residentId, body)).status).toBe(403);
    expect((await grant(server.url, as.member, residentId, body)).status).toBe(403);
    expect((await grant(server.url, as.resident, residentId, body)).status).toBe(404);
    const self = await grant(server.url, as.coordinator, residentId, { organizationId: ORG.shakyo, fields: ["name"] });
    expect(self.status).toBe(400);
    expect(self.body.error.details[0].path).toBe("organizationId");
    expect((await grant(server.url, as.coordinator, residentId, { organizationId: "nope", fields: ["name"] })).status).toBe(400);
    const past = await grant(server.url, as.coordinator, residentId, { ...body, expiresAt: inDays(-1) });
    expect(past.status).toBe(400);
    expect(past.body.error.details[0].path).toBe("expiresAt");
    expect((await grant(server.url, as.coordinator, residentId, { ...body, expiresAt: inDays(5 * 365) })).status).toBe(400);
    expect((await grant(server.url, as.coordinator, residentId, { ...body, fields: ["bank"] })).status).toBe(400);
    expect((await grant(server.url, as.coordinator, residentId, { ...body, fields: [] })).status).toBe(400);
    expect((await grant(server.url, as.coordinator, residentId, { ...body, fields: ["name", "name"] })).status).toBe(400);
  });

  it("lists all consents to the resident and the registering organization, only its own to another organization", async () => {
    const all = await getJson(server.url, `/api/v1/residents/${residentId}/consents`, as.coordinator);
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(4);
    const npoView = await getJson(server.url, `/api/v1/residents/${residentId}/consents`, as.npo);
    expect(npoView.body.items.length).toBeGreaterThan(0);
    expect(npoView.body.items.every((c: { organizationId: string }) => c.organizationId === ORG.npo)).toBe(true);
    expect((await getJson(server.url, `/api/v1/residents/${residentId}/consents`, as.company)).body.items).toEqual([]);
    expect((await getJson(server.url, `/api/v1/residents/${residentId}/consents`, as.resident)).status).toBe(404);
  });

  it("publishes and lists 共同利用 notices (never with 要配慮個人情報)", async () => {
    const heard = nextEvent(socket, "consent:changed", (e) => e.data.kind === "joint-use-notice", 1_000);
    const body = { managerOrgId: ORG.shakyo, organizationIds: [ORG.npo, ORG.city], fields: ["name", "contact"], purpose: "こども食堂の担い手の連絡調整" };
    const created = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/joint-use-notices`, body, as.coordinator);
    expect(created.status).toBe(201);
    expect(created.body.organizationIds).toEqual([ORG.shakyo, ORG.npo, ORG.city]);
    expect((await heard).data).toEqual({ kind: "joint-use-notice", noticeId: created.body.id, managerOrgId: ORG.shakyo });
    const special = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/joint-use-notices`, { ...body, fields: ["specialCare"] }, as.coordinator);
    expect(special.status).toBe(400);
    const forOther = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/joint-use-notices`, { ...body, managerOrgId: ORG.npo }, as.coordinator);
    expect(forOther.status).toBe(403);
    const unknown = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/joint-use-notices`, { ...body, organizationIds: ["nope"] }, as.coordinator);
    expect(unknown.status).toBe(400);
    const list = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/joint-use-notices`, as.viewer);
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { id: string }) => n.id)).toEqual([created.body.id, "seed-joint-use-001"]);
    expect(list.body.items[0].organizations.map((o: { name: string }) => o.name).every(Boolean)).toBe(true);
    // A notice is a published statement, not an access grant: the city still sees cards only.
    expect(personalKeysIn((await read(as.city)).body)).toEqual([]);
  });
});
