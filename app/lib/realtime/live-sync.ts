/**
 * Client-side version tracking for a workspace's live events, as a pure reducer: no sockets, no
 * timers, no fetch. The hook (app/features/live) feeds it what happened and carries out the
 * effects it returns.
 *
 * The rule (docs/live-events.md): every broadcast carries the workspace version it produced, and
 * versions have no holes. The client applies events strictly in version order. An event beyond
 * `lastVersion + 1` means one was missed (Socket.IO delivers at most once, and two commits may
 * publish out of order): it is held, and if the hole is still open after a short grace the client
 * resyncs over HTTP from `lastVersion`. A (re)join whose version is ahead of `lastVersion` resyncs
 * too. Duplicates (version ≤ lastVersion) are dropped.
 */
import type { DomainEvent, EntityName, Verb } from "./events.ts";

/** One change, from a live event (with `data`) or from the change feed (with `at`). */
export interface LiveChange {
  version: number;
  entity: EntityName;
  entityId: string;
  verb: Verb;
  actorUserId: string | null;
  data?: Record<string, unknown>;
  at?: string;
}

export type SyncPhase = "detached" | "joining" | "live" | "resyncing";

export interface SyncState {
  phase: SyncPhase;
  /** Every change up to this version has been handed to the caller. null: no baseline yet. */
  lastVersion: number | null;
  /** Changes above lastVersion + 1 waiting for the hole below them, ascending, unique. */
  held: LiveChange[];
  /** A gap check is scheduled. */
  gapPending: boolean;
}

export type SyncInput =
  | { type: "joining" }
  | { type: "joined"; version: number }
  | { type: "event"; event: DomainEvent | LiveChange }
  | { type: "gap-timeout" }
  | { type: "resynced"; since: number; version: number; changes: LiveChange[] }
  | { type: "resync-failed"; since: number }
  | { type: "retry" }
  | { type: "detached" }
  /** A page that loaded its data at `version` starts following this connection. */
  | { type: "follow"; version: number };

export type SyncEffect =
  /** Hand these changes (ascending, contiguous with what came before) to the caller. */
  | { type: "apply"; source: "live" | "resync"; changes: LiveChange[] }
  /** Fetch GET …/changes?since=<since> (following hasMore), then dispatch `resynced`. */
  | { type: "resync"; since: number }
  /** Dispatch `gap-timeout` after the grace period. */
  | { type: "wait-for-gap" }
  /** Dispatch `retry` after a back-off. */
  | { type: "retry-later" }
  /** The server's version went backwards (restored database): reload everything. */
  | { type: "reset"; version: number };

export interface SyncResult {
  state: SyncState;
  effects: SyncEffect[];
}

/** Holding more than this many events is pointless: the resync will bring them anyway. */
export const MAX_HELD = 500;

export function initialSyncState(lastVersion: number | null = null): SyncState {
  return { phase: "detached", lastVersion, held: [], gapPending: false };
}

function toChange(event: DomainEvent | LiveChange): LiveChange {
  const { version, entity, entityId, verb, actorUserId } = event;
  const change: LiveChange = { version, entity, entityId, verb, actorUserId };
  if (event.data) change.data = event.data;
  if ("at" in event && event.at) change.at = event.at;
  return change;
}

function insertHeld(held: LiveChange[], change: LiveChange): LiveChange[] {
  if (held.some((h) => h.version === change.version)) return held;
  return [...held, change].sort((a, b) => a.version - b.version);
}

/**
 * Applies held changes that now follow lastVersion without a hole; the rest stay held. A
 * remaining hole schedules a gap check (unless one is pending).
 */
function drain(state: SyncState): SyncResult {
  let last = state.lastVersion ?? 0;
  const applied: LiveChange[] = [];
  const held: LiveChange[] = [];
  for (const change of state.held) {
    if (change.version <= last) continue;
    if (change.version === last + 1 && held.length === 0) {
      applied.push(change);
      last = change.version;
    } else {
      held.push(change);
    }
  }
  const effects: SyncEffect[] = [];
  if (applied.length > 0) effects.push({ type: "apply", source: "live", changes: applied });
  let gapPending = state.gapPending;
  if (held.length > 0 && !gapPending) {
    gapPending = true;
    effects.push({ type: "wait-for-gap" });
  }
  if (held.length === 0) gapPending = false;
  const lastVersion = applied.length > 0 ? applied[applied.length - 1].version : state.lastVersion;
  return { state: { ...state, phase: "live", lastVersion, held, gapPending }, effects };
}

export function reduceSync(state: SyncState, input: SyncInput): SyncResult {
  switch (input.type) {
    case "joining":
      return { state: { ...state, phase: "joining", held: [], gapPending: false }, effects: [] };

    case "joined": {
      if (state.lastVersion === null || input.version === state.lastVersion) {
        const base = { ...state, lastVersion: state.lastVersion ?? input.version };
        return drain(base);
      }
      if (input.version < state.lastVersion) {
        return {
          state: { ...state, phase: "live", lastVersion: input.version, held: [], gapPending: false },
          effects: [{ type: "reset", version: input.version }],
        };
      }
      return { state: { ...state, phase: "resyncing", gapPending: false }, effects: [{ type: "resync", since: state.lastVersion }] };
    }

    case "event": {
      const change = toChange(input.event);
      if (state.phase === "detached") return { state, effects: [] };
      if (state.lastVersion !== null && change.version <= state.lastVersion) return { state, effects: [] };
      if (state.phase === "joining" || state.phase === "resyncing") {
        // Kept until the baseline is known; a resync covers them if the buffer overflows.
        if (state.held.length >= MAX_HELD) return { state, effects: [] };
        return { state: { ...state, held: insertHeld(state.held, change) }, effects: [] };
      }
      if (state.held.length >= MAX_HELD) {
        return { state: { ...state, phase: "resyncing", gapPending: false }, effects: [{ type: "resync", since: state.lastVersion ?? 0 }] };
      }
      return drain({ ...state, held: insertHeld(state.held, change) });
    }

    case "gap-timeout": {
      if (state.phase !== "live" || !state.gapPending) return { state, effects: [] };
      if (state.held.length === 0) return { state: { ...state, gapPending: false }, effects: [] };
      return {
        state: { ...state, phase: "resyncing", gapPending: false },
        effects: [{ type: "resync", since: state.lastVersion ?? 0 }],
      };
    }

    case "resynced": {
      // A late answer to an older request (we reconnected meanwhile): ignore it.
      if (state.phase !== "resyncing" || input.since !== state.lastVersion) return { state, effects: [] };
      const since = state.lastVersion;
      // A held live event is richer than the feed's row for the same version (it has `data`).
      const heldByVersion = new Map(state.held.map((h) => [h.version, h]));
      const fetched = input.changes
        .filter((c) => c.version > since)
        .sort((a, b) => a.version - b.version)
        .filter((c, i, all) => i === 0 || all[i - 1].version !== c.version)
        .map((c) => heldByVersion.get(c.version) ?? toChange(c));
      const lastFetched = fetched.length > 0 ? fetched[fetched.length - 1].version : since;
      const lastVersion = Math.max(lastFetched, input.version, since);
      return drainAfterResync(state, lastVersion, fetched);
    }

    case "resync-failed":
      if (state.phase !== "resyncing" || input.since !== state.lastVersion) return { state, effects: [] };
      return { state, effects: [{ type: "retry-later" }] };

    case "retry":
      if (state.phase !== "resyncing") return { state, effects: [] };
      return { state, effects: [{ type: "resync", since: state.lastVersion ?? 0 }] };

    case "detached":
      // Held events are dropped: the next join compares versions and resyncs if needed.
      return { state: { ...state, phase: "detached", held: [], gapPending: false }, effects: [] };

    case "follow":
      // While detached (before the first join, or between connections) the baseline can still move
      // back to the oldest page's version: the join then resyncs from there. Once live, a page that
      // is behind catches up from the connection's history instead (changesSince).
      if (state.phase !== "detached") return { state, effects: [] };
      if (state.lastVersion !== null && state.lastVersion <= input.version) return { state, effects: [] };
      return { state: { ...state, lastVersion: input.version }, effects: [] };
  }
}

/** How many handed-over changes a shared connection remembers for pages that attach later. */
export const HISTORY_LIMIT = 1000;

/** The history after handing over `changes`: the most recent `limit` changes, ascending. */
export function keepRecent(history: readonly LiveChange[], changes: readonly LiveChange[], limit = HISTORY_LIMIT): LiveChange[] {
  const all = [...history, ...changes];
  return all.length > limit ? all.slice(all.length - limit) : all;
}

/**
 * What a page that loaded its data at `cursor` missed, from the recent history of a connection
 * that has handed over everything up to `lastVersion` (contiguously): the changes after `cursor`,
 * or null when the history no longer reaches back that far (the page has to reload).
 */
export function changesSince(history: readonly LiveChange[], cursor: number, lastVersion: number | null): LiveChange[] | null {
  if (lastVersion === null || cursor >= lastVersion) return [];
  if (history.length === 0 || history[0].version > cursor + 1) return null;
  return history.filter((change) => change.version > cursor);
}

/**
 * After a resync: the fetched changes are applied first, then held live events beyond them
 * (their versions continue where the feed stopped, or a new gap check starts).
 */
function drainAfterResync(state: SyncState, lastVersion: number, fetched: LiveChange[]): SyncResult {
  const effects: SyncEffect[] = [];
  if (fetched.length > 0) effects.push({ type: "apply", source: "resync", changes: fetched });
  const rest = drain({ ...state, lastVersion, held: state.held.filter((h) => h.version > lastVersion), gapPending: false });
  return { state: rest.state, effects: [...effects, ...rest.effects] };
}
