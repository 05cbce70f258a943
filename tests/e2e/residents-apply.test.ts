import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type {
  Browser as PwBrowser,
  BrowserContext,
  Page,
} from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { createPrisma, type PrismaClient } from "../../server/db/client.ts";
import {
  COORDINATOR_EMAIL,
  DEMO_PASSWORD,
  startTestServer,
  type TestServer,
} from "../setup/test-server.ts";
import { ensureWebBuild, SCREENSHOT_DIR } from "./browser.ts";
import {
  launchChromium,
  parseDistance,
  seriousAxeViolations,
  smallTouchTargets,
} from "./residents-support.ts";

/**
 * A resident's way in, in Chromium with JavaScript: find an activity near a chosen area, apply for
 * one piece, see the confirmation — while a coordinator in another browser context watches the live
 * board, where the application appears at once under its reference code. Then the reading switch
 * (やさしい日本語, English), large text and contrast, and axe-core on every page of the flow.
 */
describe("residents: find, apply, and the coordinator's live board (Chromium)", () => {
  let server: TestServer;
  let prisma: PrismaClient;
  let chromium: PwBrowser;
  let resident: BrowserContext;
  let coordinator: BrowserContext;
  let page: Page;
  let board: Page;
  let code = "";
  let activityPath = "";
  let applyPath = "";
  const a11y: Record<string, unknown[]> = {};

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    prisma = createPrisma(server.database.url, { max: 2 });
    if ((await prisma.workspace.count()) === 0) await seedDemo(prisma);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    chromium = await launchChromium();
    resident = await chromium.newContext({
      locale: "ja-JP",
      timezoneId: "Asia/Tokyo",
      viewport: { width: 1100, height: 900 },
    });
    coordinator = await chromium.newContext({
      locale: "ja-JP",
      timezoneId: "Asia/Tokyo",
      viewport: { width: 1400, height: 900 },
    });
    page = await resident.newPage();
    page.setDefaultTimeout(10_000);
    board = await coordinator.newPage();
    board.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await chromium?.close();
    await prisma?.$disconnect();
    await server?.stop();
  });

  const shot = (p: Page, name: string) =>
    p.screenshot({
      path: join(SCREENSHOT_DIR, `residents-${name}.png`),
      fullPage: true,
    });

  it("lists activities nearest first from a chosen area", async () => {
    const response = await page.goto(`${server.url}/activities`);
    expect(response?.status()).toBe(200);
    await page
      .getByRole("heading", { level: 1, name: "近くの活動をさがす" })
      .waitFor();
    a11y.list = await seriousAxeViolations(page);
    expect(await smallTouchTargets(page)).toEqual([]);

    await page.getByLabel("地区から").selectOption({ label: "中央地区" });
    await page.getByRole("button", { name: "この条件で探す" }).click();
    await page.waitForURL(
      (url) => url.searchParams.get("area") === "seed-area-chuo"
    );
    await page.getByText("「中央地区」から近い順").waitFor();
    const distances = (
      await page.locator(".resident-card__distance").allTextContents()
    ).map(parseDistance);
    expect(distances.length).toBeGreaterThan(3);
    expect([...distances].sort((x, y) => x - y)).toEqual(distances);
    // The nearest activity really is the nearest public one in the database.
    const firstTitle = (await page
      .locator(".resident-card__title")
      .first()
      .textContent())!.trim();
    const task = await prisma.task.findFirstOrThrow({
      where: { title: firstTitle, visibility: "PUBLIC", status: "OPEN" },
    });
    expect(task.isRemote).toBe(false);
    await shot(page, "list-near-chuo");

    // The map arrives after the list, and a point chosen there highlights the card.
    const map = page.locator(".resident-map[data-ready=true]");
    await map.waitFor();
    await page
      .locator(".resident-card")
      .first()
      .getByRole("button", { name: "地図で見る" })
      .click();
    await expect.poll(() => map.getAttribute("data-selected")).toBe(task.id);
    expect(await page.locator(".resident-card--selected").count()).toBe(1);

    await page
      .locator(".resident-card")
      .first()
      .getByRole("link", { name: "くわしく見る・申し込む" })
      .click();
    await page.waitForURL((url) => url.pathname === `/activities/${task.id}`);
    activityPath = `/activities/${task.id}`;
    await page.getByRole("heading", { level: 1, name: firstTitle }).waitFor();
    await page.getByRole("heading", { level: 2, name: "日程と空き" }).waitFor();
    a11y.activity = await seriousAxeViolations(page);
  });

  it("applies for one piece and the coordinator's live board shows it at once", async () => {
    // The coordinator is on the board before the application is sent.
    await board.goto(`${server.url}/login?redirectTo=/w/midori-ku/board`);
    await board.getByLabel("メールアドレス").fill(COORDINATOR_EMAIL);
    await board.getByLabel("パスワード").fill(DEMO_PASSWORD);
    await board.getByRole("button", { name: "ログインする" }).click();
    await board.waitForURL((url) => url.pathname === "/w/midori-ku/board");
    await board
      .locator(".board-toolbar")
      .getByRole("status")
      .filter({ hasText: "ライブ更新中" })
      .waitFor();
    const contactingBefore = Number(
      await board.getByTestId("count-CONTACTING").first().textContent()
    );

    const piece = page.locator(".piece").first();
    const when = (await piece.locator(".piece__time").textContent())!.trim();
    await piece.locator("summary", { hasText: "この日程に申し込む" }).click();
    const form = piece.locator("form");
    // A wrong contact first: a clear message, nothing saved.
    const residentsBefore = await prisma.resident.count();
    await form.getByLabel("お名前", { exact: true }).fill("テスト 太郎");
    await form.getByLabel("連絡先(電話番号またはメールアドレス)").fill("12345");
    await form
      .getByLabel(
        "上の目的で、お名前と連絡先を主催団体に伝えることに同意します"
      )
      .check();
    await form.getByRole("button", { name: "申し込む" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "入力内容を確認してください" })
      .waitFor();
    applyPath = new URL(page.url()).pathname;
    expect(applyPath).toMatch(/^\/apply\/[^/]+$/);
    await page
      .getByText(
        "電話番号(例: 090-1234-5678)またはメールアドレス(例: name@example.jp)を入力してください。"
      )
      .first()
      .waitFor();
    expect(await prisma.resident.count()).toBe(residentsBefore);
    a11y.applyWithErrors = await seriousAxeViolations(page);
    await shot(page, "apply-error");

    // Corrected on the apply page (the name was kept).
    expect(await page.getByLabel("お名前", { exact: true }).inputValue()).toBe(
      "テスト 太郎"
    );
    await page
      .getByLabel("連絡先(電話番号またはメールアドレス)")
      .fill("090-4321-8765");
    await page
      .getByLabel(
        "上の目的で、お名前と連絡先を主催団体に伝えることに同意します"
      )
      .check();
    await page.getByRole("button", { name: "申し込む" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/apply/done/"));
    await page
      .getByRole("heading", { level: 1, name: "申し込みを受け付けました" })
      .waitFor();
    code = (await page.locator(".reference__code").getAttribute("data-code"))!;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(await page.locator(".reference__code").textContent()).toBe(
      `${code.slice(0, 4)}-${code.slice(4)}`
    );
    await page.getByText(when.split(" ")[0]).first().waitFor();
    // Nothing personal on the confirmation page.
    const body = (await page.locator("main").textContent()) ?? "";
    expect(body).not.toContain("テスト 太郎");
    expect(body).not.toContain("4321");
    a11y.confirmation = await seriousAxeViolations(page);
    await shot(page, "apply-done");

    // The board: the new card, under the applicant's reference code, in 連絡中, without a reload.
    const started = Date.now();
    const card = board.locator(".board-card", {
      has: board.locator(".board-card__code", { hasText: code }),
    });
    await card.waitFor({ timeout: 5_000 });
    console.log(
      `residents-apply: application → live board in ${Date.now() - started} ms`
    );
    expect(await card.getAttribute("data-card-stage")).toBe("CONTACTING");
    await expect
      .poll(async () =>
        Number(
          await board.getByTestId("count-CONTACTING").first().textContent()
        )
      )
      .toBe(contactingBefore + 1);
    expect(await board.locator("main").textContent()).not.toContain(
      "テスト 太郎"
    );
    await shot(board, "board-with-application");
  });

  it("finds the application by code and contact on the status page", async () => {
    await page.getByRole("link", { name: "申し込み状況を確認する" }).click();
    await page.waitForURL((url) => url.pathname === "/apply/status");
    await page.getByLabel("申し込み番号(8文字)").fill(code.toLowerCase());
    await page
      .getByLabel("連絡先(電話番号またはメールアドレス)")
      .fill("09043218765");
    await page.getByRole("button", { name: "確認する" }).click();
    await page
      .getByText("受け付けました。主催団体から連絡があります。")
      .waitFor();
    a11y.status = await seriousAxeViolations(page);
    await page
      .getByLabel("連絡先(電話番号またはメールアドレス)")
      .fill("090-0000-0000");
    await page.getByRole("button", { name: "確認する" }).click();
    await page
      .getByText(
        "見つかりませんでした。申し込み番号と連絡先をもう一度確認してください。"
      )
      .waitFor();
  });

  it("switches to やさしい日本語 with furigana, to English, and remembers large text and contrast", async () => {
    await page.goto(`${server.url}${activityPath}`);
    await page.getByRole("button", { name: "やさしい日本語" }).click();
    await page.locator(".residents[data-reading=easy]").waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    await page
      .locator("summary", { hasText: "この 日に もうしこむ" })
      .first()
      .waitFor();
    // Furigana on the schedule heading: 「いつ? あいて いる 人数(にんずう)」.
    const heading = page.locator("#schedule-heading");
    expect(await heading.locator("ruby").count()).toBeGreaterThan(0);
    expect(await heading.locator("rt").first().textContent()).toBe("にんずう");
    a11y.activityEasy = await seriousAxeViolations(page);
    await shot(page, "activity-easy");

    await page.goto(`${server.url}/activities`);
    await page.locator("h1 ruby").first().waitFor();
    expect(
      (await page.locator("h1").textContent())?.replace(/\(.*?\)/g, "")
    ).toContain("活動");

    await page.getByRole("button", { name: "English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page
      .getByRole("heading", { level: 1, name: "Find activities near you" })
      .waitFor();
    expect(await page.locator("h1 ruby").count()).toBe(0);

    await page.getByRole("button", { name: "Large" }).click();
    await page.locator(".residents[data-text-size=large]").waitFor();
    await page.getByRole("button", { name: "High" }).click();
    await page.locator(".residents[data-contrast=high]").waitFor();
    const size = await page
      .locator(".residents")
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(20);
    a11y.listLargeContrast = await seriousAxeViolations(page);
    expect(await smallTouchTargets(page)).toEqual([]);
    await shot(page, "list-en-large-contrast");

    // Remembered in cookies: a fresh visit keeps them; then back to Japanese.
    await page.goto(`${server.url}/activities`);
    await page
      .locator(
        ".residents[data-text-size=large][data-contrast=high][data-reading=en]"
      )
      .waitFor();
    await page.getByRole("button", { name: "日本語", exact: true }).click();
    await page.waitForFunction(() => document.documentElement.lang === "ja");
    await page.locator(".residents[data-reading=ja]").waitFor();
  });

  it("sorts from the browser's location only when the button is pressed", async () => {
    const located = await chromium.newContext({
      locale: "ja-JP",
      timezoneId: "Asia/Tokyo",
      geolocation: { latitude: 35.5301, longitude: 139.5102 },
      permissions: ["geolocation"],
    });
    const p = await located.newPage();
    p.setDefaultTimeout(10_000);
    await p.goto(`${server.url}/activities`);
    // Not asked on load: the list is in date order until the visitor presses the button.
    expect(new URL(p.url()).searchParams.get("lat")).toBeNull();
    await p.getByRole("button", { name: "現在地から探す" }).click();
    await p.waitForURL(
      (url) =>
        url.searchParams.get("lat") === "35.530" &&
        url.searchParams.get("lng") === "139.510"
    );
    await p.getByText("「現在地」から近い順").waitFor();
    const distances = (
      await p.locator(".resident-card__distance").allTextContents()
    ).map(parseDistance);
    expect(distances.length).toBeGreaterThan(3);
    expect([...distances].sort((x, y) => x - y)).toEqual(distances);
    await located.close();
  });

  it("has no serious or critical axe-core violations on any page of the flow", () => {
    expect(Object.keys(a11y).sort()).toEqual([
      "activity",
      "activityEasy",
      "applyWithErrors",
      "confirmation",
      "list",
      "listLargeContrast",
      "status",
    ]);
    expect(a11y).toEqual(
      Object.fromEntries(Object.keys(a11y).map((k) => [k, []]))
    );
  });
});
