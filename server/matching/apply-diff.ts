import type { MatchRowRef } from "./snapshot-loader.ts";
import type { Proposal, ProposalDiff } from "./types.ts";

/** What one run writes: rows to create, engine rows to delete, engine rows to rescore. */
export interface ApplyPlan {
  create: Proposal[];
  remove: MatchRowRef[];
  update: Array<{ row: MatchRowRef; proposal: Proposal }>;
}

const key = (p: { residentId: string; shiftId: string }) => `${p.residentId}\u0000${p.shiftId}`;

/**
 * Pure: the engine's proposals against the engine rows in the database (SUGGESTED, not pinned,
 * MATCHER) → the operations. Rows a coordinator owns are never in `current`, and the engine never
 * proposes a fixed or rejected pair, so the plan only touches engine rows.
 */
export function planApply(current: readonly MatchRowRef[], proposals: readonly Proposal[]): ApplyPlan {
  const rows = new Map(current.map((r) => [key(r), r]));
  const next = new Set(proposals.map(key));
  const plan: ApplyPlan = { create: [], remove: [], update: [] };
  for (const p of proposals) {
    const row = rows.get(key(p));
    if (!row) plan.create.push(p);
    else if (row.score !== p.score || row.explanationJa !== p.explanationJa || row.explanationEn !== p.explanationEn) {
      plan.update.push({ row, proposal: p });
    }
  }
  for (const r of current) if (!next.has(key(r))) plan.remove.push(r);
  return plan;
}

/**
 * Pure: the same operations from the engine's diff against its previous proposals, when those
 * equal the engine rows in the database (the last run was written). A pair the diff names that
 * the rows do not hold (or the reverse) is planned from the rows' side, so a plan never deletes a
 * row that is not an engine row or creates a pair twice.
 */
export function planFromDiff(current: readonly MatchRowRef[], diff: ProposalDiff): ApplyPlan {
  const rows = new Map(current.map((r) => [key(r), r]));
  const plan: ApplyPlan = { create: [], remove: [], update: [] };
  const differs = (row: MatchRowRef, p: Proposal) =>
    row.score !== p.score || row.explanationJa !== p.explanationJa || row.explanationEn !== p.explanationEn;
  for (const p of [...diff.added, ...diff.updated]) {
    const row = rows.get(key(p));
    if (!row) plan.create.push(p);
    else if (differs(row, p)) plan.update.push({ row, proposal: p });
  }
  for (const r of diff.removed) {
    const row = rows.get(key(r));
    if (row) plan.remove.push(row);
  }
  return plan;
}

export function isEmptyPlan(plan: ApplyPlan): boolean {
  return plan.create.length === 0 && plan.remove.length === 0 && plan.update.length === 0;
}

/**
 * Per-workspace debounce with a max wait, on injected time. `mark` records a change; `deadline`
 * is when the workspace should run: `debounceMs` after the last change, but no later than
 * `maxWaitMs` after the first change since the last run.
 *
 * With `leadMs`, a change to a quiet workspace (no run started within `debounceMs`) runs after
 * only `leadMs` (leading edge): one edit is answered at once, while a burst — changes arriving
 * during or right after a run — is still gathered into one trailing run.
 */
export class DirtyTracker {
  private readonly dirty = new Map<string, { firstAt: number; lastAt: number; notBefore: number; leading: boolean }>();
  private readonly lastRunAt = new Map<string, number>();
  constructor(
    readonly debounceMs: number,
    readonly maxWaitMs: number,
    readonly leadMs?: number,
  ) {}

  /** `notBefore`: no run before this time (a retry after an error, a lock held elsewhere). */
  mark(workspaceId: string, now: number, notBefore = 0): number {
    const entry = this.dirty.get(workspaceId);
    if (entry) {
      entry.lastAt = now;
      entry.notBefore = Math.max(entry.notBefore, notBefore);
    } else {
      const lastRun = this.lastRunAt.get(workspaceId);
      const quiet = lastRun === undefined || now - lastRun >= this.debounceMs;
      this.dirty.set(workspaceId, { firstAt: now, lastAt: now, notBefore, leading: this.leadMs !== undefined && quiet });
    }
    return this.deadline(workspaceId)!;
  }

  deadline(workspaceId: string): number | undefined {
    const entry = this.dirty.get(workspaceId);
    if (!entry) return undefined;
    if (entry.leading) return Math.max(entry.notBefore, entry.firstAt + this.leadMs!);
    return Math.max(entry.notBefore, Math.min(entry.lastAt + this.debounceMs, entry.firstAt + this.maxWaitMs));
  }

  isDirty(workspaceId: string): boolean {
    return this.dirty.has(workspaceId);
  }

  /** Takes the workspace out of the dirty set (its run starts now). */
  take(workspaceId: string, now?: number): void {
    this.dirty.delete(workspaceId);
    if (now !== undefined) this.lastRunAt.set(workspaceId, now);
  }

  clear(): void {
    this.dirty.clear();
    this.lastRunAt.clear();
  }

  get size(): number {
    return this.dirty.size;
  }
}
