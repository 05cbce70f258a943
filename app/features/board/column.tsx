import type { DragEvent, ReactNode } from "react";
import { label, type Locale, type Messages } from "~/lib/i18n";
import type { ColumnView } from "./board-state";

export interface ColumnProps {
  column: ColumnView;
  locale: Locale;
  t: Messages;
  /** The column a held card would land in (keyboard, mouse or touch). */
  isTarget: boolean;
  /** Cards rendered before "show more". */
  limit: number;
  /** Always render these card ids even beyond the limit (held, focused, just changed). */
  keep: ReadonlySet<string>;
  renderCard(view: ColumnView["cards"][number]): ReactNode;
  onShowMore(stage: ColumnView["stage"]): void;
  onDragOver(event: DragEvent<HTMLElement>, stage: ColumnView["stage"]): void;
  onDrop(event: DragEvent<HTMLElement>, stage: ColumnView["stage"]): void;
}

/**
 * One stage of the board: a drop target (`data-stage`, found by the touch drag too) with its
 * count. Declined and withdrawn are collapsed into a disclosure that still takes drops.
 */
export function Column({ column, locale, t, isTarget, limit, keep, renderCard, onShowMore, onDragOver, onDrop }: ColumnProps) {
  const headingId = `column-${column.stage}`;
  const shown = column.cards.filter((v, i) => i < limit || keep.has(v.card.id));
  const rest = column.cards.length - shown.length;
  const className = `board-column${column.collapsed ? " board-column--collapsed" : ""}${isTarget ? " board-column--target" : ""}`;
  const heading = (
    <h2 id={headingId} className="board-column__title">
      <span>{label(locale, `stage_${column.stage}`)}</span>{" "}
      <span className="count" data-testid={`count-${column.stage}`}>
        {t.boardColumnCount(column.count, column.total)}
      </span>
    </h2>
  );
  const body = (
    <>
      {shown.length === 0 ? (
        <p className="board-column__empty">{t.boardColumnEmpty}</p>
      ) : (
        <ol className="board-column__cards" aria-labelledby={headingId}>
          {shown.map((view) => (
            <li key={view.ghost ? `ghost-${view.card.id}` : view.card.id}>{renderCard(view)}</li>
          ))}
        </ol>
      )}
      {rest > 0 ? (
        <button type="button" className="button button--secondary button--small board-column__more" onClick={() => onShowMore(column.stage)}>
          {t.boardShowMore(rest)}
        </button>
      ) : null}
    </>
  );
  const dropProps = {
    "data-stage": column.stage,
    onDragOver: (event: DragEvent<HTMLElement>) => onDragOver(event, column.stage),
    onDrop: (event: DragEvent<HTMLElement>) => onDrop(event, column.stage),
  };
  if (column.collapsed) {
    return (
      <details className={className} {...dropProps} open={isTarget || undefined}>
        <summary>{heading}</summary>
        {body}
      </details>
    );
  }
  return (
    <section className={className} aria-labelledby={headingId} {...dropProps}>
      {heading}
      {isTarget ? <p className="board-column__drop-hint" aria-hidden="true">↓</p> : null}
      {body}
    </section>
  );
}
