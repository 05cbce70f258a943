import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { ActivityListCard } from "~/features/residents/activity-list-card";
import { displayFromRequest } from "~/features/residents/display.server";
import {
  hasFilters,
  INCENTIVE_FILTERS,
  parseActivityFilters,
  PARTS_OF_DAY,
} from "~/features/residents/filters";
import { LocateButton } from "~/features/residents/locate-button";
import { residentMessages } from "~/features/residents/messages";
import {
  R,
  ResidentPage,
  useResident,
} from "~/features/residents/resident-page";
import { TASK_CATEGORIES } from "~/lib/categories";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";

/** MapLibre touches `window`: loaded in the browser only, after the list (the list is the page). */
const ActivityMap = lazy(
  () => import("~/features/residents/activity-map.client")
);

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(
    localeFromMatches(matches),
    residentMessages(data?.reading ?? "ja").listTitle
  );

/** Public: no login, no personal data (server/domain/public-activities.ts selects public task fields only). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const filters = parseActivityFilters(new URL(request.url).searchParams);
  const { publicActivities } = context.services.domain;
  const [result, areas] = await Promise.all([
    publicActivities.list(filters),
    publicActivities.areas(),
  ]);
  return {
    ...displayFromRequest(request),
    filters,
    filtered: hasFilters(filters),
    areas,
    ...result,
  };
}

export default function ActivitiesPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={data.display} reading={data.reading}>
      <ActivitiesContent />
    </ResidentPage>
  );
}

function ActivitiesContent() {
  const { filters, filtered, areas, items, origin, originNotFound } =
    useLoaderData<typeof loader>();
  const { reading, t } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const [selected, setSelected] = useState<string | null>(null);
  const [mapWanted, setMapWanted] = useState(false);
  // The map is an enhancement: start loading it only once the list is on screen and idle.
  useEffect(() => {
    const id = window.setTimeout(() => setMapWanted(true), 0);
    return () => window.clearTimeout(id);
  }, []);

  const selectFromMap = useCallback((id: string) => {
    setSelected(id);
    const card = document.getElementById(`activity-${id}`);
    card?.scrollIntoView({ block: "center", behavior: "smooth" });
    card?.focus({ preventScroll: true });
  }, []);

  const mapItems = items.filter((a) => a.point);
  const formId = "activity-filters";
  return (
    <>
      <section className="hero" aria-labelledby="activities-title">
        <h1 id="activities-title">
          <R>{t.listTitle}</R>
        </h1>
        <p className="hero__lead">
          <R>{t.listLead}</R>
        </p>
      </section>

      <Form
        method="get"
        id={formId}
        className="card resident-filters"
        aria-labelledby="filters-heading"
      >
        <h2 id="filters-heading">
          <R>{t.filtersHeading}</R>
        </h2>
        <div className="resident-filters__grid">
          <div className="field">
            <label htmlFor="f-category">{t.fCategory}</label>
            <select
              id="f-category"
              name="category"
              defaultValue={filters.category ?? ""}
            >
              <option value="">{t.fAny}</option>
              {TASK_CATEGORIES.map((c) => (
                <option key={c.code} value={c.code}>
                  {c[locale]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-weekday">{t.fWeekday}</label>
            <select
              id="f-weekday"
              name="weekday"
              defaultValue={
                filters.weekday === undefined ? "" : String(filters.weekday)
              }
            >
              <option value="">{t.fAny}</option>
              {t.weekdays.map((name, i) => (
                <option key={name} value={String(i)}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-time">{t.fTime}</label>
            <select id="f-time" name="time" defaultValue={filters.time ?? ""}>
              <option value="">{t.fAny}</option>
              {PARTS_OF_DAY.map((p) => (
                <option key={p} value={p}>
                  {t[`time_${p}`]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-incentive">{t.fIncentive}</label>
            <select
              id="f-incentive"
              name="incentive"
              defaultValue={filters.incentive ?? ""}
            >
              <option value="">{t.fAny}</option>
              {INCENTIVE_FILTERS.map((k) => (
                <option key={k} value={k}>
                  {t[`incentive_${k}`]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="resident-filters__checks">
          <label className="check">
            <input
              type="checkbox"
              name="short"
              value="1"
              defaultChecked={filters.short}
            />
            <span>{t.fShort}</span>
          </label>
          <label className="check">
            <input
              type="checkbox"
              name="online"
              value="1"
              defaultChecked={filters.online}
            />
            <span>{t.fOnline}</span>
          </label>
        </div>
        <fieldset className="resident-filters__near">
          <legend>{t.nearHeading}</legend>
          <div className="resident-filters__grid">
            <div className="field">
              <label htmlFor="f-area">{t.fArea}</label>
              <select id="f-area" name="area" defaultValue={filters.area ?? ""}>
                <option value="">{t.fAreaNone}</option>
                {areas.map((a) => (
                  <option key={a.id} value={a.id}>
                    {localized(locale, a.name, a.nameEn)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-near">{t.fNear}</label>
              <p id="f-near-hint" className="field__hint">
                {t.fNearHint}
              </p>
              <input
                id="f-near"
                name="near"
                type="search"
                defaultValue={filters.near ?? ""}
                aria-describedby="f-near-hint"
                autoComplete="off"
                maxLength={60}
              />
            </div>
          </div>
          <input
            type="hidden"
            name="lat"
            defaultValue={
              filters.area || filters.near ? "" : filters.lat?.toString() ?? ""
            }
          />
          <input
            type="hidden"
            name="lng"
            defaultValue={
              filters.area || filters.near ? "" : filters.lng?.toString() ?? ""
            }
          />
          <LocateButton formId={formId} />
        </fieldset>
        <p className="resident-filters__actions">
          <button type="submit" className="button">
            {t.search}
          </button>
          {filtered ? (
            <Link to="/activities" className="button button--secondary">
              {t.clearFilters}
            </Link>
          ) : null}
        </p>
      </Form>

      <div
        className={`resident-browse${
          mapWanted && mapItems.length > 0 ? " resident-browse--with-map" : ""
        }`}
      >
        <section
          aria-labelledby="list-heading"
          className="section resident-browse__list"
        >
          <h2 id="list-heading">
            <R>{t.listHeading}</R>
          </h2>
          <div role="status" className="resident-result">
            <p>
              {t.resultCount(items.length)}
              {origin
                ? ` — ${t.sortedFrom(
                    localized(locale, origin.label, origin.labelEn)
                  )}`
                : null}
            </p>
            {originNotFound ? (
              <p className="alert alert--warn">{t.originNotFound}</p>
            ) : null}
          </div>
          {items.length === 0 ? (
            <p className="empty">
              <R>{t.noResults}</R>
            </p>
          ) : (
            <ul className="resident-list" role="list">
              {items.map((activity) => (
                <li key={activity.id}>
                  <ActivityListCard
                    activity={activity}
                    selected={selected === activity.id}
                    onShowOnMap={
                      mapWanted ? () => setSelected(activity.id) : undefined
                    }
                  />
                </li>
              ))}
            </ul>
          )}
        </section>

        {mapWanted && mapItems.length > 0 ? (
          <section
            aria-labelledby="map-heading"
            className="section resident-map-section resident-browse__map"
          >
            <h2 id="map-heading">
              <R>{t.mapHeading}</R>
            </h2>
            <p className="field__hint">
              <R>{t.mapNote}</R>
            </p>
            <Suspense
              fallback={
                <p className="resident-map resident-map--loading">
                  {t.mapLoading}
                </p>
              }
            >
              <ActivityMap
                items={mapItems.map((a) => ({
                  id: a.id,
                  title: localized(locale, a.title, a.titleEn),
                  point: a.point!,
                }))}
                origin={origin ? { lat: origin.lat, lng: origin.lng } : null}
                selected={selected}
                onSelect={selectFromMap}
                label={t.mapHeading}
              />
            </Suspense>
          </section>
        ) : null}
      </div>
    </>
  );
}
