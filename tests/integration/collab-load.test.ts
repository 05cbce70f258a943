import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { chartDocs, RawClient, waitFor, wsBase } from "./collab-helpers.ts";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

describe("/yjs/ under load: group commit", () => {
  let server: TestServer;
  let cookie: string;
  let docs: string[];
  const clients: RawClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
    docs = await chartDocs(server.url, cookie);
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server?.stop();
  });

  async function connect(n: number, docName: string) {
    const batch = Array.from({ length: n }, () => new RawClient(`${wsBase(server.url)}/${docName}`, cookie));
    clients.push(...batch);
    await Promise.all(batch.map((c) => c.ready));
    return batch;
  }

  /** Saved latency (ms) of every update-bearing message after the first (the sync step 2). */
  const latencies = (batch: RawClient[]) =>
    batch.flatMap((c) => [...c.sentAt].filter(([seq]) => seq > 1).map(([seq, at]) => (c.savedAt.get(seq) ?? Infinity) - at));

  it("500 updates/s from 50 clients in one document: every one saved, in milliseconds", { timeout: 30_000 }, async () => {
    const batch = await connect(50, docs[0]);
    const before = server.collab.server.snapshot();
    const seconds = 4;
    const perClientPerSecond = 10;
    await Promise.all(
      batch.map(async (client, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / perClientPerSecond / batch.length)); // spread the ticks
        for (let n = 0; n < seconds * perClientPerSecond; n++) {
          client.doc.getText("chart").insert(0, `${i}.${n};`);
          await new Promise((r) => setTimeout(r, 1000 / perClientPerSecond));
        }
      }),
    );
    await waitFor(() => batch.every((c) => c.savedAt.size >= c.sent), 10_000, "every update saved");
    const after = server.collab.server.snapshot();
    const saved = latencies(batch);
    const appends = after.appendedUpdates - before.appendedUpdates;
    const inserts = after.appendBatches - before.appendBatches;
    console.info(
      `[collab load] ${saved.length} updates at ${(perClientPerSecond * batch.length)}/s: saved p50 ${percentile(saved, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(saved, 99).toFixed(1)} ms, max ${Math.max(...saved).toFixed(1)} ms; ${appends} rows in ${inserts} INSERTs ` +
        `(mean ${(appends / inserts).toFixed(2)}, max ${after.maxBatch}); append p50 ${after.appendMsP50.toFixed(2)} ms p99 ${after.appendMsP99.toFixed(2)} ms`,
    );
    expect(saved).toHaveLength(seconds * perClientPerSecond * batch.length);
    expect(percentile(saved, 99)).toBeLessThan(250);
  });

  it("a burst of 1,000 updates at once is group-committed in a few INSERTs", { timeout: 30_000 }, async () => {
    const batch = await connect(50, docs[1]);
    const before = server.collab.server.snapshot();
    for (let n = 0; n < 20; n++) batch.forEach((client, i) => client.doc.getText("chart").insert(0, `${i}.${n};`));
    await waitFor(() => batch.every((c) => c.savedAt.size >= c.sent), 10_000, "every update saved");
    const after = server.collab.server.snapshot();
    const appends = after.appendedUpdates - before.appendedUpdates;
    const inserts = after.appendBatches - before.appendBatches;
    const saved = latencies(batch);
    console.info(
      `[collab burst] ${appends} updates in ${inserts} INSERTs (max batch ${after.maxBatch}); saved p50 ${percentile(saved, 50).toFixed(1)} ms, p99 ${percentile(saved, 99).toFixed(1)} ms`,
    );
    expect(appends).toBe(1_000);
    expect(inserts).toBeLessThan(100);
  });
});
