/**
 * Awareness (presence) messages from clients, decoded with bounds and re-encoded after the server
 * stamped who the sender is. The y-protocols format: varUint count, then per entry clientID,
 * clock and a JSON string (the state, or `null` when the client left).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

export interface AwarenessEntry {
  clientID: number;
  clock: number;
  state: Record<string, unknown> | null;
}

export interface AwarenessLimits {
  /**
   * Entries per message. y-websocket's provider re-sends every awareness update it receives
   * (other people's states included), so a client in a busy document legitimately sends messages
   * with one entry per person there. Entries for ids the connection does not own are dropped
   * (document.ts), so this only bounds decoding work; the message size limit bounds it too.
   * @default 1024
   */
  maxEntries: number;
  /** Bytes of one state's JSON. @default 16_384 */
  maxStateBytes: number;
}

export const DEFAULT_AWARENESS_LIMITS: AwarenessLimits = { maxEntries: 1024, maxStateBytes: 16_384 };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The entries' ids and clocks without decoding their states: the cheap first look at a message.
 * `isNull` is true when the state is JSON `null` (a client leaving). Null on a malformed message.
 */
export function scanAwarenessUpdate(
  update: Uint8Array,
  limits: AwarenessLimits = DEFAULT_AWARENESS_LIMITS,
): Array<{ clientID: number; clock: number; isNull: boolean }> | null {
  try {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    if (count > limits.maxEntries) return null;
    const entries: Array<{ clientID: number; clock: number; isNull: boolean }> = [];
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const len = decoding.readVarUint(d);
      if (len > limits.maxStateBytes || len > d.arr.length - d.pos) return null;
      const a = d.arr;
      const p = d.pos;
      entries.push({ clientID, clock, isNull: len === 4 && a[p] === 0x6e && a[p + 1] === 0x75 && a[p + 2] === 0x6c && a[p + 3] === 0x6c });
      d.pos += len;
    }
    return d.pos === d.arr.length ? entries : null;
  } catch {
    return null;
  }
}

export function decodeAwarenessUpdate(
  update: Uint8Array,
  limits: AwarenessLimits = DEFAULT_AWARENESS_LIMITS,
): { ok: true; entries: AwarenessEntry[] } | { ok: false; reason: string } {
  try {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    if (count > limits.maxEntries) return { ok: false, reason: "too many awareness entries" };
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const len = decoding.readVarUint(d);
      if (len > limits.maxStateBytes) return { ok: false, reason: "awareness state too large" };
      if (len > d.arr.length - d.pos) return { ok: false, reason: "malformed awareness update" };
      const text = utf8.decode(d.arr.subarray(d.pos, d.pos + len));
      d.pos += len;
      const state: unknown = JSON.parse(text);
      if (state !== null && (typeof state !== "object" || Array.isArray(state))) {
        return { ok: false, reason: "awareness state must be an object or null" };
      }
      if (clientID > 0xffffffff || clock > Number.MAX_SAFE_INTEGER - 1) return { ok: false, reason: "awareness id out of range" };
      entries.push({ clientID, clock, state: state as Record<string, unknown> | null });
    }
    if (d.pos !== d.arr.length) return { ok: false, reason: "trailing bytes" };
    return { ok: true, entries };
  } catch {
    return { ok: false, reason: "malformed awareness update" };
  }
}

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientID);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

export interface PresenceIdentity {
  name: string;
  organization: string | null;
  color: string;
}

/**
 * The server's word on who is who: `user.name`, `user.organization` and `user.color` come from
 * the session, whatever the client claimed; the rest (cursor, selection) is the client's.
 */
export function stampPresence(state: Record<string, unknown>, identity: PresenceIdentity): Record<string, unknown> {
  const claimed = state.user && typeof state.user === "object" && !Array.isArray(state.user) ? (state.user as Record<string, unknown>) : {};
  return { ...state, user: { ...claimed, name: identity.name, organization: identity.organization, color: identity.color } };
}
