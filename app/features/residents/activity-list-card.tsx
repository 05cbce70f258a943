import { Link } from "@remix-run/react";
import { categoryLabel } from "~/lib/categories";
import { formatTimeRange, isoString } from "~/lib/format";
import { localized } from "~/lib/i18n";
import { incentiveLabels } from "~/lib/incentives";
import type { ActivityListItem } from "../../../server/domain/public-activities.ts";
import { useResident } from "./resident-page";

/** Dates arrive as strings after the loader's JSON. */
export type ActivityListItemView = Omit<ActivityListItem, "nextPiece"> & {
  nextPiece:
    | (Omit<
        NonNullable<ActivityListItem["nextPiece"]>,
        "startsAt" | "endsAt"
      > & { startsAt: string | Date; endsAt: string | Date })
    | null;
};

/** One activity in the residents' list: public facts only, with the link to its page. */
export function ActivityListCard({
  activity,
  selected,
  onShowOnMap,
}: {
  activity: ActivityListItemView;
  selected: boolean;
  /** Present once the map is there (JavaScript): selects the activity on the map. */
  onShowOnMap?: () => void;
}) {
  const { reading, t } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const titleId = `activity-title-${activity.id}`;
  const incentives = incentiveLabels(activity.incentives, locale);
  const area = activity.area
    ? localized(locale, activity.area.name, activity.area.nameEn)
    : null;
  const place = activity.isRemote ? t.online : activity.locationName ?? area;
  return (
    <article
      className={`card resident-card${
        selected ? " resident-card--selected" : ""
      }`}
      aria-labelledby={titleId}
      id={`activity-${activity.id}`}
      tabIndex={-1}
    >
      <p className="badge badge--category">
        {categoryLabel(activity.category, locale)}
      </p>
      <h3 id={titleId} className="resident-card__title">
        <Link to={`/activities/${activity.id}`}>
          {localized(locale, activity.title, activity.titleEn)}
        </Link>
      </h3>
      <dl className="facts">
        {activity.nextPiece ? (
          <div>
            <dt>{t.fieldDate}</dt>
            <dd>
              <time
                dateTime={isoString(activity.nextPiece.startsAt)}
                className="facts__strong"
              >
                {formatTimeRange(
                  activity.nextPiece.startsAt,
                  activity.nextPiece.endsAt,
                  locale,
                  activity.timezone
                )}
              </time>
              <span className="facts__sub">
                {localized(
                  locale,
                  activity.nextPiece.role,
                  activity.nextPiece.roleEn
                )}{" "}
                · {t.freeSeats(activity.nextPiece.freeSeats)}
                {activity.openPieces > 1
                  ? ` · ${t.openPieces(activity.openPieces)}`
                  : null}
              </span>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t.fieldPlace}</dt>
          <dd>
            {place ?? "—"}
            {activity.distanceM != null ? (
              <span className="facts__sub resident-card__distance">
                {t.distance(activity.distanceM)}
              </span>
            ) : null}
            {!activity.isRemote && place !== area && area ? (
              <span className="facts__sub">{area}</span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t.fieldIncentives}</dt>
          <dd>{incentives.length ? incentives.join(" · ") : t.noIncentives}</dd>
        </div>
        <div>
          <dt>{t.fieldOrganizer}</dt>
          <dd>
            {localized(
              locale,
              activity.organizer.name,
              activity.organizer.nameEn
            )}
          </dd>
        </div>
      </dl>
      <p className="resident-card__actions">
        <Link
          to={`/activities/${activity.id}`}
          className="button"
          aria-describedby={titleId}
        >
          {t.seeDetails}
        </Link>
        {onShowOnMap && activity.point ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={onShowOnMap}
            aria-pressed={selected}
            aria-describedby={titleId}
          >
            {t.showOnMap}
          </button>
        ) : null}
      </p>
    </article>
  );
}
