import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { rng } from "./testing.ts";
import { isEmptySummary, scanStateVector, scanUpdate } from "./update-scan.ts";

/** A document that uses every kind of content a client can produce. */
function richDoc(): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText("chart");
  text.insert(0, "みどり区の地域カルテ");
  text.format(0, 3, { bold: true });
  text.insertEmbed(2, { image: "pin.png" });
  text.delete(4, 2);
  const map = doc.getMap("meta");
  map.set("title", "会議メモ");
  map.set("count", 3);
  map.set("nested", new Y.Map());
  map.set("bytes", new Uint8Array([1, 2, 3]));
  map.set("list", [1, "two", { three: [3.5, null, true] }]);
  const array = doc.getArray("items");
  array.insert(0, ["a", 1, 2.5, false]);
  array.delete(1, 1);
  const xml = doc.getXmlFragment("prose");
  const element = new Y.XmlElement("paragraph");
  element.setAttribute("align", "left");
  element.insert(0, [new Y.XmlText("hello")]);
  xml.insert(0, [element, new Y.XmlHook("hook") as unknown as Y.XmlElement]);
  return doc;
}

function varUint(n: number): number[] {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, n);
  return [...encoding.toUint8Array(encoder)];
}

describe("scanUpdate", () => {
  it("accepts what Yjs produces: full state, diffs, incremental updates", () => {
    const doc = richDoc();
    const full = Y.encodeStateAsUpdate(doc);
    const result = scanUpdate(full);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.summary.structs).toBeGreaterThan(5);
      expect(result.summary.deleteRanges).toBeGreaterThan(0);
      expect(result.summary.rootNames.sort()).toEqual(["chart", "items", "meta", "prose"]);
    }
    const updates: Uint8Array[] = [];
    const other = new Y.Doc();
    other.on("update", (u: Uint8Array) => updates.push(u));
    Y.applyUpdate(other, full);
    other.getText("chart").insert(1, "追記");
    other.getMap("meta").delete("count");
    for (const update of updates) expect(scanUpdate(update).ok).toBe(true);
    expect(scanUpdate(Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc))).ok).toBe(true);
  });

  it("tells an empty update from one with content", () => {
    const empty = scanUpdate(Y.encodeStateAsUpdate(new Y.Doc()));
    expect(empty.ok && isEmptySummary(empty.summary)).toBe(true);
    const full = scanUpdate(Y.encodeStateAsUpdate(richDoc()));
    expect(full.ok && isEmptySummary(full.summary)).toBe(false);
  });

  it("refuses every strict prefix of a valid update", () => {
    const full = Y.encodeStateAsUpdate(richDoc());
    for (let n = 0; n < full.length; n++) expect(scanUpdate(full.subarray(0, n)).ok).toBe(false);
    expect(scanUpdate(new Uint8Array([...full, 0])).ok).toBe(false); // trailing bytes
  });

  it("refuses counts that the remaining bytes cannot hold (yjs issue 687)", () => {
    const started = performance.now();
    // 1 client section claiming 2^50 structs
    expect(scanUpdate(new Uint8Array([1, ...varUint(2 ** 50), 1, 0, 0, 1, 0]))).toEqual({ ok: false, reason: "struct count beyond end" });
    // 2^40 client sections
    expect(scanUpdate(new Uint8Array([...varUint(2 ** 40), 1, 1, 0, 0, 1, 0])).ok).toBe(false);
    // delete set with 2^45 ranges
    expect(scanUpdate(new Uint8Array([0, 1, 7, ...varUint(2 ** 45), 0, 1])).ok).toBe(false);
    // varint beyond MAX_SAFE_INTEGER
    expect(scanUpdate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])).ok).toBe(false);
    // a GC struct of length 2^52: a clock out of range
    expect(scanUpdate(new Uint8Array([1, 1, 5, 0, 0, ...varUint(2 ** 52), 0])).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("refuses content Yjs would throw on only while integrating, or never produces", () => {
    // one Item section: [sections=1][structs=1][client=5][clock=0][info][parentInfo=1][name "t"] + content, then empty ds
    const item = (info: number, content: number[]) => new Uint8Array([1, 1, 5, 0, info, 1, 1, 116, ...content, 0]);
    expect(scanUpdate(item(4, [1, 120])).ok).toBe(true); // string "x"
    expect(scanUpdate(item(4, [0])).ok).toBe(false); // empty string: a zero-length item
    expect(scanUpdate(item(1, [0])).ok).toBe(false); // deleted length 0
    expect(scanUpdate(item(9, [1, 120, 126])).ok).toBe(false); // subdocument
    expect(scanUpdate(item(11, [0])).ok).toBe(false); // unknown content ref
    expect(scanUpdate(item(7, [7])).ok).toBe(false); // unknown type ref
    expect(scanUpdate(item(5, [1, 123])).ok).toBe(false); // embed with invalid JSON "{"
    expect(scanUpdate(item(4, [2, 0xc3, 0x28])).ok).toBe(false); // invalid UTF-8
    const deep = [1, ...Array(40).fill(117).flatMap((tag) => [tag, 1]), 126];
    expect(scanUpdate(item(8, deep)).ok).toBe(false); // any nested 40 deep
    expect(scanUpdate(item(8, [1, 117, 1, 126])).ok).toBe(true);
  });

  it("caps root type names per update", () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 20; i++) doc.getText(`t${i}`).insert(0, "x");
    expect(scanUpdate(Y.encodeStateAsUpdate(doc))).toEqual({ ok: false, reason: "too many root types" });
  });

  // Longer or other runs: SCAN_FUZZ_N=300000 SCAN_FUZZ_SEED=2 SCAN_DEBUG=1 (prints a failing case).
  it("whatever it accepts, Yjs applies without throwing (mutation fuzz)", () => {
    const base = richDoc();
    const baseState = Y.encodeStateAsUpdate(base);
    const seeds: Uint8Array[] = [];
    const peer = new Y.Doc();
    Y.applyUpdate(peer, baseState);
    peer.on("update", (u: Uint8Array) => seeds.push(u));
    peer.getText("chart").insert(3, "abc");
    peer.getText("chart").delete(0, 2);
    peer.getMap("meta").set("k", { deep: [1, 2] });
    peer.getArray("items").insert(0, [new Y.Text("t")]);
    seeds.push(baseState, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(base)));
    const random = rng(Number(process.env.SCAN_FUZZ_SEED ?? 687));
    const fresh = () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, baseState);
      return doc;
    };
    const accumulating = fresh();
    let accepted = 0;
    const started = performance.now();
    for (let i = 0; i < Number(process.env.SCAN_FUZZ_N ?? 20_000); i++) {
      const seed = seeds[Math.floor(random() * seeds.length)];
      const bytes = new Uint8Array(seed);
      const mutations = 1 + Math.floor(random() * 3);
      let mutated: Uint8Array = bytes;
      for (let m = 0; m < mutations; m++) {
        const kind = random();
        const at = Math.floor(random() * mutated.length);
        if (kind < 0.5) mutated[at] = Math.floor(random() * 256);
        else if (kind < 0.7) mutated = mutated.subarray(0, at);
        else if (kind < 0.85) mutated = new Uint8Array([...mutated.subarray(0, at), Math.floor(random() * 256), ...mutated.subarray(at)]);
        else mutated = new Uint8Array([...mutated.subarray(0, at), ...varUint(2 ** (20 + Math.floor(random() * 30))), ...mutated.subarray(at + 1)]);
      }
      const scan = scanUpdate(mutated);
      if (!scan.ok) continue;
      accepted++;
      // Like the server: a fresh copy of the document, and one that accumulates every accepted
      // update (pending structs and deletions pile up); both must apply, encode and reload.
      for (const target of [fresh(), accumulating]) {
        try {
          Y.applyUpdate(target, mutated);
          if (target !== accumulating || accepted % 50 === 0) Y.applyUpdate(new Y.Doc(), Y.encodeStateAsUpdate(target));
        } catch (error) {
          if (process.env.SCAN_DEBUG) console.log(i, Buffer.from(mutated).toString("hex"), (error as Error).stack);
          throw new Error(`mutation ${i} passed the scan but Yjs threw: ${(error as Error).message}`);
        }
      }
    }
    expect(accepted).toBeGreaterThan(100); // the fuzz reaches the "valid" side too
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});

describe("scanStateVector", () => {
  it("accepts Yjs state vectors and refuses crafted ones", () => {
    expect(scanStateVector(Y.encodeStateVector(richDoc())).ok).toBe(true);
    expect(scanStateVector(new Uint8Array([0])).ok).toBe(true);
    expect(scanStateVector(new Uint8Array([...varUint(2 ** 40), 1, 1])).ok).toBe(false);
    expect(scanStateVector(new Uint8Array([1, 1])).ok).toBe(false);
    expect(scanStateVector(new Uint8Array([1, 1, 1, 9])).ok).toBe(false);
  });
});
