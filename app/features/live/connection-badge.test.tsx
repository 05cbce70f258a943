import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConnectionBadge, connectionLabel } from "./connection-badge";

describe("ConnectionBadge", () => {
  const cases: Array<[Parameters<typeof connectionLabel>, string]> = [
    [["ja", "connected"], "ライブ更新中"],
    [["en", "connected"], "Live"],
    [["ja", "reconnecting"], "再接続しています…（変更は再接続後に反映されます）"],
    [["en", "connecting"], "Connecting…"],
    [["ja", "offline", "logged_out"], "オフライン: ログアウトしました"],
    [["en", "offline", "network"], "Offline: will sync when the network is back"],
    [["en", "offline", "stopped"], "Offline"],
    [["en", "connected", "network"], "Live"],
  ];
  it.each(cases)("%j → %s", (args, expected) => {
    expect(connectionLabel(...args)).toBe(expected);
  });

  it("is a polite live region with the words, not only a colour", () => {
    const html = renderToStaticMarkup(<ConnectionBadge state="reconnecting" locale="en" />);
    expect(html).toContain('role="status"');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain("Reconnecting…");
    expect(html).toContain('aria-hidden="true"');
  });
});
