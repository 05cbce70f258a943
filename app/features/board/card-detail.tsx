import { Link, useParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { categoryLabel } from "~/lib/categories";
import { formatTimeRange } from "~/lib/format";
import { intlLocale, label, localized, type Locale, type Messages } from "~/lib/i18n";
import { ageBandLabel } from "~/lib/people";
import type { MatchStage } from "~/lib/schemas";
import { fetchCard } from "./board-api";
import { BOARD_STAGES, type BoardCard } from "./board-state";
import { ContactSection, extrasOf, HandoffSection, NotesSection, OutcomeSection, type CardExtras } from "./card-actions";
import { detailMessages } from "./detail-messages";

interface HistoryEntry {
  id: string;
  kind: string;
  fromStage: MatchStage | null;
  toStage: MatchStage | null;
  createdAt: string;
  actor: { displayName: string } | null;
}

/** Words for history entries that are not stage moves. */
function historyKind(kind: string, locale: Locale): string | null {
  const words: Record<string, [string, string]> = {
    note: ["メモを追加", "Added a note"],
    handoff: ["ほかの団体に引き継ぎ", "Handed to another organization"],
    outcome: ["結果を記録", "Recorded the outcome"],
    pinned: ["ピン留め", "Pinned"],
    unpinned: ["ピン留めを解除", "Unpinned"],
    created: ["追加", "Added"],
  };
  const pair = words[kind];
  return pair ? pair[locale === "en" ? 1 : 0] : null;
}

/**
 * A card's detail in a modal dialog (native <dialog>: focus stays inside, Esc closes, focus goes
 * back to the card). History comes from GET /api/v1/matches/:id; moving from here uses the same
 * path as the board (a keyboard- and screen-reader-friendly alternative to dragging).
 */
export function CardDetail({
  card,
  locale,
  t,
  timeZone,
  canMove,
  workspaceId,
  noteStamp,
  offerOutcome,
  onCard,
  onMove,
  onPin,
  onClose,
}: {
  card: BoardCard;
  locale: Locale;
  t: Messages;
  timeZone: string;
  canMove: boolean;
  workspaceId: string;
  /** Changes when someone adds a note to this card (live): the notes are read again. */
  noteStamp: number;
  /** Opened right after the card was completed: focus the outcome form. */
  offerOutcome: boolean;
  /** A newer card from an action here (hand-off, outcome). */
  onCard(card: BoardCard): void;
  onMove(to: MatchStage): void;
  /** Pins or unpins the card (the matcher never moves a pinned card); resolves to an error code or null. */
  onPin(pinned: boolean): Promise<string | null>;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [history, setHistory] = useState<HistoryEntry[] | "loading" | "failed">("loading");
  const [target, setTarget] = useState<MatchStage>(card.stage);
  const [pinState, setPinState] = useState<"idle" | "saving" | "failed">("idle");
  const [extras, setExtras] = useState<CardExtras | null>(null);
  const [reloads, setReloads] = useState(0);
  const m = detailMessages(locale);
  const { slug } = useParams();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  // Reload the history whenever the card changes (a move by anyone bumps its version).
  useEffect(() => {
    let cancelled = false;
    void fetchCard(card.id).then((result) => {
      if (cancelled) return;
      if (result.status !== "ok") return setHistory("failed");
      const events = Array.isArray(result.raw.events) ? (result.raw.events as HistoryEntry[]) : [];
      setHistory(events);
      setExtras(extrasOf(result.raw));
    });
    return () => {
      cancelled = true;
    };
  }, [card.id, card.version, noteStamp, reloads]);

  const { task } = card.shift;
  const stageName = (stage: MatchStage | null) => (stage ? label(locale, `stage_${stage}`) : "—");
  const when = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short", timeZone });
  return (
    <dialog ref={dialog} className="board-detail" aria-labelledby="board-detail-title" onClose={onClose}>
      <div className="board-detail__head">
        <h2 id="board-detail-title">{t.detailTitle}</h2>
        <button type="button" className="button button--secondary button--small" onClick={onClose}>
          {t.detailClose}
        </button>
      </div>
      <h3>{localized(locale, task.title, task.titleEn)}</h3>
      <dl className="facts facts--compact">
        <div>
          <dt>{t.detailPiece}</dt>
          <dd>
            {formatTimeRange(card.shift.startsAt, card.shift.endsAt, locale, timeZone)}
            {t.listSeparator}
            {localized(locale, card.shift.role, card.shift.roleEn)}
            {t.listSeparator}
            {task.isRemote ? t.cardRemote : (task.locationName ?? "—")}
          </dd>
        </div>
        <div>
          <dt>{t.cardResident}</dt>
          <dd>
            {card.resident.publicCode} · {ageBandLabel(card.resident.ageBand, locale)}
            {card.resident.area ? ` · ${card.resident.area.name}` : ""}
          </dd>
        </div>
        <div>
          <dt>{t.organization}</dt>
          <dd>
            {localized(locale, task.owner.name, task.owner.nameEn)}
            {t.listSeparator}
            {categoryLabel(task.category, locale)}
            {card.handledBy ? (
              <>
                {t.listSeparator}
                {m.handledBy(localized(locale, card.handledBy.name, card.handledBy.nameEn ?? null))}
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t.detailExplanation}</dt>
          <dd>
            {t.cardScore(card.score.toFixed(2))}
            {t.listSeparator}
            {(locale === "en" ? card.explanationEn : card.explanationJa) ?? card.explanationJa ?? "—"}
          </dd>
        </div>
      </dl>

      {canMove ? (
        <form
          className="board-detail__move"
          onSubmit={(event) => {
            event.preventDefault();
            if (target !== card.stage) onMove(target);
          }}
        >
          <label htmlFor="board-detail-stage">{t.detailMoveTo}</label>
          <select id="board-detail-stage" value={target} onChange={(event) => setTarget(event.target.value as MatchStage)}>
            {BOARD_STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {stageName(stage)}
              </option>
            ))}
          </select>
          <button type="submit" className="button button--small">
            {t.detailMove}
          </button>
          {card.stage !== "DECLINED" ? (
            <button type="button" className="button button--secondary button--small" onClick={() => onMove("DECLINED")}>
              {t.detailDecline}
            </button>
          ) : null}
        </form>
      ) : null}
      {canMove ? (
        <p className="board-detail__pin">
          <button
            type="button"
            className="button button--secondary button--small"
            aria-pressed={card.pinned}
            disabled={pinState === "saving"}
            onClick={() => {
              setPinState("saving");
              void onPin(!card.pinned).then((error) => setPinState(error ? "failed" : "idle"));
            }}
          >
            {card.pinned ? t.detailUnpin : t.detailPin}
          </button>{" "}
          <span className="board-detail__note">{pinState === "failed" ? t.detailPinFailed : t.detailPinHelp}</span>
        </p>
      ) : null}

      {slug ? (
        <p>
          <Link to={`/w/${slug}/tasks/${task.id}/mosaic`} className="board-detail__mosaic">
            {m.mosaicLink}
          </Link>
        </p>
      ) : null}

      {extras && extras.access.act ? <OutcomeSection key={`o-${card.version}`} card={card} extras={extras} m={m} now={Date.now()} autoFocus={offerOutcome} onCard={onCard} /> : null}
      {extras ? (
        <NotesSection card={card} extras={extras} m={m} locale={locale} timeZone={timeZone} onAdded={() => setReloads((n) => n + 1)} />
      ) : null}
      <ContactSection key={`c-${card.id}`} card={card} canMove={canMove} m={m} />
      {extras && extras.access.act ? <HandoffSection card={card} workspaceId={workspaceId} m={m} locale={locale} onCard={onCard} /> : null}

      <h3>{t.detailHistory}</h3>
      {history === "loading" ? (
        <p>{t.detailLoading}</p>
      ) : history === "failed" ? (
        <p className="board-detail__error">{t.detailLoadFailed}</p>
      ) : history.length === 0 ? (
        <p>{t.detailHistoryEmpty}</p>
      ) : (
        <ol className="board-detail__history" data-testid="history">
          {history.map((entry) => (
            <li key={entry.id}>
              <time dateTime={entry.createdAt}>{when.format(new Date(entry.createdAt))}</time>{" "}
              {entry.fromStage || entry.toStage ? t.detailHistoryMove(stageName(entry.fromStage), stageName(entry.toStage)) : (historyKind(entry.kind, locale) ?? entry.kind)}{" "}
              <span className="board-detail__actor">
                {entry.actor ? t.detailHistoryBy(entry.actor.displayName) : t.detailHistoryMatcher}
              </span>
            </li>
          ))}
        </ol>
      )}
    </dialog>
  );
}
