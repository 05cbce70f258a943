/**
 * `npm run bench:realtime` — the live-collaboration benchmark of issue 3 §5.
 *
 * N y-websocket clients in one document, R timestamped updates per second in total, against our
 * server (durable: PostgreSQL append before broadcast, then a "saved" message) and, in the same
 * run with the same load, against the in-memory reference `@y/websocket-server` 0.1.1. Each
 * server runs in its own child process; everything talks to 127.0.0.1 only. See
 * docs/benchmarks.md for what is measured and how.
 *
 *   npm run bench:realtime -- [--clients=200] [--rate=20] [--duration=30] [--warmup=5]
 *     [--targets=reference,ours] [--json] [--cpu-prof] [--strict] [--verbose]
 *
 * Exit code: 0 when every run completed and was correct (goals are reported as PASS/MISS; with
 * --strict a MISS also exits 1), 1 otherwise, 130 on Ctrl-C.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { installSignalHandlers, runCleanups } from "./lib/cleanup.ts";
import type { ClientKind } from "./lib/clients.ts";
import { runLoad } from "./lib/load.ts";
import { MachineMeter, ProcessMeter, rssBytes, waitForQuietMachine } from "./lib/proc.ts";
import { correctness, evaluateGoals, toJson, toTable, type TargetRun } from "./lib/report.ts";
import { summarizeProfile } from "./lib/profile.ts";
import { openDatabaseServer, ROOT, startOurs, startReference, type DatabaseServer, type RunningTarget, type TargetKind } from "./lib/targets.ts";

const USAGE = `usage: npm run bench:realtime -- [options]
  --clients=N        clients in the one document (default 200)
  --rate=R           updates per second, all clients together (default 20)
  --duration=S       measured seconds (default 30)
  --warmup=S         seconds of the same load before measuring (default 5)
  --drain=S          seconds to wait for late receipts / saved messages (default 10)
  --targets=LIST     servers to run, in order: reference, ours (default reference,ours;
                     e.g. reference,reference to check the harness against itself)
  --pg=URL           PostgreSQL admin URL on 127.0.0.1 (default postgresql://postgres@127.0.0.1:5432/postgres;
                     unreachable → an ephemeral embedded PostgreSQL)
  --saved-type=T     message type of our "saved" message (default 100; docs/collab-protocol.md)
  --refused-type=T   message type of our "refused" message (default 101)
  --connect-batch=B  clients connecting at once during setup (default 25)
  --client=KIND      raw (default): a light y-protocols client, same wire protocol as the provider;
                     provider: y-websocket's WebsocketProvider with a live Y.Doc per client (costly)
  --awareness-echo=on|off
                     on (default): clients re-broadcast every awareness change they hear, as the
                     unmodified WebsocketProvider does; off: only their own presence (raw only)
  --cpu-prof         write a V8 CPU profile of our server to bench/profiles/ and summarize it
  --quiet-wait=S     before each server's run, wait up to S seconds until the machine is idle
                     (under 25% of a core busy) — for shared machines (default 0: don't wait)
  --json             print the figures as one JSON object instead of the table
  --strict           exit 1 when a goal is missed
  --verbose          echo the servers' output`;

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "200" },
    rate: { type: "string", default: "20" },
    duration: { type: "string", default: "30" },
    warmup: { type: "string", default: "5" },
    drain: { type: "string", default: "10" },
    targets: { type: "string" },
    target: { type: "string" },
    pg: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    "saved-type": { type: "string", default: "100" },
    "refused-type": { type: "string", default: "101" },
    "connect-batch": { type: "string", default: "25" },
    "cpu-prof": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    strict: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    "text-length": { type: "string", default: "16" },
    client: { type: "string", default: "raw" },
    "awareness-echo": { type: "string", default: "on" },
    "quiet-wait": { type: "string", default: "0" },
    help: { type: "boolean", default: false },
  },
  strict: true,
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function positive(name: string, raw: string, { integer = false, zero = false } = {}): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!zero && value === 0) || (integer && !Number.isInteger(value))) {
    console.error(`--${name} must be a ${integer ? "whole " : ""}number${zero ? " ≥ 0" : " > 0"} (got ${raw})\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const config = {
  clients: positive("clients", values.clients, { integer: true }),
  rate: positive("rate", values.rate),
  durationS: positive("duration", values.duration),
  warmupS: positive("warmup", values.warmup, { zero: true }),
  drainS: positive("drain", values.drain, { zero: true }),
  savedType: positive("saved-type", values["saved-type"], { integer: true }),
  refusedType: positive("refused-type", values["refused-type"], { integer: true }),
  connectBatch: positive("connect-batch", values["connect-batch"], { integer: true }),
  quietWaitS: positive("quiet-wait", values["quiet-wait"], { zero: true }),
  textLength: positive("text-length", values["text-length"], { integer: true, zero: true }),
  client: values.client as ClientKind,
  awarenessEcho: values["awareness-echo"] !== "off",
  targets: (values.targets ?? values.target ?? "reference,ours").split(",").map((t) => t.trim()) as TargetKind[],
};
if (config.clients < 2) {
  console.error("--clients must be at least 2 (edit-to-all needs a receiver)");
  process.exit(2);
}
if (values["awareness-echo"] !== "on" && values["awareness-echo"] !== "off") {
  console.error(`--awareness-echo must be on or off (got ${values["awareness-echo"]})`);
  process.exit(2);
}
if (!config.awarenessEcho && config.client === "provider") {
  console.error("--awareness-echo=off needs --client=raw (the WebsocketProvider always echoes)");
  process.exit(2);
}
if (config.client !== "raw" && config.client !== "provider") {
  console.error(`--client must be raw or provider (got ${values.client})`);
  process.exit(2);
}
for (const target of config.targets) {
  if (target !== "reference" && target !== "ours") {
    console.error(`unknown target "${target}"\n\n${USAGE}`);
    process.exit(2);
  }
}

const log = (message: string) => console.error(`[bench] ${message}`);
installSignalHandlers(log);

function labelsFor(targets: TargetKind[]): string[] {
  const seen = new Map<string, number>();
  return targets.map((kind) => {
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    return targets.filter((t) => t === kind).length > 1 ? `${kind}#${n}` : kind;
  });
}

async function runTarget(kind: TargetKind, label: string, db: () => Promise<DatabaseServer>): Promise<TargetRun> {
  const run: TargetRun = {
    label,
    kind,
    error: null,
    load: null,
    server: null,
    database: null,
    machineCpuPercent: null,
    loadAverage: { before: os.loadavg(), after: [] },
    profile: null,
  };
  let target: RunningTarget | null = null;
  const profileDir = values["cpu-prof"] && kind === "ours" ? path.join(ROOT, "bench", "profiles", `${label}-${Date.now()}`) : undefined;
  try {
    log(`${label}: starting the server`);
    target =
      kind === "reference"
        ? await startReference({ log, verbose: values.verbose })
        : await startOurs({ db: await db(), log, verbose: values.verbose, cpuProfDir: profileDir });
    log(`${label}: ${target.wsBase}/${target.docName} (pid ${target.pid}); ${config.clients} clients, ${config.rate} updates/s, ${config.warmupS} s warmup + ${config.durationS} s`);
    const pid = target.pid;
    if (config.quietWaitS > 0) await waitForQuietMachine(25, config.quietWaitS, (message) => log(`${label}: ${message}`));
    const rssIdle = rssBytes(pid);
    const server = new ProcessMeter(() => [pid]);
    const database = target.databasePids ? new ProcessMeter(target.databasePids, { rss: false }) : null;
    const machine = new MachineMeter();
    run.load = await runLoad(target, {
      ...config,
      expectSaved: kind === "ours",
      log: (message) => log(`${label}: ${message}`),
      onWindow(phase) {
        if (phase === "start") {
          server.start();
          database?.start();
          machine.start();
        } else {
          run.server = { ...server.stop(), rssIdleBytes: rssIdle };
          run.database = database ? { cpuPercent: database.stop().cpuPercent } : null;
          run.machineCpuPercent = machine.stop();
        }
      },
    });
    // RSS at the end: after the drain and the correctness checks, before the clients leave.
    if (run.server) run.server.rssEndBytes = rssBytes(pid) ?? run.server.rssEndBytes;
    const exit = target.exitInfo();
    if (exit) throw new Error(`the server exited during the run (${exit})`);
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
    if (target && values.verbose) log(`${label}: server output:\n${target.output()}`);
  } finally {
    run.loadAverage.after = os.loadavg();
    if (target) {
      log(`${label}: stopping the server`);
      await target.stop().catch((error) => log(`${label}: stop failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  if (profileDir) {
    try {
      // One profile per thread (tsx runs a loader thread): the main thread's is the largest.
      const file = readdirSync(profileDir)
        .filter((name) => name.endsWith(".cpuprofile"))
        .map((name) => path.join(profileDir, name))
        .sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (file) {
        run.profile = file;
        if (!values.json) console.error(summarizeProfile(run.profile, 25));
      }
    } catch {
      log(`${label}: no CPU profile was written`);
    }
  }
  const check = correctness(run);
  log(`${label}: ${check.correct ? "done" : `problems: ${check.problems.join("; ")}`}`);
  return run;
}

/** The commit measured, and whether the working tree had changes (the server runs from it). */
function gitState(): { commit: string | null; dirty: boolean | null } {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return { commit: null, dirty: null };
  const status = git("status", "--porcelain", "--", "server", "app", "prisma");
  return { commit: head.stdout.trim(), dirty: status.stdout.trim().length > 0 };
}

async function main() {
  const started = new Date();
  if (config.targets.includes("ours")) {
    log("preparing the build (scripts/prepare.mjs)");
    const prepared = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prepare.mjs")], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    if (prepared.status !== 0) throw new Error("scripts/prepare.mjs failed");
  }
  if (values["cpu-prof"]) mkdirSync(path.join(ROOT, "bench", "profiles"), { recursive: true });
  let dbPromise: Promise<DatabaseServer> | null = null;
  const db = () => (dbPromise ??= openDatabaseServer(values.pg, log));

  const labels = labelsFor(config.targets);
  const runs: TargetRun[] = [];
  for (const [i, kind] of config.targets.entries()) runs.push(await runTarget(kind, labels[i], db));

  const database = dbPromise ? await (dbPromise as Promise<DatabaseServer>).catch(() => null) : null;
  const environment = {
    startedAt: started.toISOString(),
    git: gitState(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryMB: Math.round(os.totalmem() / 1048576), node: process.version },
    database: database ? { description: database.description, ...database.settings } : null,
  };
  const jsonConfig = { ...config };
  if (values.json) {
    console.log(JSON.stringify(toJson({ config: jsonConfig, environment, runs }), null, 2));
  } else {
    const header = [
      `Realtime benchmark: ${config.clients} ${config.client} clients${config.awarenessEcho ? "" : " (awareness echo off)"} in one document, ${config.rate} updates/s, ${config.durationS} s measured after ${config.warmupS} s warmup`,
      `machine: ${environment.machine.cpus} CPUs (${environment.machine.cpuModel}), Node ${process.version}; ` +
        `code: ${environment.git.commit ?? "?"}${environment.git.dirty ? " + uncommitted changes" : ""}`,
      ...(database
        ? [`ours on ${database.description}, fsync=${database.settings.fsync}, synchronous_commit=${database.settings.synchronousCommit}`]
        : []),
    ];
    console.log(toTable({ config: jsonConfig, environment, runs, header }));
  }
  const allCorrect = runs.every((r) => correctness(r).correct);
  const goalsMet = evaluateGoals(runs).every((g) => g.pass);
  return allCorrect && (!values.strict || goalsMet) ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await runCleanups(log);
}
process.exit(exitCode);
