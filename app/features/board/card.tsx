import { memo, type DragEvent, type KeyboardEvent, type PointerEvent } from "react";
import { categoryLabel } from "~/lib/categories";
import { formatTimeRange, isoString } from "~/lib/format";
import { label, localized, type Locale, type Messages } from "~/lib/i18n";
import { ageBandLabel } from "~/lib/people";
import type { LockInfo } from "~/lib/realtime/events";
import type { CardView } from "./board-state";
import { detailMessages } from "./detail-messages";

export interface CardHandlers {
  onKeyDown(event: KeyboardEvent<HTMLElement>, id: string): void;
  onDragStart(event: DragEvent<HTMLElement>, id: string): void;
  onDragEnd(id: string): void;
  onGripPointerDown(event: PointerEvent<HTMLElement>, id: string): void;
  onOpenDetail(id: string): void;
  onDismissConflict(id: string): void;
}

export interface CardProps {
  view: CardView;
  locale: Locale;
  t: Messages;
  timeZone: string;
  canMove: boolean;
  /** "3日前に更新": computed by the board so a tick does not need `now` here. */
  ageText: string;
  /** Someone else's soft lock on this card. */
  lock: LockInfo | null;
  /** This card is held (keyboard, mouse or touch drag). */
  held: boolean;
  /** Display name for the mark's actor. */
  actorName: string | null;
  handlers: CardHandlers;
}

/** The card's title for announcements: the task, then the piece's role. */
export function cardTitle(view: Pick<CardView, "card">, locale: Locale): string {
  const { task } = view.card.shift;
  return `${localized(locale, task.title, task.titleEn)}（${localized(locale, view.card.shift.role, view.card.shift.roleEn)}）`;
}

function markText(view: CardView, t: Messages, actorName: string | null): string | null {
  if (!view.mark) return null;
  switch (view.mark.kind) {
    case "added":
      return t.markAdded;
    case "rescored":
      return t.markRescored;
    case "removed":
      return t.markRemoved;
    case "moved":
      return t.markMoved(actorName ?? t.someone);
    case "updated":
      return t.markUpdated(actorName ?? t.someone);
  }
}

/**
 * One match on the board. The whole card is the keyboard handle (Space/Enter picks it up) and
 * the mouse drag source; the grip is the touch handle (touch-action: none only there, so the
 * board still scrolls under a finger). The resident is a pseudonym card: code · age band · area.
 */
function CardImpl({ view, locale, t, timeZone, canMove, ageText, lock, held, actorName, handlers }: CardProps) {
  const { card } = view;
  const { task } = card.shift;
  const id = card.id;
  const titleId = `card-title-${id}`;
  const place = task.isRemote ? t.cardRemote : (task.locationName ?? task.area?.name ?? "");
  const mark = markText(view, t, actorName);
  const movable = canMove && !view.ghost;
  const classes = [
    "board-card",
    view.mark ? `board-card--${view.mark.kind}` : "",
    view.ghost ? "board-card--ghost" : "",
    view.pending ? "board-card--pending" : "",
    view.conflict || view.error ? "board-card--conflict" : "",
    held ? "board-card--held" : "",
    lock ? "board-card--locked" : "",
    view.attention.length > 0 ? "board-card--attention" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const explanation = locale === "en" ? (card.explanationEn ?? card.explanationJa) : card.explanationJa;

  return (
    <article
      id={`card-${id}`}
      className={classes}
      data-card-id={id}
      data-card-stage={view.stage}
      tabIndex={view.ghost ? undefined : 0}
      aria-labelledby={titleId}
      aria-describedby={movable ? "board-keyboard-help" : undefined}
      aria-roledescription={locale === "ja" ? "カード" : "card"}
      draggable={movable}
      onKeyDown={movable ? (event) => handlers.onKeyDown(event, id) : undefined}
      onDragStart={movable ? (event) => handlers.onDragStart(event, id) : undefined}
      onDragEnd={movable ? () => handlers.onDragEnd(id) : undefined}
      style={lock ? { borderColor: lock.holder.colour } : undefined}
    >
      <div className="board-card__head">
        {movable ? (
          <span className="board-card__grip" aria-hidden="true" onPointerDown={(event) => handlers.onGripPointerDown(event, id)}>
            ⠿
          </span>
        ) : null}
        <h3 id={titleId} className="board-card__title">
          {localized(locale, task.title, task.titleEn)}
        </h3>
      </div>
      <p className="board-card__piece">
        <time dateTime={isoString(card.shift.startsAt)}>{formatTimeRange(card.shift.startsAt, card.shift.endsAt, locale, timeZone)}</time>
        <span className="board-card__sep">{t.listSeparator}</span>
        {localized(locale, card.shift.role, card.shift.roleEn)}
        {place ? (
          <>
            <span className="board-card__sep">{t.listSeparator}</span>
            {place}
          </>
        ) : null}
      </p>
      <p className="board-card__resident">
        <span className="visually-hidden">{t.cardResident}: </span>
        <span className="board-card__code">{card.resident.publicCode}</span>
        {" · "}
        {ageBandLabel(card.resident.ageBand, locale)}
        {card.resident.area ? ` · ${card.resident.area.name}` : ""}
      </p>
      <p className="board-card__meta">
        {localized(locale, task.owner.name, task.owner.nameEn)}
        <span className="board-card__sep">{t.listSeparator}</span>
        {categoryLabel(task.category, locale)}
        {card.handledBy ? (
          <>
            <span className="board-card__sep">{t.listSeparator}</span>
            <span className="board-card__handled">{detailMessages(locale).handledBy(localized(locale, card.handledBy.name, card.handledBy.nameEn ?? null))}</span>
          </>
        ) : null}
      </p>
      <p className="board-card__score">
        <strong>{t.cardScore(card.score.toFixed(2))}</strong>
        {explanation ? <span className="board-card__why"> {explanation}</span> : null}
      </p>
      <ul className="board-card__badges">
        {card.pinned ? <li className="board-badge board-badge--pinned">{t.cardPinned}</li> : null}
        {view.ghost ? <li className="board-badge board-badge--removed">{t.cardRemovedByRerun}</li> : mark ? <li className="board-badge board-badge--mark">{mark}</li> : null}
        {view.attention.map((reason) => (
          <li key={reason} className="board-badge board-badge--attention">
            {reason === "stale" ? t.attentionStale : t.attentionStartsSoon}
          </li>
        ))}
        {view.pending ? <li className="board-badge board-badge--saving">{t.cardSaving}</li> : null}
        {lock ? (
          <li className="board-badge board-badge--lock" style={{ borderColor: lock.holder.colour }}>
            {t.lockedBy(lock.holder.displayName, lock.kind)}
          </li>
        ) : null}
        <li className="board-card__age">{ageText}</li>
      </ul>
      {view.conflict ? (
        <div className="board-card__alert" data-testid="conflict">
          <p>
            <strong>{t.conflictTitle}</strong>
            <br />
            {t.conflictBody(view.conflict.changedBy ?? t.someone, label(locale, `stage_${view.conflict.current}`))}
          </p>
          <button type="button" className="button button--secondary button--small" onClick={() => handlers.onDismissConflict(id)}>
            {t.dismiss}
          </button>
        </div>
      ) : view.error ? (
        <div className="board-card__alert">
          <p>{t.moveError(view.error.code)}</p>
          <button type="button" className="button button--secondary button--small" onClick={() => handlers.onDismissConflict(id)}>
            {t.dismiss}
          </button>
        </div>
      ) : null}
      {view.ghost ? null : (
        <button type="button" className="board-card__details" onClick={() => handlers.onOpenDetail(id)}>
          {t.cardDetails}
          <span className="visually-hidden">: {localized(locale, task.title, task.titleEn)}</span>
        </button>
      )}
      {view.ghost ? null : (
        // Relative to /w/<slug>/board: the task's mosaic view (a plain link, works without JS).
        <a className="board-card__mosaic" href={`tasks/${encodeURIComponent(task.id)}/mosaic`}>
          {detailMessages(locale).mosaicShort}
          <span className="visually-hidden">: {localized(locale, task.title, task.titleEn)}</span>
        </a>
      )}
    </article>
  );
}

function same(a: CardProps, b: CardProps): boolean {
  const x = a.view;
  const y = b.view;
  return (
    x.card === y.card &&
    x.stage === y.stage &&
    x.pending === y.pending &&
    x.conflict === y.conflict &&
    x.error === y.error &&
    x.mark === y.mark &&
    x.ghost === y.ghost &&
    x.attention.join() === y.attention.join() &&
    a.locale === b.locale &&
    a.canMove === b.canMove &&
    a.ageText === b.ageText &&
    a.lock === b.lock &&
    a.held === b.held &&
    a.actorName === b.actorName &&
    a.handlers === b.handlers &&
    a.timeZone === b.timeZone
  );
}

export const Card = memo(CardImpl, same);
