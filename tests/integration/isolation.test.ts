import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/app-server.ts";
import { login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { compare, expressRoutes, remixRoutes, socketEvents } from "./isolation/enumerate.ts";
import { createFixtures, EMAILS, PASSWORD, snapshot, type Fixtures } from "./isolation/fixtures.ts";
import { CALLERS, DELEGATED_TO_REMIX, PAGES, REST, SOCKET, YJS, type CallerKey, type HttpCase, type HttpEntry } from "./isolation/matrix.ts";
import { httpRequest, judgeAck, judgeDocument, judgeHttp, openDocument, openSocket, type CaseResult } from "./isolation/run.ts";

/**
 * Issue 5's isolation matrix: every REST route, page, socket event and the /yjs/ upgrade × target
 * × caller, generated from the table in ./isolation/matrix.ts, against the real server. The
 * completeness checks fail when the code has a route, page or event the table does not name (or
 * the table names one that is gone). docs/decisions/035-isolation-matrix.md.
 */

/** Generous limits: this file logs in dozens of times and sends hundreds of writes from 127.0.0.1. */
const ENV = {
  RATE_LIMIT_LOGIN_IP: "off",
  RATE_LIMIT_LOGIN_ACCOUNT: "off",
  RATE_LIMIT_API_IP: "off",
  RATE_LIMIT_WRITE_USER: "off",
  RATE_LIMIT_WRITE_IP: "off",
  RATE_LIMIT_SOCKET: "100000/1s",
  RATE_LIMIT_SOCKET_USER: "100000/1s",
  RATE_LIMIT_SOCKET_IP: "100000/1s",
  LOGIN_MAX_FAILURES: "1000",
};

const signIn = (server: TestServer, caller: Exclude<CallerKey, "anonymous">) => login(server.url, EMAILS[caller], PASSWORD);

describe("isolation matrix", () => {
  let server: TestServer;
  let fx: Fixtures;
  const cookies = {} as Record<CallerKey, string | undefined>;
  const results: CaseResult[] = [];

  beforeAll(async () => {
    server = await startTestServer({ remix: "build", env: ENV });
    fx = await createFixtures(server.services.prisma);
    cookies.anonymous = undefined;
    await Promise.all(
      CALLERS.filter((c): c is Exclude<CallerKey, "anonymous"> => c !== "anonymous").map(async (c) => {
        cookies[c] = await signIn(server, c);
      }),
    );
    // Audit rows for R1, so the audit view has something to show (or hide).
    for (const caller of ["A.COORDINATOR", "resident"] as const) {
      const read = await httpRequest(server.url, "GET", `/api/v1/residents/${fx.R1}?purpose=isolation`, { cookie: cookies[caller] });
      if (read.status !== 200) throw new Error(`setup read of R1 as ${caller}: ${read.status}`);
    }
  }, 120_000);

  afterAll(async () => {
    const count = (o: CaseResult["observed"]) => results.filter((r) => r.observed === o).length;
    const unexpected = results.filter((r) => r.unexpectedSuccess);
    console.info(
      `isolation matrix: ${results.length} cases run, ${count("allow")} allowed, ${count("deny")} denied, ${count("projected")} projected, ` +
        `${results.filter((r) => r.problem).length} mismatches, ${unexpected.length} unexpected successes` +
        (unexpected.length ? ` (${unexpected.map((r) => r.id).join("; ")})` : ""),
    );
    await server?.stop();
  });

  function failures(batch: CaseResult[]): string[] {
    return batch.filter((r) => r.problem).map((r) => `${r.unexpectedSuccess ? "UNEXPECTED SUCCESS " : ""}${r.id}: ${r.problem}, got ${r.actual}`);
  }

  describe("completeness: the table names everything that exists, and nothing else", () => {
    it("every route registered on the express app", () => {
      const table = [...REST.map((e) => e.route), ...DELEGATED_TO_REMIX];
      expect(new Set(table).size, "a route is listed twice").toBe(table.length);
      expect(compare(expressRoutes(server.services), table)).toEqual({ missing: [], stale: [] });
    });

    it("every Remix route module in app/routes (a GET entry for its loader or page, a POST entry for its action)", () => {
      expect(compare(remixRoutes(ROOT_DIR), PAGES.map((e) => e.route))).toEqual({ missing: [], stale: [] });
    });

    it("every client Socket.IO event and command of app/lib/realtime/payloads.ts", () => {
      expect(compare(socketEvents(), SOCKET.map((e) => e.event))).toEqual({ missing: [], stale: [] });
    });

    it("every case says what happens to every caller", () => {
      const cases = [...REST, ...PAGES].flatMap((e) => e.cases).map((c) => c.expect);
      const all = [...cases, ...SOCKET.flatMap((e) => e.cases.map((c) => c.expect)), ...YJS.cases.map((c) => c.expect)];
      for (const expectations of all) expect(Object.keys(expectations).sort()).toEqual([...CALLERS].sort());
    });
  });

  /** One route × target for every caller at once (reads are independent; write probes change nothing). */
  async function runHttp(entry: HttpEntry, kase: HttpCase) {
    const [method] = entry.route.split(" ");
    const write = method !== "GET";
    const before = write ? await snapshot(server.services.prisma, fx) : null;
    const batch = await Promise.all(
      CALLERS.map(async (caller) => {
        const cookie = entry.session === "fresh" && caller !== "anonymous" ? await signIn(server, caller) : cookies[caller];
        const answer = await httpRequest(server.url, method, kase.path(fx), { cookie, body: kase.body?.(fx), form: kase.form?.(fx) });
        return judgeHttp(`${entry.route} | ${kase.target} | ${caller}`, entry, kase, fx, kase.expect[caller], answer);
      }),
    );
    results.push(...batch);
    const problems = failures(batch);
    if (write && (await snapshot(server.services.prisma, fx)) !== before) {
      problems.push(`${entry.route} | ${kase.target}: the database changed (callers that got through: ${batch.filter((r) => r.observed === "allow").map((r) => r.id.split(" | ")[2]).join(", ") || "none"})`);
    }
    expect(problems).toEqual([]);
  }

  describe("REST routes", () => {
    for (const entry of REST.filter((e) => e.session !== "last")) {
      for (const kase of entry.cases) it(`${entry.route} — ${kase.target}`, () => runHttp(entry, kase));
    }
  });

  describe("Remix pages", () => {
    for (const entry of PAGES) {
      for (const kase of entry.cases) it(`${entry.route} — ${kase.target}`, () => runHttp(entry, kase));
    }
  });

  describe("Socket.IO events", () => {
    const targets = [...new Set(SOCKET.flatMap((e) => e.cases.map((c) => c.target)))];
    for (const caller of CALLERS) {
      it(`every event as ${caller}`, async () => {
        const before = await snapshot(server.services.prisma, fx);
        const { socket, refused } = await openSocket(server.url, cookies[caller]);
        const batch: CaseResult[] = [];
        try {
          // Per target in table order: join it, then presence, locks, leave; then the commands.
          for (const target of targets) {
            for (const entry of SOCKET) {
              for (const kase of entry.cases.filter((c) => c.target === target)) {
                const ack = socket
                  ? ((await socket
                      .timeout(5_000)
                      .emitWithAck(entry.event, kase.payload(fx, caller))
                      .catch(() => ({ ok: false, code: "no ack within 5 s" }))) as { ok: boolean; code?: string })
                  : null;
                batch.push(judgeAck(`${entry.event} | ${target} | ${caller}`, kase.expect[caller], entry.passed, ack, refused));
              }
            }
          }
        } finally {
          socket?.close();
        }
        results.push(...batch);
        const problems = failures(batch);
        if ((await snapshot(server.services.prisma, fx)) !== before) problems.push(`socket events as ${caller}: the database changed`);
        expect(problems).toEqual([]);
      });
    }
  });

  describe("/yjs/ document upgrade", () => {
    for (const kase of YJS.cases) {
      it(`${YJS.route} — ${kase.target}`, async () => {
        const prisma = server.services.prisma;
        const stored = await prisma.collabUpdate.count();
        const batch = await Promise.all(
          CALLERS.map(async (caller) =>
            judgeDocument(`${YJS.route} | ${kase.target} | ${caller}`, kase.expect[caller], await openDocument(server.url, kase.docName(fx), cookies[caller])),
          ),
        );
        results.push(...batch);
        const problems = failures(batch);
        if ((await prisma.collabUpdate.count()) !== stored) problems.push(`${kase.target}: a refused or read-only connection stored an update`);
        expect(problems).toEqual([]);
      });
    }
  });

  // Last: these end every session of the caller (the cookies above stop working).
  describe("routes that end all of the caller's sessions", () => {
    for (const entry of REST.filter((e) => e.session === "last")) {
      for (const kase of entry.cases) it(`${entry.route} — ${kase.target}`, () => runHttp(entry, kase));
    }
  });
});
