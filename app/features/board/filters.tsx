import { categoryLabel } from "~/lib/categories";
import { localized, type Locale, type Messages } from "~/lib/i18n";
import type { NamedRef } from "./board-state";

/** What the filter form holds (dates as the inputs' `YYYY-MM-DD`). */
export interface FilterForm {
  areaId: string;
  orgId: string;
  category: string;
  from: string;
  to: string;
  needsAttention: boolean;
  query: string;
}

export const EMPTY_FILTERS: FilterForm = { areaId: "", orgId: "", category: "", from: "", to: "", needsAttention: false, query: "" };

export function Filters({
  value,
  onChange,
  options,
  locale,
  t,
}: {
  value: FilterForm;
  onChange(next: FilterForm): void;
  options: { areas: NamedRef[]; organizations: NamedRef[]; categories: string[] };
  locale: Locale;
  t: Messages;
}) {
  const set = <K extends keyof FilterForm>(key: K, v: FilterForm[K]) => onChange({ ...value, [key]: v });
  const active = JSON.stringify(value) !== JSON.stringify(EMPTY_FILTERS);
  return (
    <form className="board-filters" role="search" aria-label={t.boardFilters} onSubmit={(event) => event.preventDefault()}>
      <div className="board-filters__field board-filters__field--search">
        <label htmlFor="board-search">{t.boardSearch}</label>
        <input
          id="board-search"
          type="search"
          value={value.query}
          placeholder={t.boardSearchHint}
          onChange={(event) => set("query", event.target.value)}
        />
      </div>
      <div className="board-filters__field">
        <label htmlFor="board-area">{t.boardFilterArea}</label>
        <select id="board-area" value={value.areaId} onChange={(event) => set("areaId", event.target.value)}>
          <option value="">{t.boardFilterAll}</option>
          {options.areas.map((a) => (
            <option key={a.id} value={a.id}>
              {localized(locale, a.name, a.nameEn)}
            </option>
          ))}
        </select>
      </div>
      <div className="board-filters__field">
        <label htmlFor="board-org">{t.boardFilterOrganization}</label>
        <select id="board-org" value={value.orgId} onChange={(event) => set("orgId", event.target.value)}>
          <option value="">{t.boardFilterAll}</option>
          {options.organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {localized(locale, o.name, o.nameEn)}
            </option>
          ))}
        </select>
      </div>
      <div className="board-filters__field">
        <label htmlFor="board-category">{t.boardFilterCategory}</label>
        <select id="board-category" value={value.category} onChange={(event) => set("category", event.target.value)}>
          <option value="">{t.boardFilterAll}</option>
          {options.categories.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c, locale)}
            </option>
          ))}
        </select>
      </div>
      <div className="board-filters__field">
        <label htmlFor="board-from">{t.boardFilterFrom}</label>
        <input id="board-from" type="date" value={value.from} onChange={(event) => set("from", event.target.value)} />
      </div>
      <div className="board-filters__field">
        <label htmlFor="board-to">{t.boardFilterTo}</label>
        <input id="board-to" type="date" value={value.to} onChange={(event) => set("to", event.target.value)} />
      </div>
      <div className="board-filters__field board-filters__field--check">
        <input
          id="board-attention"
          type="checkbox"
          checked={value.needsAttention}
          onChange={(event) => set("needsAttention", event.target.checked)}
        />
        <label htmlFor="board-attention">{t.boardFilterAttention}</label>
      </div>
      {active ? (
        <button type="button" className="button button--secondary button--small" onClick={() => onChange(EMPTY_FILTERS)}>
          {t.boardClearFilters}
        </button>
      ) : null}
    </form>
  );
}
