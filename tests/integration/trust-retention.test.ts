import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, sendJson, type TestServer } from "../setup/test-server.ts";
import { connected, nextEvent, openSocket, type LiveTestSocket } from "./live-support.ts";
import { allResidents, DEMO_RESIDENT_ID, grant, ORG, personalKeysIn, startTrustServer, type Sessions } from "./trust-support.ts";

const OPEN = ["SUGGESTED", "CONTACTING", "ARRANGING", "CONFIRMED", "ACTIVE"];

/** Retention: erasing a resident's personal data everywhere, keeping an anonymous stub. */
describe("resident erasure", () => {
  let server: TestServer;
  let as: Sessions;
  let workspaceId: string;
  let residentId: string; // a 社協 resident with open matches, active consents and availability
  let socket: LiveTestSocket;
  let before: any; // the full record, read by the registering coordinator before erasure

  beforeAll(async () => {
    ({ server, as, workspaceId } = await startTrustServer());
    const prisma = server.services.prisma;
    const candidates = await prisma.resident.findMany({
      where: {
        registeredByOrgId: ORG.shakyo,
        userId: null,
        matches: { some: { stage: { in: ["CONTACTING", "ARRANGING", "CONFIRMED"] } } },
        consents: { some: { revokedAt: null } },
        availabilityWindows: { some: {} },
      },
      orderBy: { id: "asc" },
    });
    expect(candidates.length).toBeGreaterThan(0);
    residentId = candidates[0].id;
    before = (await getJson(server.url, `/api/v1/residents/${residentId}`, as.coordinator)).body;
    expect(before.access).toBe("full");
    socket = openSocket(server.url, as.company);
    await connected(socket);
    expect((await socket.emitWithAck("workspace:join", { workspaceId })).ok).toBe(true);
  });
  afterAll(async () => {
    socket?.close();
    await server?.stop();
  });

  const erase = (cookie: string, id = residentId) => sendJson(server.url, "DELETE", `/api/v1/residents/${id}`, undefined, cookie);

  it("is refused to other organizations, members and viewers", async () => {
    expect((await erase(as.npo)).status).toBe(403);
    expect((await erase(as.member)).status).toBe(403);
    expect((await erase(as.viewer)).status).toBe(403);
    expect((await erase(as.resident)).status).toBe(404);
    expect((await erase(as.coordinator, "nope")).status).toBe(404);
    const still = await server.services.prisma.resident.findUniqueOrThrow({ where: { id: residentId } });
    expect(still.deletedAt).toBeNull();
  });

  it("anonymizes every personal field, revokes consents, withdraws open matches and keeps the stub", async () => {
    const prisma = server.services.prisma;
    const matchesBefore = await prisma.match.findMany({ where: { residentId }, orderBy: { id: "asc" } });
    const openBefore = matchesBefore.filter((m) => OPEN.includes(m.stage));
    expect(openBefore.length).toBeGreaterThan(0);
    const heard = nextEvent(socket, "resident:changed", (e) => e.entityId === residentId, 1_000);

    const response = await erase(as.coordinator);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: residentId, deleted: true, publicCode: before.publicCode });
    expect(response.body.withdrawnMatchIds.sort()).toEqual(openBefore.map((m) => m.id).sort());

    const row = await prisma.resident.findUniqueOrThrow({ where: { id: residentId } });
    expect(row).toMatchObject({
      displayName: "削除済み住民",
      nameKana: null,
      email: null,
      phone: null,
      address: null,
      birthYear: null,
      homeLat: null,
      homeLng: null,
      notes: null,
      specialCare: null,
      interests: [],
      userId: null,
      status: "LEFT",
      publicCode: before.publicCode,
    });
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(await prisma.consent.count({ where: { residentId, revokedAt: null } })).toBe(0);
    expect(await prisma.availabilityWindow.count({ where: { residentId } })).toBe(0);
    expect(await prisma.availabilityException.count({ where: { residentId } })).toBe(0);

    // Matches stay as anonymous stubs (same rows, shift, score), open ones withdrawn.
    const matchesAfter = await prisma.match.findMany({ where: { residentId }, orderBy: { id: "asc" } });
    expect(matchesAfter.map((m) => [m.id, m.shiftId, m.score])).toEqual(matchesBefore.map((m) => [m.id, m.shiftId, m.score]));
    for (const m of matchesAfter) {
      expect(OPEN).not.toContain(m.stage);
      expect(m.explanationJa).toBeNull();
      expect(m.scoreBreakdown).toBeNull();
    }
    const notes = await prisma.matchEvent.findMany({ where: { match: { residentId }, note: { not: null } } });
    expect(notes.every((e) => e.note!.startsWith("住民データの消去"))).toBe(true);

    // The event tells the room which cards went, without any personal value.
    const event = await heard;
    expect(event.verb).toBe("deleted");
    const json = JSON.stringify(event);
    for (const value of [before.name, before.email, before.phone, before.address, before.notes].filter(Boolean)) {
      expect(json).not.toContain(value);
    }
  });

  it("records the erasure in the audit log", async () => {
    const rows = await server.services.prisma.auditLog.findMany({ where: { residentId, action: "resident.erase" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorUserId: "seed-user-coordinator", organizationId: ORG.shakyo, purpose: "retention" });
    expect(rows[0].fields).toEqual(["name", "contact", "address", "birthYear", "notes", "location", "specialCare"]);
  });

  it("shows the stub everywhere: no personal field even to the registering coordinator", async () => {
    const view = await getJson(server.url, `/api/v1/residents/${residentId}`, as.coordinator);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ deleted: true, access: "pseudonym", visibleFields: [], status: "LEFT", approximateLocation: null, ageBand: null });
    expect(personalKeysIn(view.body)).toEqual([]);
    const listed = await allResidents(server.url, workspaceId, as.coordinator);
    expect(listed.some((r) => r.id === residentId)).toBe(false);
    const withDeleted = await allResidents(server.url, workspaceId, as.coordinator, "&includeDeleted=1");
    expect(withDeleted.find((r) => r.id === residentId)).toMatchObject({ deleted: true });
    const cards = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/matches?limit=500`, as.coordinator);
    const stubs = cards.body.items.filter((m: { residentId: string }) => m.residentId === residentId);
    expect(stubs.length).toBeGreaterThan(0);
    for (const m of stubs) expect(m.resident.publicCode).toBe(before.publicCode);
    expect(JSON.stringify(cards.body)).not.toContain(before.name);
  });

  it("is idempotent and leaves nothing to grant on", async () => {
    const again = await erase(as.coordinator);
    expect(again.status).toBe(200);
    expect(again.body.withdrawnMatchIds).toEqual([]);
    expect(await server.services.prisma.auditLog.count({ where: { residentId, action: "resident.erase" } })).toBe(1);
    const refused = await grant(server.url, as.coordinator, residentId, { organizationId: ORG.npo, fields: ["name"] });
    expect(refused.status).toBe(409);
  });

  it("lets a resident erase their own data; the login is unlinked", async () => {
    const response = await erase(as.resident, DEMO_RESIDENT_ID);
    expect(response.status).toBe(200);
    const audit = await server.services.prisma.auditLog.findFirstOrThrow({ where: { residentId: DEMO_RESIDENT_ID, action: "resident.erase" } });
    expect(audit).toMatchObject({ actorUserId: "seed-user-resident", basis: "self", organizationId: null });
    expect((await getJson(server.url, "/api/v1/me/resident", as.resident)).status).toBe(404);
    expect((await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}`, as.resident)).status).toBe(404);
    const user = await server.services.prisma.user.findUniqueOrThrow({ where: { id: "seed-user-resident" }, include: { resident: true } });
    expect(user.resident).toBeNull();
  });
});
