/**
 * The live half of `npm run bench:matching`: the generated workload written to a real PostgreSQL,
 * our server started in this process with the matching scheduler, a Socket.IO client in the
 * workspace room, and availability edits made through the REST API. Measures what the engine-only
 * figures cannot: the first full run with the database, main-loop lag while runs are going, and
 * change → `matching:updated` at the client.
 */
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import { io as connect, type Socket } from "socket.io-client";
import type { MatchingUpdated } from "../../app/lib/realtime/events.ts";
import { startServer } from "../../server/app-server.ts";
import { hashPassword } from "../../server/auth/password.ts";
import { parseEnv } from "../../server/env.ts";
import type { MatchingSnapshot } from "../../server/matching/types.ts";
import { generateSnapshot } from "../matching-generate.ts";
import { createBenchDatabase, openDatabaseServer } from "./targets.ts";

const DAY = 86_400_000;
const JST_MS = 9 * 3_600_000;
const WORKSPACE_ID = "bench-ws";
const COORDINATOR = { email: "bench-coordinator@tsunagu.example", password: "bench-password-1234" };

export interface LiveFigures {
  database: string;
  rows: { residents: number; pieces: number; windows: number; consents: number };
  insertMs: number;
  firstRun: { ms: number; loadMs: number; solveMs: number; applyMs: number; proposals: number; mode: string };
  lagDuringFirstRunMs: { p50: number; p99: number; max: number };
  pushed: { edits: number; p50Ms: number; p95Ms: number; maxMs: number; runLoadP95Ms: number; runSolveP95Ms: number; runApplyP95Ms: number };
  lagDuringEditsMs: { p50: number; p99: number; max: number };
}

/** Next Monday 00:00 JST: every generated piece lies ahead, whatever today is. */
function nextMondayJst(now: number): number {
  const day = Math.floor((now + JST_MS) / DAY);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return (day + ((8 - weekday) % 7 || 7)) * DAY - JST_MS;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const r1 = (x: number) => Math.round(x * 10) / 10;

export async function measureLive(options: {
  residents: number;
  tasks: number;
  seed: number;
  edits: number;
  pgAdminUrl: string;
  log: (message: string) => void;
}): Promise<LiveFigures> {
  const { log } = options;
  const dbServer = await openDatabaseServer(options.pgAdminUrl, log);
  const database = await createBenchDatabase(dbServer, log, { seed: false });
  const now0 = nextMondayJst(Date.now());
  const snapshot = generateSnapshot({ residents: options.residents, tasks: options.tasks, seed: options.seed, now: now0 });

  let t = performance.now();
  const rows = await writeWorkload(database.url, snapshot);
  const insertMs = performance.now() - t;
  log(`workload written (${Math.round(insertMs)} ms): ${rows.residents} residents, ${rows.pieces} pieces`);

  const lag = monitorEventLoopDelay({ resolution: 5 });
  const env = parseEnv({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "error" });
  let resolveFirst!: (u: MatchingUpdated) => void;
  const firstRun = new Promise<MatchingUpdated>((resolve) => (resolveFirst = resolve));
  lag.enable();
  t = performance.now();
  const server = await startServer({ env, databaseUrl: database.url, remix: "none", matching: {} });
  let socket: Socket | null = null;
  try {
    server.matching!.listeners.add((summary) => resolveFirst(summary as unknown as MatchingUpdated));
    const first = (await firstRun) as unknown as { stats: Record<string, number | string>; added: number };
    const firstMs = performance.now() - t;
    lag.disable();
    const lagFirst = { p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 };
    await server.matching!.idle();
    log(`first run with the database: ${Math.round(firstMs)} ms after start (${JSON.stringify(first.stats)})`);

    const cookie = await login(server.url);
    socket = connect(server.url, { path: "/socket.io", transports: ["websocket"], reconnection: false, extraHeaders: { cookie } });
    await new Promise<void>((resolve, reject) => {
      socket!.once("connect", () => resolve());
      socket!.once("connect_error", reject);
    });
    const join = (await socket.emitWithAck("workspace:join", { workspaceId: WORKSPACE_ID })) as { ok: boolean };
    if (!join.ok) throw new Error(`workspace:join refused: ${JSON.stringify(join)}`);
    const updates: Array<{ at: number; payload: MatchingUpdated }> = [];
    socket.on("matching:updated", (payload: MatchingUpdated) => updates.push({ at: performance.now(), payload }));

    // Residents of the coordinator's organization who hold engine proposals: taking away all
    // their free time must remove those proposals, so every edit produces a push.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const { rows: candidates } = await admin.query(
      `SELECT DISTINCT m."residentId" AS id FROM "Match" m JOIN "Resident" r ON r.id = m."residentId"
       WHERE m."workspaceId" = $1 AND m.stage = 'SUGGESTED' AND r."registeredByOrgId" = 'org-shakyo' ORDER BY 1 LIMIT $2`,
      [WORKSPACE_ID, options.edits],
    );
    await admin.end();

    const pushed: number[] = [];
    const runStats: Array<{ loadMs: number; solveMs: number; applyMs: number }> = [];
    lag.reset();
    lag.enable();
    for (const { id } of candidates as Array<{ id: string }>) {
      const current = await fetchJson(server.url, `/api/v1/residents/${id}/availability`, cookie);
      const started = performance.now();
      const put = await fetchJson(server.url, `/api/v1/residents/${id}/availability`, cookie, "PUT", {
        expectedVersion: current.version,
        windows: [],
        exceptions: [],
      });
      if (put.error) throw new Error(`availability PUT refused: ${JSON.stringify(put.error)}`);
      const update = await waitFor(() => updates.find((u) => u.at >= started && u.payload.matchIds.removed.length > 0), 5_000);
      pushed.push(update.at - started);
      runStats.push(update.payload.stats as unknown as { loadMs: number; solveMs: number; applyMs: number });
      updates.length = 0;
      // Edits by people come apart in time: let the workspace go quiet again.
      await new Promise((r) => setTimeout(r, 200));
    }
    lag.disable();
    pushed.sort((a, b) => a - b);
    const p95Of = (key: "loadMs" | "solveMs" | "applyMs") => quantile(runStats.map((s) => s[key]).sort((a, b) => a - b), 0.95);
    return {
      database: dbServer.description,
      rows,
      insertMs: Math.round(insertMs),
      firstRun: {
        ms: Math.round(firstMs),
        loadMs: Number(first.stats.loadMs),
        solveMs: Number(first.stats.solveMs),
        applyMs: Number(first.stats.applyMs),
        proposals: Number(first.stats.proposals),
        mode: String(first.stats.mode),
      },
      lagDuringFirstRunMs: { p50: r1(lagFirst.p50), p99: r1(lagFirst.p99), max: r1(lagFirst.max) },
      pushed: {
        edits: pushed.length,
        p50Ms: r1(quantile(pushed, 0.5)),
        p95Ms: r1(quantile(pushed, 0.95)),
        maxMs: r1(pushed[pushed.length - 1] ?? 0),
        runLoadP95Ms: p95Of("loadMs"),
        runSolveP95Ms: p95Of("solveMs"),
        runApplyP95Ms: p95Of("applyMs"),
      },
      lagDuringEditsMs: { p50: r1(lag.percentile(50) / 1e6), p99: r1(lag.percentile(99) / 1e6), max: r1(lag.max / 1e6) },
    };
  } finally {
    socket?.disconnect();
    await server.close();
    await database.drop();
  }
}

async function login(base: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(COORDINATOR),
  });
  if (response.status !== 200) throw new Error(`bench login failed: ${response.status}`);
  return response.headers.get("set-cookie")!.split(";")[0];
}

async function fetchJson(base: string, path: string, cookie: string, method = "GET", body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return response.json();
}

async function waitFor<T>(find: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (performance.now() > deadline) throw new Error("no matching:updated within the time limit");
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Writes the generated snapshot as rows (bulk `unnest` inserts). */
async function writeWorkload(url: string, s: MatchingSnapshot) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const insert = async (table: string, columns: string[], types: string[], data: unknown[][]) => {
    for (let i = 0; i < data.length; i += 5_000) {
      const chunk = data.slice(i, i + 5_000);
      const arrays = columns.map((_, c) => chunk.map((row) => row[c]));
      const cols = columns.map((c) => `"${c}"`).join(", ");
      // An array column ("text[]") travels as one literal per row ('{a,b}') and is cast back.
      const params = types.map((type, c) => `$${c + 1}::${type.replace("[]", "")}[]`).join(", ");
      const names = columns.map((_, c) => `c${c}`);
      const select = types.map((type, c) => (type.endsWith("[]") ? `c${c}::${type}` : `c${c}`)).join(", ");
      await db.query(`INSERT INTO "${table}" (${cols}) SELECT ${select} FROM unnest(${params}) AS t(${names.join(", ")})`, arrays);
    }
  };
  try {
    await db.query("BEGIN");
    await db.query(
      `INSERT INTO "Workspace" (id, slug, name, municipality, version, "updatedAt") VALUES ($1, 'bench', 'ベンチマーク区', 'ベンチマーク区', 0, now())`,
      [WORKSPACE_ID],
    );
    const orgs = [...new Set([...s.residents.map((r) => r.registeredByOrgId), ...s.shifts.map((x) => x.ownerOrgId)])];
    await insert("Organization", ["id", "workspaceId", "kind", "name", "updatedAt"], ["text", "text", '"OrganizationKind"', "text", "timestamptz"], orgs.map((id) => [id, WORKSPACE_ID, id === "org-shakyo" ? "SHAKYO" : "NPO", id, new Date()]));
    await db.query(`INSERT INTO "User" (id, email, "displayName", "passwordHash", "updatedAt") VALUES ('bench-user', $1, 'ベンチ 調整役', $2, now())`, [
      COORDINATOR.email,
      await hashPassword(COORDINATOR.password),
    ]);
    await db.query(`INSERT INTO "Membership" (id, "userId", "organizationId", role) VALUES ('bench-membership', 'bench-user', 'org-shakyo', 'COORDINATOR')`);
    const skills = new Set<string>();
    for (const r of s.residents) for (const k of Object.keys(r.skills)) skills.add(k);
    for (const x of s.shifts) for (const k of x.requiredSkillIds) skills.add(k);
    await insert("Skill", ["id", "workspaceId", "code", "nameJa", "nameEn"], ["text", "text", "text", "text", "text"], [...skills].map((id) => [id, WORKSPACE_ID, id, id, id]));
    await insert(
      "Resident",
      ["id", "workspaceId", "registeredByOrgId", "publicCode", "displayName", "homeLat", "homeLng", "travelDistanceM", "weeklyHourCap", "style", "interests", "status", "updatedAt"],
      ["text", "text", "text", "text", "text", "float8", "float8", "int4", "int4", '"ParticipationStyle"', "text[]", '"ResidentStatus"', "timestamptz"],
      s.residents.map((r, i) => [
        r.id,
        WORKSPACE_ID,
        r.registeredByOrgId,
        `B${i.toString(36).toUpperCase()}`,
        `住民 ${i}`,
        r.home?.lat ?? null,
        r.home?.lng ?? null,
        r.travelDistanceM,
        r.weeklyHourCap,
        r.style,
        `{${r.interests.join(",")}}`,
        r.status ?? "ACTIVE",
        new Date(),
      ]),
    );
    const windows = s.residents.flatMap((r) => r.windows.map((w, i) => [`${r.id}-w${i}`, r.id, w.weekday, w.startMinute, w.endMinute]));
    await insert("AvailabilityWindow", ["id", "residentId", "weekday", "startMinute", "endMinute"], ["text", "text", "int4", "int4", "int4"], windows);
    await insert(
      "AvailabilityException",
      ["id", "residentId", "date", "available", "startMinute", "endMinute"],
      ["text", "text", "date", "bool", "int4", "int4"],
      s.residents.flatMap((r) => r.exceptions.map((e, i) => [`${r.id}-e${i}`, r.id, e.date, e.available, e.startMinute ?? null, e.endMinute ?? null])),
    );
    await insert(
      "ResidentSkill",
      ["residentId", "skillId", "level"],
      ["text", "text", "int4"],
      s.residents.flatMap((r) => Object.entries(r.skills).map(([k, level]) => [r.id, k, level])),
    );
    const tasks = new Map(s.shifts.map((x) => [x.taskId, x]));
    await insert(
      "Task",
      ["id", "workspaceId", "ownerOrgId", "title", "description", "category", "lat", "lng", "isRemote", "status", "updatedAt"],
      ["text", "text", "text", "text", "text", "text", "float8", "float8", "bool", '"TaskStatus"', "timestamptz"],
      [...tasks.values()].map((x) => [x.taskId, WORKSPACE_ID, x.ownerOrgId, x.taskId, "", x.category, x.point?.lat ?? null, x.point?.lng ?? null, x.isRemote, "OPEN", new Date()]),
    );
    await insert(
      "Shift",
      ["id", "taskId", "role", "startsAt", "endsAt", "headcount", "updatedAt"],
      ["text", "text", "text", "timestamptz", "timestamptz", "int4", "timestamptz"],
      s.shifts.map((x) => [x.id, x.taskId, "role", new Date(x.startsAt), new Date(x.endsAt), x.headcount, new Date()]),
    );
    await insert("ShiftSkill", ["shiftId", "skillId"], ["text", "text"], s.shifts.flatMap((x) => x.requiredSkillIds.map((k) => [x.id, k])));
    await insert(
      "Consent",
      ["id", "residentId", "organizationId", "fields", "purpose", "expiresAt"],
      ["text", "text", "text", "text[]", "text", "timestamptz"],
      s.consents.map((c, i) => [`bench-consent-${i}-${randomBytes(2).toString("hex")}`, c.residentId, c.organizationId, `{${(c.fields ?? []).join(",")}}`, "matching", c.expiresAt ? new Date(c.expiresAt) : null]),
    );
    await db.query("COMMIT");
    await db.query("ANALYZE");
    return { residents: s.residents.length, pieces: s.shifts.length, windows: windows.length, consents: s.consents.length };
  } catch (error) {
    await db.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await db.end();
  }
}
