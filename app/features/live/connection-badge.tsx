import type { Locale } from "~/lib/i18n";
import type { LiveConnectionState, OfflineReason } from "./live-workspace-client";

const LABELS: Record<Locale, Record<LiveConnectionState, string>> = {
  ja: {
    connecting: "接続しています…",
    connected: "ライブ更新中",
    reconnecting: "再接続しています…（変更は再接続後に反映されます）",
    offline: "オフライン",
  },
  en: {
    connecting: "Connecting…",
    connected: "Live",
    reconnecting: "Reconnecting… (changes will catch up)",
    offline: "Offline",
  },
};

const OFFLINE_DETAIL: Record<Locale, Record<OfflineReason, string>> = {
  ja: {
    network: "ネットワークに接続すると自動で同期します",
    logged_out: "ログアウトしました",
    unauthenticated: "もう一度ログインしてください",
    forbidden: "このプラットフォームを表示する権限がありません",
    stopped: "",
  },
  en: {
    network: "will sync when the network is back",
    logged_out: "logged out",
    unauthenticated: "please log in again",
    forbidden: "no access to this workspace",
    stopped: "",
  },
};

const DOT: Record<LiveConnectionState, string> = {
  connecting: "#4a525a",
  connected: "#1d6b2f",
  reconnecting: "#b34700",
  offline: "#a4161a",
};

/** The text the badge shows, exported for tests and for other surfaces (e.g. a page title). */
export function connectionLabel(locale: Locale, state: LiveConnectionState, reason: OfflineReason | null = null): string {
  const detail = state === "offline" && reason ? OFFLINE_DETAIL[locale][reason] : "";
  return detail ? `${LABELS[locale][state]}: ${detail}` : LABELS[locale][state];
}

/**
 * The live connection's state, in words and a coloured dot (the dot alone would fail users who do
 * not see colour). A polite live region, so screen readers hear "reconnecting" and "live" without
 * losing their place.
 */
export function ConnectionBadge({
  state,
  reason = null,
  locale,
}: {
  state: LiveConnectionState;
  reason?: OfflineReason | null;
  locale: Locale;
}) {
  return (
    <p className={`connection-badge connection-badge--${state}`} role="status" aria-live="polite" aria-atomic="true">
      <span
        aria-hidden="true"
        className="connection-badge__dot"
        style={{ display: "inline-block", width: "0.6em", height: "0.6em", borderRadius: "50%", background: DOT[state], marginInlineEnd: "0.4em" }}
      />
      {connectionLabel(locale, state, reason)}
    </p>
  );
}
