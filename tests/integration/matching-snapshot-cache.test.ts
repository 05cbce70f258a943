import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeInWorkspace } from "../../server/domain/write-path.ts";
import { SnapshotCache } from "../../server/matching/snapshot-cache.ts";
import { loadSnapshot } from "../../server/matching/snapshot-loader.ts";
import type { MatchingSnapshot } from "../../server/matching/types.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

/**
 * The scheduler's snapshot cache (docs/decisions/018): after any mix of changes through the real
 * write paths, the copy patched from the change feed equals a fresh read of the whole workspace.
 */
describe("matching snapshot cache", () => {
  let server: TestServer;
  let cookie: string;
  let workspaceId: string;
  let cache: SnapshotCache;

  const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  const byPair = <T extends { residentId: string; shiftId: string }>(list: readonly T[]) =>
    [...list].sort((a, b) => `${a.residentId}|${a.shiftId}`.localeCompare(`${b.residentId}|${b.shiftId}`));
  const normal = (s: MatchingSnapshot) => ({
    ...s,
    residents: byId(s.residents),
    shifts: byId(s.shifts),
    consents: byPair(s.consents.map((c) => ({ ...c, shiftId: c.organizationId }))),
    fixed: byPair(s.fixed),
    rejected: byPair(s.rejected),
    previous: byPair(s.previous),
    skills: byId(s.skills ?? []),
  });

  async function expectCacheEqualsDatabase(expectedKind: "full" | "patch") {
    const now = Date.now();
    const refreshed = await cache.refresh(workspaceId, now);
    expect(refreshed.kind).toBe(expectedKind);
    const fresh = await loadSnapshot(server.services.prisma, workspaceId, now);
    expect(refreshed.version).toBe(fresh.version);
    expect(normal(cache.snapshot(workspaceId)!)).toEqual(normal(fresh.snapshot));
    expect(byId(refreshed.proposals)).toEqual(byId(fresh.proposals));
    return refreshed;
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: "error" } });
    cookie = await login(server.url);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
    cache = new SnapshotCache(server.services.prisma);
  }, 20_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("reads everything first, then patches residents, pieces, tasks, matches and consents from the change feed", async () => {
    await expectCacheEqualsDatabase("full");
    const prisma = server.services.prisma;

    // Availability of a resident the coordinator's organization registered.
    const resident = await prisma.resident.findFirstOrThrow({ where: { workspaceId, registeredByOrgId: "seed-org-shakyo", status: "ACTIVE" } });
    const availability = await getJson(server.url, `/api/v1/residents/${resident.id}/availability`, cookie);
    const put = await sendJson(
      server.url,
      "PUT",
      `/api/v1/residents/${resident.id}/availability`,
      { expectedVersion: availability.body.version, windows: [{ weekday: 2, startMinute: 540, endMinute: 720 }], exceptions: [] },
      cookie,
    );
    expect(put.status).toBe(200);
    const afterAvailability = await expectCacheEqualsDatabase("patch");
    expect(afterAvailability.kind === "patch" && afterAvailability.patch.residents?.upsert.map((r) => r.id)).toEqual([resident.id]);

    // A piece moved by an hour, and a task's location changed (all its pieces move on the map).
    const shift = await prisma.shift.findFirstOrThrow({
      where: { startsAt: { gt: new Date(Date.now() + 86_400_000) }, task: { workspaceId, ownerOrgId: "seed-org-shakyo", status: "OPEN" } },
      include: { task: true },
    });
    const moved = await sendJson(
      server.url,
      "PATCH",
      `/api/v1/shifts/${shift.id}`,
      {
        expectedVersion: shift.version,
        startsAt: new Date(shift.startsAt.getTime() + 3_600_000).toISOString(),
        endsAt: new Date(shift.endsAt.getTime() + 3_600_000).toISOString(),
      },
      cookie,
    );
    expect(moved.status).toBe(200);
    const relocated = await sendJson(
      server.url,
      "PATCH",
      `/api/v1/tasks/${shift.taskId}`,
      { expectedVersion: shift.task.version, lat: 35.7, lng: 139.7, isRemote: false },
      cookie,
    );
    expect(relocated.status).toBe(200);
    await expectCacheEqualsDatabase("patch");

    // A card moved on the board (an engine proposal becomes fixed), and a task closed.
    const card = await prisma.match.findFirstOrThrow({ where: { workspaceId, stage: "SUGGESTED", shift: { task: { ownerOrgId: "seed-org-shakyo" } } } });
    const move = await sendJson(server.url, "POST", `/api/v1/matches/${card.id}/stage`, { stage: "CONTACTING", expectedVersion: card.version }, cookie);
    expect(move.status).toBe(200);
    // Any other open card of the organization: the seed places pieces relative to the JST day, so
    // how many proposals the engine keeps depends on when the test runs (just after midnight JST on
    // 2026-12-05 only one was left, and it is the card moved above).
    const declined = await prisma.match.findFirstOrThrow({
      where: { workspaceId, stage: { in: ["SUGGESTED", "CONTACTING", "ARRANGING"] }, id: { not: card.id }, shift: { task: { ownerOrgId: "seed-org-shakyo" } } },
    });
    expect((await sendJson(server.url, "POST", `/api/v1/matches/${declined.id}/stage`, { stage: "DECLINED", expectedVersion: declined.version }, cookie)).status).toBe(200);
    const task = await prisma.task.findFirstOrThrow({ where: { workspaceId, ownerOrgId: "seed-org-shakyo", status: "OPEN", id: { not: shift.taskId } } });
    expect((await sendJson(server.url, "PATCH", `/api/v1/tasks/${task.id}`, { expectedVersion: task.version, status: "CLOSED" }, cookie)).status).toBe(200);
    await expectCacheEqualsDatabase("patch");

    // A consent granted through the write path.
    const other = await prisma.resident.findFirstOrThrow({ where: { workspaceId, registeredByOrgId: { not: "seed-org-city" }, status: "ACTIVE" } });
    await writeInWorkspace(server.services, workspaceId, null, async (tx) => {
      const consent = await tx.consent.create({ data: { residentId: other.id, organizationId: "seed-org-city", fields: ["name"], purpose: "test" } });
      return { result: null, entity: "consent", entityId: consent.id, verb: "created", data: {} };
    });
    const afterConsent = await expectCacheEqualsDatabase("patch");
    expect(afterConsent.kind === "patch" && afterConsent.patch.consents?.residentIds).toEqual([other.id]);

    // Nothing changed: an empty patch.
    const idle = await expectCacheEqualsDatabase("patch");
    expect(idle.kind === "patch" && idle.changes).toBe(0);
  }, 30_000);

  it("reads everything again after a change it cannot scope, or too many changes", async () => {
    await writeInWorkspace(server.services, workspaceId, null, async () => ({
      result: null,
      entity: "match",
      entityId: workspaceId, // another instance's matching run
      verb: "updated",
      data: {},
    }));
    await expectCacheEqualsDatabase("full");

    const small = new SnapshotCache(server.services.prisma, { maxChanges: 1 });
    expect((await small.refresh(workspaceId, Date.now())).kind).toBe("full");
    for (let i = 0; i < 2; i++) {
      await writeInWorkspace(server.services, workspaceId, null, async () => ({ result: null, entity: "resource", entityId: "x", verb: "updated", data: {} }));
    }
    expect((await small.refresh(workspaceId, Date.now())).kind).toBe("full");
  }, 30_000);
});
