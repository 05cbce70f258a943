import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ApplyForm } from "~/features/residents/apply-form";
import { displayFromRequest } from "~/features/residents/display.server";
import { residentMessages } from "~/features/residents/messages";
import {
  R,
  ResidentPage,
  useResident,
} from "~/features/residents/resident-page";
import { orResponse } from "~/lib/auth.server";
import { categoryLabel } from "~/lib/categories";
import { formatTimeRange, isoString } from "~/lib/format";
import { label, localized } from "~/lib/i18n";
import { incentiveLabels } from "~/lib/incentives";
import { localeFromMatches, pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = localeFromMatches(matches);
  const title = data
    ? localized(locale, data.activity.title, data.activity.titleEn)
    : residentMessages("ja").listTitle;
  return pageMeta(locale, title);
};

/** Public: one PUBLIC activity with its open pieces; 404 for anything else (server/domain/public-activities.ts). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const activity = await orResponse(
    context.services.domain.publicActivities.get(params.taskId ?? "")
  );
  return { ...displayFromRequest(request), activity };
}

export default function ActivityPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={data.display} reading={data.reading}>
      <ActivityContent />
    </ResidentPage>
  );
}

function ActivityContent() {
  const { activity } = useLoaderData<typeof loader>();
  const { reading, t } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const incentives = incentiveLabels(activity.incentives, locale);
  const organizer = localized(
    locale,
    activity.organizer.name,
    activity.organizer.nameEn
  );
  const area = activity.area
    ? localized(locale, activity.area.name, activity.area.nameEn)
    : null;
  return (
    <article aria-labelledby="activity-title" className="resident-activity">
      <p>
        <Link to="/activities" className="back-link">
          ← {t.backToList}
        </Link>
      </p>
      <p className="badge badge--category">
        {categoryLabel(activity.category, locale)}
      </p>
      <h1 id="activity-title">
        {localized(locale, activity.title, activity.titleEn)}
      </h1>
      {activity.description ? (
        <p className="resident-activity__description">{activity.description}</p>
      ) : null}

      <dl className="facts facts--wide">
        <div>
          <dt>{t.fieldPlace}</dt>
          <dd>
            {activity.isRemote
              ? t.online
              : activity.locationName ?? area ?? "—"}
            {!activity.isRemote && activity.locationName && area ? (
              <span className="facts__sub">{area}</span>
            ) : null}
          </dd>
        </div>
        {activity.recurrence ? (
          <div>
            <dt>{t.fieldRecurrence}</dt>
            <dd>{activity.recurrence}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t.fieldWhatToBring}</dt>
          <dd>{activity.whatToBring ?? t.nothingSpecial}</dd>
        </div>
        <div>
          <dt>{t.fieldAccessibility}</dt>
          <dd>{activity.accessibilityNotes ?? t.nothingSpecial}</dd>
        </div>
        <div>
          <dt>{t.fieldIncentives}</dt>
          <dd>{incentives.length ? incentives.join(" · ") : t.noIncentives}</dd>
        </div>
        <div>
          <dt>{t.fieldOrganizer}</dt>
          <dd>
            {organizer}
            <span className="facts__sub">
              {label(locale, `orgKind_${activity.organizer.kind}`)}
            </span>
            {activity.organizer.description ? (
              <span className="facts__sub">
                {activity.organizer.description}
              </span>
            ) : null}
          </dd>
        </div>
      </dl>

      <section aria-labelledby="schedule-heading" className="section">
        <h2 id="schedule-heading">
          <R>{t.scheduleHeading}</R>
        </h2>
        {activity.status !== "OPEN" ? (
          <p className="empty">
            <R>{t.activityClosed}</R>
          </p>
        ) : activity.pieces.length === 0 ? (
          <p className="empty">
            <R>{t.noOpenPieces}</R>
          </p>
        ) : (
          <>
            <p className="section__lead">
              <R>{t.howToApply}</R>
            </p>
            <ul className="piece-list" role="list">
              {activity.pieces.map((piece) => {
                const headingId = `piece-${piece.id}`;
                return (
                  <li
                    key={piece.id}
                    className="card piece"
                    aria-labelledby={headingId}
                  >
                    <h3 id={headingId} className="piece__time">
                      <time dateTime={isoString(piece.startsAt)}>
                        {formatTimeRange(
                          piece.startsAt,
                          piece.endsAt,
                          locale,
                          activity.timezone
                        )}
                      </time>
                    </h3>
                    <dl className="facts">
                      <div>
                        <dt>{t.fieldRole}</dt>
                        <dd>{localized(locale, piece.role, piece.roleEn)}</dd>
                      </div>
                      <div>
                        <dt>{t.fieldSeats}</dt>
                        <dd className="piece__seats">
                          {t.freeSeats(piece.freeSeats)}
                        </dd>
                      </div>
                      {piece.skills.length ? (
                        <div>
                          <dt>{t.fieldSkills}</dt>
                          <dd>
                            {piece.skills
                              .map((s) =>
                                locale === "en" ? s.nameEn : s.nameJa
                              )
                              .join(" · ")}
                          </dd>
                        </div>
                      ) : null}
                    </dl>
                    {piece.acceptsApplications ? (
                      <details className="piece__apply">
                        <summary className="button button--secondary">
                          {t.applyForPiece}
                        </summary>
                        <ApplyForm
                          shiftId={piece.id}
                          organizer={organizer}
                          idPrefix={`apply-${piece.id}`}
                        />
                      </details>
                    ) : (
                      <p className="badge badge--quiet">{t.applyClosedPiece}</p>
                    )}
                  </li>
                );
              })}
            </ul>
            {activity.morePieces > 0 ? (
              <p>{t.morePieces(activity.morePieces)}</p>
            ) : null}
          </>
        )}
      </section>
    </article>
  );
}
