import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { ClientAcks, ClientPayload, CommandName, LockKind } from "~/lib/realtime/events";
import {
  INITIAL_LIVE_SNAPSHOT,
  LiveWorkspaceClient,
  type LiveChangeBatch,
  type LiveSnapshot,
  type LiveWorkspaceOptions,
} from "./live-workspace-client";

export type { LiveChangeBatch, LiveConnectionState, LiveSnapshot, OfflineReason } from "./live-workspace-client";

export interface UseLiveWorkspaceOptions {
  workspaceId: string;
  /** The workspace version the loader's data is at (read once, when the connection starts). */
  initialVersion?: number | null;
  /** The board this page shows, for presence. */
  board?: string | null;
  /** Changes in version order: live events, or rows of the change feed after a resync. */
  onChanges?: (batch: LiveChangeBatch) => void;
  /** Reload everything (the server's history diverged, or we were too far behind). */
  onReset?: (version: number) => void;
  /** For tests and other origins. */
  clientOptions?: Pick<LiveWorkspaceOptions, "url" | "fetch" | "socketOptions" | "gapGraceMs">;
}

const noopSubscribe = () => () => {};
const initial = () => INITIAL_LIVE_SNAPSHOT;
const notConnected = { ok: false, code: "unavailable", message: "接続していません / Not connected" } as const;

/**
 * A workspace's live connection for a page: connection state (for ConnectionBadge), presence,
 * locks, the last seen version, changes handed over in order (resyncing over HTTP after a gap or
 * a reconnect), and commands with typed acks. Connects only in the browser (in an effect).
 */
export function useLiveWorkspace(options: UseLiveWorkspaceOptions) {
  const { workspaceId, board = null } = options;
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  const [client, setClient] = useState<LiveWorkspaceClient | null>(null);
  useEffect(() => {
    const { initialVersion, clientOptions } = latest.current;
    const live = new LiveWorkspaceClient({
      ...clientOptions,
      workspaceId,
      initialVersion,
      board: latest.current.board ?? null,
      onChanges: (batch) => latest.current.onChanges?.(batch),
      onReset: (version) => latest.current.onReset?.(version),
    });
    live.start();
    setClient(live);
    return () => {
      live.stop();
      setClient(null);
    };
  }, [workspaceId]);

  useEffect(() => {
    void client?.setBoard(board);
  }, [client, board]);

  const snapshot: LiveSnapshot = useSyncExternalStore(
    client ? client.subscribe : noopSubscribe,
    client ? client.getSnapshot : initial,
    initial,
  );

  const sendCommand = useCallback(
    async <C extends CommandName>(name: C, payload: ClientPayload<C>): Promise<ClientAcks[C]> =>
      client ? client.sendCommand(name, payload) : (notConnected as ClientAcks[C]),
    [client],
  );
  const acquireLock = useCallback(
    async (target: string, kind: LockKind): Promise<ClientAcks["lock:acquire"]> =>
      client ? client.acquireLock(target, kind) : notConnected,
    [client],
  );
  const releaseLock = useCallback(
    async (target: string): Promise<ClientAcks["lock:release"]> => (client ? client.releaseLock(target) : notConnected),
    [client],
  );

  const shareView = useCallback(
    async (share: Omit<ClientPayload<"meeting:view">, "workspaceId">): Promise<ClientAcks["meeting:view"]> =>
      client ? client.shareView(share) : notConnected,
    [client],
  );

  return { ...snapshot, sendCommand, acquireLock, releaseLock, shareView };
}
