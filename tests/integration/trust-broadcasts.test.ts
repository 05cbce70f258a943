import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, type TestServer } from "../setup/test-server.ts";
import { connected, openSocket, sleep, type LiveTestSocket } from "./live-support.ts";
import { grant, ORG, PERSONAL_KEYS, revoke, startTrustServer, type Sessions } from "./trust-support.ts";

/** The key paths of a payload: `data.consentId`, `present[].userId` … */
function keyPaths(value: unknown, prefix = "", out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) keyPaths(v, `${prefix}[]`, out);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${k}` : k;
      out.add(path);
      keyPaths(v, path, out);
    }
  }
  return out;
}

/**
 * Every kind of workspace-room broadcast, produced by real writes, with the field names of its
 * payload pinned down: a new field in any broadcast fails this test until it is reviewed here.
 * No payload may carry a resident's personal field name or value.
 */
describe("workspace-room broadcasts carry no personal data", () => {
  let server: TestServer;
  let as: Sessions;
  let workspaceId: string;
  let observer: LiveTestSocket; // a company coordinator: another organization, in the room
  let actor: LiveTestSocket; // the 社協 coordinator: presence and locks
  const received: Array<{ event: string; payload: unknown }> = [];
  const personalValues: string[] = [];

  beforeAll(async () => {
    ({ server, as, workspaceId } = await startTrustServer());
    observer = openSocket(server.url, as.company);
    actor = openSocket(server.url, await login(server.url, "coordinator@tsunagu.example"));
    await Promise.all([connected(observer), connected(actor)]);
    expect((await observer.emitWithAck("workspace:join", { workspaceId })).ok).toBe(true);
    expect((await actor.emitWithAck("workspace:join", { workspaceId })).ok).toBe(true);
    observer.onAny((event, payload) => received.push({ event, payload }));
  });
  afterAll(async () => {
    observer?.close();
    actor?.close();
    await server?.stop();
  });

  it("produces every broadcast kind from real writes", async () => {
    const prisma = server.services.prisma;
    const url = server.url;
    // Residents touched below: remember their personal values to look for them afterwards.
    const touched = [
      await prisma.resident.findFirstOrThrow({
        where: { registeredByOrgId: ORG.shakyo, userId: null, matches: { some: { stage: "SUGGESTED" } } },
        orderBy: { id: "asc" },
      }),
      await prisma.resident.findFirstOrThrow({
        where: { registeredByOrgId: ORG.shakyo, userId: null, specialCare: { not: null } },
        orderBy: { id: "desc" },
      }),
    ];
    expect(touched[0].id).not.toBe(touched[1].id);
    for (const r of touched) {
      personalValues.push(
        ...[r.displayName, r.nameKana, r.email, r.phone, r.address, r.notes, r.specialCare].filter((v): v is string => !!v),
        ...[r.homeLat, r.homeLng].filter((v): v is number => v != null).map((v) => String(v)),
      );
    }
    const [subject, erased] = touched;

    const task = await sendJson(url, "POST", `/api/v1/workspaces/${workspaceId}/tasks`, { ownerOrgId: ORG.shakyo, title: "放送テスト", category: "watch" }, as.coordinator);
    expect(task.status).toBe(201);
    expect((await sendJson(url, "PATCH", `/api/v1/tasks/${task.body.id}`, { title: "放送テスト(更新)", expectedVersion: 1 }, as.coordinator)).status).toBe(200);
    const shift = await sendJson(url, "POST", `/api/v1/tasks/${task.body.id}/shifts`, { role: "受付", startsAt: "2027-01-05T01:00:00Z", endsAt: "2027-01-05T02:00:00Z" }, as.coordinator);
    expect(shift.status).toBe(201);
    const resource = await sendJson(url, "POST", `/api/v1/workspaces/${workspaceId}/resources`, { ownerOrgId: ORG.shakyo, kind: "PLACE", category: "hub", name: "放送テストの場", lat: 35.5, lng: 139.5 }, as.coordinator);
    expect(resource.status).toBe(201);
    const match = await prisma.match.findFirstOrThrow({ where: { residentId: subject.id, stage: "SUGGESTED" } });
    const moved = await actor.emitWithAck("match:move", { matchId: match.id, stage: "CONTACTING", expectedVersion: match.version });
    expect(moved.ok).toBe(true);
    const availability = await getJson(url, `/api/v1/residents/${subject.id}/availability`, as.coordinator);
    expect((await sendJson(url, "PUT", `/api/v1/residents/${subject.id}/availability`, { expectedVersion: availability.body.version, windows: [{ weekday: 2, startMinute: 600, endMinute: 720 }] }, as.coordinator)).status).toBe(200);
    const consent = await grant(url, as.coordinator, subject.id, { organizationId: ORG.company, fields: ["name", "contact", "specialCare"], includesSpecialCare: true });
    expect(consent.status).toBe(201);
    expect((await revoke(url, as.coordinator, consent.body.id)).status).toBe(200);
    expect(
      (await sendJson(url, "POST", `/api/v1/workspaces/${workspaceId}/joint-use-notices`, { managerOrgId: ORG.shakyo, organizationIds: [ORG.city], fields: ["name"], purpose: "放送テスト" }, as.coordinator)).status,
    ).toBe(201);
    expect((await sendJson(url, "DELETE", `/api/v1/residents/${erased.id}`, undefined, as.coordinator)).status).toBe(200);
    const member = await prisma.membership.findFirstOrThrow({ where: { userId: "seed-user-member" } });
    expect((await sendJson(url, "PATCH", `/api/v1/memberships/${member.id}`, { role: "VIEWER" }, as.admin)).status).toBe(200);
    expect((await actor.emitWithAck("presence:join", { workspaceId, board: "kanban" })).ok).toBe(true);
    expect((await actor.emitWithAck("lock:acquire", { workspaceId, target: `match:${match.id}`, kind: "dragging" })).ok).toBe(true);
    expect((await actor.emitWithAck("lock:release", { workspaceId, target: `match:${match.id}` })).ok).toBe(true);

    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline && !received.some((r) => r.event === "lock:changed" && (r.payload as { lock: unknown }).lock === null)) {
      await sleep(20);
    }
    await sleep(100);
  });

  it("pins the field names of every broadcast kind", () => {
    const shapes: Record<string, string[]> = {};
    for (const { event, payload } of received) {
      const name = event === "consent:changed" && (payload as { data: { kind?: string } }).data.kind ? "consent:changed (joint-use)" : event;
      shapes[name] = [...new Set([...(shapes[name] ?? []), ...keyPaths(payload)])].sort();
    }
    const domain = (data: string[]) => ["actorUserId", "data", ...data.map((d) => `data.${d}`), "entity", "entityId", "verb", "version", "workspaceId"].sort();
    expect(shapes).toEqual({
      "task:changed": domain(["taskId", "version"]),
      "shift:changed": domain(["shiftId", "taskId", "version"]),
      // A place's position is a public fact, not a person's.
      "resource:changed": domain(["kind", "lat", "lng", "resourceId", "version"]),
      "match:changed": domain(["matchId", "shiftId", "stage", "version"]),
      "availability:changed": domain(["residentId"]),
      "consent:changed": domain(["active", "consentId", "organizationId", "publicCode", "residentId", "supersededConsentIds"]),
      "consent:changed (joint-use)": domain(["kind", "managerOrgId", "noticeId"]),
      "resident:changed": domain(["publicCode", "residentId", "revokedConsentIds", "withdrawnMatchIds"]),
      "membership:changed": domain(["membershipId", "organizationId", "role", "userId"]),
      "presence:changed": ["present", "present[].board", "present[].colour", "present[].displayName", "present[].organizationName", "present[].userId", "workspaceId"],
      "lock:changed": [
        "lock",
        "lock.expiresAt",
        "lock.holder",
        "lock.holder.colour",
        "lock.holder.displayName",
        "lock.holder.organizationName",
        "lock.holder.userId",
        "lock.kind",
        "lock.target",
        "target",
        "workspaceId",
      ],
    });
  });

  it("carries no personal field name in any domain event, and staff names only in presence and locks", async () => {
    for (const { event, payload } of received) {
      const leaves = [...keyPaths(payload)].map((p) => p.split(".").at(-1)!.replace("[]", ""));
      const personal = leaves.filter((k) => (PERSONAL_KEYS as readonly string[]).includes(k));
      if (event === "presence:changed" || event === "lock:changed") expect(personal.every((k) => k === "displayName"), event).toBe(true);
      else expect(personal, event).toEqual([]);
    }
    const staffNames = new Set((await server.services.prisma.user.findMany({ where: { memberships: { some: {} } } })).map((u) => u.displayName));
    const shown = received.flatMap(({ payload }) => JSON.stringify(payload).match(/"displayName":"[^"]*"/g) ?? []);
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) expect(staffNames.has(JSON.parse(`{${s}}`).displayName), s).toBe(true);
  });

  it("carries no personal value of the residents that were written", () => {
    expect(personalValues.length).toBeGreaterThan(8);
    const all = JSON.stringify(received.map((r) => r.payload));
    for (const value of personalValues) expect(all, value).not.toContain(value);
  });
});
