/**
 * `prisma migrate` for this offline project, on Prisma's Wasm schema engine.
 *
 *   npm run db:migrate                     apply pending migrations to DATABASE_URL
 *   npm run db:migration -- <name>         write prisma/migrations/<timestamp>_<name>/ from the
 *                                          difference between the migrations and schema.prisma
 *   npx tsx prisma/cli/migrate.ts status   list applied and pending migrations
 *   npx tsx prisma/cli/migrate.ts resolve --rolled-back <name>   after a failed migration
 *
 * `create` replays the migrations into a temporary shadow database on DATABASE_URL's server; the
 * database itself is left alone. Exit code 1 on any failure.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import {
  applyMigrations,
  createMigration,
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  migrationStatus,
  MigrationSetupError,
  resolveMigration,
  type MigrateOptions,
} from "../../server/db/migrate.ts";
import { closeAllSchemaEngines, engineErrorSummary } from "../../server/db/schema-engine.ts";

const USAGE = `Usage: tsx prisma/cli/migrate.ts <command> [options]

Commands:
  apply            Apply pending migrations to DATABASE_URL
  create <name>    Write a new migration from the changes in the Prisma schema
  status           List applied and pending migrations
  resolve --rolled-back <name> | --applied <name>
                   Record a failed migration as rolled back (apply retries it) or as applied

Options:
  --schema <file>         Prisma schema (default: prisma/schema.prisma)
  --migrations <dir>      Migrations folder (default: prisma/migrations)
  -h, --help              Show this help

Environment:
  DATABASE_URL            PostgreSQL URL (required; create uses its server for a shadow database)
`;

interface Cli {
  command: string | undefined;
  rest: string[];
  resolve: { "rolled-back"?: string; applied?: string };
  options: Omit<MigrateOptions, "connectionString">;
  help: boolean;
}

function parseCli(argv: string[]): Cli {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      schema: { type: "string" },
      migrations: { type: "string" },
      help: { type: "boolean", short: "h" },
      "rolled-back": { type: "string" },
      applied: { type: "string" },
    },
  });
  const [command, ...rest] = positionals;
  return {
    command,
    rest,
    help: values.help ?? false,
    resolve: { "rolled-back": values["rolled-back"], applied: values.applied },
    options: {
      schemaPath: values.schema ? path.resolve(values.schema) : DEFAULT_SCHEMA_PATH,
      migrationsDir: values.migrations ? path.resolve(values.migrations) : DEFAULT_MIGRATIONS_DIR,
    },
  };
}

function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new MigrationSetupError(
      "DATABASE_URL is not set. Point it at a PostgreSQL database, for example:\n" +
        "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagu npm run db:migrate",
    );
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new MigrationSetupError("DATABASE_URL must start with postgres:// or postgresql://");
  }
  return url;
}

/** Progress lines for people; the engine's own log lines are dropped. */
const cliLogger = {
  info: (obj: object | string, msg?: string) => console.log(typeof obj === "string" ? obj : (msg ?? "")),
  error: (obj: object | string, msg?: string) => console.error(typeof obj === "string" ? obj : (msg ?? "")),
  warn: (obj: object | string, msg?: string) => console.warn(typeof obj === "string" ? obj : (msg ?? "")),
};

const relative = (file: string) => path.relative(process.cwd(), file) || ".";

async function runApply(cli: Cli): Promise<void> {
  const { applied } = await applyMigrations({ ...cli.options, connectionString: requireDatabaseUrl(), logger: cliLogger });
  for (const name of applied) console.log(`  applied ${name}`);
}

async function runCreate(cli: Cli): Promise<void> {
  const name = cli.rest.join(" ").trim();
  if (!name) throw new MigrationSetupError("Give the migration a name: create <name>, e.g. create add_task_tags");
  const created = await createMigration({
    ...cli.options,
    name,
    connectionString: requireDatabaseUrl(),
    logger: cliLogger,
  });
  if (!created) {
    console.log("No changes: nothing created");
    return;
  }
  console.log(`Created ${relative(created.file)}`);
  // The engine puts data-loss warnings in a leading /* Warnings: … */ comment; surface them.
  const warnings = /^\/\*\s*Warnings:([\s\S]*?)\*\//.exec(created.sql)?.[1]?.trim();
  if (warnings) console.warn(`\nReview before applying, the migration warns:\n${warnings}\n`);
}

async function runStatus(cli: Cli): Promise<void> {
  const status = await migrationStatus({ ...cli.options, connectionString: requireDatabaseUrl(), logger: cliLogger });
  const section = (title: string, names: string[]) => {
    if (names.length === 0) return;
    console.log(`${title} (${names.length}):`);
    for (const name of names) console.log(`  ${name}`);
  };
  section("Applied", status.applied);
  section("Pending", status.pending);
  section("Failed (resolve before applying)", status.failed);
  section("Edited after being applied", status.edited);
  section("In the database but not in the folder", status.missingFromFolder);
  if (status.pending.length === 0 && status.failed.length === 0) console.log("Database schema is up to date.");
}

async function runResolve(cli: Cli): Promise<void> {
  const { "rolled-back": rolledBack, applied } = cli.resolve;
  if (Boolean(rolledBack) === Boolean(applied)) {
    throw new MigrationSetupError("resolve needs exactly one of --rolled-back <name> or --applied <name>");
  }
  const name = (rolledBack ?? applied) as string;
  const as = rolledBack ? "rolled-back" : "applied";
  await resolveMigration({ ...cli.options, connectionString: requireDatabaseUrl(), logger: cliLogger, name, as });
  console.log(`Recorded ${name} as ${as}.`);
}

const COMMANDS: Record<string, (cli: Cli) => Promise<void>> = {
  apply: runApply,
  create: runCreate,
  status: runStatus,
  resolve: runResolve,
};

async function main(argv: string[]): Promise<number> {
  const cli = parseCli(argv);
  if (cli.help) {
    console.log(USAGE);
    return 0;
  }
  const run = cli.command ? COMMANDS[cli.command] : undefined;
  if (!run) {
    console.error(cli.command ? `Unknown command "${cli.command}".\n\n${USAGE}` : USAGE);
    return 1;
  }
  await run(cli);
  return 0;
}

// A signal skips `finally` blocks: drop shadow databases and close connections before leaving.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void closeAllSchemaEngines().finally(() => process.exit(130));
  });
}

/** pg's network and login errors name neither the variable nor what failed. */
function connectionHint(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const network = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET"];
  const login = ["28P01", "28000"]; // invalid password, invalid authorization
  if (typeof code === "string" && [...network, ...login].includes(code)) {
    return "Cannot connect to the PostgreSQL server in DATABASE_URL: ";
  }
  return "";
}

let exitCode = 1;
try {
  exitCode = await main(process.argv.slice(2));
} catch (error) {
  const known = error instanceof MigrationSetupError;
  console.error(`Error: ${connectionHint(error)}${known ? error.message : engineErrorSummary(error)}`);
  if (!known && process.env.DEBUG) console.error(error);
}
// Explicit exit: the engine leaves its 10 s advisory-lock timers pending after `apply`.
process.exit(exitCode);
