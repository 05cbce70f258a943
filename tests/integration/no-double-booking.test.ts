import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

/**
 * No double booking (issue 4, section 3; docs/decisions/017): the database refuses a piece with
 * more bookings than its headcount and a resident booked on two overlapping pieces, also when two
 * writers race outside the application, and the API answers such a refusal with a 409.
 */
describe("no double booking", () => {
  let server: TestServer;
  let cookie: string;
  let workspaceId: string;
  let db: pg.Client;
  let seq = 0;

  /** A fresh OPEN task of the coordinator's organization with pieces at the given hour offsets. */
  async function makePieces(pieces: Array<{ fromHour: number; toHour: number; headcount: number }>): Promise<string[]> {
    const base = Date.UTC(2027, 5, 1, 0, 0, 0) + seq++ * 7 * 86_400_000;
    const task = await db.query(
      `INSERT INTO "Task" (id, "workspaceId", "ownerOrgId", title, description, category, status, visibility, "updatedAt")
       VALUES ($1, $2, 'seed-org-shakyo', 'double booking test', '', 'other', 'OPEN', 'PLATFORM', now()) RETURNING id`,
      [`dbk-task-${seq}`, workspaceId],
    );
    const ids: string[] = [];
    for (const [i, p] of pieces.entries()) {
      const shiftId = `dbk-shift-${seq}-${i}`;
      await db.query(
        `INSERT INTO "Shift" (id, "taskId", role, "startsAt", "endsAt", headcount, "updatedAt") VALUES ($1, $2, 'test', $3, $4, $5, now())`,
        [shiftId, task.rows[0].id, new Date(base + p.fromHour * 3_600_000), new Date(base + p.toHour * 3_600_000), p.headcount],
      );
      ids.push(shiftId);
    }
    return ids;
  }

  async function residents(n: number): Promise<string[]> {
    const { rows } = await db.query(
      `SELECT id FROM "Resident" WHERE "workspaceId" = $1 AND "registeredByOrgId" = 'seed-org-shakyo' AND status = 'ACTIVE' ORDER BY id OFFSET $2 LIMIT $3`,
      [workspaceId, 40 + seq * 3, n],
    );
    expect(rows.length).toBe(n);
    return rows.map((r) => r.id);
  }

  async function suggest(shiftId: string, residentId: string): Promise<string> {
    const { rows } = await db.query(
      `INSERT INTO "Match" (id, "workspaceId", "shiftId", "residentId", stage, source, "updatedAt")
       VALUES ($1, $2, $3, $4, 'SUGGESTED', 'COORDINATOR', now()) RETURNING id`,
      [`dbk-match-${shiftId}-${residentId}`, workspaceId, shiftId, residentId],
    );
    return rows[0].id;
  }

  /**
   * Two connections each open a transaction and book one match; the first holds its transaction
   * open while the second tries, so the second must wait for the first and then see its booking.
   */
  async function race(firstMatch: string, secondMatch: string): Promise<Array<"committed" | string>> {
    const a = new pg.Client({ connectionString: server.database.url });
    const b = new pg.Client({ connectionString: server.database.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query("BEGIN");
      await b.query("BEGIN");
      await a.query(`UPDATE "Match" SET stage = 'CONFIRMED' WHERE id = $1`, [firstMatch]);
      const second = b
        .query(`UPDATE "Match" SET stage = 'CONFIRMED' WHERE id = $1`, [secondMatch])
        .then(() => b.query("COMMIT").then(() => "committed"))
        .catch(async (error: Error) => {
          await b.query("ROLLBACK");
          return error.message;
        });
      // Give the second writer time to reach the lock before the first commits.
      await new Promise((r) => setTimeout(r, 150));
      await a.query("COMMIT");
      return ["committed", await second];
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: "error" } });
    cookie = await login(server.url);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
    db = new pg.Client({ connectionString: server.database.url });
    await db.connect();
  }, 20_000);

  afterAll(async () => {
    await db?.end();
    await server?.stop();
  });

  it("lets only one of two concurrent writers book a resident on overlapping pieces", async () => {
    const [morning, overlapping] = await makePieces([
      { fromHour: 1, toHour: 3, headcount: 2 },
      { fromHour: 2, toHour: 4, headcount: 2 },
    ]);
    const [resident] = await residents(1);
    const m1 = await suggest(morning, resident);
    const m2 = await suggest(overlapping, resident);
    const [first, second] = await race(m1, m2);
    expect(first).toBe("committed");
    expect(second).toContain("Match_resident_no_overlap");
    const { rows } = await db.query(`SELECT id, stage FROM "Match" WHERE id IN ($1, $2) ORDER BY id`, [m1, m2]);
    expect(rows.filter((r) => r.stage === "CONFIRMED").map((r) => r.id)).toEqual([m1]);
  });

  it("lets only one of two concurrent writers take the last seat of a piece", async () => {
    const [piece] = await makePieces([{ fromHour: 1, toHour: 2, headcount: 1 }]);
    const [r1, r2] = await residents(2);
    const m1 = await suggest(piece, r1);
    const m2 = await suggest(piece, r2);
    const [, second] = await race(m1, m2);
    expect(second).toContain("Match_piece_headcount");
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "Match" WHERE "shiftId" = $1 AND stage = 'CONFIRMED'`, [piece]);
    expect(rows[0].n).toBe(1);
  });

  it("books back-to-back pieces and both seats of a two-person piece", async () => {
    const [first, next, pair] = await makePieces([
      { fromHour: 1, toHour: 2, headcount: 1 },
      { fromHour: 2, toHour: 3, headcount: 1 },
      { fromHour: 5, toHour: 6, headcount: 2 },
    ]);
    const [r1, r2] = await residents(2);
    for (const m of [await suggest(first, r1), await suggest(next, r1), await suggest(pair, r1), await suggest(pair, r2)]) {
      await db.query(`UPDATE "Match" SET stage = 'CONFIRMED' WHERE id = $1`, [m]);
    }
    // Moving on within the booking stages is not a second booking.
    await db.query(`UPDATE "Match" SET stage = 'ACTIVE' WHERE "shiftId" = $1`, [pair]);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "Match" WHERE "shiftId" = ANY($1) AND stage IN ('CONFIRMED', 'ACTIVE')`, [[first, next, pair]]);
    expect(rows[0].n).toBe(4);
  });

  it("answers a booking over the headcount through the API with 409 and the reason", async () => {
    const [piece] = await makePieces([{ fromHour: 1, toHour: 2, headcount: 1 }]);
    const [r1, r2] = await residents(2);
    const booked = await suggest(piece, r1);
    await db.query(`UPDATE "Match" SET stage = 'CONFIRMED' WHERE id = $1`, [booked]);
    const waiting = await suggest(piece, r2);
    const move = await sendJson(server.url, "POST", `/api/v1/matches/${waiting}/stage`, { stage: "CONFIRMED", expectedVersion: 1 }, cookie);
    expect(move.status).toBe(409);
    expect(move.body.error.details.reason).toBe("piece_full");
    expect(move.body.error.message).toContain("定員");
    // Nothing half-saved: the card is where it was and no history row was written.
    const card = await getJson(server.url, `/api/v1/matches/${waiting}`, cookie);
    expect(card.body.stage).toBe("SUGGESTED");
    expect(card.body.version).toBe(1);
    const events = await db.query(`SELECT count(*)::int AS n FROM "MatchEvent" WHERE "matchId" = $1`, [waiting]);
    expect(events.rows[0].n).toBe(0);
  });

  it("refuses to shrink a piece below its bookings or move it onto a resident's other booking", async () => {
    const [a, b] = await makePieces([
      { fromHour: 1, toHour: 2, headcount: 2 },
      { fromHour: 3, toHour: 4, headcount: 1 },
    ]);
    const [r1, r2] = await residents(2);
    for (const m of [await suggest(a, r1), await suggest(a, r2), await suggest(b, r1)]) {
      await db.query(`UPDATE "Match" SET stage = 'CONFIRMED' WHERE id = $1`, [m]);
    }
    await expect(db.query(`UPDATE "Shift" SET headcount = 1 WHERE id = $1`, [a])).rejects.toThrow(/Match_piece_headcount/);
    await expect(db.query(`UPDATE "Shift" SET "startsAt" = "startsAt" + interval '2 hours', "endsAt" = "endsAt" + interval '2 hours' WHERE id = $1`, [a])).rejects.toThrow(
      /Match_resident_no_overlap/,
    );
    // A change that keeps the rules holds.
    await db.query(`UPDATE "Shift" SET headcount = 3 WHERE id = $1`, [a]);
  });
});

describe("a coordinator's hand on the pipeline", () => {
  let server: TestServer;
  let cookie: string;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestServer({ matching: { debounceMs: 30, maxWaitMs: 200 }, env: { LOG_LEVEL: "error" } });
    await server.matching!.idle();
    cookie = await login(server.url);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
  }, 20_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("pins a proposal so that a rerun keeps it, and refuses a stale pin", async () => {
    const proposal = await server.services.prisma.match.findFirstOrThrow({
      where: { workspaceId, stage: "SUGGESTED", source: "MATCHER", pinned: false, resident: { registeredByOrgId: "seed-org-shakyo" } },
      select: { id: true, residentId: true, version: true },
    });
    const pin = await sendJson(server.url, "POST", `/api/v1/matches/${proposal.id}/pin`, { pinned: true, expectedVersion: proposal.version }, cookie);
    expect(pin.status).toBe(200);
    expect(pin.body.pinned).toBe(true);
    const stale = await sendJson(server.url, "POST", `/api/v1/matches/${proposal.id}/pin`, { pinned: false, expectedVersion: proposal.version }, cookie);
    expect(stale.status).toBe(409);

    // The resident loses all free time: an engine proposal would be removed, a pinned one stays.
    const availability = await getJson(server.url, `/api/v1/residents/${proposal.residentId}/availability`, cookie);
    const put = await sendJson(
      server.url,
      "PUT",
      `/api/v1/residents/${proposal.residentId}/availability`,
      { expectedVersion: availability.body.version, windows: [], exceptions: [] },
      cookie,
    );
    expect(put.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    await server.matching!.idle();
    const after = await server.services.prisma.match.findUnique({ where: { id: proposal.id } });
    expect(after).toMatchObject({ pinned: true, stage: "SUGGESTED" });
    const events = await server.services.prisma.matchEvent.findMany({ where: { matchId: proposal.id, kind: "pinned" } });
    expect(events).toHaveLength(1);
  });

  it("adds a match by hand, keeps it through reruns, and refuses a duplicate", async () => {
    const shift = await server.services.prisma.shift.findFirstOrThrow({
      where: { startsAt: { gt: new Date() }, task: { workspaceId, ownerOrgId: "seed-org-shakyo", status: "OPEN" } },
      select: { id: true },
    });
    const resident = await server.services.prisma.resident.findFirstOrThrow({
      where: { workspaceId, registeredByOrgId: "seed-org-shakyo", status: "ACTIVE", matches: { none: { shiftId: shift.id } } },
      select: { id: true },
    });
    const add = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/matches`, { shiftId: shift.id, residentId: resident.id }, cookie);
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ source: "COORDINATOR", stage: "SUGGESTED" });
    await new Promise((r) => setTimeout(r, 100));
    await server.matching!.idle();
    expect(await server.services.prisma.match.findUnique({ where: { id: add.body.id } })).toMatchObject({ source: "COORDINATOR" });

    const again = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/matches`, { shiftId: shift.id, residentId: resident.id }, cookie);
    expect(again.status).toBe(409);
    const bad = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/matches`, { shiftId: shift.id }, cookie);
    expect(bad.status).toBe(400);
  });

  it("refuses to add another organization's resident without consent", async () => {
    const shift = await server.services.prisma.shift.findFirstOrThrow({
      where: { startsAt: { gt: new Date() }, task: { workspaceId, ownerOrgId: "seed-org-shakyo", status: "OPEN" } },
      select: { id: true },
    });
    const stranger = await server.services.prisma.resident.findFirstOrThrow({
      where: {
        workspaceId,
        status: "ACTIVE",
        registeredByOrgId: { not: "seed-org-shakyo" },
        consents: { none: { organizationId: "seed-org-shakyo" } },
      },
      select: { id: true },
    });
    const add = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/matches`, { shiftId: shift.id, residentId: stranger.id }, cookie);
    expect(add.status).toBe(403);
    expect(await server.services.prisma.match.count({ where: { shiftId: shift.id, residentId: stranger.id } })).toBe(0);
  });
});
