import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COORDINATOR_EMAIL, DEMO_PASSWORD, getJson, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

describe("login and sessions (JSON)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("logs the demo coordinator in and sets an httpOnly SameSite=Lax cookie", async () => {
    const response = await sendJson(server.url, "POST", "/api/auth/login", { email: COORDINATOR_EMAIL, password: DEMO_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body.user.email).toBe(COORDINATOR_EMAIL);
    expect(response.body.user.memberships.some((m: { role: string }) => m.role === "COORDINATOR")).toBe(true);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^tsunagu_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const me = await getJson(server.url, "/api/auth/me", cookie.split(";")[0]);
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(COORDINATOR_EMAIL);
  });

  it("accepts the email in any case", async () => {
    const response = await sendJson(server.url, "POST", "/api/auth/login", {
      email: COORDINATOR_EMAIL.toUpperCase(),
      password: DEMO_PASSWORD,
    });
    expect(response.status).toBe(200);
  });

  it("refuses a wrong password with 401 and the same answer as for an unknown email", async () => {
    const wrong = await sendJson(server.url, "POST", "/api/auth/login", { email: COORDINATOR_EMAIL, password: "nope" });
    const unknown = await sendJson(server.url, "POST", "/api/auth/login", { email: "nobody@tsunagu.example", password: "nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("answers malformed JSON with 400 and a message", async () => {
    const response = await sendJson(server.url, "POST", "/api/auth/login", '{"email": "a@b.c", "password": ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("invalid_json");
    expect(response.body.error.message).toMatch(/JSON/);
  });

  it("answers a body of the wrong shape with 400 naming the field", async () => {
    const response = await sendJson(server.url, "POST", "/api/auth/login", { email: COORDINATOR_EMAIL });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_failed");
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain("password");
  });

  it("logs out: the old cookie no longer authenticates", async () => {
    const login = await sendJson(server.url, "POST", "/api/auth/login", { email: COORDINATOR_EMAIL, password: DEMO_PASSWORD });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    const out = await sendJson(server.url, "POST", "/api/auth/logout", {}, cookie);
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    const me = await getJson(server.url, "/api/auth/me", cookie);
    expect(me.status).toBe(401);
  });

  it("ignores a forged cookie", async () => {
    const me = await getJson(server.url, "/api/auth/me", `tsunagu_session=${"x".repeat(43)}`);
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("unauthenticated");
  });
});
