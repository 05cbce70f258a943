/**
 * The map board's HTTP calls (browser side): one resource, every resource, create, update.
 * Answers are mapped to the shapes map-state understands; nothing here throws.
 */
import { toMapResource, type MapResource, type ResourceKind } from "./map-state";

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
  changes: Partial<{ lat: number; lng: number; name: string; category: string; status: "ARCHIVED" }>,
): Promise<SaveResult> {
  return send("PATCH", `/api/v1/resources/${encodeURIComponent(id)}`, { ...changes, expectedVersion });
}
