/**
 * The live figures of the chart: starts from the loader's figures and refetches
 * GET …/areas/:areaId/figures when the workspace's live events say that something they count
 * changed (resources, tasks, pieces, matches, residents), debounced so a burst costs one request.
 * The page owns the live connection (one per page, shared with meeting mode) and bumps
 * `changeTick` for every batch that `affectsFigures`.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { LiveChangeBatch } from "~/features/live/use-live-workspace";
import type { Locale } from "~/lib/i18n";
import { FiguresView } from "./chart-view";
import type { ChartFigures } from "./figures";
import { CHART_MESSAGES } from "./messages";

/** Entities whose changes can move a figure. */
const COUNTED = new Set(["resource", "task", "shift", "match", "resident", "membership"]);
/** @default 300 ms — changes within this window share one refetch. */
const DEBOUNCE_MS = 300;

/** Whether a batch of live changes can move a figure. */
export function affectsFigures(batch: LiveChangeBatch): boolean {
  return batch.changes.some((change) => COUNTED.has(change.entity));
}

export function figuresUrl(workspaceId: string, areaId: string): string {
  return `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/areas/${encodeURIComponent(areaId)}/figures`;
}

export function FiguresPanel(props: {
  workspaceId: string;
  areaId: string;
  initialFigures: ChartFigures;
  /** Bumped by the page when live changes (or a reset) may have moved the figures. */
  changeTick: number;
  locale: Locale;
}) {
  const { workspaceId, areaId, locale } = props;
  const t = CHART_MESSAGES[locale];
  const [figures, setFigures] = useState(props.initialFigures);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const request = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++request.current;
    setLoading(true);
    try {
      const response = await fetch(figuresUrl(workspaceId, areaId), { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const next = (await response.json()) as ChartFigures;
      if (mine === request.current) {
        setFigures(next);
        setFailed(false);
      }
    } catch {
      if (mine === request.current) setFailed(true);
    } finally {
      if (mine === request.current) setLoading(false);
    }
  }, [workspaceId, areaId]);

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void refresh();
    }, DEBOUNCE_MS);
  }, [refresh]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const { changeTick } = props;
  useEffect(() => {
    if (changeTick > 0) schedule();
  }, [changeTick, schedule]);

  return (
    <section aria-labelledby="chart-figures-title" className="section chart-section" aria-busy={loading} data-meeting-section="figures">
      <div className="chart-section__head">
        <h2 id="chart-figures-title">{t.figuresTitle}</h2>
        <button type="button" className="button button--secondary button--small no-print" onClick={() => void refresh()} disabled={loading}>
          {loading ? t.figuresUpdating : t.figuresRefresh}
        </button>
      </div>
      {failed ? (
        <p role="alert" className="alert alert--error">
          {t.figuresError}
        </p>
      ) : null}
      <FiguresView figures={figures} locale={locale} />
    </section>
  );
}
