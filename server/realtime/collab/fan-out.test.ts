import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { LoopbackCluster } from "../../cluster/loopback-bus.ts";
import { CollabServer, type CollabOptions } from "./collab-server.ts";
import { decodeFanOut, encodeFanOut } from "./fan-out.ts";
import { InMemoryCollabStore, type CollabStore, type StoredDocument } from "./store.ts";
import { identity, TestClient, until } from "./testing.ts";

const logger = pino({ level: "silent" });
const DOC = "chart:area-1";
const channel = (docName: string) => `test:yjs:${docName}`;

const servers: CollabServer[] = [];
function instance(cluster: LoopbackCluster, store: CollabStore, options: Partial<CollabOptions> = {}) {
  const server = new CollabServer(
    store,
    logger,
    { idleUnloadMs: 60_000, compactWaitMs: 60_000, compactMaxWaitMs: 60_000, ...options },
    { bus: cluster.bus(), channel },
  );
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function synced(...clients: TestClient[]) {
  await until(() => clients.every((c) => c.synced && c.settled));
}

function logLength(store: InMemoryCollabStore, docName = DOC) {
  return store.docs.get(docName)?.log.length ?? 0;
}

describe("fan-out messages", () => {
  it("round-trip, and anything else decodes to null", () => {
    const updates = [new Uint8Array([1, 2, 3]), new Uint8Array([])];
    expect(decodeFanOut(encodeFanOut({ kind: "updates", updates }))).toEqual({ kind: "updates", updates });
    expect(decodeFanOut(encodeFanOut({ kind: "awareness", update: new Uint8Array([9]) }))).toEqual({ kind: "awareness", update: new Uint8Array([9]) });
    expect(decodeFanOut(encodeFanOut({ kind: "awareness-query" }))).toEqual({ kind: "awareness-query" });
    for (const junk of [[], [0], [7], [1, 5], [3, 0], [1, 1, 200]]) expect(decodeFanOut(new Uint8Array(junk))).toBeNull();
  });
});

describe("CollabServer across instances (loopback bus, one store)", () => {
  it("an edit committed on A reaches B's clients, is stored once and published once", async () => {
    const cluster = new LoopbackCluster();
    const store = new InMemoryCollabStore();
    const a = instance(cluster, store);
    const b = instance(cluster, store);
    const onA = await TestClient.connect(a, DOC);
    const onB = await TestClient.connect(b, DOC);
    await synced(onA, onB);

    onA.doc.getText("chart").insert(0, "つなぐ");
    await until(() => onB.text === "つなぐ" && onA.settled);
    expect(logLength(store)).toBe(1);
    expect(cluster.published.filter((m) => decodeFanOut(m.payload)?.kind === "updates")).toHaveLength(1);

    // And back: B's edit reaches A; each instance stored only its own.
    onB.doc.getText("chart").insert(3, "!");
    await until(() => onA.text === "つなぐ!" && onB.settled);
    expect(logLength(store)).toBe(2);
    expect(b.loadedDocument(DOC)!.doc.getText("chart").toString()).toBe("つなぐ!");
  });

  it("concurrent edits on both instances converge everywhere", async () => {
    const cluster = new LoopbackCluster();
    const store = new InMemoryCollabStore();
    const a = instance(cluster, store);
    const b = instance(cluster, store);
    const clients = [await TestClient.connect(a, DOC), await TestClient.connect(a, DOC), await TestClient.connect(b, DOC), await TestClient.connect(b, DOC)];
    await synced(...clients);
    for (let round = 0; round < 20; round++) {
      for (const [i, client] of clients.entries()) client.doc.getText("chart").insert(0, `${i}`);
    }
    await until(() => clients.every((c) => c.settled && c.text.length === 80));
    const texts = new Set(clients.map((c) => c.text));
    expect(texts.size).toBe(1);
    const stored = new Y.Doc();
    for (const row of store.docs.get(DOC)!.log) Y.applyUpdate(stored, row.update);
    expect(stored.getText("chart").toString()).toBe(clients[0].text);
  });

  it("an update committed elsewhere while the document loads is not missed (subscribe before load)", async () => {
    const cluster = new LoopbackCluster();
    const store = new InMemoryCollabStore();
    const a = instance(cluster, store);
    const onA = await TestClient.connect(a, DOC);
    await synced(onA);
    onA.doc.getText("chart").insert(0, "before");
    await until(() => onA.settled);

    // B reads the store, then stalls; meanwhile A commits and publishes an edit that B's read
    // does not contain. Only the subscription (made before the read) can bring it.
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let readDone = false;
    const slowStore: CollabStore = {
      load: async (docName): Promise<StoredDocument> => {
        const stored = await store.load(docName);
        readDone = true;
        await stalled;
        return stored;
      },
      append: (docName, updates) => store.append(docName, updates),
      compact: (docName, state, upToId) => store.compact(docName, state, upToId),
    };
    const b = instance(cluster, slowStore);
    const joining = TestClient.connect(b, DOC);
    await until(() => readDone);
    onA.doc.getText("chart").insert(6, " after");
    await until(() => onA.settled);
    await new Promise((r) => setImmediate(r)); // the publication reaches B's buffer
    release();
    const onB = await joining;
    await synced(onB);
    expect(onB.text).toBe("before after");
  });

  it("presence crosses instances, late loaders ask for it, and it goes when the client leaves", async () => {
    const cluster = new LoopbackCluster();
    const store = new InMemoryCollabStore();
    const a = instance(cluster, store);
    const b = instance(cluster, store);
    const onA = await TestClient.connect(a, DOC, { identity: identity("ann", "Ann") });
    await synced(onA);
    onA.announce({ cursor: 3 });
    await until(() => a.loadedDocument(DOC)!.awareness.getStates().has(onA.doc.clientID));

    // B loads the document after Ann announced herself: it asks, A answers.
    const onB = await TestClient.connect(b, DOC, { identity: identity("bob", "Bob") });
    await synced(onB);
    await until(() => onB.awareness.getStates().has(onA.doc.clientID));
    expect(onB.awareness.getStates().get(onA.doc.clientID)).toMatchObject({ cursor: 3, user: { name: "Ann" } });

    onB.announce({ cursor: 1 });
    await until(() => onA.awareness.getStates().has(onB.doc.clientID));
    expect(onA.awareness.getStates().get(onB.doc.clientID)).toMatchObject({ user: { name: "Bob" } });

    // More clients than one client's awareness message may carry: the answer to a query has them all.
    const crowd = await Promise.all(Array.from({ length: 12 }, (_, i) => TestClient.connect(a, DOC, { identity: identity(`u${i}`, `U${i}`) })));
    await synced(...crowd);
    crowd.forEach((c, i) => c.announce({ cursor: i }));
    await until(() => crowd.every((c) => a.loadedDocument(DOC)!.awareness.getStates().has(c.doc.clientID)));
    const c = instance(cluster, store);
    const onC = await TestClient.connect(c, DOC);
    await until(() => crowd.every((member) => onC.awareness.getStates().has(member.doc.clientID)));

    onA.destroy();
    await until(() => !onB.awareness.getStates().has(onA.doc.clientID));
    expect(b.loadedDocument(DOC)!.awareness.meta.has(onA.doc.clientID)).toBe(false);
  });

  it("after a partition, each instance catches up from the store when the bus reconnects", async () => {
    const cluster = new LoopbackCluster();
    const store = new InMemoryCollabStore();
    const a = instance(cluster, store);
    const b = instance(cluster, store);
    const onA = await TestClient.connect(a, DOC);
    const onB = await TestClient.connect(b, DOC);
    await synced(onA, onB);

    cluster.partition();
    onA.doc.getText("chart").insert(0, "lost in transit");
    await until(() => onA.settled); // saved: the store has it, the bus dropped it
    await new Promise((r) => setTimeout(r, 20));
    expect(onB.text).toBe("");

    cluster.heal();
    await until(() => onB.text === "lost in transit");
    expect(logLength(store)).toBe(1);
  });

  it("unloading a document ends its subscription", async () => {
    const cluster = new LoopbackCluster();
    const store = new InMemoryCollabStore();
    const a = instance(cluster, store, { idleUnloadMs: 10 });
    const client = await TestClient.connect(a, DOC);
    await synced(client);
    expect(cluster.subscriberCount(channel(DOC))).toBe(1);
    client.destroy();
    await until(() => a.loadedDocument(DOC) === undefined && cluster.subscriberCount(channel(DOC)) === 0);
  });

  it("a single instance (local bus) publishes nothing and subscribes to nothing", async () => {
    const store = new InMemoryCollabStore();
    const { createLocalClusterBus } = await import("../../cluster/cluster-bus.ts");
    const bus = createLocalClusterBus();
    let published = 0;
    bus.publish = async () => {
      published++;
    };
    const server = new CollabServer(store, logger, {}, { bus, channel });
    servers.push(server);
    const client = await TestClient.connect(server, DOC);
    await synced(client);
    client.doc.getText("chart").insert(0, "x");
    client.announce({ cursor: 0 });
    await until(() => client.settled);
    expect(published).toBe(0);
  });
});
