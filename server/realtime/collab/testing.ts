/**
 * Helpers for the collab unit tests: a seeded PRNG, a generator of well-formed but adversarial
 * updates, and an in-process client that speaks the /yjs/ protocol to a CollabServer through a
 * fake transport (no sockets).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import {
  messageAccess,
  messageAwareness,
  messageRefused,
  messageSaved,
  messageSync,
  readAccess,
  readRefused,
  readSaved,
} from "../../../app/features/collab/protocol.ts";
import type { CollabServer } from "./collab-server.ts";
import type { CollabConnection, ConnectionIdentity } from "./connection.ts";

/** mulberry32: a small seeded PRNG, so that a failing fuzz case can be replayed. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random but well-formed updates that refer to real items of `base`: they pass the scan often. */
export function craftUpdate(random: () => number, base: Y.Doc): Uint8Array {
  const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)];
  const existing: Array<[number, number]> = [];
  for (const [client, structs] of base.store.clients) {
    for (const struct of structs) existing.push([client, struct.id.clock + Math.floor(random() * struct.length)]);
  }
  const encoder = encoding.createEncoder();
  const own = random() < 0.3 ? pick([...base.store.clients.keys()]) : 1 + Math.floor(random() * 1000);
  let clock = Math.floor(random() < 0.5 ? Y.getState(base.store, own) : random() * 5);
  const count = 1 + Math.floor(random() * 4);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, count);
  encoding.writeVarUint(encoder, own);
  encoding.writeVarUint(encoder, clock);
  const ref = (): [number, number] => (random() < 0.8 || clock === 0 ? pick(existing) : [own, Math.floor(random() * clock)]);
  for (let i = 0; i < count; i++) {
    const kind = random();
    if (kind < 0.1) {
      const len = 1 + Math.floor(random() * 3);
      encoding.writeUint8(encoder, random() < 0.5 ? 0 : 10);
      encoding.writeVarUint(encoder, len);
      clock += len;
      continue;
    }
    const content = 1 + Math.floor(random() * 8);
    const hasOrigin = random() < 0.5;
    const hasRight = random() < 0.3;
    const hasSub = !hasOrigin && !hasRight && random() < 0.3;
    encoding.writeUint8(encoder, content | (hasOrigin ? 128 : 0) | (hasRight ? 64 : 0) | (hasSub ? 32 : 0));
    for (const present of [hasOrigin, hasRight]) {
      if (!present) continue;
      const [c, k] = ref();
      encoding.writeVarUint(encoder, c);
      encoding.writeVarUint(encoder, k);
    }
    if (!hasOrigin && !hasRight) {
      if (random() < 0.5) {
        encoding.writeVarUint(encoder, 1);
        encoding.writeVarString(encoder, pick(["chart", "meta", "items", "prose", "other"]));
      } else {
        encoding.writeVarUint(encoder, 0);
        const [c, k] = ref();
        encoding.writeVarUint(encoder, c);
        encoding.writeVarUint(encoder, k);
      }
      if (hasSub) encoding.writeVarString(encoder, pick(["title", "k", "x"]));
    }
    let length = 1;
    switch (content) {
      case 1:
        length = 1 + Math.floor(random() * 3);
        encoding.writeVarUint(encoder, length);
        break;
      case 2:
        encoding.writeVarUint(encoder, 1);
        encoding.writeVarString(encoder, pick(["1", "undefined", '{"a":1}']));
        break;
      case 3:
        encoding.writeVarUint8Array(encoder, new Uint8Array([1, 2]));
        break;
      case 4: {
        const text = pick(["a", "ab", "😀", "漢字"]);
        encoding.writeVarString(encoder, text);
        length = text.length;
        break;
      }
      case 5:
        encoding.writeVarString(encoder, '{"image":"x"}');
        break;
      case 6:
        encoding.writeVarString(encoder, "bold");
        encoding.writeVarString(encoder, pick(["true", "null"]));
        break;
      case 7: {
        const type = Math.floor(random() * 7);
        encoding.writeVarUint(encoder, type);
        if (type === 3 || type === 5) encoding.writeVarString(encoder, "p");
        break;
      }
      case 8:
        encoding.writeVarUint(encoder, 1);
        encoding.writeAny(encoder, pick([1, "s", null, { a: [1] }]));
        break;
    }
    clock += length;
  }
  const deletes = Math.floor(random() * 3);
  encoding.writeVarUint(encoder, deletes);
  for (let i = 0; i < deletes; i++) {
    const [c, k] = pick(existing);
    encoding.writeVarUint(encoder, c);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, k);
    encoding.writeVarUint(encoder, 1 + Math.floor(random() * 4));
  }
  return encoding.toUint8Array(encoder);
}


export function identity(userId = "u1", name = "テスト太郎"): ConnectionIdentity {
  return { userId, sessionId: `s-${userId}`, name, organization: "みどり区社会福祉協議会", color: "#1a56db" };
}

/** Runs queued microtasks, immediates and the in-memory store's promises until `done()`. */
export async function until(done: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error("condition not reached in time");
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * A protocol client in the same process: a Y.Doc, an Awareness, and a fake transport to the
 * server. Messages travel as microtasks in both directions, like a network that never drops.
 */
export class TestClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly saved: number[] = [];
  readonly refused: Array<{ seq: number; reason: string }> = [];
  readonly received: Uint8Array[] = [];
  closed: { code: number; reason: string } | null = null;
  readOnly: boolean | null = null;
  synced = false;
  /** Update-bearing messages sent (their seq numbers are 1..sent). */
  sent = 0;
  conn!: CollabConnection;

  private constructor() {
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this || this.closed) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      syncProtocol.writeUpdate(encoder, update);
      this.sent++;
      this.send(encoding.toUint8Array(encoder));
    });
  }

  static async connect(server: CollabServer, docName: string, options: { readOnly?: boolean; identity?: ConnectionIdentity } = {}) {
    const client = new TestClient();
    client.conn = await server.connect(
      {
        send: (message) => {
          const copy = new Uint8Array(message);
          queueMicrotask(() => client.onMessage(copy));
        },
        // After the messages sent before it, like a close frame.
        close: (code, reason) => queueMicrotask(() => void (client.closed ??= { code, reason })),
        bufferedAmount: 0,
      },
      { docName, identity: options.identity ?? identity(), readOnly: options.readOnly ?? false },
    );
    // Like y-websocket on open: sync step 1, then our awareness.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeSyncStep1(encoder, client.doc);
    client.send(encoding.toUint8Array(encoder));
    return client;
  }

  send(message: Uint8Array): void {
    const copy = new Uint8Array(message);
    queueMicrotask(() => this.conn.receive(copy));
  }

  private onMessage(message: Uint8Array) {
    if (this.closed) return;
    this.received.push(message);
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync: {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, messageSync);
        const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
        if (syncType === syncProtocol.messageYjsSyncStep2) this.synced = true;
        if (encoding.length(encoder) > 1) {
          this.sent++; // our sync step 2
          this.send(encoding.toUint8Array(encoder));
        }
        break;
      }
      case messageAwareness:
        awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
        break;
      case messageSaved:
        this.saved.push(readSaved(decoder));
        break;
      case messageRefused:
        this.refused.push(readRefused(decoder));
        break;
      case messageAccess:
        this.readOnly = readAccess(decoder).readOnly;
        break;
      default:
        throw new Error(`unexpected message type ${type}`);
    }
  }

  /** Publishes this client's awareness state. */
  announce(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageAwareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    this.send(encoding.toUint8Array(encoder));
  }

  get text(): string {
    return this.doc.getText("chart").toString();
  }

  /** Everything this client sent is acknowledged (saved or refused). */
  get settled(): boolean {
    const last = Math.max(0, ...this.saved, ...this.refused.map((r) => r.seq));
    return last >= this.sent;
  }

  destroy(): void {
    this.conn.transportClosed();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
