import { createContext, createElement, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
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

/** The board of a workspace page that shows no board of its own (the home, lists, forms). */
export const HOME_BOARD = "home";

const SharedLive = createContext<{ workspaceId: string; client: LiveWorkspaceClient } | null>(null);

/**
 * One live connection for every page of a workspace (the layout mounts it): the status bar and the
 * page share it, and it stays up while the user moves between the board, the map and the chart,
 * so others see them on the board they are on, once. Mount it with `key={workspaceId}`.
 */
export function LiveWorkspaceProvider({ workspaceId, children }: { workspaceId: string; children: ReactNode }) {
  // Created at render (the constructor only sets fields) so that the pages' effects, which run
  // before this one, can follow it with their versions before it connects.
  const [client] = useState(() => new LiveWorkspaceClient({ workspaceId, board: HOME_BOARD }));
  useEffect(() => {
    client.start();
    return () => client.stop();
  }, [client]);
  const [value] = useState(() => ({ workspaceId, client }));
  return createElement(SharedLive.Provider, { value }, children);
}

const noopSubscribe = () => () => {};
const initial = () => INITIAL_LIVE_SNAPSHOT;
const notConnected = { ok: false, code: "unavailable", message: "接続していません / Not connected" } as const;

/**
 * A workspace's live connection for a page: connection state (for ConnectionBadge), presence,
 * locks, the last seen version, changes handed over in order (resyncing over HTTP after a gap or
 * a reconnect), and commands with typed acks. Inside LiveWorkspaceProvider it follows the
 * layout's connection; elsewhere it opens its own. Connects only in the browser (in an effect).
 */
export function useLiveWorkspace(options: UseLiveWorkspaceOptions) {
  const { workspaceId, board = null } = options;
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  const shared = useContext(SharedLive);
  const sharedClient = shared && shared.workspaceId === workspaceId && !options.clientOptions ? shared.client : null;

  // A page on the shared connection: its changes from the version its data was loaded at.
  useEffect(() => {
    if (!sharedClient) return;
    const { initialVersion, onChanges, onReset } = latest.current;
    if (!onChanges && !onReset) return;
    return sharedClient.follow({
      initialVersion,
      onChanges: (batch) => latest.current.onChanges?.(batch),
      onReset: (version) => latest.current.onReset?.(version),
    });
  }, [sharedClient]);

  useEffect(() => {
    if (!sharedClient || board === null) return;
    return sharedClient.claimBoard(board);
  }, [sharedClient, board]);

  const [ownClient, setOwnClient] = useState<LiveWorkspaceClient | null>(null);
  useEffect(() => {
    if (sharedClient) return;
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
    setOwnClient(live);
    return () => {
      live.stop();
      setOwnClient(null);
    };
  }, [workspaceId, sharedClient]);

  useEffect(() => {
    void ownClient?.setBoard(board);
  }, [ownClient, board]);

  const client = sharedClient ?? ownClient;

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
  // A shared connection outlives the page: the locks the page took go with the page.
  const pageLocks = useRef(new Set<string>());
  useEffect(() => {
    if (!sharedClient) return;
    const held = pageLocks.current;
    return () => {
      for (const target of held) void sharedClient.releaseLock(target);
      held.clear();
    };
  }, [sharedClient]);

  const acquireLock = useCallback(
    async (target: string, kind: LockKind): Promise<ClientAcks["lock:acquire"]> => {
      if (!client) return notConnected;
      const ack = await client.acquireLock(target, kind);
      if (ack.ok) pageLocks.current.add(target);
      return ack;
    },
    [client],
  );
  const releaseLock = useCallback(
    async (target: string): Promise<ClientAcks["lock:release"]> => {
      pageLocks.current.delete(target);
      return client ? client.releaseLock(target) : notConnected;
    },
    [client],
  );

  const shareView = useCallback(
    async (share: Omit<ClientPayload<"meeting:view">, "workspaceId">): Promise<ClientAcks["meeting:view"]> =>
      client ? client.shareView(share) : notConnected,
    [client],
  );

  return { ...snapshot, sendCommand, acquireLock, releaseLock, shareView };
}
