import { Worker } from "node:worker_threads";
import type { SnapshotPatch } from "./snapshot-patch.ts";
import type { MatchingSnapshot, Proposal, ProposalDiff } from "./types.ts";
import type { SolveRequest, SolveResponse, WorkerSolveStats } from "./worker.ts";

export type { WorkerSolveStats };

export interface WorkerSolveResult {
  proposals: Proposal[];
  stats: WorkerSolveStats;
  /** Time spent solving in the worker. */
  durationMs: number;
}

/** What a patch run answers: all proposals (full solves, or when asked) or the diff. */
export type WorkerPatchResult =
  | { kind: "proposals"; proposals: Proposal[]; stats: WorkerSolveStats; durationMs: number }
  | { kind: "diff"; diff: ProposalDiff; stats: WorkerSolveStats; durationMs: number }
  | { kind: "need-snapshot" };

type Pending = { resolve: (r: SolveResponse & { ok: true }) => void; reject: (e: Error) => void; needSnapshot: () => void };

/**
 * The main thread's handle on the matching worker thread (server/matching/worker.ts): solves off
 * the event loop. Started lazily; a crashed worker fails its pending solves and is started again
 * on the next one.
 */
export class SolverWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /**
   * Solves `snapshot` at `now`. With a `sessionKey` the worker keeps a session for it and later
   * calls re-solve only what changed since the previous snapshot of that key.
   */
  async solve(snapshot: MatchingSnapshot, now: number, sessionKey?: string): Promise<WorkerSolveResult> {
    const response = await this.send({ id: 0, workspaceId: sessionKey, snapshot, now, wantProposals: true });
    if (response === "need-snapshot" || !response.proposals) throw new Error("matching worker: no proposals in the answer");
    return { proposals: response.proposals, stats: response.stats, durationMs: response.durationMs };
  }

  /**
   * Applies a patch to the session of `sessionKey` and re-solves what it touches. Answers
   * `need-snapshot` when the worker has no session for the key (a new or restarted worker).
   */
  async solvePatch(patch: SnapshotPatch, now: number, sessionKey: string, wantProposals: boolean): Promise<WorkerPatchResult> {
    const response = await this.send({ id: 0, workspaceId: sessionKey, patch, now, wantProposals });
    if (response === "need-snapshot") return { kind: "need-snapshot" };
    if (response.proposals) return { kind: "proposals", proposals: response.proposals, stats: response.stats, durationMs: response.durationMs };
    return { kind: "diff", diff: response.diff!, stats: response.stats, durationMs: response.durationMs };
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll(new Error("matching worker closed"));
  }

  private send(request: SolveRequest): Promise<(SolveResponse & { ok: true }) | "need-snapshot"> {
    if (this.closed) return Promise.reject(new Error("matching worker closed"));
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, needSnapshot: () => resolve("need-snapshot") });
      worker.postMessage({ ...request, id });
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // A plain-JS entry registers tsx in the thread, so this works under `node --import tsx` and vitest.
    const worker = new Worker(new URL("./worker-entry.mjs", import.meta.url));
    worker.unref();
    worker.on("message", (response: SolveResponse) => {
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      if (response.ok) pending.resolve(response);
      else if (response.needSnapshot) pending.needSnapshot();
      else pending.reject(new Error(`matching worker: ${response.error}`));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(error);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`matching worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error) {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
