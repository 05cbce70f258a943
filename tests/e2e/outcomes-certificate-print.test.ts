import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, launchBrowser, SCREENSHOT_DIR, signIn, type Browser } from "./browser.ts";

/**
 * Paper and phones in Chromium: the resident's own 参加証明書 (/me/certificate) prints on A4 with
 * only the sheet (no menus, filters or display settings), fits a phone's width, and the outcomes
 * dashboard's `.no-print` link is not printed (the class is styled for every page, app.css).
 */
describe("certificate and outcomes on paper (Chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let slug: string;

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    const coordinator = await login(server.url);
    slug = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].slug;
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
    await signIn(browser, server.url, (await login(server.url, "resident@tsunagu.example")));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("prints the resident's own certificate on A4 without the page's menus, and fits a phone", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/me/certificate`);
    await page.getByRole("heading", { name: "参加証明書", exact: true }).waitFor();
    const shown = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).display !== "none");
    expect(await shown(".ledger-filters")).toBe(true);
    expect(await shown(".display-bar")).toBe(true);

    await page.emulateMedia({ media: "print" });
    for (const hidden of [".ledger-filters", ".display-bar", ".site-header", ".site-footer", ".my-certificate > .no-print"]) {
      expect(await shown(hidden), hidden).toBe(false);
    }
    expect(await shown(".certificate")).toBe(true);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    // A4 portrait in PDF points: 595 × 842.
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString("latin1"));
    expect(box && [Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([595, 842]);
    await writeFile(join(SCREENSHOT_DIR, "certificate-own.pdf"), pdf);
    await page.emulateMedia({ media: "screen" });

    // A phone (375 px): nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await page.getByRole("heading", { name: "参加証明書", exact: true }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "certificate-own-phone.png"), fullPage: true });
    await page.close();
  });

  it("does not print the outcomes dashboard's .no-print link", async () => {
    // Signed in as the 社協 coordinator from here on (the same cookie name replaces the resident's).
    await signIn(browser, server.url, await login(server.url));
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/w/${slug}/outcomes`);
    const link = page.locator("p.no-print").first();
    await link.waitFor();
    await page.emulateMedia({ media: "print" });
    expect(await link.evaluate((el) => getComputedStyle(el).display)).toBe("none");
    await page.close();
  });
});
