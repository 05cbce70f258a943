import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import {
  chartDocs,
  closeOf,
  OUTSIDER_EMAIL,
  openProvider,
  synced,
  VIEWER_EMAIL,
  waitFor,
  wsBase,
  type TestProvider,
} from "./collab-helpers.ts";

describe("/yjs/ documents: sync, presence, permissions", () => {
  let server: TestServer;
  let cookie: string;
  let docs: string[];
  const open: TestProvider[] = [];
  const provider = (docName: string, withCookie: string | undefined = cookie) => {
    const p = openProvider(server.url, docName, withCookie);
    open.push(p);
    return p;
  };

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
    docs = await chartDocs(server.url, cookie);
  });
  afterEach(() => {
    open.splice(0).forEach((p) => p.destroy());
  });
  afterAll(async () => {
    await server?.stop();
  });

  const rows = async (docName: string) => server.services.prisma.collabUpdate.count({ where: { docName } });

  it("two providers converge on concurrent edits; a late joiner gets the whole state", async () => {
    const a = provider(docs[0]);
    const b = provider(docs[0]);
    await synced(a, b);
    for (let i = 0; i < 40; i++) {
      a.text.insert(Math.floor(Math.random() * (a.text.length + 1)), "あ");
      b.text.insert(Math.floor(Math.random() * (b.text.length + 1)), "B");
      if (i % 10 === 0) b.text.delete(0, Math.min(1, b.text.length));
    }
    await waitFor(() => a.text.toString() === b.text.toString() && a.text.length > 0, 10_000, "convergence");
    await synced(a, b);
    expect(a.text.toString()).toBe(b.text.toString());
    expect([...a.text.toString()].filter((c) => c === "あ")).toHaveLength(40);

    const late = provider(docs[0]);
    await synced(late);
    expect(late.text.toString()).toBe(a.text.toString());
  });

  it("presence reaches the other client, stamped with who the session says it is", async () => {
    const a = provider(docs[1]);
    const b = provider(docs[1]);
    await synced(a, b);
    a.provider.awareness.setLocalStateField("user", { name: "偽名", color: "#000000" });
    a.provider.awareness.setLocalStateField("cursor", { anchor: { i: 1 }, head: { i: 2 } });
    await waitFor(() => b.binding.view().peers.some((p) => p.cursor !== null), 5_000, "peer with a cursor");
    const coordinator = await server.services.prisma.user.findUniqueOrThrow({ where: { email: "coordinator@tsunagu.example" } });
    const peer = b.binding.view().peers.find((p) => p.clientId === a.doc.clientID)!;
    expect(peer.name).toBe(coordinator.displayName);
    expect(peer.name).not.toBe("偽名");
    expect(peer.organization).toBeTruthy();
    expect(peer.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(peer.color).not.toBe("#000000");
    expect(peer.cursor).toEqual({ anchor: { i: 1 }, head: { i: 2 } });

    a.destroy();
    await waitFor(() => b.binding.view().peers.length === 0, 5_000, "presence removed on close");
  });

  it("a VIEWER receives edits, but its own edit is refused, not stored, not broadcast, and it is told", async () => {
    const viewerCookie = await login(server.url, VIEWER_EMAIL);
    const editor = provider(docs[2]);
    await synced(editor);
    editor.text.insert(0, "公開中のカルテ");
    await synced(editor);
    const viewer = provider(docs[2], viewerCookie);
    await synced(viewer);
    expect(viewer.binding.view().readOnly).toBe(true);
    expect(viewer.text.toString()).toBe("公開中のカルテ");
    const before = await rows(docs[2]);

    viewer.text.insert(0, "改ざん");
    await waitFor(() => viewer.binding.view().refusedReason === "read_only", 5_000, "refusal");
    expect(viewer.binding.view().saveState).toBe("error");
    await new Promise((r) => setTimeout(r, 200));
    expect(editor.text.toString()).toBe("公開中のカルテ");
    expect(await rows(docs[2])).toBe(before);

    // (The viewer's refused text stays in its own copy; the UI shows it read-only.)
    editor.text.insert(editor.text.length, "（更新）");
    await waitFor(() => viewer.text.toString().endsWith("公開中のカルテ（更新）"), 5_000, "viewer receives edits");
  });

  it("refuses without a session (4401) and outside the workspace (4403)", async () => {
    expect((await closeOf(`${wsBase(server.url)}/${docs[0]}`)).code).toBe(4401);
    const outsider = await login(server.url, OUTSIDER_EMAIL);
    expect(await closeOf(`${wsBase(server.url)}/${docs[0]}`, outsider)).toEqual({ code: 4403, reason: "not a member" });
    // y-websocket stops retrying on 44xx and says why
    const p = provider(docs[0], outsider);
    await waitFor(() => p.binding.view().closedForGood, 5_000, "terminal close");
    expect(p.binding.view().closeCode).toBe(4403);
  });

  it("'saved' comes only after the row is in PostgreSQL, and peers see the edit only then", async () => {
    const a = provider(docs[3]);
    const b = provider(docs[3]);
    await synced(a, b);
    const savedSeqs: number[] = [];
    a.binding.onSaveEvent((event) => {
      if (event.type === "saved") savedSeqs.push(event.seq);
    });
    const blocker = new pg.Client({ connectionString: server.database.url });
    await blocker.connect();
    try {
      // Writes to the log wait for this lock: the server's INSERT is in flight.
      await blocker.query('BEGIN; LOCK TABLE "CollabUpdate" IN EXCLUSIVE MODE');
      a.text.insert(0, "durable-first");
      await new Promise((r) => setTimeout(r, 400));
      expect(savedSeqs).toEqual([]);
      expect(a.binding.view().saveState).toBe("saving");
      expect(b.text.toString()).toBe("");
      await blocker.query("COMMIT");
    } finally {
      await blocker.end();
    }
    await waitFor(() => savedSeqs.length > 0 && b.text.toString() === "durable-first", 5_000, "saved after commit");
    const logged = await server.services.prisma.collabUpdate.findMany({ where: { docName: docs[3] } });
    expect(logged.length).toBeGreaterThan(0);
    expect(a.binding.view().saveState).toBe("saved");
  });

  it("logging out closes the session's document connections within 1 s (4401)", async () => {
    const session = await login(server.url);
    const p = provider(docs[0], session);
    await synced(p);
    const started = Date.now();
    const response = await sendJson(server.url, "POST", "/api/auth/logout", {}, session);
    expect(response.status).toBeLessThan(400);
    await waitFor(() => p.closes.some((c) => c.code === 4401), 1_000, "close on logout");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
