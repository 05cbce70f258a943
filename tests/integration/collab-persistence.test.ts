import v8 from "node:v8";
import vm from "node:vm";
import pg from "pg";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { messageAwareness, messageSaved, messageSync } from "../../app/features/collab/protocol.ts";
import { startServer, type RunningServer } from "../../server/app-server.ts";
import { createPrisma } from "../../server/db/client.ts";
import { parseEnv } from "../../server/env.ts";
import { PostgresCollabStore } from "../../server/realtime/collab/postgres-store.ts";
import { stateCovers, type CollabStore } from "../../server/realtime/collab/store.ts";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";
import { login } from "../setup/test-server.ts";
import { chartDocs, openProvider, synced, waitFor, wsBase, type TestProvider } from "./collab-helpers.ts";

const env = parseEnv({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" });

/** The document as PostgreSQL holds it: snapshot, then every remaining logged update. */
async function storedDoc(server: RunningServer, docName: string): Promise<Y.Doc> {
  const stored = await new PostgresCollabStore(server.services.prisma).load(docName);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

function awarenessUpdate(clientID: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientID);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

function sameState(a: Y.Doc, b: Y.Doc) {
  expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
  expect(a.getText("chart").toString()).toBe(b.getText("chart").toString());
  // Same deletions too: a state diff in either direction carries nothing new.
  expect(Y.encodeStateAsUpdate(a, Y.encodeStateVector(b))).toEqual(Y.encodeStateAsUpdate(b, Y.encodeStateVector(b)));
}

describe("/yjs/ persistence: restart, compaction, churn", () => {
  let database: TestDatabase;
  const providers: TestProvider[] = [];
  const servers: RunningServer[] = [];

  async function boot(collab: Parameters<typeof startServer>[0]["collab"] = {}) {
    const server = await startServer({ env, databaseUrl: database.url, remix: "none", collab });
    servers.push(server);
    return server;
  }
  const provider = (server: RunningServer, docName: string, cookie: string) => {
    const p = openProvider(server.url, docName, cookie);
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  // One server at a time on the database: each test's servers close when it ends.
  afterEach(async () => {
    providers.splice(0).forEach((p) => p.destroy());
    for (const server of servers.splice(0)) await server.close();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("memory stays flat under 2,000 connect / edit / disconnect cycles", { timeout: 60_000 }, async () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const server = await boot({ idleUnloadMs: 50, compactWaitMs: 100, compactMaxWaitMs: 500 });
    const cookie = await login(server.url);
    const docs = (await chartDocs(server.url, cookie)).slice(2); // the other tests use the first two
    const base = wsBase(server.url);

    /** One raw client: connect, answer sync step 1, send one edit, wait for `saved`, leave. */
    const cycle = (docName: string, token: string) =>
      new Promise<void>((resolve, reject) => {
        const doc = new Y.Doc();
        const ws = new WebSocket(`${base}/${docName}`, { headers: { cookie } });
        ws.binaryType = "nodebuffer";
        const timer = setTimeout(() => reject(new Error("cycle timed out")), 10_000);
        ws.on("message", (data: Buffer) => {
          const decoder = decoding.createDecoder(new Uint8Array(data));
          const type = decoding.readVarUint(decoder);
          if (type === messageSync && decoding.peekVarUint(decoder) === syncProtocol.messageYjsSyncStep1) {
            const reply = encoding.createEncoder();
            encoding.writeVarUint(reply, messageSync);
            syncProtocol.readSyncMessage(decoder, reply, doc, null);
            ws.send(encoding.toUint8Array(reply)); // seq 1
            const presence = encoding.createEncoder(); // presence too, removed when we leave
            encoding.writeVarUint(presence, messageAwareness);
            encoding.writeVarUint8Array(presence, awarenessUpdate(doc.clientID, { user: { name: "churn" } }));
            ws.send(encoding.toUint8Array(presence));
            doc.on("update", (update: Uint8Array) => {
              const message = encoding.createEncoder();
              encoding.writeVarUint(message, messageSync);
              syncProtocol.writeUpdate(message, update);
              ws.send(encoding.toUint8Array(message)); // seq 2
            });
            doc.getText("chart").insert(0, token);
          } else if (type === messageSaved && decoding.readVarUint(decoder) === 2) {
            saved = true;
            ws.close();
          }
        });
        let saved = false;
        ws.on("close", (code, reason) => {
          clearTimeout(timer);
          doc.destroy();
          if (saved) resolve();
          else reject(new Error(`closed by the server before 'saved': ${code} ${reason.toString()}`));
        });
        ws.on("error", reject);
      });
    const run = async (cycles: number, offset: number) => {
      const workers = 16;
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          for (let i = w; i < cycles; i += workers) await cycle(docs[i % docs.length], `,${offset + i},`);
        }),
      );
    };
    const settle = async () => {
      await waitFor(() => {
        const s = server.collab.server.snapshot();
        return s.documents === 0 && s.connections === 0;
      }, 10_000, "documents unloaded");
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 20));
      }
      return process.memoryUsage().heapUsed;
    };

    await run(200, 0); // warm-up: code paths, pools, caches
    const baseline = await settle();
    const started = performance.now();
    await run(1_000, 200);
    const middle = await settle();
    await run(1_000, 1_200);
    const seconds = (performance.now() - started) / 1000;
    const after = await settle();
    const stats = server.collab.server.snapshot();
    const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
    const growthMb = (after - baseline) / 1048576;
    const secondHalfMb = (after - middle) / 1048576;
    console.info(
      `[collab churn] 2,000 cycles in ${seconds.toFixed(1)} s; heap ${mb(baseline)} → ${mb(middle)} → ${mb(after)} MB; ` +
        `loads ${stats.loads}, unloads ${stats.unloads}, append p50 ${stats.appendMsP50.toFixed(2)} ms p99 ${stats.appendMsP99.toFixed(2)} ms, ` +
        `batch mean ${stats.meanBatch.toFixed(2)} max ${stats.maxBatch}`,
    );
    expect(stats.connections).toBe(0);
    expect(server.services.connections.count()).toBe(0);
    // A leak grows with the cycles: 1 KB per cycle would be +2 MB overall, +1 MB per half.
    expect(growthMb).toBeLessThan(4);
    expect(secondHalfMb).toBeLessThan(2);
    // Every edit was stored.
    const stored = await Promise.all(docs.map((d) => storedDoc(server, d)));
    const tokens = new Set(stored.flatMap((d) => d.getText("chart").toString().split(",")).filter(Boolean));
    for (let i = 0; i < 2_200; i++) expect(tokens.has(String(i)), `edit ${i}`).toBe(true);
  });

  it("a restarted server restores the document from its snapshot plus the log after it", async () => {
    let compactionOn = true;
    const prisma = createPrisma(database.url, { max: 4 });
    const base = new PostgresCollabStore(prisma);
    const switchable: CollabStore = {
      load: (name) => base.load(name),
      append: (name, updates) => base.append(name, updates),
      compact: async (name, state, upTo) => {
        if (compactionOn) await base.compact(name, state, upTo);
      },
    };
    const first = await boot({ store: switchable, compactWaitMs: 60_000, compactMaxWaitMs: 60_000 });
    const cookie = await login(first.url);
    const [docName] = await chartDocs(first.url, cookie);
    const a = provider(first, docName, cookie);
    await synced(a);
    a.text.insert(0, "スナップショット部分。");
    await synced(a);
    await first.collab.server.compactNow(docName);
    a.text.insert(a.text.length, "ログ部分。");
    a.text.delete(0, 3);
    await synced(a);
    compactionOn = false; // the process "dies" before compacting again
    const expected = a.text.toString();
    a.destroy();
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    await prisma.$disconnect();

    const second = await boot();
    expect(await second.services.prisma.collabSnapshot.count({ where: { docName } })).toBe(1);
    expect(await second.services.prisma.collabUpdate.count({ where: { docName } })).toBeGreaterThan(0);
    const b = provider(second, docName, await login(second.url));
    await synced(b);
    expect(b.text.toString()).toBe(expected);
    expect(expected).toBe("プショット部分。ログ部分。");
  });

  it("compaction on plain pg: keeps a stale writer's rows and snapshot, deletes exactly what it merged", async () => {
    const prisma = createPrisma(database.url);
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const store = new PostgresCollabStore(prisma, pool);
      const docName = `chart:compaction-${Date.now()}`;
      const edits = (clientID: number, text: string, base?: Uint8Array) => {
        const doc = new Y.Doc();
        doc.clientID = clientID;
        if (base) Y.applyUpdate(doc, base);
        const updates: Uint8Array[] = [];
        doc.on("update", (u: Uint8Array) => updates.push(u));
        for (const ch of text) doc.getText("chart").insert(doc.getText("chart").length, ch);
        return { doc, updates };
      };
      // Writer one: three edits, compacted with a state that covers them (the fast path).
      const one = edits(1, "一二三");
      await store.append(docName, one.updates);
      const mark1 = (await prisma.collabUpdate.findMany({ where: { docName }, select: { id: true } })).at(-1)!.id;
      await store.compact(docName, Y.encodeStateAsUpdate(one.doc), mark1, stateCovers(Y.snapshot(one.doc)));
      expect(await prisma.collabUpdate.count({ where: { docName } })).toBe(0);

      // Writer two never saw one's edits; its rows and a later row of one's are logged.
      const two = edits(2, "四五");
      const twoIds = await store.append(docName, two.updates);
      const later = edits(1, "六", Y.encodeStateAsUpdate(one.doc));
      const [laterId] = await store.append(docName, later.updates);
      // Two compacts up to its own last id with only its own state: one's snapshot must survive.
      await store.compact(docName, Y.encodeStateAsUpdate(two.doc), twoIds.at(-1)!, stateCovers(Y.snapshot(two.doc)));
      const remaining = await prisma.collabUpdate.findMany({ where: { docName }, select: { id: true } });
      expect(remaining.map((row) => row.id)).toEqual([laterId]); // above the mark: kept

      const stored = await store.load(docName);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored.snapshot!);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      const text = doc.getText("chart").toString();
      for (const ch of "一二三四五六") expect(text).toContain(ch);
      const snapshot = await prisma.collabSnapshot.findUnique({ where: { docName } });
      expect(snapshot?.upToUpdateId).toBe(twoIds.at(-1));
    } finally {
      await pool.end();
      await prisma.$disconnect();
    }
  });

  it("compaction merges the log into the snapshot, and the state is identical", async () => {
    const server = await boot({ compactWaitMs: 60_000, compactMaxWaitMs: 60_000, idleUnloadMs: 100 });
    const cookie = await login(server.url);
    const docName = (await chartDocs(server.url, cookie))[1];
    const a = provider(server, docName, cookie);
    const b = provider(server, docName, cookie);
    await synced(a, b);
    for (let i = 0; i < 30; i++) {
      (i % 2 ? a : b).text.insert(i, i % 2 ? "a" : "b");
      if (i % 7 === 0 && a.text.length > 0) a.text.delete(0, 1);
    }
    a.doc.getMap("meta").set("title", "地域カルテ");
    await synced(a, b);
    await waitFor(() => a.text.toString() === b.text.toString());
    const rowsBefore = await server.services.prisma.collabUpdate.count({ where: { docName } });
    expect(rowsBefore).toBeGreaterThan(20);
    const before = await storedDoc(server, docName);
    sameState(before, a.doc);

    await server.collab.server.compactNow(docName);
    expect(await server.services.prisma.collabUpdate.count({ where: { docName } })).toBe(0);
    expect(await server.services.prisma.collabSnapshot.count({ where: { docName } })).toBe(1);
    const after = await storedDoc(server, docName);
    sameState(after, a.doc);
    expect(after.getMap("meta").get("title")).toBe("地域カルテ");

    // Unloaded when idle, then loaded again from the snapshot alone.
    a.destroy();
    b.destroy();
    await waitFor(() => server.collab.server.loadedDocument(docName) === undefined, 5_000, "idle unload");
    const c = provider(server, docName, cookie);
    await synced(c);
    sameState(c.doc, after);
  });

});
