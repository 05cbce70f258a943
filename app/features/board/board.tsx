import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent, type PointerEvent } from "react";
import { ConnectionBadge } from "~/features/live/connection-badge";
import { useLiveWorkspace, type LiveChangeBatch } from "~/features/live/use-live-workspace";
import { label, type Locale, type Messages } from "~/lib/i18n";
import type { LockInfo, PresenceEntry } from "~/lib/realtime/events";
import type { MatchStage } from "~/lib/schemas";
import { fetchAllCards, fetchCard, postMove, postPin, type MoveResult } from "./board-api";
import {
  boardView,
  cardAge,
  filterOptions,
  initialBoardState,
  localDayStart,
  neighbourStage,
  reduceBoard,
  saveStatus,
  toBoardCard,
  type BoardAction,
  type BoardCard,
  type BoardEffect,
  type BoardFilters,
  type BoardState,
  type CardView,
} from "./board-state";
import { Card, cardTitle, type CardHandlers } from "./card";
import { CardDetail } from "./card-detail";
import { detailMessages } from "./detail-messages";
import { Column } from "./column";
import { EMPTY_FILTERS, Filters, type FilterForm } from "./filters";
import { RerunBanner } from "./rerun-banner";

/** The presence board name of this page (docs/board.md). */
export const BOARD_NAME = "board";
/** Cards rendered per column before "show more" (2,000 cards stay fast on a tablet). */
const COLUMN_PAGE = 100;
/** How often card ages and marks are refreshed. */
const TICK_MS = 15_000;
/** Parallel card refetches. */
const FETCH_CONCURRENCY = 6;

export interface BoardProps {
  workspaceId: string;
  initialVersion: number;
  initialCards: BoardCard[];
  /** Server time of the loader, so the first render matches the server's HTML. */
  renderedAt: number;
  selfUserId: string;
  canMove: boolean;
  timeZone: string;
  locale: Locale;
  t: Messages;
}

/** A card being moved: by keyboard (target chosen with ←/→), mouse (HTML5 DnD) or touch (pointer). */
interface Held {
  id: string;
  via: "keyboard" | "mouse" | "pointer";
  origin: MatchStage;
  target: MatchStage;
  /** The card version the person saw when picking it up: a change by someone else meanwhile is a conflict. */
  expectedVersion: number;
}

const lockTarget = (id: string) => `match:${id}`;

function toFilters(form: FilterForm): BoardFilters {
  const to = form.to ? localDayStart(form.to) : null;
  return {
    areaId: form.areaId || null,
    orgId: form.orgId || null,
    category: form.category || null,
    from: form.from ? localDayStart(form.from) : null,
    to: to == null ? null : to + 24 * 3_600_000, // "until" includes that day
    needsAttention: form.needsAttention,
    query: form.query,
  };
}

function ageText(t: Messages, stageChangedAt: string, now: number): string {
  const age = cardAge(stageChangedAt, now);
  return age.unit === "minutes" ? t.cardAgeMinutes(age.value) : age.unit === "hours" ? t.cardAgeHours(age.value) : t.cardAgeDays(age.value);
}

/**
 * The coordinators' live kanban. Pure state in ./board-state (reduceBoard); this component feeds it
 * the loader's cards, live changes (useLiveWorkspace), fetch answers and move acks, and carries out
 * its effects. Moves go over the `match:move` command with `expectedVersion` (REST when the socket
 * is down); conflicts show on the card and in the polite live region.
 */
export function Board({ workspaceId, initialVersion, initialCards, renderedAt, selfUserId, canMove, timeZone, locale, t }: BoardProps) {
  const stateRef = useRef<BoardState>();
  if (!stateRef.current) stateRef.current = initialBoardState(workspaceId, initialVersion, initialCards);
  const [state, setState] = useState<BoardState>(stateRef.current);
  const [now, setNow] = useState(renderedAt);
  const [form, setForm] = useState<FilterForm>(EMPTY_FILTERS);
  const [held, setHeld] = useState<Held | null>(null);
  const heldRef = useRef<Held | null>(null);
  const [limits, setLimits] = useState<Partial<Record<MatchStage, number>>>({});
  const [detailId, setDetailId] = useState<string | null>(null);
  /** A card this person just completed: offer to record its outcome (decision 033). */
  const [outcomeOffer, setOutcomeOffer] = useState<string | null>(null);
  const [detailOutcome, setDetailOutcome] = useState(false);
  const [runDismissed, setRunDismissed] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const focusAfterRender = useRef<string | null>(null);
  const boardRef = useRef<HTMLDivElement>(null);

  const announce = useCallback((message: string) => {
    // Clear first so the same words are announced again.
    setAnnouncement("");
    window.setTimeout(() => setAnnouncement(message), 30);
  }, []);

  const setHeldBoth = useCallback((next: Held | null) => {
    heldRef.current = next;
    setHeld(next);
  }, []);

  // ───── state + effects ─────
  const runEffectsRef = useRef<(effects: BoardEffect[]) => void>(() => {});
  const dispatch = useCallback((action: BoardAction) => {
    const result = reduceBoard(stateRef.current!, action);
    stateRef.current = result.state;
    setState(result.state);
    if (result.effects.length > 0) runEffectsRef.current(result.effects);
  }, []);

  const reload = useCallback(async () => {
    const cards = await fetchAllCards(workspaceId);
    if (cards) dispatch({ type: "loaded", version: stateRef.current!.version, cards, now: Date.now() });
  }, [dispatch, workspaceId]);

  useEffect(() => {
    runEffectsRef.current = (effects) => {
      for (const effect of effects) {
        if (effect.type === "reload") {
          void reload();
          continue;
        }
        const queue = [...effect.ids];
        const worker = async () => {
          for (let id = queue.shift(); id; id = queue.shift()) {
            const result = await fetchCard(id);
            if (result.status === "ok") dispatch({ type: "card-fetched", card: result.card, now: Date.now() });
            else if (result.status === "missing") dispatch({ type: "card-missing", id, now: Date.now() });
          }
        };
        for (let i = 0; i < Math.min(FETCH_CONCURRENCY, queue.length); i++) void worker();
      }
    };
  }, [dispatch, reload]);

  // ───── live connection ─────
  const onChanges = useCallback(
    (batch: LiveChangeBatch) => {
      const before = stateRef.current!;
      dispatch({ type: "changes", changes: batch.changes, selfUserId, now: Date.now() });
      // Tell screen-reader users about someone else's move of the card they are on.
      const focused = typeof document !== "undefined" ? document.activeElement?.getAttribute("data-card-id") : null;
      if (!focused) return;
      const after = stateRef.current!;
      const a = before.cards[focused];
      const b = after.cards[focused];
      const mark = after.marks[focused];
      if (a && b && a.stage !== b.stage && mark?.kind === "moved") {
        const who = presentRef.current.find((p) => p.userId === mark.actorUserId)?.displayName ?? t.someone;
        announce(t.announceLiveMove(cardTitle({ card: b }, locale), label(locale, `stage_${b.stage}`), who));
      }
    },
    [announce, dispatch, locale, selfUserId, t],
  );
  const live = useLiveWorkspace({
    workspaceId,
    initialVersion,
    board: BOARD_NAME,
    onChanges,
    onReset: () => void reload(),
  });
  const presentRef = useRef<PresenceEntry[]>([]);
  presentRef.current = live.present;
  const liveRef = useRef(live);
  liveRef.current = live;

  // ───── clock (outside the pure state) ─────
  useEffect(() => {
    setNow(Date.now());
    const timer = window.setInterval(() => {
      const time = Date.now();
      setNow(time);
      dispatch({ type: "prune", now: time });
    }, TICK_MS);
    return () => window.clearInterval(timer);
  }, [dispatch]);
  // Marks last MARK_MS: re-render when the next one expires, not only at the tick.
  useEffect(() => {
    const untils = [...Object.values(state.marks).map((m) => m.until), ...Object.values(state.ghosts).map((g) => g.until)];
    if (untils.length === 0) return;
    const next = Math.min(...untils) - Date.now();
    const timer = window.setTimeout(() => {
      const time = Date.now();
      setNow(time);
      dispatch({ type: "prune", now: time });
    }, Math.max(50, next + 20));
    return () => window.clearTimeout(timer);
  }, [state.marks, state.ghosts, dispatch]);

  // ───── moves ─────
  const move = useCallback(
    async (id: string, to: MatchStage, expectedVersion?: number) => {
      const card = stateRef.current!.cards[id];
      if (!card || card.stage === to || stateRef.current!.pending[id]) return;
      const title = cardTitle({ card }, locale);
      const version = expectedVersion ?? card.version;
      dispatch({ type: "move-start", id, to, expectedVersion: version, now: Date.now() });
      focusAfterRender.current = id;
      announce(t.announceMoved(title, label(locale, `stage_${to}`)));
      let result: MoveResult;
      const ack = await liveRef.current.sendCommand("match:move", { matchId: id, stage: to, expectedVersion: version });
      if (ack.ok) {
        const entity = toBoardCard(ack.entity);
        result = entity ? { ok: true, card: entity } : { ok: false, code: "internal" };
      } else if (ack.code === "unavailable") {
        result = await postMove(id, to, version); // the socket is down: the REST twin, same service
      } else if (ack.code === "conflict") {
        result = { ok: false, code: "conflict", current: toBoardCard(ack.current), changedBy: ack.changedBy, changedAt: ack.changedAt };
      } else {
        result = { ok: false, code: ack.code };
      }
      if (result.ok) {
        dispatch({ type: "move-ok", id, card: result.card, now: Date.now() });
        announce(t.announceSaved(title, label(locale, `stage_${result.card.stage}`)));
        if (result.card.stage === "COMPLETED" && canMove) setOutcomeOffer(id);
      } else {
        dispatch({ type: "move-refused", id, code: result.code, current: result.current, changedBy: result.changedBy, changedAt: result.changedAt, now: Date.now() });
        const conflict = stateRef.current!.conflicts[id];
        if (conflict) announce(t.announceConflict(title, conflict.changedBy ?? t.someone, label(locale, `stage_${conflict.current}`)));
        else announce(t.moveError(result.code));
      }
    },
    [announce, canMove, dispatch, locale, t],
  );

  const lockHolder = useCallback(
    (id: string): LockInfo | null => {
      const lock = liveRef.current.locks[lockTarget(id)];
      return lock && lock.holder.userId !== selfUserId ? lock : null;
    },
    [selfUserId],
  );

  const pickUp = useCallback(
    (id: string, via: Held["via"]) => {
      const card = stateRef.current!.cards[id];
      if (!card || stateRef.current!.pending[id]) return false;
      const other = lockHolder(id);
      const stage = card.stage;
      setHeldBoth({ id, via, origin: stage, target: stage, expectedVersion: card.version });
      // Advisory: someone else holding it is a warning, not a wall; the version check decides.
      if (other) announce(t.announceLocked(other.holder.displayName));
      else if (via === "keyboard") announce(t.announcePicked(cardTitle({ card }, locale), label(locale, `stage_${stage}`)));
      void liveRef.current.acquireLock(lockTarget(id), "dragging");
      return true;
    },
    [announce, lockHolder, locale, setHeldBoth, t],
  );

  const letGo = useCallback(
    (drop: boolean) => {
      const current = heldRef.current;
      if (!current) return;
      setHeldBoth(null);
      void liveRef.current.releaseLock(lockTarget(current.id));
      const card = stateRef.current!.cards[current.id];
      if (drop && current.target !== current.origin) void move(current.id, current.target, current.expectedVersion);
      else if (card && current.via === "keyboard") announce(t.announceCancelled(cardTitle({ card }, locale)));
    },
    [announce, locale, move, setHeldBoth, t],
  );

  const setTarget = useCallback(
    (stage: MatchStage) => {
      const current = heldRef.current;
      if (!current || current.target === stage) return;
      setHeldBoth({ ...current, target: stage });
      if (current.via === "keyboard") announce(t.announceOver(label(locale, `stage_${stage}`)));
    },
    [announce, locale, setHeldBoth, t],
  );

  // Pointer (touch, pen) drag from the grip: hit-test the column under the finger.
  const pointerDrag = useRef<{ pointerId: number } | null>(null);
  const handlers = useMemo<CardHandlers>(
    () => ({
      onKeyDown(event: KeyboardEvent<HTMLElement>, id: string) {
        if (event.target !== event.currentTarget) return; // keys on the card's buttons are theirs
        const current = heldRef.current;
        if (!current) {
          if (event.key === " " || event.key === "Enter") {
            event.preventDefault();
            pickUp(id, "keyboard");
          }
          return;
        }
        if (current.id !== id) return;
        if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
          event.preventDefault();
          setTarget(neighbourStage(current.target, event.key === "ArrowRight" ? 1 : -1));
        } else if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          letGo(true);
        } else if (event.key === "Escape") {
          event.preventDefault();
          letGo(false);
        }
      },
      onDragStart(event: DragEvent<HTMLElement>, id: string) {
        if (!pickUp(id, "mouse")) {
          event.preventDefault();
          return;
        }
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", id);
      },
      onDragEnd() {
        // A drop already let go; otherwise (dropped outside, Esc) cancel.
        if (heldRef.current?.via === "mouse") letGo(false);
      },
      onGripPointerDown(event: PointerEvent<HTMLElement>, id: string) {
        if (event.pointerType === "mouse" || event.button !== 0) return; // mice use HTML5 DnD
        event.preventDefault();
        if (!pickUp(id, "pointer")) return;
        pointerDrag.current = { pointerId: event.pointerId };
        const onMove = (e: globalThis.PointerEvent) => {
          if (e.pointerId !== pointerDrag.current?.pointerId) return;
          const column = document.elementFromPoint(e.clientX, e.clientY)?.closest<HTMLElement>("[data-stage]");
          if (column?.dataset.stage) setTarget(column.dataset.stage as MatchStage);
          // Scroll the board when the finger nears its edge (narrow screens).
          const scroller = boardRef.current;
          if (scroller) {
            const box = scroller.getBoundingClientRect();
            if (e.clientX < box.left + 40) scroller.scrollLeft -= 24;
            else if (e.clientX > box.right - 40) scroller.scrollLeft += 24;
          }
        };
        const finish = (e: globalThis.PointerEvent) => {
          if (e.pointerId !== pointerDrag.current?.pointerId) return;
          pointerDrag.current = null;
          window.removeEventListener("pointermove", onMove);
          window.removeEventListener("pointerup", finish);
          window.removeEventListener("pointercancel", finish);
          letGo(e.type === "pointerup");
        };
        window.addEventListener("pointermove", onMove);
        window.addEventListener("pointerup", finish);
        window.addEventListener("pointercancel", finish);
      },
      onOpenDetail(id: string) {
        setDetailId(id);
        void liveRef.current.acquireLock(lockTarget(id), "editing");
      },
      onDismissConflict(id: string) {
        dispatch({ type: "dismiss-conflict", id });
      },
    }),
    [dispatch, letGo, pickUp, setTarget],
  );

  const closeDetail = useCallback(() => {
    setDetailOutcome(false);
    setDetailId((id) => {
      if (id) {
        void liveRef.current.releaseLock(lockTarget(id));
        focusAfterRender.current = id;
      }
      return null;
    });
  }, []);

  // Keep keyboard focus on a card that moved to another column (it is a new element there).
  useEffect(() => {
    const id = focusAfterRender.current;
    if (!id || detailId) return;
    focusAfterRender.current = null;
    const element = document.getElementById(`card-${id}`);
    if (element && document.activeElement !== element) element.focus({ preventScroll: false });
  });

  // ───── view ─────
  const filters = useMemo(() => toFilters(form), [form]);
  const view = useMemo(() => boardView(state, filters, now), [state, filters, now]);
  const options = useMemo(() => filterOptions(Object.values(state.cards)), [state.cards]);
  const keep = useMemo(() => {
    const ids = new Set<string>([...Object.keys(state.pending), ...Object.keys(state.conflicts), ...Object.keys(state.marks)]);
    if (held) ids.add(held.id);
    if (detailId) ids.add(detailId);
    return ids;
  }, [state.pending, state.conflicts, state.marks, held, detailId]);
  const others = useMemo(() => {
    const seen = new Map<string, PresenceEntry>();
    for (const p of live.present) if (p.board === BOARD_NAME && p.userId !== selfUserId && !seen.has(p.userId)) seen.set(p.userId, p);
    return [...seen.values()];
  }, [live.present, selfUserId]);
  const names = useMemo(() => new Map(live.present.map((p) => [p.userId, p.displayName])), [live.present]);
  const save = saveStatus(state);
  const detailCard = detailId ? state.cards[detailId] : undefined;

  const onDragOver = useCallback(
    (event: DragEvent<HTMLElement>, stage: MatchStage) => {
      if (heldRef.current?.via !== "mouse") return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      setTarget(stage);
    },
    [setTarget],
  );
  const onDrop = useCallback(
    (event: DragEvent<HTMLElement>, stage: MatchStage) => {
      if (heldRef.current?.via !== "mouse") return;
      event.preventDefault();
      setTarget(stage);
      heldRef.current = { ...heldRef.current, target: stage };
      letGo(true);
    },
    [letGo, setTarget],
  );

  const renderCard = (v: CardView) => (
    <Card
      view={v}
      locale={locale}
      t={t}
      timeZone={timeZone}
      canMove={canMove}
      ageText={ageText(t, v.card.stageChangedAt, now)}
      lock={v.ghost ? null : lockHolderFrom(live.locks, v.card.id, selfUserId)}
      held={held?.id === v.card.id}
      actorName={v.mark?.actorUserId ? (names.get(v.mark.actorUserId) ?? null) : null}
      handlers={handlers}
    />
  );

  const run = state.lastRun && state.lastRun.version !== runDismissed ? state.lastRun : null;

  return (
    <div className="board">
      <div className="board-toolbar">
        <ConnectionBadge state={live.connection} reason={live.offlineReason} locale={locale} />
        <p className={`board-save board-save--${save}`} role="status" aria-live="polite" data-testid="save-status">
          {save === "saving" ? t.saveSaving : save === "saved" ? t.saveSaved : save === "error" ? t.saveError : ""}
        </p>
        <div className="board-presence" aria-label={t.boardViewing}>
          <span className="board-presence__label">{t.boardViewing}:</span>
          {others.length === 0 ? (
            <span className="board-presence__empty">{t.boardNobodyElse}</span>
          ) : (
            <ul className="board-presence__list">
              {others.map((p) => (
                <li key={p.userId} className="board-presence__person">
                  <span aria-hidden="true" className="board-presence__dot" style={{ background: p.colour }} />
                  {p.displayName}
                  <span className="board-presence__org">（{p.organizationName}）</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <p className="board-toolbar__count">{t.boardShown(view.shown, view.total)}</p>
      </div>

      <Filters value={form} onChange={setForm} options={options} locale={locale} t={t} />
      <RerunBanner run={run} locale={locale} t={t} timeZone={timeZone} onDismiss={() => setRunDismissed(state.lastRun?.version ?? null)} />
      {canMove ? (
        <p id="board-keyboard-help" className="board-help">
          {t.boardKeyboardHelp}
        </p>
      ) : (
        <p className="board-help">{t.readOnlyBoard}</p>
      )}

      {outcomeOffer && state.cards[outcomeOffer]?.stage === "COMPLETED" ? (
        <div className="board-offer" role="status" data-testid="outcome-offer">
          <p>{detailMessages(locale).outcomePrompt(cardTitle({ card: state.cards[outcomeOffer] }, locale))}</p>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setDetailOutcome(true);
              handlers.onOpenDetail(outcomeOffer);
              setOutcomeOffer(null);
            }}
          >
            {detailMessages(locale).outcomePromptOpen}
          </button>{" "}
          <button type="button" className="button button--secondary button--small" onClick={() => setOutcomeOffer(null)}>
            {detailMessages(locale).outcomePromptDismiss}
          </button>
        </div>
      ) : null}

      <div className="board-columns" ref={boardRef} data-testid="board-columns">
        {view.columns.map((column) => (
          <Column
            key={column.stage}
            column={column}
            locale={locale}
            t={t}
            isTarget={held !== null && held.target === column.stage && held.target !== held.origin}
            limit={limits[column.stage] ?? COLUMN_PAGE}
            keep={keep}
            renderCard={renderCard}
            onShowMore={(stage) => setLimits((l) => ({ ...l, [stage]: (l[stage] ?? COLUMN_PAGE) + COLUMN_PAGE }))}
            onDragOver={onDragOver}
            onDrop={onDrop}
          />
        ))}
      </div>

      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </p>

      {detailCard ? (
        <CardDetail
          key={detailCard.id}
          card={detailCard}
          locale={locale}
          t={t}
          timeZone={timeZone}
          canMove={canMove}
          workspaceId={workspaceId}
          noteStamp={state.noteStamps[detailCard.id] ?? 0}
          offerOutcome={detailOutcome}
          onCard={(next) => dispatch({ type: "card-fetched", card: next, now: Date.now() })}
          onMove={(to) => void move(detailCard.id, to)}
          onPin={async (pinned) => {
            const result = await postPin(detailCard.id, pinned, detailCard.version);
            if (result.ok) dispatch({ type: "card-fetched", card: result.card, now: Date.now() });
            return result.ok ? null : result.code;
          }}
          onClose={closeDetail}
        />
      ) : null}
    </div>
  );
}

function lockHolderFrom(locks: Readonly<Record<string, LockInfo>>, id: string, selfUserId: string): LockInfo | null {
  const lock = locks[lockTarget(id)];
  return lock && lock.holder.userId !== selfUserId ? lock : null;
}
