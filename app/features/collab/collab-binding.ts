/**
 * Binds a y-websocket `WebsocketProvider` to our protocol additions (docs/collab-protocol.md):
 * the `saved` / `refused` / `access` messages, the save state machine and the peers list.
 * Isomorphic (no `window`): the browser hook and the Node integration tests use the same code.
 */
import * as decoding from "lib0/decoding";
import type { WebsocketProvider } from "y-websocket";
import { peersFrom, type Peer } from "./presence.ts";
import { messageAccess, messageRefused, messageSaved, messageSync, readAccess, readRefused, readSaved } from "./protocol.ts";
import { initialSaveTracker, reduceSave, saveStateOf, type SaveEvent, type SaveState, type SaveTracker } from "./save-state.ts";

export type ConnectionStatus = "connecting" | "connected" | "disconnected";

export interface CollabView {
  status: ConnectionStatus;
  saveState: SaveState;
  save: SaveTracker;
  peers: Peer[];
  readOnly: boolean;
  refusedReason: string | null;
  /** The last close code from the server (4401 logged out, 4403 no access…), or null. */
  closeCode: number | null;
  /** True when the server closed for good (44xx): the provider does not reconnect. */
  closedForGood: boolean;
  /** True once the document holds the server's state (sync step 2 received on this connection). */
  synced: boolean;
}

type MessageHandler = (encoder: unknown, decoder: decoding.Decoder, provider: WebsocketProvider, emitSynced: boolean, messageType: number) => void;

export interface CollabBinding {
  view(): CollabView;
  /** Save events, for tests that follow seq numbers. */
  onSaveEvent(listener: (event: SaveEvent, state: SaveTracker) => void): () => void;
  destroy(): void;
}

/** Call before `provider.connect()` (create the provider with `connect: false`). */
export function bindCollab(provider: WebsocketProvider, onChange: (view: CollabView) => void = () => {}): CollabBinding {
  let save = initialSaveTracker;
  let status: ConnectionStatus = provider.wsconnected ? "connected" : provider.wsconnecting ? "connecting" : "disconnected";
  let closeCode: number | null = null;
  let closedForGood = false;
  const saveListeners = new Set<(event: SaveEvent, state: SaveTracker) => void>();

  const view = (): CollabView => ({
    status,
    saveState: saveStateOf(save),
    save,
    peers: peersFrom(provider.awareness.getStates() as Map<number, Record<string, unknown>>, provider.doc.clientID),
    readOnly: save.readOnly,
    refusedReason: save.refusedReason,
    closeCode,
    closedForGood,
    synced: provider.synced,
  });
  const emit = () => onChange(view());
  const dispatch = (event: SaveEvent) => {
    save = reduceSave(save, event);
    for (const listener of saveListeners) listener(event, save);
    emit();
  };

  const handlers = provider.messageHandlers as unknown as MessageHandler[];
  const syncHandler = handlers[messageSync];
  handlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
    const syncType = decoding.peekVarUint(decoder);
    syncHandler(encoder, decoder, p, emitSynced, type);
    // The server's sync step 1 over the socket: the provider answers with its sync step 2.
    if (emitSynced && syncType === 0) dispatch({ type: "sent-step2" });
  };
  handlers[messageSaved] = (_encoder, decoder) => dispatch({ type: "saved", seq: readSaved(decoder) });
  handlers[messageRefused] = (_encoder, decoder) => dispatch({ type: "refused", ...readRefused(decoder) });
  handlers[messageAccess] = (_encoder, decoder) => dispatch({ type: "access", ...readAccess(decoder) });

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return; // from the server (or another tab): not ours to save
    // Same test as the provider's own send (y-websocket broadcastMessage).
    const connected = provider.wsconnected && provider.ws !== null && provider.ws.readyState === 1;
    dispatch({ type: "local-change", connected });
  };
  const onStatus = ({ status: next }: { status: ConnectionStatus }) => {
    if (next === "connected") {
      closeCode = null;
      status = next;
      dispatch({ type: "open" });
    } else if (next === "disconnected") {
      status = next;
      dispatch({ type: "close" });
    } else {
      status = next;
      emit();
    }
  };
  const onConnectionClose = (event: { code: number } | null) => {
    if (event) closeCode = event.code;
    emit();
  };
  const onClosed = () => {
    closedForGood = true;
    status = "disconnected";
    emit();
  };
  const onAwareness = () => emit();
  const onSync = () => emit();

  provider.doc.on("update", onUpdate);
  provider.on("status", onStatus);
  provider.on("connection-close", onConnectionClose as never);
  provider.on("closed", onClosed);
  provider.on("sync", onSync);
  provider.awareness.on("change", onAwareness);

  return {
    view,
    onSaveEvent(listener) {
      saveListeners.add(listener);
      return () => saveListeners.delete(listener);
    },
    destroy() {
      provider.doc.off("update", onUpdate);
      provider.off("status", onStatus);
      provider.off("connection-close", onConnectionClose as never);
      provider.off("closed", onClosed);
      provider.off("sync", onSync);
      provider.awareness.off("change", onAwareness);
      handlers[messageSync] = syncHandler;
      saveListeners.clear();
    },
  };
}
