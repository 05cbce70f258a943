/**
 * Bounded pre-scan of untrusted Yjs v1 updates and state vectors, before anything is stored or
 * applied. Yjs trusts its input: a crafted update can declare billions of structs (yjs issue 687),
 * make `readClientsStructRefs` allocate or spin, or carry a zero-length item that only throws
 * while integrating (after we would already have appended it to the log). This scanner walks the
 * same format as `Y.applyUpdate` (yjs src/utils/encoding.js, UpdateDecoderV1), but:
 *  - every declared count is checked against the bytes left before looping (each struct, delete
 *    range or entry needs at least 2 bytes), so work is linear in the message size;
 *  - reads past the end throw (lib0's `readUint8` does not);
 *  - content refs, type refs, JSON and `any` values are validated the way the decoder would use
 *    them, with a depth limit; zero-length items, subdocuments and trailing bytes are refused.
 * It allocates nothing per struct except a small summary used to tell new content from old.
 */
import * as decoding from "lib0/decoding";

export interface UpdateScanLimits {
  /** @default 200_000 */
  maxStructs: number;
  /** @default 200_000 */
  maxDeleteRanges: number;
  /** Largest clock (or clock + length) accepted. @default 2 ** 40 */
  maxClock: number;
  /** Distinct root type names one update may name. @default 16 */
  maxRootNames: number;
  /** Nesting depth of `any` content. @default 32 */
  maxAnyDepth: number;
  /** Longest root name / map key / format key, in bytes. @default 256 */
  maxKeyBytes: number;
}

export const DEFAULT_SCAN_LIMITS: UpdateScanLimits = {
  maxStructs: 200_000,
  maxDeleteRanges: 200_000,
  maxClock: 2 ** 40,
  maxRootNames: 16,
  maxAnyDepth: 32,
  maxKeyBytes: 256,
};

/** What an update contains, enough to tell whether a document already has all of it. */
export interface UpdateSummary {
  structs: number;
  deleteRanges: number;
  /** Per client section: the clock after its last struct that is not a skip (0 when none). */
  structEnds: Array<{ client: number; end: number }>;
  deletes: Array<{ client: number; clock: number; len: number }>;
  rootNames: string[];
}

export type ScanResult = { ok: true; summary: UpdateSummary } | { ok: false; reason: string };

class ScanError extends Error {}

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;

function fail(reason: string): never {
  throw new ScanError(reason);
}

function remaining(d: decoding.Decoder): number {
  return d.arr.length - d.pos;
}

function byte(d: decoding.Decoder): number {
  if (d.pos >= d.arr.length) fail("unexpected end");
  return d.arr[d.pos++];
}

/**
 * lib0's readVarUint throws at the end of the array, but its last byte can still carry the value
 * past MAX_SAFE_INTEGER (it checks before adding it).
 */
function varUint(d: decoding.Decoder): number {
  const n = decoding.readVarUint(d);
  if (n > Number.MAX_SAFE_INTEGER) fail("integer out of range");
  return n;
}

/** Yjs client ids are unsigned 32-bit numbers; a bigger one cannot be encoded back. */
function clientId(d: decoding.Decoder): number {
  const n = varUint(d);
  if (n > 0xffffffff) fail("client id out of range");
  return n;
}

function skipBytes(d: decoding.Decoder, n: number) {
  if (n > remaining(d)) fail("length beyond end");
  d.pos += n;
}

function varBytesLength(d: decoding.Decoder): number {
  const len = varUint(d);
  if (len > remaining(d)) fail("length beyond end");
  return len;
}

/** Same decoder as lib0's readVarString: invalid UTF-8 throws there, so it is refused here. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function readString(d: decoding.Decoder, maxBytes = Infinity): string {
  const len = varBytesLength(d);
  if (len > maxBytes) fail("key too long");
  let text: string;
  try {
    text = utf8.decode(d.arr.subarray(d.pos, d.pos + len));
  } catch {
    fail("invalid UTF-8");
  }
  d.pos += len;
  return text;
}

function skipVarInt(d: decoding.Decoder) {
  // lib0 readVarInt: first byte has 6 value bits, a sign bit and a continuation bit.
  let r = byte(d);
  let groups = 0;
  while (r & BIT8) {
    if (++groups > 8) fail("integer too long");
    r = byte(d);
  }
}

function checkJson(text: string) {
  try {
    JSON.parse(text);
  } catch {
    fail("invalid JSON content");
  }
}

function skipAny(d: decoding.Decoder, depth: number, limits: UpdateScanLimits) {
  if (depth > limits.maxAnyDepth) fail("value nested too deeply");
  const tag = byte(d);
  switch (tag) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125:
      return skipVarInt(d);
    case 124:
      return skipBytes(d, 4);
    case 123:
    case 122:
      return skipBytes(d, 8);
    case 119:
      readString(d);
      return;
    case 118: {
      const len = varUint(d);
      if (len > remaining(d) / 2) fail("object size beyond end");
      for (let i = 0; i < len; i++) {
        readString(d);
        skipAny(d, depth + 1, limits);
      }
      return;
    }
    case 117: {
      const len = varUint(d);
      if (len > remaining(d)) fail("array size beyond end");
      for (let i = 0; i < len; i++) skipAny(d, depth + 1, limits);
      return;
    }
    case 116:
      return skipBytes(d, varBytesLength(d));
    default:
      fail("unknown value tag");
  }
}

/** Reads one item's content; returns its length in clock units. */
function scanContent(d: decoding.Decoder, ref: number, limits: UpdateScanLimits): number {
  switch (ref) {
    case 1: {
      // deleted
      const len = varUint(d);
      if (len < 1) fail("empty item");
      return len;
    }
    case 2: {
      // JSON (legacy arrays)
      const len = varUint(d);
      if (len < 1) fail("empty item");
      if (len > remaining(d)) fail("item size beyond end");
      for (let i = 0; i < len; i++) {
        const text = readString(d);
        if (text !== "undefined") checkJson(text);
      }
      return len;
    }
    case 3:
      // binary
      skipBytes(d, varBytesLength(d));
      return 1;
    case 4: {
      // string: its length in UTF-16 code units, as Yjs counts it
      const text = readString(d);
      if (text.length < 1) fail("empty item");
      return text.length;
    }
    case 5:
      // embed
      checkJson(readString(d));
      return 1;
    case 6:
      // format: key, then JSON value
      readString(d, limits.maxKeyBytes);
      checkJson(readString(d));
      return 1;
    case 7: {
      // type
      const typeRef = varUint(d);
      if (typeRef > 6) fail("unknown type");
      if (typeRef === 3 || typeRef === 5) readString(d, limits.maxKeyBytes); // XmlElement / XmlHook name
      return 1;
    }
    case 8: {
      // any
      const len = varUint(d);
      if (len < 1) fail("empty item");
      if (len > remaining(d)) fail("item size beyond end");
      for (let i = 0; i < len; i++) skipAny(d, 0, limits);
      return len;
    }
    case 9:
      fail("subdocuments are not supported");
      break;
    default:
      fail("unknown content");
  }
  return 0;
}

function checkClock(clock: number, limits: UpdateScanLimits) {
  if (clock > limits.maxClock) fail("clock out of range");
}

/**
 * An item refers to other items (origin, right origin, parent) by id. Yjs checks that ids of
 * other clients exist before integrating, but assumes that an id of the item's own client is
 * earlier than the item itself (it always is: the referenced item existed when this one was
 * made). A crafted forward reference makes the integration throw half-way.
 */
function checkReference(refClient: number, refClock: number, client: number, clock: number, limits: UpdateScanLimits) {
  checkClock(refClock, limits);
  if (refClient === client && refClock >= clock) fail("reference to a later item of the same client");
}

/** Scans a Yjs v1 update (the body of sync step 2 / update). */
export function scanUpdate(update: Uint8Array, limits: UpdateScanLimits = DEFAULT_SCAN_LIMITS): ScanResult {
  const d = decoding.createDecoder(update);
  const summary: UpdateSummary = { structs: 0, deleteRanges: 0, structEnds: [], deletes: [], rootNames: [] };
  const rootNames = new Set<string>();
  try {
    // Structs, grouped by client.
    const sections = varUint(d);
    if (sections > remaining(d) / 3) fail("client count beyond end");
    for (let s = 0; s < sections; s++) {
      const count = varUint(d);
      if (count > remaining(d) / 2) fail("struct count beyond end");
      summary.structs += count;
      if (summary.structs > limits.maxStructs) fail("too many structs");
      const client = clientId(d);
      let clock = varUint(d);
      checkClock(clock, limits);
      let end = 0;
      for (let i = 0; i < count; i++) {
        const info = byte(d);
        const ref = info & BITS5;
        let length: number;
        if (ref === 0 || ref === 10) {
          // GC or skip: a length
          length = varUint(d);
          if (length < 1) fail("empty struct");
        } else {
          if (info & BIT8) checkReference(clientId(d), varUint(d), client, clock, limits); // origin
          if (info & BIT7) checkReference(clientId(d), varUint(d), client, clock, limits); // right origin
          if ((info & (BIT7 | BIT8)) === 0) {
            if (varUint(d) === 1) {
              const name = readString(d, limits.maxKeyBytes);
              if (!rootNames.has(name)) {
                rootNames.add(name);
                if (rootNames.size > limits.maxRootNames) fail("too many root types");
              }
            } else {
              checkReference(clientId(d), varUint(d), client, clock, limits); // parent item
            }
            if (info & BIT6) readString(d, limits.maxKeyBytes); // parentSub (map key)
          }
          length = scanContent(d, ref, limits);
        }
        clock += length;
        checkClock(clock, limits);
        if (ref !== 10) end = clock;
      }
      summary.structEnds.push({ client, end });
    }
    // Delete set.
    const dsClients = varUint(d);
    if (dsClients > remaining(d) / 2) fail("delete set size beyond end");
    for (let c = 0; c < dsClients; c++) {
      const client = clientId(d);
      const ranges = varUint(d);
      if (ranges > remaining(d) / 2) fail("delete count beyond end");
      summary.deleteRanges += ranges;
      if (summary.deleteRanges > limits.maxDeleteRanges) fail("too many deletions");
      for (let i = 0; i < ranges; i++) {
        const clock = varUint(d);
        const len = varUint(d);
        if (len < 1) fail("empty deletion");
        checkClock(clock + len, limits);
        summary.deletes.push({ client, clock, len });
      }
    }
    if (remaining(d) !== 0) fail("trailing bytes");
  } catch (error) {
    if (error instanceof ScanError) return { ok: false, reason: error.message };
    // lib0: "Unexpected end of array", "Integer out of Range"; TextDecoder never throws here.
    return { ok: false, reason: "malformed update" };
  }
  summary.rootNames = [...rootNames];
  return { ok: true, summary };
}

/** Scans an encoded state vector (the body of sync step 1). */
export function scanStateVector(sv: Uint8Array, limits: UpdateScanLimits = DEFAULT_SCAN_LIMITS): { ok: true } | { ok: false; reason: string } {
  const d = decoding.createDecoder(sv);
  try {
    const n = varUint(d);
    if (n > remaining(d) / 2) fail("state vector size beyond end");
    for (let i = 0; i < n; i++) {
      clientId(d);
      checkClock(varUint(d), limits);
    }
    if (remaining(d) !== 0) fail("trailing bytes");
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof ScanError ? error.message : "malformed state vector" };
  }
}

/** True when the update holds nothing at all (no structs, no deletions). */
export function isEmptySummary(summary: UpdateSummary): boolean {
  return summary.structEnds.every((s) => s.end === 0) && summary.deleteRanges === 0;
}
