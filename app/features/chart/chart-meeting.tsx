/**
 * Meeting mode on a chart (docs/chart.md, decision 069): the map's meeting panel (lead / follow,
 * the agenda) on the board `chart:<areaId>`, where the facilitator shares the section it is in
 * (its caret, else what it has scrolled to) instead of a viewport; followers scroll to that section
 * and see it marked for a moment. Decisions are recorded into this chart's action plan through the
 * Y doc (addMeetingDecision), the one write path of the plan; every agenda line can prefill them.
 */
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type * as Y from "yjs";
import { MeetingPanel, type AgendaEntry, type AgendaView } from "~/features/meeting/meeting-panel";
import { useMeetingMode, type MeetingLive } from "~/features/meeting/use-meeting-mode";
import { formatTimeRange } from "~/lib/format";
import { localized, messagesFor, type Locale } from "~/lib/i18n";
import type { OrganizationOption } from "./action-plan";
import { addMeetingDecision } from "./chart-doc";
import { CHART_MESSAGES } from "./messages";
import { sectionAtCaret, sectionAtScroll, sectionBox, sectionLabel, sectionTargets } from "./meeting-sections";

/** How long a followed section stays marked. @default 1600 ms */
const MARK_MS = 1_600;
/** Keys that scroll the page when the focus is not in a field. */
const SCROLL_KEYS = new Set(["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "]);

export function chartBoard(areaId: string): string {
  return `chart:${areaId}`;
}

function newId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

function editable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName));
}

export interface ChartMeetingProps {
  live: MeetingLive & { connection: string };
  areaId: string;
  selfUserId: string;
  /** Members who may edit lead and record; VIEWERs follow. */
  canEdit: boolean;
  /** The document holds the server's state: decisions can be written. */
  ready: boolean;
  doc: Y.Doc;
  agenda: AgendaView | null;
  organizations: OrganizationOption[];
  defaultOrgId: string | null;
  announce: (message: string) => void;
  locale: Locale;
}

export function ChartMeeting(props: ChartMeetingProps) {
  const { live, areaId, locale, announce } = props;
  const t = CHART_MESSAGES[locale];
  const common = messagesFor(locale);
  const meeting = useMeetingMode({ live, board: chartBoard(areaId), selfUserId: props.selfUserId, onFollowStopped: () => announce(t.meetingFollowStopped) });
  const { onSectionChange, onManualMove, sharing, following, followSection, facilitator } = meeting;
  const [mySection, setMySection] = useState<string | null>(null);
  const [mark, setMark] = useState<{ section: string; top: number; height: number; at: number } | null>(null);

  // ── Leading: track the section this person is in (caret first, else scroll) ──
  useEffect(() => {
    if (!sharing) return;
    let frame = 0;
    const report = (byCaret: boolean) => {
      const targets = sectionTargets();
      const section = (byCaret ? sectionAtCaret(targets) : null) ?? sectionAtScroll(targets);
      if (!section) return;
      setMySection(section);
      onSectionChange(section);
    };
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        report(false);
      });
    };
    const onCaret = () => report(true);
    report(true);
    window.addEventListener("scroll", onScroll, { passive: true });
    document.addEventListener("selectionchange", onCaret);
    document.addEventListener("focusin", onCaret);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      window.removeEventListener("scroll", onScroll);
      document.removeEventListener("selectionchange", onCaret);
      document.removeEventListener("focusin", onCaret);
    };
  }, [sharing, onSectionChange]);

  // ── Following: go to the facilitator's section whenever it changes ──
  const facilitatorName = facilitator?.displayName ?? "";
  const latestName = useRef(facilitatorName);
  latestName.current = facilitatorName;
  useEffect(() => {
    if (!followSection) return setMark(null);
    const box = sectionBox(followSection);
    if (!box) return;
    box.target.element.scrollIntoView({ block: "start" });
    const page = box.target.element.closest(".chart-page");
    const top = box.target.element.getBoundingClientRect().top - (page?.getBoundingClientRect().top ?? 0);
    setMark({ section: followSection, top, height: box.height, at: Date.now() });
    announce(t.meetingFollowedTo(latestName.current, sectionLabel(followSection, locale, box.target.text)));
    const timer = setTimeout(() => setMark(null), MARK_MS);
    return () => clearTimeout(timer);
  }, [followSection, announce, t, locale]);

  // A follower who scrolls by hand stops following (their own move wins, as on the map).
  useEffect(() => {
    if (!following) return;
    const onKey = (event: KeyboardEvent) => {
      if (SCROLL_KEYS.has(event.key) && !editable(event.target)) onManualMove();
    };
    window.addEventListener("wheel", onManualMove, { passive: true });
    window.addEventListener("touchmove", onManualMove, { passive: true });
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("wheel", onManualMove);
      window.removeEventListener("touchmove", onManualMove);
      window.removeEventListener("keydown", onKey);
    };
  }, [following, onManualMove]);

  // ── The decision form ──
  const ids = useId();
  const textRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [owner, setOwner] = useState(props.defaultOrgId ?? "");
  const [due, setDue] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const canRecord = props.canEdit && props.ready;

  const record = (event: React.FormEvent) => {
    event.preventDefault();
    if (text.trim().length === 0) {
      setFormError(t.decisionNeedsText);
      textRef.current?.focus();
      return;
    }
    const item = addMeetingDecision(props.doc, {
      id: newId(),
      title: text,
      ownerOrgId: owner || null,
      ownerOrgName: props.organizations.find((o) => o.id === owner)?.name ?? "",
      due: due || null,
      decidedAt: new Date(),
    });
    setText("");
    setDue("");
    setFormError(null);
    announce(t.decisionAdded(item.title));
    textRef.current?.focus();
  };

  const prefill = useCallback(
    (entry: AgendaEntry) => {
      const { item } = entry;
      const what = `${localized(locale, item.taskTitle, item.taskTitleEn)} · ${localized(locale, item.role, item.roleEn)}(${formatTimeRange(item.startsAt, item.endsAt, locale)})`;
      setText(`${what}: `);
      setFormError(null);
      // The person goes on typing the decision where the text ends.
      requestAnimationFrame(() => {
        const input = textRef.current;
        if (!input) return;
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      });
    },
    [locale],
  );

  // Labels of headings of our own come from this page's text (a section id is only set in the browser).
  const label = (id: string) => sectionLabel(id, locale, typeof document === "undefined" ? undefined : sectionTargets().find((s) => s.id === id)?.text);
  const followedLabel = meeting.facilitatorSection ? label(meeting.facilitatorSection) : null;
  const detail = sharing
    ? mySection
      ? t.meetingMySection(label(mySection))
      : null
    : facilitator
      ? t.meetingDetail(facilitator.organizationName, followedLabel)
      : null;

  return (
    <div className="chart-meeting" data-testid="chart-meeting" data-follow-section={followSection ?? ""}>
      <MeetingPanel
        interactive={live.connection === "connected"}
        canLead={props.canEdit}
        sharing={sharing}
        onSharing={meeting.setSharing}
        facilitator={facilitator}
        following={following}
        onFollowing={meeting.setFollowing}
        agenda={props.agenda}
        words={{ share: t.meetingShare, sharing: t.meetingSharing, sharedBy: t.meetingSharedBy, follow: t.meetingFollow }}
        statusDetail={detail}
        agendaAction={
          canRecord
            ? (entry) => (
                <button type="button" className="button button--secondary button--small" onClick={() => prefill(entry)} aria-label={t.agendaToPlanLabel(localized(locale, entry.item.taskTitle, entry.item.taskTitleEn))}>
                  {t.agendaToPlan}
                </button>
              )
            : undefined
        }
        locale={locale}
        t={common}
      >
        {props.agenda ? <p className="chart-muted chart-small">{t.meetingAreaOnly}</p> : null}
        {props.canEdit ? (
          <form className="chart-decision" onSubmit={record} aria-labelledby={`${ids}-title`} data-testid="decision-form">
            <h3 id={`${ids}-title`}>{t.decisionTitle}</h3>
            <p className="chart-muted chart-small">{t.decisionLead}</p>
            <div className="chart-decision__fields">
              <label htmlFor={`${ids}-text`}>{t.decisionText}</label>
              <input
                id={`${ids}-text`}
                ref={textRef}
                value={text}
                maxLength={200}
                required
                aria-invalid={formError ? true : undefined}
                aria-describedby={formError ? `${ids}-error` : undefined}
                onChange={(e) => setText(e.target.value)}
              />
              <label htmlFor={`${ids}-owner`}>{t.decisionOwner}</label>
              <select id={`${ids}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)}>
                <option value="">{t.planNoOwner}</option>
                {props.organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
              <label htmlFor={`${ids}-due`}>{t.decisionDue}</label>
              <input id={`${ids}-due`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
            </div>
            {formError ? (
              <p id={`${ids}-error`} role="alert" className="alert alert--error">
                {formError}
              </p>
            ) : null}
            <button type="submit" className="button button--small" disabled={!canRecord}>
              {t.decisionSubmit}
            </button>
            {!props.ready ? <span className="chart-muted chart-small"> {t.decisionWait}</span> : null}
          </form>
        ) : null}
      </MeetingPanel>
      {mark ? (
        <div
          className="chart-follow-mark"
          aria-hidden="true"
          data-testid="chart-follow-mark"
          data-section={mark.section}
          data-at={mark.at}
          style={{ top: mark.top, height: mark.height, borderColor: facilitator?.colour }}
        />
      ) : null}
    </div>
  );
}
