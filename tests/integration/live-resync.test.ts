import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LiveWorkspaceClient, type LiveChangeBatch, type LiveSnapshot } from "../../app/features/live/live-workspace-client.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { EMAILS, sleep, type LiveTestSocket } from "./live-support.ts";

/**
 * End to end with the browser's own client code (LiveWorkspaceClient, the core of
 * useLiveWorkspace): a client that missed changes resyncs over HTTP and hands every change to the
 * caller exactly once, in version order.
 */
describe("live resync (client ↔ server)", () => {
  let server: TestServer;
  let cookie: string;
  let workspaceId: string;
  let orgId: string;
  const clients: LiveWorkspaceClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await login(server.url, EMAILS.coordinator);
    const workspace = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0];
    workspaceId = workspace.id;
    orgId = workspace.memberships[0].organizationId;
  });
  afterEach(() => clients.splice(0).forEach((c) => c.stop()));
  afterAll(async () => {
    await server?.stop();
  });

  const version = async (): Promise<number> => (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0].version;

  /** One committed change (a new resource); returns its id. */
  async function change(name: string): Promise<string> {
    const created = await sendJson(
      server.url,
      "POST",
      `/api/v1/workspaces/${workspaceId}/resources`,
      { ownerOrgId: orgId, kind: "PLACE", category: "classroom", name, lat: 35.5, lng: 139.5 },
      cookie,
    );
    expect(created.status).toBe(201);
    return created.body.id;
  }

  function startClient(initialVersion: number | null, extra: { resyncPageSize?: number; reconnectionDelay?: number } = {}) {
    const batches: LiveChangeBatch[] = [];
    const fetches: string[] = [];
    const client = new LiveWorkspaceClient({
      workspaceId,
      initialVersion,
      board: "kanban",
      url: server.url,
      gapGraceMs: 100,
      resyncPageSize: extra.resyncPageSize,
      socketOptions: {
        transports: ["websocket"],
        extraHeaders: { cookie },
        reconnectionDelay: extra.reconnectionDelay ?? 100,
        reconnectionDelayMax: extra.reconnectionDelay ?? 100,
      },
      fetch: (input, init) => {
        fetches.push(String(input));
        return fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } });
      },
      onChanges: (batch) => batches.push(batch),
    });
    clients.push(client);
    client.start();
    const versions = () => batches.flatMap((b) => b.changes.map((c) => c.version));
    return { client, batches, fetches, versions };
  }

  function until(client: LiveWorkspaceClient, predicate: (s: LiveSnapshot) => boolean, ms = 3_000): Promise<LiveSnapshot> {
    return new Promise((resolve, reject) => {
      if (predicate(client.getSnapshot())) return resolve(client.getSnapshot());
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`timed out; snapshot ${JSON.stringify(client.getSnapshot())}`));
      }, ms);
      const unsubscribe = client.subscribe(() => {
        if (!predicate(client.getSnapshot())) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(client.getSnapshot());
      });
    });
  }

  it("a client that joins late fetches what it missed (following hasMore), then goes on live", async () => {
    const loadedAt = await version(); // the page's loader read the data here…
    const missed = [await change("見逃した変更 1"), await change("見逃した変更 2"), await change("見逃した変更 3")];
    const { client, batches, fetches, versions } = startClient(loadedAt, { resyncPageSize: 2 }); // …and the socket connects later

    await until(client, (s) => s.connection === "connected" && s.lastVersion === loadedAt + 3);
    expect(batches).toHaveLength(1);
    expect(batches[0].source).toBe("resync");
    expect(batches[0].changes.map((c) => [c.version, c.entity, c.entityId])).toEqual(
      missed.map((id, i) => [loadedAt + 1 + i, "resource", id]),
    );
    expect(fetches.map((f) => new URL(f).searchParams.get("since"))).toEqual([String(loadedAt), String(loadedAt + 2)]);

    const liveId = await change("ライブの変更");
    await until(client, (s) => s.lastVersion === loadedAt + 4);
    expect(batches[1]).toMatchObject({ source: "live", changes: [{ version: loadedAt + 4, entityId: liveId, data: { resourceId: liveId } }] });
    expect(versions()).toEqual([loadedAt + 1, loadedAt + 2, loadedAt + 3, loadedAt + 4]);
  });

  it("a missed live event (a version gap) triggers a resync that returns the missing change", async () => {
    const { client, batches, fetches, versions } = startClient(null);
    const joined = await until(client, (s) => s.connection === "connected" && s.lastVersion !== null);
    const base = joined.lastVersion!;
    // Simulate a lost broadcast: the client's socket is taken out of the room behind the client's
    // back, a change commits, and it is put back (the reducer never hears about any of it).
    const socket = (client as unknown as { socket: LiveTestSocket }).socket;
    expect(await socket.emitWithAck("workspace:leave", { workspaceId })).toEqual({ ok: true });
    const lost = await change("届かなかった変更");
    expect((await socket.emitWithAck("workspace:join", { workspaceId })).ok).toBe(true);
    const after = await change("次の変更");

    await until(client, (s) => s.lastVersion === base + 2);
    expect(fetches.map((f) => new URL(f).searchParams.get("since"))).toEqual([String(base)]);
    expect(batches.map((b) => [b.source, b.changes.map((c) => c.entityId)])).toEqual([["resync", [lost, after]]]);
    // The live event's data survives the merge with the feed row of the same version.
    expect(batches[0].changes[1].data).toMatchObject({ resourceId: after });
    expect(versions()).toEqual([base + 1, base + 2]);
  });

  it("after a dropped connection it reconnects by itself, rejoins and resyncs what happened meanwhile", async () => {
    const { client, batches, versions } = startClient(null, { reconnectionDelay: 300 });
    const joined = await until(client, (s) => s.connection === "connected" && s.lastVersion !== null);
    const base = joined.lastVersion!;
    const states: string[] = [joined.connection];
    client.subscribe(() => {
      const state = client.getSnapshot().connection;
      if (states[states.length - 1] !== state) states.push(state);
    });

    // The network drops (the transport closes under the client).
    const socket = (client as unknown as { socket: LiveTestSocket }).socket;
    socket.io.engine.close();
    await until(client, (s) => s.connection === "reconnecting");
    const meanwhile = await change("切断中の変更");

    await until(client, (s) => s.connection === "connected" && s.lastVersion === base + 1);
    expect(states).toEqual(["connected", "reconnecting", "connected"]);
    expect(batches).toEqual([{ source: "resync", changes: [expect.objectContaining({ version: base + 1, entityId: meanwhile })] }]);
    // Presence came back with the rejoin.
    expect(client.getSnapshot().present.map((p) => p.board)).toContain("kanban");

    await change("再接続後の変更");
    await until(client, (s) => s.lastVersion === base + 2);
    expect(versions()).toEqual([base + 1, base + 2]);
  });

  it("sendCommand answers typed acks through the client; logout takes it offline", async () => {
    const ownCookie = await login(server.url, EMAILS.coordinator);
    const client = new LiveWorkspaceClient({
      workspaceId,
      url: server.url,
      socketOptions: { transports: ["websocket"], extraHeaders: { cookie: ownCookie } },
    });
    clients.push(client);
    client.start();
    await until(client, (s) => s.connection === "connected");
    const match = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/matches?limit=1`, ownCookie)).body.items[0];
    const stale = await client.sendCommand("match:move", { matchId: match.id, stage: "DECLINED", expectedVersion: match.version + 5 });
    expect(stale).toMatchObject({ ok: false, code: "conflict", current: { id: match.id, version: match.version } });
    const moved = await client.sendCommand("match:move", { matchId: match.id, stage: "DECLINED", expectedVersion: match.version });
    expect(moved).toMatchObject({ ok: true, entity: { stage: "DECLINED" } });

    await sendJson(server.url, "POST", "/api/auth/logout", {}, ownCookie);
    const offline = await until(client, (s) => s.connection === "offline");
    expect(offline.offlineReason).toBe("logged_out");
    await sleep(300);
    expect(client.getSnapshot().connection).toBe("offline"); // it does not try to come back
    expect(await client.sendCommand("match:move", { matchId: match.id, stage: "SUGGESTED", expectedVersion: 1 })).toMatchObject({
      ok: false,
      code: "unavailable",
    });
  });

  it("one shared connection: pages follow it from their own versions, each change once, in order", async () => {
    const shared = new LiveWorkspaceClient({
      workspaceId,
      board: "home",
      url: server.url,
      socketOptions: { transports: ["websocket"], extraHeaders: { cookie } },
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } }),
    });
    clients.push(shared);
    const page = () => {
      const batches: LiveChangeBatch[] = [];
      const resets: number[] = [];
      return {
        batches,
        resets,
        follower: { onChanges: (b: LiveChangeBatch) => batches.push(b), onReset: (v: number) => resets.push(v) },
        versions: () => batches.flatMap((b) => b.changes.map((c) => c.version)),
      };
    };

    // The page's loader read the data, two changes commit, then the layout's connection starts:
    // the page's version becomes the connection's baseline and the join resyncs from it.
    const loadedAt = await version();
    const a = page();
    shared.follow({ ...a.follower, initialVersion: loadedAt });
    const first = [await change("共有 1"), await change("共有 2")];
    shared.start();
    await until(shared, (s) => s.connection === "connected" && s.lastVersion === loadedAt + 2);
    expect(a.batches.map((b) => [b.source, b.changes.map((c) => c.entityId)])).toEqual([["resync", first]]);

    // A page loaded one change ago attaches later: that change comes from the connection's history.
    const b = page();
    shared.follow({ ...b.follower, initialVersion: loadedAt + 1 });
    expect(b.batches.map((x) => [x.source, x.changes.map((c) => c.version)])).toEqual([["replay", [loadedAt + 2]]]);

    // A page from before anything this connection handed over has to reload.
    const stale = page();
    shared.follow({ ...stale.follower, initialVersion: loadedAt - 1 });
    expect(stale.resets).toEqual([loadedAt + 2]);
    expect(stale.batches).toEqual([]);

    // Live: every follower gets the next change once; one that stopped following gets nothing.
    const unfollowA = shared.follow({ ...page().follower, initialVersion: loadedAt + 2 });
    unfollowA();
    const live = await change("共有 3");
    await until(shared, (s) => s.lastVersion === loadedAt + 3);
    expect(a.versions()).toEqual([loadedAt + 1, loadedAt + 2, loadedAt + 3]);
    expect(b.versions()).toEqual([loadedAt + 2, loadedAt + 3]);
    expect(stale.versions()).toEqual([loadedAt + 3]);
    expect(a.batches.at(-1)).toMatchObject({ source: "live", changes: [{ entityId: live }] });

    // The board a page claims is the one others see; releasing it goes back to the connection's own.
    const release = shared.claimBoard("kanban");
    await until(shared, (s) => s.present.some((p) => p.board === "kanban"));
    expect(shared.getSnapshot().present.filter((p) => p.board === "home")).toEqual([]);
    release();
    await until(shared, (s) => s.present.some((p) => p.board === "home") && !s.present.some((p) => p.board === "kanban"));
  });
});
