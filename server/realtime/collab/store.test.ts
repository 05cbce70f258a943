import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { mergeForSnapshot, stateCovers } from "./store.ts";

/** A document and the updates that built it, one per edit. */
function edited(clientID: number, edits: Array<(text: Y.Text) => void>) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  for (const edit of edits) edit(doc.getText("chart"));
  return { doc, updates };
}

describe("stateCovers / mergeForSnapshot", () => {
  it("covers every update the state was built from, deletions included, and then the state is the snapshot as it is", () => {
    const { doc, updates } = edited(1, [(t) => t.insert(0, "地域カルテ"), (t) => t.insert(4, "の議事"), (t) => t.delete(0, 2), (t) => t.delete(3, 1)]);
    const state = Y.encodeStateAsUpdate(doc);
    const covers = stateCovers(Y.snapshot(doc));
    for (const update of updates) expect(covers(update)).toBe(true);
    expect(covers(Y.mergeUpdates(updates))).toBe(true);
    expect(mergeForSnapshot(state, Y.mergeUpdates(updates.slice(0, 2)), updates, covers)).toBe(state);
  });

  it("does not cover structs the state lacks, deletions it lacks, or a malformed update — and merges those", () => {
    const base = edited(1, [(t) => t.insert(0, "あいうえお")]);
    const state = Y.encodeStateAsUpdate(base.doc);
    const covers = stateCovers(Y.snapshot(base.doc));

    // Another writer's insert (a client the state does not know).
    const other = new Y.Doc();
    other.clientID = 2;
    Y.applyUpdate(other, state);
    const inserts: Uint8Array[] = [];
    other.on("update", (u: Uint8Array) => inserts.push(u));
    other.getText("chart").insert(5, "か");
    expect(covers(inserts[0])).toBe(false);

    // A deletion of known content that the state does not have.
    const deleter = new Y.Doc();
    Y.applyUpdate(deleter, state);
    const deletes: Uint8Array[] = [];
    deleter.on("update", (u: Uint8Array) => deletes.push(u));
    deleter.getText("chart").delete(1, 2);
    expect(covers(deletes[0])).toBe(false);

    expect(covers(new Uint8Array([1, 2, 3]))).toBe(false);

    const merged = new Y.Doc();
    Y.applyUpdate(merged, mergeForSnapshot(state, null, [...inserts, ...deletes], covers));
    expect(merged.getText("chart").toString()).toBe("あえおか");
  });

  it("a deleted range is covered only when the state deletes all of it", () => {
    const { doc } = edited(1, [(t) => t.insert(0, "0123456789"), (t) => t.delete(2, 3)]); // deletes clocks 2–4
    const covers = stateCovers(Y.snapshot(doc));
    const deletion = (from: number, length: number) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      const updates: Uint8Array[] = [];
      copy.on("update", (u: Uint8Array) => updates.push(u));
      copy.getText("chart").delete(from, length);
      return updates[0];
    };
    // "01 56789" remain visible: index 2 is clock 5.
    expect(covers(deletion(2, 1))).toBe(false); // clock 5: not deleted in the state
    const sameDeletion = Y.encodeStateAsUpdate(doc); // carries the delete set 2–4 itself
    expect(covers(sameDeletion)).toBe(true);
  });
});
