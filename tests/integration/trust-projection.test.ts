import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson } from "../setup/test-server.ts";
import type { TestServer } from "../setup/test-server.ts";
import {
  allResidents,
  CARD_KEYS,
  DEMO_RESIDENT_ID,
  ORG,
  personalKeysIn,
  startTrustServer,
  type Sessions,
} from "./trust-support.ts";

/** Field-level projection of residents over the REST API: who sees which fields. */
describe("resident projection over the API", () => {
  let server: TestServer;
  let as: Sessions;
  let workspaceId: string;

  beforeAll(async () => {
    ({ server, as, workspaceId } = await startTrustServer());
  });
  afterAll(async () => {
    await server?.stop();
  });

  const metres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) =>
    Math.hypot((a.lat - b.lat) * 111_320, (a.lng - b.lng) * 111_320 * Math.cos((a.lat * Math.PI) / 180));

  it("pages through a workspace's residents with a cursor, without overlap", async () => {
    const first = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/residents?limit=25`, as.coordinator);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.body.items).toHaveLength(25);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/residents?limit=25&cursor=${first.body.nextCursor}`, as.coordinator);
    const ids = new Set(first.body.items.map((r: { id: string }) => r.id));
    expect(second.body.items).toHaveLength(25);
    expect(second.body.items.some((r: { id: string }) => ids.has(r.id))).toBe(false);
    const all = await allResidents(server.url, workspaceId, as.coordinator);
    expect(all.length).toBe(320);
  });

  it("shows the registering organization's coordinator every field of its residents, and cards of the others", async () => {
    const all = await allResidents(server.url, workspaceId, as.coordinator);
    const own = all.filter((r) => r.registeredByOrgId === ORG.shakyo);
    // Residents of other organizations who consented to the 社協 show the consented fields.
    const consentedToShakyo = new Set(
      (await server.services.prisma.consent.findMany({ where: { organizationId: ORG.shakyo, revokedAt: null, expiresAt: { gt: new Date() } } })).map(
        (c) => c.residentId,
      ),
    );
    const others = all.filter((r) => r.registeredByOrgId !== ORG.shakyo && !consentedToShakyo.has(r.id));
    expect(others.length).toBeGreaterThan(150);
    for (const id of consentedToShakyo) expect(all.find((r) => r.id === id).access).toBe("partial");
    expect(own.length).toBe(150);
    for (const r of own) {
      expect(r.access).toBe("full");
      expect(typeof r.name).toBe("string");
      expect(r).toHaveProperty("specialCare");
      expect(r).toHaveProperty("location");
    }
    expect(own.some((r) => typeof r.specialCare === "string" && r.specialCare.length > 0)).toBe(true);
    for (const r of others) {
      expect(r.access, r.id).toBe("pseudonym");
      expect(personalKeysIn(r), r.id).toEqual([]);
    }
  });

  it("shows a MEMBER of the registering organization name and contact only", async () => {
    const all = await allResidents(server.url, workspaceId, as.member, `&registeredByOrgId=${ORG.shakyo}`);
    expect(all.length).toBe(150);
    for (const r of all) {
      expect(r.visibleFields).toEqual(["name", "contact"]);
      expect(personalKeysIn(r).sort()).toEqual(["email", "name", "nameKana", "phone"]);
    }
  });

  it("never shows a VIEWER a personal field, even with a consent to the viewer's organization", async () => {
    const all = await allResidents(server.url, workspaceId, as.viewer);
    expect(all.length).toBe(320);
    expect(all.every((r) => r.access === "pseudonym")).toBe(true);
    expect(all.flatMap((r) => personalKeysIn(r))).toEqual([]);
    // The seed has consents to 包括 (the viewer's organization) that include 要配慮個人情報.
    const withConsent = (await server.services.prisma.consent.findMany({
      where: { organizationId: ORG.houkatsu, includesSpecialCare: true, revokedAt: null },
    }))[0];
    expect(withConsent).toBeTruthy();
    const one = await getJson(server.url, `/api/v1/residents/${withConsent.residentId}`, as.viewer);
    expect(one.status).toBe(200);
    expect(personalKeysIn(one.body)).toEqual([]);
  });

  it("shows another organization only the fields its active consents name", async () => {
    const consents = await server.services.prisma.consent.findMany({
      where: { organizationId: ORG.npo, revokedAt: null, expiresAt: { gt: new Date() } },
    });
    expect(consents.length).toBeGreaterThan(0);
    const all = await allResidents(server.url, workspaceId, as.npo);
    const byId = new Map(all.map((r) => [r.id, r]));
    for (const c of consents) {
      const r = byId.get(c.residentId);
      expect(r.visibleFields, c.residentId).toEqual(expect.arrayContaining(c.fields.filter((f) => f !== "specialCare" || c.includesSpecialCare)));
      expect(r.access).toBe("partial");
    }
    const consented = new Set(consents.map((c) => c.residentId));
    for (const r of all) {
      if (r.registeredByOrgId === ORG.npo || consented.has(r.id)) continue;
      expect(r.access, r.id).toBe("pseudonym");
      expect(personalKeysIn(r)).toEqual([]);
    }
  });

  it("gives every card a label, an age band, an area and only a coarsened position", async () => {
    const mine = await allResidents(server.url, workspaceId, as.coordinator, `&registeredByOrgId=${ORG.shakyo}`);
    const card = (await getJson(server.url, `/api/v1/residents/${mine[0].id}`, as.company)).body;
    expect(card.access).toBe("pseudonym");
    expect(card.label).toMatch(new RegExp(`^住民 #${card.publicCode} · (\\d0代|10代|90代以上|年代不明) · .+地区$`));
    expect(card.labelEn).toMatch(new RegExp(`^Resident #${card.publicCode} · `));
    expect(card.area).toEqual({ id: expect.any(String), name: expect.any(String) });
    expect(card).not.toHaveProperty("location");
    const exact = mine[0].location;
    expect(exact).toEqual({ lat: expect.any(Number), lng: expect.any(Number) });
    expect(card.approximateLocation).not.toEqual(exact);
    const off = metres(exact, card.approximateLocation);
    expect(off).toBeGreaterThan(0);
    expect(off).toBeLessThanOrEqual(360);
  });

  it("shows the resident their own record in full, and nobody else's", async () => {
    const me = await getJson(server.url, "/api/v1/me/resident", as.resident);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(DEMO_RESIDENT_ID);
    expect(me.body.access).toBe("self");
    expect(me.body.name).toBe("佐藤 和子");
    const byId = await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}`, as.resident);
    expect(byId.body.visibleFields).toHaveLength(7);
    const other = await getJson(server.url, "/api/v1/residents/seed-res-002", as.resident);
    expect(other.status).toBe(404);
    const list = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/residents`, as.resident);
    expect(list.status).toBe(403);
    const staff = await getJson(server.url, "/api/v1/me/resident", as.coordinator);
    expect(staff.status).toBe(404);
  });

  it("answers 404 for unknown residents and 401 without a session", async () => {
    expect((await getJson(server.url, "/api/v1/residents/nope", as.coordinator)).status).toBe(404);
    expect((await getJson(server.url, `/api/v1/residents/${DEMO_RESIDENT_ID}`)).status).toBe(401);
    expect((await getJson(server.url, `/api/v1/workspaces/${workspaceId}/residents?purpose=`, as.coordinator)).status).toBe(400);
  });

  it("keeps the resident of every kanban card a pseudonym card, and opens the person only through the audited read", async () => {
    const matches = await getJson(server.url, `/api/v1/workspaces/${workspaceId}/matches?limit=500`, as.npo);
    expect(matches.status).toBe(200);
    for (const m of matches.body.items) expect(Object.keys(m.resident).sort()).toEqual([...CARD_KEYS].sort());
    expect(personalKeysIn(matches.body.items.map((m: { resident: unknown }) => m.resident))).toEqual([]);
    const one = await getJson(server.url, `/api/v1/matches/${matches.body.items[0].id}`, as.npo);
    expect(Object.keys(one.body.resident).sort()).toEqual([...CARD_KEYS].sort());

    // A card of the demo resident, who consented to the NPO: the NPO sees name and contact.
    const demoCard = matches.body.items.find((m: { residentId: string }) => m.residentId === DEMO_RESIDENT_ID);
    expect(demoCard).toBeTruthy();
    const before = await server.services.prisma.auditLog.count({ where: { residentId: DEMO_RESIDENT_ID, action: "resident.read" } });
    const person = await getJson(server.url, `/api/v1/matches/${demoCard.id}/resident?purpose=kanban`, as.npo);
    expect(person.status).toBe(200);
    expect(person.body.name).toBe("佐藤 和子");
    expect(person.body.visibleFields).toEqual(["name", "contact"]);
    expect(await server.services.prisma.auditLog.count({ where: { residentId: DEMO_RESIDENT_ID, action: "resident.read" } })).toBe(before + 1);
    // The company has no consent: the same route shows it the card only.
    const companyView = await getJson(server.url, `/api/v1/matches/${demoCard.id}/resident`, as.company);
    if (companyView.status === 200) expect(personalKeysIn(companyView.body)).toEqual([]);
    else expect(companyView.status).toBe(404);
    expect((await getJson(server.url, "/api/v1/matches/nope/resident", as.npo)).status).toBe(404);
  });
});
