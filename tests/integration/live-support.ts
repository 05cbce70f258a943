import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/lib/realtime/events.ts";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";

/** Shared helpers of the tests/integration/live-*.test.ts files. */
export type LiveTestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const EMAILS = {
  coordinator: "coordinator@tsunagu.example",
  npo: "npo@tsunagu.example",
  viewer: "viewer@tsunagu.example",
  admin: "shakyo-admin@tsunagu.example",
  member: "member@tsunagu.example",
} as const;

export function openSocket(url: string, cookie: string): LiveTestSocket {
  return connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: { cookie },
  });
}

export function connected(socket: LiveTestSocket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

/** Logs in, connects and joins the user's first workspace; returns what tests need. */
export async function joinedSocket(url: string, email: string) {
  const cookie = await login(url, email);
  const workspaceId: string = (await getJson(url, "/api/v1/workspaces", cookie)).body.items[0].id;
  const socket = openSocket(url, cookie);
  await connected(socket);
  const ack = await socket.emitWithAck("workspace:join", { workspaceId });
  if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack)}`);
  return { cookie, workspaceId, socket, version: ack.version };
}

export type JoinedSocket = Awaited<ReturnType<typeof joinedSocket>>;

/**
 * A seeded test server and three joined sockets of one workspace — the coordinator (a), an NPO
 * member (b) and a VIEWER — as the meeting-mode suites use them. `close` also disconnects any
 * socket pushed to `sockets`.
 */
export async function openMeetingRoom() {
  const server: TestServer = await startTestServer();
  const a = await joinedSocket(server.url, EMAILS.coordinator);
  const b = await joinedSocket(server.url, EMAILS.npo);
  const viewer = await joinedSocket(server.url, EMAILS.viewer);
  const sockets: LiveTestSocket[] = [a.socket, b.socket, viewer.socket];
  return {
    server,
    a,
    b,
    viewer,
    workspaceId: a.workspaceId,
    sockets,
    async close() {
      sockets.forEach((s) => s.disconnect());
      await server.stop();
    },
  };
}

/** Resolves with the next `event` payload matching `filter`, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: LiveTestSocket,
  event: E,
  filter: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 3_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!filter(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

/** Resolves when the socket is disconnected, with the reason and the time it happened. */
export function disconnection(socket: LiveTestSocket, ms = 3_000): Promise<{ reason: string; at: number }> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return resolve({ reason: "already disconnected", at: performance.now() });
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve({ reason, at: performance.now() });
    });
  });
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
