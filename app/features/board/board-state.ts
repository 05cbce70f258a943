/**
 * The coordinators' live kanban as a pure state machine: no sockets, no fetch, no timers, no clock
 * reads. The page (board.tsx) feeds it what happened — the loader's cards, live changes in version
 * order, fetched cards, move acks — with the time as an argument, and carries out the effects it
 * returns (refetch these cards, reload everything). Selectors group, filter and count the cards.
 *
 * Rules (docs/decisions/030-board-state.md):
 * - The server is the source of truth. A card is replaced only by a newer (or equal) card version,
 *   so a slow refetch can never undo a newer live change.
 * - A move is optimistic: the card shows in its new column (pending) until the ack; a refusal
 *   rolls it back. A conflict keeps the server's current card and who changed it, never our guess.
 * - A matching rerun never moves pinned or coordinator-owned cards (stage past SUGGESTED): if a
 *   rerun lists one as removed, the card is refetched instead of dropped.
 * - Order inside a column is pinned first, then the piece's start, then id: a rescore never
 *   reshuffles a column, and a card moves only when its stage changes.
 */
import type { MatchingUpdated } from "~/lib/realtime/events";
import type { LiveChange } from "~/lib/realtime/live-sync";
import type { MatchStage } from "~/lib/schemas";

// ───────────── Stages ─────────────

/** Every stage, in board order: six working columns, then the two collapsed ones. */
export const BOARD_STAGES: readonly MatchStage[] = [
  "SUGGESTED",
  "CONTACTING",
  "ARRANGING",
  "CONFIRMED",
  "ACTIVE",
  "COMPLETED",
  "DECLINED",
  "WITHDRAWN",
];
/** Shown collapsed (a summary row you can open), not as full columns. */
export const COLLAPSED_STAGES: readonly MatchStage[] = ["DECLINED", "WITHDRAWN"];
/** A card in one of these fills a seat of its piece (same as server/domain/pages.ts). */
export const FILLED_STAGES: readonly MatchStage[] = ["CONFIRMED", "ACTIVE", "COMPLETED"];
/** Stages where the work is finished or abandoned: never "needs attention". */
export const CLOSED_STAGES: readonly MatchStage[] = ["COMPLETED", "DECLINED", "WITHDRAWN"];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A piece starting within this with nobody confirmed needs attention. @default 72 h */
export const STARTS_SOON_MS = 72 * HOUR;
/** An open card untouched this long needs attention. @default 3 days */
export const STALE_MS = 3 * DAY;
/** How long a "recently changed" mark and a rerun highlight stay. @default 15 s */
export const MARK_MS = 15_000;
/** Above this many cards to refetch at once, reload the whole board instead. */
export const MAX_CARD_FETCHES = 50;

// ───────────── Cards ─────────────

export interface NamedRef {
  id: string;
  name: string;
  nameEn?: string | null;
}

/** A card as the board shows it. The resident is a pseudonym (code · age band · area), never a person. */
export interface BoardCard {
  id: string;
  stage: MatchStage;
  version: number;
  score: number;
  explanationJa: string | null;
  explanationEn: string | null;
  pinned: boolean;
  source: string | null;
  /** ISO time of the last stage change (the card's age). */
  stageChangedAt: string;
  /** The organization the card was handed to (decision 033), null when not handed. */
  handledBy: NamedRef | null;
  resident: { publicCode: string; ageBand: number | null; area: NamedRef | null };
  shift: {
    id: string;
    role: string;
    roleEn: string | null;
    startsAt: string;
    endsAt: string;
    headcount: number;
    task: {
      id: string;
      title: string;
      titleEn: string | null;
      category: string;
      locationName: string | null;
      isRemote: boolean;
      area: NamedRef | null;
      owner: NamedRef;
    };
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null;
const ref = (v: unknown): NamedRef | null =>
  isRecord(v) && typeof v.id === "string" && typeof v.name === "string"
    ? { id: v.id, name: v.name, nameEn: str(v.nameEn) }
    : null;

/**
 * A card from the API or the loader (dates as Date or ISO strings), or null when it is not a
 * card. Only the fields the board shows are kept: whatever else the server sends stays out.
 */
export function toBoardCard(raw: unknown): BoardCard | null {
  if (!isRecord(raw) || typeof raw.id !== "string" || typeof raw.version !== "number") return null;
  const stage = str(raw.stage);
  if (!stage || !(BOARD_STAGES as readonly string[]).includes(stage)) return null;
  const resident = isRecord(raw.resident) ? raw.resident : {};
  const shift = isRecord(raw.shift) ? raw.shift : null;
  const task = shift && isRecord(shift.task) ? shift.task : null;
  const startsAt = shift ? iso(shift.startsAt) : null;
  const endsAt = shift ? iso(shift.endsAt) : null;
  if (!shift || !task || typeof shift.id !== "string" || !startsAt || !endsAt) return null;
  return {
    id: raw.id,
    stage: stage as MatchStage,
    version: raw.version,
    score: typeof raw.score === "number" ? raw.score : 0,
    explanationJa: str(raw.explanationJa),
    explanationEn: str(raw.explanationEn),
    pinned: raw.pinned === true,
    source: str(raw.source),
    stageChangedAt: iso(raw.stageChangedAt) ?? startsAt,
    handledBy: ref(raw.handledBy),
    resident: {
      publicCode: str(resident.publicCode) ?? "?",
      ageBand: typeof resident.ageBand === "number" ? resident.ageBand : null,
      area: ref(resident.area),
    },
    shift: {
      id: shift.id,
      role: str(shift.role) ?? "",
      roleEn: str(shift.roleEn),
      startsAt,
      endsAt,
      headcount: typeof shift.headcount === "number" ? shift.headcount : 1,
      task: {
        id: str(task.id) ?? "",
        title: str(task.title) ?? "",
        titleEn: str(task.titleEn),
        category: str(task.category) ?? "",
        locationName: str(task.locationName),
        isRemote: task.isRemote === true,
        area: ref(task.area),
        owner: ref(task.owner) ?? { id: str(task.ownerOrgId) ?? "", name: "", nameEn: null },
      },
    },
  };
}

// ───────────── State ─────────────

export interface PendingMove {
  from: MatchStage;
  to: MatchStage;
  /** The card version the person saw when they picked the card up. */
  expectedVersion: number;
}

/** The server refused our move because someone else changed the card first. */
export interface CardConflict {
  attempted: MatchStage;
  /** The stage the card is really in (the server's). */
  current: MatchStage;
  changedBy: string | null;
  changedAt: string | null;
}

export type MarkKind = "added" | "rescored" | "removed" | "moved" | "updated";

export interface RecentMark {
  kind: MarkKind;
  /** Who caused it (user id), null for the matcher or unknown. */
  actorUserId: string | null;
  /** Epoch ms after which the mark is gone. */
  until: number;
}

export interface RunSummary {
  version: number;
  added: number;
  removed: number;
  rescored: number;
  ranAt: string;
  mode: "full" | "incremental" | null;
  durationMs: number | null;
  /** When this board heard of it (epoch ms). */
  receivedAt: number;
}

export type SaveStatus = "idle" | "saving" | "saved" | "error";

export interface BoardState {
  workspaceId: string;
  /** Workspace version the cards reflect: changes at or below it are duplicates. */
  version: number;
  /** The server's cards. */
  cards: Readonly<Record<string, BoardCard>>;
  /** Our moves waiting for their ack (shown in their new column). */
  pending: Readonly<Record<string, PendingMove>>;
  conflicts: Readonly<Record<string, CardConflict>>;
  /** Other refusals of our moves (forbidden, unavailable…), by card. */
  errors: Readonly<Record<string, { code: string; attempted: MatchStage }>>;
  marks: Readonly<Record<string, RecentMark>>;
  /** Cards a rerun removed, kept briefly so people see what went. */
  ghosts: Readonly<Record<string, { card: BoardCard; until: number }>>;
  lastRun: RunSummary | null;
  /** The last finished save (idle until the first move). */
  lastSave: "idle" | "saved" | "error";
  /** Workspace version of the last note added to a card (its detail reloads the notes). */
  noteStamps: Readonly<Record<string, number>>;
}

export function initialBoardState(workspaceId: string, version: number, cards: readonly BoardCard[]): BoardState {
  return {
    workspaceId,
    version,
    cards: Object.fromEntries(cards.map((c) => [c.id, c])),
    pending: {},
    conflicts: {},
    errors: {},
    marks: {},
    ghosts: {},
    lastRun: null,
    lastSave: "idle",
    noteStamps: {},
  };
}

export type BoardAction =
  /** A full (re)load: the server's cards at `version`. */
  | { type: "loaded"; version: number; cards: readonly BoardCard[]; now: number }
  /** Live changes or change-feed rows, ascending (from useLiveWorkspace's onChanges). */
  | { type: "changes"; changes: readonly LiveChange[]; selfUserId: string | null; now: number }
  | { type: "card-fetched"; card: BoardCard; now: number }
  /** GET /matches/:id answered 404: deleted, or no longer visible to us. */
  | { type: "card-missing"; id: string; now: number }
  | { type: "move-start"; id: string; to: MatchStage; expectedVersion?: number; now: number }
  | { type: "move-ok"; id: string; card: BoardCard; now: number }
  | {
      type: "move-refused";
      id: string;
      code: string;
      current?: BoardCard | null;
      changedBy?: string | null;
      changedAt?: string | null;
      now: number;
    }
  | { type: "dismiss-conflict"; id: string }
  /** Drop expired marks and ghosts. */
  | { type: "prune"; now: number };

export type BoardEffect = { type: "fetch"; ids: string[] } | { type: "reload" };

export interface BoardResult {
  state: BoardState;
  effects: BoardEffect[];
}

const without = <T>(record: Readonly<Record<string, T>>, id: string): Record<string, T> => {
  if (!(id in record)) return record as Record<string, T>;
  const next = { ...record };
  delete next[id];
  return next;
};

/** Newer or equal versions win; an older one (a slow refetch) is ignored. */
function upsert(cards: Readonly<Record<string, BoardCard>>, card: BoardCard): Readonly<Record<string, BoardCard>> {
  const existing = cards[card.id];
  if (existing && existing.version > card.version) return cards;
  return { ...cards, [card.id]: card };
}

/** A rerun only touches engine proposals; anything else must never vanish by itself. */
const isFixed = (card: BoardCard) => card.pinned || card.stage !== "SUGGESTED";

export function reduceBoard(state: BoardState, action: BoardAction): BoardResult {
  switch (action.type) {
    case "loaded": {
      const cards = Object.fromEntries(action.cards.map((c) => [c.id, c]));
      // Our in-flight moves stay (their acks will come); conflicts on vanished cards go.
      const keep = <T>(r: Readonly<Record<string, T>>) => Object.fromEntries(Object.entries(r).filter(([id]) => id in cards));
      return {
        state: {
          ...state,
          version: Math.max(state.version, action.version),
          cards,
          pending: keep(state.pending),
          conflicts: keep(state.conflicts),
          errors: keep(state.errors),
        },
        effects: [],
      };
    }

    case "changes":
      return applyChanges(state, action.changes, action.selfUserId, action.now);

    case "card-fetched":
      return { state: { ...state, cards: upsert(state.cards, action.card) }, effects: [] };

    case "card-missing":
      return {
        state: {
          ...state,
          cards: without(state.cards, action.id),
          pending: without(state.pending, action.id),
          conflicts: without(state.conflicts, action.id),
        },
        effects: [],
      };

    case "move-start": {
      const card = state.cards[action.id];
      if (!card || state.pending[action.id]) return { state, effects: [] };
      const shown = card.stage;
      if (shown === action.to) return { state, effects: [] };
      return {
        state: {
          ...state,
          pending: {
            ...state.pending,
            [action.id]: { from: shown, to: action.to, expectedVersion: action.expectedVersion ?? card.version },
          },
          conflicts: without(state.conflicts, action.id),
          errors: without(state.errors, action.id),
        },
        effects: [],
      };
    }

    case "move-ok":
      return {
        state: {
          ...state,
          cards: upsert(state.cards, action.card),
          pending: without(state.pending, action.id),
          lastSave: "saved",
        },
        effects: [],
      };

    case "move-refused": {
      const pending = state.pending[action.id];
      const attempted = pending?.to ?? state.cards[action.id]?.stage ?? "SUGGESTED";
      const base = { ...state, pending: without(state.pending, action.id), lastSave: "error" as const };
      if (action.code === "not_found") {
        return { state: { ...base, cards: without(state.cards, action.id) }, effects: [] };
      }
      if (action.code === "conflict" && action.current) {
        const cards = upsert(state.cards, action.current);
        return {
          state: {
            ...base,
            cards,
            conflicts: {
              ...state.conflicts,
              [action.id]: {
                attempted,
                current: cards[action.id].stage,
                changedBy: action.changedBy ?? null,
                changedAt: action.changedAt ?? null,
              },
            },
          },
          effects: [],
        };
      }
      return {
        state: { ...base, errors: { ...state.errors, [action.id]: { code: action.code, attempted } } },
        // A conflict without the current card (should not happen) or an unknown failure: ask again.
        effects: action.code === "conflict" ? [{ type: "fetch", ids: [action.id] }] : [],
      };
    }

    case "dismiss-conflict":
      return {
        state: { ...state, conflicts: without(state.conflicts, action.id), errors: without(state.errors, action.id) },
        effects: [],
      };

    case "prune": {
      const marks = Object.fromEntries(Object.entries(state.marks).filter(([, m]) => m.until > action.now));
      const ghosts = Object.fromEntries(Object.entries(state.ghosts).filter(([, g]) => g.until > action.now));
      if (Object.keys(marks).length === Object.keys(state.marks).length && Object.keys(ghosts).length === Object.keys(state.ghosts).length) {
        return { state, effects: [] };
      }
      return { state: { ...state, marks, ghosts }, effects: [] };
    }
  }
}

function isMatchingRun(change: LiveChange): MatchingUpdated | null {
  const data = change.data;
  if (!data || data.kind !== "matching.run" || !isRecord(data.summary)) return null;
  const summary = data.summary as unknown as MatchingUpdated;
  return isRecord(summary.matchIds) ? summary : null;
}

function applyChanges(state: BoardState, changes: readonly LiveChange[], selfUserId: string | null, now: number): BoardResult {
  let cards = state.cards;
  let marks: Record<string, RecentMark> = state.marks as Record<string, RecentMark>;
  let ghosts: Record<string, { card: BoardCard; until: number }> = state.ghosts as Record<string, { card: BoardCard; until: number }>;
  let lastRun = state.lastRun;
  let version = state.version;
  const fetch = new Set<string>();
  let reload = false;
  const mark = (id: string, kind: MarkKind, actorUserId: string | null) => {
    if (marks === state.marks) marks = { ...marks };
    marks[id] = { kind, actorUserId, until: now + MARK_MS };
  };
  const remove = (id: string) => {
    if (!(id in cards)) return;
    cards = without(cards, id);
  };
  let noteStamps = state.noteStamps;
  /** A stage and version the event tells us: patched in place when newer than ours. */
  const patch = (id: string, stage: MatchStage, cardVersion: number, actorUserId: string | null, byOther: boolean) => {
    const card = cards[id];
    if (!card || cardVersion <= card.version) return;
    cards = { ...cards, [id]: { ...card, stage, version: cardVersion, stageChangedAt: stage !== card.stage ? new Date(now).toISOString() : card.stageChangedAt } };
    if (byOther) mark(id, stage !== card.stage ? "moved" : "updated", actorUserId);
  };

  for (const change of changes) {
    if (change.version <= version) continue; // a duplicate, or already in the loaded data
    version = change.version;
    const byOther = change.actorUserId !== null && change.actorUserId !== selfUserId;

    if (change.entity === "match") {
      const run = isMatchingRun(change);
      if (run) {
        lastRun = {
          version: change.version,
          added: run.added,
          removed: run.removed,
          rescored: run.rescored,
          ranAt: run.ranAt,
          mode: run.stats?.mode ?? null,
          durationMs: typeof run.stats?.durationMs === "number" ? run.stats.durationMs : null,
          receivedAt: now,
        };
        for (const id of run.matchIds.removed ?? []) {
          const card = cards[id];
          if (!card) continue;
          if (isFixed(card)) {
            fetch.add(id); // never dropped by a rerun: ask the server what it really is
            continue;
          }
          if (ghosts === state.ghosts) ghosts = { ...ghosts };
          ghosts[id] = { card, until: now + MARK_MS };
          mark(id, "removed", null);
          remove(id);
        }
        for (const id of run.matchIds.added ?? []) {
          mark(id, "added", null);
          fetch.add(id);
        }
        for (const id of run.matchIds.updated ?? []) {
          mark(id, "rescored", null);
          fetch.add(id);
        }
        continue;
      }
      if (change.entityId === state.workspaceId) {
        reload = true; // a rerun seen through the change feed: ids unknown
        continue;
      }
      const id = change.entityId;
      if (change.verb === "deleted") {
        remove(id);
        continue;
      }
      const data = change.data;
      const card = cards[id];
      if (data?.kind === "match.note") {
        // A note changes nothing on the card itself: its open detail reloads the notes.
        noteStamps = { ...noteStamps, [id]: change.version };
        if (byOther && card) mark(id, "updated", change.actorUserId);
        continue;
      }
      if (card && data && typeof data.stage === "string" && typeof data.version === "number") {
        if ((BOARD_STAGES as readonly string[]).includes(data.stage)) patch(id, data.stage as MatchStage, data.version, change.actorUserId, byOther);
        continue;
      }
      // Only ids (a change-feed row, a card we do not have yet): ask for the card.
      if (byOther || !card) mark(id, card ? "updated" : "added", change.actorUserId);
      fetch.add(id);
      continue;
    }

    const team = change.entity === "task" ? teamOf(change) : null;
    if (team) {
      // A whole team confirmed from the mosaic view (decision 034): patch every card it names.
      for (const m of team) {
        if (cards[m.matchId]) patch(m.matchId, m.stage, m.version, change.actorUserId, byOther);
        else fetch.add(m.matchId);
      }
      continue;
    }

    if (change.entity === "task" || change.entity === "shift") {
      // The piece or its task changed (title, time, place): refetch the cards that show it.
      for (const card of Object.values(cards)) {
        if ((change.entity === "shift" ? card.shift.id : card.shift.task.id) === change.entityId) fetch.add(card.id);
      }
    }
  }

  const effects: BoardEffect[] = [];
  if (reload || fetch.size > MAX_CARD_FETCHES) effects.push({ type: "reload" });
  else if (fetch.size > 0) effects.push({ type: "fetch", ids: [...fetch].sort() });
  return { state: { ...state, version, cards, marks, ghosts, lastRun, noteStamps }, effects };
}

/** The cards of a team confirmation (`data.kind = "match.team"`), or null for any other change. */
function teamOf(change: LiveChange): Array<{ matchId: string; stage: MatchStage; version: number }> | null {
  const data = change.data;
  if (!data || data.kind !== "match.team" || !Array.isArray(data.matches)) return null;
  const out: Array<{ matchId: string; stage: MatchStage; version: number }> = [];
  for (const m of data.matches as unknown[]) {
    if (!isRecord(m) || typeof m.matchId !== "string" || typeof m.version !== "number" || typeof m.stage !== "string") continue;
    if (!(BOARD_STAGES as readonly string[]).includes(m.stage)) continue;
    out.push({ matchId: m.matchId, stage: m.stage as MatchStage, version: m.version });
  }
  return out;
}

// ───────────── Filters and views ─────────────

export interface BoardFilters {
  /** The piece's area (the task's), or the resident's when the task has none (remote). */
  areaId?: string | null;
  /** The task's owner organization. */
  orgId?: string | null;
  category?: string | null;
  /** Piece start, epoch ms: from inclusive, to exclusive. */
  from?: number | null;
  to?: number | null;
  needsAttention?: boolean;
  query?: string;
}

export type AttentionReason = "starts-soon-unfilled" | "stale";

export interface CardView {
  card: BoardCard;
  /** Where it shows now: our pending move's target, else the server's stage. */
  stage: MatchStage;
  pending: PendingMove | null;
  conflict: CardConflict | null;
  error: { code: string; attempted: MatchStage } | null;
  mark: RecentMark | null;
  /** Removed by a rerun, shown briefly. */
  ghost: boolean;
  attention: AttentionReason[];
}

export interface ColumnView {
  stage: MatchStage;
  collapsed: boolean;
  cards: CardView[];
  /** Cards in this column that pass the filters (ghosts not counted). */
  count: number;
  /** All cards in this column. */
  total: number;
}

export interface BoardView {
  columns: ColumnView[];
  shown: number;
  total: number;
}

/** Pieces with somebody in a filled stage (by the server's stages, not our pending guesses). */
export function filledShiftIds(cards: Iterable<BoardCard>): Set<string> {
  const filled = new Set<string>();
  for (const card of cards) if (FILLED_STAGES.includes(card.stage)) filled.add(card.shift.id);
  return filled;
}

export function attentionReasons(card: BoardCard, stage: MatchStage, filled: ReadonlySet<string>, now: number): AttentionReason[] {
  if (CLOSED_STAGES.includes(stage)) return [];
  const reasons: AttentionReason[] = [];
  const startsIn = Date.parse(card.shift.startsAt) - now;
  if (!FILLED_STAGES.includes(stage) && startsIn >= 0 && startsIn <= STARTS_SOON_MS && !filled.has(card.shift.id)) {
    reasons.push("starts-soon-unfilled");
  }
  if (now - Date.parse(card.stageChangedAt) >= STALE_MS) reasons.push("stale");
  return reasons;
}

/** NFKC + lower case, so 全角 and 半角, upper and lower case find each other. */
export function normalizeSearch(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

function haystack(card: BoardCard): string {
  const t = card.shift.task;
  return normalizeSearch(
    [
      t.title,
      t.titleEn,
      card.shift.role,
      card.shift.roleEn,
      t.locationName,
      t.owner.name,
      t.owner.nameEn,
      t.area?.name,
      t.area?.nameEn,
      card.resident.publicCode,
      card.resident.area?.name,
      card.explanationJa,
      card.explanationEn,
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

export function cardAreaId(card: BoardCard): string | null {
  return card.shift.task.area?.id ?? card.resident.area?.id ?? null;
}

export function matchesFilters(card: BoardCard, attention: readonly AttentionReason[], filters: BoardFilters): boolean {
  if (filters.areaId && cardAreaId(card) !== filters.areaId) return false;
  if (filters.orgId && card.shift.task.owner.id !== filters.orgId) return false;
  if (filters.category && card.shift.task.category !== filters.category) return false;
  const start = Date.parse(card.shift.startsAt);
  if (filters.from != null && start < filters.from) return false;
  if (filters.to != null && start >= filters.to) return false;
  if (filters.needsAttention && attention.length === 0) return false;
  const query = filters.query ? normalizeSearch(filters.query) : "";
  if (query) {
    const text = haystack(card);
    if (!query.split(" ").every((word) => text.includes(word))) return false;
  }
  return true;
}

/** Pinned first, then the piece's start, then id. ISO strings of one format sort as their times. */
function compareCards(a: CardView, b: CardView): number {
  if (a.card.pinned !== b.card.pinned) return a.card.pinned ? -1 : 1;
  const x = a.card.shift.startsAt;
  const y = b.card.shift.startsAt;
  if (x !== y) return x < y ? -1 : 1;
  return a.card.id < b.card.id ? -1 : a.card.id > b.card.id ? 1 : 0;
}

const liveMark = (state: BoardState, id: string, now: number): RecentMark | null => {
  const m = state.marks[id];
  return m && m.until > now ? m : null;
};

/** The board as columns of filtered, ordered cards with counts. */
export function boardView(state: BoardState, filters: BoardFilters, now: number): BoardView {
  const all = Object.values(state.cards);
  const filled = filledShiftIds(all);
  const byStage = new Map<MatchStage, ColumnView>(
    BOARD_STAGES.map((stage) => [stage, { stage, collapsed: COLLAPSED_STAGES.includes(stage), cards: [], count: 0, total: 0 }]),
  );
  let shown = 0;
  for (const card of all) {
    const pending = state.pending[card.id] ?? null;
    const stage = pending?.to ?? card.stage;
    const column = byStage.get(stage)!;
    column.total += 1;
    const attention = attentionReasons(card, stage, filled, now);
    if (!matchesFilters(card, attention, filters)) continue;
    column.count += 1;
    shown += 1;
    column.cards.push({
      card,
      stage,
      pending,
      conflict: state.conflicts[card.id] ?? null,
      error: state.errors[card.id] ?? null,
      mark: liveMark(state, card.id, now),
      ghost: false,
      attention,
    });
  }
  for (const [id, ghost] of Object.entries(state.ghosts)) {
    if (ghost.until <= now || id in state.cards) continue;
    if (!matchesFilters(ghost.card, [], { ...filters, needsAttention: false })) continue;
    byStage.get(ghost.card.stage)!.cards.push({
      card: ghost.card,
      stage: ghost.card.stage,
      pending: null,
      conflict: null,
      error: null,
      mark: liveMark(state, id, now),
      ghost: true,
      attention: [],
    });
  }
  const columns = BOARD_STAGES.map((stage) => byStage.get(stage)!);
  for (const column of columns) column.cards.sort(compareCards);
  return { columns, shown, total: all.length };
}

/** What the save indicator says: saving while any move waits for its ack. */
export function saveStatus(state: BoardState): SaveStatus {
  if (Object.keys(state.pending).length > 0) return "saving";
  return state.lastSave;
}

/** The choices the filters offer, from the cards on the board (sorted by name). */
export function filterOptions(cards: Iterable<BoardCard>): { areas: NamedRef[]; organizations: NamedRef[]; categories: string[] } {
  const areas = new Map<string, NamedRef>();
  const organizations = new Map<string, NamedRef>();
  const categories = new Set<string>();
  for (const card of cards) {
    const area = card.shift.task.area ?? card.resident.area;
    if (area) areas.set(area.id, area);
    if (card.shift.task.owner.id) organizations.set(card.shift.task.owner.id, card.shift.task.owner);
    if (card.shift.task.category) categories.add(card.shift.task.category);
  }
  const byName = (a: NamedRef, b: NamedRef) => a.name.localeCompare(b.name, "ja");
  return {
    areas: [...areas.values()].sort(byName),
    organizations: [...organizations.values()].sort(byName),
    categories: [...categories].sort(),
  };
}

/**
 * Epoch ms of local midnight of a `YYYY-MM-DD` day, for the date-range filter.
 * @param offsetMinutes the workspace's UTC offset. @default 540 (Asia/Tokyo, no DST)
 */
export function localDayStart(ymd: string, offsetMinutes = 540): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(utc) ? null : utc - offsetMinutes * 60_000;
}

/** The stage next to `stage` in board order (for ←/→ on the keyboard), clamped at the ends. */
export function neighbourStage(stage: MatchStage, step: -1 | 1): MatchStage {
  const index = BOARD_STAGES.indexOf(stage);
  return BOARD_STAGES[Math.min(BOARD_STAGES.length - 1, Math.max(0, index + step))];
}

/** A card's age (since its last stage change) in whole minutes, hours or days. */
export function cardAge(stageChangedAt: string, now: number): { unit: "minutes" | "hours" | "days"; value: number } {
  const ms = Math.max(0, now - Date.parse(stageChangedAt));
  if (ms < HOUR) return { unit: "minutes", value: Math.floor(ms / 60_000) };
  if (ms < DAY) return { unit: "hours", value: Math.floor(ms / HOUR) };
  return { unit: "days", value: Math.floor(ms / DAY) };
}
