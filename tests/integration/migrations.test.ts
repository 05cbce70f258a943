import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  DEFAULT_SCHEMA_PATH,
  diffSchemaAgainstMigrations,
  readMigrationsList,
  DEFAULT_MIGRATIONS_DIR,
} from "../../server/db/migrate.ts";
import type { MigrationLogger } from "../../server/db/schema-engine.ts";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";

/** Keeps the engine's progress lines out of the test output; errors still show. */
const quietLogger: MigrationLogger = { info: () => {}, error: (obj, msg) => console.error(msg ?? obj) };

function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the tests with npm test (scripts/run-tests.mjs)");
  return url;
}

/** Table names the schema asks for: each model's name, or its @@map. */
async function tablesInSchema(): Promise<string[]> {
  const schema = await readFile(DEFAULT_SCHEMA_PATH, "utf8");
  return [...schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)].map(
    ([, model, body]) => /@@map\(\s*"([^"]+)"\s*\)/.exec(body)?.[1] ?? model,
  );
}

describe("schema and migrations", () => {
  it("the committed migrations produce exactly prisma/schema.prisma (no drift)", async () => {
    const drift = await diffSchemaAgainstMigrations({ connectionString: requireDatabaseUrl(), logger: quietLogger });
    // On failure the message is the SQL of the missing migration: `npm run db:migration -- <name>`.
    expect(drift, "schema.prisma changed without a migration").toBe("");
  });
});

describe("applying migrations to a fresh database", () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase({ template: "empty" });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it("applies every migration once, creates the schema's tables, then applies nothing", async () => {
    const folder = (await readMigrationsList(DEFAULT_MIGRATIONS_DIR)).migrationDirectories.map((dir) => dir.path);
    expect(folder.length).toBeGreaterThan(0);

    const first = await applyMigrations({ connectionString: database.url, logger: quietLogger });
    expect(first.applied).toEqual(folder);

    const { rows: tables } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    const present = tables.map((row) => row.tablename);
    expect(present).toEqual(expect.arrayContaining([...(await tablesInSchema()), "_prisma_migrations"]));

    const { rows: recorded } = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(folder);

    const second = await applyMigrations({ connectionString: database.url, logger: quietLogger });
    expect(second.applied).toEqual([]);
  });
});
