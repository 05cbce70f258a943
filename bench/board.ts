/**
 * `npm run bench:board` — how the live matching board behaves with a big workspace (issue 6).
 *
 * A fresh database (migrated, demo seed) topped up to N match cards (default 2,000) on pieces of
 * workspace-visible tasks; our server in this process (production build, matching rerun off, so
 * nothing but our moves changes the board); two Chromium profiles (the 社協 coordinator and the
 * NPO coordinator) on /w/<slug>/board. Prints figures, asserts nothing:
 *
 * - first render: server response (TTFB), first contentful paint, DOMContentLoaded, and the time
 *   until the board is hydrated and live (the badge says ライブ更新中), per page load;
 * - a move's round trip: keyboard drop on board A → the ack (A's card leaves "saving") and → the
 *   card in its new column on board B, over `match:move` with expectedVersion.
 *
 *   npm run bench:board -- [--cards=2000] [--loads=3] [--moves=10] [--pg=URL] [--json]
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import { startServer } from "../server/app-server.ts";
import { parseEnv } from "../server/env.ts";
import { launchBrowser, type Browser } from "../tests/e2e/browser.ts";
import { installSignalHandlers, onCleanup, runBenchmark } from "./lib/cleanup.ts";
import { createBenchDatabase, openDatabaseServer, ROOT } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    cards: { type: "string", default: "2000" },
    loads: { type: "string", default: "3" },
    moves: { type: "string", default: "10" },
    pg: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    json: { type: "boolean", default: false },
  },
});
const CARDS = Number(values.cards);
const LOADS = Number(values.loads);
const MOVES = Number(values.moves);
const log = (message: string) => console.error(`[bench:board] ${message}`);

/**
 * Stages of the added cards. Bookings (CONFIRMED, ACTIVE, COMPLETED) are left to the demo seed:
 * the database refuses a booking over a piece's headcount or overlapping another of the
 * resident's (docs/decisions/017), and made-up pairs would break that.
 */
const STAGE_MIX = ["SUGGESTED", "SUGGESTED", "SUGGESTED", "CONTACTING", "CONTACTING", "ARRANGING", "ARRANGING", "DECLINED", "WITHDRAWN"] as const;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
  return { n: sorted.length, min: sorted[0], p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}
const ms = (v: number) => `${Math.round(v)} ms`;

/** Adds engine-style cards on workspace-visible pieces until the workspace has `target` matches. */
async function topUp(url: string, target: number) {
  const { createPrisma } = await import("../server/db/client.ts");
  const prisma = createPrisma(url, { max: 4 });
  try {
    const workspace = await prisma.workspace.findFirstOrThrow({ select: { id: true } });
    const existing = await prisma.match.findMany({ select: { shiftId: true, residentId: true } });
    const taken = new Set(existing.map((m) => `${m.shiftId}|${m.residentId}`));
    const shifts = await prisma.shift.findMany({
      where: { task: { workspaceId: workspace.id, visibility: { in: ["PUBLIC", "PLATFORM"] } } },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    const residents = await prisma.resident.findMany({ where: { workspaceId: workspace.id }, select: { id: true }, orderBy: { id: "asc" } });
    const rows: Array<Record<string, unknown>> = [];
    const need = target - existing.length;
    const now = Date.now();
    outer: for (let r = 0; r < residents.length; r++) {
      for (let s = 0; s < shifts.length; s++) {
        if (rows.length >= need) break outer;
        const shiftId = shifts[(s + r * 7) % shifts.length].id;
        const key = `${shiftId}|${residents[r].id}`;
        if (taken.has(key)) continue;
        taken.add(key);
        const i = rows.length;
        rows.push({
          workspaceId: workspace.id,
          shiftId,
          residentId: residents[r].id,
          stage: STAGE_MIX[i % STAGE_MIX.length],
          score: Math.round((0.3 + ((i * 37) % 60) / 100) * 10_000) / 10_000,
          explanationJa: "調理スキル一致・徒歩12分・火曜午前に空き",
          explanationEn: "Cooking skill match · 12 min walk · free Tuesday mornings",
          stageChangedAt: new Date(now - ((i * 13) % 120) * 3_600_000),
        });
        if (rows.length % 8 === 0) break; // spread over residents
      }
    }
    for (let i = 0; i < rows.length; i += 500) {
      await prisma.match.createMany({ data: rows.slice(i, i + 500) as never });
    }
    return { added: rows.length, total: existing.length + rows.length };
  } finally {
    await prisma.$disconnect();
  }
}

async function main() {
  installSignalHandlers(log);
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prepare.mjs")], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("scripts/prepare.mjs failed");

  const dbServer = await openDatabaseServer(values.pg!, log);
  const db = await createBenchDatabase(dbServer, log);
  const { added, total } = await topUp(db.url, CARDS);
  log(`${total} matches in the workspace (${added} added)`);

  const server = await startServer({
    env: parseEnv({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" }),
    databaseUrl: db.url,
    remix: "build",
    matching: { enabled: false },
  });
  onCleanup("server", () => server.close());

  const login = async (email: string) => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "tsunagu-demo" }),
    });
    if (response.status !== 200) throw new Error(`login as ${email}: ${response.status}`);
    return response.headers.get("set-cookie")!.split(";")[0];
  };
  const coordinator = await login("coordinator@tsunagu.example");
  const npo = await login("npo@tsunagu.example");
  const workspace = (await (await fetch(`${server.url}/api/v1/workspaces`, { headers: { cookie: coordinator } })).json()).items[0];

  const browsers: Browser[] = [];
  onCleanup("browsers", async () => {
    await Promise.all(browsers.map((b) => b.close()));
  });
  const open = async (cookie: string) => {
    const browser = await launchBrowser();
    browsers.push(browser);
    const [name, value] = cookie.split("=");
    await browser.context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: "Lax" }]);
    return browser;
  };
  const [browserA, browserB] = [await open(coordinator), await open(npo)];
  const boardUrl = `${server.url}/w/${workspace.slug}/board`;

  const waitLive = (page: Page) => page.locator(".board-toolbar").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor({ timeout: 60_000 });

  // ── first render ──
  const loads: Array<{ ttfb: number; fcp: number; dcl: number; live: number; cards: number; htmlKiB: number }> = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await browserA.context.newPage();
    const started = Date.now();
    await page.goto(boardUrl, { waitUntil: "commit", timeout: 60_000 });
    await waitLive(page);
    const live = Date.now() - started;
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return {
        ttfb: nav.responseStart - nav.startTime,
        dcl: nav.domContentLoadedEventEnd - nav.startTime,
        fcp: fcp ? fcp.startTime : NaN,
        htmlKiB: nav.encodedBodySize / 1024,
        cards: document.querySelectorAll("article[data-card-id]").length,
      };
    });
    loads.push({ ...timing, live });
    await page.close();
  }

  // ── move round trip ──
  const a = await browserA.context.newPage();
  const b = await browserB.context.newPage();
  await Promise.all([a.goto(boardUrl, { timeout: 60_000 }), b.goto(boardUrl, { timeout: 60_000 })]);
  await Promise.all([waitLive(a), waitLive(b)]);
  const cardCount = await a.evaluate(() => document.querySelectorAll("article[data-card-id]").length);
  const totalShown = await a.locator(".board-toolbar__count").textContent();
  const id = await a.locator('article[data-card-stage="SUGGESTED"]').first().getAttribute("data-card-id");
  if (!id) throw new Error("no suggested card on the board");
  const acks: number[] = [];
  const seen: number[] = [];
  for (let i = 0; i < MOVES; i++) {
    const forward = i % 2 === 0;
    const target = forward ? "CONTACTING" : "SUGGESTED";
    const card = a.locator(`article[data-card-id="${id}"]`);
    await card.focus();
    await a.keyboard.press("Space");
    await a.keyboard.press(forward ? "ArrowRight" : "ArrowLeft");
    const started = Date.now();
    await a.keyboard.press("Enter");
    const ackDone = a
      .waitForFunction((cardId) => !document.querySelector(`article[data-card-id="${cardId}"]`)?.classList.contains("board-card--pending"), id, {
        polling: "raf",
      })
      .then(() => Date.now() - started);
    const seenDone = b
      .waitForFunction(
        ([cardId, want]) => document.querySelector(`article[data-card-id="${cardId}"]`)?.getAttribute("data-card-stage") === want,
        [id, target] as const,
        { polling: "raf" },
      )
      .then(() => Date.now() - started);
    const [ack, other] = await Promise.all([ackDone, seenDone]);
    acks.push(ack);
    seen.push(other);
    const status = await a.getByTestId("save-status").textContent();
    if (status !== "保存済み") throw new Error(`move ${i + 1} was not saved: ${status}`);
  }

  const result = {
    machine: { cpus: (await import("node:os")).cpus().length, database: dbServer.description },
    workspaceMatches: total,
    cardsRenderedOnLoad: loads.map((l) => l.cards),
    cardsRenderedOnBoardA: cardCount,
    boardCount: totalShown,
    firstRender: {
      ttfb: stats(loads.map((l) => l.ttfb)),
      firstContentfulPaint: stats(loads.map((l) => l.fcp)),
      domContentLoaded: stats(loads.map((l) => l.dcl)),
      hydratedAndLive: stats(loads.map((l) => l.live)),
      htmlKiB: Math.round(loads[0].htmlKiB),
    },
    move: { ack: stats(acks), shownOnOtherBoard: stats(seen) },
  };
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    const row = (name: string, s: ReturnType<typeof stats>) => `  ${name.padEnd(44)} p50 ${ms(s.p50).padStart(8)}  min ${ms(s.min).padStart(8)}  max ${ms(s.max).padStart(8)}  (n=${s.n})`;
    console.log(`bench:board — ${total} matches in the workspace; board shows ${totalShown} (${cardCount} card elements rendered, 100 per column before "show more")`);
    console.log(`  machine: ${result.machine.cpus} cores, ${result.machine.database}; HTML ${result.firstRender.htmlKiB} KiB`);
    console.log("first render (page load → …)");
    console.log(row("server response (TTFB)", result.firstRender.ttfb));
    console.log(row("first contentful paint (SSR cards)", result.firstRender.firstContentfulPaint));
    console.log(row("DOMContentLoaded", result.firstRender.domContentLoaded));
    console.log(row("hydrated and live (ライブ更新中)", result.firstRender.hydratedAndLive));
    console.log("move round trip (keyboard drop on A → …)");
    console.log(row("ack on A (保存済み)", result.move.ack));
    console.log(row("card in its new column on B", result.move.shownOnOtherBoard));
  }
}

runBenchmark(main, log);
