import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { key, makeCheckInFixture, type OutcomeFixture } from "./outcomes-support.ts";

/**
 * Guessing limits of the public check-in (decision 055) against the real server: failed attempts
 * (unknown code, unknown reference code) per client address and per check-in code; successful
 * and duplicate check-ins spend nothing; once a bucket is empty even a right guess answers 429
 * with Retry-After and a Japanese / English message; the page (/c/<code>, with and without
 * JavaScript) shares the same buckets. Each client has its own address through X-Forwarded-For,
 * which the server trusts from loopback (a reverse proxy on the same machine).
 */
const LIMITS = { RATE_LIMIT_CHECK_IN_IP: "3/10m", RATE_LIMIT_CHECK_IN_CODE: "5/10m" };

describe("outcomes: check-in guessing limits", () => {
  let server: TestServer;
  let coordinator: string;
  let workspaceId: string;

  const checkIn = async (ip: string, code: string, body: Record<string, unknown>) => {
    const response = await fetch(`${server.url}/api/v1/check-in/${code}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, retryAfter: response.headers.get("retry-after") };
  };
  const piece = async (tag: string): Promise<OutcomeFixture & { code: string }> => {
    const fx = await makeCheckInFixture(server.services.prisma, workspaceId, tag);
    const sheet = await getJson(server.url, `/api/v1/shifts/${fx.shiftId}/check-in`, coordinator);
    expect(sheet.status).toBe(200);
    return { ...fx, code: sheet.body.code };
  };
  const attended = async (fx: OutcomeFixture) =>
    (await server.services.prisma.participation.findUnique({ where: { residentId_shiftId: { residentId: fx.bookedId, shiftId: fx.shiftId } } }))?.attended ?? false;
  const wrong = (fx: OutcomeFixture, n: number) => `${fx.bookedCode.slice(0, 4)}W${"XYZ"[n % 3]}${"23456789"[n % 8]}Q`;
  const expectLimited = (answer: { status: number; body: { error?: { code?: string; message?: string; details?: { retryAfterSeconds?: number } } } | null; retryAfter: string | null }) => {
    expect(answer.status).toBe(429);
    expect(answer.body?.error?.code).toBe("rate_limited");
    expect(answer.body?.error?.message).toMatch(/試行が多すぎます.*Too many check-in attempts/);
    const seconds = Number(answer.retryAfter);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(600);
    expect(answer.body?.error?.details?.retryAfterSeconds).toBe(seconds);
  };

  beforeAll(async () => {
    server = await startTestServer({ remix: "build", env: LIMITS });
    coordinator = await login(server.url);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", coordinator)).body.items[0].id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("stops an address after 3 failed attempts: even the right reference code then answers 429, and nothing is recorded", async () => {
    const fx = await piece("LMAA");
    const ip = "198.51.100.10";
    for (let n = 0; n < 3; n++) {
      expect((await checkIn(ip, fx.code, { referenceCode: wrong(fx, n), action: "in", key: key("guess") })).status).toBe(404);
    }
    expectLimited(await checkIn(ip, fx.code, { referenceCode: fx.bookedCode, action: "in", key: key("right") }));
    expect(await attended(fx)).toBe(false);
    // Wrong check-in codes from that address are refused too, before they are looked up.
    expectLimited(await checkIn(ip, "ZZZZZZ", { referenceCode: fx.bookedCode, action: "in", key: key("other") }));

    // Another address is not affected (the code's own bucket has 2 of 5 left).
    const ok = await checkIn("198.51.100.11", fx.code, { referenceCode: fx.bookedCode, action: "in", key: key("right") });
    expect(ok.status).toBe(201);
    expect(await attended(fx)).toBe(true);
  });

  it("does not count successful or repeated check-ins: a crowd behind one address checks in freely", async () => {
    const fx = await piece("LMBB");
    const ip = "198.51.100.20";
    const k = key("resend");
    expect((await checkIn(ip, fx.code, { referenceCode: fx.bookedCode, action: "in", key: k })).status).toBe(201);
    // The offline queue resending the same press, and fresh presses: none is a failure.
    for (let n = 0; n < 8; n++) {
      expect((await checkIn(ip, fx.code, { referenceCode: fx.bookedCode, action: "in", key: n % 2 ? k : key("again") })).status).toBeLessThan(300);
    }
    // Its failure budget is untouched: 3 failures are still answered 404, the 4th attempt 429.
    for (let n = 0; n < 3; n++) expect((await checkIn(ip, fx.code, { referenceCode: wrong(fx, n), action: "in", key: key("guess") })).status).toBe(404);
    expectLimited(await checkIn(ip, fx.code, { referenceCode: wrong(fx, 4), action: "in", key: key("guess") }));
  });

  it("stops guessing of one code's reference codes from many addresses (5 failures per code)", async () => {
    const fx = await piece("LMCC");
    const other = await piece("LMDD");
    for (let n = 0; n < 5; n++) {
      expect((await checkIn(`203.0.113.${n + 1}`, fx.code, { referenceCode: wrong(fx, n), action: "in", key: key("spread") })).status).toBe(404);
    }
    // A fresh address, the right reference code: the code is paused for everyone.
    expectLimited(await checkIn("203.0.113.99", fx.code, { referenceCode: fx.bookedCode, action: "in", key: key("right") }));
    expect(await attended(fx)).toBe(false);
    // Other codes are not: the same address checks in at another piece.
    expect((await checkIn("203.0.113.99", other.code, { referenceCode: other.bookedCode, action: "in", key: key("right") })).status).toBe(201);
  });

  it("counts unknown codes on the page (GET /c/<code>) and refuses the no-JavaScript form with the message and Retry-After", async () => {
    const fx = await piece("LMEE");
    const ip = "192.0.2.30";
    const page = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers ?? {}), "x-forwarded-for": ip } });
    for (const probe of ["ZZZZZZ", "ZZZZZY", "ZZZZZX"]) expect((await page(`/c/${probe}`)).status).toBe(404);
    const refused = await page(`/c/${fx.code}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // The API shares the buckets.
    expectLimited(await checkIn(ip, fx.code, { referenceCode: fx.bookedCode, action: "in", key: key("api") }));
    const form = await page(`/c/${fx.code}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ referenceCode: fx.bookedCode, action: "in", key: key("nojs") }).toString(),
    });
    expect(form.status).toBe(429);
    expect(Number(form.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await form.text()).toContain("受け付けを止めています");
    expect(await attended(fx)).toBe(false);
  });
});
