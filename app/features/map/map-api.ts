/**
 * The map board's HTTP calls (browser side): one resource, every resource, create, update.
 * Answers are mapped to the shapes map-state understands; nothing here throws.
 */
import { toMapResource, type MapResource, type ResourceKind } from "./map-state";
import { toAreaCount, toMapTask, type AreaCount, type MapTask } from "./task-layer";

export type FetchResult = { status: "ok"; resource: MapResource } | { status: "missing" } | { status: "error" };
export type SaveResult =
  | { ok: true; resource: MapResource }
  | { ok: false; code: string; current?: MapResource | null; message?: string };

const json = { accept: "application/json" };

export async function fetchResource(id: string): Promise<FetchResult> {
  try {
    const response = await fetch(`/api/v1/resources/${encodeURIComponent(id)}`, { headers: json, credentials: "same-origin" });
    if (response.status === 404 || response.status === 403) return { status: "missing" };
    if (!response.ok) return { status: "error" };
    const resource = toMapResource(await response.json());
    return resource ? { status: "ok", resource } : { status: "error" };
  } catch {
    return { status: "error" };
  }
}

/** Every active resource of the workspace, following the list's cursor (500 a page). */
export async function fetchAllResources(workspaceId: string): Promise<MapResource[] | null> {
  const out: MapResource[] = [];
  let cursor: string | null = null;
  try {
    for (let page = 0; page < 40; page++) {
      const query = new URLSearchParams({ limit: "500", ...(cursor ? { cursor } : {}) });
      const response = await fetch(`/api/v1/workspaces/${encodeURIComponent(workspaceId)}/resources?${query}`, { headers: json, credentials: "same-origin" });
      if (!response.ok) return null;
      const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
      for (const item of body.items) {
        const resource = toMapResource(item);
        if (resource) out.push(resource);
      }
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return out;
  } catch {
    return null;
  }
}

async function send(method: "POST" | "PATCH", url: string, body: unknown): Promise<SaveResult> {
  try {
    const response = await fetch(url, {
      method,
      headers: { ...json, "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok) {
      const resource = toMapResource(answer);
      return resource ? { ok: true, resource } : { ok: false, code: "internal" };
    }
    const error = (answer?.error ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    if (response.status === 409) return { ok: false, code: "conflict", current: toMapResource(error.details?.current), message: error.message };
    return { ok: false, code: error.code ?? `http_${response.status}`, message: error.message };
  } catch {
    return { ok: false, code: "unavailable" };
  }
}

export interface NewResource {
  ownerOrgId: string;
  kind: ResourceKind;
  category: string;
  name: string;
  lat: number;
  lng: number;
}

export function createResource(workspaceId: string, input: NewResource): Promise<SaveResult> {
  return send("POST", `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/resources`, input);
}

/** PATCH with the version the person saw: a change by someone else meanwhile answers 409. */
export function updateResource(
  id: string,
  expectedVersion: number,
  changes: Partial<{
    lat: number;
    lng: number;
    name: string;
    nameEn: string | null;
    category: string;
    description: string | null;
    address: string | null;
    status: "ARCHIVED";
  }>,
): Promise<SaveResult> {
  return send("PATCH", `/api/v1/resources/${encodeURIComponent(id)}`, { ...changes, expectedVersion });
}

// ───────────── Tasks and resident counts (decision 070) ─────────────

/** The task layer (every open, located task the caller may see), or only `ids`; null on failure. */
export async function fetchMapTasks(workspaceId: string, ids?: readonly string[]): Promise<MapTask[] | null> {
  try {
    const query = ids ? `?${new URLSearchParams({ ids: ids.join(",") })}` : "";
    const response = await fetch(`/api/v1/workspaces/${encodeURIComponent(workspaceId)}/map/tasks${query}`, { headers: json, credentials: "same-origin" });
    if (!response.ok) return null;
    const body = (await response.json()) as { items: unknown[] };
    return body.items.map(toMapTask).filter((t): t is MapTask => t !== null);
  } catch {
    return null;
  }
}

/** Registered residents per area, small counts suppressed by the server; null on failure. */
export async function fetchAreaCounts(workspaceId: string): Promise<AreaCount[] | null> {
  try {
    const response = await fetch(`/api/v1/workspaces/${encodeURIComponent(workspaceId)}/map/resident-counts`, { headers: json, credentials: "same-origin" });
    if (!response.ok) return null;
    const body = (await response.json()) as { items: unknown[] };
    return body.items.map(toAreaCount).filter((c): c is AreaCount => c !== null);
  } catch {
    return null;
  }
}

type TaskRow = Partial<MapTask> & { id: string; version: number };
export type TaskSaveResult = { ok: true; task: TaskRow } | { ok: false; code: string; current?: TaskRow | null; message?: string };

const taskRow = (raw: unknown): TaskRow | null => {
  const r = raw as Record<string, unknown> | null;
  return r && typeof r.id === "string" && typeof r.version === "number" ? (r as TaskRow) : null;
};

/** Moves a task's location through the task API (`PATCH /api/v1/tasks/:id`, the one write path). */
export async function moveTask(id: string, expectedVersion: number, lat: number, lng: number): Promise<TaskSaveResult> {
  try {
    const response = await fetch(`/api/v1/tasks/${encodeURIComponent(id)}`, {
      method: "PATCH",
      headers: { ...json, "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ lat, lng, expectedVersion }),
    });
    const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok) {
      const task = taskRow(answer);
      return task ? { ok: true, task } : { ok: false, code: "internal" };
    }
    const error = (answer?.error ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    if (response.status === 409) return { ok: false, code: "conflict", current: taskRow(error.details?.current), message: error.message };
    return { ok: false, code: error.code ?? `http_${response.status}`, message: error.message };
  } catch {
    return { ok: false, code: "unavailable" };
  }
}
