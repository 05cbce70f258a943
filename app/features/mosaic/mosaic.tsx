import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef } from "react";
import { useLiveWorkspace, type LiveChangeBatch } from "~/features/live/use-live-workspace";
import { formatTimeRange } from "~/lib/format";
import { localized, type Locale } from "~/lib/i18n";
import { buildMosaic, cellKey, type MosaicMatch, type MosaicPiece } from "./mosaic-grid";
import type { MosaicMessages } from "./mosaic-messages";

/** The presence board name of this page. */
export const MOSAIC_BOARD = "mosaic";
/** Coalesce a burst of live changes into one reload of the page's data. @default 150 ms */
const RELOAD_DEBOUNCE_MS = 150;

export interface MosaicProps {
  workspaceId: string;
  version: number;
  taskId: string;
  pieces: MosaicPiece[];
  /** Server time of the loader (the first render matches the server's HTML). */
  now: number;
  canConfirm: boolean;
  result: { confirmed?: number; error?: string } | null;
  locale: Locale;
  timeZone: string;
  m: MosaicMessages;
}

/**
 * The mosaic grid of one task: rows are times, columns roles. The team plan comes from the same
 * pure function the server checks against (mosaic-grid.ts); the confirm button is a plain form
 * (works without JavaScript). Live: any change of a card, piece or this task reloads the page's
 * data through the loader (useLiveWorkspace, like the board).
 */
export function Mosaic({ workspaceId, version, taskId, pieces, now, canConfirm, result, locale, timeZone, m }: MosaicProps) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const timer = useRef<number | null>(null);
  const shiftIds = useRef(new Set<string>());
  shiftIds.current = new Set(pieces.map((p) => p.id));
  const matchIds = useRef(new Set<string>());
  matchIds.current = new Set(pieces.flatMap((p) => p.matches.map((x) => x.id)));

  const reload = useCallback(() => {
    if (timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      revalidator.revalidate();
    }, RELOAD_DEBOUNCE_MS);
  }, [revalidator]);
  useEffect(() => () => void (timer.current !== null && window.clearTimeout(timer.current)), []);

  const onChanges = useCallback(
    (batch: LiveChangeBatch) => {
      const relevant = batch.changes.some((c) => {
        if (c.entity === "task") return c.entityId === taskId;
        if (c.entity === "shift") return shiftIds.current.has(c.entityId) || c.verb === "created";
        if (c.entity !== "match") return false;
        const shiftId = typeof c.data?.shiftId === "string" ? c.data.shiftId : null;
        // A new card, a rerun (entity id = the workspace) or one of ours.
        return shiftId ? shiftIds.current.has(shiftId) : c.entityId === workspaceId || matchIds.current.has(c.entityId) || c.verb === "created";
      });
      if (relevant) reload();
    },
    [reload, taskId, workspaceId],
  );
  useLiveWorkspace({ workspaceId, initialVersion: version, board: MOSAIC_BOARD, onChanges, onReset: () => reload() });

  const grid = buildMosaic(pieces, now);
  const submitting = navigation.state === "submitting";
  const person = (x: MosaicMatch) => (locale === "en" ? x.resident.labelEn : x.resident.label);

  return (
    <div className="mosaic">
      <p className="mosaic__totals" data-testid="mosaic-totals">
        {m.totals(grid.totals.filled, grid.totals.headcount, grid.totals.proposed, grid.totals.open)}
      </p>
      <div className="mosaic__scroll">
        <table className="mosaic__grid" data-testid="mosaic-grid">
          <thead>
            <tr>
              <th scope="col">{m.time}</th>
              {grid.columns.map((c) => (
                <th scope="col" key={c.key}>
                  {localized(locale, c.role, c.roleEn)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{formatTimeRange(row.startsAt, row.endsAt, locale, timeZone)}</th>
                {grid.columns.map((column) => {
                  const cell = grid.cells[cellKey(row.key, column.key)];
                  if (!cell) {
                    return (
                      <td key={column.key} className="mosaic__cell mosaic__cell--none">
                        {m.noPiece}
                      </td>
                    );
                  }
                  const state = cell.open === 0 ? "full" : cell.proposed.length > 0 ? "proposed" : "open";
                  return (
                    <td key={column.key} className={`mosaic__cell mosaic__cell--${state}${cell.needsAttention ? " mosaic__cell--attention" : ""}`} data-testid="mosaic-cell" data-open={cell.open}>
                      <p className="mosaic__counts">{m.cellCounts(cell.filled.length, cell.headcount, cell.proposed.length, cell.open)}</p>
                      <p className="mosaic__slots" aria-hidden="true">
                        {Array.from({ length: cell.headcount }, (_, i) => (
                          <span key={i} className={`mosaic__slot mosaic__slot--${i < cell.filled.length ? "filled" : i < cell.filled.length + cell.picks.length ? "picked" : "open"}`} />
                        ))}
                      </p>
                      {cell.needsAttention ? <p className="mosaic__attention">{m.attention}</p> : null}
                      {cell.started ? <p className="mosaic__note">{m.started}</p> : null}
                      <ul className="mosaic__people">
                        {cell.filled.map((x) => (
                          <li key={x.id} className="mosaic__person mosaic__person--filled" data-match-id={x.id} data-stage={x.stage}>
                            <span className="mosaic__tag">{m.filledPerson}</span> {person(x)}
                          </li>
                        ))}
                        {cell.proposed.map((x) => {
                          const picked = cell.picks.includes(x.id);
                          return (
                            <li key={x.id} className={`mosaic__person${picked ? " mosaic__person--picked" : ""}`} data-match-id={x.id} data-stage={x.stage}>
                              <span className="mosaic__tag">{picked ? m.pickedPerson : m.proposedPerson}</span> {person(x)} · {x.score.toFixed(2)}
                            </li>
                          );
                        })}
                      </ul>
                      {cell.filled.length === 0 && cell.proposed.length === 0 ? <p className="mosaic__note">{m.noProposal}</p> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="mosaic__actions">
        {result?.confirmed != null ? (
          <p className="alert alert--ok" role="status">
            {m.confirmed(result.confirmed)}
          </p>
        ) : null}
        {result?.error ? (
          <p className="alert alert--error" role="alert" data-testid="mosaic-error">
            {m.refused} {result.error}
          </p>
        ) : null}
        {!canConfirm ? (
          <p>{m.readOnly}</p>
        ) : grid.plan.picks.length === 0 ? (
          <p>{m.nothingToConfirm}</p>
        ) : (
          <Form method="post" replace>
            <input type="hidden" name="picks" value={JSON.stringify(grid.plan.picks.map((p) => ({ matchId: p.matchId, expectedVersion: p.expectedVersion })))} />
            <p id="mosaic-confirm-help">{m.confirmHelp(grid.plan.picks.length)}</p>
            {grid.plan.unfilled.some((u) => u.reason === "no-candidates") ? (
              <p>{m.unfilled(grid.plan.unfilled.filter((u) => u.reason === "no-candidates").reduce((n, u) => n + u.missing, 0))}</p>
            ) : null}
            <button type="submit" className="button" disabled={submitting} aria-describedby="mosaic-confirm-help">
              {submitting ? m.confirming : m.confirm}
            </button>
          </Form>
        )}
        <p className="mosaic__note">{m.live}</p>
      </div>
    </div>
  );
}
