import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientPayloadSchemas, type ClientEventName } from "../../app/lib/realtime/payloads.ts";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { connected, EMAILS, joinedSocket, nextEvent, openSocket, sleep, type LiveTestSocket } from "./live-support.ts";

/**
 * Untrusted input on Socket.IO: thousands of malformed frames and payloads. The server must stay
 * up, never reject a promise unhandled, answer every parseable request with a typed refusal (never
 * `internal`), and keep serving the other clients.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_124);
const RAW_PACKETS = 4_000;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A raw Engine.IO v4 / Socket.IO v5 client over `ws`, connected to the main namespace. */
class RawClient {
  closed = false;
  private readonly waiters = new Map<number, () => void>();
  private constructor(
    readonly ws: WebSocket,
    readonly acks: Map<number, unknown>,
  ) {}

  /** `acks` collects every ack the server sends, by id, across connections. */
  static open(url: string, cookie: string, acks: Map<number, unknown>): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`, { headers: { cookie } });
      const client = new RawClient(ws, acks);
      const timer = setTimeout(() => reject(new Error("raw handshake timed out")), 5_000);
      ws.on("message", (data, isBinary) => {
        if (isBinary) return;
        const text = data.toString();
        if (text.startsWith("0{")) ws.send("40");
        else if (text.startsWith("40")) {
          clearTimeout(timer);
          resolve(client);
        } else if (text === "2") ws.send("3");
        else if (text.startsWith("43")) {
          const match = /^43(\d+)(\[.*)$/s.exec(text);
          if (match) {
            client.acks.set(Number(match[1]), JSON.parse(match[2])[0]);
            client.waiters.get(Number(match[1]))?.();
          }
        } else if (text.startsWith("44")) reject(new Error(`refused: ${text}`));
      });
      ws.on("close", () => {
        client.closed = true;
        clearTimeout(timer);
        for (const wake of client.waiters.values()) wake();
        reject(new Error("closed during handshake"));
      });
      ws.on("error", () => {});
    });
  }

  send(frame: string | Buffer): boolean {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(frame);
    return true;
  }

  /** Resolves "ack" when ack `id` arrives, "closed" when the server closes the connection first. */
  waitFor(id: number, ms = 3_000): Promise<"ack" | "closed" | "timeout"> {
    if (this.acks.has(id)) return Promise.resolve("ack");
    if (this.closed) return Promise.resolve("closed");
    return new Promise((resolve) => {
      const timer = setTimeout(() => done("timeout"), ms);
      const done = (result: "ack" | "closed" | "timeout") => {
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve(result);
      };
      this.waiters.set(id, () => done(this.acks.has(id) ? "ack" : "closed"));
    });
  }
}

const EVENT_NAMES = Object.keys(clientPayloadSchemas) as ClientEventName[];

describe("live fuzz: malformed Socket.IO frames and payloads", () => {
  let server: TestServer;
  let cookie: string;
  let workspaceId: string;
  let watcher: Awaited<ReturnType<typeof joinedSocket>>;
  const sockets: LiveTestSocket[] = [];
  const processErrors: unknown[] = [];
  const onProcessError = (error: unknown) => processErrors.push(error);
  let loggedErrors: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await login(server.url, EMAILS.coordinator);
    workspaceId = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].id;
    watcher = await joinedSocket(server.url, EMAILS.npo);
    sockets.push(watcher.socket);
    process.on("unhandledRejection", onProcessError);
    process.on("uncaughtException", onProcessError);
    loggedErrors = vi.spyOn(server.services.logger, "error");
  });
  afterAll(async () => {
    process.off("unhandledRejection", onProcessError);
    process.off("uncaughtException", onProcessError);
    sockets.forEach((s) => s.disconnect());
    await server?.stop();
  });

  /** Every client sees the server alive and serving: health, a fresh client, and the watcher's live events. */
  async function expectStillServing() {
    expect((await getJson(server.url, "/healthz")).status).toBe(200);
    const fresh = openSocket(server.url, cookie);
    sockets.push(fresh);
    await connected(fresh);
    expect(await fresh.emitWithAck("workspace:join", { workspaceId })).toMatchObject({ ok: true });
    const match = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/matches?limit=1`, cookie)).body.items[0];
    const seen = nextEvent(watcher.socket, "match:changed", (e) => e.entityId === match.id);
    const next = match.stage === "CONTACTING" ? "ARRANGING" : "CONTACTING";
    expect(await fresh.emitWithAck("match:move", { matchId: match.id, stage: next, expectedVersion: match.version })).toMatchObject({
      ok: true,
    });
    expect((await seen).data).toMatchObject({ stage: next });
    expect(watcher.socket.connected).toBe(true);
    expect(processErrors).toEqual([]);
    const internal = loggedErrors.mock.calls.filter((call: unknown[]) => /socket|presence/.test(String(call[1])));
    expect(internal).toEqual([]);
  }

  it(`survives ${RAW_PACKETS} raw malformed frames (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const int = (n: number) => Math.floor(random() * n);
    const junkString = (max: number) =>
      Array.from({ length: int(max) }, () => String.fromCharCode(int(4) === 0 ? int(0x3000) : 32 + int(95))).join("");
    const junkValue = (depth = 0): unknown => {
      switch (int(depth > 2 ? 6 : 9)) {
        case 0:
          return null;
        case 1:
          return int(2) === 0;
        case 2:
          return random() * 1e12 - 5e11;
        case 3:
          return junkString(40);
        case 4:
          return pick(["", "__proto__", "constructor", "match:1", "chart:x", "../../etc/passwd", "\u0000", "𠮷".repeat(10)]);
        case 5:
          return pick([0, -1, 1.5, Number.MAX_SAFE_INTEGER, -0]);
        case 6:
          return Array.from({ length: int(4) }, () => junkValue(depth + 1));
        case 7:
          return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(["workspaceId", "board", "target", "kind", "matchId", "stage", "expectedVersion", junkString(8)]), junkValue(depth + 1)]));
        default:
          return { workspaceId: pick([workspaceId, "", 42, null]), board: junkValue(depth + 1), extra: junkValue(depth + 1) };
      }
    };
    const eventName = () =>
      int(4) === 0
        ? pick(["error", "connect", "disconnecting", "newListener", "__proto__", "constructor", "hasOwnProperty", "toString", "x".repeat(300), junkString(20)])
        : pick(EVENT_NAMES);

    let nextAckId = 1;
    /** The frame, and whether it may make the server close the connection (then we probe). */
    const frame = (): string | Buffer => {
      const roll = random();
      if (roll < 0.4) {
        // A well-formed event packet with a junk payload, with or without an ack id.
        const args = [eventName(), ...Array.from({ length: int(3) }, () => junkValue())];
        return `42${int(3) === 0 ? "" : nextAckId++}${JSON.stringify(args)}`;
      }
      if (roll < 0.5) return `42${int(2) ? nextAckId++ : ""}[${junkString(30)}`; // broken JSON
      if (roll < 0.6) return `43${int(100_000)}${JSON.stringify([junkValue()])}`; // acks we never asked for
      if (roll < 0.66) return pick(["2", "3", "6", "5", "2probe", "3probe", "4", "42", "42[]", "42{}", "42[1]", "42[null]", "4/admin,42[\"x\"]", "4/,42[\"workspace:join\"]"]);
      if (roll < 0.72) return `42["${pick(EVENT_NAMES)}",{"__proto__":{"polluted":true},"workspaceId":"${workspaceId}"}]`;
      if (roll < 0.78) {
        const depth = 2_000 + int(20_000);
        return `42${nextAckId++}["${pick(EVENT_NAMES)}",${"[".repeat(depth)}${"]".repeat(depth)}]`;
      }
      // The rest closes the connection (and the client reconnects): protocol violations.
      if (roll < 0.84) return junkString(60);
      if (roll < 0.88) return Buffer.from(Array.from({ length: int(64) }, () => int(256)));
      if (roll < 0.91) return `451-["match:move",{"_placeholder":true,"num":${int(3)}}]`; // attachments that never come
      if (roll < 0.94) return `42["match:move","${"x".repeat(70_000)}"]`; // above maxHttpBufferSize
      if (roll < 0.97) return pick(["40", "41", "44{}", "1", "47", "49"]);
      return `4${int(10)}${junkString(20)}`;
    };

    // Several users, so that more junk gets past the per-user rate limit into validation.
    const cookies = [cookie, ...(await Promise.all([EMAILS.npo, EMAILS.member, EMAILS.admin].map((e) => login(server.url, e))))];
    const acks = new Map<number, unknown>();
    let client = await RawClient.open(server.url, cookie, acks);
    let reconnects = 0;
    let delivered = 0;
    const outcomes = { alive: 0, closed: 0, silent: 0 };
    const started = performance.now();
    for (let i = 0; i < RAW_PACKETS; i++) {
      if (client.closed) {
        reconnects++;
        client = await RawClient.open(server.url, cookies[reconnects % cookies.length], acks);
      }
      const data = frame();
      if (client.send(data)) delivered++;
      // Every 25 frames, and after each frame that is not a well-formed event, ask the server
      // something with an ack: it must answer, or have closed this connection (protocol violation).
      const wellFormed = typeof data === "string" && /^42\d*\["/.test(data) && data.length < 1_000;
      if (i % 25 === 0 || !wellFormed) {
        const probe = nextAckId++;
        client.send(`42${probe}["presence:leave",{"workspaceId":"${workspaceId}"}]`);
        const outcome = await client.waitFor(probe);
        if (outcome === "ack") outcomes.alive++;
        else if (outcome === "closed") outcomes.closed++;
        else {
          outcomes.silent++;
          console.info(`[live] fuzz: no answer and no close after ${JSON.stringify(typeof data === "string" ? data.slice(0, 80) : "binary")}`);
        }
      }
    }
    await sleep(200);
    const codes: Record<string, number> = {};
    for (const ack of acks.values()) {
      const code = (ack as { code?: string })?.code ?? "ok";
      codes[code] = (codes[code] ?? 0) + 1;
    }
    const ms = Math.round(performance.now() - started);
    console.info(
      `[live] fuzz (seed ${SEED}): ${delivered} raw frames delivered in ${ms} ms, ${reconnects} reconnects, probes ${JSON.stringify(outcomes)}, ack codes ${JSON.stringify(codes)}`,
    );
    expect(delivered).toBe(RAW_PACKETS);
    expect(outcomes.silent).toBe(0); // never hung: every probe was answered or its connection closed
    expect(reconnects).toBeGreaterThan(100); // the mix does include protocol violations
    expect(codes.internal ?? 0).toBe(0);
    expect(codes.invalid).toBeGreaterThan(100);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expectStillServing();
  });

  it("answers invalid (never internal) to malformed payloads of every event", async () => {
    const random = prng(SEED + 1);
    const templates: Record<ClientEventName, Record<string, unknown>> = {
      "workspace:join": { workspaceId },
      "workspace:leave": { workspaceId },
      "presence:join": { workspaceId, board: "kanban" },
      "presence:leave": { workspaceId },
      "lock:acquire": { workspaceId, target: "match:abc", kind: "dragging" },
      "lock:release": { workspaceId, target: "match:abc" },
      "meeting:view": { workspaceId, board: "map", view: { lat: 35.5, lng: 139.6, zoom: 13 } },
      "match:move": { matchId: "m1", stage: "CONTACTING", expectedVersion: 1, note: "ok" },
    };
    const optional = new Set(["note"]);
    const wrong: Record<string, unknown[]> = {
      workspaceId: [null, 1, "", "x".repeat(65), [], {}, true],
      matchId: [null, 1, "", "x".repeat(65), [workspaceId], {}],
      board: [null, 1, "", "Kanban!", "a".repeat(101), "chart:", "../etc", ["kanban"]],
      target: [null, "match:", "match", "secret:1", `match:${"x".repeat(65)}`, 7, "match:a b"],
      kind: [null, "sleeping", 1, "", ["dragging"]],
      stage: [null, "FLYING", "suggested", 0, {}],
      expectedVersion: [null, 0, -1, 1.5, "1", true, []],
      note: [1, {}, "x".repeat(1001), []],
      view: [1, "x", [], { lat: 91, lng: 0, zoom: 1 }, { lat: 0, lng: 0 }, { lat: 0, lng: 0, zoom: 23 }, { lat: 0, lng: 0, zoom: 1, bearing: 3 }],
    };
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    function malformed(template: Record<string, unknown>): unknown {
      const keys = Object.keys(template);
      switch (Math.floor(random() * 5)) {
        case 0: {
          const required = keys.filter((k) => !optional.has(k));
          const { [pick(required)]: _dropped, ...rest } = template;
          return rest;
        }
        case 1: {
          const key = pick(keys);
          return { ...template, [key]: pick(wrong[key]) };
        }
        case 2:
          return { ...template, [pick(["admin", "role", "userId", "constructor", "x"])]: pick([true, 1, "x", null]) };
        case 3:
          return pick([null, 0, "payload", [], [template], true, 1e308]);
        default:
          return { ...template, [pick(keys)]: JSON.parse("[".repeat(500) + "]".repeat(500)) };
      }
    }

    /** emitWithAck with any arguments; waits out rate limiting so that validation is what answers. */
    async function ask(socket: LiveTestSocket, ...args: unknown[]): Promise<{ ok: boolean; code?: string }> {
      for (;;) {
        const ack = (await (socket.emitWithAck as (...a: unknown[]) => Promise<unknown>)(...args)) as { ok: boolean; code?: string };
        if (ack.code !== "rate_limited") return ack;
        await sleep(50);
      }
    }

    const users = await Promise.all([EMAILS.coordinator, EMAILS.viewer, EMAILS.member, EMAILS.admin].map((e) => joinedSocket(server.url, e)));
    sockets.push(...users.map((u) => u.socket));
    const counts: Record<string, number> = {};
    let sent = 0;
    for (const event of EVENT_NAMES) {
      for (let i = 0; i < 60; i++) {
        const payload = malformed(templates[event]);
        const socket = users[sent++ % users.length].socket;
        const ack = await ask(socket, event, payload);
        expect(ack, `${event} ${JSON.stringify(payload)?.slice(0, 200)}`).toMatchObject({ ok: false, code: "invalid" });
        counts[event] = (counts[event] ?? 0) + 1;
      }
      // Extra arguments, no payload, and no ack at all: refused or ignored, never a crash.
      const socket = users[0].socket;
      expect(await ask(socket, event, templates[event], "extra")).toMatchObject({ ok: false, code: "invalid" });
      expect(await ask(socket, event)).toMatchObject({ ok: false, code: "invalid" });
      (socket.emit as (...args: unknown[]) => void)(event, malformed(templates[event]));
    }
    // Unknown events with an ack are refused by name.
    expect(await ask(users[0].socket, "admin:drop-database", {})).toMatchObject({ ok: false, code: "invalid" });
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(EVENT_NAMES.length * 60);
    expect(users.every((u) => u.socket.connected)).toBe(true);
    await expectStillServing();
  });
});
