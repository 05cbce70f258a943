/**
 * The save indicator (保存中… / 保存済み) as a pure state machine over what the provider sent and
 * what the server answered (docs/collab-protocol.md, "saved"). Per connection, every
 * update-bearing message the client sends — its sync step 2, then each update — gets the next
 * sequence number, and the server answers each with `saved(seq)` or `refused(seq, reason)` in
 * order. Changes made offline, or sent on a connection that closed before its answer, travel in
 * the next connection's sync step 2, so its answer settles them.
 */
export interface SaveTracker {
  connected: boolean;
  /** Update-bearing messages sent on this connection (seq of the last one). */
  sent: number;
  /** Highest seq the server answered on this connection. */
  acked: number;
  /** Local changes the server has not stored yet and that no message in flight carries. */
  unsent: boolean;
  /** This connection's sync step 2 carries the unsent changes; its answer settles them. */
  carrySeq: number | null;
  readOnly: boolean;
  /** Why the server refused the latest refused update (until a later one is saved). */
  refusedReason: string | null;
}

export type SaveEvent =
  | { type: "open" }
  | { type: "close" }
  /** The provider answered the server's sync step 1 with its sync step 2. */
  | { type: "sent-step2" }
  /** A local change: sent as an update if connected, else kept for the next sync step 2. */
  | { type: "local-change"; connected: boolean }
  | { type: "saved"; seq: number }
  | { type: "refused"; seq: number; reason: string }
  | { type: "access"; readOnly: boolean };

export type SaveState = "saving" | "saved" | "error";

export const initialSaveTracker: SaveTracker = {
  connected: false,
  sent: 0,
  acked: 0,
  unsent: false,
  carrySeq: null,
  readOnly: false,
  refusedReason: null,
};

export function reduceSave(state: SaveTracker, event: SaveEvent): SaveTracker {
  switch (event.type) {
    case "open":
      return { ...state, connected: true, sent: 0, acked: 0, carrySeq: null };
    case "close":
      // What was sent and not answered is resent by the next connection's sync step 2.
      return { ...state, connected: false, unsent: state.unsent || state.acked < state.sent, sent: 0, acked: 0, carrySeq: null };
    case "sent-step2": {
      const sent = state.sent + 1;
      return { ...state, sent, carrySeq: state.unsent && state.carrySeq === null ? sent : state.carrySeq };
    }
    case "local-change":
      if (!event.connected) return { ...state, unsent: true };
      return { ...state, sent: state.sent + 1 };
    case "saved": {
      const settlesUnsent = state.carrySeq !== null && event.seq >= state.carrySeq;
      return {
        ...state,
        acked: Math.max(state.acked, event.seq),
        unsent: settlesUnsent ? false : state.unsent,
        carrySeq: settlesUnsent ? null : state.carrySeq,
        refusedReason: state.refusedReason === "read_only" ? state.refusedReason : null,
      };
    }
    case "refused":
      return {
        ...state,
        acked: Math.max(state.acked, event.seq),
        // Not stored: a read-only user's change never will be; after a store failure the next
        // connection's sync step 2 carries it again.
        unsent: event.reason === "read_only" ? state.unsent : true,
        refusedReason: event.reason,
      };
    case "access":
      return { ...state, readOnly: event.readOnly };
  }
}

export function saveStateOf(state: SaveTracker): SaveState {
  if (state.refusedReason !== null) return "error";
  if (state.unsent || state.acked < state.sent) return "saving";
  return "saved";
}

/** What the indicator says, in Japanese (the app's default) and English. */
export const SAVE_LABELS: Record<SaveState, { ja: string; en: string }> = {
  saving: { ja: "保存中…", en: "Saving…" },
  saved: { ja: "保存済み", en: "Saved" },
  error: { ja: "保存できません", en: "Not saved" },
};
