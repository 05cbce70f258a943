import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, openSignedInPage, type Browser } from "./browser.ts";

/**
 * Two coordinators of different organizations in two browser profiles on the same workspace:
 * each sees the live connection state and the other person; a closed tab leaves the list.
 */
describe("live status in the workspace bar (two Chromium profiles)", () => {
  let server: TestServer;
  let browsers: Browser[] = [];
  let slug: string;

  async function openAs(email: string): Promise<Page> {
    const cookie = await login(server.url, email);
    const page = await openSignedInPage(browsers, server.url, cookie, 10_000);
    await page.goto(`${server.url}/w/${slug}`);
    return page;
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    const cookie = await login(server.url);
    slug = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].slug;
  });
  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    browsers = [];
    await server?.stop();
  });

  it("shows the connection as live and who else is here, and updates when someone leaves", async () => {
    const coordinator = await openAs("coordinator@tsunagu.example");
    await coordinator.getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    await coordinator.getByText("ほかに誰もいません").waitFor();

    const npo = await openAs("npo@tsunagu.example");
    await npo.getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    // 森 さくら (NPO) appears on the coordinator's page, and 中村 由美 (社協) on the NPO's.
    await coordinator.locator(".presence__person", { hasText: "森 さくら" }).waitFor();
    await npo.locator(".presence__person", { hasText: "中村 由美" }).waitFor();
    expect(await coordinator.locator(".presence__person").count()).toBe(1);

    await npo.close();
    await coordinator.getByText("ほかに誰もいません").waitFor();
  });

  it("the bar and the page share one connection, kept while moving from the board to the map", async () => {
    // Straight to the board, counting from the first request (the home page's connection would
    // otherwise race the counter).
    const coordinator = await openSignedInPage(browsers, server.url, await login(server.url, "coordinator@tsunagu.example"), 10_000);
    // A new Engine.IO session starts with a request that has no `sid` (polling, then upgraded).
    const handshakes: string[] = [];
    coordinator.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/socket.io/") && !url.searchParams.has("sid")) handshakes.push(url.search);
    });
    await coordinator.goto(`${server.url}/w/${slug}/board`);
    await coordinator.locator(".board").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    await coordinator.locator(".workspace-bar").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    expect(handshakes).toHaveLength(1);

    const npo = await openAs("npo@tsunagu.example");
    await npo.goto(`${server.url}/w/${slug}/map`);
    const onMap = npo.locator(".map-presence__person", { hasText: "中村 由美" });
    await npo.locator(".map-board").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    expect(await onMap.count()).toBe(0); // the coordinator is on the board

    await coordinator.getByRole("link", { name: "資源マップ" }).click();
    await coordinator.locator(".map-board").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    await onMap.waitFor(); // others see them on the map now…
    expect(handshakes).toHaveLength(1); // …over the same connection
    await npo.close();
  });
});
