import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { ActivityCard } from "~/features/public-activities/activity-card";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageMeta(localeFromMatches(matches));

/** Public: no login, no personal data (the query selects public task fields only). */
export async function loader({ context }: LoaderFunctionArgs) {
  const activities = await context.services.domain.pages.publicActivities({ limit: 50 });
  return { activities };
}

export default function PublicHome() {
  const { activities } = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const { locale, t } = useI18n();
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t.homeTitle}</h1>
        <p className="hero__lead">{t.homeIntro}</p>
      </section>

      <section aria-labelledby="activities-title" className="section">
        <h2 id="activities-title">{t.publicActivitiesHeading}</h2>
        <p className="section__lead">{t.publicActivitiesLead}</p>
        {activities.length === 0 ? (
          <p className="empty">{t.noPublicActivities}</p>
        ) : (
          <ul className="card-grid" role="list">
            {activities.map((activity) => (
              <li key={activity.id}>
                <ActivityCard activity={activity} locale={locale} t={t} />
              </li>
            ))}
          </ul>
        )}
      </section>

      {root?.user ? null : (
        <aside className="callout" aria-labelledby="for-orgs-title">
          <h2 id="for-orgs-title">{t.forOrganizations}</h2>
          <p>{t.forOrganizationsBody}</p>
          <p>
            <Link to="/login" className="button">
              {t.login}
            </Link>
          </p>
        </aside>
      )}
    </>
  );
}
