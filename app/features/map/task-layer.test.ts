import { describe, expect, it } from "vitest";
import type { LiveChange } from "~/lib/realtime/live-sync";
import { normalizeSearch } from "./map-state";
import {
  areaCountLabel,
  initialTaskLayer,
  mergeFetches,
  reduceTasks,
  taskFeatureCollection,
  toAreaCount,
  toMapTask,
  visibleTasks,
  type MapTask,
} from "./task-layer";

const SELF = "user-self";
const OTHER = "user-other";

function task(id: string, extra: Partial<MapTask> = {}): MapTask {
  return {
    id,
    title: `活動 ${id}`,
    titleEn: null,
    category: "watch",
    ownerOrgId: "org-a",
    areaId: null,
    locationName: null,
    lat: 35.5,
    lng: 139.6,
    version: 1,
    nextPiece: { shiftId: `s-${id}`, role: "見守り", roleEn: null, startsAt: "2026-12-10T01:00:00.000Z", endsAt: "2026-12-10T03:00:00.000Z", open: 2, headcount: 3 },
    openPieces: 1,
    ...extra,
  };
}

const change = (version: number, entity: LiveChange["entity"], entityId: string, data: Record<string, unknown> = {}, actorUserId = OTHER): LiveChange => ({
  version,
  entity,
  entityId,
  verb: "updated",
  actorUserId,
  data,
});

describe("task layer: live changes", () => {
  it("refetches a task changed by someone else and keeps its pin until the answer comes", () => {
    const state = initialTaskLayer([task("t1")]);
    const { state: next, effects } = reduceTasks(state, { type: "changes", selfUserId: SELF, changes: [change(5, "task", "t1", { taskId: "t1", version: 2 })] });
    expect(next.tasks.t1).toMatchObject({ lat: 35.5, version: 1 });
    expect(next.changedBy.t1).toBe(OTHER);
    expect(effects).toEqual([{ type: "fetch-tasks", ids: ["t1"] }]);
  });

  it("ignores a task event at or below the version it has", () => {
    const state = initialTaskLayer([task("t1", { version: 3 })]);
    const { state: next, effects } = reduceTasks(state, { type: "changes", selfUserId: SELF, changes: [change(5, "task", "t1", { version: 3 })] });
    expect(next.tasks.t1.lat).toBe(35.5);
    expect(effects).toEqual([]);
  });

  it("refetches a new task it does not know yet, the task of a changed piece, and the whole layer on a seat change", () => {
    const state = initialTaskLayer([]);
    expect(reduceTasks(state, { type: "changes", selfUserId: SELF, changes: [change(1, "task", "new", { version: 1 })] }).effects).toEqual([{ type: "fetch-tasks", ids: ["new"] }]);
    expect(reduceTasks(state, { type: "changes", selfUserId: SELF, changes: [change(1, "shift", "s1", { taskId: "t9" })] }).effects).toEqual([{ type: "fetch-tasks", ids: ["t9"] }]);
    expect(reduceTasks(state, { type: "changes", selfUserId: SELF, changes: [change(1, "match", "m1", { shiftId: "s1", stage: "CONFIRMED" })] }).effects).toEqual([{ type: "fetch-tasks", all: true }]);
  });

  it("does not refetch for the engine's proposal runs or for other entities", () => {
    const state = initialTaskLayer([task("t1")]);
    const { effects } = reduceTasks(state, {
      type: "changes",
      selfUserId: SELF,
      changes: [change(1, "match", "w1", { kind: "matching.run" }), change(2, "resource", "r1", { version: 2 }), change(3, "resident", "p1")],
    });
    expect(effects).toEqual([]);
  });

  it("drops a deleted task", () => {
    const state = initialTaskLayer([task("t1")]);
    const deleted: LiveChange = { ...change(2, "task", "t1"), verb: "deleted" };
    expect(reduceTasks(state, { type: "changes", selfUserId: SELF, changes: [deleted] }).state.tasks.t1).toBeUndefined();
  });
});

describe("task layer: fetches and saves", () => {
  it("removes requested ids the server did not answer (closed, hidden, no location) and keeps newer versions", () => {
    const state = initialTaskLayer([task("t1", { version: 4 }), task("t2"), task("t3")]);
    const { state: next } = reduceTasks(state, { type: "fetched", requested: ["t1", "t2"], tasks: [task("t1", { version: 3, lat: 1 })] });
    expect(next.tasks.t1).toMatchObject({ version: 4, lat: 35.5 }); // a stale answer does not undo a newer move
    expect(next.tasks.t2).toBeUndefined();
    expect(next.tasks.t3).toBeDefined(); // not requested: untouched
  });

  it("a whole-layer answer replaces the set", () => {
    const state = initialTaskLayer([task("t1"), task("t2")]);
    const { state: next } = reduceTasks(state, { type: "fetched", requested: "all", tasks: [task("t2"), task("t4")] });
    expect(Object.keys(next.tasks).sort()).toEqual(["t2", "t4"]);
  });

  it("a saved move keeps the next piece and refetches; a conflict shows the server's position", () => {
    const state = initialTaskLayer([task("t1")]);
    const saved = reduceTasks(state, { type: "saved", task: { id: "t1", version: 2, lat: 35.7, lng: 139.8 } });
    expect(saved.state.tasks.t1).toMatchObject({ lat: 35.7, lng: 139.8, version: 2, nextPiece: { shiftId: "s-t1" } });
    expect(saved.effects).toEqual([{ type: "fetch-tasks", ids: ["t1"] }]);

    const conflict = reduceTasks(state, { type: "conflict", id: "t1", current: { id: "t1", version: 5, lat: 35.9, lng: 139.9 }, attempted: { lat: 1, lng: 2 } });
    expect(conflict.state.tasks.t1).toMatchObject({ lat: 35.9, version: 5 });
    expect(conflict.state.conflicts.t1).toMatchObject({ current: { lat: 35.9 }, attempted: { lat: 1, lng: 2 } });
    expect(reduceTasks(conflict.state, { type: "dismiss-conflict", id: "t1" }).state.conflicts.t1).toBeUndefined();
  });

  it("merges refetch requests: the whole layer wins", () => {
    expect(mergeFetches({ type: "fetch-tasks", ids: ["a"] }, { type: "fetch-tasks", ids: ["b", "a"] })).toEqual({ type: "fetch-tasks", ids: ["a", "b"] });
    expect(mergeFetches({ type: "fetch-tasks", ids: ["a"] }, { type: "fetch-tasks", all: true })).toEqual({ type: "fetch-tasks", all: true });
    expect(mergeFetches(null, { type: "fetch-tasks", ids: ["a"] })).toEqual({ type: "fetch-tasks", ids: ["a"] });
  });
});

describe("task layer: views", () => {
  it("orders by the next piece, searches titles, and shapes GeoJSON", () => {
    const later = task("b", { title: "北山 見守り", nextPiece: { ...task("b").nextPiece!, startsAt: "2026-12-20T01:00:00.000Z" } });
    const none = task("c", { title: "ない", nextPiece: null, openPieces: 0 });
    const state = initialTaskLayer([later, none, task("a")]);
    expect(visibleTasks(state, "", normalizeSearch).map((t) => t.id)).toEqual(["a", "b", "c"]);
    expect(visibleTasks(state, "北山見守り", normalizeSearch).map((t) => t.id)).toEqual(["b"]);
    const fc = taskFeatureCollection([task("a")], "a");
    expect(fc.features[0]).toEqual({ type: "Feature", properties: { id: "a", title: "活動 a", selected: true }, geometry: { type: "Point", coordinates: [139.6, 35.5] } });
  });

  it("parses tasks and rejects ones without a location", () => {
    expect(toMapTask({ ...task("a") })).toEqual(task("a"));
    expect(toMapTask({ ...task("a"), lat: null })).toBeNull();
    expect(toMapTask({ ...task("a"), nextPiece: { shiftId: "x" } })?.nextPiece).toBeNull();
  });
});

describe("resident counts per area", () => {
  it("never shows a count under 5 as a number, whatever the server sent", () => {
    const base = { areaId: "a", name: "北山", nameEn: null, lat: 35.5, lng: 139.6 };
    for (const value of [0, 1, 4]) {
      const count = toAreaCount({ ...base, value, suppressed: false })!;
      expect(count).toMatchObject({ value: null, suppressed: true });
      expect(areaCountLabel(count, "ja")).toBe("5未満");
      expect(areaCountLabel(count, "en")).toBe("under 5");
    }
    expect(toAreaCount({ ...base, value: 12, suppressed: true })).toMatchObject({ value: null, suppressed: true });
    const shown = toAreaCount({ ...base, value: 1234, suppressed: false })!;
    expect(areaCountLabel(shown, "ja")).toBe("1,234人");
    expect(areaCountLabel(shown, "en")).toBe("1,234");
    expect(areaCountLabel(toAreaCount({ ...base, value: 5, suppressed: false })!, "ja")).toBe("5人");
  });
});
