import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { saveStateOf } from "../../app/features/collab/save-state.ts";
import { createPrisma } from "../../server/db/client.ts";
import { PostgresCollabStore } from "../../server/realtime/collab/postgres-store.ts";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";
import { freePort, ServerProcess } from "../setup/server-process.ts";
import { login } from "../setup/test-server.ts";
import { chartDocs, openProvider, synced, waitFor, type TestProvider } from "./collab-helpers.ts";

/**
 * Follows one provider's edits: a token is saved when the server answered the message that
 * carried it (same connection, seq ≤ answered), or when everything local is saved.
 */
function trackSaves(p: TestProvider, saved: Set<string>) {
  let current: string | null = null;
  let epoch = 0;
  const inFlight: Array<{ token: string; epoch: number; seq: number }> = [];
  const all: string[] = [];
  p.binding.onSaveEvent((event, state) => {
    if (event.type === "open") epoch++;
    if (event.type === "local-change" && current) {
      all.push(current);
      if (event.connected) inFlight.push({ token: current, epoch, seq: state.sent });
    }
    if (event.type === "saved") {
      for (const entry of inFlight) if (entry.epoch === epoch && entry.seq <= event.seq) saved.add(entry.token);
    }
    if (saveStateOf(state) === "saved") for (const token of all) saved.add(token);
  });
  return (token: string) => {
    current = token;
    p.text.insert(p.text.length, token);
    current = null;
  };
}

describe("durability: kill -9 while edits flow", () => {
  let database: TestDatabase;
  let server: ServerProcess;
  const providers: TestProvider[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = new ServerProcess("durability", await freePort(), { DATABASE_URL: database.url, LOG_LEVEL: "warn" });
    await server.start();
  }, 60_000);
  afterAll(async () => {
    providers.forEach((p) => p.destroy());
    await server?.stop();
    await database?.drop();
  });

  it("every edit a client was told is saved survives SIGKILL; clients converge after the restart", { timeout: 60_000 }, async () => {
    const cookie = await login(server.url);
    const [docName] = await chartDocs(server.url, cookie);
    const a = openProvider(server.url, docName, cookie, { maxBackoffTime: 300 });
    const b = openProvider(server.url, docName, cookie, { maxBackoffTime: 300 });
    providers.push(a, b);
    await synced(a, b);
    const saved = new Set<string>();
    const editA = trackSaves(a, saved);
    const editB = trackSaves(b, saved);

    // A random round between 10 and 40, at a random moment inside it (often while an append is
    // in flight).
    const killRound = 10 + Math.floor(Math.random() * 30);
    const killDelayMs = Math.random() * 30;
    let killed: Promise<{ savedAtKill: string[]; stored: string }> | null = null;
    let restarted: Promise<void> | null = null;
    const rounds = 50;
    const tokens: string[] = [];
    let madeAtKill = 0;
    for (let round = 0; round < rounds; round++) {
      // 1–3 edits per client per round, typed in one go.
      for (let k = Math.floor(Math.random() * 3); k >= 0; k--) {
        for (const [name, edit] of [["a", editA], ["b", editB]] as const) {
          const token = `[${name}${round}.${k}]`;
          tokens.push(token);
          edit(token);
        }
      }
      if (round === killRound) {
        killed = (async () => {
          await new Promise((r) => setTimeout(r, killDelayMs));
          await server.kill9();
          madeAtKill = tokens.length;
          const savedAtKill = [...saved]; // the process is gone: nothing more can be confirmed
          const prisma = createPrisma(database.url, { max: 2 });
          try {
            const stored = await new PostgresCollabStore(prisma).load(docName);
            const doc = new Y.Doc();
            if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
            for (const update of stored.updates) Y.applyUpdate(doc, update);
            return { savedAtKill, stored: doc.getText("chart").toString() };
          } finally {
            await prisma.$disconnect();
          }
        })();
        // The restart runs while the rounds go on (offline edits, reconnects).
        restarted = killed.then(() => server.start());
        restarted.catch(() => {}); // awaited below
      }
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
    }
    expect(killed, "the kill happened during the rounds").not.toBeNull();
    const atKill = await killed!;
    console.info(
      `[collab durability] kill -9 in round ${killRound} (+${killDelayMs.toFixed(0)} ms): ${atKill.savedAtKill.length} of ${madeAtKill} edits confirmed saved, all of them in the database`,
    );
    expect(atKill.savedAtKill.length).toBeGreaterThan(0);
    for (const token of atKill.savedAtKill) expect(atKill.stored, `saved edit ${token} after kill -9`).toContain(token);

    // After the restart both clients reconnect, resend what was not saved, and converge.
    await restarted;
    await waitFor(() => a.provider.wsconnected && b.provider.wsconnected, 30_000, "reconnect");
    await synced(a, b);
    await waitFor(() => a.text.toString() === b.text.toString(), 10_000, "convergence");
    for (const token of tokens) expect(a.text.toString()).toContain(token);
    const observer = openProvider(server.url, docName, cookie);
    providers.push(observer);
    await synced(observer);
    expect(observer.text.toString()).toBe(a.text.toString());
  });
});
