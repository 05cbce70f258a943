import { spawn } from "node:child_process";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, startTestServer, type TestServer } from "../setup/test-server.ts";
import { connected, EMAILS, percentile, type LiveTestSocket } from "./live-support.ts";

/**
 * Every client here has its own address through X-Forwarded-For, which the server trusts from
 * loopback (a reverse proxy on the same machine), exactly as it does in production.
 */
const LIMITS = {
  RATE_LIMIT_LOGIN_IP: "5/1m",
  RATE_LIMIT_LOGIN_ACCOUNT: "4/1m",
  RATE_LIMIT_API_IP: "60/1m",
  RATE_LIMIT_WRITE_USER: "5/1m",
  RATE_LIMIT_WRITE_IP: "8/1m",
  RATE_LIMIT_SOCKET_IP: "30/10s",
};

/** The abusive client, run as its own process; prints its tallies as JSON when terminated. */
const ABUSER_SCRIPT = `
import { io } from "socket.io-client";
const { URL: url, COOKIE: cookie, IP: ip, WORKSPACE: workspaceId } = process.env;
const http = {};
const socket = {};
let flooding = true;
const headers = { cookie, "x-forwarded-for": ip };
const sockets = await Promise.all(Array.from({ length: 5 }, () => new Promise((resolve, reject) => {
  // Reconnects when cut off, like any Socket.IO client (its default back-off).
  const s = io(url, { path: "/socket.io", transports: ["websocket"], forceNew: true, extraHeaders: headers });
  s.on("disconnect", () => { socket.disconnected = (socket.disconnected ?? 0) + 1; });
  s.once("connect", () => resolve(s));
  s.once("connect_error", reject);
})));
process.stdout.write("flooding\\n");
process.on("SIGTERM", () => {
  flooding = false;
  process.stdout.write(JSON.stringify({ http, socket }) + "\\n");
  process.exit(0);
});
for (let worker = 0; worker < 16; worker++) {
  (async () => {
    for (let i = 0; flooding; i++) {
      const write = (worker + i) % 4 === 0;
      try {
        const response = await fetch(url + (write ? "/api/v1/matches/no-such-match/stage" : "/api/v1/workspaces/" + workspaceId + "/tasks?limit=200"), {
          method: write ? "POST" : "GET",
          headers: write ? { ...headers, "content-type": "application/json" } : headers,
          body: write ? "{}" : undefined,
        });
        await response.arrayBuffer();
        http[response.status] = (http[response.status] ?? 0) + 1;
      } catch {
        http.error = (http.error ?? 0) + 1;
      }
    }
  })();
}
for (const s of sockets) {
  (async () => {
    while (flooding) {
      if (!s.connected) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const acks = await Promise.all(Array.from({ length: 100 }, () => s.timeout(5000).emitWithAck("presence:leave", { workspaceId }).catch(() => ({ ok: false, code: "timeout" }))));
      for (const ack of acks) {
        const key = ack.ok ? "ok" : ack.code;
        socket[key] = (socket[key] ?? 0) + 1;
      }
    }
  })();
}
`;

async function waitFor(condition: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the abusive client did not start");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let nextAddress = 1;
/** A fresh client address (TEST-NET-3), so that tests do not share buckets by accident. */
const newAddress = () => `203.0.113.${nextAddress++}`;

async function request(url: string, method: string, path: string, options: { ip: string; cookie?: string; body?: unknown }) {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      "x-forwarded-for": options.ip,
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    retryAfter: response.headers.get("retry-after"),
    setCookie: response.headers.get("set-cookie"),
    ms: performance.now() - started,
  };
}

function expectRateLimited(response: Awaited<ReturnType<typeof request>>) {
  expect(response.status).toBe(429);
  expect(response.body.error.code).toBe("rate_limited");
  expect(response.body.error.message).toMatch(/しばらくしてから.* \/ Too many requests/);
  expect(response.body.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(response.retryAfter).toBe(String(response.body.error.details.retryAfterSeconds));
}

describe("rate limits", () => {
  let server: TestServer;
  const sockets: LiveTestSocket[] = [];
  let workspaceId = "";

  async function loginFrom(ip: string, email: string): Promise<string> {
    const response = await request(server.url, "POST", "/api/auth/login", { ip, body: { email, password: DEMO_PASSWORD } });
    if (response.status !== 200) throw new Error(`login ${email} from ${ip}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.setCookie!.split(";")[0];
  }

  async function socketFrom(ip: string, cookie: string) {
    const socket: LiveTestSocket = connect(server.url, {
      path: "/socket.io",
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie, "x-forwarded-for": ip },
    });
    sockets.push(socket);
    await connected(socket);
    const ack = await socket.emitWithAck("workspace:join", { workspaceId });
    if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack)}`);
    return socket;
  }

  /** A write that reaches the limiter and then fails validation: it changes nothing. */
  const write = (ip: string, cookie: string) => request(server.url, "POST", "/api/v1/matches/no-such-match/stage", { ip, cookie, body: {} });

  beforeAll(async () => {
    server = await startTestServer({ env: LIMITS });
    const cookie = await loginFrom(newAddress(), EMAILS.coordinator);
    workspaceId = (await request(server.url, "GET", "/api/v1/workspaces", { ip: newAddress(), cookie })).body.items[0].id;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await server?.stop();
  });

  it("login: per client address, across accounts", async () => {
    const ip = newAddress();
    for (let i = 0; i < 5; i++) {
      const response = await request(server.url, "POST", "/api/auth/login", { ip, body: { email: `guess-${i}@tsunagu.example`, password: "x" } });
      expect(response.status, `attempt ${i + 1}`).toBe(401);
    }
    const refused = await request(server.url, "POST", "/api/auth/login", { ip, body: { email: EMAILS.member, password: DEMO_PASSWORD } });
    expectRateLimited(refused);
    expect(refused.setCookie).toBeNull();
    expect(refused.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(12);
    // Another address logs in.
    expect((await request(server.url, "POST", "/api/auth/login", { ip: newAddress(), body: { email: EMAILS.member, password: DEMO_PASSWORD } })).status).toBe(200);
  });

  it("login: per account e-mail, across addresses (whether or not the account exists)", async () => {
    for (const email of ["university@tsunagu.example", "no-such-person@tsunagu.example"]) {
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push(await request(server.url, "POST", "/api/auth/login", { ip: newAddress(), body: { email, password: DEMO_PASSWORD } }));
      }
      expect(answers.slice(0, 4).every((a) => a.status !== 429), email).toBe(true);
      expectRateLimited(answers[4]);
    }
  });

  it("writes: per user across addresses; other users and reads are not affected", async () => {
    const cookie = await loginFrom(newAddress(), EMAILS.npo);
    for (let i = 0; i < 5; i++) expect((await write(newAddress(), cookie)).status, `write ${i + 1}`).not.toBe(429);
    expectRateLimited(await write(newAddress(), cookie));
    expect((await request(server.url, "GET", "/api/auth/me", { ip: newAddress(), cookie })).status).toBe(200);
    const other = await loginFrom(newAddress(), EMAILS.viewer);
    expect((await write(newAddress(), other)).status).not.toBe(429);
  });

  it("writes: per client address across users", async () => {
    const ip = newAddress();
    const one = await loginFrom(newAddress(), "company@tsunagu.example");
    const two = await loginFrom(newAddress(), "shinkin@tsunagu.example");
    for (let i = 0; i < 4; i++) {
      expect((await write(ip, one)).status).not.toBe(429);
      expect((await write(ip, two)).status).not.toBe(429);
    }
    // Each user has budget left (5), the address has none (8).
    expectRateLimited(await write(ip, two));
    expect((await write(newAddress(), two)).status).not.toBe(429);
  });

  it("every /api request, reads included, per client address", async () => {
    const ip = newAddress();
    const answers = await Promise.all(Array.from({ length: 70 }, () => request(server.url, "GET", "/api/auth/me", { ip })));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(60);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(10);
    expectRateLimited(refused[0]);
    // Health checks are never limited.
    expect((await request(server.url, "GET", "/healthz", { ip })).status).toBe(200);
  });

  it("Socket.IO: per client address across users and sockets; acks say rate_limited and sockets stay", async () => {
    const ip = newAddress();
    // Joining takes one event per socket: 2 of the address's 30.
    const a = await socketFrom(ip, await loginFrom(newAddress(), "jichikai@tsunagu.example"));
    const b = await socketFrom(ip, await loginFrom(newAddress(), "higashidai@tsunagu.example"));
    const acks = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).emitWithAck("presence:leave", { workspaceId })),
    );
    const ok = acks.filter((x) => x.ok).length;
    const limited = acks.filter((x) => !x.ok && x.code === "rate_limited");
    expect(ok).toBeGreaterThanOrEqual(26);
    expect(ok).toBeLessThanOrEqual(30);
    expect(limited.length).toBe(40 - ok);
    expect(limited[0]).toMatchObject({ ok: false, code: "rate_limited" });
    expect(a.connected && b.connected).toBe(true);
    // Another address (here the same kind of user) is not limited.
    const c = await socketFrom(newAddress(), await loginFrom(newAddress(), "sakuragawa@tsunagu.example"));
    expect(await c.emitWithAck("presence:leave", { workspaceId })).toEqual({ ok: true });
  });
});

describe("one abusive client does not starve the others", () => {
  let server: TestServer;
  const sockets: LiveTestSocket[] = [];
  let workspaceId = "";

  beforeAll(async () => {
    // Per address: a burst of 40 requests, then 4 a second. Each ordinary user makes at most 27
    // requests here, so on a fast machine they never reach their own limit; the abuser does at once.
    server = await startTestServer({ env: { ...LIMITS, RATE_LIMIT_API_IP: "40/10s" } });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await server?.stop();
  });

  async function client(email: string, ip: string) {
    const login = await request(server.url, "POST", "/api/auth/login", { ip, body: { email, password: DEMO_PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = login.setCookie!.split(";")[0];
    workspaceId ||= (await request(server.url, "GET", "/api/v1/workspaces", { ip, cookie })).body.items[0].id;
    const socket: LiveTestSocket = connect(server.url, {
      path: "/socket.io",
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie, "x-forwarded-for": ip },
    });
    sockets.push(socket);
    await connected(socket);
    expect((await socket.emitWithAck("workspace:join", { workspaceId })).ok).toBe(true);
    return { cookie, ip, socket };
  }

  /** Three ordinary users, one after another: an API read and a socket round trip each, timed. */
  async function measureOthers(others: Array<Awaited<ReturnType<typeof client>>>, rounds: number) {
    const http: number[] = [];
    const live: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const other of others) {
        const read = await request(server.url, "GET", `/api/v1/workspaces/${workspaceId}/tasks?limit=20`, other);
        expect(read.status).toBe(200);
        http.push(read.ms);
        const started = performance.now();
        expect(await other.socket.emitWithAck("presence:leave", { workspaceId })).toEqual({ ok: true });
        live.push(performance.now() - started);
      }
    }
    return { http, live };
  }

  it("the abuser gets 429s and rate_limited acks; everybody else keeps p95 < 500 ms", async () => {
    const others = await Promise.all([
      client(EMAILS.member, "198.51.100.1"),
      client(EMAILS.viewer, "198.51.100.2"),
      client(EMAILS.admin, "198.51.100.3"),
    ]);
    const abuserIp = "192.0.2.66";
    const abuserLogin = await request(server.url, "POST", "/api/auth/login", { ip: abuserIp, body: { email: EMAILS.coordinator, password: DEMO_PASSWORD } });
    const abuserCookie = abuserLogin.setCookie!.split(";")[0];

    const quiet = await measureOthers(others, 5);

    // The abuser is another process (its own event loop, like a real client elsewhere): 16 HTTP
    // requests in flight at all times, reads of the heaviest list and writes, and bursts of 100
    // events on each of five sockets, until told to stop.
    const abuser = spawn(process.execPath, ["--input-type=module", "-e", ABUSER_SCRIPT], {
      cwd: process.cwd(),
      env: { ...process.env, URL: server.url, COOKIE: abuserCookie, IP: abuserIp, WORKSPACE: workspaceId },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    abuser.stdout.on("data", (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => abuser.once("exit", () => resolve()));
    let loaded: Awaited<ReturnType<typeof measureOthers>>;
    try {
      await waitFor(() => output.includes("flooding"), 10_000);
      // Past the abuser's allowed burst (40 of the heaviest reads): from here on it is refused.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // 60 samples: p95 is robust to a couple of hiccups of this shared machine.
      loaded = await measureOthers(others, 20);
    } finally {
      abuser.kill("SIGTERM");
      await exited;
    }
    const counts = JSON.parse(output.slice(output.indexOf("{"))) as { http: Record<string, number>; socket: Record<string, number> };

    const summary = {
      quiet: { httpP95: Math.round(percentile(quiet.http, 95)), liveP95: Math.round(percentile(quiet.live, 95)) },
      underFlood: {
        httpP50: Math.round(percentile(loaded.http, 50)),
        httpP95: Math.round(percentile(loaded.http, 95)),
        liveP50: Math.round(percentile(loaded.live, 50)),
        liveP95: Math.round(percentile(loaded.live, 95)),
      },
      abuser: counts,
    };
    console.info(`[security] abusive client: ${JSON.stringify(summary)}`);

    const refusedHttp = counts.http["429"] ?? 0;
    const servedHttp = Object.entries(counts.http)
      .filter(([status]) => status !== "429")
      .reduce((n, [, count]) => n + count, 0);
    expect(refusedHttp).toBeGreaterThan(200);
    // The address's whole budget is a burst of 40 and 4 a second: nothing beyond that was served.
    expect(servedHttp).toBeLessThanOrEqual(40 + 4 * 60);
    expect(counts.socket.rate_limited ?? 0).toBeGreaterThan(500);
    expect(counts.socket.ok ?? 0).toBeLessThanOrEqual(300 + 150 * 60);
    expect(summary.underFlood.httpP95).toBeLessThan(500);
    expect(summary.underFlood.liveP95).toBeLessThan(500);
    expect(others.every((o) => o.socket.connected)).toBe(true);
  });
});
