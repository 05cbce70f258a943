import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_COLOURS } from "../../app/features/map/base-map.ts";
import { TASK_COLOUR } from "../../app/features/map/task-layer.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, LIVE_BUDGET_MS, openSignedInPage, type Browser } from "./browser.ts";
import { distance, dragSelectedPin, hex, mapView, metresPerPixel, project, readPixels, waitIdle, type Rgb } from "./map-pixels.ts";

/**
 * The map's task layer and resource editing in two Chromium profiles (decision 070): the task
 * layer draws its diamond where the task is (pixel check) and lists the next open piece; the
 * task's own organization (NPO, 森 さくら) moves its location through the form and the 社協
 * coordinator (中村 由美) sees the pin move, with the lock meanwhile and no way to move it
 * herself; the 社協 edits a resource's name and archives it, and both reach the NPO's map live.
 */
const COORDINATOR = "coordinator@tsunagu.example";
const NPO = "npo@tsunagu.example";
const TOLERANCE = 8;
const DAY = 86_400_000;

describe("map: tasks layer and edits, live (two Chromium profiles)", () => {
  let server: TestServer;
  let browsers: Browser[] = [];
  let slug: string;
  let workspaceId: string;
  const cookies: Record<string, string> = {};
  const orgs: Record<string, string> = {};
  let spot: { lat: number; lng: number };

  async function openMap(email: string, query = ""): Promise<Page> {
    const page = await openSignedInPage(browsers, server.url, cookies[email], 15_000);
    await page.goto(`${server.url}/w/${slug}/map${query}`);
    await page.locator(".map-board__toolbar").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    return page;
  }

  /** An open NPO task with one future piece (2 seats), at a position. */
  async function makeTask(title: string, at: { lat: number; lng: number }) {
    const prisma = server.services.prisma;
    const task = await prisma.task.create({
      data: { workspaceId, ownerOrgId: orgs[NPO], title, description: "e2e", category: "watch", visibility: "PLATFORM", lat: at.lat, lng: at.lng },
    });
    const startsAt = new Date(Date.now() + 20 * DAY);
    await prisma.shift.create({ data: { taskId: task.id, role: "受付係", startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000), headcount: 2 } });
    return task;
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    for (const email of [COORDINATOR, NPO]) {
      cookies[email] = await login(server.url, email);
      const me = (await getJson(server.url, "/api/auth/me", cookies[email])).body.user;
      workspaceId ??= me.memberships[0].workspaceId;
      orgs[email] = me.memberships.find((m: { workspaceId: string }) => m.workspaceId === workspaceId).organizationId;
    }
    const workspace = (await getJson(server.url, "/api/v1/workspaces", cookies[COORDINATOR])).body.items.find((w: { id: string }) => w.id === workspaceId);
    slug = workspace.slug;
    // North of every seed pin, task and area, so nothing else is drawn there.
    const prisma = server.services.prisma;
    const [resource, task, area] = await Promise.all([
      prisma.resource.aggregate({ where: { workspaceId }, _max: { lat: true } }),
      prisma.task.aggregate({ where: { workspaceId }, _max: { lat: true } }),
      prisma.area.findFirstOrThrow({ where: { workspaceId }, orderBy: { code: "asc" } }),
    ]);
    const polygons = await prisma.area.findMany({ where: { workspaceId }, select: { polygon: true } });
    let north = Math.max(resource._max.lat ?? -90, task._max.lat ?? -90);
    for (const p of polygons) for (const [, lat] of ((p.polygon as { coordinates: number[][][] }).coordinates?.[0] ?? [])) north = Math.max(north, lat);
    spot = { lat: Math.round((north + 0.05) * 1e6) / 1e6, lng: area.centerLng };
    // The first resource and task writes of a fresh server compile their queries (~0.5 s): do them before measuring.
    const warm = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/resources`, { ownerOrgId: orgs[COORDINATOR], kind: "PLACE", category: "park", name: "e2e 準備", lat: spot.lat - 0.02, lng: spot.lng }, cookies[COORDINATOR]);
    await sendJson(server.url, "PATCH", `/api/v1/resources/${warm.body.id}`, { name: "e2e 準備済み", expectedVersion: 1 }, cookies[COORDINATOR]);
    await sendJson(server.url, "PATCH", `/api/v1/resources/${warm.body.id}`, { status: "ARCHIVED", expectedVersion: 2 }, cookies[COORDINATOR]);
  });
  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    browsers = [];
    await server?.stop();
  });

  async function expectColours(page: Page, label: string, wanted: Array<{ lat: number; lng: number; colour: Rgb }>) {
    let last: Rgb[] = [];
    const deadline = Date.now() + 5_000;
    for (;;) {
      const view = await mapView(page);
      const box = (await page.locator(".map-board__map canvas").boundingBox())!;
      last = (await readPixels(page, wanted.map((w) => project(view, box, w.lat, w.lng)))).colours;
      if (last.every((c, i) => distance(c, wanted[i].colour) <= TOLERANCE) || Date.now() > deadline) break;
      await page.waitForTimeout(250);
    }
    console.info(`map-tasks: ${label}: ${last.map((c, i) => `[${c}] want [${wanted[i].colour}]`).join(", ")}`);
    last.forEach((c, i) => expect(distance(c, wanted[i].colour), `${label} #${i}`).toBeLessThanOrEqual(TOLERANCE));
  }

  it("draws a task as its diamond at its position, lists its next piece, and the layer toggles off by keyboard", async () => {
    const task = await makeTask(`e2e 描画 活動 ${Date.now()}`, spot);
    const page = await openMap(COORDINATOR, `?view=17/${spot.lat}/${spot.lng}`);
    await waitIdle(page);
    const away = metresPerPixel(spot.lat, 17) * 40;
    const dLng = away / (111_320 * Math.cos((spot.lat * Math.PI) / 180));
    const background = hex(BASE_COLOURS.background);
    await expectColours(page, "task diamond", [
      { ...spot, colour: hex(TASK_COLOUR) },
      { lat: spot.lat, lng: spot.lng - dLng, colour: background },
      { lat: spot.lat, lng: spot.lng + dLng, colour: background },
    ]);
    const row = page.locator(`li.map-list__item[data-task-id="${task.id}"]`);
    await row.getByText("受付係").waitFor();
    await expect.poll(() => row.textContent()).toContain("空き 2 / 2人");

    // The layer toggle works from the keyboard: the diamond and the list rows go.
    await page.getByTestId("layer-TASKS").focus();
    await page.keyboard.press("Space");
    await expect.poll(() => page.getByTestId("map-task-list").count()).toBe(0);
    await waitIdle(page);
    await expectColours(page, "task layer off", [{ ...spot, colour: background }]);

    // The resident counts (off by default) show per area, small counts as 「5未満」.
    await page.getByTestId("layer-AREA_COUNTS").focus();
    await page.keyboard.press("Space");
    const table = page.getByTestId("map-area-counts");
    await table.locator("tbody tr").first().waitFor();
    const cells = await table.locator("tbody td").allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell === "5未満" || (/^[\d,]+人$/.test(cell) && Number(cell.replace(/[^\d]/g, "")) >= 5)).toBe(true);
    expect(await page.locator(".map-count-tag").count()).toBe(cells.length);
    await page.close();
  });

  it("the owner moves a task through the form and the other map follows; the other cannot move it", async () => {
    const task = await makeTask(`e2e 移動 活動 ${Date.now()}`, { lat: spot.lat, lng: spot.lng + 0.01 });
    const a = await openMap(NPO, `?task=${task.id}`);
    const b = await openMap(COORDINATOR, `?task=${task.id}`);
    await a.locator(".map-board__map[data-ready=true]").waitFor();
    await b.locator(".map-board__map[data-ready=true]").waitFor();
    // B (another organization): no handle on the pin, and the detail says why.
    await b.getByTestId("map-task-detail").getByText("ほかの団体の活動です").waitFor();
    expect(await b.locator(".map-drag-handle").count()).toBe(0);
    // A (the owner): the handle is there.
    await a.locator(".map-drag-handle").waitFor();

    await a.getByTestId("map-task-detail").getByRole("button", { name: "活動の位置を編集" }).click();
    await b.locator(`li.map-list__item[data-task-id="${task.id}"]`).getByTestId("task-lock").filter({ hasText: "森 さくらさんが編集中" }).waitFor();
    const lat = Math.round((spot.lat + 0.002) * 1e6) / 1e6;
    const lng = Math.round((spot.lng + 0.012) * 1e6) / 1e6;
    const form = a.getByRole("form", { name: "活動の位置を編集" });
    await form.getByLabel("緯度").fill(String(lat));
    await form.getByLabel("経度").fill(String(lng));
    const started = Date.now();
    await form.getByRole("button", { name: "保存" }).click();
    await b.waitForFunction((text) => document.querySelector('[data-testid="task-position"]')?.textContent?.includes(text) ?? false, `${lat}, ${lng}`, { timeout: LIVE_BUDGET_MS + 4_000 });
    const elapsed = Date.now() - started;
    console.info(`map-tasks: task moved on A → moved on B in ${elapsed} ms (budget ${LIVE_BUDGET_MS} ms; the issue asks for 1,000)`);
    expect(elapsed).toBeLessThan(LIVE_BUDGET_MS);
    const saved = await getJson(server.url, `/api/v1/tasks/${task.id}`, cookies[NPO]);
    expect(saved.body).toMatchObject({ lat, lng, version: 2 });
    // The lock is released and B's list row follows too.
    await expect.poll(() => b.locator(`li.map-list__item[data-task-id="${task.id}"]`).getAttribute("data-lat")).toBe(String(lat));
    await expect.poll(() => b.getByTestId("task-lock").count()).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it("the owner drags a task's pin: it saves through the task API, and the other map follows", async () => {
    const start = { lat: spot.lat - 0.004, lng: spot.lng + 0.02 };
    const task = await makeTask(`e2e ドラッグ 活動 ${Date.now()}`, start);
    const a = await openMap(NPO, `?task=${task.id}`);
    const b = await openMap(COORDINATOR);
    const rowB = b.locator(`li.map-list__item[data-task-id="${task.id}"]`);
    await rowB.waitFor();
    await dragSelectedPin(a, () => rowB.getByTestId("task-lock").filter({ hasText: "森 さくらさんがピンを移動中" }).waitFor());
    const started = Date.now();
    await a.mouse.up();
    await a.getByTestId("announcer").filter({ hasText: "活動の位置を保存しました" }).waitFor();
    const after = (await getJson(server.url, `/api/v1/tasks/${task.id}`, cookies[NPO])).body;
    expect(after.version).toBe(2);
    expect(after.lng).toBeGreaterThan(start.lng);
    expect(after.lat).toBeLessThan(start.lat);
    await b.waitForFunction(
      ([taskId, lat, lng]) => {
        const li = document.querySelector(`li.map-list__item[data-task-id="${taskId}"]`);
        return li?.getAttribute("data-lat") === String(lat) && li?.getAttribute("data-lng") === String(lng);
      },
      [task.id, after.lat, after.lng] as const,
    );
    const elapsed = Date.now() - started;
    console.info(`map-tasks: task pin dropped on A → moved on B in ${elapsed} ms (budget ${LIVE_BUDGET_MS} ms; the issue asks for 1,000)`);
    expect(elapsed).toBeLessThan(LIVE_BUDGET_MS);
    await rowB.getByTestId("task-lock").waitFor({ state: "detached" });
    await Promise.all([a.close(), b.close()]);
  });

  it("a resource's name edited on one map changes on the other; archived, it leaves the other map", async () => {
    const created = await sendJson(
      server.url,
      "POST",
      `/api/v1/workspaces/${workspaceId}/resources`,
      { ownerOrgId: orgs[COORDINATOR], kind: "PLACE", category: "park", name: `e2e 編集前 ${Date.now()}`, lat: spot.lat - 0.001, lng: spot.lng },
      cookies[COORDINATOR],
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const a = await openMap(COORDINATOR, `?selected=${id}`);
    const b = await openMap(NPO);
    const rowB = b.locator(`li.map-list__item[data-resource-id="${id}"]`);
    await rowB.waitFor();

    await a.getByTestId("map-detail").getByRole("button", { name: "内容を編集" }).click();
    const form = a.getByTestId("map-fields-form");
    const name = `e2e 編集後 ${Date.now()}`;
    await form.getByLabel("名称", { exact: true }).fill(name);
    await form.getByLabel("名称(英語)").fill("Edited in e2e");
    await form.getByLabel("説明").fill("e2e の説明");
    let started = Date.now();
    const patched = a.waitForResponse((r) => r.request().method() === "PATCH" && r.url().endsWith(`/resources/${id}`)).then(() => Date.now() - started);
    const refetched = b.waitForResponse((r) => r.request().method() === "GET" && r.url().endsWith(`/resources/${id}`)).then(() => Date.now() - started);
    await form.getByRole("button", { name: "保存" }).click();
    // Polled every animation frame (a locator's waitFor backs off to 500 ms between polls).
    await b.waitForFunction(([resourceId, text]) => document.querySelector(`li.map-list__item[data-resource-id="${resourceId}"]`)?.textContent?.includes(text) ?? false, [id, name] as const, {
      timeout: LIVE_BUDGET_MS + 4_000,
    });
    const renamed = Date.now() - started;
    console.info(`map-tasks: rename: PATCH answered at ${await patched} ms, B's refetch at ${await refetched} ms`);
    expect((await getJson(server.url, `/api/v1/resources/${id}`, cookies[NPO])).body).toMatchObject({ name, nameEn: "Edited in e2e", description: "e2e の説明", version: 2 });

    a.once("dialog", (dialog) => void dialog.accept());
    started = Date.now();
    await a.getByTestId("map-detail").getByRole("button", { name: "アーカイブ" }).click();
    await b.waitForFunction((resourceId) => !document.querySelector(`li.map-list__item[data-resource-id="${resourceId}"]`), id, { timeout: LIVE_BUDGET_MS + 4_000 });
    const archived = Date.now() - started;
    // The issue's 1 s is for pins added or moved; a rename or an archive also refetches the resource
    // on B (535–921 ms on a loaded machine of an earlier session, up to 2.8 s on the AMD VM).
    console.info(`map-tasks: renamed on A → on B in ${renamed} ms; archived on A → gone on B in ${archived} ms (budget ${LIVE_BUDGET_MS} ms each)`);
    expect(renamed).toBeLessThan(LIVE_BUDGET_MS);
    expect(archived).toBeLessThan(LIVE_BUDGET_MS);
    expect((await getJson(server.url, `/api/v1/resources/${id}`, cookies[NPO])).body.status).toBe("ARCHIVED");
    await Promise.all([a.close(), b.close()]);
  });
});
