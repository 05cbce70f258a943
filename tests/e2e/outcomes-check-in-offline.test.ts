import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUE_STORAGE_KEY } from "../../app/features/check-in/offline-queue.ts";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { makeCheckInFixture, type OutcomeFixture } from "../integration/outcomes-support.ts";
import { ensureWebBuild, launchBrowser, SCREENSHOT_DIR, type Browser } from "./browser.ts";

/**
 * Issue 9's test: a check-in made while the phone is offline is recorded when the connection
 * returns, once. Chromium's network is switched off for the page's context (context.setOffline),
 * the resident presses チェックイン, the press waits in localStorage and nothing reaches the
 * server; back online, it is sent by itself and recorded exactly once — and the same queued
 * item sent again later (a second tab, a flaky answer) is still one record.
 */
describe("check-in on a weak connection (Chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let fx: OutcomeFixture;
  let code: string;

  const receipts = () => server.services.prisma.checkInReceipt.count({ where: { participation: { shiftId: fx.shiftId } } });
  const queue = async () => JSON.parse((await page.evaluate((k) => window.localStorage.getItem(k), QUEUE_STORAGE_KEY)) ?? "[]") as Array<{ key: string }>;

  async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    const coordinator = await login(server.url);
    const workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
    fx = await makeCheckInFixture(server.services.prisma, workspaceId, "EEAA");
    code = (await getJson(server.url, `/api/v1/shifts/${fx.shiftId}/check-in`, coordinator)).body.code;
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("queues a check-in made offline and records it once when the connection returns", async () => {
    await page.goto(`${server.url}/c/${code}`);
    await page.locator('form[data-queue="on"]').waitFor();

    await browser.context.setOffline(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await page.getByLabel("申し込み番号・住民番号(8文字)").fill(fx.bookedCode);
    const pressedAt = Date.now();
    await page.getByRole("button", { name: "チェックイン", exact: true }).click();
    await page.getByText("電波が届かないため、この端末に保存しました").waitFor();
    expect(await queue()).toHaveLength(1);
    // Nothing reaches the server while offline (give a would-be request time to land).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await receipts()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "check-in-offline-queued.png") });
    const queued = (await queue())[0];

    // Back online: the `online` event sends the queue by itself.
    const onlineAt = Date.now();
    await browser.context.setOffline(false);
    await page.getByText("保存していた記録を送りました。").waitFor();
    const sentAfterMs = Date.now() - onlineAt;
    expect(await waitFor(receipts, (n) => n === 1)).toBe(1);
    expect(await queue()).toEqual([]);
    const participation = await server.services.prisma.participation.findUniqueOrThrow({ where: { residentId_shiftId: { residentId: fx.bookedId, shiftId: fx.shiftId } } });
    expect(participation.attended).toBe(true);
    // The time recorded is the press (offline), not the moment the connection came back.
    const recorded = (participation.checkInAt as Date).getTime();
    expect(recorded).toBeGreaterThanOrEqual(pressedAt - 1_000);
    expect(recorded).toBeLessThan(onlineAt);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "check-in-offline-sent.png") });
    console.log(`[outcomes e2e] queued check-in sent ${sentAfterMs} ms after the connection returned`);

    // The same queued press sent again (another tab, a lost answer): still one record.
    await page.evaluate(([k, item]) => window.localStorage.setItem(k, JSON.stringify([item])), [QUEUE_STORAGE_KEY, queued] as const);
    await page.reload();
    await page.getByText("この記録はすでに届いています").waitFor();
    expect(await queue()).toEqual([]);
    expect(await receipts()).toBe(1);
    expect(await server.services.prisma.participation.count({ where: { shiftId: fx.shiftId } })).toBe(1);
  });

  it("records at once when online, and the check-out completes the card", async () => {
    await page.getByLabel("申し込み番号・住民番号(8文字)").fill(fx.bookedCode);
    await page.getByRole("button", { name: "チェックアウト", exact: true }).click();
    await page.getByText(/\d\d:\d\d にチェックアウトしました。/).waitFor();
    expect(await receipts()).toBe(2);
    expect((await server.services.prisma.match.findUniqueOrThrow({ where: { id: fx.matchId } })).stage).toBe("COMPLETED");
  });

  it("treats 429 (too many attempts, decision 055) as 'retry later': the press stays on the phone and is sent after Retry-After", async () => {
    const coordinator = await login(server.url);
    const workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
    const busy = await makeCheckInFixture(server.services.prisma, workspaceId, "EEBB");
    const busyCode = (await getJson(server.url, `/api/v1/shifts/${busy.shiftId}/check-in`, coordinator)).body.code;
    const busyReceipts = () => server.services.prisma.checkInReceipt.count({ where: { participation: { shiftId: busy.shiftId } } });
    let refused = 0;
    // The server's limiter answers the first send with 429 + Retry-After: 1; later sends go through.
    await page.route("**/api/v1/check-in/**", async (route) => {
      if (refused === 0) {
        refused++;
        await route.fulfill({
          status: 429,
          headers: { "Retry-After": "1", "content-type": "application/json" },
          body: JSON.stringify({ error: { code: "rate_limited", message: "チェックインの試行が多すぎます / Too many check-in attempts", details: { retryAfterSeconds: 1 } } }),
        });
        return;
      }
      await route.continue();
    });
    try {
      await page.goto(`${server.url}/c/${busyCode}`);
      await page.locator('form[data-queue="on"]').waitFor();
      await page.getByLabel("申し込み番号・住民番号(8文字)").fill(busy.bookedCode);
      await page.getByRole("button", { name: "チェックイン", exact: true }).click();
      await page.getByText("いまは受け付けが混み合っています").waitFor();
      expect(refused).toBe(1);
      expect(await queue()).toHaveLength(1);
      expect(await busyReceipts()).toBe(0);
      // The periodic resend (every 15 s, not before Retry-After) delivers it, once.
      await page.getByText("保存していた記録を送りました。").waitFor({ timeout: 25_000 });
      expect(await waitFor(busyReceipts, (n) => n === 1)).toBe(1);
      expect(await queue()).toEqual([]);
    } finally {
      await page.unroute("**/api/v1/check-in/**");
    }
  });
});
