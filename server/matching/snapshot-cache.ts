import type { PrismaClient } from "../db/client.ts";
import {
  loadAll,
  loadConsents,
  loadMatches,
  loadResidents,
  loadShifts,
  loadWorkspaceHead,
  partitionMatches,
  type LoadedMatchRow,
  type MatchRowRef,
} from "./snapshot-loader.ts";
import type { SnapshotPatch } from "./snapshot-patch.ts";
import type { MatchingSnapshot, Proposal, SnapshotConsent, SnapshotResident, SnapshotShift } from "./types.ts";

/** Entities whose changes never touch matching. */
const IGNORED_ENTITIES = new Set(["resource", "membership", "area", "organization", "workspace"]);

export interface SnapshotCacheOptions {
  /** More changes than this since the last read → read everything again. @default 500 */
  maxChanges?: number;
  /**
   * Read everything again after this long, also to pick up what has no change row (participation
   * records, skill labels). @default 600000 (10 min)
   */
  fullReloadEveryMs?: number;
}

export type Refreshed =
  | { kind: "full"; version: number; snapshot: MatchingSnapshot; proposals: MatchRowRef[] }
  | { kind: "patch"; version: number; patch: SnapshotPatch; proposals: MatchRowRef[]; changes: number };

interface WorkspaceState {
  /** Every change up to this version is in the maps. */
  version: number;
  loadedAt: number;
  timezoneOffsetMinutes: number;
  skills: NonNullable<MatchingSnapshot["skills"]>;
  residents: Map<string, SnapshotResident>;
  shifts: Map<string, SnapshotShift>;
  consents: Map<string, SnapshotConsent[]>;
  matches: Map<string, LoadedMatchRow>;
  /** Versions above `version` written by our own runs (already in the maps). */
  ownVersions: Set<number>;
}

/**
 * The scheduler's copy of each workspace's matching data (docs/decisions/018). The first run reads
 * everything; later runs read the change feed (WorkspaceChange) since the copy's version and reload
 * only the residents, pieces, consents and matches it names, all in one REPEATABLE READ
 * transaction, so the copy equals the database at the version read. The result is a patch for the
 * worker, which keeps the same snapshot: a run after one edit reads and sends a few rows.
 */
export class SnapshotCache {
  private readonly states = new Map<string, WorkspaceState>();
  private readonly maxChanges: number;
  private readonly fullReloadEveryMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    options: SnapshotCacheOptions = {},
  ) {
    this.maxChanges = options.maxChanges ?? 500;
    this.fullReloadEveryMs = options.fullReloadEveryMs ?? 600_000;
  }

  /** Brings the copy up to the database's current version. */
  async refresh(workspaceId: string, now: number): Promise<Refreshed> {
    return this.prisma.$transaction(
      async (tx) => {
        const head = await loadWorkspaceHead(tx, workspaceId);
        const state = this.states.get(workspaceId);
        const fresh =
          state &&
          head.version - state.version <= this.maxChanges &&
          now - state.loadedAt < this.fullReloadEveryMs &&
          head.timezoneOffsetMinutes === state.timezoneOffsetMinutes;
        if (fresh && head.version >= state.version) {
          const patch = await this.readChanges(tx, workspaceId, state, head.version, now);
          if (patch) return patch;
        }
        const all = await loadAll(tx, workspaceId, now);
        const next: WorkspaceState = {
          version: all.version,
          loadedAt: now,
          timezoneOffsetMinutes: all.timezoneOffsetMinutes,
          skills: all.skills,
          residents: new Map(all.residents.map((r) => [r.id, r])),
          shifts: new Map(all.shifts.map((s) => [s.id, s])),
          consents: groupConsents(all.consents),
          matches: new Map(all.matches.map((m) => [m.id, m])),
          ownVersions: new Set(),
        };
        this.states.set(workspaceId, next);
        return { kind: "full", version: next.version, snapshot: this.snapshotOf(next), proposals: partitionMatches(next.matches.values()).proposals };
      },
      { isolationLevel: "RepeatableRead", timeout: 30_000 },
    );
  }

  /** The whole snapshot of the copy (for a worker that lost its session). */
  snapshot(workspaceId: string): MatchingSnapshot | null {
    const state = this.states.get(workspaceId);
    return state ? this.snapshotOf(state) : null;
  }

  /**
   * Records what a committed run wrote at `version`, so that the next refresh neither reloads it
   * nor mistakes it for another instance's run.
   */
  noteRun(
    workspaceId: string,
    version: number,
    written: { removed: readonly string[]; updated: ReadonlyArray<{ id: string; proposal: Proposal }>; created: ReadonlyArray<{ id: string; proposal: Proposal }> },
  ): void {
    const state = this.states.get(workspaceId);
    if (!state) return;
    for (const id of written.removed) state.matches.delete(id);
    for (const { id, proposal } of written.updated) {
      const row = state.matches.get(id);
      if (row) state.matches.set(id, { ...row, ...proposalFields(proposal) });
    }
    for (const { id, proposal } of written.created) {
      const shift = state.shifts.get(proposal.shiftId);
      if (!shift) {
        this.states.delete(workspaceId); // cannot happen; start over rather than guess
        return;
      }
      state.matches.set(id, {
        id,
        residentId: proposal.residentId,
        shiftId: proposal.shiftId,
        stage: "SUGGESTED",
        source: "MATCHER",
        pinned: false,
        startsAt: shift.startsAt,
        endsAt: shift.endsAt,
        ...proposalFields(proposal),
      });
    }
    if (version === state.version + 1) state.version = version;
    else state.ownVersions.add(version);
  }

  /** Forgets a workspace (the next refresh reads everything). */
  invalidate(workspaceId: string): void {
    this.states.delete(workspaceId);
  }

  clear(): void {
    this.states.clear();
  }

  /** Null when only reading everything will do (a change this cache cannot scope). */
  private async readChanges(
    tx: Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0],
    workspaceId: string,
    state: WorkspaceState,
    version: number,
    now: number,
  ): Promise<Refreshed | null> {
    const rows = await tx.workspaceChange.findMany({
      where: { workspaceId, version: { gt: state.version, lte: version } },
      select: { version: true, entity: true, entityId: true },
      orderBy: { version: "asc" },
    });
    if (rows.length !== version - state.version) return null; // a hole in the feed: do not guess

    const residentIds = new Set<string>();
    const consentIds = new Set<string>();
    const shiftIds = new Set<string>();
    const taskIds = new Set<string>();
    const matchIds = new Set<string>();
    let counted = 0;
    for (const row of rows) {
      if (state.ownVersions.has(row.version)) continue;
      counted++;
      switch (row.entity) {
        case "resident":
        case "availability":
          residentIds.add(row.entityId);
          break;
        case "consent":
          consentIds.add(row.entityId);
          break;
        case "task":
          taskIds.add(row.entityId);
          break;
        case "shift":
          shiftIds.add(row.entityId);
          break;
        case "match":
          // A whole-workspace match change is a matching run of another instance.
          if (row.entityId === workspaceId) return null;
          matchIds.add(row.entityId);
          break;
        default:
          if (!IGNORED_ENTITIES.has(row.entity)) return null;
      }
    }

    const patch: SnapshotPatch = {};
    if (consentIds.size > 0) {
      // The change row names the consent; an id that is a resident's (a resident-level consent
      // change) is taken as such.
      const named = await tx.consent.findMany({ where: { id: { in: [...consentIds] } }, select: { residentId: true } });
      const consentResidents = new Set(named.map((c) => c.residentId));
      for (const id of consentIds) if (state.residents.has(id)) consentResidents.add(id);
      const rowsOf = await loadConsents(tx, workspaceId, now, [...consentResidents]);
      const grouped = groupConsents(rowsOf);
      for (const id of consentResidents) state.consents.set(id, grouped.get(id) ?? []);
      patch.consents = { residentIds: [...consentResidents], rows: rowsOf };
    }

    if (residentIds.size > 0) {
      const loaded = await loadResidents(tx, workspaceId, [...residentIds]);
      const found = new Set(loaded.map((r) => r.id));
      const remove = [...residentIds].filter((id) => !found.has(id) && state.residents.has(id));
      for (const r of loaded) state.residents.set(r.id, r);
      for (const id of remove) state.residents.delete(id);
      patch.residents = { upsert: loaded, remove };
    }

    if (shiftIds.size > 0 || taskIds.size > 0) {
      const loaded = await loadShifts(tx, workspaceId, now, { ids: [...shiftIds], taskIds: [...taskIds] });
      const found = new Set(loaded.map((s) => s.id));
      const remove: string[] = [];
      for (const s of state.shifts.values()) {
        if ((shiftIds.has(s.id) || taskIds.has(s.taskId)) && !found.has(s.id)) remove.push(s.id);
      }
      for (const s of loaded) {
        state.shifts.set(s.id, s);
        shiftIds.add(s.id);
      }
      for (const id of remove) state.shifts.delete(id);
      patch.shifts = { upsert: loaded, remove };
    }

    // Matches: the named ones, and those of changed pieces (times) and residents (deletions).
    if (matchIds.size > 0 || shiftIds.size > 0 || residentIds.size > 0) {
      const loaded = await loadMatches(tx, workspaceId, now, { ids: [...matchIds], shiftIds: [...shiftIds], residentIds: [...residentIds] });
      const found = new Set(loaded.map((m) => m.id));
      for (const m of state.matches.values()) {
        if ((matchIds.has(m.id) || shiftIds.has(m.shiftId) || residentIds.has(m.residentId)) && !found.has(m.id)) state.matches.delete(m.id);
      }
      for (const m of loaded) state.matches.set(m.id, m);
      const { fixed, rejected } = partitionMatches(state.matches.values());
      patch.fixed = fixed;
      patch.rejected = rejected;
    }

    for (const v of state.ownVersions) if (v <= version) state.ownVersions.delete(v);
    state.version = version;
    return { kind: "patch", version, patch, proposals: partitionMatches(state.matches.values()).proposals, changes: counted };
  }

  private snapshotOf(state: WorkspaceState): MatchingSnapshot {
    const { fixed, rejected, previous } = partitionMatches(state.matches.values());
    return {
      timezoneOffsetMinutes: state.timezoneOffsetMinutes,
      residents: [...state.residents.values()],
      shifts: [...state.shifts.values()],
      consents: [...state.consents.values()].flat(),
      fixed,
      rejected,
      previous,
      skills: state.skills,
    };
  }
}

function groupConsents(rows: readonly SnapshotConsent[]): Map<string, SnapshotConsent[]> {
  const map = new Map<string, SnapshotConsent[]>();
  for (const c of rows) map.set(c.residentId, [...(map.get(c.residentId) ?? []), c]);
  return map;
}

function proposalFields(p: Proposal) {
  return { score: p.score, explanationJa: p.explanationJa, explanationEn: p.explanationEn };
}
