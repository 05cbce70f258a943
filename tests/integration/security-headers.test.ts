import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../server/env.ts";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";

/** Parses a CSP header into directive → values. */
function directives(policy: string | null): Record<string, string[]> {
  expect(policy, "a Content-Security-Policy header").toBeTruthy();
  return Object.fromEntries(
    policy!.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("security headers and the CSP nonce (pages)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ remix: "build", env: { ALLOWED_ORIGINS: "https://partner.example.jp" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("a page carries a nonce-based CSP, and every script in it has that nonce", async () => {
    const response = await fetch(`${server.url}/login`);
    expect(response.status).toBe(200);
    const csp = directives(response.headers.get("content-security-policy"));
    const nonceSource = csp["script-src"].find((v) => v.startsWith("'nonce-"));
    expect(nonceSource).toMatch(/^'nonce-[A-Za-z0-9+/]{22}=='$/);
    const nonce = nonceSource!.slice(7, -1);
    expect(csp["script-src"]).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["form-action"]).toEqual(["'self'"]);
    expect(csp["worker-src"]).toEqual(["'self'", "blob:"]);
    expect(csp["child-src"]).toEqual(["'self'", "blob:"]);
    const host = new URL(server.url).host;
    expect(csp["connect-src"]).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    // Not the dev relaxation, and no HTTPS-only directive on plain HTTP.
    expect(response.headers.get("content-security-policy")).not.toMatch(/unsafe-eval|localhost|upgrade-insecure/);
    expect(response.headers.get("content-security-policy-report-only")).toBeNull();

    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, "the page has scripts").toBeGreaterThanOrEqual(2);
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`);
  });

  it("every response gets a fresh nonce", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const policy = (await fetch(`${server.url}/`)).headers.get("content-security-policy") ?? "";
      nonces.add(/'nonce-([^']+)'/.exec(policy)?.[1] ?? "");
    }
    expect(nonces.size).toBe(5);
    expect(nonces.has("")).toBe(false);
  });

  it("the other headers: COOP, Permissions-Policy, nosniff, framing, referrer; no HSTS on plain HTTP", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(response.headers.get("permissions-policy")).toMatch(/^geolocation=\(self\), camera=\(\), microphone=\(\)/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("API answers get a policy that allows nothing to run or frame them", async () => {
    const response = await getJson(server.url, "/api/v1/open-data/activities.geojson");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  });

  describe("CSRF: state-changing requests from another site are refused", () => {
    it("a cookie-authenticated API write with a foreign Origin: 403 with a bilingual message, nothing changed", async () => {
      const cookie = await login(server.url);
      const response = await fetch(`${server.url}/api/auth/logout-all`, {
        method: "POST",
        headers: { cookie, origin: "https://evil.example", "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status).toBe(403);
      const body = await response.json();
      expect(body.error.code).toBe("forbidden");
      expect(body.error.message).toMatch(/別のサイト.* \/ Cross-site request refused/);
      expect((await getJson(server.url, "/api/auth/me", cookie)).status).toBe(200);
    });

    it("Origin: null (sandboxed frames, data: URLs) is foreign too", async () => {
      const cookie = await login(server.url);
      const response = await sendJsonWithOrigin(server.url, "/api/auth/logout", cookie, "null");
      expect(response.status).toBe(403);
      expect((await getJson(server.url, "/api/auth/me", cookie)).status).toBe(200);
    });

    it("the server's own origin, an ALLOWED_ORIGINS entry, and requests without Origin pass", async () => {
      for (const origin of [server.url, "https://partner.example.jp", undefined]) {
        const cookie = await login(server.url);
        const response = await sendJsonWithOrigin(server.url, "/api/auth/logout", cookie, origin);
        expect(response.status, String(origin)).toBe(200);
        expect((await getJson(server.url, "/api/auth/me", cookie)).status, String(origin)).toBe(401);
      }
    });

    it("login CSRF: a foreign page cannot post credentials to the JSON login or the login form", async () => {
      const json = await fetch(`${server.url}/api/auth/login`, {
        method: "POST",
        headers: { origin: "https://evil.example", "content-type": "application/json" },
        body: JSON.stringify({ email: "coordinator@tsunagu.example", password: "tsunagu-demo" }),
      });
      expect(json.status).toBe(403);
      expect(json.headers.get("set-cookie")).toBeNull();
      const form = await fetch(`${server.url}/login`, {
        method: "POST",
        headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
        body: "email=coordinator%40tsunagu.example&password=tsunagu-demo",
        redirect: "manual",
      });
      expect(form.status).toBe(403);
      expect(form.headers.get("set-cookie")).toBeNull();
      // The same form from the page itself logs in.
      const own = await fetch(`${server.url}/login`, {
        method: "POST",
        headers: { origin: server.url, "content-type": "application/x-www-form-urlencoded" },
        body: "email=coordinator%40tsunagu.example&password=tsunagu-demo",
        redirect: "manual",
      });
      expect([302, 303]).toContain(own.status);
      expect(own.headers.get("set-cookie")).toMatch(/^tsunagu_session=/);
    });

    it("GET changes nothing: the logout page and the new auth endpoints do not act on GET", async () => {
      const cookie = await login(server.url);
      const page = await fetch(`${server.url}/logout`, { headers: { cookie }, redirect: "manual" });
      expect([302, 303]).toContain(page.status);
      for (const path of ["/api/auth/logout", "/api/auth/logout-all", "/api/auth/password"]) {
        expect((await getJson(server.url, path, cookie)).status, path).toBe(404);
      }
      expect((await getJson(server.url, "/api/auth/me", cookie)).status).toBe(200);
    });
  });
});

async function sendJsonWithOrigin(baseUrl: string, path: string, cookie: string, origin: string | undefined) {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", ...(origin ? { origin } : {}) },
    body: "{}",
  });
}

describe("security headers behind HTTPS, with map hosts", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        COOKIE_SECURE: "1",
        MAP_STYLE_URL: "https://maps.example.jp/styles/std.json",
        MAP_TILE_URL: "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("sends HSTS (a year, no includeSubDomains) and upgrade-insecure-requests", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(directives(response.headers.get("content-security-policy"))["upgrade-insecure-requests"]).toEqual([]);
  });

  it("allows the map hosts for images and fetches, not for scripts", async () => {
    const csp = directives((await fetch(`${server.url}/healthz`)).headers.get("content-security-policy"));
    for (const origin of ["https://maps.example.jp", "https://cyberjapandata.gsi.go.jp"]) {
      expect(csp["img-src"]).toContain(origin);
      expect(csp["connect-src"]).toContain(origin);
      expect(csp["script-src"]).not.toContain(origin);
      expect(csp["worker-src"]).not.toContain(origin);
    }
  });

  it("map URLs are validated at boot", () => {
    const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;
    expect(() => parseEnv(env({ MAP_TILE_URL: "not a url" }))).toThrow(EnvError);
    expect(() => parseEnv(env({ MAP_STYLE_URL: "javascript:alert(1)" }))).toThrow(/MAP_STYLE_URL/);
    expect(() => parseEnv(env({ RATE_LIMIT_LOGIN_IP: "lots" }))).toThrow(/RATE_LIMIT_LOGIN_IP/);
    expect(parseEnv(env({ RATE_LIMIT_LOGIN_IP: "10/1m" })).RATE_LIMIT_LOGIN_IP).toBe("10/1m");
  });
});
