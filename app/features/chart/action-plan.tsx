/**
 * The action plan of a chart: a table of structured items (owner organization, due date, status,
 * progress %) kept in the chart's Yjs document (`plan`, a Y.Array of Y.Maps; chart-doc.ts), so
 * that edits are live and saved like the text, and so that meeting decisions can be added to it
 * later. Each field is its own map key: two people changing different fields of one item both win.
 */
import { useEffect, useId, useState } from "react";
import type * as Y from "yjs";
import type { Locale } from "~/lib/i18n";
import { addPlanItem, planArray, PLAN_STATUSES, PLAN_STATUS_LABELS, readPlan, removePlanItem, updatePlanItem, type PlanItem, type PlanPatch } from "./chart-doc";
import { PlanOrigin, PlanTableView } from "./chart-view";
import { CHART_MESSAGES } from "./messages";

export interface OrganizationOption {
  id: string;
  name: string;
}

export function usePlan(doc: Y.Doc): PlanItem[] {
  const [plan, setPlan] = useState<PlanItem[]>(() => readPlan(doc));
  useEffect(() => {
    const array = planArray(doc);
    const update = () => setPlan(readPlan(doc));
    update();
    array.observeDeep(update);
    return () => array.unobserveDeep(update);
  }, [doc]);
  return plan;
}

function newId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export function ActionPlan(props: { doc: Y.Doc; readOnly: boolean; organizations: OrganizationOption[]; defaultOrgId: string | null; locale: Locale }) {
  const { doc, readOnly, organizations, locale } = props;
  const t = CHART_MESSAGES[locale];
  const plan = usePlan(doc);
  const idBase = useId();
  const [title, setTitle] = useState("");

  if (readOnly) return <PlanTableView plan={plan} locale={locale} />;

  const orgName = (id: string | null) => organizations.find((o) => o.id === id)?.name ?? "";
  const patch = (id: string, change: PlanPatch) => updatePlanItem(doc, id, change);

  const add = (event: React.FormEvent) => {
    event.preventDefault();
    const name = title.trim() || t.planNewTitle;
    const owner = props.defaultOrgId;
    addPlanItem(doc, {
      id: newId(),
      title: name.slice(0, 200),
      ownerOrgId: owner,
      ownerOrgName: orgName(owner),
      due: null,
      status: "NOT_STARTED",
      progress: 0,
      source: "chart",
    });
    setTitle("");
  };

  return (
    <div className="chart-plan-editor">
      {plan.length === 0 ? <p className="chart-muted">{t.planEmpty}</p> : null}
      {plan.length > 0 ? (
        <div className="table-scroll">
          <table className="table chart-plan">
            <thead>
              <tr>
                <th scope="col">{t.planItem}</th>
                <th scope="col">{t.planOwner}</th>
                <th scope="col">{t.planDue}</th>
                <th scope="col">{t.planStatus}</th>
                <th scope="col">{t.planProgress}</th>
                <th scope="col">
                  <span className="visually-hidden">{t.planActions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.map((item) => (
                <PlanRow key={item.id} item={item} organizations={organizations} locale={locale} onPatch={(change) => patch(item.id, change)} onRemove={() => removePlanItem(doc, item.id)} idBase={`${idBase}-${item.id}`} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form className="chart-plan__add no-print" onSubmit={add}>
        <label htmlFor={`${idBase}-new`}>{t.planItem}</label>
        <input id={`${idBase}-new`} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder={t.planNewTitle} />
        <button type="submit" className="button button--small">
          {t.planAdd}
        </button>
      </form>
    </div>
  );
}

function PlanRow(props: {
  item: PlanItem;
  organizations: OrganizationOption[];
  locale: Locale;
  idBase: string;
  onPatch(change: PlanPatch): void;
  onRemove(): void;
}) {
  const { item, organizations, locale, onPatch, idBase } = props;
  const t = CHART_MESSAGES[locale];
  // Text fields commit on blur (or Enter): a keystroke-by-keystroke map.set would make two people
  // typing in one title overwrite each other letter by letter.
  const [title, setTitle] = useState(item.title);
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setTitle(item.title);
  }, [item.title, focused]);
  const commitTitle = () => {
    const next = title.trim().slice(0, 200);
    if (next !== item.title) onPatch({ title: next });
  };
  const ownerKnown = item.ownerOrgId === null || organizations.some((o) => o.id === item.ownerOrgId);

  return (
    <tr>
      <th scope="row">
        <label className="visually-hidden" htmlFor={`${idBase}-title`}>
          {t.planItem}
        </label>
        <input
          id={`${idBase}-title`}
          value={title}
          maxLength={200}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false);
            commitTitle();
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              commitTitle();
            }
          }}
          onChange={(e) => setTitle(e.target.value)}
        />
        <PlanOrigin item={item} locale={locale} />
      </th>
      <td>
        <label className="visually-hidden" htmlFor={`${idBase}-owner`}>
          {t.planOwner}
        </label>
        <select
          id={`${idBase}-owner`}
          value={item.ownerOrgId ?? ""}
          onChange={(e) => {
            const id = e.target.value || null;
            onPatch({ ownerOrgId: id, ownerOrgName: organizations.find((o) => o.id === id)?.name ?? "" });
          }}
        >
          <option value="">{t.planNoOwner}</option>
          {!ownerKnown ? <option value={item.ownerOrgId ?? ""}>{item.ownerOrgName || item.ownerOrgId}</option> : null}
          {organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`${idBase}-due`}>
          {t.planDue}
        </label>
        <input
          id={`${idBase}-due`}
          type="date"
          value={item.due ?? ""}
          onChange={(e) => onPatch({ due: /^\d{4}-\d{2}-\d{2}$/.test(e.target.value) ? e.target.value : null })}
        />
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`${idBase}-status`}>
          {t.planStatus}
        </label>
        <select id={`${idBase}-status`} value={item.status} onChange={(e) => onPatch({ status: e.target.value as PlanItem["status"] })}>
          {PLAN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {PLAN_STATUS_LABELS[s][locale]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`${idBase}-progress`}>
          {t.planProgress}
        </label>
        <input
          id={`${idBase}-progress`}
          type="number"
          min={0}
          max={100}
          step={5}
          className="chart-plan__progress"
          value={item.progress}
          onChange={(e) => {
            const value = Number(e.target.value);
            if (Number.isFinite(value)) onPatch({ progress: Math.min(100, Math.max(0, Math.round(value))) });
          }}
        />
      </td>
      <td>
        <button type="button" className="button button--secondary button--small" onClick={props.onRemove} aria-label={t.planRemove(item.title)}>
          ×
        </button>
      </td>
    </tr>
  );
}
