/**
 * What server instances tell each other about one loaded document (multi-instance mode, one
 * cluster-bus channel per document). Only committed updates travel: the instance that stored an
 * update publishes it, the others apply it to their copy and send it to their own connections —
 * never storing it again, never publishing it again.
 *
 *   1 updates           varUint count, then each committed update (varUint8Array, Yjs v1)
 *   2 awareness         varUint8Array: an awareness update (y-protocols) of the publisher's clients
 *   3 awareness query   — : "I just loaded this document: tell me who is there"
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { ClusterBus } from "../../cluster/cluster-bus.ts";

export type FanOutMessage =
  | { kind: "updates"; updates: Uint8Array[] }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "awareness-query" };

const KIND = { updates: 1, awareness: 2, "awareness-query": 3 } as const;

export function encodeFanOut(message: FanOutMessage): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, KIND[message.kind]);
  if (message.kind === "updates") {
    encoding.writeVarUint(encoder, message.updates.length);
    for (const update of message.updates) encoding.writeVarUint8Array(encoder, update);
  } else if (message.kind === "awareness") {
    encoding.writeVarUint8Array(encoder, message.update);
  }
  return Buffer.from(encoding.toUint8Array(encoder));
}

/** Null when the payload is not one of ours (a different version of the server, say). */
export function decodeFanOut(payload: Uint8Array): FanOutMessage | null {
  try {
    const decoder = decoding.createDecoder(payload);
    const kind = decoding.readUint8(decoder);
    let message: FanOutMessage;
    if (kind === KIND.updates) {
      const count = decoding.readVarUint(decoder);
      const updates: Uint8Array[] = [];
      for (let i = 0; i < count; i++) updates.push(decoding.readVarUint8Array(decoder));
      message = { kind: "updates", updates };
    } else if (kind === KIND.awareness) {
      message = { kind: "awareness", update: decoding.readVarUint8Array(decoder) };
    } else if (kind === KIND["awareness-query"]) {
      message = { kind: "awareness-query" };
    } else {
      return null;
    }
    return decoding.hasContent(decoder) ? null : message;
  } catch {
    return null;
  }
}

/** How a CollabServer reaches the other instances. */
export interface CollabFanOut {
  bus: ClusterBus;
  /** The channel of one document (server/cluster/cluster.ts `names.yjs`). */
  channel(docName: string): string;
}
