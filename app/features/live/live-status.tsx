import type { Locale } from "~/lib/i18n";
import type { PresenceEntry } from "~/lib/realtime/events";
import { ConnectionBadge } from "./connection-badge";
import { useLiveWorkspace } from "./use-live-workspace";

const HERE_NOW = { ja: "ここにいる人", en: "Here now" } as const;
const ONLY_YOU = { ja: "ほかに誰もいません", en: "Nobody else" } as const;

/** Shows at most this many people; the rest as "+N" so the bar stays one line on a tablet. */
const MAX_SHOWN = 6;

/** One character for Japanese names (the family name's first kanji), two for Latin ones. */
function initials(name: string): string {
  const trimmed = name.replace(/\s+/g, "");
  return trimmed.slice(0, /^[A-Za-z]/.test(trimmed) ? 2 : 1);
}

/**
 * The workspace's live state in the workspace bar: the connection (connected / reconnecting /
 * offline, in words) and who else is here, one person once even with several tabs. Inside the
 * layout's LiveWorkspaceProvider it reads the shared connection (the page says which board).
 */
export function LiveStatus({ workspaceId, board, locale, selfUserId }: { workspaceId: string; board?: string; locale: Locale; selfUserId: string }) {
  const live = useLiveWorkspace({ workspaceId, board });
  const others = uniqueOthers(live.present, selfUserId);
  const shown = others.slice(0, MAX_SHOWN);
  return (
    <div className="live-status">
      <ConnectionBadge state={live.connection} reason={live.offlineReason} locale={locale} />
      <div className="presence" aria-label={HERE_NOW[locale]}>
        {others.length === 0 ? (
          <span className="presence__empty">{ONLY_YOU[locale]}</span>
        ) : (
          <ul className="presence__list">
            {shown.map((p) => (
              <li key={p.userId} className="presence__person" title={`${p.displayName}(${p.organizationName})`}>
                <span aria-hidden="true" className="presence__avatar" style={{ background: p.colour }}>
                  {initials(p.displayName)}
                </span>
                <span className="visually-hidden">
                  {p.displayName}({p.organizationName})
                </span>
              </li>
            ))}
            {others.length > MAX_SHOWN ? <li className="presence__more">+{others.length - MAX_SHOWN}</li> : null}
          </ul>
        )}
      </div>
    </div>
  );
}

function uniqueOthers(present: readonly PresenceEntry[], selfUserId: string): PresenceEntry[] {
  const seen = new Map<string, PresenceEntry>();
  for (const p of present) if (p.userId !== selfUserId && !seen.has(p.userId)) seen.set(p.userId, p);
  return [...seen.values()];
}
