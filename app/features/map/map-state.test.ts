import { describe, expect, it } from "vitest";
import type { LiveChange } from "~/lib/realtime/live-sync";
import {
  EMPTY_MAP_FILTERS,
  categoriesOf,
  countByKind,
  initialMapState,
  parseSelected,
  reduceMap,
  stepSelection,
  toFeatureCollection,
  toMapResource,
  visibleResources,
  type MapFilters,
  type MapResource,
  type MapState,
} from "./map-state";

const SELF = "user-self";
const OTHER = "user-other";

function resource(id: string, patch: Partial<MapResource> = {}): MapResource {
  return {
    id,
    kind: "PLACE",
    category: "park",
    name: `資源 ${id}`,
    nameEn: null,
    address: null,
    description: null,
    ownerOrgId: "org-1",
    areaId: null,
    lat: 35.5,
    lng: 139.6,
    status: "ACTIVE",
    version: 1,
    ...patch,
  };
}

function change(version: number, entityId: string, verb: LiveChange["verb"], data?: Record<string, unknown>, patch: Partial<LiveChange> = {}): LiveChange {
  return { version, entity: "resource", entityId, verb, actorUserId: OTHER, data, ...patch };
}

const start = (...resources: MapResource[]) => initialMapState(10, resources);
const apply = (state: MapState, changes: LiveChange[]) => reduceMap(state, { type: "changes", changes, selfUserId: SELF });

describe("reduceMap: live changes in version order", () => {
  it("moves the pin at once from the event's data and refetches the resource", () => {
    const { state, effects } = apply(start(resource("a")), [change(11, "a", "updated", { lat: 35.6, lng: 139.7, version: 2 })]);
    expect(state.version).toBe(11);
    expect(state.resources.a).toMatchObject({ lat: 35.6, lng: 139.7, version: 2, name: "資源 a" });
    expect(effects).toEqual([{ type: "fetch", ids: ["a"] }]);
    expect(state.changedBy.a).toBe(OTHER);
  });

  it("drops changes at or below the applied version (duplicates)", () => {
    const s = start(resource("a"));
    const { state, effects } = apply(s, [change(10, "a", "updated", { lat: 1, lng: 2, version: 5 }), change(9, "a", "updated", { lat: 1, lng: 2, version: 6 })]);
    expect(state).toBe(s);
    expect(effects).toEqual([]);
  });

  it("ignores an event older than the resource it already has", () => {
    const s = start(resource("a", { version: 4, lat: 35.5 }));
    const { state, effects } = apply(s, [change(11, "a", "updated", { lat: 1, lng: 2, version: 3 })]);
    expect(state.resources.a.lat).toBe(35.5);
    expect(effects).toEqual([]);
    expect(state.version).toBe(11);
  });

  it("fetches a created resource it does not know yet, once per batch", () => {
    const { state, effects } = apply(start(), [
      change(11, "n", "created", { lat: 35, lng: 139, version: 1 }),
      change(12, "n", "updated", { lat: 35.1, lng: 139, version: 2 }),
      change(13, "t", "updated", {}, { entity: "task" }),
    ]);
    expect(state.resources.n).toBeUndefined();
    expect(effects).toEqual([{ type: "fetch", ids: ["n"] }]);
    expect(state.version).toBe(13);
  });

  it("removes an archived resource and never brings it back from an older fetch", () => {
    const { state } = apply(start(resource("a", { version: 2 })), [change(11, "a", "deleted", { version: 3 })]);
    expect(state.resources.a).toBeUndefined();
    const stale = reduceMap(state, { type: "fetched", resource: resource("a", { version: 2 }) }).state;
    expect(stale.resources.a).toBeUndefined();
    const archived = reduceMap(state, { type: "fetched", resource: resource("a", { version: 3, status: "ARCHIVED" }) }).state;
    expect(archived.resources.a).toBeUndefined();
  });

  it("a resync row without data only refetches", () => {
    const { state, effects } = apply(start(resource("a")), [change(11, "a", "updated", undefined)]);
    expect(state.resources.a.version).toBe(1);
    expect(effects).toEqual([{ type: "fetch", ids: ["a"] }]);
  });

  it("does not mark one's own changes as someone else's", () => {
    const { state } = apply(start(resource("a")), [change(11, "a", "updated", { lat: 1, lng: 2, version: 2 }, { actorUserId: SELF })]);
    expect(state.changedBy.a).toBeUndefined();
  });
});

describe("reduceMap: fetches and saves", () => {
  it("keeps the newer version when a slow fetch answers late", () => {
    const s = start(resource("a", { version: 3, name: "new" }));
    expect(reduceMap(s, { type: "fetched", resource: resource("a", { version: 2, name: "old" }) }).state.resources.a.name).toBe("new");
    expect(reduceMap(s, { type: "fetched", resource: resource("a", { version: 4, name: "newer" }) }).state.resources.a.name).toBe("newer");
  });

  it("a missing resource (404) leaves the map", () => {
    const { state } = reduceMap(start(resource("a")), { type: "missing", id: "a" });
    expect(state.resources.a).toBeUndefined();
  });

  it("a conflict keeps the server's current resource and shows it until dismissed", () => {
    const current = resource("a", { version: 5, lat: 35.9 });
    const s = start(resource("a", { version: 4 }));
    const conflicted = reduceMap(s, { type: "conflict", id: "a", current, attempted: { lat: 1, lng: 2 } }).state;
    expect(conflicted.resources.a).toEqual(current);
    expect(conflicted.conflicts.a).toEqual({ current, attempted: { lat: 1, lng: 2 } });
    const dismissed = reduceMap(conflicted, { type: "dismiss-conflict", id: "a" }).state;
    expect(dismissed.conflicts.a).toBeUndefined();
    expect(dismissed.resources.a).toEqual(current);
  });

  it("a conflict without the current resource asks for it", () => {
    expect(reduceMap(start(resource("a")), { type: "conflict", id: "a", current: null, attempted: null }).effects).toEqual([{ type: "fetch", ids: ["a"] }]);
  });

  it("a save replaces the resource and clears its conflict", () => {
    const s = reduceMap(start(resource("a")), { type: "conflict", id: "a", current: resource("a", { version: 2 }), attempted: null }).state;
    const { state } = reduceMap(s, { type: "saved", resource: resource("a", { version: 3, lat: 36 }) });
    expect(state.resources.a.lat).toBe(36);
    expect(state.conflicts.a).toBeUndefined();
  });
});

describe("filters and search", () => {
  const s = start(
    resource("p1", { name: "あおば 北山センター", category: "community_center" }),
    resource("p2", { name: "かえで 東台公園", category: "park", address: "東台１－２" }),
    resource("a1", { kind: "ACTIVITY", name: "いきいきサロン", nameEn: "Ikiiki Salon", category: "salon" }),
    resource("s1", { kind: "SERVICE", name: "相談窓口", category: "consultation" }),
  );
  const ids = (filters: Partial<MapFilters>) => visibleResources(s, { ...EMPTY_MAP_FILTERS, ...filters }).map((r) => r.id);

  it.each<[string, Partial<MapFilters>, string[]]>([
    ["everything, in kind then name order", {}, ["p1", "p2", "a1", "s1"]],
    ["a layer toggled off", { kinds: new Set(["PLACE", "SERVICE"] as const) }, ["p1", "p2", "s1"]],
    ["a category", { category: "park" }, ["p2"]],
    ["a name", { query: "センター" }, ["p1"]],
    ["English names, any case", { query: "salon" }, ["a1"]],
    ["full-width digits in an address", { query: "東台1-2" }, ["p2"]],
    ["spaces are ignored", { query: "北山 センター" }, ["p1"]],
    ["filters combine", { query: "北山", category: "park" }, []],
  ])("%s", (_name, filters, expected) => {
    expect(ids(filters)).toEqual(expected);
  });

  it("counts by kind and lists categories", () => {
    expect(countByKind(Object.values(s.resources))).toEqual({ PLACE: 2, ACTIVITY: 1, SERVICE: 1, ORGANIZATION: 0 });
    expect(categoriesOf(Object.values(s.resources))).toEqual(["community_center", "consultation", "park", "salon"]);
  });
});

describe("selection", () => {
  it.each<[string | null, 1 | -1 | "first" | "last", string | null]>([
    [null, 1, "a"],
    [null, -1, "c"],
    ["a", 1, "b"],
    ["c", 1, "c"],
    ["a", -1, "a"],
    ["b", "first", "a"],
    ["b", "last", "c"],
    ["gone", 1, "a"],
  ])("from %s step %s → %s", (current, step, expected) => {
    expect(stepSelection(["a", "b", "c"], current, step)).toBe(expected);
  });

  it("nothing to select in an empty list", () => {
    expect(stepSelection([], "a", 1)).toBeNull();
  });

  it.each([
    ["cm1abc_DEF-9", "cm1abc_DEF-9"],
    ["", null],
    [null, null],
    ["../etc", null],
    ["x".repeat(65), null],
  ])("parseSelected(%j) → %j", (value, expected) => {
    expect(parseSelected(value)).toBe(expected);
  });

  it("marks the selected feature in the GeoJSON", () => {
    const fc = toFeatureCollection([resource("a", { lat: 35, lng: 139 }), resource("b")], "a");
    expect(fc.features[0]).toEqual({
      type: "Feature",
      properties: { id: "a", kind: "PLACE", name: "資源 a", selected: true },
      geometry: { type: "Point", coordinates: [139, 35] },
    });
    expect(fc.features[1].properties.selected).toBe(false);
  });
});

describe("toMapResource", () => {
  it("reads an API resource and refuses what is not one", () => {
    expect(toMapResource({ ...resource("a"), createdAt: "2026-01-01" })).toEqual(resource("a"));
    expect(toMapResource({ ...resource("a"), kind: "HOUSE" })).toBeNull();
    expect(toMapResource({ ...resource("a"), lat: "35" })).toBeNull();
    expect(toMapResource(null)).toBeNull();
  });
});
