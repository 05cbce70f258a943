import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { messageAwareness, messageSync } from "../../../app/features/collab/protocol.ts";
import { CollabServer, type CollabOptions } from "./collab-server.ts";
import { InMemoryCollabStore } from "./store.ts";
import { craftUpdate, identity, rng, TestClient, until } from "./testing.ts";

const logger = pino({ level: "silent" });
const DOC = "chart:area-1";

const servers: CollabServer[] = [];
function serverOn(store: InMemoryCollabStore, options: Partial<CollabOptions> = {}) {
  const server = new CollabServer(store, logger, { idleUnloadMs: 60_000, compactWaitMs: 60_000, compactMaxWaitMs: 60_000, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function synced(...clients: TestClient[]) {
  await until(() => clients.every((c) => c.synced && c.settled));
}

function stateOf(store: InMemoryCollabStore, docName = DOC): Y.Doc {
  const stored = store.docs.get(docName);
  const doc = new Y.Doc();
  if (stored?.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const row of stored?.log ?? []) Y.applyUpdate(doc, row.update);
  return doc;
}

describe("CollabServer: durable before broadcast", () => {
  it("stores an update before any peer sees it, then tells the sender it is saved", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store);
    const a = await TestClient.connect(server, DOC);
    const b = await TestClient.connect(server, DOC);
    await synced(a, b);

    const gate = deferred();
    store.gate = gate.promise;
    a.doc.getText("chart").insert(0, "保存中");
    await new Promise((r) => setTimeout(r, 20));
    expect(b.text).toBe(""); // not broadcast while the append is in flight
    expect(a.saved).not.toContain(a.sent);
    expect(store.docs.get(DOC)?.log ?? []).toHaveLength(0);

    store.gate = null;
    gate.resolve();
    await until(() => b.text === "保存中" && a.settled);
    expect(stateOf(store).getText("chart").toString()).toBe("保存中");
    expect(a.saved.at(-1)).toBe(a.sent);
  });

  it("answers every update-bearing message exactly once, in order", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store);
    const a = await TestClient.connect(server, DOC);
    await synced(a);
    for (let i = 0; i < 30; i++) a.doc.getText("chart").insert(0, `${i % 10}`);
    await until(() => a.settled);
    expect(a.saved).toEqual(Array.from({ length: a.sent }, (_, i) => i + 1));
  });

  it("group-commits what arrives while an append is in flight", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store);
    const clients = await Promise.all(Array.from({ length: 5 }, () => TestClient.connect(server, DOC)));
    await synced(...clients);
    store.appendBatches.length = 0;
    const gate = deferred();
    store.gate = gate.promise;
    for (let round = 0; round < 10; round++) clients.forEach((c, i) => c.doc.getText("chart").insert(0, `${i}`));
    await new Promise((r) => setTimeout(r, 10));
    store.gate = null;
    gate.resolve();
    await until(() => clients.every((c) => c.settled));
    expect(store.appendBatches.reduce((a, b) => a + b, 0)).toBe(50);
    expect(store.appendBatches.length).toBeLessThanOrEqual(3);
    const texts = new Set(clients.map((c) => c.text));
    expect(texts.size).toBe(1);
  });

  it("when the append fails: nothing is applied or broadcast, the sender is told and reconnects", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store);
    const a = await TestClient.connect(server, DOC);
    const b = await TestClient.connect(server, DOC);
    await synced(a, b);
    a.doc.getText("chart").insert(0, "first ");
    await until(() => a.settled && b.text === "first ");

    store.failures.append = 1;
    a.doc.getText("chart").insert(6, "lost");
    await until(() => a.closed !== null);
    expect(a.refused).toEqual([{ seq: a.sent, reason: "store_unavailable" }]);
    expect(a.closed?.code).toBe(4503);
    expect(b.text).toBe("first ");
    expect(stateOf(store).getText("chart").toString()).toBe("first ");

    // The client reconnects with its document: its sync step 2 carries the lost edit.
    const again = await TestClient.connect(server, DOC);
    Y.applyUpdate(again.doc, Y.encodeStateAsUpdate(a.doc));
    const c = await TestClient.connect(server, DOC);
    await synced(again, c);
    await until(() => c.text === "first lost");
    expect(stateOf(store).getText("chart").toString()).toBe("first lost");
  });
});

describe("CollabServer: permissions, presence", () => {
  it("refuses a read-only client's edits, and acknowledges what it merely echoes", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store);
    const editor = await TestClient.connect(server, DOC);
    await synced(editor);
    editor.doc.getText("chart").insert(0, "公開");
    editor.doc.getText("chart").delete(0, 1);
    await until(() => editor.settled);

    const viewer = await TestClient.connect(server, DOC, { readOnly: true, identity: identity("viewer") });
    await synced(viewer);
    expect(viewer.readOnly).toBe(true);
    expect(viewer.refused).toEqual([]); // its sync step 2 (the same delete set) is nothing new
    const rowsBefore = store.docs.get(DOC)!.log.length;

    viewer.doc.getText("chart").insert(0, "改ざん");
    await until(() => viewer.refused.length === 1);
    expect(viewer.refused[0]).toEqual({ seq: viewer.sent, reason: "read_only" });
    expect(viewer.closed).toBeNull(); // it keeps receiving
    await new Promise((r) => setTimeout(r, 10));
    expect(editor.text).toBe("開");
    expect(store.docs.get(DOC)!.log.length).toBe(rowsBefore);

    editor.doc.getText("chart").insert(1, "中");
    await until(() => viewer.text.includes("開中"));
  });

  it("stamps presence with the session's name, organization and colour, and removes it on close", async () => {
    const server = serverOn(new InMemoryCollabStore());
    const a = await TestClient.connect(server, DOC, { identity: { ...identity("ua", "本物の名前"), color: "#0b5e55" } });
    const b = await TestClient.connect(server, DOC, { identity: identity("ub") });
    await synced(a, b);
    a.announce({ user: { name: "なりすまし", color: "#ffffff" }, cursor: { anchor: 1, head: 2 } });
    await until(() => b.awareness.getStates().has(a.doc.clientID));
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({
      user: { name: "本物の名前", organization: "みどり区社会福祉協議会", color: "#0b5e55" },
      cursor: { anchor: 1, head: 2 },
    });

    // b cannot speak for a's client id
    const spoof = new Y.Doc();
    spoof.clientID = a.doc.clientID;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageAwareness);
    encoding.writeVarUint8Array(encoder, new Uint8Array([1, ...varUint(a.doc.clientID), 99, 4, ...new TextEncoder().encode("null")]));
    b.send(encoding.toUint8Array(encoder));
    await new Promise((r) => setTimeout(r, 10));
    expect(b.closed).toBeNull();
    expect(server.loadedDocument(DOC)!.awareness.getStates().has(a.doc.clientID)).toBe(true);

    a.destroy();
    await until(() => !b.awareness.getStates().has(a.doc.clientID));
    expect(server.loadedDocument(DOC)!.awareness.meta.has(a.doc.clientID)).toBe(false);
  });
});

describe("CollabServer: awareness renewals", () => {
  /** Awareness messages a client received, decoded: [clientID, clock] per entry. */
  function awarenessHeard(client: TestClient): Array<Array<[number, number]>> {
    return client.received
      .filter((message) => message[0] === messageAwareness)
      .map((message) => {
        const decoder = decoding.createDecoder(message);
        decoding.readVarUint(decoder);
        const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
        return Array.from({ length: decoding.readVarUint(inner) }, () => {
          const entry: [number, number] = [decoding.readVarUint(inner), decoding.readVarUint(inner)];
          decoding.readVarString(inner);
          return entry;
        });
      });
  }
  const clockOf = (observer: TestClient, client: TestClient) => observer.awareness.meta.get(client.doc.clientID)?.clock ?? 0;
  const state = { user: { name: "x" }, cursor: { anchor: 1, head: 1 } };
  /** Two clients on a server with the given batch interval; `a` has announced `state`. */
  async function presentPair(awarenessRenewalBatchMs: number) {
    const server = serverOn(new InMemoryCollabStore(), { awarenessRenewalBatchMs });
    const a = await TestClient.connect(server, DOC, { identity: identity("ua") });
    const b = await TestClient.connect(server, DOC, { identity: identity("ub") });
    await synced(a, b);
    a.announce(state);
    return { a, b };
  }

  it("sends renewals of unchanged states together after the batch interval, changes at once", async () => {
    const server = serverOn(new InMemoryCollabStore(), { awarenessRenewalBatchMs: 300 });
    const [a1, a2, b] = await Promise.all([0, 1, 2].map((i) => TestClient.connect(server, DOC, { identity: identity(`u${i}`) })));
    await synced(a1, a2, b);
    a1.announce(state);
    a2.announce(state);
    await until(() => clockOf(b, a1) > 0 && clockOf(b, a2) > 0);
    const [clock1, clock2] = [clockOf(b, a1), clockOf(b, a2)];
    const heardBefore = awarenessHeard(b).length;

    const renewed = performance.now();
    a1.announce(state); // same state, next clock: a renewal
    a2.announce(state);
    await new Promise((r) => setTimeout(r, 100));
    expect(clockOf(b, a1)).toBe(clock1); // held back
    await until(() => clockOf(b, a1) === clock1 + 1 && clockOf(b, a2) === clock2 + 1);
    expect(performance.now() - renewed).toBeGreaterThanOrEqual(250);
    // One message for both renewals.
    const batch = awarenessHeard(b).slice(heardBefore);
    expect(batch).toEqual([expect.arrayContaining([[a1.doc.clientID, clock1 + 1], [a2.doc.clientID, clock2 + 1]])]);
    expect(batch[0]).toHaveLength(2);

    // A change goes at once, and the renewal it overtook is not sent after it.
    a1.announce(state);
    a1.announce({ ...state, cursor: { anchor: 5, head: 9 } });
    const changed = performance.now();
    await until(() => (b.awareness.getStates().get(a1.doc.clientID) as typeof state | undefined)?.cursor.anchor === 5);
    expect(performance.now() - changed).toBeLessThan(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(clockOf(b, a1)).toBe(clock1 + 3);
    expect(awarenessHeard(b).slice(heardBefore + 1).flat().filter(([id]) => id === a1.doc.clientID)).toEqual([[a1.doc.clientID, clock1 + 3]]);
  });

  it("sends a departure at once and does not bring the client back with its pending renewal", async () => {
    const { a, b } = await presentPair(200);
    await until(() => b.awareness.getStates().has(a.doc.clientID));
    a.announce(state); // a renewal, waiting for the batch
    await new Promise((r) => setTimeout(r, 20));
    a.destroy();
    await until(() => !b.awareness.getStates().has(a.doc.clientID), 150);
    await new Promise((r) => setTimeout(r, 300));
    expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false);
  });

  it("sends every renewal at once when batching is off (awarenessRenewalBatchMs: 0)", async () => {
    const { a, b } = await presentPair(0);
    await until(() => clockOf(b, a) > 0);
    const clock = clockOf(b, a);
    a.announce(state);
    await until(() => clockOf(b, a) === clock + 1, 100);
  });
});

function varUint(n: number): number[] {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, n);
  return [...encoding.toUint8Array(encoder)];
}

describe("CollabServer: lifecycle", () => {
  it("shares one load between concurrent first connections", async () => {
    const store = new InMemoryCollabStore();
    let loads = 0;
    const load = store.load.bind(store);
    store.load = async (name) => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return load(name);
    };
    const server = serverOn(store);
    const clients = await Promise.all(Array.from({ length: 8 }, () => TestClient.connect(server, DOC)));
    expect(loads).toBe(1);
    expect(new Set(clients.map((c) => c.conn.document)).size).toBe(1);
  });

  it("compacts the log into a snapshot with the same state, and reloads from it", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store);
    const a = await TestClient.connect(server, DOC);
    await synced(a);
    for (let i = 0; i < 20; i++) a.doc.getText("chart").insert(i, "あ");
    a.doc.getText("chart").delete(0, 5);
    await until(() => a.settled);
    expect(store.docs.get(DOC)!.log.length).toBeGreaterThan(1);
    const before = Y.encodeStateVector(stateOf(store));
    await server.compactNow(DOC);
    expect(store.docs.get(DOC)!.log).toHaveLength(0);
    expect(store.docs.get(DOC)!.snapshot).not.toBeNull();
    expect(Y.encodeStateVector(stateOf(store))).toEqual(before);
    expect(stateOf(store).getText("chart").toString()).toBe(a.text);

    const fresh = serverOn(store);
    const b = await TestClient.connect(fresh, DOC);
    await synced(b);
    expect(b.text).toBe("あ".repeat(15));
  });

  it("a stale second writer on the same store cannot lose the other's updates by compacting", async () => {
    const store = new InMemoryCollabStore();
    const one = serverOn(store);
    const two = serverOn(store); // e.g. the old process still draining during a rolling deploy
    const a = await TestClient.connect(one, DOC);
    const b = await TestClient.connect(two, DOC);
    await synced(a, b);
    a.doc.getText("chart").insert(0, "from one;");
    await until(() => a.settled);
    await one.compactNow(DOC);
    b.doc.getText("chart").insert(0, "from two;");
    await until(() => b.settled);
    await two.compactNow(DOC); // two never saw "from one;"
    await one.compactNow(DOC);
    const text = stateOf(store).getText("chart").toString();
    expect(text).toContain("from one;");
    expect(text).toContain("from two;");
    expect(store.docs.get(DOC)!.log).toHaveLength(0);
  });

  it("compacts on its own after the debounce, and unloads an idle document after its work", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store, { compactWaitMs: 20, compactMaxWaitMs: 50, idleUnloadMs: 30 });
    const a = await TestClient.connect(server, DOC);
    await synced(a);
    a.doc.getText("chart").insert(0, "x");
    await until(() => a.settled);
    await until(() => server.stats.compactions === 1);
    a.doc.getText("chart").insert(1, "y");
    await until(() => a.settled);
    a.destroy();
    await until(() => server.snapshot().documents === 0);
    expect(store.docs.get(DOC)!.log).toHaveLength(0); // compacted before unloading
    expect(stateOf(store).getText("chart").toString()).toBe("xy");
  });

  it("close() stores queued writes and runs pending compactions before resolving", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store);
    const a = await TestClient.connect(server, DOC);
    await synced(a);
    const gate = deferred();
    store.gate = gate.promise;
    a.doc.getText("chart").insert(0, "shutdown");
    await new Promise((r) => setTimeout(r, 5));
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(false);
    store.gate = null;
    gate.resolve();
    await closing;
    expect(store.docs.get(DOC)!.snapshot).not.toBeNull();
    expect(store.docs.get(DOC)!.log).toHaveLength(0);
    expect(stateOf(store).getText("chart").toString()).toBe("shutdown");
    expect(a.closed?.code).toBe(1001);
  });
});

describe("CollabServer: untrusted input", () => {
  it("closes a connection that sends a bad message, and only that one", async () => {
    const server = serverOn(new InMemoryCollabStore());
    const good = await TestClient.connect(server, DOC);
    await synced(good);
    const cases = [
      new Uint8Array([]),
      new Uint8Array([7]),
      new Uint8Array([messageSync, 9, 0]),
      new Uint8Array([messageSync, 2, 5, 1, 2]), // truncated
      new Uint8Array([messageSync, 2, 9, 1, ...varUint(2 ** 50), 1, 0, 0, 1, 0]), // 687: huge struct count
      new Uint8Array([messageAwareness, 3, 1, 1, 1]),
    ];
    for (const message of cases) {
      const bad = await TestClient.connect(server, DOC);
      bad.send(message);
      await until(() => bad.closed !== null);
      expect(bad.closed?.code).toBe(4400);
    }
    good.doc.getText("chart").insert(0, "still fine");
    await until(() => good.settled);
    expect(server.stats.rejectedMessages).toBe(cases.length);
  });

  it("rate-limits a connection (awareness gets ten times the edit budget: providers echo it)", async () => {
    const server = serverOn(new InMemoryCollabStore(), { ratePerSecond: 10, rateBurst: 20 });
    const a = await TestClient.connect(server, DOC);
    await synced(a);
    for (let i = 0; i < 150; i++) a.announce({ user: { name: "x" }, n: i });
    expect(a.closed).toBeNull();
    for (let i = 0; i < 100; i++) a.announce({ user: { name: "x" }, n: 150 + i });
    await until(() => a.closed !== null);
    expect(a.closed).toEqual({ code: 1008, reason: "rate limit exceeded" });
  });

  it("adversarial well-formed updates: the server never throws, and memory always equals the log", async () => {
    const store = new InMemoryCollabStore();
    const server = serverOn(store, { ratePerSecond: 1e9, rateBurst: 1e9 });
    const random = rng(4687);
    const base = new Y.Doc();
    base.getText("chart").insert(0, "みどり区");
    base.getMap("meta").set("title", "x");
    base.getText("chart").delete(1, 1);
    const writer = await TestClient.connect(server, DOC);
    await synced(writer);
    Y.applyUpdate(writer.doc, Y.encodeStateAsUpdate(base));
    await until(() => writer.settled);
    let attacker = await TestClient.connect(server, DOC);
    for (let i = 0; i < 400; i++) {
      if (attacker.closed) {
        attacker = await TestClient.connect(server, DOC);
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      encoding.writeVarUint(encoder, 2);
      // Refer to what the server holds now, so that references resolve and integration runs.
      encoding.writeVarUint8Array(encoder, craftUpdate(random, server.loadedDocument(DOC)?.doc ?? base));
      attacker.send(encoding.toUint8Array(encoder));
      if (i % 4 === 0) await until(() => attacker.settled || attacker.closed !== null);
    }
    await until(() => attacker.settled || attacker.closed !== null);
    await server.loadedDocument(DOC)?.drain();
    // A fresh client converges with whatever the server holds, and that is what the log holds.
    const observer = await TestClient.connect(server, DOC);
    await synced(observer);
    const logged = stateOf(store);
    expect(Y.encodeStateVector(observer.doc)).toEqual(Y.encodeStateVector(logged));
    expect(observer.doc.getText("chart").toString()).toBe(logged.getText("chart").toString());
    // The generator reaches every path: refused by the scan, thrown while applying, stored.
    expect(server.stats.rejectedMessages).toBeGreaterThan(0);
    expect(server.stats.divergences).toBeGreaterThan(0);
    expect(store.docs.get(DOC)!.log.length).toBeGreaterThan(10);
  });
});
