import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { DAY, HOUR, makeArea, makeMatch, makeResident, makeTask } from "./board-fixtures.ts";
import { nextEvent, openSocket, connected, type LiveTestSocket } from "./live-support.ts";
import { ORG, PERSONAL_KEYS } from "./trust-support.ts";

/**
 * The card detail's actions against the real server (issue 6): notes (involved organizations
 * only, live), contact through the consent-scoped projection, hand-off with the resident's
 * consent, and the outcome written to Participation and counted by the KPIs.
 * Decisions 032 and 033.
 */

const personal = (value: unknown) => {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if ((PERSONAL_KEYS as readonly string[]).includes(k)) found.add(k);
        if (k !== "area") walk(x);
      }
    }
  };
  walk(value);
  return [...found].sort();
};

describe("board: card detail actions", () => {
  let server: TestServer;
  let coordinator: string; // 社協 coordinator: the task's and the registering organization
  let npo: string; // coordinator of the NPO: not involved until the card is handed to it
  let viewer: string; // 包括 viewer
  let member: string; // 社協 member
  let workspaceId: string;
  let areaId: string;
  let socket: LiveTestSocket;

  const card = (id: string, cookie: string) => getJson(server.url, `/api/v1/matches/${id}`, cookie);
  const post = (path: string, body: unknown, cookie: string) => sendJson(server.url, "POST", `/api/v1${path}`, body, cookie);

  beforeAll(async () => {
    server = await startTestServer();
    [coordinator, npo, viewer, member] = await Promise.all([
      login(server.url),
      login(server.url, "npo@tsunagu.example"),
      login(server.url, "viewer@tsunagu.example"),
      login(server.url, "member@tsunagu.example"),
    ]);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
    areaId = (await makeArea(server.services.prisma, workspaceId)).id;
    socket = openSocket(server.url, npo);
    await connected(socket);
    const joined = await socket.emitWithAck("workspace:join", { workspaceId });
    expect(joined.ok).toBe(true);
  });
  afterAll(async () => {
    socket?.close();
    await server?.stop();
  });

  async function freshCard(stage: "SUGGESTED" | "CONFIRMED" = "SUGGESTED", startsAt = new Date(Date.now() + 5 * DAY)) {
    const prisma = server.services.prisma;
    const { shifts } = await makeTask(prisma, { workspaceId, ownerOrgId: ORG.shakyo, areaId }, [{ role: "配膳", startsAt }]);
    const resident = await makeResident(prisma, workspaceId, ORG.shakyo, areaId);
    const match = await makeMatch(prisma, { workspaceId, shiftId: shifts[0].id, residentId: resident.id, stage });
    return { match, resident, shift: shifts[0] };
  }

  describe("notes", () => {
    it("a coordinator of an involved organization adds a note; involved members read it with author and time; it goes live", async () => {
      const { match } = await freshCard();
      const live = nextEvent(socket, "match:changed", (e) => e.entityId === match.id);
      const added = await post(`/matches/${match.id}/notes`, { text: "  火曜の午後なら連絡がつきやすい  " }, coordinator);
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ text: "火曜の午後なら連絡がつきやすい", author: "中村 由美" });
      const event = await live;
      expect(event.data).toEqual({ kind: "match.note", matchId: match.id, shiftId: match.shiftId, noteCount: 1 });

      for (const cookie of [coordinator, member]) {
        const detail = await card(match.id, cookie);
        expect(detail.status).toBe(200);
        expect(detail.body.notes).toHaveLength(1);
        expect(detail.body.notes[0]).toMatchObject({ text: "火曜の午後なら連絡がつきやすい", author: "中村 由美" });
        expect(Date.parse(detail.body.notes[0].createdAt)).toBeGreaterThan(Date.now() - 60_000);
      }
      // The card's version does not move: a note never turns someone's drag into a conflict.
      expect((await card(match.id, coordinator)).body.version).toBe(match.version);
    });

    it("other organizations and viewers see that notes exist only as hidden (null), and cannot add one", async () => {
      const { match } = await freshCard();
      await post(`/matches/${match.id}/notes`, { text: "内部メモ" }, coordinator);
      for (const cookie of [npo, viewer]) {
        const detail = await card(match.id, cookie);
        expect(detail.status).toBe(200);
        expect(detail.body.notes).toBeNull();
        expect(detail.body.access).toEqual({ readNotes: false, act: false });
        expect(JSON.stringify(detail.body)).not.toContain("内部メモ");
      }
      const byNpo = await post(`/matches/${match.id}/notes`, { text: "x" }, npo);
      expect(byNpo.status).toBe(403);
      expect(byNpo.body.error.details).toMatchObject({ reason: "not_involved" });
      expect((await post(`/matches/${match.id}/notes`, { text: "x" }, viewer)).status).toBe(403);
      expect((await post(`/matches/${match.id}/notes`, { text: "x" }, member)).status).toBe(403);
    });

    it("refuses an empty or too long note", async () => {
      const { match } = await freshCard();
      const blank = await post(`/matches/${match.id}/notes`, { text: "   " }, coordinator);
      expect(blank.status).toBe(400);
      expect((await post(`/matches/${match.id}/notes`, { text: "あ".repeat(2001) }, coordinator)).status).toBe(400);
      expect((await post(`/matches/${match.id}/notes`, { text: "ok", extra: 1 }, coordinator)).status).toBe(400);
      expect((await card(match.id, coordinator)).body.notes).toEqual([]);
    });
  });

  describe("contact through the projection", () => {
    it("the registering coordinator gets phone and email; another organization without consent gets none (pseudonym)", async () => {
      const { match } = await freshCard();
      const mine = await getJson(server.url, `/api/v1/matches/${match.id}/resident`, coordinator);
      expect(mine.status).toBe(200);
      expect(mine.body.visibleFields).toContain("contact");
      expect(mine.body.phone).toBe("090-0000-0000");
      const theirs = await getJson(server.url, `/api/v1/matches/${match.id}/resident`, npo);
      expect(theirs.status).toBe(200);
      expect(theirs.body.access).toBe("pseudonym");
      expect(personal(theirs.body)).toEqual([]);
      // The card itself never carries a contact, for anyone.
      expect(personal((await card(match.id, coordinator)).body.resident)).toEqual([]);
    });
  });

  describe("hand-off to another organization", () => {
    it("is refused without the resident's consent to that organization (403 no_consent), then allowed once it is granted", async () => {
      const { match, resident } = await freshCard();
      const refused = await post(`/matches/${match.id}/handoff`, { organizationId: ORG.npo, expectedVersion: match.version }, coordinator);
      expect(refused.status).toBe(403);
      expect(refused.body.error.details).toMatchObject({ reason: "no_consent", organizationId: ORG.npo });
      expect(refused.body.error.message).toMatch(/同意していません/);
      expect((await card(match.id, coordinator)).body.handledBy).toBeNull();
      expect(await server.services.prisma.auditLog.count({ where: { action: "match.handoff", entityId: match.id } })).toBe(0);

      // A consent without contact is not enough either.
      const nameOnly = await post(`/residents/${resident.id}/consents`, { organizationId: ORG.npo, fields: ["name"], purpose: "食事会の連絡", expiresAt: new Date(Date.now() + 30 * DAY).toISOString() }, coordinator);
      expect(nameOnly.status).toBe(201);
      expect((await post(`/matches/${match.id}/handoff`, { organizationId: ORG.npo, expectedVersion: match.version }, coordinator)).body.error.details.reason).toBe("no_consent");

      const granted = await post(`/residents/${resident.id}/consents`, { organizationId: ORG.npo, fields: ["name", "contact"], purpose: "食事会の連絡", expiresAt: new Date(Date.now() + 30 * DAY).toISOString() }, coordinator);
      expect(granted.status).toBe(201);
      const live = nextEvent(socket, "match:changed", (e) => e.entityId === match.id);
      const handed = await post(`/matches/${match.id}/handoff`, { organizationId: ORG.npo, expectedVersion: match.version }, coordinator);
      expect(handed.status).toBe(200);
      expect(handed.body.handledBy).toMatchObject({ id: ORG.npo });
      expect(handed.body.version).toBe(match.version + 1);
      expect(handed.body.events[0]).toMatchObject({ kind: "handoff", actor: { displayName: "中村 由美" } });
      expect((await live).data).toMatchObject({ matchId: match.id, version: match.version + 1 });

      // The hand-off is in the audit log, once, like consents and 代理登録: who, to whom, on which consent.
      const audit = await server.services.prisma.auditLog.findMany({ where: { action: "match.handoff", entityId: match.id } });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        workspaceId,
        entity: "match",
        residentId: resident.id,
        fields: ["contact"],
        organizationId: ORG.npo,
        basis: `consent:${granted.body.id}`,
        purpose: "handoff",
      });
      // The resident's access log (what /me lists; here as the registering organization reads it).
      const trail = await getJson(server.url, `/api/v1/residents/${resident.id}/audit`, coordinator);
      expect(trail.status).toBe(200);
      expect(trail.body.items.filter((row: { action: string }) => row.action === "match.handoff")).toMatchObject([
        { entity: "match", entityId: match.id, actor: { displayName: "中村 由美" }, organization: { id: ORG.npo }, fields: ["contact"] },
      ]);

      // The NPO is now involved: it reads the notes, acts on the card and sees the contact.
      const forNpo = await card(match.id, npo);
      expect(forNpo.body.access).toEqual({ readNotes: true, act: true });
      expect((await post(`/matches/${match.id}/notes`, { text: "引き継ぎました" }, npo)).status).toBe(201);
      expect((await getJson(server.url, `/api/v1/matches/${match.id}/resident`, npo)).body.phone).toBe("090-0000-0000");
    });

    it("refuses a stale version (409), an unknown organization (400), the current handler (400), viewers and outsiders (403)", async () => {
      const { match, resident } = await freshCard();
      await post(`/residents/${resident.id}/consents`, { organizationId: ORG.houkatsu, fields: ["contact"], purpose: "見守り", expiresAt: new Date(Date.now() + 30 * DAY).toISOString() }, coordinator);
      expect((await post(`/matches/${match.id}/handoff`, { organizationId: ORG.houkatsu, expectedVersion: match.version + 5 }, coordinator)).status).toBe(409);
      expect((await post(`/matches/${match.id}/handoff`, { organizationId: "no-such-org", expectedVersion: match.version }, coordinator)).status).toBe(400);
      expect((await post(`/matches/${match.id}/handoff`, { organizationId: ORG.houkatsu, expectedVersion: match.version }, viewer)).status).toBe(403);
      const outsider = await post(`/matches/${match.id}/handoff`, { organizationId: ORG.houkatsu, expectedVersion: match.version }, npo);
      expect(outsider.status).toBe(403);
      expect(outsider.body.error.details.reason).toBe("not_involved");
      expect((await post(`/matches/${match.id}/handoff`, { organizationId: ORG.houkatsu, expectedVersion: match.version }, coordinator)).status).toBe(200);
      expect((await post(`/matches/${match.id}/handoff`, { organizationId: ORG.houkatsu, expectedVersion: match.version + 1 }, coordinator)).status).toBe(400);
    });

    it("a revoked consent stops a hand-off", async () => {
      const { match, resident } = await freshCard();
      const granted = await post(`/residents/${resident.id}/consents`, { organizationId: ORG.npo, fields: ["contact"], purpose: "連絡", expiresAt: new Date(Date.now() + 30 * DAY).toISOString() }, coordinator);
      expect((await post(`/consents/${granted.body.id}/revoke`, {}, coordinator)).status).toBe(200);
      const refused = await post(`/matches/${match.id}/handoff`, { organizationId: ORG.npo, expectedVersion: match.version }, coordinator);
      expect(refused.status).toBe(403);
      expect(refused.body.error.details.reason).toBe("no_consent");
    });
  });

  describe("outcome", () => {
    it("refuses a card that is not booked, a piece that has not started, bad ratings, and organizations not involved", async () => {
      const proposal = await freshCard("SUGGESTED", new Date(Date.now() - 3 * HOUR));
      const notBooked = await post(`/matches/${proposal.match.id}/outcome`, { attended: true, expectedVersion: 1 }, coordinator);
      expect(notBooked.status).toBe(409);
      expect(notBooked.body.error.details.reason).toBe("not_booked");

      const future = await freshCard("CONFIRMED");
      const early = await post(`/matches/${future.match.id}/outcome`, { attended: true, expectedVersion: 1 }, coordinator);
      expect(early.status).toBe(409);
      expect(early.body.error.details.reason).toBe("not_started");

      const past = await freshCard("CONFIRMED", new Date(Date.now() - 3 * HOUR));
      for (const body of [{ attended: true, rating: 6, expectedVersion: 1 }, { attended: true, hours: 1.1, expectedVersion: 1 }, { attended: "yes", expectedVersion: 1 }]) {
        expect((await post(`/matches/${past.match.id}/outcome`, body, coordinator)).status, JSON.stringify(body)).toBe(400);
      }
      expect((await post(`/matches/${past.match.id}/outcome`, { attended: true, expectedVersion: 1 }, npo)).status).toBe(403);
      expect((await post(`/matches/${past.match.id}/outcome`, { attended: true, expectedVersion: 1 }, viewer)).status).toBe(403);
      expect(await server.services.prisma.participation.count({ where: { shiftId: { in: [proposal.shift.id, future.shift.id, past.shift.id] } } })).toBe(0);
    });

    it("writes Participation (attended, minutes, rating), completes the card, and the KPIs count it (participants, continuation)", async () => {
      const prisma = server.services.prisma;
      const now = Date.now();
      // Two pieces of one resident, 60 and 45 days ago; the KPI period holds only the first.
      const { shifts } = await makeTask(prisma, { workspaceId, ownerOrgId: ORG.shakyo, areaId }, [
        { role: "配膳", startsAt: new Date(now - 60 * DAY), hours: 2 },
        { role: "配膳", startsAt: new Date(now - 45 * DAY), hours: 3 },
      ]);
      const resident = await makeResident(prisma, workspaceId, ORG.shakyo, areaId);
      const first = await makeMatch(prisma, { workspaceId, shiftId: shifts[0].id, residentId: resident.id, stage: "CONFIRMED" });
      const second = await makeMatch(prisma, { workspaceId, shiftId: shifts[1].id, residentId: resident.id, stage: "CONFIRMED" });
      const day = (ms: number) => new Date(ms + 9 * HOUR).toISOString().slice(0, 10);
      const kpis = async () =>
        (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/kpis?organizationId=${ORG.shakyo}&areaId=${areaId}&from=${day(now - 62 * DAY)}&to=${day(now - 58 * DAY)}`, coordinator))
          .body.report;

      const before = await kpis();
      expect(before.participants).toEqual({ value: 0, suppressed: false });

      const recorded = await post(`/matches/${first.id}/outcome`, { attended: true, hours: 1.5, rating: 4, expectedVersion: first.version }, coordinator);
      expect(recorded.status).toBe(200);
      expect(recorded.body).toMatchObject({ stage: "COMPLETED", version: first.version + 1, outcome: { attended: true, minutes: 90, rating: 4 } });
      expect(await prisma.participation.findUnique({ where: { residentId_shiftId: { residentId: resident.id, shiftId: shifts[0].id } } })).toMatchObject({
        matchId: first.id,
        attended: true,
        minutes: 90,
        rating: 4,
      });
      const middle = await kpis();
      expect(middle.participants).toEqual({ value: 1, suppressed: false });
      expect(middle.continuation30).toMatchObject({ numerator: 0, denominator: 1 });

      // The second piece, without hours: the piece's length counts.
      const again = await post(`/matches/${second.id}/outcome`, { attended: true, expectedVersion: second.version }, coordinator);
      expect(again.body.outcome).toMatchObject({ attended: true, minutes: 180, rating: null });
      const after = await kpis();
      expect(after.continuation30).toMatchObject({ numerator: 1, denominator: 1, rate: 1 });

      // Correcting to "did not attend" takes it out of the counts again (same row, updated).
      const corrected = await post(`/matches/${first.id}/outcome`, { attended: false, expectedVersion: first.version + 1 }, coordinator);
      expect(corrected.status).toBe(200);
      expect(corrected.body.outcome).toMatchObject({ attended: false, minutes: 0 });
      expect((await kpis()).participants).toEqual({ value: 0, suppressed: false });
      expect(await prisma.participation.count({ where: { residentId: resident.id } })).toBe(2);
    });

    it("a stale version is a conflict and writes nothing", async () => {
      const past = await freshCard("CONFIRMED", new Date(Date.now() - 3 * HOUR));
      const stale = await post(`/matches/${past.match.id}/outcome`, { attended: true, expectedVersion: past.match.version + 3 }, coordinator);
      expect(stale.status).toBe(409);
      expect(await server.services.prisma.participation.count({ where: { shiftId: past.shift.id } })).toBe(0);
    });
  });
});
