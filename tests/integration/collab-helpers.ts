/**
 * Shared by the collab-*.test.ts files: y-websocket's own WebsocketProvider in Node, with a
 * `ws` WebSocket that carries the session cookie, bound to our protocol additions exactly as
 * the browser hook binds it (app/features/collab/collab-binding.ts).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { bindCollab, type CollabBinding } from "../../app/features/collab/collab-binding.ts";
import { getJson } from "../setup/test-server.ts";

export const VIEWER_EMAIL = "viewer@tsunagu.example";
export const OUTSIDER_EMAIL = "resident@tsunagu.example";

/** A `ws` WebSocket class that sends the cookie (and nothing else differs). */
export function socketWithCookie(cookie?: string): unknown {
  return class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: cookie ? { cookie } : {} });
    }
  };
}

export interface TestProvider {
  doc: Y.Doc;
  provider: WebsocketProvider;
  binding: CollabBinding;
  text: Y.Text;
  closes: Array<{ code: number; reason: string }>;
  destroy(): void;
}

/** The `chart:<areaId>` documents of the coordinator's first workspace. */
export async function chartDocs(baseUrl: string, cookie: string): Promise<string[]> {
  const workspaceId = (await getJson(baseUrl, "/api/v1/workspaces", cookie)).body.items[0].id;
  const areas = (await getJson(baseUrl, `/api/v1/workspaces/${workspaceId}/areas`, cookie)).body.items as Array<{ id: string }>;
  return areas.map((a) => `chart:${a.id}`);
}

export function wsBase(baseUrl: string): string {
  return `${baseUrl.replace("http://", "ws://")}/yjs`;
}

export function openProvider(baseUrl: string, docName: string, cookie?: string, options: { maxBackoffTime?: number } = {}): TestProvider {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsBase(baseUrl), docName, doc, {
    connect: false,
    disableBc: true, // in one process, BroadcastChannel would carry updates past the server
    WebSocketPolyfill: socketWithCookie(cookie) as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: options.maxBackoffTime ?? 2_500,
  });
  const binding = bindCollab(provider);
  const closes: TestProvider["closes"] = [];
  provider.on("connection-close", (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  provider.connect();
  return {
    doc,
    provider,
    binding,
    text: doc.getText("chart"),
    closes,
    destroy() {
      binding.destroy();
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function synced(...providers: TestProvider[]): Promise<void> {
  await waitFor(() => providers.every((p) => p.provider.synced && p.binding.view().saveState === "saved"), 10_000, "providers synced and saved");
}

/** Opens a raw WebSocket and resolves with how the server closed it. */
export function closeOf(url: string, cookie?: string): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.once("error", reject);
  });
}

export function varUint(n: number): number[] {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, n);
  return [...encoding.toUint8Array(encoder)];
}

/**
 * A light protocol client on a raw `ws` socket (no provider): answers the server's sync step 1,
 * sends updates, and records when each `saved` arrives. For load and churn tests.
 */
export class RawClient {
  readonly doc = new Y.Doc();
  readonly ws: WebSocket;
  /** seq → performance.now() when sent / saved */
  readonly sentAt = new Map<number, number>();
  readonly savedAt = new Map<number, number>();
  private seq = 0;
  readonly ready: Promise<void>;
  closed: { code: number; reason: string } | null = null;

  constructor(url: string, cookie: string) {
    this.ws = new WebSocket(url, { headers: { cookie } });
    this.ws.binaryType = "nodebuffer";
    this.ws.on("error", () => {});
    this.ws.on("close", (code, reason) => (this.closed = { code, reason: reason.toString() }));
    let resolveReady!: () => void;
    this.ready = new Promise((resolve) => (resolveReady = resolve));
    this.ws.on("message", (data: Buffer) => {
      const message = new Uint8Array(data);
      if (message[0] === 0 && message[1] === 0) {
        // server's sync step 1 → our sync step 2 (seq 1)
        const decoder = decoding.createDecoder(message.subarray(1));
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, 0);
        syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
        this.send(encoding.toUint8Array(reply));
        resolveReady();
      } else if (message[0] === 100) {
        const seq = decoding.readVarUint(decoding.createDecoder(message.subarray(1)));
        this.savedAt.set(seq, performance.now());
      }
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, 2);
      encoding.writeVarUint8Array(encoder, update);
      this.send(encoding.toUint8Array(encoder));
    });
  }

  private send(message: Uint8Array) {
    this.sentAt.set(++this.seq, performance.now());
    this.ws.send(message);
  }

  get sent(): number {
    return this.seq;
  }

  close(): void {
    this.ws.close();
    this.doc.destroy();
  }
}

