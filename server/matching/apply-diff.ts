import type { MatchRowRef } from "./snapshot-loader.ts";
import type { Proposal } from "./types.ts";

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

export function isEmptyPlan(plan: ApplyPlan): boolean {
  return plan.create.length === 0 && plan.remove.length === 0 && plan.update.length === 0;
}

/**
 * Per-workspace debounce with a max wait, on injected time. `mark` records a change; `deadline`
 * is when the workspace should run: `debounceMs` after the last change, but no later than
 * `maxWaitMs` after the first change since the last run.
 */
export class DirtyTracker {
  private readonly dirty = new Map<string, { firstAt: number; lastAt: number; notBefore: number }>();
  constructor(
    readonly debounceMs: number,
    readonly maxWaitMs: number,
  ) {}

  /** `notBefore`: no run before this time (a retry after an error, a lock held elsewhere). */
  mark(workspaceId: string, now: number, notBefore = 0): number {
    const entry = this.dirty.get(workspaceId);
    if (entry) {
      entry.lastAt = now;
      entry.notBefore = Math.max(entry.notBefore, notBefore);
    } else this.dirty.set(workspaceId, { firstAt: now, lastAt: now, notBefore });
    return this.deadline(workspaceId)!;
  }

  deadline(workspaceId: string): number | undefined {
    const entry = this.dirty.get(workspaceId);
    if (!entry) return undefined;
    return Math.max(entry.notBefore, Math.min(entry.lastAt + this.debounceMs, entry.firstAt + this.maxWaitMs));
  }

  isDirty(workspaceId: string): boolean {
    return this.dirty.has(workspaceId);
  }

  /** Takes the workspace out of the dirty set (its run starts now). */
  take(workspaceId: string): void {
    this.dirty.delete(workspaceId);
  }

  clear(): void {
    this.dirty.clear();
  }

  get size(): number {
    return this.dirty.size;
  }
}
