/**
 * The matching worker thread: solves off the main event loop, keeping one MatchingSession per
 * workspace. The first run of a workspace is a full solve; later runs bring changes — a whole new
 * snapshot (diffed here, snapshot-diff.ts) or a patch of what changed (snapshot-patch.ts) — and
 * re-solve only the region they touch. Anything unexpected falls back to a full solve, or, for a
 * patch without a kept session, to asking the caller for the whole snapshot. Started by
 * worker-client.ts.
 */
import { parentPort } from "node:worker_threads";
import { MatchingSession } from "./engine.ts";
import { snapshotChanges } from "./snapshot-diff.ts";
import { applySnapshotPatch, type SnapshotPatch } from "./snapshot-patch.ts";
import type { MatchingChange, MatchingSnapshot, Proposal, ProposalDiff } from "./types.ts";

export type SolveRequest = {
  id: number;
  /** Key of the kept session; omitted → a one-off full solve. */
  workspaceId?: string;
  now: number;
  /**
   * Incremental runs answer with the diff against the session's previous proposals instead of
   * all of them, unless this is set (the caller lost track: its last result was not written).
   */
  wantProposals?: boolean;
} & ({ snapshot: MatchingSnapshot; patch?: undefined } | { patch: SnapshotPatch; snapshot?: undefined });

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
  | { id: number; ok: true; proposals?: Proposal[]; diff?: ProposalDiff; stats: WorkerSolveStats; durationMs: number }
  | { id: number; ok: false; needSnapshot?: boolean; error: string };

type Answer = { proposals?: Proposal[]; diff?: ProposalDiff; stats: WorkerSolveStats };

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

function incremental(request: SolveRequest, next: MatchingSnapshot, changes: MatchingChange[]): Answer | null {
  const kept = sessions.get(request.workspaceId!)!;
  try {
    const { stats, diff } = kept.session.apply(changes, request.now);
    kept.snapshot = next;
    kept.now = request.now;
    const proposals = kept.session.proposals();
    return {
      ...(request.wantProposals ? { proposals } : { diff }),
      stats: {
        mode: stats.mode,
        proposals: stats.proposals,
        residents: next.residents.length,
        shifts: next.shifts.length,
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

/** Null: a patch came for a workspace without a kept session; the caller must send the snapshot. */
function answer(request: SolveRequest): Answer | null {
  const kept = request.workspaceId ? sessions.get(request.workspaceId) : undefined;
  const usable = kept && request.now >= kept.now;
  if (request.patch) {
    if (!usable) return null;
    const { snapshot, changes } = applySnapshotPatch(kept.snapshot, request.patch);
    return incremental(request, snapshot, changes) ?? full(request, snapshot);
  }
  if (usable) {
    const changes = snapshotChanges(kept.snapshot, request.snapshot);
    if (changes !== null) {
      const done = incremental({ ...request, wantProposals: true }, request.snapshot, changes);
      if (done) return done;
    }
  }
  return full(request, request.snapshot);
}

parentPort?.on("message", (request: SolveRequest) => {
  const started = performance.now();
  let response: SolveResponse;
  try {
    const result = answer(request);
    response = result
      ? { id: request.id, ok: true, ...result, durationMs: Math.round((performance.now() - started) * 10) / 10 }
      : { id: request.id, ok: false, needSnapshot: true, error: "no kept session for this patch" };
  } catch (error) {
    if (request.workspaceId) sessions.delete(request.workspaceId);
    response = { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(response);
});
