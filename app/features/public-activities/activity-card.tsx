import { categoryLabel } from "~/lib/categories";
import { formatTimeRange, isoString } from "~/lib/format";
import { localized, type Locale, type Messages } from "~/lib/i18n";
import { incentiveLabels } from "~/lib/incentives";
import type { PublicActivity } from "../../../server/domain/pages.ts";

/** Public facts only (the query selects no people): see server/domain/pages.ts. */
export type PublicActivityView = PublicActivity;

export function ActivityCard({ activity, locale, t }: { activity: PublicActivityView; locale: Locale; t: Messages }) {
  const titleId = `activity-${activity.id}`;
  const incentives = incentiveLabels(activity.incentives, locale);
  const place = activity.isRemote ? t.online : activity.locationName;
  const area = activity.area ? localized(locale, activity.area.name, activity.area.nameEn) : null;
  return (
    <article className="card activity-card" aria-labelledby={titleId}>
      <p className="badge badge--category">{categoryLabel(activity.category, locale)}</p>
      <h3 id={titleId}>{localized(locale, activity.title, activity.titleEn)}</h3>
      {activity.description ? <p className="activity-card__description">{activity.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>{t.fieldNextDate}</dt>
          <dd>
            {activity.nextPiece ? (
              <>
                <time dateTime={isoString(activity.nextPiece.startsAt)} className="facts__strong">
                  {formatTimeRange(activity.nextPiece.startsAt, activity.nextPiece.endsAt, locale, activity.workspace.timezone)}
                </time>
                <span className="facts__sub">
                  {localized(locale, activity.nextPiece.role, activity.nextPiece.roleEn)}
                  {activity.morePieces > 0 ? `${t.listSeparator}${t.morePieces(activity.morePieces)}` : null}
                </span>
              </>
            ) : (
              (activity.recurrence ?? t.dateToBeArranged)
            )}
          </dd>
        </div>
        <div>
          <dt>{t.fieldPlace}</dt>
          <dd>
            {place ?? area ?? "—"}
            {place && area ? <span className="facts__sub">{area}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t.fieldIncentives}</dt>
          <dd>
            {incentives.length ? (
              <ul className="inline-list">
                {incentives.map((label) => (
                  <li key={label}>{label}</li>
                ))}
              </ul>
            ) : (
              t.noIncentives
            )}
          </dd>
        </div>
        <div>
          <dt>{t.fieldOrganizer}</dt>
          <dd>
            {localized(locale, activity.organizer.name, activity.organizer.nameEn)}
            <span className="facts__sub">{localized(locale, activity.workspace.name, activity.workspace.nameEn)}</span>
          </dd>
        </div>
      </dl>
    </article>
  );
}
