import { Worker } from "node:worker_threads";
import type { RunOutcome } from "./runner.ts";
import type { MatchingSnapshot, Proposal } from "./types.ts";
import type { WorkerOptions, WorkerRequest, WorkerResponse, WorkerSolveStats } from "./worker.ts";

export type { WorkerOptions, WorkerSolveStats };

export interface WorkerSolveResult {
  proposals: Proposal[];
  stats: WorkerSolveStats;
  /** Time spent solving in the worker. */
  durationMs: number;
}

type Ok = WorkerResponse & { ok: true };

/** Distributes Omit over a union (plain Omit would merge the request kinds). */
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/**
 * The main thread's handle on the matching worker thread (server/matching/worker.ts). Started
 * lazily; a crashed worker fails its pending requests and is started again on the next one (its
 * caches and sessions start over from the database).
 */
export class SolverWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: Ok) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerOptions = {}) {}

  /**
   * Solves `snapshot` at `now`. With a `sessionKey` the worker keeps a session for it and later
   * calls re-solve only what changed since the previous snapshot of that key.
   */
  async solve(snapshot: MatchingSnapshot, now: number, sessionKey?: string): Promise<WorkerSolveResult> {
    const response = await this.send({ type: "solve", workspaceId: sessionKey, snapshot, now });
    if (!("proposals" in response)) throw new Error("matching worker: no proposals in the answer");
    return { proposals: response.proposals, stats: response.stats, durationMs: response.durationMs };
  }

  /** A whole matching run of a workspace in the worker (runner.ts); needs `databaseUrl`. */
  async run(workspaceId: string, now: number, mayApplyStale: boolean): Promise<RunOutcome> {
    const response = await this.send({ type: "run", workspaceId, now, mayApplyStale });
    if (!("outcome" in response)) throw new Error("matching worker: no outcome in the answer");
    return response.outcome;
  }

  /** Lets the worker close its database connections, then stops it. */
  async close(): Promise<void> {
    if (this.closed) return;
    const worker = this.worker;
    if (worker) {
      await Promise.race([this.send({ type: "close" }).catch(() => undefined), new Promise((r) => setTimeout(r, 2_000))]);
    }
    this.closed = true;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll(new Error("matching worker closed"));
  }

  private send(request: WithoutId<WorkerRequest>): Promise<Ok> {
    if (this.closed) return Promise.reject(new Error("matching worker closed"));
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // A plain-JS entry registers tsx in the thread, so this works under `node --import tsx` and vitest.
    const worker = new Worker(new URL("./worker-entry.mjs", import.meta.url), { workerData: this.options });
    worker.unref();
    worker.on("message", (response: WorkerResponse) => {
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      if (response.ok) pending.resolve(response);
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
