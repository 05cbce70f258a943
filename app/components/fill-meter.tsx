/**
 * "2 / 3" with a bar. The text carries the meaning; the bar is decoration for a quick scan,
 * hidden from screen readers so the numbers are not read twice.
 */
export function FillMeter({ filled, total, label, completeLabel }: { filled: number; total: number; label: string; completeLabel?: string }) {
  const ratio = total > 0 ? Math.min(1, filled / total) : 0;
  const complete = total > 0 && filled >= total;
  return (
    <span className={complete ? "fill-meter fill-meter--complete" : "fill-meter"}>
      <span className="fill-meter__bar" aria-hidden="true">
        <span className="fill-meter__value" style={{ width: `${Math.round(ratio * 100)}%` }} />
      </span>
      <span className="fill-meter__text">
        {label}
        {complete && completeLabel ? <span className="badge badge--ok">{completeLabel}</span> : null}
      </span>
    </span>
  );
}
