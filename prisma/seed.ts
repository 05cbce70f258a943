/**
 * Seeds the demo platform into DATABASE_URL when that database is empty (no workspace, no user).
 *
 *   DATABASE_URL=postgresql://… npm run db:seed [-- --date=2026-04-01]
 *
 * `--date` (a JST calendar date) pins the seed day, so two runs on different days produce
 * identical rows; by default the seed day is today. The database must be migrated first
 * (`npm run db:migrate`). Prints the row counts, the elapsed time and the demo accounts.
 */
import { createPrisma } from "../server/db/client.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "./seed/demo.ts";

function fail(message: string): never {
  console.error(`db:seed: ${message}`);
  process.exit(1);
}

function parseDate(argv: string[]): Date | undefined {
  const arg = argv.find((a) => a.startsWith("--date="));
  if (!arg) return undefined;
  const value = arg.slice("--date=".length);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00+09:00`))) {
    fail(`--date must be a calendar date like 2026-04-01, got "${value}"`);
  }
  return new Date(`${value}T00:00:00+09:00`);
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    fail(
      "DATABASE_URL is not set. Point it at a migrated PostgreSQL database, e.g.\n" +
        "  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tsunagu npm run db:seed",
    );
  }
  if (!/^postgres(ql)?:\/\//.test(url)) fail("DATABASE_URL must start with postgres:// or postgresql://");
  const now = parseDate(process.argv.slice(2));

  const prisma = createPrisma(url, { max: 2 });
  try {
    console.log(`Seeding the demo platform into ${redact(url)} …`);
    const summary = await seedDemo(prisma, { now });
    if (summary.skipped) {
      console.log(`Nothing to do: ${summary.reason} (the demo seed only runs on an empty database).`);
      return;
    }
    console.log(`Seeded workspace "${summary.workspaceSlug}" (seed day ${summary.seedDay}) in ${summary.elapsedMs} ms:`);
    const width = Math.max(...Object.keys(summary.counts).map((k) => k.length));
    for (const [table, count] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(width)}  ${count}`);
    console.log(`\nDemo accounts (password for all: ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) {
      console.log(`  ${a.email.padEnd(30)} ${(a.role ?? "RESIDENT").padEnd(12)} ${a.organization ?? "—"}`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/relation .* does not exist|table .* does not exist/i.test(message)) {
      fail(`the database has no Tsunagu tables: run \`npm run db:migrate\` first.\n${message}`);
    }
    fail(message);
  } finally {
    await prisma.$disconnect();
  }
}

await main();
