/**
 * Prisma's schema engine (the thing behind `prisma migrate`) running in WebAssembly.
 *
 * The Prisma CLI downloads a native schema-engine binary on first use, which cannot happen on an
 * offline machine. `@prisma/schema-engine-wasm` is the same engine compiled to Wasm; it talks to
 * PostgreSQL through a driver adapter (`@prisma/adapter-pg`, pure JS). Migrations it writes and
 * applies use Prisma's standard layout and `_prisma_migrations` table, so `prisma migrate deploy`
 * keeps working on machines that can download the native engine.
 *
 * The adapter-pg 7.9.1 / engine 7.9.0 pair does not work for migrations out of the box; this
 * module papers over three problems (each one reproduced here with adapter-pg 7.9.1):
 *  1. `PrismaPg#connectToShadowDb()` spreads `{ database }` over a config whose `connectionString`
 *     wins inside `pg`, so the "shadow" pool connects to the *main* database and the engine
 *     replays every migration there. We create and drop our own shadow database instead.
 *  2. The adapter's `executeScript()` splits scripts on every `;`, so a semicolon inside a string
 *     literal, comment or function body breaks a migration. We send the whole script as one
 *     simple-protocol query, which is what the native engine does (and keeps it atomic).
 *  3. The adapter rejects PostgreSQL's internal `"char"` type (OID 18), which the engine's schema
 *     describer reads from `pg_constraint.contype`; mapping it to Text makes the engine panic.
 *     We report such columns as `Character`, the column type the engine expects.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";

export type { SchemaEngine };

/** The subset of pino's interface we use; `debug` receives the engine's own log lines. */
export interface MigrationLogger {
  info(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  warn?(obj: object | string, msg?: string): void;
  debug?(obj: object | string, msg?: string): void;
}

/** Console logger used when none is given: one-line summaries and errors, no engine chatter. */
export const consoleMigrationLogger: MigrationLogger = {
  info: (obj, msg) => console.log(formatLogLine(obj, msg)),
  error: (obj, msg) => console.error(formatLogLine(obj, msg)),
  warn: (obj, msg) => console.warn(formatLogLine(obj, msg)),
};

function formatLogLine(obj: object | string, msg?: string): string {
  if (typeof obj === "string") return obj;
  return msg ?? JSON.stringify(obj);
}

export interface SchemaEngineOptions {
  /** PostgreSQL URL of the database to migrate (the engine always opens it, even to diff). */
  connectionString: string;
  /**
   * The Prisma schema the engine is initialised with (it reads datasource namespaces from it).
   * Optional: applying migrations does not need it.
   */
  schema?: { path: string; content: string };
  /** @default consoleMigrationLogger */
  logger?: MigrationLogger;
}

// ───────────── Loading the Wasm module ─────────────

type SchemaEngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

let modulePromise: Promise<SchemaEngineModule> | undefined;

/** Instantiates the engine's Wasm once per process (the bindings module holds it in a global). */
export function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  modulePromise ??= instantiateSchemaEngine().catch((error: unknown) => {
    modulePromise = undefined; // let a later call retry instead of caching the failure
    throw error;
  });
  return modulePromise;
}

async function instantiateSchemaEngine(): Promise<SchemaEngineModule> {
  installPanicRegistry();
  // The package's own entry point does `import * as wasm from "./x.wasm"`, which Node cannot load;
  // we instantiate the Wasm ourselves with the generated JS glue as its import object.
  const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  return bindings;
}

let lastPanicMessage: string | undefined;

/**
 * The engine reports Rust panics through `global.PRISMA_WASM_PANIC_REGISTRY`; without it a panic
 * surfaces as a bare `RuntimeError: unreachable` (or a TypeError from the missing registry).
 */
function installPanicRegistry(): void {
  const holder = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  holder.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      lastPanicMessage = message;
    },
  };
}

/** Turns an engine failure into an Error whose message says what went wrong. */
function describeEngineError(error: unknown): Error {
  if (error instanceof WebAssembly.RuntimeError && lastPanicMessage) {
    const panic = new Error(
      `The schema engine crashed: ${lastPanicMessage}\n` +
        "The engine's Wasm state is now unusable; restart the process before migrating again.",
      { cause: error },
    );
    lastPanicMessage = undefined;
    return panic;
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * One readable paragraph for people: the engine's message with its Prisma error code, without
 * the Rust span trace (`   0: schema_engine_wasm::…`) the engine appends.
 */
export function engineErrorSummary(error: unknown): string {
  const text = withoutSpanTrace(error instanceof Error ? error.message : String(error));
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^P\d{4}$/.test(code) ? `${text} [${code}]` : text;
}

/** An engine error message up to the span trace it appends (`   0: schema_engine_wasm::…`). */
export function withoutSpanTrace(message: string): string {
  const lines: string[] = [];
  for (const line of message.split("\n")) {
    if (/^\s+\d+: \S+::/.test(line)) break;
    lines.push(line);
  }
  return lines.join("\n").trim();
}

// ───────────── pg driver fixes (problems 2 and 3 above) ─────────────

/** PostgreSQL's one-byte internal `"char"` type. */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
/** Appended to the name of a `"char"` column so `queryRaw` can report it as `Character`. */
const CHAR_COLUMN_MARK = "\u0000tsunagu:char";

interface PgField {
  name: string;
  dataTypeID: number;
}

function markCharColumns<T>(result: T): T {
  const results = Array.isArray(result) ? result : [result];
  for (const res of results as Array<{ fields?: PgField[] } | undefined>) {
    for (const field of res?.fields ?? []) {
      if (field.dataTypeID !== PG_CHAR_OID) continue;
      field.dataTypeID = PG_TEXT_OID; // the adapter accepts text; the mark restores the real type
      field.name += CHAR_COLUMN_MARK;
    }
  }
  return result;
}

type QueryCallback = (error: Error | null, result?: unknown) => void;

/** Makes every query on `client` mark `"char"` result columns (see {@link markCharColumns}). */
function markCharColumnsOf(client: pg.ClientBase): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const wrapped = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (error: Error | null, result?: unknown) =>
        (callback as QueryCallback)(error, result && markCharColumns(result));
    }
    const returned = query(...args);
    return returned instanceof Promise ? returned.then(markCharColumns) : returned;
  };
  client.query = wrapped as typeof client.query;
}

/** Restores the columns {@link markCharColumnsOf} marked as `Character` columns. */
function unmarkCharColumns(result: SqlResultSet): SqlResultSet {
  result.columnNames.forEach((name, index) => {
    if (!name.endsWith(CHAR_COLUMN_MARK)) return;
    result.columnNames[index] = name.slice(0, -CHAR_COLUMN_MARK.length);
    result.columnTypes[index] = ColumnTypeEnum.Character;
  });
  return result;
}

async function queryForEngine(queryable: Pick<SqlDriverAdapter, "queryRaw">, query: SqlQuery) {
  return unmarkCharColumns(await queryable.queryRaw(query));
}

function wrapTransaction(tx: Transaction): Transaction {
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => queryForEngine(tx, query),
    executeRaw: (query) => tx.executeRaw(query),
    commit: () => tx.commit(),
    rollback: () => tx.rollback(),
  };
}

/** The adapter the engine sees: adapter-pg with the fixes above. */
function wrapAdapter(adapter: SqlDriverAdapter, onDispose: () => Promise<void>): SqlDriverAdapter {
  let disposed = false;
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => queryForEngine(adapter, query),
    executeRaw: (query) => adapter.executeRaw(query),
    // No parameters → pg uses the simple query protocol, which accepts a whole script and runs it
    // as one implicit transaction, like the native engine's batch_execute.
    executeScript: async (script) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    },
    startTransaction: async (isolationLevel) =>
      wrapTransaction(await adapter.startTransaction(isolationLevel)),
    getConnectionInfo: () => adapter.getConnectionInfo?.() ?? { supportsRelationJoins: true },
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await adapter.dispose();
      await onDispose();
    },
  };
}

// ───────────── Databases: main pool, shadow databases ─────────────

/** Connection string with another database name (same server, credentials and options). */
export function withDatabaseName(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Quotes an identifier for SQL (database names here are generated, but stay safe anyway). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The `schema` URL parameter is Prisma's convention for a non-default PostgreSQL schema. */
function schemaFromUrl(connectionString: string): string | undefined {
  return new URL(connectionString).searchParams.get("schema") ?? undefined;
}

function createPool(connectionString: string, logger: MigrationLogger): pg.Pool {
  // One connection, like the native engine: its advisory lock (pg_advisory_lock(72707369)) is
  // session-level, so a second pooled session would block on the first one's lock. No idle
  // timeout either, for the lock must live until we end the pool.
  const pool = new pg.Pool({ connectionString, max: 1, idleTimeoutMillis: 0 });
  pool.on("connect", markCharColumnsOf); // emitted before a new client serves its first query
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on("error", (error) => logger.warn?.({ err: error }, "schema engine: idle connection error"));
  return pool;
}

/** Runs one statement on a short-lived connection (CREATE/DROP DATABASE cannot run in a pool tx). */
export async function runAdminStatement(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const drop = `DROP DATABASE IF EXISTS ${quoteIdent(database)}`;
  try {
    // FORCE (PostgreSQL 13+) ends connections a crashed step may have left behind.
    await runAdminStatement(adminUrl, `${drop} WITH (FORCE)`);
  } catch (error) {
    if ((error as { code?: string }).code !== "42601") throw error; // 42601: syntax error (< 13)
    await runAdminStatement(adminUrl, drop);
  }
}

interface ShadowDatabase {
  name: string;
  /** Settles when CREATE DATABASE has finished. */
  created: Promise<void>;
  drop(): Promise<void>;
}

/**
 * Starts creating an empty database on the same server for the engine to replay migrations into.
 * Returned before CREATE DATABASE finishes so a cleanup racing with it (a signal) still knows the
 * name; `drop()` waits for the creation and is idempotent (the engine's dispose and our final
 * cleanup may both call it).
 */
function createShadowDatabase(connectionString: string): ShadowDatabase {
  const name = `tsunagu_shadow_${randomBytes(6).toString("hex")}`;
  const created = runAdminStatement(connectionString, `CREATE DATABASE ${quoteIdent(name)}`);
  let dropping: Promise<void> | undefined;
  return {
    name,
    created,
    drop: () =>
      (dropping ??= created.then(
        () => dropDatabase(connectionString, name),
        () => {}, // never created: nothing to drop
      )),
  };
}

/** The adapter factory handed to the engine plus the means to release everything it opened. */
interface EngineConnections {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

function createEngineConnections(connectionString: string, logger: MigrationLogger): EngineConnections {
  const pgOptions = { schema: schemaFromUrl(connectionString) };
  const pools = new Set<pg.Pool>();
  const shadows = new Set<ShadowDatabase>();

  const openPool = (url: string) => {
    const pool = createPool(url, logger);
    pools.add(pool);
    return pool;
  };
  const endPool = async (pool: pg.Pool) => {
    if (!pools.delete(pool)) return;
    await pool.end();
  };

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    async connect() {
      const pool = openPool(connectionString);
      const adapter = await new PrismaPg(pool, pgOptions).connect();
      return wrapAdapter(adapter, () => endPool(pool));
    },
    async connectToShadowDb() {
      const shadow = createShadowDatabase(connectionString);
      shadows.add(shadow);
      await shadow.created;
      logger.debug?.({ database: shadow.name }, "schema engine: created shadow database");
      const pool = openPool(withDatabaseName(connectionString, shadow.name));
      const adapter = await new PrismaPg(pool, pgOptions).connect();
      return wrapAdapter(adapter, async () => {
        await endPool(pool);
        await shadow.drop();
        shadows.delete(shadow);
      });
    },
  };

  return {
    factory,
    async close() {
      // Pools first: a database cannot be dropped while our own pool is connected to it.
      await Promise.allSettled([...pools].map(endPool));
      const leftovers = [...shadows];
      shadows.clear();
      await Promise.all(
        leftovers.map((shadow) =>
          shadow.drop().catch((error: unknown) => {
            logger.error({ err: error, database: shadow.name }, `could not drop shadow database ${shadow.name}`);
          }),
        ),
      );
    },
  };
}

// ───────────── The engine ─────────────

/** Everything currently open, so a signal handler can clean up before the process exits. */
const openConnections = new Set<EngineConnections>();

/**
 * Closes every connection and drops every shadow database still open. For SIGINT/SIGTERM handlers
 * of short-lived tools: `finally` blocks do not run when the process exits from a signal.
 */
export async function closeAllSchemaEngines(): Promise<void> {
  await Promise.allSettled([...openConnections].map((connections) => connections.close()));
  openConnections.clear();
}

function forwardEngineLog(logger: MigrationLogger) {
  return (line: string) => {
    if (!logger.debug && !logger.warn) return;
    let entry: { level?: string; fields?: { message?: string } } = {};
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      // not JSON: forward as is
    }
    const message = entry.fields?.message ?? line;
    if (entry.level === "WARN" || entry.level === "ERROR") logger.warn?.({ engine: entry }, message);
    else logger.debug?.({ engine: entry }, message);
  };
}

/**
 * Starts a schema engine on `connectionString`, runs `fn` with it, and always frees the engine,
 * closes its connections and drops the shadow databases it created — also when `fn` throws.
 */
export async function withSchemaEngine<T>(
  options: SchemaEngineOptions,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const logger = options.logger ?? consoleMigrationLogger;
  const bindings = await loadSchemaEngineModule();
  const connections = createEngineConnections(options.connectionString, logger);
  openConnections.add(connections);
  let engine: SchemaEngine | undefined;
  try {
    const datamodels: [string, string][] | undefined = options.schema
      ? [[options.schema.path, options.schema.content]]
      : undefined;
    engine = await bindings.SchemaEngine.new(
      { datamodels },
      forwardEngineLog(logger),
      bindMigrationAwareSqlAdapterFactory(connections.factory),
    );
    return await fn(engine);
  } catch (error) {
    throw describeEngineError(error);
  } finally {
    try {
      engine?.free();
    } catch {
      // freeing after a panic throws; the connections below still need closing
    }
    openConnections.delete(connections);
    await connections.close();
  }
}
