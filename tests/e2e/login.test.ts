import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { createPrisma, type PrismaClient } from "../../server/db/client.ts";
import { COORDINATOR_EMAIL, DEMO_PASSWORD, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, launchBrowser, SCREENSHOT_DIR, type Browser } from "./browser.ts";

/**
 * The first pages in a real browser against the real server: the public page, the 404 page,
 * logging in through the form (wrong password first), the workspace home with seeded data,
 * the language switch, and logging out.
 */
describe("login through the page (Chromium)", () => {
  let server: TestServer;
  let prisma: PrismaClient;
  let browser: Browser;
  let page: Page;
  const expected = {
    workspaceSlug: "",
    workspaceName: "",
    taskTitle: "",
    publicTaskTitle: "",
  };

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    prisma = createPrisma(server.database.url, { max: 2 });
    if ((await prisma.workspace.count()) === 0) await seedDemo(prisma);

    // Expectations come straight from the database, not from the page queries under test.
    const coordinator = await prisma.user.findUniqueOrThrow({
      where: { email: COORDINATOR_EMAIL },
      include: { memberships: { include: { organization: { include: { workspace: true } } } } },
    });
    const workspace = coordinator.memberships
      .map((m) => m.organization.workspace)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))[0];
    expect(workspace, "the demo coordinator belongs to a workspace").toBeTruthy();
    expected.workspaceSlug = workspace.slug;
    expected.workspaceName = workspace.name;
    const task = await prisma.task.findFirstOrThrow({
      where: { workspaceId: workspace.id, status: "OPEN", visibility: { in: ["PUBLIC", "PLATFORM"] } },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    });
    expected.taskTitle = task.title;
    const soonest = await prisma.shift.findFirstOrThrow({
      where: { startsAt: { gte: new Date() }, task: { visibility: "PUBLIC", status: "OPEN" } },
      orderBy: [{ startsAt: "asc" }, { taskId: "asc" }],
      include: { task: true },
    });
    expected.publicTaskTitle = soonest.task.title;

    await mkdir(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    // Fail within the test's time limit, with Playwright's message naming what was missing.
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await prisma?.$disconnect();
    await server?.stop();
  });

  const heading = (level: number, name: string) => page.getByRole("heading", { level, name, exact: true });
  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  it("shows public activities without login, in Japanese by default", async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    await heading(1, "地域の活動と、人をつなぐ").waitFor();
    await heading(3, expected.publicTaskTitle).waitFor();
    expect(await page.getByRole("button", { name: "ログアウト" }).count()).toBe(0);
    await screenshot("public-home");
  });

  it("answers an unknown URL with a 404 page", async () => {
    const response = await page.goto(`${server.url}/no/such/page`);
    expect(response?.status()).toBe(404);
    await heading(1, "ページが見つかりません").waitFor();
    await screenshot("not-found");
  });

  it("sends a visitor of a workspace page to the login page and back after logging in", async () => {
    const workspacePath = `/w/${expected.workspaceSlug}`;
    await page.goto(`${server.url}${workspacePath}`);
    await page.waitForURL((url) => url.pathname === "/login");
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe(workspacePath);

    // A wrong password: one message that does not say which field was wrong.
    await page.getByLabel("メールアドレス").fill(COORDINATOR_EMAIL);
    await page.getByLabel("パスワード").fill("not-the-password");
    await page.getByRole("button", { name: "ログインする" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "メールアドレスまたはパスワードが正しくありません" });
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).toBe("メールアドレスまたはパスワードが正しくありません");
    expect(new URL(page.url()).pathname).toBe("/login");
    await screenshot("login-error");

    await page.getByLabel("パスワード").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "ログインする" }).click();
    await page.waitForURL((url) => url.pathname === workspacePath);

    // Client-side navigation commits the URL before the new page renders: wait for content.
    await heading(1, expected.workspaceName).waitFor();
    await heading(3, expected.taskTitle).waitFor();
    await page.getByRole("button", { name: "ログアウト" }).waitFor();
    const cookies = await browser.context.cookies(server.url);
    const session = cookies.find((c) => c.name === "tsunagu_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    await screenshot("workspace-home");
  });

  it("switches to English and remembers the choice", async () => {
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.getByRole("button", { name: "Log out" }).waitFor();
    await screenshot("workspace-home-en");

    // The cookie, not the URL, carries the choice to the next page.
    await page.goto(`${server.url}/`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.getByRole("link", { name: "日本語" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "ja");
  });

  it("logs out with the header button and guards the workspace again", async () => {
    await page.goto(`${server.url}/w/${expected.workspaceSlug}`);
    await page.getByRole("button", { name: "ログアウト" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "ログイン" }).first().waitFor();
    const cookies = await browser.context.cookies(server.url);
    expect(cookies.some((c) => c.name === "tsunagu_session")).toBe(false);

    await page.goto(`${server.url}/w/${expected.workspaceSlug}`);
    expect(new URL(page.url()).pathname).toBe("/login");
  });
});
