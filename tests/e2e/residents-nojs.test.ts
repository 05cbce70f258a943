import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser as PwBrowser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { createPrisma, type PrismaClient } from "../../server/db/client.ts";
import { startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, SCREENSHOT_DIR } from "./browser.ts";
import { launchChromium } from "./residents-support.ts";

/**
 * The core resident flows with JavaScript switched off (old phones, data savers, strict browsers):
 * filtering the list with the GET form, the activity page, applying (a refusal, then success), the
 * confirmation, the status page, and the display settings. Each step is a plain HTML form.
 */
describe("residents' pages without JavaScript (Chromium)", () => {
  let server: TestServer;
  let prisma: PrismaClient;
  let chromium: PwBrowser;
  let page: Page;
  let code = "";

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    prisma = createPrisma(server.database.url, { max: 2 });
    if ((await prisma.workspace.count()) === 0) await seedDemo(prisma);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    chromium = await launchChromium();
    const context = await chromium.newContext({
      javaScriptEnabled: false,
      locale: "ja-JP",
      timezoneId: "Asia/Tokyo",
      viewport: { width: 390, height: 844 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await chromium?.close();
    await prisma?.$disconnect();
    await server?.stop();
  });

  it("really has JavaScript off, and no map or location button appears", async () => {
    await page.goto(`${server.url}/activities`, { waitUntil: "networkidle" });
    // With JavaScript the page would have hydrated by now and shown both (residents-apply proves it).
    expect(await page.locator(".locate").count()).toBe(0);
    expect(await page.locator(".resident-map, .resident-map--loading").count()).toBe(0);
    await page
      .getByRole("heading", { level: 1, name: "近くの活動をさがす" })
      .waitFor();
  });

  it("filters the list with the GET form", async () => {
    const expected = await prisma.task.count({
      where: {
        visibility: "PUBLIC",
        status: "OPEN",
        category: "food",
        shifts: { some: { startsAt: { gt: new Date() } } },
      },
    });
    expect(expected).toBeGreaterThan(0);
    await page.getByLabel("分野").selectOption({ label: "食" });
    await page.getByLabel("駅・場所・地区の名前から").fill("みどり中央駅");
    await page.getByRole("button", { name: "この条件で探す" }).click();
    await page.waitForURL((url) => url.searchParams.get("category") === "food");
    await page.getByText("「みどり中央駅 北口広場」から近い順").waitFor();
    const cards = page.locator(".resident-card");
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await cards.count()).toBeLessThanOrEqual(expected);
    for (const badge of await page
      .locator(".resident-card .badge--category")
      .allTextContents())
      expect(badge).toBe("食");
    await page.screenshot({
      path: join(SCREENSHOT_DIR, "residents-nojs-list.png"),
      fullPage: true,
    });
  });

  it("opens an activity and applies for a piece: a refusal first, then the confirmation and the status", async () => {
    await page
      .locator(".resident-card")
      .first()
      .getByRole("link", { name: "くわしく見る・申し込む" })
      .click();
    await page.waitForURL((url) => url.pathname.startsWith("/activities/"));
    await page.getByRole("heading", { level: 2, name: "日程と空き" }).waitFor();
    const piece = page.locator(".piece").first();
    await piece.locator("summary").click(); // <details> opens without JavaScript
    const form = piece.locator("form");

    const before = {
      residents: await prisma.resident.count(),
      matches: await prisma.match.count(),
      consents: await prisma.consent.count(),
    };
    await form.getByLabel("お名前", { exact: true }).fill("無効 次郎");
    await form
      .getByLabel("連絡先(電話番号またはメールアドレス)")
      .fill("jiro@example.jp");
    // The consent is left unticked: the browser's own check is off (noValidate), the server refuses.
    await form.getByRole("button", { name: "申し込む" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/apply/"));
    await page
      .getByText(
        "申し込むには、主催団体に連絡先を伝えることへの同意が必要です。"
      )
      .first()
      .waitFor();
    expect({
      residents: await prisma.resident.count(),
      matches: await prisma.match.count(),
      consents: await prisma.consent.count(),
    }).toEqual(before);

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
    const saved = await prisma.resident.findFirstOrThrow({
      where: { publicCode: code },
      include: { matches: true, consents: true },
    });
    expect(saved).toMatchObject({
      displayName: "無効 次郎",
      email: "jiro@example.jp",
      style: "PER_EVENT",
    });
    expect(saved.matches.map((m) => [m.source, m.stage])).toEqual([
      ["APPLICATION", "CONTACTING"],
    ]);
    expect(saved.consents).toHaveLength(1);
    expect({
      residents: await prisma.resident.count(),
      matches: await prisma.match.count(),
      consents: await prisma.consent.count(),
    }).toEqual({
      residents: before.residents + 1,
      matches: before.matches + 1,
      consents: before.consents + 1,
    });

    // Sending the same again (back, resubmit) is refused as a duplicate, not saved twice.
    await page.goBack();
    await page.waitForURL(
      (url) =>
        url.pathname.startsWith("/apply/") &&
        !url.pathname.startsWith("/apply/done")
    );
    await page
      .getByLabel(
        "上の目的で、お名前と連絡先を主催団体に伝えることに同意します"
      )
      .check();
    await page.getByRole("button", { name: "申し込む" }).click();
    await page
      .getByText("この連絡先で、この日程にはもう申し込まれています。")
      .first()
      .waitFor();
    expect(await prisma.resident.count()).toBe(before.residents + 1);

    await page.goto(`${server.url}/apply/status`);
    await page
      .getByLabel("申し込み番号(8文字)")
      .fill(`${code.slice(0, 4)}-${code.slice(4)}`);
    await page
      .getByLabel("連絡先(電話番号またはメールアドレス)")
      .fill("JIRO@example.jp");
    await page.getByRole("button", { name: "確認する" }).click();
    await page
      .getByText("受け付けました。主催団体から連絡があります。")
      .waitFor();
  });

  it("changes the display settings with plain form posts", async () => {
    await page.goto(`${server.url}/activities?category=food`);
    await page.getByRole("button", { name: "大きく" }).click();
    await page.locator(".residents[data-text-size=large]").waitFor();
    expect(new URL(page.url()).search).toBe("?category=food"); // back on the same page
    await page.getByRole("button", { name: "やさしい日本語" }).click();
    await page.locator(".residents[data-reading=easy]").waitFor();
    await page.getByRole("button", { name: "さがす", exact: true }).waitFor();
    await page.screenshot({
      path: join(SCREENSHOT_DIR, "residents-nojs-easy-large.png"),
      fullPage: true,
    });
  });
});
