import { describe, expect, it } from "vitest";
import { initialSaveTracker, reduceSave, saveStateOf, type SaveEvent, type SaveState } from "./save-state.ts";

const open: SaveEvent = { type: "open" };
const close: SaveEvent = { type: "close" };
const step2: SaveEvent = { type: "sent-step2" };
const edit: SaveEvent = { type: "local-change", connected: true };
const offlineEdit: SaveEvent = { type: "local-change", connected: false };
const saved = (seq: number): SaveEvent => ({ type: "saved", seq });
const refused = (seq: number, reason: string): SaveEvent => ({ type: "refused", seq, reason });

function run(events: SaveEvent[]): SaveState {
  return saveStateOf(events.reduce(reduceSave, initialSaveTracker));
}

describe("save state", () => {
  const cases: Array<[string, SaveEvent[], SaveState]> = [
    ["nothing happened yet", [], "saved"],
    ["connected and synced", [open, step2, saved(1)], "saved"],
    ["the sync step 2 is not answered yet", [open, step2], "saving"],
    ["an edit in flight", [open, step2, saved(1), edit], "saving"],
    ["an edit saved", [open, step2, saved(1), edit, saved(2)], "saved"],
    ["two edits, one answer", [open, step2, saved(1), edit, edit, saved(2)], "saving"],
    ["answers out of the blue do not un-save later edits", [open, step2, edit, saved(1)], "saving"],
    ["an offline edit", [offlineEdit], "saving"],
    ["an offline edit, then connected but not synced", [offlineEdit, open], "saving"],
    ["an offline edit carried by the sync step 2", [offlineEdit, open, step2, saved(1)], "saved"],
    ["an edit lost with the connection", [open, step2, saved(1), edit, close], "saving"],
    ["…and saved through the next connection's sync step 2", [open, step2, saved(1), edit, close, open, step2, saved(1)], "saved"],
    ["an answer of the old connection does not count on the new one", [open, step2, edit, close, open, step2, edit, saved(2)], "saved"],
    ["read-only: an edit refused", [open, step2, saved(1), edit, refused(2, "read_only")], "error"],
    ["read-only stays an error after later answers", [open, step2, saved(1), edit, refused(2, "read_only"), saved(3)], "error"],
    ["store failure: error", [open, step2, saved(1), edit, refused(2, "store_unavailable")], "error"],
    [
      "store failure, reconnect, resent and saved",
      [open, step2, saved(1), edit, refused(2, "store_unavailable"), close, open, step2, saved(1)],
      "saved",
    ],
  ];
  it.each(cases)("%s", (_name, events, expected) => {
    expect(run(events)).toBe(expected);
  });

  it("remembers that the server said read-only", () => {
    const state = [open, { type: "access", readOnly: true } as SaveEvent].reduce(reduceSave, initialSaveTracker);
    expect(state.readOnly).toBe(true);
  });
});
