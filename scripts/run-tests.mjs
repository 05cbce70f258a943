#!/usr/bin/env node
// Test runner behind `npm test` / `npm run test:e2e`.
//
//   node scripts/run-tests.mjs <unit|integration|e2e>... [-- <vitest args, e.g. a file filter>]
//
// 1. Database: with DATABASE_URL set, a fresh database `tsunagu_test_<utc timestamp>_<rand>` is
//    created on that server and dropped at the end; otherwise an ephemeral embedded PostgreSQL
//    (server/db/embedded.ts) is started and stopped at the end.
// 2. The Prisma client is generated and the web app built when their sources changed
//    (scripts/prepare.mjs); migrations are applied (server/db/migrate.ts) and the demo platform is
//    seeded once (prisma/seed/demo.ts). Integration tests copy this database per file
//    (tests/setup/database.ts, docs/decisions/007-test-databases.md).
// 3. Vitest runs the given projects in a child process with DATABASE_URL (the test database) and
//    TEST_DATABASE_ADMIN_URL (the `postgres` database of the same server, to create more).
// 4. The last line is `N passed, N failed` (`, N skipped` when any), counting test cases; a file
//    that fails outside a test (import error, failing hook) counts as one failure, and so does a
//    run that errors without a report. Exit code 1 when anything failed or no test ran.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";

const PROJECTS = ["unit", "integration", "e2e"];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

const log = (message) => console.error(`[run-tests] ${message}`);

const argv = process.argv.slice(2);
const separator = argv.indexOf("--");
const projects = separator === -1 ? argv : argv.slice(0, separator);
const vitestArgs = separator === -1 ? [] : argv.slice(separator + 1);
if (projects.length === 0 || projects.some((p) => !PROJECTS.includes(p))) {
  console.error(`usage: node scripts/run-tests.mjs <${PROJECTS.join("|")}>... [-- <vitest args>]`);
  process.exit(2);
}

/** @type {Array<() => Promise<void>>} run in reverse order at the end */
const cleanups = [];
let vitestChild = null;
let interrupted = false;

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the run`);
    vitestChild?.kill(signal);
    // With no child running, the main flow notices `interrupted` at its next step.
  });
}

async function tsImport(file) {
  const { tsImport: load } = await import("tsx/esm/api");
  return load(pathToFileURL(path.join(root, file)).href, import.meta.url);
}

function utcStamp(date = new Date()) {
  return date.toISOString().replace(/\D/g, "").slice(0, 14); // YYYYMMDDHHMMSS
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Fresh database on the server of DATABASE_URL; dropped by the returned cleanup. */
async function createTestDatabase(serverUrl) {
  const name = `tsunagu_test_${utcStamp()}_${randomBytes(3).toString("hex")}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await dropAbandonedTestDatabases(client);
    // template0: nobody is ever connected to it, so concurrent CREATE DATABASEs cannot fail with
    // "source database is being accessed by other users", and it carries no local additions.
    await client.query(`create database ${client.escapeIdentifier(name)} template template0 encoding 'UTF8'`);
  } finally {
    await client.end();
  }
  log(`created database ${name}`);
  cleanups.push(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${admin.escapeIdentifier(name)} with (force)`);
      log(`dropped database ${name}`);
    } finally {
      await admin.end();
    }
  });
  return {
    url: withDatabase(serverUrl, name),
    adminUrl: withDatabase(serverUrl, "postgres"),
  };
}

/** Databases of runs that crashed more than a day ago (the name carries the creation time). */
async function dropAbandonedTestDatabases(client) {
  const cutoff = utcStamp(new Date(Date.now() - 24 * 3600 * 1000));
  const { rows } = await client.query(
    String.raw`select datname from pg_database where datname ~ '^tsunagu_test_\d{14}_[0-9a-f]+$'`,
  );
  for (const { datname } of rows) {
    if (datname.split("_")[2] >= cutoff) continue;
    try {
      await client.query(`drop database if exists ${client.escapeIdentifier(datname)} with (force)`);
      log(`dropped abandoned test database ${datname}`);
    } catch (error) {
      log(`could not drop abandoned test database ${datname}: ${error.message}`);
    }
  }
}

async function startEmbedded() {
  const { startEmbeddedPostgres } = await tsImport("server/db/embedded.ts");
  const db = await startEmbeddedPostgres({
    ephemeral: true,
    database: "tsunagu_test",
    logger: { info: log, warn: log },
  });
  cleanups.push(() => db.stop());
  return { url: db.connectionString, adminUrl: db.adminConnectionString };
}

async function migrate(connectionString) {
  const migrationsDir = path.join(root, "prisma", "migrations");
  if (!existsSync(migrationsDir)) {
    log("no prisma/migrations yet: skipping migrations");
    return;
  }
  const { applyMigrations } = await tsImport("server/db/migrate.ts");
  const t0 = performance.now();
  await applyMigrations({ connectionString, migrationsDir, schemaPath: path.join(root, "prisma", "schema.prisma") });
  log(`migrations applied (${Math.round(performance.now() - t0)} ms)`);
}

async function seed(connectionString) {
  const { seedDemo } = await tsImport("prisma/seed/demo.ts");
  const { createPrisma } = await tsImport("server/db/client.ts");
  const prisma = createPrisma(connectionString, { max: 4 });
  const t0 = performance.now();
  try {
    await seedDemo(prisma);
  } finally {
    await prisma.$disconnect();
  }
  log(`demo platform seeded (${Math.round(performance.now() - t0)} ms)`);
}

function prepare() {
  const result = spawnSync(process.execPath, [path.join(root, "scripts", "prepare.mjs")], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("scripts/prepare.mjs failed (Prisma generate or web build)");
}

/** Run vitest in a child process; returns its exit code and the JSON report (or null). */
async function runVitest(env) {
  const reportDir = await fs.mkdtemp(path.join(os.tmpdir(), "tsunagu-vitest-"));
  const reportFile = path.join(reportDir, "report.json");
  const vitestBin = path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs");
  const args = [
    vitestBin,
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
    ...vitestArgs,
  ];
  try {
    const code = await new Promise((resolve) => {
      vitestChild = spawn(process.execPath, args, { cwd: root, env, stdio: "inherit" });
      vitestChild.on("error", (error) => {
        log(`could not start vitest: ${error.message}`);
        resolve(-1);
      });
      vitestChild.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : -1)));
    });
    vitestChild = null;
    const report = await fs
      .readFile(reportFile, "utf8")
      .then(JSON.parse)
      .catch(() => null);
    return { code, report };
  } finally {
    await fs.rm(reportDir, { recursive: true, force: true });
  }
}

function count(code, report) {
  const result = { passed: 0, failed: 0, skipped: 0 };
  if (report) {
    result.passed = report.numPassedTests;
    result.failed = report.numFailedTests;
    result.skipped = report.numPendingTests + report.numTodoTests;
    for (const file of report.testResults) {
      const testFailed = file.assertionResults.some((t) => t.status === "failed");
      if (file.status === "failed" && !testFailed) {
        result.failed += 1; // import error, failing beforeAll/afterAll, ...
        log(`file failed outside its tests: ${path.relative(root, file.name)}: ${file.message || "a suite or hook failed (see the output above)"}`);
      }
    }
  }
  if (code !== 0 && result.failed === 0 && (result.passed > 0 || !report)) {
    // Vitest failed without a failing test to show for it: unhandled error, crash, no report.
    // (No test files at all is reported by the "no test ran" rule instead.)
    result.failed += 1;
    log(`vitest exited with code ${code} without a failing test: counted as one failure`);
  }
  return result;
}

let outcome = { passed: 0, failed: 0, skipped: 0 };
try {
  prepare();
  const t0 = performance.now();
  const db = process.env.DATABASE_URL
    ? await createTestDatabase(process.env.DATABASE_URL)
    : await startEmbedded();
  log(`database ready (${Math.round(performance.now() - t0)} ms)`);
  if (!interrupted) await migrate(db.url);
  if (!interrupted) await seed(db.url);
  if (!interrupted) {
    const { code, report } = await runVitest({
      ...process.env,
      DATABASE_URL: db.url,
      TEST_DATABASE_ADMIN_URL: db.adminUrl,
    });
    outcome = count(code, report);
  }
  if (interrupted) outcome.failed = Math.max(outcome.failed, 1);
} catch (error) {
  log(`run failed: ${error?.stack ?? error}`);
  outcome.failed += 1;
} finally {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log(`cleanup failed: ${error?.message ?? error}`);
    }
  }
}

const { passed, failed, skipped } = outcome;
if (passed + failed === 0) log("no test ran");
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed + failed === 0 ? 1 : 0);
