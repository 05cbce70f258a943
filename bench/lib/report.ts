/** Goals, the human table and the JSON object of `npm run bench:realtime`. */
import type { LoadResult } from "./load.ts";
import { round, roundSummary, type Summary } from "./stats.ts";
import type { TargetKind } from "./targets.ts";

/** The goals of issue 3 §5, for our server on this 2-core machine. */
export const GOALS = {
  editToAllP99Ms: 15,
  savedP99Ms: 50,
  /** ours p99 edit-to-all ÷ reference p99 edit-to-all */
  ratioToReference: 1.5,
} as const;

export interface TargetRun {
  /** "reference", "ours", or "reference#2" when a kind appears twice. */
  label: string;
  kind: TargetKind;
  error: string | null;
  load: LoadResult | null;
  /** rssIdle: after start-up, before the clients connect; peak: sampled in the measured window; end: after the drain. */
  server: { cpuPercent: number | null; rssIdleBytes: number | null; rssPeakBytes: number | null; rssEndBytes: number | null } | null;
  /** PostgreSQL backends of our server's database (ours only). */
  database: { cpuPercent: number | null } | null;
  /** Every process on the machine, in the same window (shows contention from elsewhere). */
  machineCpuPercent: number | null;
  loadAverage: { before: number[]; after: number[] };
  profile: string | null;
}

export interface Goal {
  goal: string;
  limit: number;
  actual: number | null;
  pass: boolean;
  note: string | null;
}

/** A run is correct when nothing was lost or duplicated and every client converged. */
export function correctness(run: TargetRun): { correct: boolean; problems: string[] } {
  if (run.error || !run.load) return { correct: false, problems: [run.error ?? "did not run"] };
  const { receipts, savedMessages, convergence, disconnects } = run.load;
  const problems: string[] = [];
  if (receipts.received !== receipts.expected || receipts.incompleteUpdates > 0) {
    problems.push(`${receipts.received} of ${receipts.expected} receipts (${receipts.incompleteUpdates} updates not received by every client)`);
  }
  if (receipts.duplicates > 0) problems.push(`${receipts.duplicates} duplicate receipts`);
  if (savedMessages && savedMessages.matched !== savedMessages.expected) {
    problems.push(`saved messages for ${savedMessages.matched} of ${savedMessages.expected} updates`);
  }
  if (savedMessages && savedMessages.refused > 0) problems.push(`${savedMessages.refused} updates refused`);
  if (!convergence.converged) problems.push(convergence.detail ?? "clients did not converge");
  if (disconnects.length > 0) {
    const codes = [...new Set(disconnects.map((d) => d.code))].join(", ");
    problems.push(`${disconnects.length} connections closed by the server during the run (codes ${codes})`);
  }
  return { correct: problems.length === 0, problems };
}

export function pickComparison(runs: TargetRun[]): { baseline: TargetRun | null; subject: TargetRun | null } {
  const baseline = runs.find((r) => r.kind === "reference") ?? null;
  const subject = runs.find((r) => r.kind === "ours") ?? runs.find((r) => r !== baseline) ?? null;
  return { baseline, subject };
}

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 ? a / b : null);

export function latencyRatios(subject: TargetRun | null, baseline: TargetRun | null) {
  const s = subject?.load;
  const b = baseline?.load;
  const of = (pick: (l: LoadResult) => Summary) => ({
    p50: round(ratio(s && pick(s).p50, b && pick(b).p50)),
    p99: round(ratio(s && pick(s).p99, b && pick(b).p99)),
    p999: round(ratio(s && pick(s).p999, b && pick(b).p999)),
  });
  return { editToAll: of((l) => l.editToAll), editToClient: of((l) => l.editToClient) };
}

export function evaluateGoals(runs: TargetRun[]): Goal[] {
  const ours = runs.find((r) => r.kind === "ours");
  const reference = runs.find((r) => r.kind === "reference");
  const oursOk = ours ? correctness(ours) : null;
  const notMeasured = !ours ? "our server was not part of this run" : ours.error ? "not measured: see Correctness" : null;
  const invalid = oursOk && !oursOk.correct && !notMeasured ? "the run was not correct: see Correctness" : null;
  const goal = (name: string, limit: number, actual: number | null, extra: string | null = null): Goal => ({
    goal: name,
    limit,
    actual: round(actual),
    pass: actual !== null && actual <= limit && !notMeasured && !invalid,
    note: notMeasured ?? invalid ?? extra,
  });
  const p99 = ours?.load?.editToAll.p99 ?? null;
  const savedP99 = ours?.load?.saved?.p99 ?? null;
  const savedNote = ours?.load?.saved && ours.load.saved.count === 0 ? "no saved message was received" : null;
  const refP99 = reference?.load?.editToAll.p99 ?? null;
  return [
    goal(`p99 edit-to-all ≤ ${GOALS.editToAllP99Ms} ms (ours, durable saves)`, GOALS.editToAllP99Ms, p99),
    goal(`p99 sender-to-saved ≤ ${GOALS.savedP99Ms} ms (ours)`, GOALS.savedP99Ms, savedP99, savedNote),
    goal(
      `p99 edit-to-all within ${GOALS.ratioToReference}× of the reference`,
      GOALS.ratioToReference,
      ratio(p99, refP99),
      !reference ? "the reference was not part of this run" : reference.error ? "the reference run failed" : null,
    ),
  ];
}

/** Above this share of one core used by processes outside the benchmark, the table warns. */
export const OTHER_CPU_WARNING = 25;

/** Machine CPU not used by the server, its database backends or the load generator (% of one core). */
export function otherCpu(run: TargetRun): number | null {
  if (run.machineCpuPercent == null || !run.load) return null;
  const ours = (run.server?.cpuPercent ?? 0) + (run.database?.cpuPercent ?? 0) + run.load.loadGenerator.cpuPercent;
  return Math.max(0, run.machineCpuPercent - ours);
}

const mb = (bytes: number | null | undefined) => (bytes == null ? null : round(bytes / 1048576, 1));

export function toJson(input: {
  config: Record<string, unknown>;
  environment: Record<string, unknown>;
  runs: TargetRun[];
}) {
  const { baseline, subject } = pickComparison(input.runs);
  const goals = evaluateGoals(input.runs);
  const runs = input.runs.map((run) => {
    const check = correctness(run);
    const load = run.load;
    return {
      label: run.label,
      kind: run.kind,
      error: run.error,
      correct: check.correct,
      problems: check.problems,
      latencyMs: load
        ? {
            editToAll: roundSummary(load.editToAll),
            editToClient: roundSummary(load.editToClient),
            senderToSaved: load.saved ? roundSummary(load.saved) : null,
          }
        : null,
      server: run.server
        ? {
            cpuPercentOfOneCore: round(run.server.cpuPercent, 1),
            rssIdleMB: mb(run.server.rssIdleBytes),
            rssPeakMB: mb(run.server.rssPeakBytes),
            rssEndMB: mb(run.server.rssEndBytes),
          }
        : null,
      databaseBackends: run.database ? { cpuPercentOfOneCore: round(run.database.cpuPercent, 1) } : null,
      machineCpuPercentOfOneCore: round(run.machineCpuPercent, 1),
      otherProcessesCpuPercentOfOneCore: round(otherCpu(run), 1),
      loadAverage: run.loadAverage,
      loadGenerator: load
        ? {
            cpuPercentOfOneCore: round(load.loadGenerator.cpuPercent, 1),
            eventLoopUtilization: round(load.loadGenerator.eventLoopUtilization, 3),
            eventLoopDelayP99Ms: round(load.loadGenerator.eventLoopDelayP99Ms),
            maxFrameQueueingMs: round(load.loadGenerator.maxQueueingMs),
          }
        : null,
      timelineEditToAll: load ? { columns: ["second", "p50Ms", "maxMs"], rows: load.timeline } : null,
      slowestUpdates: load
        ? load.slowest.map((u) => ({ atS: round(u.atS, 1), editToAllMs: round(u.editToAllMs), savedMs: round(u.savedMs) }))
        : null,
      wirePerSecond: load
        ? {
            framesFromClients: round(load.wire.framesSentPerS, 0),
            kBFromClients: round(load.wire.bytesSentPerS / 1024, 1),
            framesToClients: round(load.wire.framesReceivedPerS, 0),
            kBToClients: round(load.wire.bytesReceivedPerS / 1024, 1),
          }
        : null,
      counts: load
        ? {
            clients: load.clients,
            updatesSent: load.updatesSent,
            measuredUpdates: load.measuredUpdates,
            achievedRate: round(load.achievedRate),
            connectMs: load.connectMs,
            receipts: load.receipts,
            savedMessages: load.savedMessages,
            convergence: load.convergence,
            disconnects: load.disconnects.length,
          }
        : null,
      cpuProfile: run.profile,
    };
  });
  return {
    benchmark: "realtime",
    ...input.environment,
    config: input.config,
    runs,
    comparison: baseline && subject ? { subject: subject.label, baseline: baseline.label, ratios: latencyRatios(subject, baseline) } : null,
    goals,
    correct: input.runs.every((r) => correctness(r).correct),
  };
}

// ───────────── Human output ─────────────

const fmt = (value: number | null | undefined, digits = 1) => (value == null || !Number.isFinite(value) ? "–" : value.toFixed(digits));

export function toTable(input: { config: Record<string, unknown>; environment: Record<string, unknown>; runs: TargetRun[]; header: string[] }) {
  const { runs } = input;
  const { baseline, subject } = pickComparison(runs);
  const ratios = latencyRatios(subject, baseline);
  const showRatio = Boolean(baseline && subject && baseline !== subject);
  const ratioLabel = showRatio ? "ratio" : "";
  const labelWidth = 26;
  const colWidth = Math.max(11, ...runs.map((r) => r.label.length + 2));
  const lines: string[] = [...input.header, ""];
  const row = (label: string, values: string[], extra = "") =>
    lines.push(label.padEnd(labelWidth) + values.map((v) => v.padStart(colWidth)).join("") + (extra ? extra.padStart(colWidth + 2) : ""));
  row("", runs.map((r) => r.label), ratioLabel);
  if (showRatio) lines.push(`(ratio = ${subject?.label} / ${baseline?.label}, latency percentiles)`);

  const latencyRows = (title: string, pick: (l: LoadResult) => Summary | null, ratioOf?: { p50: number | null; p99: number | null; p999: number | null }) => {
    const rows: Array<[string, keyof Summary, number]> = [
      ["p50", "p50", 1],
      ["p99", "p99", 1],
      ["p99.9", "p999", 1],
      ["max", "max", 1],
      ["count", "count", 0],
    ];
    for (const [name, key, digits] of rows) {
      const values = runs.map((r) => {
        const summary = r.load ? pick(r.load) : null;
        return summary ? fmt(summary[key], digits) : "–";
      });
      const ratioValue = ratioOf && (key === "p50" || key === "p99" || key === "p999") ? ratioOf[key] : null;
      row(`${name === "p50" ? title : ""}`.padEnd(labelWidth - 7) + name.padStart(6), values, showRatio && ratioValue != null ? `${fmt(ratioValue, 2)}×` : "");
    }
  };
  latencyRows("edit-to-all ms", (l) => l.editToAll, ratios.editToAll);
  latencyRows("edit-to-client ms", (l) => l.editToClient, ratios.editToClient);
  if (runs.some((r) => r.load?.saved)) latencyRows("sender-to-saved ms", (l) => l.saved);
  row("server CPU % of 1 core", runs.map((r) => fmt(r.server?.cpuPercent)));
  row("server RSS idle MB", runs.map((r) => fmt(mb(r.server?.rssIdleBytes))));
  row("server RSS peak MB", runs.map((r) => fmt(mb(r.server?.rssPeakBytes))));
  row("server RSS end MB", runs.map((r) => fmt(mb(r.server?.rssEndBytes))));
  if (runs.some((r) => r.database)) row("db backends CPU %", runs.map((r) => (r.database ? fmt(r.database.cpuPercent) : "–")));
  row("load generator CPU %", runs.map((r) => fmt(r.load?.loadGenerator.cpuPercent)));
  row("whole machine CPU %", runs.map((r) => fmt(r.machineCpuPercent)));
  row("  of which other processes", runs.map((r) => fmt(otherCpu(r))));
  row("updates/s achieved", runs.map((r) => fmt(r.load?.achievedRate, 2)));
  row("frames/s to server", runs.map((r) => fmt(r.load?.wire.framesSentPerS, 0)));
  row("frames/s to clients", runs.map((r) => fmt(r.load?.wire.framesReceivedPerS, 0)));

  const busy = runs.filter((r) => (otherCpu(r) ?? 0) > OTHER_CPU_WARNING);
  if (busy.length > 0) {
    lines.push(
      "",
      `WARNING: other processes used more than ${OTHER_CPU_WARNING}% of a core during ${busy.map((r) => r.label).join(", ")}: ` +
        "those figures include contention from outside the benchmark; run again on a quiet machine.",
    );
  }
  lines.push("", "Goals");
  for (const goal of evaluateGoals(runs)) {
    const actual = goal.actual == null ? "–" : goal.goal.includes("within") ? `${fmt(goal.actual, 2)}×` : `${fmt(goal.actual, 1)} ms`;
    lines.push(`  ${goal.pass ? "PASS" : "MISS"}  ${goal.goal}: ${actual}${goal.note ? ` (${goal.note})` : ""}`);
  }
  lines.push("", "Correctness");
  for (const run of runs) {
    const check = correctness(run);
    const load = run.load;
    const detail =
      load && check.correct
        ? `${load.clients} clients converged on ${load.convergence.entries} entries; ${load.receipts.received} of ${load.receipts.expected} receipts` +
          (load.savedMessages ? `; saved for ${load.savedMessages.matched} of ${load.savedMessages.expected}` : "") +
          "; a late joiner got the same state"
        : check.problems.join("; ");
    lines.push(`  ${check.correct ? "OK  " : "FAIL"}  ${run.label}: ${detail}`);
    if (run.profile) lines.push(`        CPU profile: ${run.profile}`);
  }
  return lines.join("\n");
}
