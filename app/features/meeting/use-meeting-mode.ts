import { useCallback, useEffect, useRef, useState } from "react";
import type { ClientAcks, ClientPayload, LockHolder, MeetingViewShared } from "~/lib/realtime/events";

/** A map viewport (centre and zoom), as ResourceMap reports it and meeting:view carries it. */
export interface SharedView {
  lat: number;
  lng: number;
  zoom: number;
}

export interface MeetingLive {
  meetings: Readonly<Record<string, MeetingViewShared>>;
  present: ReadonlyArray<{ userId: string; board: string }>;
  shareView: (share: Omit<ClientPayload<"meeting:view">, "workspaceId">) => Promise<ClientAcks["meeting:view"]>;
}

/** Sends of the facilitator's view: at most one per interval while the map moves, and the last one always. */
const SHARE_INTERVAL_MS = 80;
/**
 * The facilitator repeats its view this often while sharing: the server keeps nothing, so a late
 * joiner (or a reconnected follower) learns the view within this time at worst.
 */
const HEARTBEAT_MS = 2_000;

/** What the facilitator shares: a map's viewport, or the section of a chart it is in. */
type Position = Pick<ClientPayload<"meeting:view">, "view" | "section">;

/**
 * Meeting mode on a board (docs/map.md, decision 067; the chart: decision 069). The facilitator's
 * client sends its position (`meeting:view`: the map's viewport, or the chart section it is in)
 * whenever it changes and again whenever someone joins the board (the server keeps nothing, so a
 * late joiner learns it this way); the others may follow it. A follower who moves by hand stops
 * following (their own move wins, and they are told).
 */
export function useMeetingMode(options: { live: MeetingLive; board: string; selfUserId: string; onFollowStopped: () => void }) {
  const { live, board, selfUserId } = options;
  const [sharing, setSharingState] = useState(false);
  const [following, setFollowing] = useState(false);
  const current = useRef<Position | null>(null);
  const lastSent = useRef(0);
  const trailing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(options);
  latest.current = options;

  const shared = live.meetings[board];
  // A facilitator who left the board (or whose connection died) leads no more.
  const facilitator: LockHolder | null =
    shared && shared.facilitator.userId !== selfUserId && live.present.some((p) => p.userId === shared.facilitator.userId && p.board === board)
      ? shared.facilitator
      : null;
  const followView = following && facilitator && shared?.view ? shared.view : null;
  /** The chart section the facilitator is in (shown to everyone, followed by followers). */
  const facilitatorSection = facilitator && shared?.section ? shared.section : null;
  const followSection = following ? facilitatorSection : null;

  const send = useCallback(() => {
    if (trailing.current) clearTimeout(trailing.current);
    trailing.current = null;
    lastSent.current = Date.now();
    if (current.current) void latest.current.live.shareView({ board, ...current.current });
  }, [board]);

  const setSharing = useCallback(
    (on: boolean) => {
      setSharingState(on);
      if (on) {
        setFollowing(false);
        send();
      } else {
        if (trailing.current) clearTimeout(trailing.current);
        trailing.current = null;
        void latest.current.live.shareView({ board, view: null });
      }
    },
    [board, send],
  );

  const sharingRef = useRef(sharing);
  sharingRef.current = sharing;
  const followingRef = useRef(following);
  followingRef.current = following;

  const throttledSend = useCallback(
    (final: boolean) => {
      if (!sharingRef.current) return;
      if (final) return send();
      const wait = SHARE_INTERVAL_MS - (Date.now() - lastSent.current);
      if (wait <= 0) send();
      else if (!trailing.current) trailing.current = setTimeout(send, wait);
    },
    [send],
  );

  /** The follower moved by hand: stop following, and say so. */
  const onManualMove = useCallback(() => {
    if (!followingRef.current) return;
    setFollowing(false);
    latest.current.onFollowStopped();
  }, []);

  /** ResourceMap's onViewChange: while moving (throttled) and the settled view (at once). */
  const onViewChange = useCallback(
    (view: SharedView, byUser: boolean, final: boolean) => {
      current.current = { view };
      if (byUser) onManualMove();
      throttledSend(final);
    },
    [onManualMove, throttledSend],
  );

  /** A chart's current section (the facilitator's caret or scroll position); sent when it changes. */
  const onSectionChange = useCallback(
    (section: string) => {
      if (current.current?.section === section) return;
      current.current = { view: null, section };
      throttledSend(true);
    },
    [throttledSend],
  );

  // Someone joined (or left) the board: tell them where we are at once; and now and then anyway.
  const present = live.present;
  useEffect(() => {
    if (sharingRef.current) send();
  }, [present, send]);
  useEffect(() => {
    if (!sharing) return;
    const timer = setInterval(send, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [sharing, send]);

  // Stop sharing when the page goes away.
  useEffect(
    () => () => {
      if (trailing.current) clearTimeout(trailing.current);
      if (sharingRef.current) void latest.current.live.shareView({ board, view: null });
    },
    [board],
  );

  // The facilitator stopped: nothing to follow any more.
  useEffect(() => {
    if (!facilitator) setFollowing(false);
  }, [facilitator]);

  return { sharing, setSharing, following, setFollowing, facilitator, followView, onViewChange, facilitatorSection, followSection, onSectionChange, onManualMove };
}
