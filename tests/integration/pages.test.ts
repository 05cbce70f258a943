import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COORDINATOR_EMAIL, DEMO_PASSWORD, getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";

/** Server-rendered pages of the real build: login, the workspace home, the public page, 404. */
describe("pages", () => {
  let server: TestServer;
  let slug: string;
  let workspaceName: string;

  beforeAll(async () => {
    server = await startTestServer({ remix: "build" });
    const cookie = await login(server.url);
    const workspace = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0];
    slug = workspace.slug;
    workspaceName = workspace.name;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("redirects the workspace home to the login page without a session", async () => {
    const response = await fetch(`${server.url}/w/${slug}`, { redirect: "manual" });
    expect([302, 303]).toContain(response.status);
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(/^\/login\?redirectTo=/);
    expect(decodeURIComponent(location)).toContain(`/w/${slug}`);
  });

  it("logs in through the login form and shows the seeded workspace", async () => {
    const form = new URLSearchParams({ email: COORDINATOR_EMAIL, password: DEMO_PASSWORD, redirectTo: `/w/${slug}` });
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    expect([302, 303]).toContain(response.status);
    expect(response.headers.get("location")).toBe(`/w/${slug}`);
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0];
    expect(cookie).toMatch(/^tsunagu_session=/);

    const home = await fetch(`${server.url}/w/${slug}`, { headers: { cookie } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain(workspaceName);
    // The newest open task is on the first page of the home's task list.
    const task = await server.services.prisma.task.findFirstOrThrow({
      where: { status: "OPEN", visibility: { in: ["PUBLIC", "PLATFORM"] } },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    });
    expect(html).toContain(task.title.replaceAll("&", "&amp;"));
  });

  it("shows the login form again with an error for a wrong password", async () => {
    const form = new URLSearchParams({ email: COORDINATOR_EMAIL, password: "wrong" });
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie") ?? "").not.toMatch(/tsunagu_session=[A-Za-z0-9_-]{43}/);
    expect(await response.text()).toContain("メールアドレスまたはパスワードが正しくありません");
  });

  it("serves the public page with public activities, in Japanese by default and English on request", async () => {
    const ja = await fetch(`${server.url}/`);
    expect(ja.status).toBe(200);
    const jaHtml = await ja.text();
    expect(jaHtml).toMatch(/<html[^>]*lang="ja"/);
    const publicTask = await server.services.prisma.task.findFirstOrThrow({
      where: { visibility: "PUBLIC", status: "OPEN" },
      orderBy: { id: "asc" },
    });
    const orgOnly = await server.services.prisma.task.findFirst({ where: { visibility: "ORG" } });
    expect(jaHtml).toContain("つなぐ");
    if (orgOnly) expect(jaHtml).not.toContain(orgOnly.title);
    expect(publicTask).toBeTruthy();

    const en = await fetch(`${server.url}/?lang=en`);
    expect(await en.text()).toMatch(/<html[^>]*lang="en"/);
  });

  it("answers an unknown page with a 404 page", async () => {
    const response = await fetch(`${server.url}/no/such/page`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toMatch(/404|見つかりません/);
  });
});
