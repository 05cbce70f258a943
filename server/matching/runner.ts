import { randomUUID } from "node:crypto";
import type { DomainEvent } from "../../app/lib/realtime/events.ts";
import type { Prisma, PrismaClient } from "../db/client.ts";
import { writeInWorkspace } from "../domain/write-path.ts";
import type { DomainEventBus } from "../events/bus.ts";
import { isEmptyPlan, planApply, planFromDiff, type ApplyPlan } from "./apply-diff.ts";
import { MatchingSession } from "./engine.ts";
import { SnapshotCache, type Refreshed, type SnapshotCacheOptions } from "./snapshot-cache.ts";
import { snapshotChanges } from "./snapshot-diff.ts";
import { applySnapshotPatch } from "./snapshot-patch.ts";
import type { MatchingSnapshot, Proposal } from "./types.ts";

/** `data.kind` of the domain event a matching run publishes; the socket layer sends it as `matching:updated`. */
export const MATCHING_RUN_KIND = "matching.run";

export interface RunStats {
  mode: "full" | "incremental";
  proposals: number;
  residents: number;
  shifts: number;
  filledSeats: number;
  kept: number;
  totalScore: number;
  /** Full solves only. */
  openSeats?: number;
  candidatePairs?: number;
  /** Incremental runs: pieces and residents of the re-solved region. */
  regionShifts?: number;
  regionResidents?: number;
  /** The whole run, and its parts: reading the database, solving, writing. */
  durationMs: number;
  loadMs: number;
  solveMs: number;
  applyMs: number;
  /** Read everything ("full") or only what the change feed named ("patch"). */
  read: "full" | "patch";
}

export interface MatchingRunSummary {
  workspaceId: string;
  version: number;
  added: number;
  removed: number;
  rescored: number;
  matchIds: { added: string[]; removed: string[]; updated: string[] };
  stats: RunStats;
  ranAt: string;
}

export type RunOutcome =
  /** Written and committed; `event` is for the main thread's bus (published after commit). */
  | { kind: "written"; summary: MatchingRunSummary; event: DomainEvent }
  | { kind: "unchanged"; version: number }
  /** Someone wrote between the read and the write: nothing was written. */
  | { kind: "stale"; message: string };

class StaleSnapshotError extends Error {}

/** A first run writes thousands of rows in one transaction; Prisma's default is 5 s. */
const RUN_TRANSACTION_TIMEOUT_MS = 60_000;

interface KeptSession {
  session: MatchingSession;
  snapshot: MatchingSnapshot;
  now: number;
}

/**
 * One workspace's matching run, start to end: bring the snapshot cache up to date, re-solve what
 * changed, plan the database operations against the engine rows, and write them through the one
 * write path (docs/decisions/013, 018). It runs in the matching worker thread (worker.ts), so
 * that reading thousands of rows, solving and writing never block the main event loop; the main
 * thread publishes the returned event. Not thread-aware itself: tests can run it in process.
 */
export class MatchingRunner {
  private readonly cache: SnapshotCache;
  private readonly sessions = new Map<string, KeptSession>();
  /** The session's proposals equal the engine rows in the database (its diff applies as is). */
  private readonly inSync = new Map<string, boolean>();

  constructor(
    private readonly prisma: PrismaClient,
    options: SnapshotCacheOptions = {},
  ) {
    this.cache = new SnapshotCache(prisma, options);
  }

  /**
   * `mayApplyStale`: write even if someone wrote after the read (the plan only touches rows that
   * are still engine proposals; the newer change has queued the next run). Keeps a run from
   * starving under a steady stream of writes.
   */
  async run(workspaceId: string, now: number, options: { mayApplyStale?: boolean } = {}): Promise<RunOutcome> {
    try {
      return await this.runUnguarded(workspaceId, now, options.mayApplyStale === true);
    } catch (error) {
      this.inSync.set(workspaceId, false);
      if (error instanceof StaleSnapshotError) return { kind: "stale", message: error.message };
      // Unknown state: start this workspace over from the database.
      this.cache.invalidate(workspaceId);
      this.sessions.delete(workspaceId);
      throw error;
    }
  }

  private async runUnguarded(workspaceId: string, now: number, mayApplyStale: boolean): Promise<RunOutcome> {
    const started = performance.now();
    const loaded = await this.cache.refresh(workspaceId, now);
    const loadMs = performance.now() - started;
    const solveStarted = performance.now();
    const solved = this.solve(workspaceId, loaded, now);
    const solveMs = performance.now() - solveStarted;
    if (isEmptyPlan(solved.plan)) {
      this.inSync.set(workspaceId, true);
      return { kind: "unchanged", version: loaded.version };
    }

    const applyStarted = performance.now();
    let event: DomainEvent | null = null;
    const capture = { publish: (e: DomainEvent) => (event = e) } as unknown as DomainEventBus;
    let written: Written | null = null;
    const { value } = await writeInWorkspace({ prisma: this.prisma, bus: capture }, workspaceId, null, async (tx, version) => {
      if (version !== loaded.version + 1 && !mayApplyStale) throw new StaleSnapshotError(`workspace moved from ${loaded.version} to ${version - 1}`);
      written = await applyPlan(tx, workspaceId, solved.plan);
      const summary: MatchingRunSummary = {
        workspaceId,
        version,
        added: written.created.length,
        removed: written.removed.length,
        rescored: written.updated.length,
        matchIds: { added: written.created.map((c) => c.id), removed: written.removed, updated: written.updated.map((u) => u.id) },
        stats: {
          ...solved.stats,
          read: loaded.kind,
          durationMs: 0,
          loadMs: round(loadMs),
          solveMs: round(solveMs),
          applyMs: 0,
        },
        ranAt: new Date(now).toISOString(),
      };
      summary.stats.applyMs = round(performance.now() - applyStarted);
      summary.stats.durationMs = round(performance.now() - started);
      return { result: summary, entity: "match", entityId: workspaceId, verb: "updated", data: { kind: MATCHING_RUN_KIND, summary } };
    }, { timeoutMs: RUN_TRANSACTION_TIMEOUT_MS });
    const done = written as Written | null;
    if (done) {
      this.cache.noteRun(workspaceId, value.version, done);
      // Rows skipped because a coordinator took them meanwhile: the session's view differs now.
      const plan = solved.plan;
      this.inSync.set(
        workspaceId,
        done.created.length === plan.create.length && done.removed.length === plan.remove.length && done.updated.length === plan.update.length,
      );
    }
    return { kind: "written", summary: value, event: event! };
  }

  /** Re-solves in the kept session where possible; plans against the engine rows. */
  private solve(workspaceId: string, loaded: Refreshed, now: number): { plan: ApplyPlan; stats: Omit<RunStats, "read" | "durationMs" | "loadMs" | "solveMs" | "applyMs"> } {
    const kept = this.sessions.get(workspaceId);
    const usable = kept && now >= kept.now;
    const inSync = this.inSync.get(workspaceId) === true;
    if (usable) {
      const next = loaded.kind === "patch" ? applySnapshotPatch(kept.snapshot, loaded.patch) : null;
      const snapshot = next ? next.snapshot : (loaded as Extract<Refreshed, { kind: "full" }>).snapshot;
      const changes = next ? next.changes : snapshotChanges(kept.snapshot, snapshot);
      if (changes !== null) {
        try {
          const { diff, stats } = kept.session.apply(changes, now);
          kept.snapshot = snapshot;
          kept.now = now;
          // A diff only applies to rows that equal the session's previous proposals; listing all
          // of them (thousands, sorted) is only needed when they may not.
          const useDiff = inSync && loaded.kind === "patch";
          const plan = useDiff ? planFromDiff(loaded.proposals, diff) : planApply(loaded.proposals, kept.session.proposals());
          return {
            plan,
            stats: {
              mode: stats.mode,
              proposals: stats.proposals,
              residents: snapshot.residents.length,
              shifts: snapshot.shifts.length,
              filledSeats: stats.proposals,
              kept: stats.proposals - stats.added,
              totalScore: stats.totalScore,
              regionShifts: stats.regionShifts,
              regionResidents: stats.regionResidents,
            },
          };
        } catch {
          this.sessions.delete(workspaceId); // fall through to a full solve
        }
      }
    }
    const snapshot = loaded.kind === "full" ? loaded.snapshot : this.cache.snapshot(workspaceId)!;
    const session = new MatchingSession(snapshot, now);
    this.sessions.set(workspaceId, { session, snapshot, now });
    const s = session.result.stats;
    return {
      plan: planApply(loaded.proposals, session.result.proposals),
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
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

interface Written {
  removed: string[];
  updated: Array<{ id: string; proposal: Proposal }>;
  created: Array<{ id: string; proposal: Proposal }>;
}

/** Rows per statement when writing a plan: bounded statements, and the thread breathes between them. */
const BATCH = 1000;

/**
 * Writes a plan inside the run's transaction. Removals and updates touch only rows that are still
 * engine proposals (SUGGESTED, not pinned, MATCHER): a card a coordinator moved is skipped.
 */
async function applyPlan(tx: Tx, workspaceId: string, plan: ApplyPlan): Promise<Written> {
  const written: Written = { removed: [], updated: [], created: [] };
  const stillEngine = { stage: "SUGGESTED" as const, pinned: false, source: "MATCHER" as const };
  for (let i = 0; i < plan.remove.length; i += BATCH) {
    const ids = plan.remove.slice(i, i + BATCH).map((r) => r.id);
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
  const byPair = new Map(plan.create.map((p) => [`${p.residentId}\u0000${p.shiftId}`, p]));
  for (let i = 0; i < plan.create.length; i += BATCH) {
    const batch = plan.create.slice(i, i + BATCH);
    const ids = batch.map(() => `m${randomUUID().replaceAll("-", "")}`);
    // One statement per batch: Prisma's createManyAndReturn took ~0.5 ms per row here (5 s for a
    // first run of 9,000 proposals). A pair a coordinator added meanwhile keeps its row.
    const created = await tx.$queryRawUnsafe<Array<{ id: string; residentId: string; shiftId: string }>>(
      `INSERT INTO "Match" (id, "workspaceId", "shiftId", "residentId", stage, source, score, "scoreBreakdown", "explanationJa", "explanationEn", "updatedAt")
       SELECT t.id, $1, t.shift, t.resident, 'SUGGESTED', 'MATCHER', t.score, t.breakdown::jsonb, t.ja, t.en, now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::text[]) AS t(id, shift, resident, score, breakdown, ja, en)
       ON CONFLICT ("shiftId", "residentId") DO NOTHING
       RETURNING id, "residentId", "shiftId"`,
      workspaceId,
      ids,
      batch.map((p) => p.shiftId),
      batch.map((p) => p.residentId),
      batch.map((p) => p.score),
      batch.map((p) => JSON.stringify(p.breakdown)),
      batch.map((p) => p.explanationJa),
      batch.map((p) => p.explanationEn),
    );
    if (created.length > 0) {
      await tx.$executeRawUnsafe(
        `INSERT INTO "MatchEvent" (id, "matchId", kind) SELECT 'e' || substr(t.match, 2), t.match, 'created' FROM unnest($1::text[]) AS t(match)`,
        created.map((m) => m.id),
      );
    }
    for (const m of created) written.created.push({ id: m.id, proposal: byPair.get(`${m.residentId}\u0000${m.shiftId}`)! });
  }
  return written;
}
