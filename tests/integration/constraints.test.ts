import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";

/**
 * The database itself refuses impossible data, whatever code path writes it
 * (docs/decisions/004-database-constraints.md). Each case violates one rule inside a
 * transaction that is rolled back.
 */
describe("database constraints", () => {
  let database: TestDatabase;
  let client: pg.Client;
  let ids: { shift: string; resident: string; participation: string | null };

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const shift = await client.query(`SELECT id FROM "Shift" LIMIT 1`);
    const resident = await client.query(`SELECT id FROM "Resident" LIMIT 1`);
    const participation = await client.query(`SELECT id FROM "Participation" LIMIT 1`);
    ids = { shift: shift.rows[0].id, resident: resident.rows[0].id, participation: participation.rows[0]?.id ?? null };
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  async function violates(sql: string, params: unknown[]): Promise<string> {
    await client.query("BEGIN");
    try {
      await client.query(sql, params);
      return "accepted";
    } catch (error) {
      return (error as { code?: string }).code ?? "error";
    } finally {
      await client.query("ROLLBACK");
    }
  }

  const CHECK_VIOLATION = "23514";
  const UNIQUE_VIOLATION = "23505";

  it("refuses a piece whose end is not after its start", async () => {
    expect(await violates(`UPDATE "Shift" SET "endsAt" = "startsAt" WHERE id = $1`, [ids.shift])).toBe(CHECK_VIOLATION);
  });

  it("refuses a headcount below one", async () => {
    expect(await violates(`UPDATE "Shift" SET headcount = 0 WHERE id = $1`, [ids.shift])).toBe(CHECK_VIOLATION);
  });

  it("refuses availability windows outside a day or a week", async () => {
    const insert = `INSERT INTO "AvailabilityWindow" (id, "residentId", weekday, "startMinute", "endMinute") VALUES ('x', $1, $2, $3, $4)`;
    expect(await violates(insert, [ids.resident, 7, 540, 600])).toBe(CHECK_VIOLATION);
    expect(await violates(insert, [ids.resident, 1, 600, 540])).toBe(CHECK_VIOLATION);
    expect(await violates(insert, [ids.resident, 1, 600, 1500])).toBe(CHECK_VIOLATION);
    expect(await violates(insert, [ids.resident, 1, 540, 600])).toBe("accepted");
  });

  it("refuses coordinates outside the globe and negative travel distances", async () => {
    expect(await violates(`UPDATE "Resident" SET "homeLat" = 91 WHERE id = $1`, [ids.resident])).toBe(CHECK_VIOLATION);
    expect(await violates(`UPDATE "Resident" SET "travelDistanceM" = -1 WHERE id = $1`, [ids.resident])).toBe(CHECK_VIOLATION);
  });

  it("refuses ratings outside 1–5", async () => {
    if (!ids.participation) throw new Error("the demo seed has no participation to test with");
    expect(await violates(`UPDATE "Participation" SET rating = 6 WHERE id = $1`, [ids.participation])).toBe(CHECK_VIOLATION);
  });

  it("refuses a second user with the same email", async () => {
    const email = (await client.query(`SELECT email FROM "User" LIMIT 1`)).rows[0].email;
    expect(
      await violates(`INSERT INTO "User" (id, email, "displayName", "passwordHash", "updatedAt") VALUES ('dup', $1, 'x', 'x', now())`, [email]),
    ).toBe(UNIQUE_VIOLATION);
  });

  it("refuses a lower-case-insensitive duplicate email only through normalisation, so stored emails are lower case", async () => {
    const upper = (await client.query(`SELECT count(*)::int AS n FROM "User" WHERE email <> lower(email)`)).rows[0].n;
    expect(upper).toBe(0);
    expect(
      await violates(`INSERT INTO "User" (id, email, "displayName", "passwordHash", "updatedAt") VALUES ('u', 'Upper@Example.jp', 'x', 'x', now())`, []),
    ).toBe(CHECK_VIOLATION);
  });
});
