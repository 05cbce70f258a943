import { Link } from "@remix-run/react";
import { CHART_MESSAGES } from "~/features/chart/messages";
import type { Locale } from "~/lib/i18n";

/**
 * From the map's meeting panel to each area's community chart, opened in meeting mode
 * (`?meeting=1`, decision 069). Links relative to the workspace (`/w/<slug>/…`), so the panel
 * needs no slug.
 */
export function ChartLinks({ areas, locale }: { areas: ReadonlyArray<{ id: string; name: string }>; locale: Locale }) {
  const t = CHART_MESSAGES[locale];
  if (areas.length === 0) return null;
  return (
    <nav className="meeting-panel__charts" aria-label={t.meetingCharts} data-testid="meeting-chart-links">
      <h3>{t.meetingCharts}</h3>
      <ul>
        {areas.map((area) => (
          <li key={area.id}>
            <Link to={`../areas/${encodeURIComponent(area.id)}/chart?meeting=1`} relative="path">
              {t.openChartOf(area.name)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
