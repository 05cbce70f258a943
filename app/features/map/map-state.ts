/**
 * The resource map board as pure state: no sockets, no fetch, no MapLibre, no clock. The page
 * (map-board.tsx) feeds it the loader's resources, live changes in version order, fetched
 * resources and save answers, and carries out the effects it returns (refetch these ids).
 * Selectors filter, search and shape the resources for the list and the map's GeoJSON source.
 *
 * Rules (docs/decisions/060-map-board.md):
 * - The server is the source of truth. A resource is replaced only by a newer (or equal) version,
 *   so a slow refetch never undoes a newer live change; an archived one is remembered by version
 *   so a stale fetch cannot bring it back.
 * - A live change carries `{ lat, lng, version }`: the pin moves at once, then the full resource
 *   is refetched by id (names and categories are not in the event).
 * - A refused save (409) keeps the server's current resource and shows it; nothing is retried.
 */
import type { LiveChange } from "~/lib/realtime/live-sync";

export const RESOURCE_KINDS = ["PLACE", "ACTIVITY", "SERVICE", "ORGANIZATION"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Pin colours per kind (the legend shows the same). */
export const KIND_COLOURS: Record<ResourceKind, string> = {
  PLACE: "#0b5e55",
  ACTIVITY: "#b34700",
  SERVICE: "#5b3fa8",
  ORGANIZATION: "#1a56db",
};

export interface MapResource {
  id: string;
  kind: ResourceKind;
  category: string;
  name: string;
  nameEn: string | null;
  address: string | null;
  description: string | null;
  ownerOrgId: string | null;
  areaId: string | null;
  lat: number;
  lng: number;
  status: "ACTIVE" | "ARCHIVED";
  version: number;
}

export interface MapConflict {
  /** The resource as the server has it now (null: gone or hidden). */
  current: MapResource | null;
  /** What we tried to save. */
  attempted: { lat: number; lng: number } | null;
}

export interface MapState {
  /** Every change up to this workspace version is applied. */
  version: number;
  resources: Readonly<Record<string, MapResource>>;
  /** Archived or vanished ids, with the version at which they went (never resurrected by older data). */
  gone: Readonly<Record<string, number>>;
  conflicts: Readonly<Record<string, MapConflict>>;
  /** The last change per id made by someone else (for "moved by …" marks). */
  changedBy: Readonly<Record<string, string | null>>;
}

export type MapAction =
  | { type: "loaded"; version: number; resources: MapResource[] }
  | { type: "changes"; changes: readonly LiveChange[]; selfUserId: string }
  | { type: "fetched"; resource: MapResource }
  | { type: "missing"; id: string }
  | { type: "saved"; resource: MapResource }
  | { type: "conflict"; id: string; current: MapResource | null; attempted: { lat: number; lng: number } | null }
  | { type: "dismiss-conflict"; id: string };

export type MapEffect = { type: "fetch"; ids: string[] };

export function initialMapState(version: number, resources: readonly MapResource[]): MapState {
  return { version, resources: byId(resources), gone: {}, conflicts: {}, changedBy: {} };
}

function byId(resources: readonly MapResource[]): Record<string, MapResource> {
  const out: Record<string, MapResource> = {};
  for (const r of resources) if (r.status === "ACTIVE") out[r.id] = r;
  return out;
}

/** Puts a resource in if it is at least as new as what we have; archived ones leave the map. */
function upsert(state: MapState, resource: MapResource): MapState {
  const known = state.resources[resource.id];
  if (known && known.version > resource.version) return state;
  const goneAt = state.gone[resource.id];
  if (goneAt !== undefined && goneAt >= resource.version) return state;
  if (resource.status === "ARCHIVED") {
    const resources = { ...state.resources };
    delete resources[resource.id];
    return { ...state, resources, gone: { ...state.gone, [resource.id]: resource.version } };
  }
  return { ...state, resources: { ...state.resources, [resource.id]: resource } };
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function reduceMap(state: MapState, action: MapAction): { state: MapState; effects: MapEffect[] } {
  switch (action.type) {
    case "loaded":
      return {
        state: { ...state, version: Math.max(state.version, action.version), resources: byId(action.resources), gone: {} },
        effects: [],
      };
    case "changes": {
      let next = state;
      const fetch = new Set<string>();
      for (const change of action.changes) {
        if (change.version <= next.version) continue; // seen already
        next = { ...next, version: change.version };
        if (change.entity !== "resource") continue;
        const id = change.entityId;
        const data = change.data ?? {};
        const version = num(data.version);
        const known = next.resources[id];
        if (change.actorUserId !== action.selfUserId) next = { ...next, changedBy: { ...next.changedBy, [id]: change.actorUserId } };
        if (change.verb === "deleted") {
          const resources = { ...next.resources };
          delete resources[id];
          next = { ...next, resources, gone: { ...next.gone, [id]: version ?? (known ? known.version + 1 : Number.MAX_SAFE_INTEGER) } };
          fetch.delete(id);
          continue;
        }
        // Already at (or past) this version: nothing to do.
        if (known && version !== null && known.version >= version) continue;
        const lat = num(data.lat);
        const lng = num(data.lng);
        if (known && version !== null && lat !== null && lng !== null) {
          // Move the pin now; the rest of the resource comes with the refetch.
          next = { ...next, resources: { ...next.resources, [id]: { ...known, lat, lng, version } } };
        }
        fetch.add(id);
      }
      return { state: next, effects: fetch.size > 0 ? [{ type: "fetch", ids: [...fetch] }] : [] };
    }
    case "fetched":
      return { state: upsert(state, action.resource), effects: [] };
    case "missing": {
      if (!state.resources[action.id]) return { state, effects: [] };
      const resources = { ...state.resources };
      const known = resources[action.id];
      delete resources[action.id];
      return { state: { ...state, resources, gone: { ...state.gone, [action.id]: known.version } }, effects: [] };
    }
    case "saved": {
      const conflicts = { ...state.conflicts };
      delete conflicts[action.resource.id];
      return { state: { ...upsert(state, action.resource), conflicts }, effects: [] };
    }
    case "conflict": {
      const withCurrent = action.current ? upsert(state, action.current) : state;
      return {
        state: { ...withCurrent, conflicts: { ...withCurrent.conflicts, [action.id]: { current: action.current, attempted: action.attempted } } },
        effects: action.current ? [] : [{ type: "fetch", ids: [action.id] }],
      };
    }
    case "dismiss-conflict": {
      if (!state.conflicts[action.id]) return { state, effects: [] };
      const conflicts = { ...state.conflicts };
      delete conflicts[action.id];
      return { state: { ...state, conflicts }, effects: [] };
    }
  }
}

// ───────────── Filters, search, selection ─────────────

export interface MapFilters {
  /** Layer toggles: the kinds shown (on the map and in the list). */
  kinds: ReadonlySet<ResourceKind>;
  /** A category code, or null for all. */
  category: string | null;
  query: string;
}

export const ALL_KINDS: ReadonlySet<ResourceKind> = new Set(RESOURCE_KINDS);
export const EMPTY_MAP_FILTERS: MapFilters = { kinds: ALL_KINDS, category: null, query: "" };

/** Full-width letters and digits folded, case folded, spaces (full-width ones too) dropped: 「北山 センター」 finds 北山センター. */
export function normalizeSearch(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, "");
}

export function matchesFilters(resource: MapResource, filters: MapFilters): boolean {
  if (!filters.kinds.has(resource.kind)) return false;
  if (filters.category && resource.category !== filters.category) return false;
  const query = normalizeSearch(filters.query);
  if (!query) return true;
  const haystack = normalizeSearch([resource.name, resource.nameEn ?? "", resource.address ?? "", resource.description ?? ""].join(" "));
  return haystack.includes(query);
}

/** The shown resources in list order: kind (legend order), then name, then id (stable under live changes). */
export function visibleResources(state: MapState, filters: MapFilters): MapResource[] {
  const order = (k: ResourceKind) => RESOURCE_KINDS.indexOf(k);
  return Object.values(state.resources)
    .filter((r) => matchesFilters(r, filters))
    .sort((a, b) => order(a.kind) - order(b.kind) || a.name.localeCompare(b.name, "ja") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function countByKind(resources: readonly MapResource[]): Record<ResourceKind, number> {
  const counts = { PLACE: 0, ACTIVITY: 0, SERVICE: 0, ORGANIZATION: 0 };
  for (const r of resources) counts[r.kind] += 1;
  return counts;
}

/** Category codes present among the resources (for the category filter), sorted. */
export function categoriesOf(resources: Iterable<MapResource>): string[] {
  return [...new Set([...resources].map((r) => r.category))].sort();
}

/**
 * The next selection for arrow keys in the list: ±1 from the current one, clamped; Home/End
 * jump to the ends. Nothing selected (or not shown) → the first (or last for -1).
 */
export function stepSelection(ids: readonly string[], current: string | null, step: 1 | -1 | "first" | "last"): string | null {
  if (ids.length === 0) return null;
  if (step === "first") return ids[0];
  if (step === "last") return ids[ids.length - 1];
  const index = current ? ids.indexOf(current) : -1;
  if (index === -1) return step === 1 ? ids[0] : ids[ids.length - 1];
  return ids[Math.min(ids.length - 1, Math.max(0, index + step))];
}

/** `?selected=<id>`: a plausible id (1–64 of [A-Za-z0-9_-]) or null. */
export function parseSelected(value: string | null | undefined): string | null {
  return value && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}

// ───────────── GeoJSON for the map ─────────────

export interface PointFeature {
  type: "Feature";
  id?: number;
  properties: { id: string; kind: ResourceKind; name: string; selected: boolean };
  geometry: { type: "Point"; coordinates: [number, number] };
}
export interface PointCollection {
  type: "FeatureCollection";
  features: PointFeature[];
}

export function toFeatureCollection(resources: readonly MapResource[], selected: string | null, name: (r: MapResource) => string = (r) => r.name): PointCollection {
  return {
    type: "FeatureCollection",
    features: resources.map((r) => ({
      type: "Feature",
      properties: { id: r.id, kind: r.kind, name: name(r), selected: r.id === selected },
      geometry: { type: "Point", coordinates: [r.lng, r.lat] },
    })),
  };
}

// ───────────── Parsing answers ─────────────

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** A resource from the API (or the loader), or null when it does not look like one. */
export function toMapResource(raw: unknown): MapResource | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const id = str(r.id);
  const kind = str(r.kind);
  const lat = num(r.lat);
  const lng = num(r.lng);
  const version = num(r.version);
  const name = str(r.name);
  if (!id || !name || lat === null || lng === null || version === null) return null;
  if (!(RESOURCE_KINDS as readonly string[]).includes(kind ?? "")) return null;
  return {
    id,
    kind: kind as ResourceKind,
    category: str(r.category) ?? "",
    name,
    nameEn: str(r.nameEn),
    address: str(r.address),
    description: str(r.description),
    ownerOrgId: str(r.ownerOrgId),
    areaId: str(r.areaId),
    lat,
    lng,
    status: r.status === "ARCHIVED" ? "ARCHIVED" : "ACTIVE",
    version,
  };
}
