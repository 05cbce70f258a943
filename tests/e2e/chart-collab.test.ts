import type { Page } from "playwright-core";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { collectPageErrors, ensureWebBuild, openSignedInPage, SCREENSHOT_DIR, type Browser } from "./browser.ts";

/**
 * The community chart (地域カルテ) in two Chromium profiles on a new, empty area: both open it at
 * once (the sections appear once), both type into the same section and converge, the indicator
 * turns to 保存済み, a VIEWER gets a read-only chart, and the figures follow a resource added
 * through the API.
 */
describe("community chart: co-editing in two browsers", () => {
  let server: TestServer;
  let browsers: Browser[] = [];
  let slug: string;
  let workspaceId: string;
  let orgId: string;
  let areaId: string;
  let coordinatorCookie: string;

  async function openAs(email: string): Promise<Page> {
    const cookie = await login(server.url, email);
    const page = await openSignedInPage(browsers, server.url, cookie, 15_000);
    collectPageErrors(page, email, pageErrors);
    await page.goto(`${server.url}/w/${slug}/areas/${areaId}/chart`);
    return page;
  }
  const pageErrors: string[] = [];

  const editor = (page: Page) => page.locator(".chart-editor .ProseMirror");
  /** The editor's text without the other people's carets (their name labels sit in the text). */
  const docText = (page: Page) =>
    editor(page).evaluate((root) => {
      const copy = root.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
      return [...copy.children].map((block) => block.textContent).join("\n");
    });
  /** Clicks into 概要's paragraph until the caret is there (the heading before the caret's block). */
  const caretInOverview = (page: Page) =>
    expect
      .poll(
        async () => {
          await overview(page).click();
          return page.evaluate(() => {
            const node = window.getSelection()?.anchorNode ?? null;
            const element = node instanceof Element ? node : (node?.parentElement ?? null);
            return element?.closest("p")?.previousElementSibling?.textContent ?? null;
          });
        },
        { timeout: 10_000 },
      )
      .toBe("概要");
  /** The paragraph right after the 概要 heading, in the live editor. */
  const overview = (page: Page) => editor(page).locator("h2:has-text('概要') + p");

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    coordinatorCookie = await login(server.url);
    const mine = (await getJson(server.url, "/api/v1/workspaces", coordinatorCookie)).body.items[0];
    slug = mine.slug;
    workspaceId = mine.id;
    orgId = mine.memberships[0].organizationId;
    const area = await server.services.prisma.area.create({
      data: { workspaceId, code: "e2e-chart", name: "E2Eカルテ地区", polygon: { type: "Polygon", coordinates: [] }, centerLat: 35.75, centerLng: 139.7 },
    });
    areaId = area.id;
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== "fail") return;
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    for (const [i, browser] of browsers.entries()) {
      for (const [j, page] of browser.context.pages().entries()) {
        await page.screenshot({ path: join(SCREENSHOT_DIR, `chart-${i}-${j}.png`), fullPage: true }).catch(() => {});
      }
    }
  });
  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    browsers = [];
    await server?.stop();
  });

  it("two people type in the same section and converge; saved; a VIEWER reads only; figures follow the database", async () => {
    // Both open the empty chart at the same time: each seeds it, the sections appear once.
    const [a, b] = await Promise.all([openAs("coordinator@tsunagu.example"), openAs("npo@tsunagu.example")]);
    for (const page of [a, b]) {
      await editor(page).waitFor();
      await overview(page).waitFor();
    }
    for (const page of [a, b]) {
      await expect.poll(() => editor(page).locator("h2").allTextContents(), { timeout: 10_000 }).toEqual([
        "概要",
        "人口・世帯",
        "地域資源",
        "課題",
        "住民のスキル・関心",
        "活動の状況",
        "めざす姿",
        "アクションプラン",
      ]);
    }

    // Presence: each sees the other, with their organization.
    await a.locator(".chart-peer", { hasText: "森 さくら" }).waitFor();
    await b.locator(".chart-peer", { hasText: "中村 由美" }).waitFor();

    // Both type into the 概要 paragraph at once — once both seeds have settled into one document
    // (a CI run saw A's click land in the next section while they were still arriving).
    await expect.poll(async () => (await docText(a)) === (await docText(b)), { timeout: 10_000 }).toBe(true);
    for (const page of [a, b]) await caretInOverview(page);
    await Promise.all([a.keyboard.type("Alpha from A. ", { delay: 15 }), b.keyboard.type("Beta from B. ", { delay: 15 })]);
    for (const page of [a, b]) {
      await expect.poll(() => overview(page).textContent(), { timeout: 10_000 }).toMatch(/Alpha from A\./);
      await expect.poll(() => overview(page).textContent(), { timeout: 10_000 }).toMatch(/Beta from B\./);
    }
    await expect.poll(async () => (await docText(a)) === (await docText(b)), { timeout: 10_000 }).toBe(true);
    expect(await docText(a)).toMatch(/^概要\n.*(Alpha from A\. Beta from B\.|Beta from B\. Alpha from A\.)/);
    // How long one keystroke burst takes to show in the other browser (typed, sent, stored, broadcast).
    const marker = `M${Date.now().toString(36)}`;
    const typedAt = Date.now();
    await a.keyboard.type(marker);
    await expect.poll(() => docText(b), { timeout: 5_000, interval: 10 }).toContain(marker);
    console.log(`[chart e2e] a typed word appeared in the other browser ${Date.now() - typedAt} ms after typing started`);
    // The other person's caret is shown with their name.
    await a.locator(".collaboration-carets__label", { hasText: "森 さくら" }).waitFor();

    // The indicator: 保存済み once the server has stored everything.
    for (const page of [a, b]) {
      await expect.poll(() => page.getByTestId("chart-save-state").textContent(), { timeout: 10_000 }).toBe("保存済み");
    }
    // Stored, not just shown: a fresh load renders it on the server, before any JavaScript.
    const stored = await fetch(`${server.url}/w/${slug}/areas/${areaId}/chart`, { headers: { cookie: coordinatorCookie } }).then((r) => r.text());
    expect(stored).toContain("Alpha from A.");
    expect(stored).toContain("Beta from B.");

    // A VIEWER: the notice, an editor that does not take input, and nothing refused.
    const viewer = await openAs("viewer@tsunagu.example");
    await viewer.getByTestId("chart-read-only").waitFor();
    await overview(viewer).waitFor();
    await expect.poll(() => overview(viewer).textContent(), { timeout: 10_000 }).toMatch(/Alpha from A\./);
    expect(await editor(viewer).getAttribute("contenteditable")).toBe("false");
    await overview(viewer).click();
    await viewer.keyboard.type("viewer was here");
    await viewer.waitForTimeout(500);
    expect(await docText(viewer)).not.toContain("viewer was here");
    expect(await docText(a)).not.toContain("viewer was here");
    expect(await viewer.locator(".chart-toolbar").count()).toBe(0);
    expect(await viewer.getByRole("button", { name: "この内容で版を保存" }).count()).toBe(0);
    expect(await viewer.locator(".chart-status__save--error").count()).toBe(0);

    // Figures: a resource added through the API in this area appears in both charts.
    for (const page of [a, b]) expect(await page.getByTestId("figures-resources-total").textContent()).toBe("合計 0 件");
    const created = await sendJson(
      server.url,
      "POST",
      `/api/v1/workspaces/${workspaceId}/resources`,
      { kind: "PLACE", category: "community_hub", name: "E2Eの居場所", lat: 35.75, lng: 139.7, areaId, ownerOrgId: orgId },
      coordinatorCookie,
    );
    expect(created.status).toBe(201);
    const started = Date.now();
    for (const page of [a, b, viewer]) {
      await expect.poll(() => page.getByTestId("figures-resources-total").textContent(), { timeout: 5_000 }).toBe("合計 1 件");
    }
    const figuresMs = Date.now() - started;
    expect(await a.getByTestId("chart-figures").textContent()).toContain("地域の居場所");
    console.log(`[chart e2e] figures updated in every chart ${figuresMs} ms after the API answered`);

    expect(pageErrors).toEqual([]);
  });

  it("a named version: listed in the other chart, viewed, restored for everyone, printed and exported", async () => {
    const [a, b] = [await openAs("coordinator@tsunagu.example"), await openAs("npo@tsunagu.example")];
    for (const page of [a, b]) await overview(page).waitFor();
    await expect.poll(() => a.getByTestId("chart-save-state").textContent(), { timeout: 10_000 }).toBe("保存済み");

    // A plan item, then a version named in A's chart; B's list shows it without a reload.
    await a.getByLabel("項目", { exact: true }).last().fill("サロンの立ち上げ");
    await a.getByRole("button", { name: "項目を追加" }).click();
    await b.locator(".chart-plan input[value='サロンの立ち上げ']").waitFor();
    await expect.poll(() => a.getByTestId("chart-save-state").textContent(), { timeout: 10_000 }).toBe("保存済み");
    await a.getByLabel("版の名前").fill("2026年11月 協議会");
    await a.getByRole("button", { name: "この内容で版を保存" }).click();
    await a.getByText("版「2026年11月 協議会」を保存しました。").waitFor();
    await b.locator(".chart-versions__name", { hasText: "2026年11月 協議会" }).waitFor();

    // Later text in B, then A restores the version: both lose the later text, and it is saved.
    await overview(b).click();
    await b.keyboard.press("End");
    await b.keyboard.type(" LATER TEXT", { delay: 10 });
    await expect.poll(() => docText(a), { timeout: 10_000 }).toContain("LATER TEXT");
    await expect.poll(() => b.getByTestId("chart-save-state").textContent(), { timeout: 10_000 }).toBe("保存済み");
    a.once("dialog", (dialog) => void dialog.accept());
    const versionRow = (page: Page) => page.locator(".chart-versions__item", { hasText: "2026年11月 協議会" });
    await versionRow(a).getByRole("button", { name: "この版に戻す: 2026年11月 協議会" }).click();
    await a.getByText("版「2026年11月 協議会」に戻しました。全員の画面に反映されます。").waitFor();
    for (const page of [a, b]) {
      await expect.poll(() => docText(page), { timeout: 10_000 }).not.toContain("LATER TEXT");
      await expect.poll(() => page.getByTestId("chart-save-state").textContent(), { timeout: 10_000 }).toBe("保存済み");
    }
    expect(await docText(b)).toContain("Alpha from A.");

    // The version page (server-rendered), the print page and the Markdown download.
    await versionRow(a).getByRole("link", { name: "表示: 2026年11月 協議会" }).click();
    await a.getByRole("heading", { level: 1, name: "版「2026年11月 協議会」" }).waitFor();
    expect(await a.locator(".chart-editor__content").textContent()).toContain("Alpha from A.");
    expect(await a.locator(".chart-plan").textContent()).toContain("サロンの立ち上げ");
    await a.goto(`${server.url}/w/${slug}/areas/${areaId}/chart/print`);
    await a.getByRole("heading", { level: 2, name: "アクションプラン" }).first().waitFor();
    const pdf = await a.pdf({ format: "A4" });
    expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
    const md = await fetch(`${server.url}/w/${slug}/areas/${areaId}/chart.md`, { headers: { cookie: coordinatorCookie } });
    expect(md.status).toBe(200);
    expect(md.headers.get("content-type")).toContain("text/markdown");
    const text = await md.text();
    expect(text).toContain("### 概要");
    expect(text).toContain("| サロンの立ち上げ |");
    expect(text).not.toContain("LATER TEXT");
    expect(pageErrors).toEqual([]);
  });
});
