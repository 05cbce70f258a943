/**
 * Matching engine benchmark (a script, not a test): `npm run bench:matching [-- options]`.
 *
 *   --residents 10000 --tasks 2000   workload size (about 3 pieces per task)
 *   --seed 1                         generator seed
 *   --edits 200                      random availability edits for the incremental figures
 *   --warm 3                         extra full solves after the first (JIT-warm figures)
 *   --lsa-size 1000                  size of the one-piece-per-resident comparison
 *   --live-edits 100                 availability edits through the API for the pushed latency
 *   --no-live                        skip the part with the database and the server
 *   --pg postgresql://postgres@127.0.0.1:5432/postgres
 *                                    PostgreSQL for the live part (an embedded one when unreachable)
 *   --json                           print one JSON object instead of the report
 *
 * Figures: full solve (the first in the process, and the warm median), incremental re-solve
 * after one availability change (p50 / p95), churn (share of unaffected proposals that moved),
 * RSS growth of the live pattern (one session: a full solve, then the edits), and an exact dense
 * assignment solver (linear-sum-assignment) on the one-piece-per-resident case with our time and
 * score as ratios to it. Then the live part (bench/lib/matching-live.ts): the same workload in a
 * fresh database, our server with the matching scheduler in this process, main-loop lag during
 * its first full run and during the edits, and change (REST) → `matching:updated` at a Socket.IO
 * client. Every figure is measured in this run; goals print as PASS or MISS.
 */
import { linearSumAssignment } from "linear-sum-assignment";
import os from "node:os";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { MatchingSession, listCandidates, solve } from "../server/matching/engine.ts";
import type { MatchingSnapshot, SnapshotResident } from "../server/matching/types.ts";
import { validateProposals } from "../server/matching/validate.ts";
import { installSignalHandlers, runCleanups } from "./lib/cleanup.ts";
import { measureLive, type LiveFigures } from "./lib/matching-live.ts";
import { DEFAULT_NOW, createRng, editAvailability, generateSnapshot } from "./matching-generate.ts";

const { values: args } = parseArgs({
  options: {
    residents: { type: "string", default: "10000" },
    tasks: { type: "string", default: "2000" },
    seed: { type: "string", default: "1" },
    edits: { type: "string", default: "200" },
    warm: { type: "string", default: "3" },
    "lsa-size": { type: "string", default: "1000" },
    "live-edits": { type: "string", default: "100" },
    "no-live": { type: "boolean", default: false },
    pg: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    json: { type: "boolean", default: false },
  },
});
const residentsN = Number(args.residents);
const tasksN = Number(args.tasks);
const seed = Number(args.seed);
const editsN = Number(args.edits);
const warmN = Number(args.warm);
const lsaSize = Number(args["lsa-size"]);
const json = args.json === true;

const GOALS = { fullMs: 1000, incrementalP95Ms: 20, churnPct: 0.5, rssGrowthMb: 300, lagP99Ms: 20, pushedP95Ms: 100 };
const MB = 1024 * 1024;
const rssMb = () => process.memoryUsage().rss / MB;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const round = (x: number) => Math.round(x * 100) / 100;
// A full GC before the memory baseline, so that the generator's garbage does not count (npm
// scripts cannot pass --expose-gc, hence the flag set at run time).
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

// ── Workload ──
const loadAtStart = os.loadavg();
const snapshot = generateSnapshot({ residents: residentsN, tasks: tasksN, seed });
const seats = snapshot.shifts.reduce((sum, s) => sum + s.headcount, 0);
gc();
const rssBefore = rssMb();
const maxRssBefore = maxRssMb();
let sampledPeak = rssBefore;
const sample = () => {
  sampledPeak = Math.max(sampledPeak, rssMb());
};

// ── The live pattern: one session, a full solve (the first in the process), then edits ──
const phases: Record<string, number> = {};
let recording = true; // the phases of the first full solve only (the hook stays on the session)
let last = performance.now();
let t = last;
const session = new MatchingSession(snapshot, DEFAULT_NOW, {
  onPhase: (phase) => {
    if (!recording) return;
    const now = performance.now();
    phases[phase] = (phases[phase] ?? 0) + (now - last);
    last = now;
  },
});
const fullColdMs = performance.now() - t;
recording = false;
sample();
const stats = session.result.stats;
const fullErrors = validateProposals(snapshot, DEFAULT_NOW, session.result.proposals);

const rng = createRng(seed * 7919 + 1);
const residents: SnapshotResident[] = [...snapshot.residents];
const held = new Map<string, number>();
for (const p of session.result.proposals) held.set(p.residentId, (held.get(p.residentId) ?? 0) + 1);
const incTimes: number[] = [];
let moved = 0;
let unaffected = 0;
let maxMovedInOneEdit = 0;
let regionShifts = 0;
let regionPairs = 0;
let count = stats.proposals;
for (let i = 0; i < editsN; i++) {
  const index = rng.int(0, residents.length - 1);
  const edited = editAvailability(rng, residents[index], DEFAULT_NOW);
  residents[index] = edited;
  t = performance.now();
  const result = session.apply([{ type: "resident.upsert", resident: edited }], DEFAULT_NOW);
  incTimes.push(performance.now() - t);
  const movedHere = result.diff.removed.filter((p) => p.residentId !== edited.id).length;
  moved += movedHere;
  maxMovedInOneEdit = Math.max(maxMovedInOneEdit, movedHere);
  unaffected += count - (held.get(edited.id) ?? 0);
  count = result.stats.proposals;
  for (const p of result.diff.added) held.set(p.residentId, (held.get(p.residentId) ?? 0) + 1);
  for (const p of result.diff.removed) held.set(p.residentId, (held.get(p.residentId) ?? 0) - 1);
  regionShifts += result.stats.regionShifts;
  regionPairs += result.stats.regionPairs;
  if (i % 10 === 0) sample();
}
sample();
// The process's RSS high-water mark counts only if the live pattern raised it.
const livePeakMb = Math.max(sampledPeak, maxRssMb() > maxRssBefore ? maxRssMb() : 0);
const liveGrowthMb = livePeakMb - rssBefore;
incTimes.sort((a, b) => a - b);
const incP50 = quantile(incTimes, 0.5);
const incP95 = quantile(incTimes, 0.95);
const churnPct = unaffected > 0 ? (100 * moved) / unaffected : 0;
const finalSnapshot: MatchingSnapshot = { ...snapshot, residents };
const incProposals = session.proposals();
const incErrors = validateProposals(finalSnapshot, DEFAULT_NOW, incProposals);
const incTotal = incProposals.reduce((sum, p) => sum + p.score, 0);

// ── Quality after the edits, and the stability of a full rerun ──
const fresh = solve(finalSnapshot, DEFAULT_NOW);
const previous = incProposals.map((p) => ({ residentId: p.residentId, shiftId: p.shiftId }));
const rerun = solve({ ...finalSnapshot, previous }, DEFAULT_NOW);
const incKeys = new Set(incProposals.map((p) => `${p.residentId}|${p.shiftId}`));
const rerunMoved = incProposals.length - rerun.proposals.filter((p) => incKeys.has(`${p.residentId}|${p.shiftId}`)).length;

// ── Warm full solves (a long-lived worker's steady state) ──
const warmTimes: number[] = [];
for (let i = 0; i < warmN; i++) {
  t = performance.now();
  solve(snapshot, DEFAULT_NOW);
  warmTimes.push(performance.now() - t);
}
warmTimes.sort((a, b) => a - b);
const fullWarmMs = warmTimes.length > 0 ? quantile(warmTimes, 0.5) : fullColdMs;
const wholeRunPeakMb = Math.max(rssMb(), maxRssMb());

// ── Exact dense assignment (linear-sum-assignment) on the one-piece-per-resident case ──
const lsaBase = generateSnapshot({ residents: lsaSize, tasks: Math.ceil(lsaSize / 2.5), seed: seed + 1 });
const lsaSnapshot: MatchingSnapshot = {
  ...lsaBase,
  shifts: lsaBase.shifts.slice(0, lsaSize).map((s) => ({ ...s, headcount: 1 })),
  fixed: [],
  rejected: [],
};
const onePiece = { maxProposalsPerResident: 1 };
t = performance.now();
const ours = solve(lsaSnapshot, DEFAULT_NOW, onePiece);
const oursMs = performance.now() - t;
t = performance.now();
const oursNoCap = solve(lsaSnapshot, DEFAULT_NOW, { ...onePiece, maxCandidatesPerShift: Number.POSITIVE_INFINITY });
const oursNoCapMs = performance.now() - t;
t = performance.now();
const rowOf = new Map(lsaSnapshot.residents.map((r, i) => [r.id, i]));
const colOf = new Map(lsaSnapshot.shifts.map((s, i) => [s.id, i]));
const matrix = lsaSnapshot.residents.map(() => new Array<number>(lsaSnapshot.shifts.length).fill(0));
for (const c of listCandidates(lsaSnapshot, DEFAULT_NOW, onePiece)) {
  matrix[rowOf.get(c.residentId)!][colOf.get(c.shiftId)!] = Math.round(c.score * 10_000);
}
const matrixMs = performance.now() - t;
t = performance.now();
const lsa = linearSumAssignment(matrix, { maximaze: true });
const lsaMs = performance.now() - t;
const lsaScore = lsa.gain / 10_000;

// ── Live: the database, the scheduler, the REST API and a Socket.IO client ──
let live: LiveFigures | null = null;
if (!args["no-live"]) {
  installSignalHandlers((message) => console.error(message));
  live = await measureLive({
    residents: residentsN,
    tasks: tasksN,
    seed,
    edits: Number(args["live-edits"]),
    pgAdminUrl: args.pg!,
    log: (message) => {
      if (!json) console.error(`[live] ${message}`);
    },
  });
}
const loadAtEnd = os.loadavg();

const figures = {
  workload: { residents: residentsN, tasks: tasksN, pieces: snapshot.shifts.length, seats, seed, edits: editsN },
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "", loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd, node: process.version },
  full: {
    firstMs: round(fullColdMs),
    warmMedianMs: round(fullWarmMs),
    warmRunsMs: warmTimes.map(round),
    phasesOfFirstMs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v)])),
    goalMs: GOALS.fullMs,
    passFirst: fullColdMs <= GOALS.fullMs,
    passWarm: fullWarmMs <= GOALS.fullMs,
    stats,
    violations: fullErrors.length,
  },
  incremental: {
    p50Ms: round(incP50),
    p95Ms: round(incP95),
    maxMs: round(incTimes[incTimes.length - 1] ?? 0),
    goalP95Ms: GOALS.incrementalP95Ms,
    pass: incP95 <= GOALS.incrementalP95Ms,
    avgRegionPieces: round(regionShifts / Math.max(1, editsN)),
    avgRegionPairs: round(regionPairs / Math.max(1, editsN)),
    violations: incErrors.length,
    scoreRatioToFreshFullSolve: incTotal / fresh.stats.totalScore,
    fullRerunMovedPct: (100 * rerunMoved) / Math.max(1, incProposals.length),
  },
  churn: { pct: churnPct, moved, unaffected, maxMovedInOneEdit, goalPct: GOALS.churnPct, pass: churnPct <= GOALS.churnPct },
  memory: {
    rssBaselineMb: round(rssBefore),
    livePeakMb: round(livePeakMb),
    liveGrowthMb: round(liveGrowthMb),
    wholeRunPeakMb: round(wholeRunPeakMb),
    goalMb: GOALS.rssGrowthMb,
    pass: liveGrowthMb <= GOALS.rssGrowthMb,
  },
  lsa: {
    residents: lsaSnapshot.residents.length,
    pieces: lsaSnapshot.shifts.length,
    lsaMs: round(lsaMs),
    matrixMs: round(matrixMs),
    optimum: lsaScore,
    ours: { ms: round(oursMs), score: ours.stats.totalScore, timeRatio: oursMs / lsaMs, scoreRatio: ours.stats.totalScore / lsaScore },
    oursNoCandidateCap: { ms: round(oursNoCapMs), score: oursNoCap.stats.totalScore, timeRatio: oursNoCapMs / lsaMs, scoreRatio: oursNoCap.stats.totalScore / lsaScore },
  },
  live: live
    ? {
        ...live,
        goals: { lagP99Ms: GOALS.lagP99Ms, pushedP95Ms: GOALS.pushedP95Ms },
        passLagFirstRun: live.lagDuringFirstRunMs.p99 <= GOALS.lagP99Ms,
        passLagEdits: live.lagDuringEditsMs.p99 <= GOALS.lagP99Ms,
        passPushed: live.pushed.p95Ms <= GOALS.pushedP95Ms,
      }
    : null,
};

if (json) {
  console.log(JSON.stringify(figures));
} else {
  const f = figures;
  const lines = [
    `matching benchmark — ${residentsN} residents, ${tasksN} tasks, ${f.workload.pieces} pieces (${seats} seats), seed ${seed}`,
    `machine: ${f.machine.cpus} × ${f.machine.model}, node ${process.version}, load average ${loadAtStart.map((x) => x.toFixed(2)).join(" ")} at start, ${loadAtEnd.map((x) => x.toFixed(2)).join(" ")} at end`,
    "",
    `full solve, the first in the process  ${ms(fullColdMs).padStart(9)}   goal ≤ ${GOALS.fullMs} ms  ${verdict(f.full.passFirst)}`,
    `full solve, warm (median of ${warmN})      ${ms(fullWarmMs).padStart(9)}   goal ≤ ${GOALS.fullMs} ms  ${verdict(f.full.passWarm)}   [${f.full.warmRunsMs.map((x) => x.toFixed(0)).join(", ")} ms]`,
    `  phases of the first: ${Object.entries(f.full.phasesOfFirstMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")} (ms)`,
    `  ${stats.candidatePairs} candidate pairs (${stats.examinedPairs} examined), ${stats.proposals} proposals filling ${stats.filledSeats} of ${stats.openSeats} open seats, total score ${stats.totalScore}`,
    `  hard-constraint violations found by the independent checker: ${fullErrors.length}`,
    "",
    `incremental re-solve after one availability change (${editsN} random edits)`,
    `  p50 ${ms(incP50)}, p95 ${ms(incP95)}, max ${ms(f.incremental.maxMs)}   goal p95 ≤ ${GOALS.incrementalP95Ms} ms  ${verdict(f.incremental.pass)}`,
    `  region per edit: ${f.incremental.avgRegionPieces} pieces, ${f.incremental.avgRegionPairs} pairs on average`,
    `  churn: ${churnPct.toFixed(4)}% of unaffected proposals moved (${moved} in all, at most ${maxMovedInOneEdit} in one edit)   goal ≤ ${GOALS.churnPct}%  ${verdict(f.churn.pass)}`,
    `  after the edits: total score ${incTotal.toFixed(4)} incremental vs ${fresh.stats.totalScore} for a fresh full solve (ratio ${f.incremental.scoreRatioToFreshFullSolve.toFixed(5)})`,
    `  a full rerun with the incremental proposals as previous moves ${rerunMoved} of ${incProposals.length} (${f.incremental.fullRerunMovedPct.toFixed(3)}%)`,
    `  hard-constraint violations found by the independent checker: ${incErrors.length}`,
    "",
    `memory: RSS ${rssBefore.toFixed(0)} MB with the snapshot loaded; peak ${livePeakMb.toFixed(0)} MB during the live pattern, growth ${liveGrowthMb.toFixed(0)} MB   goal ≤ ${GOALS.rssGrowthMb} MB  ${verdict(f.memory.pass)}`,
    `  (peak over the whole run, with ${warmN + 2} more full solves and the LSA case: ${wholeRunPeakMb.toFixed(0)} MB)`,
    "",
    `one piece per resident, ${f.lsa.residents} residents × ${f.lsa.pieces} pieces, against linear-sum-assignment (exact, dense)`,
    `  LSA: ${ms(lsaMs)} on the dense matrix (+ ${ms(matrixMs)} to fill it from the candidate graph), optimum ${lsaScore.toFixed(4)}`,
    `  ours, defaults:         ${ms(oursMs)} end to end, score ${ours.stats.totalScore}: time ratio ${f.lsa.ours.timeRatio.toFixed(3)}, score ratio ${f.lsa.ours.scoreRatio.toFixed(6)}`,
    `  ours, no candidate cap: ${ms(oursNoCapMs)} end to end, score ${oursNoCap.stats.totalScore}: time ratio ${f.lsa.oursNoCandidateCap.timeRatio.toFixed(3)}, score ratio ${f.lsa.oursNoCandidateCap.scoreRatio.toFixed(6)}`,
    "",
    ...(f.live
      ? [
          `live, with the database (${f.live.database}): ${f.live.rows.residents} residents, ${f.live.rows.pieces} pieces, ${f.live.rows.windows} weekly windows written in ${f.live.insertMs} ms`,
          `  first run after start: ${f.live.firstRun.ms} ms to matching:updated (load ${f.live.firstRun.loadMs}, solve ${f.live.firstRun.solveMs} in the worker, apply ${f.live.firstRun.applyMs} ms; ${f.live.firstRun.proposals} proposals, ${f.live.firstRun.mode})`,
          `  main-loop lag during it: p50 ${ms(f.live.lagDuringFirstRunMs.p50)}, p99 ${ms(f.live.lagDuringFirstRunMs.p99)}, max ${ms(f.live.lagDuringFirstRunMs.max)}   goal p99 ≤ ${GOALS.lagP99Ms} ms  ${verdict(f.live.passLagFirstRun)}`,
          `  change (REST PUT availability) → matching:updated at a Socket.IO client, ${f.live.pushed.edits} edits: p50 ${ms(f.live.pushed.p50Ms)}, p95 ${ms(f.live.pushed.p95Ms)}, max ${ms(f.live.pushed.maxMs)}   goal p95 ≤ ${GOALS.pushedP95Ms} ms  ${verdict(f.live.passPushed)}`,
          `    per run p95: load ${ms(f.live.pushed.runLoadP95Ms)}, solve ${ms(f.live.pushed.runSolveP95Ms)}, apply ${ms(f.live.pushed.runApplyP95Ms)}`,
          `  main-loop lag during the edits: p50 ${ms(f.live.lagDuringEditsMs.p50)}, p99 ${ms(f.live.lagDuringEditsMs.p99)}, max ${ms(f.live.lagDuringEditsMs.max)}   goal p99 ≤ ${GOALS.lagP99Ms} ms  ${verdict(f.live.passLagEdits)}`,
        ]
      : ["live part skipped (--no-live)"]),
  ];
  console.log(lines.join("\n"));
}
// The live part's embedded PostgreSQL (when the machine's was unreachable) stops here.
await runCleanups((message) => console.error(message));
