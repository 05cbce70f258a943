import pg from "pg";
import type { DomainEvent } from "../../app/lib/realtime/events.ts";
import type { Prisma, PrismaClient } from "../db/client.ts";
import { writeInWorkspace } from "../domain/write-path.ts";
import type { DomainEventBus } from "../events/bus.ts";
import type { Logger } from "../logger.ts";
import { DirtyTracker, isEmptyPlan, planApply, planFromDiff, type ApplyPlan } from "./apply-diff.ts";
import { SnapshotCache, type Refreshed, type SnapshotCacheOptions } from "./snapshot-cache.ts";
import type { MatchingSnapshot, Proposal, ProposalDiff } from "./types.ts";
import { SolverWorker, type WorkerSolveResult, type WorkerSolveStats } from "./worker-client.ts";

/** `data.kind` of the domain event a matching run publishes; the socket layer sends it as `matching:updated`. */
export const MATCHING_RUN_KIND = "matching.run";

/** Entities whose changes can change proposals. */
const TRIGGERS = new Set(["task", "shift", "availability", "resident", "consent", "match"]);

export interface MatchingSchedulerOptions extends SnapshotCacheOptions {
  /** A change to a workspace that has not run within `debounceMs` runs after this (leading edge). @default 15 */
  leadMs?: number;
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
 * A run whose snapshot went stale (someone wrote meanwhile) is dropped and redone, but not forever:
 * under a steady stream of writes the third try is written anyway. That is safe — the plan only
 * touches rows that are still engine proposals, and the newer change has already queued a rerun.
 */
const MAX_STALE_DISCARDS = 2;

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
  private readonly cache: SnapshotCache;
  /** The worker's proposals equal the engine rows in the database (its diff can be applied as is). */
  private readonly inSync = new Map<string, boolean>();
  private readonly staleStreak = new Map<string, number>();
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
    this.tracker = new DirtyTracker(options.debounceMs ?? 150, options.maxWaitMs ?? 1000, options.leadMs ?? 15);
    this.cache = new SnapshotCache(deps.prisma, options);
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
    this.tracker.take(workspaceId, this.clock());
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
      return await this.runLocked(workspaceId);
    } catch (error) {
      this.inSync.set(workspaceId, false);
      if (error instanceof StaleSnapshotError) this.staleStreak.set(workspaceId, (this.staleStreak.get(workspaceId) ?? 0) + 1);
      else this.cache.invalidate(workspaceId);
      throw error;
    } finally {
      await this.unlock(workspaceId).catch(() => {});
    }
  }

  private async runLocked(workspaceId: string): Promise<MatchingRunSummary | null> {
    const started = performance.now();
    const now = this.clock();
    const loaded = await this.cache.refresh(workspaceId, now);
    const loadMs = performance.now() - started;
    const solved = await this.solve(workspaceId, loaded, now);
    const plan = solved.proposals ? planApply(loaded.proposals, solved.proposals) : planFromDiff(loaded.proposals, solved.diff!);
    if (isEmptyPlan(plan)) {
      this.inSync.set(workspaceId, true);
      this.staleStreak.set(workspaceId, 0);
      this.lastSolvedVersion.set(workspaceId, loaded.version);
      return null;
    }
    const applyStarted = performance.now();
    const mayApplyStale = (this.staleStreak.get(workspaceId) ?? 0) >= MAX_STALE_DISCARDS;
    let written: Written | null = null;
    const { value } = await writeInWorkspace(this.deps, workspaceId, null, async (tx, version) => {
      // Anything committed since the snapshot was read (a card moved, availability changed) makes
      // this run stale: drop it; that change's event has marked the workspace dirty again.
      if (version !== loaded.version + 1 && !mayApplyStale) throw new StaleSnapshotError(`workspace moved from ${loaded.version} to ${version - 1}`);
      written = await applyPlan(tx, workspaceId, plan);
      const matchIds = {
        added: written.created.map((c) => c.id),
        removed: written.removed,
        updated: written.updated.map((u) => u.id),
      };
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
    const done = written as Written | null;
    if (done) {
      this.cache.noteRun(workspaceId, value.version, done);
      // Rows skipped because a coordinator took them meanwhile: the worker's view differs now.
      const complete = done.created.length === plan.create.length && done.removed.length === plan.remove.length && done.updated.length === plan.update.length;
      this.inSync.set(workspaceId, complete);
    }
    this.staleStreak.set(workspaceId, 0);
    this.lastSolvedVersion.set(workspaceId, value.version);
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        this.deps.logger.warn({ err: error }, "matching run listener failed");
      }
    }
    return value;
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
    this.cache.clear();
    await this.worker.close();
    const client = this.lockClient;
    this.lockClient = null;
    this.lockClientReady = null;
    if (client) await client.end().catch(() => {});
  }

  /** Solves a refreshed workspace: all proposals (full solves, or when out of sync) or the diff. */
  private async solve(
    workspaceId: string,
    loaded: Refreshed,
    now: number,
  ): Promise<{ proposals?: Proposal[]; diff?: ProposalDiff; stats: WorkerSolveStats; durationMs: number }> {
    if (this.deps.solver) {
      const snapshot = loaded.kind === "full" ? loaded.snapshot : this.cache.snapshot(workspaceId)!;
      return this.deps.solver(snapshot, now, workspaceId);
    }
    if (loaded.kind === "patch") {
      const result = await this.worker.solvePatch(loaded.patch, now, workspaceId, this.inSync.get(workspaceId) !== true);
      if (result.kind === "proposals") return result;
      if (result.kind === "diff") return result;
      // The worker has no session for this workspace (it restarted): send the whole snapshot.
    }
    const snapshot = loaded.kind === "full" ? loaded.snapshot : this.cache.snapshot(workspaceId)!;
    return this.worker.solve(snapshot, now, workspaceId);
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
interface Written {
  removed: string[];
  updated: Array<{ id: string; proposal: Proposal }>;
  created: Array<{ id: string; proposal: Proposal }>;
}

async function applyPlan(tx: Tx, workspaceId: string, plan: ApplyPlan): Promise<Written> {
  const written: Written = { removed: [], updated: [], created: [] };
  const stillEngine = { stage: "SUGGESTED" as const, pinned: false, source: "MATCHER" as const };
  if (plan.remove.length > 0) {
    const ids = plan.remove.map((r) => r.id);
    const doomed = await tx.match.findMany({ where: { id: { in: ids }, ...stillEngine }, select: { id: true } });
    const doomedIds = doomed.map((d) => d.id);
    if (doomedIds.length > 0) await tx.match.deleteMany({ where: { id: { in: doomedIds }, ...stillEngine } });
    written.removed.push(...doomedIds);
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
    if (count > 0) written.updated.push({ id: row.id, proposal });
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
      select: { id: true, residentId: true, shiftId: true },
    });
    if (created.length > 0) {
      await tx.matchEvent.createMany({ data: created.map((m) => ({ matchId: m.id, actorUserId: null, kind: "created" })) });
    }
    const byPair = new Map(plan.create.map((p) => [`${p.residentId}\u0000${p.shiftId}`, p]));
    for (const m of created) written.created.push({ id: m.id, proposal: byPair.get(`${m.residentId}\u0000${m.shiftId}`)! });
  }
  return written;
}
