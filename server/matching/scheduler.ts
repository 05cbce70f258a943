import pg from "pg";
import type { DomainEvent } from "../../app/lib/realtime/events.ts";
import type { PrismaClient } from "../db/client.ts";
import type { DomainEventBus } from "../events/bus.ts";
import type { Logger } from "../logger.ts";
import { DirtyTracker } from "./apply-diff.ts";
import { MATCHING_RUN_KIND, type MatchingRunSummary } from "./runner.ts";
import type { SnapshotCacheOptions } from "./snapshot-cache.ts";
import { SolverWorker } from "./worker-client.ts";

export { MATCHING_RUN_KIND, type MatchingRunSummary };

/** Entities whose changes can change proposals. */
const TRIGGERS = new Set(["task", "shift", "availability", "resident", "consent", "match"]);

export interface MatchingSchedulerOptions extends SnapshotCacheOptions {
  /** A change to a workspace that has not run within `debounceMs` runs after this (leading edge). @default 5 */
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

interface Deps {
  prisma: PrismaClient;
  bus: DomainEventBus;
  logger: Logger;
  /** For the advisory lock's dedicated connection, and the worker's own connections. */
  databaseUrl: string;
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
 * Reruns matching when a workspace changes (docs/decisions/013, 018): debounced per workspace with
 * a max wait, one run per workspace at a time, and only by the instance holding the workspace's
 * advisory lock. The run itself — read, solve, write in one write-path transaction — happens in
 * the worker thread (runner.ts); this thread publishes its event.
 */
export class MatchingScheduler {
  private readonly tracker: DirtyTracker;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly lastSolvedVersion = new Map<string, number>();
  private readonly staleStreak = new Map<string, number>();
  private readonly retryMs: number;
  private readonly clock: () => number;
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  private readonly worker: SolverWorker;
  private lockClient: pg.Client | null = null;
  private lockClientReady: Promise<pg.Client> | null = null;
  /** Called after every run that wrote something (tests, the benchmark). */
  readonly listeners = new Set<(summary: MatchingRunSummary) => void>();

  constructor(
    private readonly deps: Deps,
    private readonly options: MatchingSchedulerOptions = {},
  ) {
    this.tracker = new DirtyTracker(options.debounceMs ?? 150, options.maxWaitMs ?? 1000, options.leadMs ?? 5);
    this.worker = new SolverWorker({
      databaseUrl: deps.databaseUrl,
      cache: { maxChanges: options.maxChanges, fullReloadEveryMs: options.fullReloadEveryMs },
    });
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
      const streak = this.staleStreak.get(workspaceId) ?? 0;
      const outcome = await this.worker.run(workspaceId, this.clock(), streak >= MAX_STALE_DISCARDS);
      if (outcome.kind === "stale") {
        this.staleStreak.set(workspaceId, streak + 1);
        throw new StaleSnapshotError(outcome.message);
      }
      this.staleStreak.set(workspaceId, 0);
      if (outcome.kind === "unchanged") {
        this.lastSolvedVersion.set(workspaceId, outcome.version);
        return null;
      }
      // The worker committed; the event goes out from here like every other write's.
      this.deps.bus.publish(outcome.event);
      this.lastSolvedVersion.set(workspaceId, outcome.summary.version);
      for (const listener of this.listeners) {
        try {
          listener(outcome.summary);
        } catch (error) {
          this.deps.logger.warn({ err: error }, "matching run listener failed");
        }
      }
      return outcome.summary;
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
