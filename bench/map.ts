/**
 * `npm run bench:map` — does the resource map stay interactive with 5,000 resources (issue 7)?
 *
 * A fresh database (migrated, demo seed) topped up to N active resources (default 5,000) spread
 * over the workspace's areas; our server in this process (production build, matching off); one
 * Chromium profile (the 社協 coordinator) on /w/<slug>/map. Prints figures, asserts nothing:
 *
 * - first render, per page load: server response (TTFB), DOMContentLoaded, the list hydrated and
 *   live (ライブ更新中), the map's first render (MapLibre `load`: style and our layers in place,
 *   `data-ready`) and the clustered render (the first `idle` after it: every source clustered
 *   and drawn);
 * - frame times while a person pans (mouse drags) and zooms (wheel) for a few seconds, from a
 *   requestAnimationFrame loop in the page: p50, p95, max, frames over 50 ms;
 * - a resource added through the API (POST, as another member would) → the list's count, and
 *   → its pin on the canvas (pixels read from screenshots at its projected position, so this one
 *   has the resolution of a screenshot, ≈ 100–200 ms here).
 *
 *   npm run bench:map -- [--resources=5000] [--loads=3] [--adds=5] [--seconds=6] [--pg=URL] [--json]
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import { KIND_COLOURS } from "../app/features/map/map-state.ts";
import { startServer } from "../server/app-server.ts";
import { parseEnv } from "../server/env.ts";
import { launchBrowser, type Browser } from "../tests/e2e/browser.ts";
import { distance, hex, mapView, project, readPixels } from "../tests/e2e/map-pixels.ts";
import { installSignalHandlers, onCleanup, runBenchmark } from "./lib/cleanup.ts";
import { createBenchDatabase, openDatabaseServer, ROOT } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    resources: { type: "string", default: "5000" },
    loads: { type: "string", default: "3" },
    adds: { type: "string", default: "5" },
    seconds: { type: "string", default: "6" },
    pg: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    json: { type: "boolean", default: false },
  },
});
const RESOURCES = Number(values.resources);
const LOADS = Number(values.loads);
const ADDS = Number(values.adds);
const SECONDS = Number(values.seconds);
const log = (message: string) => console.error(`[bench:map] ${message}`);

const KINDS = ["PLACE", "PLACE", "ACTIVITY", "SERVICE", "ORGANIZATION"] as const;
const CATEGORIES = ["vacant_shop", "classroom", "hub", "park", "salon", "meal", "transport", "other"];

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
  return { n: sorted.length, min: sorted[0], p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}
const ms = (v: number) => `${Math.round(v)} ms`;

/** A small deterministic generator, so two runs place the same pins. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Adds active resources inside the areas' bounding boxes until the workspace has `target`. */
async function topUp(url: string, target: number) {
  const { createPrisma } = await import("../server/db/client.ts");
  const prisma = createPrisma(url, { max: 4 });
  try {
    const workspace = await prisma.workspace.findFirstOrThrow({ select: { id: true } });
    const existing = await prisma.resource.count({ where: { workspaceId: workspace.id, status: "ACTIVE" } });
    const areas = await prisma.area.findMany({ where: { workspaceId: workspace.id }, select: { id: true, polygon: true } });
    const orgs = await prisma.organization.findMany({ where: { workspaceId: workspace.id }, select: { id: true } });
    const boxes = areas.map((a) => {
      const ring = (a.polygon as { coordinates: number[][][] }).coordinates[0];
      const lngs = ring.map((p) => p[0]);
      const lats = ring.map((p) => p[1]);
      return { id: a.id, minLng: Math.min(...lngs), maxLng: Math.max(...lngs), minLat: Math.min(...lats), maxLat: Math.max(...lats) };
    });
    const next = random(7);
    const rows = [];
    for (let i = 0; i < target - existing; i++) {
      const box = boxes[i % boxes.length];
      rows.push({
        workspaceId: workspace.id,
        ownerOrgId: orgs[i % orgs.length].id,
        areaId: box.id,
        kind: KINDS[i % KINDS.length],
        category: CATEGORIES[i % CATEGORIES.length],
        name: `計測用の資源 ${i + 1}`,
        lat: Math.round((box.minLat + next() * (box.maxLat - box.minLat)) * 1e6) / 1e6,
        lng: Math.round((box.minLng + next() * (box.maxLng - box.minLng)) * 1e6) / 1e6,
        visibility: "PLATFORM" as const,
      });
    }
    for (let i = 0; i < rows.length; i += 1000) await prisma.resource.createMany({ data: rows.slice(i, i + 1000) });
    const total = await prisma.resource.count({ where: { workspaceId: workspace.id, status: "ACTIVE" } });
    return { added: rows.length, total, areas: boxes };
  } finally {
    await prisma.$disconnect();
  }
}

/** Frame intervals (ms) recorded by requestAnimationFrame while `drive` runs. */
async function frameTimes(page: Page, drive: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx's transform would add helpers (__name) the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__framesOn = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__framesOn) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await drive();
  return page.evaluate(`(() => {
    window.__framesOn = false;
    return window.__frames.slice(1);
  })()`);
}

async function main() {
  installSignalHandlers(log);
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prepare.mjs")], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("scripts/prepare.mjs failed");

  const dbServer = await openDatabaseServer(values.pg!, log);
  const db = await createBenchDatabase(dbServer, log);
  const { added, total, areas } = await topUp(db.url, RESOURCES);
  log(`${total} active resources in the workspace (${added} added)`);

  const server = await startServer({
    env: parseEnv({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" }),
    databaseUrl: db.url,
    remix: "build",
    matching: { enabled: false },
  });
  onCleanup("server", () => server.close());

  const response = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "coordinator@tsunagu.example", password: "tsunagu-demo" }),
  });
  if (response.status !== 200) throw new Error(`login: ${response.status}`);
  const cookie = response.headers.get("set-cookie")!.split(";")[0];
  const headers = { cookie, "content-type": "application/json" };
  const workspace = (await (await fetch(`${server.url}/api/v1/workspaces`, { headers })).json()).items[0];
  const me = (await (await fetch(`${server.url}/api/auth/me`, { headers })).json()).user;
  const ownerOrgId = me.memberships.find((m: { workspaceId: string }) => m.workspaceId === workspace.id).organizationId;

  const browsers: Browser[] = [];
  onCleanup("browsers", async () => {
    await Promise.all(browsers.map((b) => b.close()));
  });
  const browser = await launchBrowser();
  browsers.push(browser);
  const [name, value] = cookie.split("=");
  await browser.context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: "Lax" }]);
  const mapUrl = `${server.url}/w/${workspace.slug}/map`;

  // ── first render ──
  const loads: Array<{ ttfb: number; dcl: number; live: number; ready: number; clustered: number; rows: number; htmlKiB: number }> = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(120_000);
    const started = Date.now();
    await page.goto(mapUrl, { waitUntil: "commit", timeout: 120_000 });
    const live = page
      .locator(".map-board__toolbar")
      .getByRole("status")
      .filter({ hasText: "ライブ更新中" })
      .waitFor()
      .then(() => Date.now() - started);
    const ready = page
      .locator(".map-board__map[data-ready=true]")
      .waitFor()
      .then(() => Date.now() - started);
    const clustered = ready.then(() => page.locator(".map-board__map[data-ready=true][data-idle=true]").waitFor()).then(() => Date.now() - started);
    const [liveMs, readyMs, clusteredMs] = await Promise.all([live, ready, clustered]);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return {
        ttfb: nav.responseStart - nav.startTime,
        dcl: nav.domContentLoadedEventEnd - nav.startTime,
        htmlKiB: nav.encodedBodySize / 1024,
        rows: document.querySelectorAll("li.map-list__item").length,
      };
    });
    loads.push({ ...timing, live: liveMs, ready: readyMs, clustered: clusteredMs });
    log(`load ${i + 1}: live ${liveMs} ms, map ready ${readyMs} ms, clustered ${clusteredMs} ms`);
    await page.close();
  }

  // ── pan and zoom ──
  const page = await browser.context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(mapUrl, { timeout: 120_000 });
  await page.locator(".map-board__map[data-ready=true][data-idle=true]").waitFor();
  const box = (await page.locator(".map-board__map canvas").boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const deadline = Date.now() + SECONDS * 1000;
  let gestures = 0;
  const frames = await frameTimes(page, async () => {
    while (Date.now() < deadline) {
      const step = gestures % 4;
      if (step === 0 || step === 2) {
        // A drag of 160 px, in 16 mouse moves, alternately right-down and back.
        const sign = step === 0 ? 1 : -1;
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        for (let k = 1; k <= 16; k++) await page.mouse.move(cx + sign * k * 10, cy + sign * k * 4);
        await page.mouse.up();
      } else {
        // Zoom in with the wheel, then out again, around the centre.
        await page.mouse.move(cx, cy);
        for (let k = 0; k < 6; k++) {
          await page.mouse.wheel(0, step === 1 ? -120 : 120);
          await page.waitForTimeout(30);
        }
      }
      gestures++;
      await page.waitForTimeout(100);
    }
  });
  const viewAfter = await mapView(page);
  log(`pan/zoom: ${gestures} gestures, ${frames.length} frames, view ${viewAfter.zoom}/${viewAfter.lat}/${viewAfter.lng}`);

  // ── a resource added through the API → list row, pin on the canvas ──
  const area = areas[0];
  const spotLat = Math.round((area.maxLat + 0.01) * 1e6) / 1e6;
  const spotLng = Math.round(((area.minLng + area.maxLng) / 2) * 1e6) / 1e6;
  await page.goto(`${mapUrl}?view=16/${spotLat}/${spotLng}`, { timeout: 120_000 });
  await page.locator(".map-board__toolbar").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
  await page.locator(".map-board__map[data-ready=true][data-idle=true]").waitFor();
  const listed: number[] = [];
  const drawn: number[] = [];
  const want = hex(KIND_COLOURS.SERVICE);
  for (let i = 0; i < ADDS; i++) {
    // Each new pin 60 px east of the previous one (≈ 0.0003° at zoom 16 here), all on screen.
    const lat = spotLat;
    const lng = Math.round((spotLng + (i - ADDS / 2) * 0.0003) * 1e6) / 1e6;
    const countText = (await page.locator(".map-board__count").textContent()) ?? "";
    const before = Number(countText.replace(/[^0-9]/g, ""));
    const started = Date.now();
    const answer = await fetch(`${server.url}/api/v1/workspaces/${workspace.id}/resources`, {
      method: "POST",
      headers: { ...headers, origin: server.url },
      body: JSON.stringify({ ownerOrgId, kind: "SERVICE", category: "other", name: `計測 追加 ${i + 1}`, lat, lng }),
    });
    if (answer.status !== 201) throw new Error(`add ${i + 1}: ${answer.status} ${await answer.text()}`);
    await answer.body?.cancel();
    // The list renders its first 200 rows (decision 068): the count above it is what changes.
    const row = page
      .waitForFunction((want) => document.querySelector(".map-board__count")?.textContent === want, `${before + 1}件`, { polling: "raf", timeout: 30_000 })
      .then(() => Date.now() - started);
    const pin = (async () => {
      for (;;) {
        const view = await mapView(page);
        const canvas = (await page.locator(".map-board__map canvas").boundingBox())!;
        const [colour] = (await readPixels(page, [project(view, canvas, lat, lng)])).colours;
        if (distance(colour, want) <= 8) return Date.now() - started;
        if (Date.now() - started > 30_000) throw new Error(`pin ${i + 1} never drawn (last colour ${colour})`);
      }
    })();
    const [rowMs, pinMs] = await Promise.all([row, pin]);
    listed.push(rowMs);
    drawn.push(pinMs);
    await page.waitForTimeout(300);
  }

  const longFrames = frames.filter((f) => f > 50).length;
  const result = {
    machine: { cpus: (await import("node:os")).cpus().length, database: dbServer.description },
    resources: total,
    listRows: loads.map((l) => l.rows),
    firstRender: {
      ttfb: stats(loads.map((l) => l.ttfb)),
      domContentLoaded: stats(loads.map((l) => l.dcl)),
      listLive: stats(loads.map((l) => l.live)),
      mapFirstRender: stats(loads.map((l) => l.ready)),
      mapClustered: stats(loads.map((l) => l.clustered)),
      htmlKiB: Math.round(loads[0].htmlKiB),
    },
    panZoom: { seconds: SECONDS, gestures, frames: stats(frames), longFrames, fps: frames.length / (frames.reduce((a, b) => a + b, 0) / 1000) },
    added: { listed: stats(listed), drawn: stats(drawn) },
  };
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    const row = (label: string, s: ReturnType<typeof stats>) =>
      `  ${label.padEnd(44)} p50 ${ms(s.p50).padStart(8)}  p95 ${ms(s.p95).padStart(8)}  min ${ms(s.min).padStart(8)}  max ${ms(s.max).padStart(8)}  (n=${s.n})`;
    console.log(`bench:map — ${total} active resources; the list renders ${result.listRows[0]} rows; HTML ${result.firstRender.htmlKiB} KiB`);
    console.log(`  machine: ${result.machine.cpus} cores, ${result.machine.database}; one headless Chromium (software WebGL) and the server`);
    console.log("first render (page load → …)");
    console.log(row("server response (TTFB)", result.firstRender.ttfb));
    console.log(row("DOMContentLoaded", result.firstRender.domContentLoaded));
    console.log(row("list hydrated and live (ライブ更新中)", result.firstRender.listLive));
    console.log(row("map first render (style + layers, load)", result.firstRender.mapFirstRender));
    console.log(row("map clustered render (first idle)", result.firstRender.mapClustered));
    console.log(`pan and zoom for ${SECONDS} s (${gestures} gestures): ${result.panZoom.fps.toFixed(1)} frames/s, ${longFrames} of ${frames.length} frames over 50 ms`);
    console.log(row("frame interval", result.panZoom.frames));
    console.log("a resource added through the API → …");
    console.log(row("counted in the list", result.added.listed));
    console.log(row("its pin on the canvas (screenshot polling)", result.added.drawn));
  }
}

runBenchmark(main, log);
