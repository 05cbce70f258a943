import { monitorEventLoopDelay } from "node:perf_hooks";
import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { messageAwareness, messageQueryAwareness, messageSync } from "../../app/features/collab/protocol.ts";
import { PostgresCollabStore } from "../../server/realtime/collab/postgres-store.ts";
import { rng } from "../../server/realtime/collab/testing.ts";
import { login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { chartDocs, openProvider, synced, varUint, waitFor, wsBase, type TestProvider } from "./collab-helpers.ts";

/** Valid messages of every kind a client sends, to mutate. */
function seedMessages(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const text = doc.getText("chart");
  text.insert(0, "地域の見守り活動について");
  text.format(0, 2, { bold: true });
  text.delete(3, 2);
  doc.getMap("meta").set("title", { nested: [1, "x", null] });
  doc.getArray("items").insert(0, [new Y.Map(), "a", 3.5]);
  const messages: Uint8Array[] = [];
  const wrap = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    write(e);
    return encoding.toUint8Array(e);
  };
  for (const update of [...updates, Y.encodeStateAsUpdate(doc)]) {
    messages.push(wrap((e) => (encoding.writeVarUint(e, messageSync), syncProtocol.writeUpdate(e, update))));
  }
  messages.push(wrap((e) => (encoding.writeVarUint(e, messageSync), syncProtocol.writeSyncStep1(e, doc))));
  messages.push(wrap((e) => (encoding.writeVarUint(e, messageSync), syncProtocol.writeSyncStep2(e, doc))));
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: "fuzz" }, cursor: { anchor: 1, head: 2 } });
  messages.push(
    wrap((e) => (encoding.writeVarUint(e, messageAwareness), encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])))),
  );
  messages.push(new Uint8Array([messageQueryAwareness]));
  awareness.destroy();
  return messages;
}

/** Thousands of hostile messages: random, mutated, huge counts and varints, yjs-687 shapes. */
function* hostileMessages(count: number, seed: number): Generator<{ kind: string; data: Uint8Array | string }> {
  const random = rng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const seeds = seedMessages();
  const update = (bytes: number[]) => new Uint8Array([messageSync, 2, ...varUint(bytes.length), ...bytes]);
  const shapes: Array<() => { kind: string; data: Uint8Array | string }> = [
    () => ({ kind: "random bytes", data: Uint8Array.from({ length: int(64) }, () => int(256)) }),
    () => ({ kind: "random body", data: new Uint8Array([int(4), ...Array.from({ length: int(32) }, () => int(256))]) }),
    () => {
      const data = new Uint8Array(seeds[int(seeds.length)]);
      for (let m = 1 + int(4); m > 0; m--) data[int(data.length)] = int(256);
      return { kind: "bit-flipped valid message", data };
    },
    () => {
      const original = seeds[int(seeds.length)];
      return { kind: "truncated valid message", data: original.subarray(0, int(original.length)) };
    },
    () => {
      const original = seeds[int(seeds.length)];
      const at = int(original.length);
      const big = varUint(2 ** (20 + int(33)));
      return { kind: "varint injected", data: new Uint8Array([...original.subarray(0, at), ...big, ...original.subarray(at + 1)]) };
    },
    () => ({ kind: "huge varint length", data: new Uint8Array([messageSync, int(3), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]) }),
    // yjs issue 687: a handful of bytes claiming 2^40+ structs, delete ranges or clients
    () => ({ kind: "687 struct count", data: update([1, ...varUint(2 ** (32 + int(20))), 1, 0, 0, 1, 0]) }),
    () => ({ kind: "687 delete count", data: update([0, 1, 7, ...varUint(2 ** (32 + int(20))), 0, 1]) }),
    () => ({ kind: "687 client count", data: update([...varUint(2 ** (32 + int(20))), 1, 1, 0, 0, 1, 0]) }),
    () => ({ kind: "687 v2 bytes", data: update([...Buffer.from("00010000000001000100010200001602000001fdffffffff7f0000", "hex")]) }),
    () => ({ kind: "deep any", data: update([1, 1, 5, 0, 8, 1, 1, 116, 1, ...Array(200).fill(0).flatMap(() => [117, 1]), 126, 0]) }),
    () => ({ kind: "huge awareness", data: new Uint8Array([messageAwareness, ...varUint(3), ...varUint(2 ** 40), 1, 1]) }),
    () => ({ kind: "text frame", data: "not binary" }),
  ];
  for (let i = 0; i < count; i++) yield shapes[int(shapes.length)]();
}

describe("/yjs/ fuzz: hostile messages", () => {
  let server: TestServer;
  let cookie: string;
  let docName: string;
  const providers: TestProvider[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    server = await startTestServer();
    cookie = await login(server.url);
    docName = (await chartDocs(server.url, cookie))[0];
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    providers.forEach((p) => p.destroy());
    await server?.stop();
  });

  it("thousands of hostile messages: no crash, no hang, no unhandled rejection; good clients keep working", { timeout: 60_000 }, async () => {
    const good = openProvider(server.url, docName, cookie);
    const peer = openProvider(server.url, docName, cookie);
    providers.push(good, peer);
    await synced(good, peer);
    good.text.insert(0, "before the storm; ");
    await synced(good, peer);

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const total = 3_000;
    const closes = new Map<number, number>();
    const kinds = new Map<string, number>();
    const messages = hostileMessages(total, 687);
    const url = `${wsBase(server.url)}/${docName}`;
    let sent = 0;
    const goodEdits: string[] = [];

    // Each hostile message is followed by a probe (an empty sync step 1); the answer (sync step 2)
    // or the close tells that the server processed the message before the next one goes.
    const probe = new Uint8Array([messageSync, 0, 1, 0]);
    const worker = async () => {
      for (;;) {
        const ws = new WebSocket(url, { headers: { cookie } });
        ws.binaryType = "nodebuffer";
        ws.on("error", () => {});
        let wake: () => void = () => {};
        let answers = 0;
        ws.on("message", (data: Buffer) => {
          if (data[0] === messageSync && data[1] === 1) answers++;
          wake();
        });
        const closed = new Promise<void>((resolve) =>
          ws.once("close", (code) => {
            closes.set(code, (closes.get(code) ?? 0) + 1);
            wake();
            resolve();
          }),
        );
        const until = (condition: () => boolean) =>
          new Promise<void>((resolve) => {
            const check = () => (condition() || ws.readyState !== WebSocket.OPEN ? resolve() : (wake = check));
            check();
          });
        await new Promise<void>((resolve) => {
          ws.once("open", () => resolve());
          ws.once("close", () => resolve());
        });
        while (ws.readyState === WebSocket.OPEN) {
          const next = messages.next();
          if (next.done) {
            ws.close();
            await closed;
            return;
          }
          sent++;
          kinds.set(next.value.kind, (kinds.get(next.value.kind) ?? 0) + 1);
          const expected = answers + 1;
          ws.send(next.value.data, { binary: typeof next.value.data !== "string" });
          ws.send(probe);
          await until(() => answers >= expected);
          // meanwhile the well-behaved clients keep editing
          if (sent % 100 === 0) {
            const token = `·${sent}`;
            good.text.insert(good.text.length, token);
            goodEdits.push(token);
          }
        }
        await closed;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 16 }, worker));
    const seconds = (performance.now() - started) / 1000;
    loopDelay.disable();
    const stats = server.collab.server.snapshot();
    console.info(
      `[collab fuzz] ${sent} messages in ${seconds.toFixed(1)} s; closes ${JSON.stringify(Object.fromEntries(closes))}; ` +
        `rejected ${stats.rejectedMessages}, rate-limited ${stats.rateLimited}, divergences ${stats.divergences}; ` +
        `event loop max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
    );

    expect(sent).toBe(total);
    expect(unhandled).toEqual([]);
    expect(loopDelay.max / 1e6).toBeLessThan(1_000); // never hung
    expect(closes.get(4400) ?? 0).toBeGreaterThan(total / 3);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // The well-behaved clients were never disturbed: still connected, converged, saved.
    good.text.insert(good.text.length, " after the storm.");
    await synced(good, peer);
    await waitFor(() => peer.text.toString() === good.text.toString(), 10_000, "peer converges");
    expect(good.closes.filter((c) => c.code !== 4503)).toEqual([]); // only a reload (divergence) may close it
    expect(peer.text.toString()).toContain("before the storm; ");
    expect(peer.text.toString()).toContain(" after the storm.");
    expect(goodEdits.length).toBeGreaterThan(10);
    for (const token of goodEdits) expect(peer.text.toString()).toContain(token);

    // Memory equals the log: a late joiner sees exactly what PostgreSQL holds.
    const late = openProvider(server.url, docName, cookie);
    providers.push(late);
    await synced(late);
    const stored = await new PostgresCollabStore(server.services.prisma).load(docName);
    const fromDb = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(fromDb, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(fromDb, u);
    expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(fromDb));
    expect(late.text.toString()).toBe(fromDb.getText("chart").toString());
  });

  it("a message over 1 MiB closes that connection (1009), nothing else", async () => {
    const ws = new WebSocket(`${wsBase(server.url)}/${docName}`, { headers: { cookie } });
    ws.on("error", () => {});
    await new Promise((resolve) => ws.once("open", resolve));
    const code = new Promise<number>((resolve) => ws.once("close", resolve));
    ws.send(new Uint8Array(1024 * 1024 + 16));
    expect(await code).toBe(1009);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("a flood of messages closes that connection with the rate limit (1008)", async () => {
    const ws = new WebSocket(`${wsBase(server.url)}/${docName}`, { headers: { cookie } });
    ws.on("error", () => {});
    await new Promise((resolve) => ws.once("open", resolve));
    const closed = new Promise<number>((resolve) => ws.once("close", resolve));
    const query = new Uint8Array([messageQueryAwareness]);
    for (let i = 0; i < 500; i++) ws.send(query);
    expect(await closed).toBe(1008);
  });
});
