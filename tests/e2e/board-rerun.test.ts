import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, openSignedInPage, type Browser } from "./browser.ts";

/**
 * Rerun visibility (issue 6) in two Chromium profiles with the live matching rerun on: a change of
 * a resident's availability through the REST API makes the server rerun matching, and both open
 * boards show the new cards highlighted and the "what changed" summary — without a reload.
 */
const COORDINATOR = "coordinator@tsunagu.example";
const NPO = "npo@tsunagu.example";

describe("matching board: a rerun's new cards on both boards (two Chromium profiles)", () => {
  let server: TestServer;
  const browsers: Browser[] = [];
  const cookies: Record<string, string> = {};
  let slug: string;

  async function openBoard(email: string): Promise<Page> {
    const page = await openSignedInPage(browsers, server.url, cookies[email], 10_000);
    await page.goto(`${server.url}/w/${slug}/board`);
    await page.locator(".board-toolbar").getByRole("status").filter({ hasText: "ライブ更新中" }).waitFor();
    return page;
  }

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build", matching: { debounceMs: 50, maxWaitMs: 300 } });
    await server.matching!.idle(); // the start-up rerun
    cookies[COORDINATOR] = await login(server.url, COORDINATOR);
    cookies[NPO] = await login(server.url, NPO);
    slug = (await getJson(server.url, "/api/v1/workspaces", cookies[COORDINATOR])).body.items[0].slug;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await server?.stop();
  });

  it("marks the cards a rerun added, on both boards, with the run's summary", async () => {
    const prisma = server.services.prisma;
    // A resident of the 社協 whose proposals are on PLATFORM tasks (both coordinators see them).
    const proposal = await prisma.match.findFirstOrThrow({
      where: { stage: "SUGGESTED", source: "MATCHER", resident: { registeredByOrgId: "seed-org-shakyo" }, shift: { task: { visibility: "PLATFORM" } } },
      select: { residentId: true },
    });
    const residentId = proposal.residentId;
    const putAvailability = async (windows: Array<{ weekday: number; startMinute: number; endMinute: number }>) => {
      const current = await getJson(server.url, `/api/v1/residents/${residentId}/availability`, cookies[COORDINATOR]);
      const put = await sendJson(
        server.url,
        "PUT",
        `/api/v1/residents/${residentId}/availability`,
        { expectedVersion: current.body.version, windows, exceptions: [] },
        cookies[COORDINATOR],
      );
      expect(put.status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      await server.matching!.idle();
    };
    // No free time: the resident's engine proposals go.
    await putAvailability([]);
    expect(await prisma.match.count({ where: { residentId, stage: "SUGGESTED", source: "MATCHER" } })).toBe(0);

    const a = await openBoard(COORDINATOR);
    const b = await openBoard(NPO);
    // Free all week: the rerun proposes the resident again.
    const allWeek = Array.from({ length: 7 }, (_, weekday) => ({ weekday, startMinute: 0, endMinute: 1440 }));
    const started = Date.now();
    await putAvailability(allWeek);
    const added = await prisma.match.findMany({
      where: { residentId, stage: "SUGGESTED", source: "MATCHER", shift: { task: { visibility: "PLATFORM" } } },
      select: { id: true },
    });
    expect(added.length).toBeGreaterThan(0);
    for (const page of [a, b]) {
      const banner = page.getByTestId("rerun-banner");
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/\d/);
      for (const { id } of added) {
        const card = page.locator(`article[data-card-id="${id}"]`);
        await card.locator(".board-badge--mark").waitFor();
      }
    }
    // Both boards showed it within the same few seconds of the change (not after a reload).
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);
});
