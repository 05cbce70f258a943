import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser as PwBrowser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { createPrisma, type PrismaClient } from "../../server/db/client.ts";
import {
  getJson,
  login,
  sendJson,
  startTestServer,
  type TestServer,
} from "../setup/test-server.ts";
import { ensureWebBuild, SCREENSHOT_DIR } from "./browser.ts";
import {
  launchChromium,
  seriousAxeViolations,
  smallTouchTargets,
} from "./residents-support.ts";

/**
 * 登録制 in Chromium, with the live matching rerun on: a resident registers with weekly free time
 * on the checkbox grid, the matcher reruns on the registration's event and proposes, the resident
 * accepts a proposal on /me, withdraws a consent, and sees a coordinator's read of their data in
 * "who looked at my data".
 */
describe("residents: register and answer proposals (Chromium, matching on)", () => {
  let server: TestServer;
  let prisma: PrismaClient;
  let chromium: PwBrowser;
  let page: Page;
  let wednesdayPiece = "";
  const email = `tsunagu-e2e-${Date.now()}@example.jp`;
  const a11y: Record<string, unknown[]> = {};

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({
      remix: "build",
      matching: { debounceMs: 50, maxWaitMs: 300 },
    });
    prisma = createPrisma(server.database.url, { max: 2 });
    if ((await prisma.workspace.count()) === 0) await seedDemo(prisma);
    // A remote piece of the 社協 (where residents register) on a Wednesday morning, with room for
    // everyone: through the API, so the matcher hears of it like any other change.
    const coordinator = await login(server.url);
    const workspaceId: string = (
      await getJson(server.url, "/api/v1/workspaces", coordinator)
    ).body.items[0].id;
    const task = await sendJson(
      server.url,
      "POST",
      `/api/v1/workspaces/${workspaceId}/tasks`,
      {
        ownerOrgId: "seed-org-shakyo",
        title: "オンライン見守り電話(登録テスト)",
        category: "watch",
        isRemote: true,
        visibility: "PUBLIC",
      },
      coordinator
    );
    expect(task.status).toBe(201);
    const day = new Date(Date.now() + 2 * 86_400_000);
    while (new Date(day.getTime() + 9 * 3_600_000).getUTCDay() !== 3)
      day.setTime(day.getTime() + 86_400_000);
    const jstDate = new Date(day.getTime() + 9 * 3_600_000)
      .toISOString()
      .slice(0, 10);
    const shift = await sendJson(
      server.url,
      "POST",
      `/api/v1/tasks/${task.body.id}/shifts`,
      {
        role: "電話をかける",
        startsAt: `${jstDate}T10:00:00+09:00`,
        endsAt: `${jstDate}T11:00:00+09:00`,
        headcount: 80,
      },
      coordinator
    );
    expect(shift.status).toBe(201);
    wednesdayPiece = shift.body.id;

    await mkdir(SCREENSHOT_DIR, { recursive: true });
    chromium = await launchChromium();
    const context = await chromium.newContext({
      locale: "ja-JP",
      timezoneId: "Asia/Tokyo",
      viewport: { width: 1000, height: 900 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await chromium?.close();
    await prisma?.$disconnect();
    await server?.stop();
  });

  it("registers with weekly free time from the grid and consents, and lands on /me", async () => {
    await page.goto(`${server.url}/register`);
    await page
      .getByRole("heading", { level: 1, name: "担い手として登録する(登録制)" })
      .waitFor();
    a11y.register = await seriousAxeViolations(page);
    expect(await smallTouchTargets(page)).toEqual([]);

    // Nothing ticked in the grid first: refused, nothing created.
    const users = await prisma.user.count();
    await page.getByLabel("お名前", { exact: true }).fill("登録 花子");
    await page.getByLabel("メールアドレス(ログインに使います)").fill(email);
    await page
      .getByLabel("パスワード", { exact: true })
      .fill("みどりくの あさ さんぽ");
    await page.getByLabel("住んでいる地区").selectOption({ label: "中央地区" });
    await page.getByRole("button", { name: "登録する" }).click();
    await page
      .getByRole("alert")
      .getByText("空いている時間を1つ以上チェックしてください。")
      .waitFor();
    expect(await prisma.user.count()).toBe(users);
    a11y.registerWithErrors = await seriousAxeViolations(page);

    await page
      .getByLabel("パスワード", { exact: true })
      .fill("みどりくの あさ さんぽ");
    await page.getByRole("checkbox", { name: "水曜日 午前" }).check();
    await page.getByRole("checkbox", { name: "土曜日 夕方" }).check();
    await page.getByRole("checkbox", { name: "見守り", exact: true }).check();
    await page
      .getByRole("checkbox", { name: "NPO法人 みんなの食卓みどり" })
      .check();
    await page
      .getByRole("checkbox", { name: "みどり学園大学 ボランティアセンター" })
      .check();
    await page.getByRole("button", { name: "登録する" }).click();
    await page.waitForURL((url) => url.pathname === "/me");
    await page.getByRole("heading", { level: 1, name: "マイページ" }).waitFor();

    const resident = await prisma.resident.findFirstOrThrow({
      where: { user: { email } },
      include: {
        availabilityWindows: { orderBy: { weekday: "asc" } },
        consents: { orderBy: { organizationId: "asc" } },
      },
    });
    expect(resident).toMatchObject({
      displayName: "登録 花子",
      style: "REGISTERED",
      registeredByOrgId: "seed-org-shakyo",
      homeAreaId: "seed-area-chuo",
      interests: ["watch"],
    });
    expect(
      resident.availabilityWindows.map((w) => [
        w.weekday,
        w.startMinute,
        w.endMinute,
      ])
    ).toEqual([
      [3, 540, 720],
      [6, 1020, 1260],
    ]);
    expect(resident.consents.map((c) => [c.organizationId, c.fields])).toEqual([
      ["seed-org-npo-food", ["name", "contact"]],
      ["seed-org-university", ["name", "contact"]],
    ]);
  });

  it("shows the matcher's proposal after the rerun and accepts it", async () => {
    const resident = await prisma.resident.findFirstOrThrow({
      where: { user: { email } },
    });
    // The rerun runs on the registration's event; wait for its proposal of the Wednesday piece.
    await expect
      .poll(
        () =>
          prisma.match.count({
            where: {
              residentId: resident.id,
              shiftId: wednesdayPiece,
              stage: "SUGGESTED",
              source: "MATCHER",
            },
          }),
        { timeout: 15_000 }
      )
      .toBe(1);
    await page.reload();
    const proposal = page.locator(".proposal", {
      hasText: "オンライン見守り電話(登録テスト)",
    });
    await proposal.waitFor();
    await proposal.getByText("見守り").first().waitFor();
    a11y.me = await seriousAxeViolations(page);
    await page.screenshot({
      path: join(SCREENSHOT_DIR, "residents-me-proposal.png"),
      fullPage: true,
    });

    await proposal.getByRole("button", { name: "参加したい" }).click();
    await page
      .getByText("「参加したい」と伝えました。主催団体から連絡があります。")
      .waitFor();
    const match = await prisma.match.findFirstOrThrow({
      where: { residentId: resident.id, shiftId: wednesdayPiece },
    });
    expect(match.stage).toBe("CONTACTING");
    // The answered proposal moves from the proposals to the activities in progress.
    await page
      .locator(`li[data-match-id="${match.id}"][data-stage=CONTACTING]`)
      .waitFor();
    expect(
      await page.locator(`.proposal[data-match-id="${match.id}"]`).count()
    ).toBe(0);
  });

  it("withdraws a consent and sees who read their data", async () => {
    const resident = await prisma.resident.findFirstOrThrow({
      where: { user: { email } },
      include: { consents: true },
    });
    const npo = resident.consents.find(
      (c) => c.organizationId === "seed-org-npo-food"
    )!;
    const item = page.locator(`[data-consent-id="${npo.id}"]`);
    await item.getByRole("button", { name: "取り消す" }).click();
    await page.getByText("同意を取り消しました。").waitFor();
    await page
      .locator(`[data-consent-id="${npo.id}"][data-active=false]`)
      .waitFor();
    expect(
      (await prisma.consent.findUniqueOrThrow({ where: { id: npo.id } }))
        .revokedAt
    ).not.toBeNull();

    // A coordinator of the registering 社協 opens the record through the audited API …
    const coordinator = await login(server.url);
    expect(
      (
        await getJson(
          server.url,
          `/api/v1/residents/${resident.id}?purpose=${encodeURIComponent(
            "参加の確認"
          )}`,
          coordinator
        )
      ).status
    ).toBe(200);
    const staff = await prisma.user.findUniqueOrThrow({
      where: { email: "coordinator@tsunagu.example" },
    });
    // … and the resident sees it, with who, through which organization and why.
    await page.reload();
    const row = page.locator(".audit-table tbody tr", {
      hasText: staff.displayName,
    });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain("社会福祉協議会");
    a11y.meAfter = await seriousAxeViolations(page);
  });

  it("has no serious or critical axe-core violations on the register and /me pages", () => {
    expect(Object.keys(a11y).sort()).toEqual([
      "me",
      "meAfter",
      "register",
      "registerWithErrors",
    ]);
    expect(a11y).toEqual({
      me: [],
      meAfter: [],
      register: [],
      registerWithErrors: [],
    });
  });
});
