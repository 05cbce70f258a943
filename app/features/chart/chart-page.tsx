/**
 * The community chart page body: the collaborative document `chart:<areaId>` through
 * useCollabDoc (connection and save state, presence, read-only), the TipTap editor (loaded in the
 * browser only), the structured action plan, the live figures and the versions.
 *
 * Before JavaScript runs (and without it) the page shows the stored content read-only from the
 * loader; the editor replaces it once the document has synced.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { useCollabDoc } from "~/features/collab/use-collab-doc";
import { useLiveWorkspace } from "~/features/live/use-live-workspace";
import type { AgendaView } from "~/features/meeting/meeting-panel";
import { affectsAgenda, useLiveAgenda } from "~/features/meeting/use-live-agenda";
import { SAVE_LABELS } from "~/features/collab/save-state";
import { chartDocName } from "~/features/collab/protocol";
import type { Peer } from "~/features/collab/presence";
import type { Locale } from "~/lib/i18n";
import { ActionPlan, type OrganizationOption } from "./action-plan";
import { seedChart, type ChartBlock, type PlanItem } from "./chart-doc";
import { ChartBlocksView, PlanTableView } from "./chart-view";
import type { ChartFigures } from "./figures";
import { ChartMeeting, chartBoard } from "./chart-meeting";
import { affectsFigures, FiguresPanel } from "./figures-panel";
import { CHART_MESSAGES } from "./messages";
import { VersionsPanel, type VersionSummary } from "./versions-panel";

const ChartEditor = lazy(() => import("./chart-editor.client"));

export interface ChartPageProps {
  workspaceId: string;
  areaId: string;
  basePath: string;
  initialVersion: number | null;
  initialFigures: ChartFigures;
  initialBlocks: ChartBlock[];
  initialPlan: PlanItem[];
  versions: VersionSummary[];
  organizations: OrganizationOption[];
  self: { name: string; color: string; organization: string; organizationId: string | null };
  /** The server's answer for this user (VIEWER only); the /yjs/ access message confirms it. */
  readOnly: boolean;
  restoreRequest: string | null;
  /** Meeting mode (decision 069): the area's agenda, who this is, open at first (`?meeting=1`). */
  agenda: AgendaView | null;
  selfUserId: string;
  meetingOpen: boolean;
  locale: Locale;
}

export function ChartPage(props: ChartPageProps) {
  const { locale, areaId } = props;
  const t = CHART_MESSAGES[locale];
  const collab = useCollabDoc(chartDocName(areaId), { user: { name: props.self.name, color: props.self.color, organization: props.self.organization } });
  const readOnly = props.readOnly || collab.readOnly;
  const [ready, setReady] = useState(false);

  // Once the document holds the server's state: seed the fixed sections if it was never written.
  // The seed is deterministic (same Yjs ids on every client), so two people opening an empty
  // chart at once add the sections once (chart-doc.ts, decision 061).
  useEffect(() => {
    if (ready || !collab.synced) return;
    if (!readOnly) seedChart(collab.doc, null);
    setReady(true);
  }, [ready, collab.synced, collab.doc, readOnly]);

  // One live connection for the page: presence on `chart:<areaId>`, the figures' change events and
  // meeting mode's `meeting:view`.
  const [figuresTick, setFiguresTick] = useState(0);
  const liveAgenda = useLiveAgenda(props.agenda, props.workspaceId, areaId);
  const live = useLiveWorkspace({
    workspaceId: props.workspaceId,
    initialVersion: props.initialVersion,
    board: chartBoard(areaId),
    onChanges: (batch) => {
      if (affectsFigures(batch)) setFiguresTick((n) => n + 1);
      if (affectsAgenda(batch)) liveAgenda.refresh();
    },
    onReset: () => {
      setFiguresTick((n) => n + 1);
      liveAgenda.refresh();
    },
  });

  const [meetingOpen, setMeetingOpen] = useState(props.meetingOpen);
  const someoneLeads = Object.values(live.meetings).some(
    (m) =>
      m.board === chartBoard(areaId) &&
      m.facilitator.userId !== props.selfUserId &&
      live.present.some((p) => p.userId === m.facilitator.userId && p.board === m.board),
  );
  // Someone leads on this chart: open meeting mode, so the others can choose to follow.
  useEffect(() => {
    if (someoneLeads) setMeetingOpen(true);
  }, [someoneLeads]);
  const toggleMeeting = () => {
    const next = !meetingOpen;
    setMeetingOpen(next);
    // Keep it in the address (a reload or a shared link opens it), without rerunning the loader.
    const url = new URL(window.location.href);
    if (next) url.searchParams.set("meeting", "1");
    else url.searchParams.delete("meeting");
    window.history.replaceState(window.history.state, "", url);
  };
  const [announcement, setAnnouncement] = useState("");
  const announce = useCallback((message: string) => {
    // Cleared first, so the same words twice are read twice.
    setAnnouncement("");
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);

  const closedMessage = collab.closeCode !== null ? t.closed[collab.closeCode] : undefined;
  const editorReady = ready && collab.provider !== null;

  return (
    <div className="chart-page">
      <div className="chart-status no-print" aria-label={t.peersLabel}>
        <p className="chart-status__connection" data-testid="chart-connection">
          <span className={`chart-dot chart-dot--${collab.status}`} aria-hidden="true" />
          {collab.status === "connected" ? t.connected : collab.status === "connecting" ? t.connecting : t.disconnected}
        </p>
        <p className={`chart-status__save chart-status__save--${collab.saveState}`} role="status" data-testid="chart-save-state">
          {readOnly ? "" : SAVE_LABELS[collab.saveState][locale]}
        </p>
        <Peers peers={collab.peers} locale={locale} />
      </div>
      {readOnly ? (
        <p className="alert alert--warn" data-testid="chart-read-only">
          {t.readOnlyNotice}
        </p>
      ) : null}
      {closedMessage ? (
        <p role="alert" className="alert alert--error">
          {closedMessage}
        </p>
      ) : null}

      <div className="chart-meeting-bar no-print">
        <button type="button" className="button button--secondary button--small" aria-expanded={meetingOpen} aria-controls="chart-meeting" onClick={toggleMeeting}>
          {meetingOpen ? t.meetingClose : t.meetingOpen}
        </button>
      </div>
      <div id="chart-meeting" className="no-print" hidden={!meetingOpen}>
        {meetingOpen ? (
          <ChartMeeting
            live={live}
            areaId={areaId}
            selfUserId={props.selfUserId}
            canEdit={!readOnly}
            ready={ready && collab.status === "connected"}
            doc={collab.doc}
            agenda={liveAgenda.agenda}
            organizations={props.organizations}
            defaultOrgId={props.self.organizationId}
            announce={announce}
            locale={locale}
          />
        ) : null}
      </div>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </p>

      <section aria-labelledby="chart-body-title" className="section chart-section chart-body">
        <h2 id="chart-body-title" className="visually-hidden">
          {t.editorLabel}
        </h2>
        {editorReady ? (
          <Suspense fallback={<StaticBody blocks={props.initialBlocks} note={t.loadingEditor} />}>
            <ChartEditor doc={collab.doc} provider={collab.provider!} editable={!readOnly} user={props.self} locale={locale} />
          </Suspense>
        ) : (
          <StaticBody blocks={props.initialBlocks} note={t.loadingEditor} noscript={t.noScript} />
        )}
      </section>

      <section aria-labelledby="chart-plan-title" className="section chart-section" data-meeting-section="action-plan">
        <h2 id="chart-plan-title">{t.planTitle}</h2>
        <p className="chart-muted no-print">{t.planLead}</p>
        {ready ? (
          <ActionPlan doc={collab.doc} readOnly={readOnly} organizations={props.organizations} defaultOrgId={props.self.organizationId} locale={locale} />
        ) : (
          <PlanTableView plan={props.initialPlan} locale={locale} />
        )}
      </section>

      <FiguresPanel workspaceId={props.workspaceId} areaId={areaId} initialFigures={props.initialFigures} changeTick={figuresTick} locale={locale} />

      <VersionsPanel
        workspaceId={props.workspaceId}
        areaId={areaId}
        basePath={props.basePath}
        doc={collab.doc}
        canRestore={!readOnly && ready && collab.status === "connected"}
        canCreate={!readOnly}
        saved={collab.saveState === "saved"}
        initialVersions={props.versions}
        restoreRequest={props.restoreRequest}
        locale={locale}
      />

      <section aria-labelledby="chart-export-title" className="section chart-section no-print">
        <h2 id="chart-export-title">{t.exportTitle}</h2>
        <ul className="chart-export">
          <li>
            <a href={`${props.basePath}/print`}>{t.printPage}</a>
          </li>
          <li>
            <a href={`${props.basePath}.md`} download>
              {t.markdown}
            </a>
          </li>
        </ul>
      </section>
    </div>
  );
}

function StaticBody({ blocks, note, noscript }: { blocks: ChartBlock[]; note: string; noscript?: string }) {
  return (
    <div className="chart-editor chart-editor--static">
      {noscript ? (
        <noscript>
          <p className="alert alert--warn">{noscript}</p>
        </noscript>
      ) : null}
      <p className="visually-hidden" role="status">
        {note}
      </p>
      <div className="chart-editor__content">
        <ChartBlocksView blocks={blocks} />
      </div>
    </div>
  );
}

function Peers({ peers, locale }: { peers: Peer[]; locale: Locale }) {
  const t = CHART_MESSAGES[locale];
  return (
    <div className="chart-peers" data-testid="chart-peers">
      <span className="visually-hidden">{t.peersLabel}: </span>
      {peers.length === 0 ? (
        <span className="chart-muted chart-small">{t.nobodyElse}</span>
      ) : (
        <ul>
          {peers.map((peer) => (
            <li key={peer.clientId} className="chart-peer" style={{ borderColor: peer.color }}>
              <span className="chart-peer__dot" style={{ background: peer.color }} aria-hidden="true" />
              {peer.name}
              {peer.organization ? <span className="chart-muted chart-small">({peer.organization})</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
