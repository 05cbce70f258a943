import { describe, expect, it } from "vitest";
import { parseEnv } from "../env.ts";
import { API_CSP, contentSecurityPolicy, createNonce, mapOrigins, securityHeaders, socketOrigins } from "./security.ts";

function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("contentSecurityPolicy", () => {
  const base = { nonce: "abc123==", mapOrigins: [], socketOrigins: ["ws://example.jp", "wss://example.jp"], development: false, upgradeInsecureRequests: false };

  it("production: nonce + strict-dynamic scripts, nothing else inline, no framing", () => {
    const d = directives(contentSecurityPolicy(base));
    expect(d["default-src"]).toEqual(["'self'"]);
    expect(d["script-src"]).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(d["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d["img-src"]).toEqual(["'self'", "data:", "blob:"]);
    expect(d["connect-src"]).toEqual(["'self'", "ws://example.jp", "wss://example.jp"]);
    expect(d["worker-src"]).toEqual(["'self'", "blob:"]);
    expect(d["child-src"]).toEqual(["'self'", "blob:"]);
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["base-uri"]).toEqual(["'self'"]);
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(d["form-action"]).toEqual(["'self'"]);
    expect(d["upgrade-insecure-requests"]).toBeUndefined();
    expect(JSON.stringify(d)).not.toMatch(/unsafe-eval|localhost/);
  });

  it("map hosts go to img-src and connect-src only", () => {
    const d = directives(contentSecurityPolicy({ ...base, mapOrigins: ["https://cyberjapandata.gsi.go.jp"] }));
    expect(d["img-src"]).toContain("https://cyberjapandata.gsi.go.jp");
    expect(d["connect-src"]).toContain("https://cyberjapandata.gsi.go.jp");
    expect(d["script-src"]).not.toContain("https://cyberjapandata.gsi.go.jp");
  });

  it("development relaxes for Vite's HMR socket; HTTPS adds upgrade-insecure-requests", () => {
    const dev = directives(contentSecurityPolicy({ ...base, development: true }));
    expect(dev["connect-src"]).toContain("ws://localhost:*");
    expect(dev["script-src"]).toContain("'unsafe-eval'");
    expect(directives(contentSecurityPolicy({ ...base, upgradeInsecureRequests: true }))["upgrade-insecure-requests"]).toEqual([]);
  });
});

describe("helpers", () => {
  it("nonces are 128-bit base64 and never repeat", () => {
    const nonces = new Set(Array.from({ length: 1_000 }, createNonce));
    expect(nonces.size).toBe(1_000);
    for (const n of [...nonces].slice(0, 10)) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });

  it("map origins from style and tile URLs (templates included)", () => {
    expect(
      mapOrigins({ MAP_STYLE_URL: "https://tiles.example.jp/style.json", MAP_TILE_URL: "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png" }),
    ).toEqual(["https://tiles.example.jp", "https://cyberjapandata.gsi.go.jp"]);
    expect(mapOrigins({ MAP_STYLE_URL: undefined, MAP_TILE_URL: undefined })).toEqual([]);
  });

  it("socket origins from the Host header, or PUBLIC_URL; a malformed Host adds nothing", () => {
    expect(socketOrigins("127.0.0.1:3000", undefined)).toEqual(["ws://127.0.0.1:3000", "wss://127.0.0.1:3000"]);
    expect(socketOrigins("evil.example; script-src *", undefined)).toEqual([]);
    expect(socketOrigins("anything", "https://tsunagu.example.jp")).toEqual(["ws://tsunagu.example.jp", "wss://tsunagu.example.jp"]);
  });
});

describe("securityHeaders middleware", () => {
  function run(mode: "production" | "development", path = "/", secure = "0") {
    const headers: Record<string, string> = {};
    const res = { locals: {} as Record<string, unknown>, setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value) };
    const env = parseEnv({ NODE_ENV: "test", COOKIE_SECURE: secure } as NodeJS.ProcessEnv);
    let nextCalled = false;
    securityHeaders(env, mode)({ path, headers: { host: "127.0.0.1:3000" } } as never, res as never, () => (nextCalled = true));
    expect(nextCalled).toBe(true);
    return { headers, nonce: res.locals.cspNonce as string | undefined };
  }

  it("production enforces the page policy with this response's nonce", () => {
    const { headers, nonce } = run("production");
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(headers["content-security-policy"]).toContain(`'nonce-${nonce}'`);
    expect(headers["content-security-policy-report-only"]).toBeUndefined();
  });

  it("development only reports (Vite's HMR keeps working), relaxed for its WebSocket", () => {
    const { headers } = run("development");
    expect(headers["content-security-policy"]).toBeUndefined();
    expect(headers["content-security-policy-report-only"]).toMatch(/connect-src [^;]*ws:\/\/localhost:\*/);
  });

  it("API paths get the empty policy and no nonce; HSTS only behind HTTPS", () => {
    const api = run("production", "/api/v1/workspaces");
    expect(api.headers["content-security-policy"]).toBe(API_CSP);
    expect(api.nonce).toBeUndefined();
    expect(api.headers["strict-transport-security"]).toBeUndefined();
    expect(run("production", "/", "1").headers["strict-transport-security"]).toBe("max-age=31536000");
  });
});
