/**
 * Live figures of an area, as GET /api/v1/workspaces/:id/areas/:areaId/figures answers them
 * (server/domain/chart.ts computes them). Isomorphic: the chart page, the print page and the
 * Markdown export show them.
 */
import { ageBandLabel } from "../../lib/people.ts";

/** A count about people: null and `suppressed` when it is 1–4 (docs/decisions/050). */
export interface FigureCount {
  value: number | null;
  suppressed: boolean;
}

export interface ChartFigures {
  areaId: string;
  /** When the figures were read (ISO). */
  asOf: string;
  /** The calendar month (Japan time) "matches this month" counts, YYYY-MM. */
  month: string;
  resources: {
    total: number;
    byCategory: Array<{ kind: string; category: string; count: number }>;
  };
  residents: {
    /** Residents whose home area this is (not left, not erased). */
    registered: FigureCount;
    /** Of those, the ones who attended a piece in the last `activeDays` days. */
    active: FigureCount;
    activeDays: number;
    byAgeBand: Array<{ band: number | null; registered: FigureCount; active: FigureCount }>;
  };
  /** Pieces of this area's tasks that have not ended yet. */
  pieces: { total: number; open: number; filled: number };
  /** Matches of this area's pieces: proposed this month, and booked (confirmed or later) this month. */
  matches: { proposed: FigureCount; confirmed: FigureCount };
}

/** "—" for a suppressed count (the page explains it), the number otherwise. */
export function formatCount(count: FigureCount, locale: "ja" | "en"): string {
  if (count.suppressed || count.value === null) return locale === "ja" ? "5未満" : "under 5";
  return count.value.toLocaleString(locale === "ja" ? "ja-JP" : "en-US");
}

export function bandLabel(band: number | null, locale: "ja" | "en"): string {
  return ageBandLabel(band, locale);
}
