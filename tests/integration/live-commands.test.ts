import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientAcks, DomainEvent } from "../../app/lib/realtime/events.ts";
import { getJson, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { EMAILS, joinedSocket, nextEvent, percentile, sleep, type LiveTestSocket } from "./live-support.ts";

/** Commands over Socket.IO go through the same domain service as REST and answer typed acks. */
describe("live commands: match:move", () => {
  let server: TestServer;
  let a: Awaited<ReturnType<typeof joinedSocket>>;
  let b: Awaited<ReturnType<typeof joinedSocket>>;
  const sockets: LiveTestSocket[] = [];
  let match: { id: string; stage: string; version: number; residentId?: string };

  beforeAll(async () => {
    server = await startTestServer();
    a = await joinedSocket(server.url, EMAILS.coordinator);
    b = await joinedSocket(server.url, EMAILS.coordinator);
    sockets.push(a.socket, b.socket);
    const list = await getJson(server.url, `/api/v1/workspaces/${a.workspaceId}/matches?stage=SUGGESTED&limit=5`, a.cookie);
    match = list.body.items[0];
    expect(match).toBeTruthy();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await server?.stop();
  });

  it("moves a card: the sender gets the entity, the room gets match:changed with the next version", async () => {
    const received = nextEvent(b.socket, "match:changed", (e) => e.entityId === match.id);
    const ack = await a.socket.emitWithAck("match:move", { matchId: match.id, stage: "CONTACTING", expectedVersion: match.version });
    expect(ack).toMatchObject({ ok: true, entity: { id: match.id, stage: "CONTACTING", version: match.version + 1 } });
    const event: DomainEvent = await received;
    expect(event).toMatchObject({
      workspaceId: a.workspaceId,
      entity: "match",
      verb: "updated",
      data: { matchId: match.id, stage: "CONTACTING", version: match.version + 1 },
    });
    expect(event.version).toBeGreaterThan(b.version);
    // The same state over REST: one write path.
    const rest = await getJson(server.url, `/api/v1/matches/${match.id}`, a.cookie);
    expect(rest.body).toMatchObject({ stage: "CONTACTING", version: match.version + 1 });
  });

  it("broadcasts carry no resident personal data", async () => {
    const resident = await server.services.prisma.match.findUniqueOrThrow({
      where: { id: match.id },
      select: { resident: { select: { displayName: true, email: true, phone: true, address: true, nameKana: true } } },
    });
    const received = nextEvent(b.socket, "match:changed", (e) => e.entityId === match.id);
    const ack = await a.socket.emitWithAck("match:move", { matchId: match.id, stage: "ARRANGING", expectedVersion: match.version + 1 });
    expect(ack.ok).toBe(true);
    const event = await received;
    expect(Object.keys(event.data).sort()).toEqual(["matchId", "shiftId", "stage", "version"]);
    const text = JSON.stringify(event);
    for (const value of Object.values(resident.resident)) if (value) expect(text).not.toContain(value);
  });

  it("a stale expectedVersion answers conflict with the current card and who moved it", async () => {
    const ack = (await b.socket.emitWithAck("match:move", {
      matchId: match.id,
      stage: "DECLINED",
      expectedVersion: match.version,
    })) as ClientAcks["match:move"];
    expect(ack.ok).toBe(false);
    if (ack.ok || ack.code !== "conflict") throw new Error(`expected a conflict, got ${JSON.stringify(ack)}`);
    expect(ack.current).toMatchObject({ id: match.id, stage: "ARRANGING", version: match.version + 2 });
    expect(ack.changedBy).toBe("中村 由美");
    expect(typeof ack.changedAt).toBe("string");
    // Nothing changed.
    expect((await getJson(server.url, `/api/v1/matches/${match.id}`, a.cookie)).body.stage).toBe("ARRANGING");
  });

  it("maps refusals of the domain: forbidden for VIEWER and MEMBER, not_found for unknown cards", async () => {
    const viewer = await joinedSocket(server.url, EMAILS.viewer);
    const member = await joinedSocket(server.url, EMAILS.member);
    sockets.push(viewer.socket, member.socket);
    const move = { matchId: match.id, stage: "CONFIRMED" as const, expectedVersion: match.version + 2 };
    expect(await viewer.socket.emitWithAck("match:move", move)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await member.socket.emitWithAck("match:move", move)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await a.socket.emitWithAck("match:move", { ...move, matchId: "no-such-match" })).toMatchObject({
      ok: false,
      code: "not_found",
    });
  });

  it("answers invalid for malformed payloads and names the fields", async () => {
    const bad: unknown[] = [
      { matchId: match.id, stage: "FLYING", expectedVersion: 1 },
      { matchId: match.id, stage: "CONFIRMED", expectedVersion: "1" },
      { matchId: match.id, stage: "CONFIRMED", expectedVersion: 1, extra: true },
      { stage: "CONFIRMED", expectedVersion: 1 },
      null,
      "match",
      [match.id],
    ];
    for (const payload of bad) {
      const ack = await a.socket.emitWithAck("match:move", payload as never);
      expect(ack, JSON.stringify(payload)).toMatchObject({ ok: false, code: "invalid" });
    }
    const ack = await a.socket.emitWithAck("match:move", { matchId: match.id, stage: "FLYING", expectedVersion: 1 } as never);
    expect(!ack.ok && ack.issues?.map((i) => i.path)).toEqual(["stage"]);
    expect(a.socket.connected).toBe(true);
  });

  it("REST moves reach socket clients the same way", async () => {
    const received = nextEvent(a.socket, "match:changed", (e) => e.entityId === match.id);
    const moved = await sendJson(
      server.url,
      "POST",
      `/api/v1/matches/${match.id}/stage`,
      { stage: "CONFIRMED", expectedVersion: match.version + 2 },
      b.cookie,
    );
    expect(moved.status).toBe(200);
    expect((await received).data).toMatchObject({ stage: "CONFIRMED", version: match.version + 3 });
  });

  it("rate-limits a flooding socket with rate_limited acks, keeps it connected, and lets it go on later", async () => {
    const flood = await joinedSocket(server.url, EMAILS.npo);
    sockets.push(flood.socket);
    const acks = await Promise.all(
      Array.from({ length: 120 }, () => flood.socket.emitWithAck("presence:leave", { workspaceId: flood.workspaceId })),
    );
    const limited = acks.filter((x) => !x.ok && x.code === "rate_limited").length;
    expect(limited).toBeGreaterThan(50);
    // The burst (40, one of which went to workspace:join) plus a little refill passes.
    const passed = acks.filter((x) => x.ok).length;
    expect(passed).toBeGreaterThanOrEqual(35);
    expect(passed).toBeLessThanOrEqual(55);
    expect(flood.socket.connected).toBe(true);
    await sleep(300);
    expect(await flood.socket.emitWithAck("presence:leave", { workspaceId: flood.workspaceId })).toEqual({ ok: true });
    // Another user's socket was never limited.
    expect(await a.socket.emitWithAck("presence:leave", { workspaceId: a.workspaceId })).toEqual({ ok: true });
  });

  it("fans an event out to 50 connected clients (latency measured)", async () => {
    // Another user than the flood test's, whose rate-limit bucket that test emptied.
    const watchers = await Promise.all(Array.from({ length: 50 }, () => joinedSocket(server.url, "city@tsunagu.example")));
    sockets.push(...watchers.map((w) => w.socket));
    const other = (await getJson(server.url, `/api/v1/workspaces/${a.workspaceId}/matches?stage=SUGGESTED&limit=5`, a.cookie)).body
      .items[1];
    const started = performance.now();
    const arrivals = watchers.map((w) =>
      nextEvent(w.socket, "match:changed", (e) => e.entityId === other.id).then(() => performance.now() - started),
    );
    const ackAt = a.socket
      .emitWithAck("match:move", { matchId: other.id, stage: "CONTACTING", expectedVersion: other.version })
      .then((ack) => {
        expect(ack.ok).toBe(true);
        return performance.now() - started;
      });
    const latencies = await Promise.all(arrivals);
    const ackMs = await ackAt;
    const figures = {
      clients: latencies.length,
      ackMs: Math.round(ackMs),
      p50: Math.round(percentile(latencies, 50)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(Math.max(...latencies)),
    };
    console.info(`[live] match:move → match:changed fan-out (command to every client, incl. the DB write): ${JSON.stringify(figures)}`);
    expect(latencies).toHaveLength(50);
    expect(figures.max).toBeLessThan(1_000);
  });
});
