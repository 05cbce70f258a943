/**
 * Named versions of a chart: save the chart as it is stored now under a name, list the saved
 * ones, open one read-only, and restore one. Restoring is done here, in the browser, as one
 * ordinary edit of the live document (chart-doc.ts `restoreVersion`): it goes to the server,
 * is stored, and reaches every open chart like a keystroke (decision 063).
 */
import { Link } from "@remix-run/react";
import { useCallback, useEffect, useId, useState } from "react";
import * as Y from "yjs";
import type { Locale } from "~/lib/i18n";
import { META_FIELD, restoreVersion } from "./chart-doc";
import { CHART_MESSAGES, formatJst } from "./messages";

export interface VersionSummary {
  id: string;
  name: string;
  createdByName: string;
  createdAt: string;
}

export function versionsUrl(workspaceId: string, areaId: string): string {
  return `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/areas/${encodeURIComponent(areaId)}/chart/versions`;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function VersionsPanel(props: {
  workspaceId: string;
  areaId: string;
  basePath: string;
  doc: Y.Doc;
  /** False until the document is synced and connected (and always for VIEWERs). */
  canRestore: boolean;
  canCreate: boolean;
  /** Only name a version of what is stored: not while this user's edits are in flight. */
  saved: boolean;
  initialVersions: VersionSummary[];
  /** ?restore=<id>: asks to restore that version once the chart is ready. */
  restoreRequest: string | null;
  locale: Locale;
}) {
  const { workspaceId, areaId, doc, locale } = props;
  const t = CHART_MESSAGES[locale];
  const id = useId();
  const [versions, setVersions] = useState(props.initialVersions);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  const reload = useCallback(async () => {
    const response = await fetch(versionsUrl(workspaceId, areaId), { headers: { accept: "application/json" } });
    if (response.ok) setVersions(((await response.json()) as { items: VersionSummary[] }).items);
  }, [workspaceId, areaId]);

  // Someone else named a version: their browser bumps `meta.versionsChanged` in the document.
  useEffect(() => {
    const meta = doc.getMap(META_FIELD);
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (event.keysChanged.has("versionsChanged") && !event.transaction.local) void reload();
    };
    meta.observe(onChange);
    return () => meta.unobserve(onChange);
  }, [doc, reload]);

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!props.saved) {
      setMessage({ kind: "error", text: t.versionWaitSaving });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch(versionsUrl(workspaceId, areaId), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ name }),
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        setMessage({ kind: "error", text: body?.error?.details?.[0]?.message ?? body?.error?.message ?? t.error });
        return;
      }
      setMessage({ kind: "ok", text: t.versionSaved(body.name) });
      setName("");
      doc.getMap(META_FIELD).set("versionsChanged", body.id);
      await reload();
    } finally {
      setBusy(false);
    }
  };

  const restore = useCallback(
    async (version: VersionSummary) => {
      if (!window.confirm(t.versionRestoreConfirm(version.name))) return;
      setMessage(null);
      const response = await fetch(`${versionsUrl(workspaceId, areaId)}/${encodeURIComponent(version.id)}`, { headers: { accept: "application/json" } });
      if (!response.ok) {
        setMessage({ kind: "error", text: t.versionRestoreFailed });
        return;
      }
      const body = (await response.json()) as { state: string };
      restoreVersion(doc, decodeBase64(body.state), null);
      setMessage({ kind: "ok", text: t.versionRestored(version.name) });
    },
    [doc, workspaceId, areaId, t],
  );

  // A restore asked for from a version's page (?restore=<id>), once the editor is connected.
  const [handledRequest, setHandledRequest] = useState<string | null>(null);
  useEffect(() => {
    if (!props.restoreRequest || !props.canRestore || handledRequest === props.restoreRequest) return;
    setHandledRequest(props.restoreRequest);
    const version = versions.find((v) => v.id === props.restoreRequest);
    if (version) void restore(version);
  }, [props.restoreRequest, props.canRestore, handledRequest, versions, restore]);

  return (
    <section aria-labelledby="chart-versions-title" className="section chart-section no-print">
      <h2 id="chart-versions-title">{t.versionsTitle}</h2>
      <p className="chart-muted">{t.versionsLead}</p>
      {props.canCreate ? (
        <form className="chart-versions__form" onSubmit={(e) => void create(e)}>
          <label htmlFor={`${id}-name`}>{t.versionName}</label>
          <input id={`${id}-name`} name="name" required maxLength={80} value={name} placeholder={t.versionNamePlaceholder} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="button button--small" disabled={busy}>
            {t.versionSave}
          </button>
        </form>
      ) : null}
      <p role="status" className={message ? `alert alert--${message.kind === "ok" ? "ok" : "error"}` : "visually-hidden"}>
        {message?.text ?? ""}
      </p>
      {versions.length === 0 ? (
        <p className="chart-muted">{t.versionsEmpty}</p>
      ) : (
        <ul className="chart-versions">
          {versions.map((v) => (
            <li key={v.id} className="chart-versions__item">
              <span className="chart-versions__name">{v.name}</span>
              <span className="chart-muted chart-small">{t.versionBy(v.createdByName, formatJst(v.createdAt, locale))}</span>
              <span className="chart-versions__actions">
                <Link className="button button--secondary button--small" to={`${props.basePath}/versions/${encodeURIComponent(v.id)}`} aria-label={`${t.versionView}: ${v.name}`}>
                  {t.versionView}
                </Link>
                {props.canRestore ? (
                  <button type="button" className="button button--secondary button--small" onClick={() => void restore(v)} aria-label={`${t.versionRestore}: ${v.name}`}>
                    {t.versionRestore}
                  </button>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
