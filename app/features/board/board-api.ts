/**
 * The board's HTTP calls (browser side): a card, every card, a move over REST when the socket is
 * down. Answers are mapped to the shapes the board state understands; nothing here throws.
 */
import type { MatchStage } from "~/lib/schemas";
import { toBoardCard, type BoardCard } from "./board-state";

export type MoveResult =
  | { ok: true; card: BoardCard }
  | { ok: false; code: string; current?: BoardCard | null; changedBy?: string | null; changedAt?: string | null };

export type FetchCardResult = { status: "ok"; card: BoardCard; raw: Record<string, unknown> } | { status: "missing" } | { status: "error" };

const json = { accept: "application/json" };

export async function fetchCard(id: string): Promise<FetchCardResult> {
  try {
    const response = await fetch(`/api/v1/matches/${encodeURIComponent(id)}`, { headers: json, credentials: "same-origin" });
    if (response.status === 404 || response.status === 403) return { status: "missing" };
    if (!response.ok) return { status: "error" };
    const raw = (await response.json()) as Record<string, unknown>;
    const card = toBoardCard(raw);
    return card ? { status: "ok", card, raw } : { status: "error" };
  } catch {
    return { status: "error" };
  }
}

/** Every card of the workspace, following the list's cursor (500 a page). */
export async function fetchAllCards(workspaceId: string): Promise<BoardCard[] | null> {
  const cards: BoardCard[] = [];
  let cursor: string | null = null;
  try {
    for (let page = 0; page < 100; page++) {
      const query = new URLSearchParams({ limit: "500", ...(cursor ? { cursor } : {}) });
      const response = await fetch(`/api/v1/workspaces/${encodeURIComponent(workspaceId)}/matches?${query}`, {
        headers: json,
        credentials: "same-origin",
      });
      if (!response.ok) return null;
      const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
      for (const item of body.items) {
        const card = toBoardCard(item);
        if (card) cards.push(card);
      }
      cursor = body.nextCursor;
      if (!cursor) return cards;
    }
    return cards;
  } catch {
    return null;
  }
}

/** POST /api/v1/matches/:id/stage — the REST twin of the `match:move` command. */
export async function postMove(id: string, stage: MatchStage, expectedVersion: number): Promise<MoveResult> {
  try {
    const response = await fetch(`/api/v1/matches/${encodeURIComponent(id)}/stage`, {
      method: "POST",
      headers: { ...json, "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ stage, expectedVersion }),
    });
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok) {
      const card = toBoardCard(body);
      return card ? { ok: true, card } : { ok: false, code: "internal" };
    }
    const error = (body?.error ?? {}) as { code?: string; details?: Record<string, unknown> };
    if (response.status === 409) {
      return {
        ok: false,
        code: "conflict",
        current: toBoardCard(error.details?.current),
        changedBy: typeof error.details?.changedBy === "string" ? error.details.changedBy : null,
        changedAt: typeof error.details?.changedAt === "string" ? error.details.changedAt : null,
      };
    }
    return { ok: false, code: response.status === 403 ? "forbidden" : response.status === 404 ? "not_found" : (error.code ?? "internal") };
  } catch {
    return { ok: false, code: "unavailable" };
  }
}

/** POST /api/v1/matches/:id/pin — a pinned card is a fixed input of every matching run. */
export async function postPin(id: string, pinned: boolean, expectedVersion: number): Promise<MoveResult> {
  try {
    const response = await fetch(`/api/v1/matches/${encodeURIComponent(id)}/pin`, {
      method: "POST",
      headers: { ...json, "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ pinned, expectedVersion }),
    });
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok) {
      const card = toBoardCard(body);
      return card ? { ok: true, card } : { ok: false, code: "internal" };
    }
    const error = (body?.error ?? {}) as { code?: string };
    return { ok: false, code: response.status === 409 ? "conflict" : (error.code ?? "internal") };
  } catch {
    return { ok: false, code: "unavailable" };
  }
}

// ───── card detail actions (decisions 032, 033) ─────

export type ActionResult<T = Record<string, unknown>> =
  | { ok: true; body: T }
  | { ok: false; status: number; code: string; reason: string | null; message: string | null };

async function send<T>(method: "GET" | "POST", url: string, body?: unknown): Promise<ActionResult<T>> {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? json : { ...json, "content-type": "application/json" },
      credentials: "same-origin",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok) return { ok: true, body: parsed as T };
    const error = (parsed?.error ?? {}) as { code?: string; message?: string; details?: { reason?: unknown } };
    return {
      ok: false,
      status: response.status,
      code: error.code ?? "internal",
      reason: typeof error.details?.reason === "string" ? error.details.reason : null,
      message: typeof error.message === "string" ? error.message : null,
    };
  } catch {
    return { ok: false, status: 0, code: "unavailable", reason: null, message: null };
  }
}

const matchUrl = (id: string, tail = "") => `/api/v1/matches/${encodeURIComponent(id)}${tail}`;

/** POST /api/v1/matches/:id/notes */
export const postNote = (id: string, text: string) => send<{ id: string; text: string; author: string | null; createdAt: string }>("POST", matchUrl(id, "/notes"), { text });

/** POST /api/v1/matches/:id/handoff — answers the card. */
export const postHandoff = (id: string, organizationId: string, expectedVersion: number) =>
  send<Record<string, unknown>>("POST", matchUrl(id, "/handoff"), { organizationId, expectedVersion });

/** POST /api/v1/matches/:id/outcome — answers the card. */
export const postOutcome = (id: string, input: { attended: boolean; hours: number | null; rating: number | null }, expectedVersion: number) =>
  send<Record<string, unknown>>("POST", matchUrl(id, "/outcome"), { ...input, expectedVersion });

/** GET /api/v1/matches/:id/resident — the person behind the card as the projection lets the caller see them (audited). */
export const fetchResidentForCard = (id: string) => send<Record<string, unknown>>("GET", matchUrl(id, `/resident?purpose=contact`));

/** GET /api/v1/workspaces/:id/organizations */
export const fetchOrganizations = (workspaceId: string) =>
  send<{ items: Array<{ id: string; name: string; nameEn?: string | null }> }>("GET", `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/organizations`);
