/**
 * React hook for a collaborative document (`chart:<areaId>`…): a Y.Doc kept in sync through
 * `/yjs/<docName>`, the connection and save state (保存中… / 保存済み), who else is here, and
 * whether this user may edit. The provider is browser-only and loaded lazily; during server
 * rendering the hook returns an empty document in the "connecting" state.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import * as Y from "yjs";
import type { CollabView, ConnectionStatus } from "./collab-binding.ts";
import type { Peer } from "./presence.ts";
import type { PresenceState } from "./protocol.ts";
import type { SaveState } from "./save-state.ts";
import type { WebsocketProvider } from "y-websocket";

export interface CollabDocState {
  doc: Y.Doc;
  status: ConnectionStatus;
  saveState: SaveState;
  peers: Peer[];
  readOnly: boolean;
  refusedReason: string | null;
  /** 4401: logged out; 4403: no access (any more); 4404: no such document. Null while fine. */
  closeCode: number | null;
  /** True once the document holds the server's state (after the first sync of a connection). */
  synced: boolean;
  /**
   * The open provider (browser only, null before it is loaded): editor bindings that need its
   * awareness (TipTap's collaboration caret) take it from here.
   */
  provider: WebsocketProvider | null;
  /** Shares this user's selection (Yjs relative positions as JSON), or null when none. */
  setCursor(cursor: PresenceState["cursor"]): void;
}

const INITIAL: Omit<CollabDocState, "doc" | "setCursor" | "provider"> = {
  status: "connecting",
  synced: false,
  saveState: "saved",
  peers: [],
  readOnly: false,
  refusedReason: null,
  closeCode: null,
};

export function useCollabDoc(docName: string, options: { user?: PresenceState["user"]; enabled?: boolean } = {}): CollabDocState {
  const enabled = options.enabled ?? true;
  // One Y.Doc per document name; a new name starts from an empty document.
  const [doc, setDoc] = useState(() => new Y.Doc());
  const [view, setView] = useState(INITIAL);
  const [provider, setProvider] = useState<WebsocketProvider | null>(null);
  const awarenessRef = useRef<{ setLocalStateField(field: string, value: unknown): void } | null>(null);
  const userRef = useRef(options.user);
  userRef.current = options.user;

  useEffect(() => {
    if (!enabled) return;
    const current = new Y.Doc();
    setDoc(current);
    setView(INITIAL);
    let cancelled = false;
    let destroy: (() => void) | null = null;
    void import("./collab-provider.client.ts").then(({ openCollabProvider }) => {
      if (cancelled) return;
      const opened = openCollabProvider(docName, current, {
        user: userRef.current,
        onChange: (next: CollabView) => {
          if (!cancelled) setView(pick(next));
        },
      });
      awarenessRef.current = opened.provider.awareness;
      setProvider(opened.provider);
      destroy = opened.destroy;
    });
    return () => {
      cancelled = true;
      awarenessRef.current = null;
      setProvider(null);
      destroy?.();
      current.destroy();
    };
  }, [docName, enabled]);

  const setCursor = useCallback((cursor: PresenceState["cursor"]) => {
    awarenessRef.current?.setLocalStateField("cursor", cursor ?? null);
  }, []);

  return { doc, ...view, provider, setCursor };
}

function pick(view: CollabView): Omit<CollabDocState, "doc" | "setCursor" | "provider"> {
  return {
    status: view.status,
    synced: view.synced,
    saveState: view.saveState,
    peers: view.peers,
    readOnly: view.readOnly,
    refusedReason: view.refusedReason,
    closeCode: view.closeCode,
  };
}
