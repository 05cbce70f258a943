import type { ReactNode } from "react";
import { formatTimeRange } from "~/lib/format";
import { localized, type Locale, type Messages } from "~/lib/i18n";
import type { LockHolder } from "~/lib/realtime/events";
import type { MatchStage } from "~/lib/schemas";
import type { AgendaOpenPiece, AgendaStuck, MeetingAgenda } from "../../../server/domain/meeting-agenda.ts";

/** The agenda as the loader hands it over (its dates are already ISO strings, so it serializes as is). */
export type AgendaView = MeetingAgenda;

/** One agenda line, for a page's own button next to it (the chart's "計画に追加"). */
export type AgendaEntry = { kind: "stuck"; item: AgendaStuck } | { kind: "open"; item: AgendaOpenPiece };

/** The panel's words for a board other than the map (the chart says カルテ, not 地図). */
export interface MeetingWords {
  share: string;
  sharing: string;
  sharedBy: (name: string) => string;
  follow: string;
}

export interface MeetingPanelProps {
  /** The page is hydrated and live: the toggles work. */
  interactive: boolean;
  /** VIEWERs follow; they do not lead. */
  canLead: boolean;
  sharing: boolean;
  onSharing: (on: boolean) => void;
  facilitator: LockHolder | null;
  following: boolean;
  onFollowing: (on: boolean) => void;
  agenda: AgendaView | null;
  /** Pans the map to an agenda item's task (items without a location have no button). */
  onShowOnMap?: (lat: number, lng: number) => void;
  /** Replaces the map's wording. @default the map's (t.meetingShare…) */
  words?: MeetingWords;
  /** Said after the status line, e.g. the chart section the facilitator is in. */
  statusDetail?: string | null;
  /** A page's own control after each agenda line. */
  agendaAction?: (entry: AgendaEntry) => ReactNode;
  /** Extra content at the end of the panel (the chart's decision form, the map's chart links). */
  children?: ReactNode;
  locale: Locale;
  t: Messages;
}

/**
 * Meeting mode beside the map: lead (share this map's view), or follow whoever leads, and the
 * agenda — matches stuck in 連絡中/調整中 and open pieces starting soon. The agenda is server
 * rendered, so it is there without JavaScript; the toggles need the live connection.
 */
export function MeetingPanel(props: MeetingPanelProps) {
  const { agenda, locale, t } = props;
  const stageLabel = (stage: MatchStage) => (t as unknown as Record<string, string>)[`stage_${stage}`] ?? stage;
  const words: MeetingWords = props.words ?? { share: t.meetingShare, sharing: t.meetingSharing, sharedBy: t.meetingSharedBy, follow: t.meetingFollow };
  const onShowOnMap = props.onShowOnMap;
  const showButton = (lat: number | null, lng: number | null) =>
    lat !== null && lng !== null && props.interactive && onShowOnMap ? (
      <button type="button" className="button button--secondary" onClick={() => onShowOnMap(lat, lng)}>
        {t.meetingShowOnMap}
      </button>
    ) : null;
  const status = props.sharing ? words.sharing : props.facilitator ? words.sharedBy(props.facilitator.displayName) : t.meetingNobody;
  return (
    <section className="meeting-panel" aria-labelledby="meeting-heading" data-testid="meeting-panel">
      <h2 id="meeting-heading">{t.meetingHeading}</h2>
      {props.canLead ? (
        <label className="meeting-panel__toggle">
          <input type="checkbox" checked={props.sharing} disabled={!props.interactive} onChange={(e) => props.onSharing(e.currentTarget.checked)} />{" "}
          {words.share}
        </label>
      ) : null}
      <p className="meeting-panel__status" role="status" data-testid="meeting-status">
        {props.facilitator && !props.sharing ? <span aria-hidden="true" className="board-presence__dot" style={{ background: props.facilitator.colour }} /> : null}
        {props.statusDetail && (props.sharing || props.facilitator) ? `${status} ${props.statusDetail}` : status}
      </p>
      {props.facilitator && !props.sharing ? (
        <label className="meeting-panel__toggle">
          <span aria-hidden="true" className="board-presence__dot" style={{ background: props.facilitator.colour }} />
          <input type="checkbox" checked={props.following} disabled={!props.interactive} onChange={(e) => props.onFollowing(e.currentTarget.checked)} />{" "}
          {words.follow}
        </label>
      ) : null}

      {agenda ? (
        <div className="meeting-panel__agenda" data-testid="meeting-agenda">
          <h3>{t.meetingAgenda}</h3>
          <h4>{t.meetingStuck(agenda.stuckDays)}</h4>
          {agenda.stuck.length === 0 ? (
            <p>{t.meetingNothing}</p>
          ) : (
            <ul>
              {agenda.stuck.map((item) => (
                <li key={item.matchId} data-agenda="stuck" data-match-id={item.matchId}>
                  <strong>{localized(locale, item.taskTitle, item.taskTitleEn)}</strong> · {localized(locale, item.role, item.roleEn)} ·{" "}
                  {formatTimeRange(item.startsAt, item.endsAt, locale)} — {t.meetingStuckItem(stageLabel(item.stage), item.days)} {showButton(item.lat, item.lng)}
                  {props.agendaAction?.({ kind: "stuck", item })}
                </li>
              ))}
            </ul>
          )}
          <h4>{t.meetingOpenSoon(agenda.soonDays)}</h4>
          {agenda.openSoon.length === 0 ? (
            <p>{t.meetingNothing}</p>
          ) : (
            <ul>
              {agenda.openSoon.map((item) => (
                <li key={item.shiftId} data-agenda="open" data-shift-id={item.shiftId}>
                  <strong>{localized(locale, item.taskTitle, item.taskTitleEn)}</strong> · {localized(locale, item.role, item.roleEn)} ·{" "}
                  {formatTimeRange(item.startsAt, item.endsAt, locale)} — {t.meetingOpenSeats(item.open, item.headcount)} {showButton(item.lat, item.lng)}
                  {props.agendaAction?.({ kind: "open", item })}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      {props.children}
    </section>
  );
}
