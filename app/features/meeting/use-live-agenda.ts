import { useCallback, useEffect, useRef, useState } from "react";
import type { LiveChangeBatch } from "~/features/live/use-live-workspace";
import type { AgendaView } from "./meeting-panel";

/** What can add or remove agenda lines: a match's stage, a piece's seats or time, a task's status. */
const AGENDA_ENTITIES: ReadonlySet<string> = new Set(["match", "shift", "task"]);

export const affectsAgenda = (batch: LiveChangeBatch): boolean => batch.changes.some((change) => AGENDA_ENTITIES.has(change.entity));

/** A burst of changes (a matching rerun, a team confirmed) becomes one refetch. */
const REFETCH_DELAY_MS = 300;

/** GET the agenda again; null when it could not be read (the page keeps what it shows). */
export async function fetchAgenda(workspaceId: string, areaId?: string): Promise<AgendaView | null> {
  const query = areaId ? `?areaId=${encodeURIComponent(areaId)}` : "";
  try {
    const response = await fetch(`/api/v1/workspaces/${encodeURIComponent(workspaceId)}/meeting-agenda${query}`, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return null;
    const body = (await response.json()) as Partial<AgendaView> | null;
    return body && Array.isArray(body.stuck) && Array.isArray(body.openSoon) ? (body as AgendaView) : null;
  } catch {
    return null;
  }
}

/**
 * Meeting mode's agenda, kept current (decision 076): the loader's agenda at first, read again a
 * moment after live changes that can alter it (the page calls `refresh` from its onChanges and
 * onReset). A page that shows no agenda (null) never fetches one.
 */
export function useLiveAgenda(initial: AgendaView | null, workspaceId: string, areaId?: string) {
  const [agenda, setAgenda] = useState(initial);
  useEffect(() => setAgenda(initial), [initial]);

  const shown = initial !== null;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latestRequest = useRef(0);
  const refresh = useCallback(() => {
    if (!shown || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      const request = ++latestRequest.current;
      void fetchAgenda(workspaceId, areaId).then((next) => {
        if (next && request === latestRequest.current) setAgenda(next);
      });
    }, REFETCH_DELAY_MS);
  }, [shown, workspaceId, areaId]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      latestRequest.current++;
    },
    [],
  );

  return { agenda, refresh };
}
