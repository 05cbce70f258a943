import type { Locale, Messages } from "~/lib/i18n";
import { intlLocale } from "~/lib/i18n";
import type { RunSummary } from "./board-state";

/**
 * "What changed" after a matching rerun: counts and the run's time. A polite status, so screen
 * readers hear it once without losing their place; stays until dismissed or the next run.
 */
export function RerunBanner({
  run,
  locale,
  t,
  timeZone,
  onDismiss,
}: {
  run: RunSummary | null;
  locale: Locale;
  t: Messages;
  timeZone: string;
  onDismiss(): void;
}) {
  const time = run
    ? new Intl.DateTimeFormat(intlLocale(locale), { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone }).format(
        new Date(run.ranAt),
      )
    : "";
  return (
    <div className="board-rerun" role="status" aria-live="polite">
      {run ? (
        <div className="board-rerun__box" data-testid="rerun-banner">
          <p>
            <strong>{t.rerunTitle}</strong> <span className="board-rerun__time">{t.rerunAt(time)}</span>
            <br />
            {t.rerunSummary(run.added, run.removed, run.rescored)}
            <br />
            <span className="board-rerun__note">{t.rerunFixedNote}</span>
          </p>
          <button type="button" className="button button--secondary button--small" onClick={onDismiss}>
            {t.dismiss}
          </button>
        </div>
      ) : null}
    </div>
  );
}
