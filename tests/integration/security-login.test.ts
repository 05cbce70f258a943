import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionRevoked } from "../../app/lib/realtime/events.ts";
import { COORDINATOR_EMAIL, DEMO_PASSWORD, getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { connected, disconnection, EMAILS, joinedSocket, openSocket, sleep, type LiveTestSocket } from "./live-support.ts";

const BUDGET_MS = 1_000;
const WRONG = "not-the-password";

/** A raw /yjs/ connection to the user's first area chart, resolved once the server accepted it. */
async function openChart(url: string, cookie: string): Promise<WebSocket> {
  const workspaceId = (await getJson(url, "/api/v1/workspaces", cookie)).body.items[0].id;
  const areaId = (await getJson(url, `/api/v1/workspaces/${workspaceId}/areas`, cookie)).body.items[0].id;
  const ws = new WebSocket(`${url.replace("http", "ws")}/yjs/chart:${areaId}`, { headers: { cookie } });
  await new Promise<void>((resolve, reject) => {
    ws.once("message", () => resolve());
    ws.once("close", (code) => reject(new Error(`closed with ${code} before syncing`)));
    ws.once("error", reject);
  });
  return ws;
}

function closeOf(ws: WebSocket, started: () => number) {
  return new Promise<{ code: number; ms: number }>((resolve) => ws.once("close", (code) => resolve({ code, ms: performance.now() - started() })));
}

function revocationOf(socket: LiveTestSocket, started: () => number) {
  let revoked: SessionRevoked | null = null;
  socket.once("session:revoked", (payload) => (revoked = payload));
  return disconnection(socket, 3_000).then(({ at }) => ({ ms: at - started(), revoked: revoked as SessionRevoked | null }));
}

const loginAs = (url: string, email: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ email, password }),
  }).then(async (r) => ({ status: r.status, body: await r.json(), retryAfter: r.headers.get("retry-after"), cookie: r.headers.get("set-cookie") }));

describe("login throttling", () => {
  let server: TestServer;
  beforeAll(async () => {
    // Three failures lock for 2 s, then 4 s, 8 s (capped). Login form needs the web build.
    server = await startTestServer({
      remix: "build",
      env: { LOGIN_MAX_FAILURES: "3", LOGIN_LOCKOUT_SECONDS: "2", LOGIN_LOCKOUT_MAX_SECONDS: "8" },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the demo password still logs in (the seed is exempt from the policy)", async () => {
    expect((await loginAs(server.url, COORDINATOR_EMAIL, DEMO_PASSWORD)).status).toBe(200);
  });

  it("locks an account after N failures, even for the right password, then lets it in and forgets", async () => {
    const email = EMAILS.npo;
    for (let i = 0; i < 3; i++) expect((await loginAs(server.url, email, WRONG)).status, `failure ${i + 1}`).toBe(401);
    const locked = await loginAs(server.url, email, DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.cookie).toBeNull();
    expect(locked.body.error.code).toBe("rate_limited");
    expect(locked.body.error.message).toMatch(/しばらくしてから.* \/ Too many requests/);
    expect(locked.body.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(locked.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(2);
    expect(locked.retryAfter).toBe(String(locked.body.error.details.retryAfterSeconds));
    // Another account is not affected.
    expect((await loginAs(server.url, EMAILS.member, DEMO_PASSWORD)).status).toBe(200);

    await sleep(locked.body.error.details.retryAfterSeconds * 1000 + 50);
    expect((await loginAs(server.url, email, DEMO_PASSWORD)).status).toBe(200);
    // A success forgot the count: three more tries before the next lockout.
    for (let i = 0; i < 3; i++) expect((await loginAs(server.url, email, WRONG)).status).toBe(401);
    expect((await loginAs(server.url, email, WRONG)).status).toBe(429);
  });

  it("the lockout grows with every further failure", async () => {
    const email = EMAILS.viewer;
    for (let i = 0; i < 3; i++) await loginAs(server.url, email, WRONG);
    const first = await loginAs(server.url, email, WRONG);
    expect(first.status).toBe(429);
    await sleep(first.body.error.details.retryAfterSeconds * 1000 + 50);
    expect((await loginAs(server.url, email, WRONG)).status).toBe(401); // the fourth failure: 4 s
    const second = await loginAs(server.url, email, DEMO_PASSWORD);
    expect(second.status).toBe(429);
    expect(second.body.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(3);
    expect(second.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(4);
  });

  it("answers the same for an account that does not exist", async () => {
    const results = [];
    for (const email of ["nobody-here@tsunagu.example", EMAILS.admin]) {
      for (let i = 0; i < 3; i++) expect((await loginAs(server.url, email, WRONG)).status).toBe(401);
      results.push(await loginAs(server.url, email, WRONG));
    }
    expect(results.map((r) => r.status)).toEqual([429, 429]);
    expect(results[0].body).toEqual(results[1].body);
  });

  it("fifty parallel guesses get at most N checks", async () => {
    const email = "shinkin@tsunagu.example";
    const answers = await Promise.all(Array.from({ length: 50 }, () => loginAs(server.url, email, WRONG)));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(47);
  });

  it("the login page shows the throttle message and answers 429 with Retry-After", async () => {
    const email = "student@tsunagu.example";
    for (let i = 0; i < 3; i++) await loginAs(server.url, email, WRONG);
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: "tsunagu_locale=ja" },
      body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await response.text()).toContain("ログインの試行が多すぎます。しばらくしてから");
  });
});

describe("password change and logout everywhere", () => {
  let server: TestServer;
  const sockets: LiveTestSocket[] = [];
  const measured: Record<string, number> = {};
  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_MAX_FAILURES: "3" } });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    console.info(`[security] revocation → connection closed (ms): ${JSON.stringify(measured)}`);
    await server?.stop();
  });

  const change = (cookie: string | undefined, body: unknown) => sendJson(server.url, "POST", "/api/auth/password", body, cookie);

  it("applies the password policy, naming the rule (400), before checking anything else", async () => {
    const cookie = await login(server.url, EMAILS.member);
    const cases: Array<[string, string]> = [
      ["short-pass", "too_short"],
      [EMAILS.member, "contains_email"],
      ["password1234", "common"],
      ["tsunagu-demo", "common"],
      ["x".repeat(257), "too_long"],
    ];
    for (const [newPassword, code] of cases) {
      const response = await change(cookie, { currentPassword: DEMO_PASSWORD, newPassword });
      expect(response.status, newPassword.slice(0, 20)).toBe(400);
      expect(response.body.error.code).toBe("validation_failed");
      expect(response.body.error.details.map((d: { code: string }) => d.code)).toContain(code);
      expect(response.body.error.message).toMatch(/ \/ /);
    }
    const same = await change(cookie, { currentPassword: "a long enough passphrase", newPassword: "a long enough passphrase" });
    expect(same.status).toBe(400);
    expect(same.body.error.details[0].code).toBe("unchanged");
    expect((await change(undefined, { currentPassword: DEMO_PASSWORD, newPassword: "a long enough passphrase" })).status).toBe(401);
    // Nothing changed: the demo password still works.
    expect((await loginAs(server.url, EMAILS.member, DEMO_PASSWORD)).status).toBe(200);
  });

  it("a wrong current password is refused (403) and counts towards the lockout", async () => {
    const cookie = await login(server.url, "company@tsunagu.example");
    for (let i = 0; i < 3; i++) {
      const response = await change(cookie, { currentPassword: `wrong-${i}`, newPassword: "a long enough passphrase" });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toMatch(/現在のパスワード/);
    }
    const locked = await change(cookie, { currentPassword: DEMO_PASSWORD, newPassword: "a long enough passphrase" });
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("a change keeps this session and ends every other one: their sockets and documents close within 1 s", async () => {
    const email = EMAILS.coordinator;
    const here = await joinedSocket(server.url, email);
    const elsewhere = await joinedSocket(server.url, email);
    const third = await login(server.url, email);
    const bystander = await joinedSocket(server.url, EMAILS.npo);
    sockets.push(here.socket, elsewhere.socket, bystander.socket);
    const doc = await openChart(server.url, elsewhere.cookie);
    const ownDoc = await openChart(server.url, here.cookie);

    let started = 0;
    const socketClosed = revocationOf(elsewhere.socket, () => started);
    const docClosed = closeOf(doc, () => started);
    started = performance.now();
    const newPassword = "みどりの さかみちで また あいましょう";
    const response = await change(here.cookie, { currentPassword: DEMO_PASSWORD, newPassword });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, revokedSessions: 2 });

    const closedSocket = await socketClosed;
    expect(closedSocket.revoked).toEqual({ reason: "logged_out", reconnect: false });
    expect(closedSocket.ms).toBeLessThanOrEqual(BUDGET_MS);
    const closedDoc = await Promise.race([docClosed, sleep(3_000).then(() => ({ code: -1, ms: Infinity }))]);
    expect(closedDoc.code).toBe(4401);
    expect(closedDoc.ms).toBeLessThanOrEqual(BUDGET_MS);
    measured.passwordChangeSocket = Math.round(closedSocket.ms);
    measured.passwordChangeDoc = Math.round(closedDoc.ms);

    // This session and its connections stay; the others cannot come back.
    await sleep(50);
    expect(here.socket.connected).toBe(true);
    expect(ownDoc.readyState).toBe(WebSocket.OPEN);
    expect(bystander.socket.connected).toBe(true);
    expect((await getJson(server.url, "/api/auth/me", here.cookie)).status).toBe(200);
    for (const cookie of [elsewhere.cookie, third]) expect((await getJson(server.url, "/api/auth/me", cookie)).status).toBe(401);
    // The old password is gone, the new one works.
    expect((await loginAs(server.url, email, DEMO_PASSWORD)).status).toBe(401);
    expect((await loginAs(server.url, email, newPassword)).status).toBe(200);
    ownDoc.close();
  });

  it("POST /api/auth/logout-all ends every session of the caller and closes all their connections within 1 s", async () => {
    const email = EMAILS.admin;
    const one = await joinedSocket(server.url, email);
    const two = await joinedSocket(server.url, email);
    const extra = openSocket(server.url, two.cookie);
    const bystander = await joinedSocket(server.url, EMAILS.viewer);
    sockets.push(one.socket, two.socket, extra, bystander.socket);
    await connected(extra);
    const docs = [await openChart(server.url, one.cookie), await openChart(server.url, two.cookie)];

    let started = 0;
    const watched = [one.socket, two.socket, extra].map((s) => revocationOf(s, () => started));
    const docsClosed = docs.map((ws) => closeOf(ws, () => started));
    started = performance.now();
    const response = await sendJson(server.url, "POST", "/api/auth/logout-all", {}, one.cookie);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, revokedSessions: 2 });
    expect(response.headers.get("set-cookie")).toMatch(/^tsunagu_session=;.*Max-Age=0/);

    for (const result of await Promise.all(watched)) {
      expect(result.revoked).toEqual({ reason: "logged_out", reconnect: false });
      expect(result.ms).toBeLessThanOrEqual(BUDGET_MS);
      measured.logoutAllSocket = Math.max(measured.logoutAllSocket ?? 0, Math.round(result.ms));
    }
    for (const result of await Promise.all(docsClosed)) {
      expect(result.code).toBe(4401);
      expect(result.ms).toBeLessThanOrEqual(BUDGET_MS);
      measured.logoutAllDoc = Math.max(measured.logoutAllDoc ?? 0, Math.round(result.ms));
    }
    for (const cookie of [one.cookie, two.cookie]) expect((await getJson(server.url, "/api/auth/me", cookie)).status).toBe(401);
    const again = openSocket(server.url, one.cookie);
    sockets.push(again);
    await expect(connected(again)).rejects.toMatchObject({ message: "unauthenticated" });
    expect(bystander.socket.connected).toBe(true);
    expect((await sendJson(server.url, "POST", "/api/auth/logout-all", {}, one.cookie)).status).toBe(401);
  });
});
