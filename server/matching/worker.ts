/**
 * The matching worker thread: solves off the main event loop, keeping one MatchingSession per
 * workspace. The first run of a workspace is a full solve; later runs apply the changes between
 * the session's last snapshot and the new one (snapshot-diff.ts), re-solving only the region they
 * touch. Anything unexpected falls back to a full solve. Started by worker-client.ts.
 */
import { parentPort } from "node:worker_threads";
import { MatchingSession } from "./engine.ts";
import { snapshotChanges } from "./snapshot-diff.ts";
import type { MatchingSnapshot, Proposal } from "./types.ts";

export interface SolveRequest {
  id: number;
  /** Key of the kept session; omitted → a one-off full solve. */
  workspaceId?: string;
  snapshot: MatchingSnapshot;
  now: number;
}

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

export type SolveResponse =
  | { id: number; ok: true; proposals: Proposal[]; stats: WorkerSolveStats; durationMs: number }
  | { id: number; ok: false; error: string };

const sessions = new Map<string, { session: MatchingSession; snapshot: MatchingSnapshot; now: number }>();

function full(request: SolveRequest): { proposals: Proposal[]; stats: WorkerSolveStats } {
  const session = new MatchingSession(request.snapshot, request.now);
  if (request.workspaceId) sessions.set(request.workspaceId, { session, snapshot: request.snapshot, now: request.now });
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

function incremental(request: SolveRequest): { proposals: Proposal[]; stats: WorkerSolveStats } | null {
  const kept = request.workspaceId ? sessions.get(request.workspaceId) : undefined;
  if (!kept || request.now < kept.now) return null;
  const changes = snapshotChanges(kept.snapshot, request.snapshot);
  if (changes === null) return null;
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

parentPort?.on("message", (request: SolveRequest) => {
  const started = performance.now();
  let response: SolveResponse;
  try {
    const answer = incremental(request) ?? full(request);
    response = { id: request.id, ok: true, ...answer, durationMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    if (request.workspaceId) sessions.delete(request.workspaceId);
    response = { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(response);
});
