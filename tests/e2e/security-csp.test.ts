import type { ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COORDINATOR_EMAIL, DEMO_PASSWORD, getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, launchBrowser, type Browser } from "./browser.ts";

interface Violation {
  directive: string;
  blockedURI: string;
  sample: string;
}

/**
 * The nonce-based CSP in a real browser (docs/decisions/025): pages hydrate, client-side
 * navigation, the login form and the live Socket.IO connection all work, and Chromium reports
 * no violation — while script tags injected into a page without the nonce are blocked (and
 * reported), which shows the listener would have caught one.
 */
describe("Content-Security-Policy in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let slug: string;
  const consoleCsp: string[] = [];

  /** Violations the page reported through `securitypolicyviolation` since it loaded. */
  const violations = () => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp ?? []);
  const hydrated = () => page.waitForFunction(() => typeof (window as unknown as { __remixRouter?: unknown }).__remixRouter === "object");

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    slug = (await getJson(server.url, "/api/v1/workspaces", await login(server.url))).body.items[0].slug;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    // Installed through the DevTools protocol, before any page script; CSP does not apply to it.
    await page.addInitScript(() => {
      const store: Violation[] = [];
      (window as unknown as { __csp: Violation[] }).__csp = store;
      document.addEventListener("securitypolicyviolation", (event) => {
        store.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI, sample: event.sample });
      });
    });
    page.on("console", (message: ConsoleMessage) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) consoleCsp.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("the public page is served with the policy, hydrates, and reports no violation", async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    await hydrated();
    // Client-side navigation (a route module loaded by a nonce'd script through 'strict-dynamic').
    await page.getByRole("link", { name: "ログイン" }).first().click();
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByRole("heading", { level: 1, name: "ログイン" }).waitFor();
    expect(await violations()).toEqual([]);
    expect(consoleCsp).toEqual([]);
  });

  it("the public activity map (MapLibre: blob/worker, canvas, inline styles) renders with no violation", async () => {
    await page.goto(`${server.url}/activities`);
    await hydrated();
    await page.locator("canvas").first().waitFor();
    // Let the map load its style, spawn its workers and draw.
    await page.waitForTimeout(1_500);
    expect(await violations()).toEqual([]);
    expect(consoleCsp).toEqual([]);
  });

  it("the login form works: a wrong password, then the right one, and the live workspace connects", async () => {
    await page.goto(`${server.url}/login?redirectTo=${encodeURIComponent(`/w/${slug}`)}`);
    await hydrated();
    await page.getByLabel("メールアドレス").fill(COORDINATOR_EMAIL);
    await page.getByLabel("パスワード").fill("not-the-password");
    await page.getByRole("button", { name: "ログインする" }).click();
    await page.getByRole("alert").filter({ hasText: "メールアドレスまたはパスワードが正しくありません" }).waitFor();
    await page.getByLabel("パスワード").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "ログインする" }).click();
    await page.waitForURL((url) => url.pathname === `/w/${slug}`);
    // Socket.IO over a WebSocket to the same origin: connect-src allows it.
    await page.getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    await page.reload();
    await hydrated();
    await page.getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    expect(await violations()).toEqual([]);
    expect(consoleCsp).toEqual([]);
  });

  it("markup injected into a page (an XSS) cannot run a script without the nonce, and is reported", async () => {
    // Simulates an injection: the real response with its real CSP header, plus a script tag the
    // server never rendered — inline, and one guessing at a nonce.
    await page.route(`${server.url}/login`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        "</body>",
        `<script>window.__injected = "inline"</script><script nonce="guessed">window.__injected = "guessed"</script></body>`,
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto(`${server.url}/login`);
    await hydrated();
    await page.waitForFunction(() => (window as unknown as { __csp: Violation[] }).__csp.length >= 2);
    await page.unroute(`${server.url}/login`);
    expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
    const reported = await violations();
    expect(reported).toHaveLength(2);
    for (const v of reported) expect(v).toMatchObject({ directive: "script-src-elem", blockedURI: "inline" });
    await expect.poll(() => consoleCsp.length).toBeGreaterThanOrEqual(2);
    expect(consoleCsp[0]).toMatch(/inline script .*Content Security Policy.*blocked|Refused to execute inline script/s);
  });
});
