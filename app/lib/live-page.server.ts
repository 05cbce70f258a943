/**
 * Loader glue shared by the live surfaces (kanban, map): the workspace version the page's data
 * starts at, and every item of a paged domain list. The version is read before the items, so every
 * change after it arrives live and is applied on top (item versions make a change seen twice
 * harmless).
 */
import type { AppLoadContext } from "@remix-run/node";
import { orResponse, type SessionUser } from "./auth.server";

export async function workspaceVersion(context: AppLoadContext, user: SessionUser, workspaceId: string): Promise<number> {
  return (await context.services.domain.workspaces.listForUser(user)).find((w) => w.id === workspaceId)?.version ?? 0;
}

/** Follows a domain list's cursor (at most `maxPages` pages), keeping the items `toItem` accepts. */
export async function readAllPages<T, R>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  toItem: (item: T) => R | null,
  maxPages = 20,
): Promise<R[]> {
  const out: R[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const result = await orResponse(page(cursor));
    for (const item of result.items) {
      const mapped = toItem(item);
      if (mapped) out.push(mapped);
    }
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return out;
}
