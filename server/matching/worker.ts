/**
 * The matching worker thread: everything heavy of a matching run happens here, off the main event
 * loop. Two kinds of request:
 * - `run` (the scheduler): a whole run for a workspace — read what changed from the database,
 *   re-solve, write the diff (runner.ts, with its own database connections); the main thread
 *   publishes the returned event.
 * - `solve` (tests, tools): a snapshot in, proposals out, keeping one MatchingSession per key so
 *   that later snapshots of the key are re-solved incrementally (snapshot-diff.ts).
 * Started by worker-client.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createPrisma } from "../db/client.ts";
import { MatchingSession } from "./engine.ts";
import { MatchingRunner, type RunOutcome } from "./runner.ts";
import type { SnapshotCacheOptions } from "./snapshot-cache.ts";
import { snapshotChanges } from "./snapshot-diff.ts";
import type { MatchingChange, MatchingSnapshot, Proposal } from "./types.ts";

/** Given at start by worker-client.ts; without a database URL only `solve` is served. */
export interface WorkerOptions {
  databaseUrl?: string;
  cache?: SnapshotCacheOptions;
}

export interface SolveRequest {
  type: "solve";
  id: number;
  /** Key of the kept session; omitted → a one-off full solve. */
  workspaceId?: string;
  now: number;
  snapshot: MatchingSnapshot;
}

export interface RunRequest {
  type: "run";
  id: number;
  workspaceId: string;
  now: number;
  mayApplyStale: boolean;
}

export type WorkerRequest = SolveRequest | RunRequest | { type: "close"; id: number };

export interface WorkerSolveStats {
  mode: "full" | "incremental";
  proposals: number;
  residents: number;
  shifts: number;
  /** Full solves only. */
  openSeats?: number;
  filledSeats: number;
  /** Full solves only. */
  candidatePairs?: number;
  kept: number;
  totalScore: number;
  /** Incremental runs: pieces and residents of the re-solved region. */
  regionShifts?: number;
  regionResidents?: number;
}

export type WorkerResponse =
  | { id: number; ok: true; proposals: Proposal[]; stats: WorkerSolveStats; durationMs: number }
  | { id: number; ok: true; outcome: RunOutcome }
  | { id: number; ok: true; closed: true }
  | { id: number; ok: false; error: string };

type Answer = { proposals: Proposal[]; stats: WorkerSolveStats };

const sessions = new Map<string, { session: MatchingSession; snapshot: MatchingSnapshot; now: number }>();

function full(request: SolveRequest, snapshot: MatchingSnapshot): Answer {
  const session = new MatchingSession(snapshot, request.now);
  if (request.workspaceId) sessions.set(request.workspaceId, { session, snapshot, now: request.now });
  const s = session.result.stats;
  return {
    proposals: session.result.proposals,
    stats: {
      mode: "full",
      proposals: s.proposals,
      residents: s.residents,
      shifts: s.shifts,
      openSeats: s.openSeats,
      filledSeats: s.filledSeats,
      candidatePairs: s.candidatePairs,
      kept: s.kept,
      totalScore: s.totalScore,
    },
  };
}

function incremental(request: SolveRequest, changes: MatchingChange[]): Answer | null {
  const kept = sessions.get(request.workspaceId!)!;
  try {
    const { stats } = kept.session.apply(changes, request.now);
    kept.snapshot = request.snapshot;
    kept.now = request.now;
    const proposals = kept.session.proposals();
    return {
      proposals,
      stats: {
        mode: stats.mode,
        proposals: stats.proposals,
        residents: request.snapshot.residents.length,
        shifts: request.snapshot.shifts.length,
        filledSeats: proposals.length,
        kept: proposals.length - stats.added,
        totalScore: stats.totalScore,
        regionShifts: stats.regionShifts,
        regionResidents: stats.regionResidents,
      },
    };
  } catch {
    sessions.delete(request.workspaceId!);
    return null;
  }
}

function solve(request: SolveRequest): Answer {
  const kept = request.workspaceId ? sessions.get(request.workspaceId) : undefined;
  if (kept && request.now >= kept.now) {
    const changes = snapshotChanges(kept.snapshot, request.snapshot);
    if (changes !== null) {
      const done = incremental(request, changes);
      if (done) return done;
    }
  }
  return full(request, request.snapshot);
}

const options = (workerData ?? {}) as WorkerOptions;
const prisma = options.databaseUrl ? createPrisma(options.databaseUrl, { max: 2 }) : null;
const runner = prisma ? new MatchingRunner(prisma, options.cache) : null;

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  const started = performance.now();
  try {
    if (request.type === "close") {
      await prisma?.$disconnect();
      return { id: request.id, ok: true, closed: true };
    }
    if (request.type === "run") {
      if (!runner) throw new Error("the matching worker was started without a database");
      return { id: request.id, ok: true, outcome: await runner.run(request.workspaceId, request.now, { mayApplyStale: request.mayApplyStale }) };
    }
    const answer = solve(request);
    return { id: request.id, ok: true, ...answer, durationMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    if (request.type === "solve" && request.workspaceId) sessions.delete(request.workspaceId);
    return { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

parentPort?.on("message", (request: WorkerRequest) => {
  void handle(request).then((response) => parentPort!.postMessage(response));
});
