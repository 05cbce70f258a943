import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, LIVE_BUDGET_MS, openSignedInPage, SCREENSHOT_DIR, type Browser } from "./browser.ts";
import { dragSelectedPin } from "./map-pixels.ts";

/**
 * The live resource map in two Chromium profiles: the 社協 coordinator (中村 由美) and the NPO
 * coordinator (森 さくら). A resource added on one map appears in the other's list within 1 s; a
 * pin moved through the edit form moves on the other map, with the editor's soft lock shown
 * there meanwhile; a stale save is a visible conflict, never an overwrite; `?selected=` deep links
 * and the list works with the keyboard; and the MapLibre canvas really draws (WebGL in headless
 * Chromium), checked by the pixel variance of its screenshot.
 */
const COORDINATOR = "coordinator@tsunagu.example";
const NPO = "npo@tsunagu.example";

describe("resource map, live (two Chromium profiles)", () => {
  let server: TestServer;
  let browsers: Browser[] = [];
  let slug: string;
  let workspaceId: string;
  const cookies: Record<string, string> = {};
  /** A point inside the workspace's areas (the centre of the first area). */
  let centre: { lat: number; lng: number };
  let ownerOrgId: string;

  async function openMap(email: string, query = ""): Promise<Page> {
    const page = await openSignedInPage(browsers, server.url, cookies[email], 10_000);
    await page.goto(`${server.url}/w/${slug}/map${query}`);
    await page.locator(".map-board__toolbar").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    return page;
  }

  const item = (page: Page, id: string) => page.locator(`li.map-list__item[data-resource-id="${id}"]`);

  async function createViaApi(name: string, lat = centre.lat, lng = centre.lng): Promise<{ id: string; version: number }> {
    const answer = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/resources`, { ownerOrgId, kind: "PLACE", category: "park", name, lat, lng }, cookies[COORDINATOR]);
    expect(answer.status).toBe(201);
    return answer.body;
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    cookies[COORDINATOR] = await login(server.url, COORDINATOR);
    cookies[NPO] = await login(server.url, NPO);
    const workspace = (await getJson(server.url, "/api/v1/workspaces", cookies[COORDINATOR])).body.items[0];
    slug = workspace.slug;
    workspaceId = workspace.id;
    const areas = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/areas`, cookies[COORDINATOR])).body.items;
    centre = { lat: areas[0].centerLat, lng: areas[0].centerLng };
    const me = (await getJson(server.url, "/api/auth/me", cookies[COORDINATOR])).body.user;
    ownerOrgId = me.memberships.find((m: { workspaceId: string }) => m.workspaceId === workspaceId).organizationId;
    // The first resource write of a fresh server compiles its queries (~0.5 s): do it before measuring.
    await createViaApi(`e2e 準備 ${Date.now()}`);
  });
  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    browsers = [];
    await server?.stop();
  });

  it("a resource added on one map appears in the other's list within 1 s, with who is here", async () => {
    const a = await openMap(COORDINATOR);
    const b = await openMap(NPO);
    await a.locator(".map-presence__person", { hasText: "森 さくら" }).waitFor();
    await b.locator(".map-presence__person", { hasText: "中村 由美" }).waitFor();
    // Measure the steady state: both maps drawn (software WebGL shares the two cores with the server).
    await a.locator(".map-board__map[data-ready=true]").waitFor();
    await b.locator(".map-board__map[data-ready=true]").waitFor();

    const name = `e2e 防災倉庫 ${Date.now()}`;
    const form = a.locator("section.map-add");
    await form.getByLabel("名称").fill(name);
    await form.getByLabel("種類").selectOption("SERVICE");
    await form.getByLabel("緯度").fill(String(centre.lat));
    await form.getByLabel("経度").fill(String(centre.lng));
    expect(await b.getByTestId("map-list").getByText(name).count()).toBe(0);
    const started = Date.now();
    const posted = a.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/resources")).then(() => Date.now() - started);
    const fetched = b.waitForResponse((r) => r.request().method() === "GET" && /\/api\/v1\/resources\/[^/]+$/.test(r.url())).then(() => Date.now() - started);
    await form.getByRole("button", { name: "追加する" }).click();
    await b.getByTestId("map-list").getByText(name).waitFor({ timeout: LIVE_BUDGET_MS + 4_000 });
    const elapsed = Date.now() - started;
    console.log(`map-live: added on A → listed on B in ${elapsed} ms (budget ${LIVE_BUDGET_MS} ms; the issue asks for 1,000; POST answered at ${await posted} ms, B's refetch at ${await fetched} ms)`);
    expect(elapsed).toBeLessThan(LIVE_BUDGET_MS);

    // It is on the server as added, and A selected it (deep link in the URL).
    const created = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/resources?kind=SERVICE&limit=500`, cookies[NPO])).body.items.find(
      (r: { name: string }) => r.name === name,
    );
    expect(created).toMatchObject({ kind: "SERVICE", lat: centre.lat, lng: centre.lng });
    await expect.poll(() => new URL(a.url()).searchParams.get("selected")).toBe(created.id);
    // The NPO may not change the 社協's resource: B's detail says so instead of offering a form.
    await item(b, created.id).getByRole("button").click();
    await b.getByTestId("map-detail").getByText("ほかの団体の資源です").waitFor();
    await Promise.all([a.close(), b.close()]);
  });

  it("a pin moved on one map moves on the other, and the editor's lock shows there meanwhile", async () => {
    const { id } = await createViaApi(`e2e 移動するピン ${Date.now()}`);
    const a = await openMap(COORDINATOR, `?selected=${id}`);
    const b = await openMap(NPO);
    await item(b, id).waitFor();
    await a.locator(".map-board__map[data-ready=true]").waitFor();
    await b.locator(".map-board__map[data-ready=true]").waitFor();

    await a.getByTestId("map-detail").getByRole("button", { name: "位置を編集" }).click();
    // B sees who is editing the pin, in the list and as a name tag on the map.
    await item(b, id).getByTestId("lock").filter({ hasText: "中村 由美さんが編集中" }).waitFor();
    await b.locator(`.map-lock-tag[data-lock-for="${id}"]`, { hasText: "中村 由美" }).waitFor();

    const lat = Math.round((centre.lat + 0.0021) * 1e6) / 1e6;
    const lng = Math.round((centre.lng - 0.0017) * 1e6) / 1e6;
    const edit = a.getByRole("form", { name: "位置の編集" });
    await edit.getByLabel("緯度").fill(String(lat));
    await edit.getByLabel("経度").fill(String(lng));
    const started = Date.now();
    await edit.getByRole("button", { name: "保存" }).click();
    await b.waitForFunction(
      ([resourceId, wantLat, wantLng]) => {
        const li = document.querySelector(`li.map-list__item[data-resource-id="${resourceId}"]`);
        return li?.getAttribute("data-lat") === String(wantLat) && li?.getAttribute("data-lng") === String(wantLng);
      },
      [id, lat, lng] as const,
      { polling: "raf", timeout: LIVE_BUDGET_MS + 4_000 },
    );
    const elapsed = Date.now() - started;
    console.log(`map-live: pin moved on A → moved on B in ${elapsed} ms (budget ${LIVE_BUDGET_MS} ms; the issue asks for 1,000)`);
    expect(elapsed).toBeLessThan(LIVE_BUDGET_MS);
    expect((await getJson(server.url, `/api/v1/resources/${id}`, cookies[NPO])).body).toMatchObject({ lat, lng, version: 2 });
    // Saving closed the form and released the lock: B no longer sees it.
    await item(b, id).getByTestId("lock").waitFor({ state: "detached" });
    await Promise.all([a.close(), b.close()]);
  });

  it("dragging the selected pin saves its new position, and the other map follows", async () => {
    const { id } = await createViaApi(`e2e ドラッグするピン ${Date.now()}`);
    const a = await openMap(COORDINATOR, `?selected=${id}`);
    const b = await openMap(NPO);
    await item(b, id).waitFor();
    // B sees the drag as it happens (soft lock, kind "dragging").
    await dragSelectedPin(a, () => item(b, id).getByTestId("lock").filter({ hasText: "中村 由美さんがピンを移動中" }).waitFor());
    await a.mouse.up();
    await a.getByTestId("announcer").filter({ hasText: "位置を保存しました" }).waitFor();
    const after = (await getJson(server.url, `/api/v1/resources/${id}`, cookies[NPO])).body;
    // Right and down on the screen: east (larger lng) and south (smaller lat).
    expect(after.version).toBe(2);
    expect(after.lng).toBeGreaterThan(centre.lng);
    expect(after.lat).toBeLessThan(centre.lat);
    await b.waitForFunction(
      ([resourceId, lat, lng]) => {
        const li = document.querySelector(`li.map-list__item[data-resource-id="${resourceId}"]`);
        return li?.getAttribute("data-lat") === String(lat) && li?.getAttribute("data-lng") === String(lng);
      },
      [id, after.lat, after.lng] as const,
    );
    await item(b, id).getByTestId("lock").waitFor({ state: "detached" });
    await Promise.all([a.close(), b.close()]);
  });

  it("archiving removes the resource from every open map", async () => {
    const name = `e2e アーカイブ ${Date.now()}`;
    const { id } = await createViaApi(name);
    const a = await openMap(COORDINATOR, `?selected=${id}`);
    const b = await openMap(NPO);
    await item(b, id).waitFor();
    a.once("dialog", (dialog) => void dialog.accept());
    await a.getByTestId("map-detail").getByRole("button", { name: "アーカイブ" }).click();
    await a.getByTestId("announcer").filter({ hasText: "アーカイブしました" }).waitFor();
    await item(b, id).waitFor({ state: "detached" });
    await item(a, id).waitFor({ state: "detached" });
    expect((await getJson(server.url, `/api/v1/resources/${id}`, cookies[NPO])).body).toMatchObject({ status: "ARCHIVED" });
    await Promise.all([a.close(), b.close()]);
  });

  it("a save over someone else's newer change is a visible conflict, not an overwrite", async () => {
    const { id } = await createViaApi(`e2e 競合するピン ${Date.now()}`);
    const a = await openMap(COORDINATOR, `?selected=${id}`);
    await a.getByTestId("map-detail").getByRole("button", { name: "位置を編集" }).click();
    const edit = a.getByRole("form", { name: "位置の編集" });
    await edit.getByLabel("緯度").fill(String(centre.lat + 0.001));

    // Someone else moves it first (version 1 → 2); A's form still holds version 1.
    const theirs = Math.round((centre.lat - 0.002) * 1e6) / 1e6;
    expect((await sendJson(server.url, "PATCH", `/api/v1/resources/${id}`, { lat: theirs, expectedVersion: 1 }, cookies[COORDINATOR])).status).toBe(200);
    await a.waitForFunction(
      ([resourceId, want]) => document.querySelector(`li.map-list__item[data-resource-id="${resourceId}"]`)?.getAttribute("data-lat") === String(want),
      [id, theirs] as const,
    );

    await edit.getByRole("button", { name: "保存" }).click();
    const conflict = a.getByTestId("conflict");
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain(`現在の位置: ${theirs}, ${centre.lng}`);
    await a.getByTestId("announcer").filter({ hasText: "保存しませんでした" }).waitFor();
    const now = (await getJson(server.url, `/api/v1/resources/${id}`, cookies[COORDINATOR])).body;
    expect(now).toMatchObject({ lat: theirs, version: 2 });
    expect(await a.getByTestId("detail-position").textContent()).toBe(`${theirs}, ${centre.lng}`);
    await a.close();
  });

  it("deep links to a selected resource, and the list moves the selection with the arrow keys", async () => {
    const { id } = await createViaApi(`e2e 深いリンク ${Date.now()}`);
    const a = await openMap(NPO, `?selected=${id}`);
    await a.getByTestId("map-detail").getByRole("heading", { name: /e2e 深いリンク/ }).waitFor();
    const button = item(a, id).getByRole("button");
    expect(await button.getAttribute("aria-current")).toBe("true");
    await button.focus();
    await a.keyboard.press("Home");
    const first = await a.locator("li.map-list__item").first().getAttribute("data-resource-id");
    expect(first).not.toBe(id);
    await expect.poll(() => new URL(a.url()).searchParams.get("selected")).toBe(first);
    expect(await a.evaluate(() => document.activeElement?.getAttribute("data-resource-id"))).toBe(first);
    await a.keyboard.press("ArrowDown");
    const second = await a.locator("li.map-list__item").nth(1).getAttribute("data-resource-id");
    await expect.poll(() => new URL(a.url()).searchParams.get("selected")).toBe(second);
    expect(await a.locator(".map-board__map").getAttribute("data-selected")).toBe(second);
    await a.close();
  });

  it("draws the map: the canvas screenshot is not blank", async () => {
    const a = await openMap(COORDINATOR);
    await a.locator(".map-board__map[data-ready=true]").waitFor();
    // Let the first frames with the sources' data render.
    await a.waitForTimeout(800);
    const png = await a.locator(".map-board__map canvas").screenshot();
    const stats = await a.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d")!;
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      let sum = 0;
      let sumSq = 0;
      const colours = new Set<number>();
      const pixels = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        sum += luma;
        sumSq += luma * luma;
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      const mean = sum / pixels;
      return { width: bitmap.width, height: bitmap.height, variance: sumSq / pixels - mean * mean, colours: colours.size };
    }, png.toString("base64"));
    console.log(`map-live: canvas ${stats.width}×${stats.height}, luma variance ${stats.variance.toFixed(1)}, ${stats.colours} colours`);
    expect(stats.width).toBeGreaterThan(200);
    // A blank (background-only) canvas has variance 0 and one colour.
    expect(stats.variance).toBeGreaterThan(20);
    expect(stats.colours).toBeGreaterThan(20);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await a.screenshot({ path: join(SCREENSHOT_DIR, "map-board.png"), fullPage: true });
    await a.close();
  });
});
