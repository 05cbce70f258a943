import { describe, expect, it } from "vitest";
import type { LiveChange } from "~/lib/realtime/live-sync";
import type { MatchStage } from "~/lib/schemas";
import {
  BOARD_STAGES,
  MARK_MS,
  MAX_CARD_FETCHES,
  attentionReasons,
  boardView,
  cardAge,
  filledShiftIds,
  filterOptions,
  initialBoardState,
  localDayStart,
  neighbourStage,
  normalizeSearch,
  reduceBoard,
  saveStatus,
  toBoardCard,
  type BoardAction,
  type BoardCard,
  type BoardFilters,
  type BoardState,
} from "./board-state";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-12-01T00:00:00Z: every test passes time in; nothing reads the clock. */
const NOW = Date.UTC(2026, 11, 1);
const WS = "ws1";
const ME = "user-me";
const OTHER = "user-other";

function card(id: string, overrides: Partial<BoardCard> & { startsIn?: number; shiftId?: string; taskId?: string } = {}): BoardCard {
  const { startsIn = 10 * DAY, shiftId = `shift-${id}`, taskId = "task-1", ...rest } = overrides;
  const startsAt = new Date(NOW + startsIn).toISOString();
  return {
    id,
    stage: "SUGGESTED",
    version: 1,
    score: 0.5,
    explanationJa: "調理スキル一致・徒歩12分",
    explanationEn: "Cooking skill match · 12 min walk",
    pinned: false,
    source: "MATCHER",
    stageChangedAt: new Date(NOW - HOUR).toISOString(),
    handledBy: null,
    resident: { publicCode: `R-${id}`, ageBand: 60, area: { id: "area-r", name: "北山" } },
    shift: {
      id: shiftId,
      role: "調理",
      roleEn: "Cooking",
      startsAt,
      endsAt: new Date(NOW + startsIn + 2 * HOUR).toISOString(),
      headcount: 2,
      task: {
        id: taskId,
        title: "こども食堂",
        titleEn: "Children's cafeteria",
        category: "food",
        locationName: "みどり会館",
        isRemote: false,
        area: { id: "area-1", name: "中央", nameEn: "Chuo" },
        owner: { id: "org-npo", name: "NPO法人 みんなの食卓みどり", nameEn: null },
      },
    },
    ...rest,
  };
}

function state(cards: BoardCard[], version = 10): BoardState {
  return initialBoardState(WS, version, cards);
}

function run(s: BoardState, ...actions: BoardAction[]) {
  let current = s;
  const effects = [];
  for (const action of actions) {
    const result = reduceBoard(current, action);
    current = result.state;
    effects.push(...result.effects);
  }
  return { state: current, effects };
}

const moveEvent = (id: string, version: number, stage: MatchStage, cardVersion: number, actor: string | null = OTHER): LiveChange => ({
  version,
  entity: "match",
  entityId: id,
  verb: "updated",
  actorUserId: actor,
  data: { matchId: id, stage, version: cardVersion, shiftId: `shift-${id}` },
});

const stageOf = (s: BoardState, id: string, now = NOW) =>
  boardView(s, {}, now).columns.find((c) => c.cards.some((v) => v.card.id === id && !v.ghost))?.stage ?? null;

describe("toBoardCard", () => {
  it("keeps only board fields and turns dates into ISO strings", () => {
    const raw = {
      ...card("a"),
      residentId: "internal",
      resident: { publicCode: "A12", ageBand: 70, area: { id: "x", name: "東台" }, displayName: "山田 花子" },
      shift: { ...card("a").shift, startsAt: new Date(NOW), endsAt: new Date(NOW + HOUR) },
      stageChangedAt: new Date(NOW - DAY),
    };
    const parsed = toBoardCard(raw)!;
    expect(parsed.resident).toEqual({ publicCode: "A12", ageBand: 70, area: { id: "x", name: "東台", nameEn: null } });
    expect(parsed.shift.startsAt).toBe(new Date(NOW).toISOString());
    expect(parsed.stageChangedAt).toBe(new Date(NOW - DAY).toISOString());
    expect(JSON.stringify(parsed)).not.toContain("山田");
    expect(JSON.stringify(parsed)).not.toContain("internal");
  });

  it.each([
    ["not an object", null],
    ["no id", { version: 1, stage: "SUGGESTED" }],
    ["unknown stage", { ...card("a"), stage: "LOST" }],
    ["no piece", { ...card("a"), shift: null }],
    ["bad piece date", { ...card("a"), shift: { ...card("a").shift, startsAt: "soon" } }],
  ])("rejects %s", (_name, raw) => {
    expect(toBoardCard(raw)).toBeNull();
  });
});

describe("columns and counts", () => {
  it("groups cards by stage in board order, with declined/withdrawn collapsed", () => {
    const s = state([
      card("a"),
      card("b", { stage: "CONTACTING" }),
      card("c", { stage: "CONFIRMED" }),
      card("d", { stage: "DECLINED" }),
      card("e", { stage: "WITHDRAWN" }),
      card("f", { stage: "SUGGESTED" }),
    ]);
    const view = boardView(s, {}, NOW);
    expect(view.columns.map((c) => c.stage)).toEqual(BOARD_STAGES);
    expect(view.columns.map((c) => c.count)).toEqual([2, 1, 0, 1, 0, 0, 1, 1]);
    expect(view.columns.filter((c) => c.collapsed).map((c) => c.stage)).toEqual(["DECLINED", "WITHDRAWN"]);
    expect(view.shown).toBe(6);
    expect(view.total).toBe(6);
  });

  it("orders pinned first, then by the piece's start, so a rescore never reshuffles a column", () => {
    const s = state([
      card("late", { startsIn: 5 * DAY, score: 0.9 }),
      card("early", { startsIn: 1 * DAY, score: 0.1 }),
      card("pinned", { startsIn: 9 * DAY, pinned: true }),
    ]);
    const order = () => boardView(s2, {}, NOW).columns[0].cards.map((v) => v.card.id);
    let s2 = s;
    expect(order()).toEqual(["pinned", "early", "late"]);
    s2 = reduceBoard(s, { type: "card-fetched", card: { ...s.cards.early, score: 0.99, version: 2 }, now: NOW }).state;
    expect(order()).toEqual(["pinned", "early", "late"]);
  });
});

describe("live changes, in version order", () => {
  const base = () => state([card("a"), card("b", { stage: "CONTACTING", version: 3 })], 10);

  const cases: Array<{ name: string; changes: LiveChange[]; expect: { a?: MatchStage | null; b?: MatchStage | null; version: number; effects: unknown[] } }> = [
    {
      name: "a move by someone else patches the card from the event's data (no fetch)",
      changes: [moveEvent("a", 11, "CONTACTING", 2)],
      expect: { a: "CONTACTING", version: 11, effects: [] },
    },
    {
      name: "duplicates and changes already in the loaded data are dropped",
      changes: [moveEvent("a", 10, "CONFIRMED", 2), moveEvent("a", 9, "ACTIVE", 2)],
      expect: { a: "SUGGESTED", version: 10, effects: [] },
    },
    {
      name: "an event with an older card version does not undo a newer card",
      changes: [moveEvent("b", 11, "SUGGESTED", 2)],
      expect: { b: "CONTACTING", version: 11, effects: [] },
    },
    {
      name: "a created card is fetched (events carry ids only)",
      changes: [{ version: 11, entity: "match", entityId: "new", verb: "created", actorUserId: OTHER, data: { matchId: "new" } }],
      expect: { a: "SUGGESTED", version: 11, effects: [{ type: "fetch", ids: ["new"] }] },
    },
    {
      name: "a deleted card goes",
      changes: [{ version: 11, entity: "match", entityId: "a", verb: "deleted", actorUserId: null, data: {} }],
      expect: { a: null, version: 11, effects: [] },
    },
    {
      name: "change-feed rows (no data) refetch the card",
      changes: [{ version: 11, entity: "match", entityId: "b", verb: "updated", actorUserId: OTHER, at: "2026-12-01T00:00:00Z" }],
      expect: { b: "CONTACTING", version: 11, effects: [{ type: "fetch", ids: ["b"] }] },
    },
    {
      name: "a rerun seen only through the change feed reloads the board",
      changes: [{ version: 11, entity: "match", entityId: WS, verb: "updated", actorUserId: null }],
      expect: { version: 11, effects: [{ type: "reload" }] },
    },
    {
      name: "a piece's change refetches the cards showing it",
      changes: [{ version: 11, entity: "shift", entityId: "shift-b", verb: "updated", actorUserId: OTHER, data: {} }],
      expect: { version: 11, effects: [{ type: "fetch", ids: ["b"] }] },
    },
    {
      name: "a task's change refetches all of its cards",
      changes: [{ version: 11, entity: "task", entityId: "task-1", verb: "updated", actorUserId: OTHER, data: {} }],
      expect: { version: 11, effects: [{ type: "fetch", ids: ["a", "b"] }] },
    },
    {
      name: "a team confirmed from the mosaic view patches every card it names (no fetch)",
      changes: [
        {
          version: 11,
          entity: "task",
          entityId: "task-1",
          verb: "updated",
          actorUserId: OTHER,
          data: { kind: "match.team", taskId: "task-1", matches: [{ matchId: "a", stage: "CONFIRMED", version: 2, shiftId: "shift-a" }, { matchId: "b", stage: "CONFIRMED", version: 4, shiftId: "shift-b" }] },
        },
      ],
      expect: { a: "CONFIRMED", b: "CONFIRMED", version: 11, effects: [] },
    },
    {
      name: "a team naming a card this board does not have fetches it; stale versions are ignored",
      changes: [
        {
          version: 11,
          entity: "task",
          entityId: "task-1",
          verb: "updated",
          actorUserId: OTHER,
          data: { kind: "match.team", taskId: "task-1", matches: [{ matchId: "zz", stage: "CONFIRMED", version: 2 }, { matchId: "b", stage: "CONFIRMED", version: 3 }] },
        },
      ],
      expect: { a: "SUGGESTED", b: "CONTACTING", version: 11, effects: [{ type: "fetch", ids: ["zz"] }] },
    },
    {
      name: "a note leaves the card as it is (no fetch)",
      changes: [{ version: 11, entity: "match", entityId: "a", verb: "updated", actorUserId: OTHER, data: { kind: "match.note", matchId: "a", noteCount: 1 } }],
      expect: { a: "SUGGESTED", version: 11, effects: [] },
    },
    {
      name: "other entities are ignored but advance the version",
      changes: [{ version: 11, entity: "resource", entityId: "r", verb: "updated", actorUserId: OTHER, data: {} }],
      expect: { a: "SUGGESTED", version: 11, effects: [] },
    },
  ];

  it.each(cases)("$name", ({ changes, expect: want }) => {
    const { state: s, effects } = run(base(), { type: "changes", changes, selfUserId: ME, now: NOW });
    if ("a" in want) expect(stageOf(s, "a")).toBe(want.a);
    if ("b" in want) expect(stageOf(s, "b")).toBe(want.b);
    expect(s.version).toBe(want.version);
    expect(effects).toEqual(want.effects);
  });

  it("a note stamps the card so its open detail reloads the notes", () => {
    const note: LiveChange = { version: 12, entity: "match", entityId: "a", verb: "updated", actorUserId: OTHER, data: { kind: "match.note", matchId: "a" } };
    const { state: s } = run(base(), { type: "changes", changes: [note], selfUserId: ME, now: NOW });
    expect(s.noteStamps).toEqual({ a: 12 });
    expect(s.cards.a.version).toBe(1);
  });

  it("keeps the organization a card was handed to", () => {
    const raw = { ...card("h"), handledBy: { id: "org-2", name: "地域包括支援センター", nameEn: null } };
    expect(toBoardCard(raw)?.handledBy).toEqual({ id: "org-2", name: "地域包括支援センター", nameEn: null });
    expect(toBoardCard({ ...card("h"), handledBy: undefined })?.handledBy).toBeNull();
  });

  it("marks someone else's change as recent until the mark expires; not our own", () => {
    const { state: s } = run(base(), {
      type: "changes",
      changes: [moveEvent("a", 11, "CONTACTING", 2, OTHER), moveEvent("b", 12, "ARRANGING", 4, ME)],
      selfUserId: ME,
      now: NOW,
    });
    const view = (now: number) => boardView(s, {}, now).columns.flatMap((c) => c.cards);
    expect(view(NOW).find((v) => v.card.id === "a")!.mark).toEqual({ kind: "moved", actorUserId: OTHER, until: NOW + MARK_MS });
    expect(view(NOW).find((v) => v.card.id === "b")!.mark).toBeNull();
    expect(view(NOW + MARK_MS).find((v) => v.card.id === "a")!.mark).toBeNull();
    const pruned = reduceBoard(s, { type: "prune", now: NOW + MARK_MS }).state;
    expect(pruned.marks).toEqual({});
  });

  it("a fetched card older than what we have is ignored", () => {
    const s = run(base(), { type: "changes", changes: [moveEvent("a", 11, "CONFIRMED", 5)], selfUserId: ME, now: NOW }).state;
    const stale = reduceBoard(s, { type: "card-fetched", card: card("a", { version: 4, stage: "CONTACTING" }), now: NOW }).state;
    expect(stageOf(stale, "a")).toBe("CONFIRMED");
    const fresh = reduceBoard(s, { type: "card-fetched", card: card("a", { version: 6, stage: "ACTIVE" }), now: NOW }).state;
    expect(stageOf(fresh, "a")).toBe("ACTIVE");
  });

  it("a card that is no longer visible (404) goes", () => {
    expect(stageOf(reduceBoard(base(), { type: "card-missing", id: "a", now: NOW }).state, "a")).toBeNull();
  });

  it("too many cards to refetch one by one: reload instead", () => {
    const many = Array.from({ length: MAX_CARD_FETCHES + 1 }, (_, i) => card(`c${i}`, { taskId: "big" }));
    const { effects } = run(state(many), {
      type: "changes",
      changes: [{ version: 11, entity: "task", entityId: "big", verb: "updated", actorUserId: OTHER, data: {} }],
      selfUserId: ME,
      now: NOW,
    });
    expect(effects).toEqual([{ type: "reload" }]);
  });
});

describe("matching reruns (matching:updated)", () => {
  const runChange = (version: number, ids: { added?: string[]; removed?: string[]; updated?: string[] }): LiveChange => ({
    version,
    entity: "match",
    entityId: WS,
    verb: "updated",
    actorUserId: null,
    data: {
      kind: "matching.run",
      summary: {
        workspaceId: WS,
        version,
        added: ids.added?.length ?? 0,
        removed: ids.removed?.length ?? 0,
        rescored: ids.updated?.length ?? 0,
        matchIds: { added: ids.added ?? [], removed: ids.removed ?? [], updated: ids.updated ?? [] },
        stats: { mode: "incremental", durationMs: 42 },
        ranAt: "2026-12-01T09:00:00.000Z",
      },
    },
  });
  const cards = () =>
    state([
      card("gone"),
      card("kept"),
      card("pinned", { pinned: true }),
      card("confirmed", { stage: "CONFIRMED" }),
    ]);

  it("removes proposals (kept briefly as ghosts), fetches added and rescored ones, and summarizes the run", () => {
    const { state: s, effects } = run(cards(), {
      type: "changes",
      changes: [runChange(11, { added: ["n1", "n2"], removed: ["gone"], updated: ["kept"] })],
      selfUserId: ME,
      now: NOW,
    });
    expect(effects).toEqual([{ type: "fetch", ids: ["kept", "n1", "n2"] }]);
    expect(s.lastRun).toMatchObject({ added: 2, removed: 1, rescored: 1, ranAt: "2026-12-01T09:00:00.000Z", mode: "incremental", receivedAt: NOW });
    const view = boardView(s, {}, NOW);
    const suggested = view.columns[0];
    expect(suggested.cards.find((v) => v.card.id === "gone")).toMatchObject({ ghost: true, mark: { kind: "removed" } });
    expect(suggested.count).toBe(2); // kept, pinned: ghosts are not counted
    expect(suggested.cards.find((v) => v.card.id === "kept")!.mark?.kind).toBe("rescored");
    // The new cards are marked when they arrive.
    const after = reduceBoard(s, { type: "card-fetched", card: card("n1"), now: NOW + 10 }).state;
    expect(boardView(after, {}, NOW + 10).columns[0].cards.find((v) => v.card.id === "n1")!.mark?.kind).toBe("added");
    // Ghosts and marks expire.
    const later = boardView(s, {}, NOW + MARK_MS).columns[0].cards;
    expect(later.some((v) => v.ghost)).toBe(false);
    expect(later.every((v) => v.mark === null)).toBe(true);
  });

  it.each(["pinned", "confirmed"])("never drops a %s card by itself: refetches it instead", (id) => {
    const { state: s, effects } = run(cards(), {
      type: "changes",
      changes: [runChange(11, { removed: [id] })],
      selfUserId: ME,
      now: NOW,
    });
    expect(stageOf(s, id)).toBe(id === "pinned" ? "SUGGESTED" : "CONFIRMED");
    expect(effects).toEqual([{ type: "fetch", ids: [id] }]);
  });

  it("a rerun's rescore of a confirmed card does not move it", () => {
    const { state: s } = run(
      cards(),
      { type: "changes", changes: [runChange(11, { updated: ["confirmed"] })], selfUserId: ME, now: NOW },
      { type: "card-fetched", card: card("confirmed", { stage: "CONFIRMED", version: 2, score: 0.9 }), now: NOW },
    );
    expect(stageOf(s, "confirmed")).toBe("CONFIRMED");
  });
});

describe("optimistic moves", () => {
  const base = () => state([card("a", { version: 3 })]);

  it("shows the card in its new column while saving, then keeps the server's card", () => {
    let s = reduceBoard(base(), { type: "move-start", id: "a", to: "CONTACTING", now: NOW }).state;
    expect(stageOf(s, "a")).toBe("CONTACTING");
    expect(s.pending.a).toEqual({ from: "SUGGESTED", to: "CONTACTING", expectedVersion: 3 });
    expect(saveStatus(s)).toBe("saving");
    s = reduceBoard(s, { type: "move-ok", id: "a", card: card("a", { version: 4, stage: "CONTACTING" }), now: NOW }).state;
    expect(stageOf(s, "a")).toBe("CONTACTING");
    expect(s.pending).toEqual({});
    expect(saveStatus(s)).toBe("saved");
  });

  it("a move to the column it is in, or a second move while one is pending, does nothing", () => {
    expect(reduceBoard(base(), { type: "move-start", id: "a", to: "SUGGESTED", now: NOW }).state.pending).toEqual({});
    const s = run(base(), { type: "move-start", id: "a", to: "CONTACTING", now: NOW }, { type: "move-start", id: "a", to: "ACTIVE", now: NOW }).state;
    expect(s.pending.a.to).toBe("CONTACTING");
  });

  it("uses the version the person saw when they picked the card up", () => {
    const s = reduceBoard(base(), { type: "move-start", id: "a", to: "ARRANGING", expectedVersion: 2, now: NOW }).state;
    expect(s.pending.a.expectedVersion).toBe(2);
  });

  it("a conflict rolls back to the server's current card and keeps who changed it", () => {
    const { state: s } = run(
      base(),
      { type: "move-start", id: "a", to: "CONTACTING", now: NOW },
      {
        type: "move-refused",
        id: "a",
        code: "conflict",
        current: card("a", { version: 4, stage: "ARRANGING" }),
        changedBy: "森 さくら",
        changedAt: "2026-12-01T00:00:00.000Z",
        now: NOW,
      },
    );
    expect(stageOf(s, "a")).toBe("ARRANGING");
    expect(s.cards.a.version).toBe(4);
    expect(s.conflicts.a).toEqual({ attempted: "CONTACTING", current: "ARRANGING", changedBy: "森 さくら", changedAt: "2026-12-01T00:00:00.000Z" });
    expect(saveStatus(s)).toBe("error");
    const view = boardView(s, {}, NOW).columns[2].cards[0];
    expect(view.conflict?.changedBy).toBe("森 さくら");
    // Dismissed, or cleared by the next move.
    expect(reduceBoard(s, { type: "dismiss-conflict", id: "a" }).state.conflicts).toEqual({});
    expect(reduceBoard(s, { type: "move-start", id: "a", to: "CONFIRMED", now: NOW }).state.conflicts).toEqual({});
  });

  it.each([
    ["forbidden", "SUGGESTED"],
    ["unavailable", "SUGGESTED"],
    ["rate_limited", "SUGGESTED"],
  ] as const)("a %s refusal rolls back and records the error", (code, back) => {
    const { state: s } = run(base(), { type: "move-start", id: "a", to: "CONFIRMED", now: NOW }, { type: "move-refused", id: "a", code, now: NOW });
    expect(stageOf(s, "a")).toBe(back);
    expect(s.errors.a).toEqual({ code, attempted: "CONFIRMED" });
    expect(s.conflicts).toEqual({});
  });

  it("a not_found refusal removes the card", () => {
    const { state: s } = run(base(), { type: "move-start", id: "a", to: "CONFIRMED", now: NOW }, { type: "move-refused", id: "a", code: "not_found", now: NOW });
    expect(stageOf(s, "a")).toBeNull();
  });

  it("someone else's live move during our pending move keeps our target shown until the ack decides", () => {
    const { state: s } = run(
      base(),
      { type: "move-start", id: "a", to: "CONTACTING", now: NOW },
      { type: "changes", changes: [moveEvent("a", 11, "DECLINED", 4)], selfUserId: ME, now: NOW },
    );
    expect(stageOf(s, "a")).toBe("CONTACTING");
    expect(s.cards.a.stage).toBe("DECLINED");
  });

  it("a reload keeps in-flight moves of cards that still exist", () => {
    const { state: s } = run(
      state([card("a"), card("b")]),
      { type: "move-start", id: "a", to: "CONTACTING", now: NOW },
      { type: "move-start", id: "b", to: "CONTACTING", now: NOW },
      { type: "loaded", version: 20, cards: [card("a")], now: NOW },
    );
    expect(Object.keys(s.pending)).toEqual(["a"]);
    expect(s.version).toBe(20);
  });
});

describe("filters and search", () => {
  const cards = [
    card("food-soon", { startsIn: 24 * HOUR }),
    card("other-org", {
      shift: { ...card("x").shift, task: { ...card("x").shift.task, owner: { id: "org-shakyo", name: "社協" }, category: "watch" } },
    }),
    card("remote", {
      shift: { ...card("y").shift, task: { ...card("y").shift.task, area: null, isRemote: true, title: "オンライン見守り" } },
    }),
    card("later", { startsIn: 40 * DAY }),
  ];
  const s = state(cards);
  const ids = (filters: BoardFilters, now = NOW) =>
    boardView(s, filters, now)
      .columns.flatMap((c) => c.cards.map((v) => v.card.id))
      .sort();

  it.each<[string, BoardFilters, string[]]>([
    ["no filter", {}, ["food-soon", "later", "other-org", "remote"]],
    ["organization", { orgId: "org-shakyo" }, ["other-org"]],
    ["category", { category: "watch" }, ["other-org"]],
    ["area: the task's, else the resident's", { areaId: "area-r" }, ["remote"]],
    ["area of the task", { areaId: "area-1" }, ["food-soon", "later", "other-org"]],
    ["date range (from inclusive, to exclusive)", { from: NOW, to: NOW + 2 * DAY }, ["food-soon"]],
    ["date range from only", { from: NOW + 20 * DAY }, ["later"]],
    ["search in the title", { query: "オンライン" }, ["remote"]],
    ["search is NFKC + case-insensitive (full-width latin)", { query: "ｒ-LATER" }, ["later"]],
    ["search with several words (all must match)", { query: "こども 北山" }, ["food-soon", "later", "other-org"]],
    ["search in the explanation (en)", { query: "cooking" }, ["food-soon", "later", "other-org", "remote"]],
    ["search finds nothing", { query: "存在しない" }, []],
    ["needs attention", { needsAttention: true }, ["food-soon"]],
  ])("%s", (_name, filters, expected) => {
    expect(ids(filters)).toEqual(expected);
  });

  it("counts only the filtered cards, and keeps the column's total", () => {
    const column = boardView(s, { orgId: "org-shakyo" }, NOW).columns[0];
    expect(column.count).toBe(1);
    expect(column.total).toBe(4);
  });

  it("offers the areas, organizations and categories on the board", () => {
    const options = filterOptions(Object.values(s.cards));
    expect(options.areas.map((a) => a.id).sort()).toEqual(["area-1", "area-r"]);
    expect(options.organizations.map((o) => o.id).sort()).toEqual(["org-npo", "org-shakyo"]);
    expect(options.categories).toEqual(["food", "watch"]);
  });
});

describe("needs attention", () => {
  const filled = (cards: BoardCard[]) => filledShiftIds(cards);
  it.each<[string, BoardCard, MatchStage, BoardCard[], number, string[]]>([
    ["piece within 72 h, nobody confirmed", card("a", { startsIn: 71 * HOUR }), "SUGGESTED", [], NOW, ["starts-soon-unfilled"]],
    ["piece within 48 h, nobody confirmed", card("a", { startsIn: 47 * HOUR }), "ARRANGING", [], NOW, ["starts-soon-unfilled"]],
    ["a proposal nobody touched for 3 days", card("a", { stageChangedAt: new Date(NOW - 3 * DAY - 1).toISOString() }), "SUGGESTED", [], NOW, ["stale"]],
    ["exactly 72 h", card("a", { startsIn: 72 * HOUR }), "CONTACTING", [], NOW, ["starts-soon-unfilled"]],
    ["piece in 73 h", card("a", { startsIn: 73 * HOUR }), "SUGGESTED", [], NOW, []],
    ["piece already started", card("a", { startsIn: -HOUR }), "SUGGESTED", [], NOW, []],
    [
      "someone else is confirmed for the piece",
      card("a", { startsIn: 10 * HOUR, shiftId: "s" }),
      "SUGGESTED",
      [card("b", { stage: "CONFIRMED", shiftId: "s" })],
      NOW,
      [],
    ],
    ["the card itself is confirmed", card("a", { startsIn: 10 * HOUR }), "CONFIRMED", [], NOW, []],
    ["untouched for 3 days", card("a", { stageChangedAt: new Date(NOW - 3 * DAY).toISOString() }), "ARRANGING", [], NOW, ["stale"]],
    ["untouched for 2.9 days", card("a", { stageChangedAt: new Date(NOW - 2.9 * DAY).toISOString() }), "ARRANGING", [], NOW, []],
    ["closed stages never need attention", card("a", { startsIn: HOUR, stageChangedAt: new Date(NOW - 9 * DAY).toISOString() }), "DECLINED", [], NOW, []],
    [
      "both reasons",
      card("a", { startsIn: HOUR, stageChangedAt: new Date(NOW - 4 * DAY).toISOString() }),
      "CONTACTING",
      [],
      NOW,
      ["starts-soon-unfilled", "stale"],
    ],
  ])("%s", (_name, c, stage, others, now, expected) => {
    expect(attentionReasons(c, stage, filled(others), now)).toEqual(expected);
  });
});

describe("small helpers", () => {
  it.each([
    ["2026-12-01", Date.UTC(2026, 10, 30, 15)],
    ["2026-1-01", null],
    ["", null],
  ])("localDayStart(%s) is local (JST) midnight", (ymd, expected) => {
    expect(localDayStart(ymd)).toBe(expected);
  });

  it.each<[MatchStage, -1 | 1, MatchStage]>([
    ["SUGGESTED", -1, "SUGGESTED"],
    ["SUGGESTED", 1, "CONTACTING"],
    ["COMPLETED", 1, "DECLINED"],
    ["WITHDRAWN", 1, "WITHDRAWN"],
  ])("neighbourStage(%s, %i) = %s", (stage, step, expected) => {
    expect(neighbourStage(stage, step)).toBe(expected);
  });

  it.each([
    [30 * 60_000, { unit: "minutes", value: 30 }],
    [5 * HOUR, { unit: "hours", value: 5 }],
    [3 * DAY + HOUR, { unit: "days", value: 3 }],
    [-HOUR, { unit: "minutes", value: 0 }],
  ])("cardAge(%i ms)", (age, expected) => {
    expect(cardAge(new Date(NOW - age).toISOString(), NOW)).toEqual(expected);
  });

  it("normalizes search text", () => {
    expect(normalizeSearch("  ＡＢＣ　 こども ")).toBe("abc こども");
  });
});
