/**
 * The map's task layer as pure state (decision 070): open tasks with a location that the caller
 * may see, each with its next open piece. Like ./map-state.ts for resources: the server decides
 * what is visible (`GET /api/v1/workspaces/:id/map/tasks`), live changes say what to refetch, and
 * a task is replaced only by an equal or newer version.
 *
 * - `task:changed` carries the version only (the event reaches the whole workspace, and an ORG
 *   task's place is its organization's): a newer task is refetched by id, through the server's
 *   visibility filter, and its pin moves when the answer comes. A refetch that does not answer a requested id means the
 *   task left the layer for this caller (closed, no location, not visible).
 * - `shift:changed` names its task: that task is refetched. A match change (seats filled or freed)
 *   names only its piece, so the whole layer is refetched — the engine's own runs excepted, which
 *   only propose (no seat is filled by a proposal).
 */
import type { LiveChange } from "~/lib/realtime/live-sync";
import type { AreaResidentCount, MapTaskDto, MapTaskPiece } from "../../../server/domain/map-layers.ts";

/** The task pins' colour (legend and map). */
export const TASK_COLOUR = "#c2185b";

/** What the layer's endpoint answers (server/domain/map-layers.ts; dates already ISO strings). */
export type { MapTaskPiece };
export type MapTask = MapTaskDto;

export interface TaskConflict {
  current: MapTask | null;
  attempted: { lat: number; lng: number } | null;
}

export interface TaskLayerState {
  tasks: Readonly<Record<string, MapTask>>;
  conflicts: Readonly<Record<string, TaskConflict>>;
  /** The last change per task made by someone else (user id; null: the system). */
  changedBy: Readonly<Record<string, string | null>>;
}

/** What to refetch: these ids, or the whole layer. */
export type TaskFetch = { type: "fetch-tasks"; ids: string[] } | { type: "fetch-tasks"; all: true };

export type TaskAction =
  | { type: "loaded"; tasks: readonly MapTask[] }
  | { type: "changes"; changes: readonly LiveChange[]; selfUserId: string }
  /** A refetch's answer: `requested` ids (or "all") that are not in `tasks` left the layer. */
  | { type: "fetched"; tasks: readonly MapTask[]; requested: readonly string[] | "all" }
  /** A saved move (the PATCH answers the task row; the piece is kept from what we had). */
  | { type: "saved"; task: Partial<MapTask> & { id: string; version: number } }
  | { type: "conflict"; id: string; current: (Partial<MapTask> & { id: string; version: number }) | null; attempted: { lat: number; lng: number } | null }
  | { type: "dismiss-conflict"; id: string };

/** The matching engine's run event (server/matching/runner.ts MATCHING_RUN_KIND): proposals only. */
const MATCHING_RUN = "matching.run";

export function initialTaskLayer(tasks: readonly MapTask[]): TaskLayerState {
  return { tasks: byId(tasks), conflicts: {}, changedBy: {} };
}

function byId(tasks: readonly MapTask[]): Record<string, MapTask> {
  const out: Record<string, MapTask> = {};
  for (const t of tasks) out[t.id] = t;
  return out;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** A partial task row (a PATCH answer or a conflict's `current`) over what we know. */
function merge(known: MapTask | undefined, row: Partial<MapTask> & { id: string; version: number }): MapTask | null {
  const lat = num(row.lat) ?? known?.lat ?? null;
  const lng = num(row.lng) ?? known?.lng ?? null;
  if (lat === null || lng === null) return null;
  return {
    id: row.id,
    title: str(row.title) ?? known?.title ?? "",
    titleEn: row.titleEn !== undefined ? row.titleEn : (known?.titleEn ?? null),
    category: str(row.category) ?? known?.category ?? "",
    ownerOrgId: str(row.ownerOrgId) ?? known?.ownerOrgId ?? "",
    areaId: row.areaId !== undefined ? row.areaId : (known?.areaId ?? null),
    locationName: row.locationName !== undefined ? row.locationName : (known?.locationName ?? null),
    lat,
    lng,
    version: row.version,
    nextPiece: row.nextPiece !== undefined ? row.nextPiece : (known?.nextPiece ?? null),
    openPieces: num(row.openPieces) ?? known?.openPieces ?? 0,
  };
}

function put(state: TaskLayerState, task: MapTask): TaskLayerState {
  const known = state.tasks[task.id];
  if (known && known.version > task.version) return state;
  return { ...state, tasks: { ...state.tasks, [task.id]: task } };
}

function remove(state: TaskLayerState, id: string): TaskLayerState {
  if (!state.tasks[id]) return state;
  const tasks = { ...state.tasks };
  delete tasks[id];
  return { ...state, tasks };
}

export function reduceTasks(state: TaskLayerState, action: TaskAction): { state: TaskLayerState; effects: TaskFetch[] } {
  switch (action.type) {
    case "loaded":
      return { state: { ...state, tasks: byId(action.tasks) }, effects: [] };
    case "changes": {
      let next = state;
      const ids = new Set<string>();
      let all = false;
      for (const change of action.changes) {
        const data = change.data ?? {};
        if (change.entity === "task") {
          const id = change.entityId;
          if (change.actorUserId !== action.selfUserId) next = { ...next, changedBy: { ...next.changedBy, [id]: change.actorUserId } };
          if (change.verb === "deleted") {
            next = remove(next, id);
            continue;
          }
          const known = next.tasks[id];
          const version = num(data.version);
          if (known && version !== null && known.version >= version) continue;
          ids.add(id);
        } else if (change.entity === "shift") {
          const taskId = str(data.taskId);
          if (taskId) ids.add(taskId);
          else all = true;
        } else if (change.entity === "match") {
          if (data.kind !== MATCHING_RUN) all = true;
        }
      }
      const effects: TaskFetch[] = all ? [{ type: "fetch-tasks", all: true }] : ids.size > 0 ? [{ type: "fetch-tasks", ids: [...ids] }] : [];
      return { state: next, effects };
    }
    case "fetched": {
      let next = state;
      const answered = new Set(action.tasks.map((t) => t.id));
      const requested = action.requested === "all" ? Object.keys(state.tasks) : action.requested;
      for (const id of requested) if (!answered.has(id)) next = remove(next, id);
      for (const task of action.tasks) next = put(next, task);
      return { state: next, effects: [] };
    }
    case "saved": {
      const task = merge(state.tasks[action.task.id], action.task);
      const conflicts = { ...state.conflicts };
      delete conflicts[action.task.id];
      const next = task ? put(state, task) : state;
      return { state: { ...next, conflicts }, effects: [{ type: "fetch-tasks", ids: [action.task.id] }] };
    }
    case "conflict": {
      const current = action.current ? merge(state.tasks[action.id], action.current) : null;
      const next = current ? put(state, current) : state;
      return {
        state: { ...next, conflicts: { ...next.conflicts, [action.id]: { current, attempted: action.attempted } } },
        effects: [{ type: "fetch-tasks", ids: [action.id] }],
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

/** Several refetch requests → one: the whole layer wins over single ids. */
export function mergeFetches(a: TaskFetch | null, b: TaskFetch): TaskFetch {
  if (!a) return b;
  if ("all" in a || "all" in b) return { type: "fetch-tasks", all: true };
  return { type: "fetch-tasks", ids: [...new Set([...a.ids, ...b.ids])] };
}

/** The shown tasks: search like resources (title, English title, place name), soonest next piece first, then title. */
export function visibleTasks(state: TaskLayerState, query: string, normalize: (s: string) => string): MapTask[] {
  const q = normalize(query);
  const soon = (t: MapTask) => (t.nextPiece ? Date.parse(t.nextPiece.startsAt) : Number.MAX_SAFE_INTEGER);
  return Object.values(state.tasks)
    .filter((t) => !q || normalize([t.title, t.titleEn ?? "", t.locationName ?? ""].join(" ")).includes(q))
    .sort((a, b) => soon(a) - soon(b) || a.title.localeCompare(b.title, "ja") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface TaskFeature {
  type: "Feature";
  properties: { id: string; title: string; selected: boolean };
  geometry: { type: "Point"; coordinates: [number, number] };
}

export function taskFeatureCollection(tasks: readonly MapTask[], selected: string | null, title: (t: MapTask) => string = (t) => t.title) {
  return {
    type: "FeatureCollection" as const,
    features: tasks.map(
      (t): TaskFeature => ({
        type: "Feature",
        properties: { id: t.id, title: title(t), selected: t.id === selected },
        geometry: { type: "Point", coordinates: [t.lng, t.lat] },
      }),
    ),
  };
}

function toPiece(raw: unknown): MapTaskPiece | null {
  if (!raw || typeof raw !== "object") return null;
  const p = raw as Record<string, unknown>;
  const shiftId = str(p.shiftId);
  const role = str(p.role);
  const startsAt = str(p.startsAt);
  const endsAt = str(p.endsAt);
  const open = num(p.open);
  const headcount = num(p.headcount);
  if (!shiftId || role === null || !startsAt || !endsAt || open === null || headcount === null) return null;
  return { shiftId, role, roleEn: str(p.roleEn), startsAt, endsAt, open, headcount };
}

/** A task of the map API (or the loader), or null when it does not look like one. */
export function toMapTask(raw: unknown): MapTask | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const id = str(r.id);
  const title = str(r.title);
  const lat = num(r.lat);
  const lng = num(r.lng);
  const version = num(r.version);
  if (!id || !title || lat === null || lng === null || version === null) return null;
  return {
    id,
    title,
    titleEn: str(r.titleEn),
    category: str(r.category) ?? "",
    ownerOrgId: str(r.ownerOrgId) ?? "",
    areaId: str(r.areaId),
    locationName: str(r.locationName),
    lat,
    lng,
    version,
    nextPiece: toPiece(r.nextPiece),
    openPieces: num(r.openPieces) ?? 0,
  };
}

// ───────────── Resident counts per area ─────────────

/** An area's resident count as the counts endpoint answers it. */
export type AreaCount = AreaResidentCount;

/** An area count of the API, or null. A suppressed count never carries a value, whatever the server sent. */
export function toAreaCount(raw: unknown): AreaCount | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const areaId = str(r.areaId);
  const name = str(r.name);
  const lat = num(r.lat);
  const lng = num(r.lng);
  if (!areaId || !name || lat === null || lng === null) return null;
  const value = num(r.value);
  const suppressed = r.suppressed === true || value === null || value < 5;
  return { areaId, name, nameEn: str(r.nameEn), lat, lng, value: suppressed ? null : value, suppressed };
}

/** 「5未満」 / "under 5" for a suppressed count, 「12人」 / "12" otherwise. */
export function areaCountLabel(count: Pick<AreaCount, "value" | "suppressed">, locale: "ja" | "en"): string {
  if (count.suppressed || count.value === null) return locale === "ja" ? "5未満" : "under 5";
  return locale === "ja" ? `${count.value.toLocaleString("ja-JP")}人` : count.value.toLocaleString("en-US");
}
