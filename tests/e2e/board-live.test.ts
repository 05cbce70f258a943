import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, LIVE_BUDGET_MS, openSignedInPage, type Browser } from "./browser.ts";

/**
 * The live matching board in two Chromium profiles: the 社協 coordinator (中村 由美) and the NPO
 * coordinator (森 さくら), two organizations on one workspace. Moves reach the other board live,
 * a concurrent move of one card has one winner and a visible conflict, the keyboard alone can
 * move a card, and leaving the board lets go of the card one held.
 */
const STAGES = ["SUGGESTED", "CONTACTING", "ARRANGING", "CONFIRMED", "ACTIVE", "COMPLETED", "DECLINED", "WITHDRAWN"] as const;
type Stage = (typeof STAGES)[number];
const COORDINATOR = "coordinator@tsunagu.example";
const NPO = "npo@tsunagu.example";

describe("matching board, live (two Chromium profiles)", () => {
  let server: TestServer;
  let browsers: Browser[] = [];
  let slug: string;
  let workspaceId: string;
  const cookies: Record<string, string> = {};
  /** Suggested cards both coordinators see; each test takes its own. */
  let cards: Array<{ id: string; stage: Stage }> = [];

  async function openBoard(email: string): Promise<Page> {
    const page = await openSignedInPage(browsers, server.url, cookies[email], 10_000);
    await page.goto(`${server.url}/w/${slug}/board`);
    await page.locator(".board-toolbar").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    return page;
  }

  const card = (page: Page, id: string) => page.locator(`article[data-card-id="${id}"]`);
  const stageOnPage = (page: Page, id: string) => card(page, id).getAttribute("data-card-stage");
  async function serverStage(id: string): Promise<Stage> {
    return (await getJson(server.url, `/api/v1/matches/${id}`, cookies[COORDINATOR])).body.stage;
  }
  const next = (stage: Stage, step = 1) => STAGES[STAGES.indexOf(stage) + step];

  /**
   * A real mouse drag (HTML5 drag and drop). Not locator.dragTo: it scrolls the target into view
   * between mouse down and the first move, so the drag would start on whichever card is under
   * the pointer after the scroll — something a person cannot do.
   */
  async function mouseDrag(page: Page, source: Locator, target: Locator): Promise<number> {
    await source.scrollIntoViewIfNeeded();
    const from = (await source.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + 20);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + 30, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    const dropAt = Date.now();
    await page.mouse.up();
    return dropAt;
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    cookies[COORDINATOR] = await login(server.url, COORDINATOR);
    cookies[NPO] = await login(server.url, NPO);
    const workspace = (await getJson(server.url, "/api/v1/workspaces", cookies[COORDINATOR])).body.items[0];
    slug = workspace.slug;
    workspaceId = workspace.id;
    const list = async (email: string) =>
      (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/matches?limit=500`, cookies[email])).body.items as Array<{
        id: string;
        stage: Stage;
      }>;
    const npoIds = new Set((await list(NPO)).map((m) => m.id));
    // Suggestions only: moves of one or two columns never make a booking (CONFIRMED…), which the
    // database may refuse for a full piece or an overlapping one (docs/decisions/017).
    cards = (await list(COORDINATOR)).filter((m) => npoIds.has(m.id) && m.stage === "SUGGESTED");
    expect(cards.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    browsers = [];
    await server?.stop();
  });

  it("shows who is on the board, and a mouse move on one board appears on the other within 1 s", async () => {
    const [{ id, stage }] = cards.splice(0, 1);
    const a = await openBoard(COORDINATOR);
    const b = await openBoard(NPO);
    await a.locator(".board-presence__person", { hasText: "森 さくら" }).waitFor();
    await b.locator(".board-presence__person", { hasText: "中村 由美" }).waitFor();
    expect(await stageOnPage(b, id)).toBe(stage);

    const target = next(stage);
    const started = await mouseDrag(a, card(a, id), a.locator(`[data-stage="${target}"] .board-column__title`));
    await b.waitForFunction(
      ([cardId, want]) => document.querySelector(`article[data-card-id="${cardId}"]`)?.getAttribute("data-card-stage") === want,
      [id, target] as const,
      { polling: "raf", timeout: 5_000 },
    );
    const elapsed = Date.now() - started;
    console.log(`board-live: drop on A → shown on B in ${elapsed} ms (budget 1,000 ms)`);
    expect(elapsed).toBeLessThan(1_000);
    // B sees who moved it; A sees it saved; the server has it.
    await card(b, id).getByText("中村 由美さんが移動").waitFor();
    await a.getByTestId("save-status").filter({ hasText: "保存済み" }).waitFor();
    expect(await serverStage(id)).toBe(target);
    // The column counts follow on both boards.
    for (const page of [a, b]) {
      const count = await page.getByTestId(`count-${target}`).textContent();
      expect(count).toMatch(/件$/);
    }
    await Promise.all([a.close(), b.close()]);
  });

  it("a concurrent move of one card has one winner and a visible conflict on the other board", async () => {
    const [{ id, stage }] = cards.splice(0, 1);
    const a = await openBoard(COORDINATOR);
    const b = await openBoard(NPO);

    // Both pick the card up (keyboard): each sees the other's soft lock or is warned about it.
    await card(a, id).focus();
    await a.keyboard.press("Space");
    await card(b, id).getByText("中村 由美さんが移動中").waitFor();
    await card(b, id).focus();
    await b.keyboard.press("Space");
    await b.getByTestId("announcer").filter({ hasText: "中村 由美さんがこのカードを操作中です" }).waitFor();

    const aTarget = next(stage, 1);
    const bTarget = next(stage, 2);
    await a.keyboard.press("ArrowRight");
    await b.keyboard.press("ArrowRight");
    await b.keyboard.press("ArrowRight");
    // Drop at the same time: both send the version they picked up.
    await Promise.all([a.keyboard.press("Enter"), b.keyboard.press("Enter")]);
    for (const page of [a, b]) {
      await page.getByTestId("save-status").filter({ hasText: /保存済み|保存できませんでした/ }).waitFor();
    }

    const final = await serverStage(id);
    expect([aTarget, bTarget]).toContain(final);
    const [winner, loser, winnerName] = final === aTarget ? [a, b, "中村 由美"] : [b, a, "森 さくら"];
    // The loser keeps the server's card and is told who changed it; nothing was overwritten.
    const alert = card(loser, id).getByTestId("conflict");
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`${winnerName}さんが先に`);
    await loser.getByTestId("announcer").filter({ hasText: "移動しませんでした" }).waitFor();
    expect(await stageOnPage(loser, id)).toBe(final);
    expect(await stageOnPage(winner, id)).toBe(final);
    expect(await card(winner, id).getByTestId("conflict").count()).toBe(0);
    await expect(loser.getByTestId("save-status").textContent()).resolves.toBe("保存できませんでした");
    // Dismissing the alert keeps the server's state.
    await alert.getByRole("button", { name: "閉じる" }).click();
    expect(await card(loser, id).getByTestId("conflict").count()).toBe(0);
    expect(await serverStage(id)).toBe(final);
    await Promise.all([a.close(), b.close()]);
  });

  it("moves a card with the keyboard alone, announces it, keeps focus, and Esc cancels", async () => {
    const [{ id, stage }] = cards.splice(0, 1);
    const a = await openBoard(COORDINATOR);
    const b = await openBoard(NPO);

    // Esc puts it back.
    await card(a, id).focus();
    await a.keyboard.press("Enter");
    await a.getByTestId("announcer").filter({ hasText: "を持ち上げました" }).waitFor();
    await a.keyboard.press("ArrowRight");
    await a.getByTestId("announcer").filter({ hasText: "移動先:" }).waitFor();
    await a.keyboard.press("Escape");
    await a.getByTestId("announcer").filter({ hasText: "移動を取り消しました" }).waitFor();
    expect(await serverStage(id)).toBe(stage);

    // Space, → →, Enter: two columns to the right.
    const target = next(stage, 2);
    await a.keyboard.press("Space");
    await a.keyboard.press("ArrowRight");
    await a.keyboard.press("ArrowRight");
    await a.keyboard.press("Enter");
    await a.getByTestId("announcer").filter({ hasText: "に保存しました" }).waitFor();
    expect(await serverStage(id)).toBe(target);
    expect(await stageOnPage(a, id)).toBe(target);
    // Focus followed the card into its new column (restored after the column re-renders: waited
    // for, since CI on a 2-vCPU VM once read it in between).
    await a.waitForFunction((cardId) => document.activeElement?.getAttribute("data-card-id") === cardId, id, { timeout: 2_000 });
    await b.waitForFunction(
      ([cardId, want]) => document.querySelector(`article[data-card-id="${cardId}"]`)?.getAttribute("data-card-stage") === want,
      [id, target] as const,
    );

    // The detail dialog shows the history of the move, with who made it.
    await card(a, id).getByRole("button", { name: /詳細/ }).click();
    const history = a.getByTestId("history");
    await history.waitFor();
    expect(await history.textContent()).toContain("中村 由美さん");
    await a.keyboard.press("Escape");
    await a.locator("dialog.board-detail").waitFor({ state: "detached" });
    await Promise.all([a.close(), b.close()]);
  });

  it("leaving the board for another page lets go of the card held there (the connection stays)", async () => {
    const [{ id }] = cards.splice(0, 1);
    const a = await openBoard(COORDINATOR);
    const b = await openBoard(NPO);
    await card(a, id).focus();
    await a.keyboard.press("Space");
    const held = card(b, id).getByText("中村 由美さんが移動中");
    await held.waitFor();

    // A moves on to the map inside the app: the page goes, the workspace's connection stays.
    const started = Date.now();
    await a.getByRole("link", { name: "資源マップ" }).click();
    await held.waitFor({ state: "detached", timeout: LIVE_BUDGET_MS });
    console.log(`board-live: B saw the card let go ${Date.now() - started} ms after A left the board (budget ${LIVE_BUDGET_MS} ms)`);
    await a.locator(".map-board").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    await Promise.all([a.close(), b.close()]);
  });
});
