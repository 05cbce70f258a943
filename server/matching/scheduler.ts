import pg from "pg";
import type { DomainEvent } from "../../app/lib/realtime/events.ts";
import type { Prisma, PrismaClient } from "../db/client.ts";
import { writeInWorkspace } from "../domain/write-path.ts";
import type { DomainEventBus } from "../events/bus.ts";
import type { Logger } from "../logger.ts";
import { DirtyTracker, isEmptyPlan, planApply, type ApplyPlan } from "./apply-diff.ts";
import { loadSnapshot } from "./snapshot-loader.ts";
import type { MatchingSnapshot } from "./types.ts";
import { SolverWorker, type WorkerSolveResult, type WorkerSolveStats } from "./worker-client.ts";

/** `data.kind` of the domain event a matching run publishes; the socket layer sends it as `matching:updated`. */
export const MATCHING_RUN_KIND = "matching.run";

/** Entities whose changes can change proposals. */
const TRIGGERS = new Set(["task", "shift", "availability", "resident", "consent", "match"]);

export interface MatchingSchedulerOptions {
  /** @default 150 */
  debounceMs?: number;
  /** @default 1000 */
  maxWaitMs?: number;
  /** After a solver or database error. @default 5000 */
  retryMs?: number;
  /** Rerun every workspace once at start (changes made while no instance ran). @default true */
  rerunAtStart?: boolean;
}

export interface MatchingRunSummary {
  workspaceId: string;
  version: number;
  added: number;
  removed: number;
  rescored: number;
  matchIds: { added: string[]; removed: string[]; updated: string[] };
  stats: WorkerSolveStats & {
    durationMs: number;
    solveMs: number;
    loadMs: number;
    applyMs: number;
  };
  ranAt: string;
}

interface Deps {
  prisma: PrismaClient;
  bus: DomainEventBus;
  logger: Logger;
  /** For the advisory lock's dedicated connection. */
  databaseUrl: string;
  /** Tests may replace the worker. */
  solver?: (snapshot: MatchingSnapshot, now: number, workspaceId: string) => Promise<WorkerSolveResult>;
  clock?: () => number;
}

class StaleSnapshotError extends Error {}

/**
 * Reruns matching when a workspace changes (docs/decisions/013): debounced per workspace with a
 * max wait, one run per workspace at a time, solved in a worker thread, applied in one write-path
 * transaction, and only by the instance holding the workspace's advisory lock.
 */
export class MatchingScheduler {
  private readonly tracker: DirtyTracker;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly lastSolvedVersion = new Map<string, number>();
  private readonly retryMs: number;
  private readonly clock: () => number;
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  private readonly worker = new SolverWorker();
  private lockClient: pg.Client | null = null;
  private lockClientReady: Promise<pg.Client> | null = null;
  /** Called after every run that wrote something (tests, the benchmark). */
  readonly listeners = new Set<(summary: MatchingRunSummary) => void>();

  constructor(
    private readonly deps: Deps,
    private readonly options: MatchingSchedulerOptions = {},
  ) {
    this.tracker = new DirtyTracker(options.debounceMs ?? 150, options.maxWaitMs ?? 1000);
    this.retryMs = options.retryMs ?? 5000;
    this.clock = deps.clock ?? Date.now;
  }

  async start(): Promise<void> {
    this.unsubscribe = this.deps.bus.subscribe((event) => this.onEvent(event));
    if (this.options.rerunAtStart ?? true) {
      const workspaces = await this.deps.prisma.workspace.findMany({ select: { id: true } });
      for (const w of workspaces) this.markDirty(w.id);
    }
  }

  onEvent(event: DomainEvent): void {
    if (!TRIGGERS.has(event.entity)) return;
    if (event.data?.kind === MATCHING_RUN_KIND) return; // our own run
    this.markDirty(event.workspaceId);
  }

  markDirty(workspaceId: string, delayMs?: number): void {
    if (this.closed) return;
    const now = this.clock();
    const deadline = this.tracker.mark(workspaceId, now, delayMs === undefined ? undefined : now + delayMs);
    // During a run the timer is armed when it ends.
    if (!this.running.has(workspaceId)) this.arm(workspaceId, deadline);
  }

  private arm(workspaceId: string, deadline: number): void {
    const existing = this.timers.get(workspaceId);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(workspaceId);
      this.fire(workspaceId);
    }, Math.max(0, deadline - this.clock()));
    timer.unref();
    this.timers.set(workspaceId, timer);
  }

  private fire(workspaceId: string): void {
    if (this.closed) return;
    // One run per workspace at a time: a change during a run is picked up when it ends.
    if (this.running.has(workspaceId)) return;
    this.tracker.take(workspaceId);
    const run = this.runOnce(workspaceId)
      .then(() => undefined)
      .catch((error) => {
        if (error instanceof StaleSnapshotError) {
          this.markDirty(workspaceId);
          return;
        }
        this.deps.logger.error({ err: error, workspaceId }, "matching run failed; retrying later");
        this.markDirty(workspaceId, this.retryMs);
      })
      .finally(() => {
        this.running.delete(workspaceId);
        const deadline = this.tracker.deadline(workspaceId);
        if (deadline !== undefined && !this.closed) this.arm(workspaceId, deadline);
      });
    this.running.set(workspaceId, run);
  }

  /** Loads, solves and applies one workspace now (tests call it directly). Returns null when nothing was written. */
  async runOnce(workspaceId: string): Promise<MatchingRunSummary | null> {
    const lock = await this.tryLock(workspaceId);
    if (!lock) {
      // Another instance is solving this workspace; our change may be newer than its snapshot.
      this.markDirty(workspaceId, this.tracker.maxWaitMs);
      return null;
    }
    try {
      const started = performance.now();
      const now = this.clock();
      const loaded = await loadSnapshot(this.deps.prisma, workspaceId, now);
      const loadMs = performance.now() - started;
      const solved = await this.solve(loaded.snapshot, now, workspaceId);
      const plan = planApply(loaded.proposals, solved.proposals);
      if (isEmptyPlan(plan)) {
        this.lastSolvedVersion.set(workspaceId, loaded.version);
        return null;
      }
      const applyStarted = performance.now();
      const { value } = await writeInWorkspace(this.deps, workspaceId, null, async (tx, version) => {
        // Anything committed since the snapshot was read (a card moved, availability changed) makes
        // this run stale: drop it; that change's event has marked the workspace dirty again.
        if (version !== loaded.version + 1) throw new StaleSnapshotError(`workspace moved from ${loaded.version} to ${version - 1}`);
        const matchIds = await applyPlan(tx, workspaceId, plan);
        const summary: MatchingRunSummary = {
          workspaceId,
          version,
          added: matchIds.added.length,
          removed: matchIds.removed.length,
          rescored: matchIds.updated.length,
          matchIds,
          stats: {
            ...solved.stats,
            durationMs: 0,
            solveMs: solved.durationMs,
            loadMs: round(loadMs),
            applyMs: 0,
          },
          ranAt: new Date(now).toISOString(),
        };
        summary.stats.applyMs = round(performance.now() - applyStarted);
        summary.stats.durationMs = round(performance.now() - started);
        return { result: summary, entity: "match", entityId: workspaceId, verb: "updated", data: { kind: MATCHING_RUN_KIND, summary } };
      });
      this.lastSolvedVersion.set(workspaceId, value.version);
      for (const listener of this.listeners) {
        try {
          listener(value);
        } catch (error) {
          this.deps.logger.warn({ err: error }, "matching run listener failed");
        }
      }
      return value;
    } finally {
      await this.unlock(workspaceId).catch(() => {});
    }
  }

  /** The version of the last run of a workspace (in memory). */
  solvedVersion(workspaceId: string): number | undefined {
    return this.lastSolvedVersion.get(workspaceId);
  }

  /** Waits until no run is going and none is pending (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      await Promise.allSettled([...this.running.values()]);
      if (this.running.size === 0 && this.timers.size > 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Cancels pending runs, waits for a running one, stops the worker and the lock connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.tracker.clear();
    await Promise.allSettled([...this.running.values()]);
    await this.worker.close();
    const client = this.lockClient;
    this.lockClient = null;
    this.lockClientReady = null;
    if (client) await client.end().catch(() => {});
  }

  private solve(snapshot: MatchingSnapshot, now: number, workspaceId: string) {
    return this.deps.solver ? this.deps.solver(snapshot, now, workspaceId) : this.worker.solve(snapshot, now, workspaceId);
  }

  // ───────────── Advisory lock (one solver per workspace across instances) ─────────────

  private async lockConnection(): Promise<pg.Client> {
    if (this.lockClient) return this.lockClient;
    this.lockClientReady ??= (async () => {
      const client = new pg.Client({ connectionString: this.deps.databaseUrl });
      client.on("error", (error) => {
        this.deps.logger.warn({ err: error }, "matching lock connection lost");
        if (this.lockClient === client) {
          this.lockClient = null;
          this.lockClientReady = null;
        }
      });
      try {
        await client.connect();
      } catch (error) {
        this.lockClientReady = null;
        throw error;
      }
      this.lockClient = client;
      return client;
    })();
    return this.lockClientReady;
  }

  /** Queries on the lock connection run one after the other. */
  private lockQueue: Promise<unknown> = Promise.resolve();

  private lockQuery(sql: string, workspaceId: string): Promise<boolean> {
    const next = this.lockQueue.then(async () => {
      const client = await this.lockConnection();
      const { rows } = await client.query<{ ok: boolean }>(sql, [workspaceId]);
      return rows[0]?.ok === true;
    });
    this.lockQueue = next.catch(() => {});
    return next;
  }

  private tryLock(workspaceId: string): Promise<boolean> {
    return this.lockQuery("select pg_try_advisory_lock(hashtext('tsunagu:matching'), hashtext($1)) as ok", workspaceId);
  }

  private async unlock(workspaceId: string): Promise<void> {
    if (!this.lockClient) return;
    await this.lockQuery("select pg_advisory_unlock(hashtext('tsunagu:matching'), hashtext($1)) as ok", workspaceId);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Writes a plan inside the run's transaction. Removals and updates touch only rows that are still
 * engine proposals (SUGGESTED, not pinned, MATCHER): a card a coordinator moved is skipped.
 */
async function applyPlan(tx: Tx, workspaceId: string, plan: ApplyPlan) {
  const matchIds = { added: [] as string[], removed: [] as string[], updated: [] as string[] };
  const stillEngine = { stage: "SUGGESTED" as const, pinned: false, source: "MATCHER" as const };
  if (plan.remove.length > 0) {
    const ids = plan.remove.map((r) => r.id);
    const doomed = await tx.match.findMany({ where: { id: { in: ids }, ...stillEngine }, select: { id: true } });
    const doomedIds = doomed.map((d) => d.id);
    if (doomedIds.length > 0) await tx.match.deleteMany({ where: { id: { in: doomedIds }, ...stillEngine } });
    matchIds.removed.push(...doomedIds);
  }
  for (const { row, proposal } of plan.update) {
    const { count } = await tx.match.updateMany({
      where: { id: row.id, ...stillEngine },
      data: {
        score: proposal.score,
        scoreBreakdown: proposal.breakdown as unknown as Prisma.InputJsonValue,
        explanationJa: proposal.explanationJa,
        explanationEn: proposal.explanationEn,
        version: { increment: 1 },
      },
    });
    if (count > 0) matchIds.updated.push(row.id);
  }
  if (plan.create.length > 0) {
    const created = await tx.match.createManyAndReturn({
      data: plan.create.map((p) => ({
        workspaceId,
        shiftId: p.shiftId,
        residentId: p.residentId,
        stage: "SUGGESTED" as const,
        source: "MATCHER" as const,
        score: p.score,
        scoreBreakdown: p.breakdown as unknown as Prisma.InputJsonValue,
        explanationJa: p.explanationJa,
        explanationEn: p.explanationEn,
      })),
      // A pair a coordinator added meanwhile keeps its row.
      skipDuplicates: true,
      select: { id: true },
    });
    if (created.length > 0) {
      await tx.matchEvent.createMany({ data: created.map((m) => ({ matchId: m.id, actorUserId: null, kind: "created" })) });
    }
    matchIds.added.push(...created.map((m) => m.id));
  }
  return matchIds;
}
