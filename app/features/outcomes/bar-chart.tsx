/**
 * A horizontal bar chart in plain SVG (no chart library). Decorative: the numbers are in the
 * table next to it, so the chart is hidden from screen readers and says so in its caption.
 * A suppressed value (null) draws no bar.
 */
export interface Bar {
  key: string;
  label: string;
  value: number | null;
  /** What is written at the end of the bar ("12", "hidden (small count)"). */
  text: string;
}

const ROW = 28;
const LABEL_WIDTH = 150;
const BAR_WIDTH = 300;
const TEXT_WIDTH = 150;

export function BarChart({ bars, max }: { bars: Bar[]; max?: number }) {
  const top = Math.max(1, max ?? Math.max(0, ...bars.map((b) => b.value ?? 0)));
  const width = LABEL_WIDTH + BAR_WIDTH + TEXT_WIDTH;
  const height = Math.max(1, bars.length) * ROW;
  return (
    <svg className="kpi-chart" viewBox={`0 0 ${width} ${height}`} width="100%" aria-hidden="true" focusable="false" preserveAspectRatio="xMinYMin meet">
      {bars.map((bar, i) => {
        const y = i * ROW;
        const length = bar.value == null ? 0 : Math.max(bar.value > 0 ? 2 : 0, (bar.value / top) * BAR_WIDTH);
        return (
          <g key={bar.key}>
            <text x={LABEL_WIDTH - 8} y={y + ROW / 2} textAnchor="end" dominantBaseline="middle" className="kpi-chart__label">
              {bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={y + 5} width={BAR_WIDTH} height={ROW - 10} className="kpi-chart__track" />
            <rect x={LABEL_WIDTH} y={y + 5} width={length} height={ROW - 10} className={bar.value == null ? "kpi-chart__bar kpi-chart__bar--hidden" : "kpi-chart__bar"} />
            <text x={LABEL_WIDTH + BAR_WIDTH + 8} y={y + ROW / 2} dominantBaseline="middle" className="kpi-chart__text">
              {bar.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A rate as a bar with its target marked (0–100 %). Decorative, like BarChart. */
export function RateBar({ rate, target }: { rate: number | null; target: number | null }) {
  const clamp = (v: number) => Math.max(0, Math.min(1, v)) * 100;
  return (
    <svg className="kpi-rate" viewBox="0 0 100 12" width="100%" height="12" aria-hidden="true" focusable="false" preserveAspectRatio="none">
      <rect x={0} y={2} width={100} height={8} className="kpi-chart__track" />
      {rate != null ? <rect x={0} y={2} width={clamp(rate)} height={8} className="kpi-chart__bar" /> : null}
      {target != null ? <rect x={clamp(target) - 0.5} y={0} width={1} height={12} className="kpi-rate__target" /> : null}
    </svg>
  );
}
