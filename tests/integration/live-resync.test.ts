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
});
