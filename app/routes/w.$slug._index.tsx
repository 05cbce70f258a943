import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { CHART_MESSAGES } from "~/features/chart/messages";
import { ResourceGroups } from "~/features/workspace-home/resource-groups";
import { TaskList } from "~/features/workspace-home/task-list";
import { orResponse, requireUser } from "~/lib/auth.server";
import { formatNumber } from "~/lib/format";
import { label, localized, messagesFor } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = localeFromMatches(matches);
  const name = data ? localized(locale, data.home.workspace.name, data.home.workspace.nameEn) : messagesFor(locale).workspaceHome;
  return pageMeta(locale, name);
};

/** Behind login; every loader guards itself because Remix runs a page's loaders in parallel. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const pageParam = Number(new URL(request.url).searchParams.get("page") ?? "1");
  const home = await orResponse(
    context.services.domain.pages.workspaceHome({
      user,
      slug: String(params.slug),
      taskPage: Number.isInteger(pageParam) && pageParam > 0 ? pageParam : 1,
    }),
  );
  return { home };
}

export default function WorkspaceHomePage() {
  const { home } = useLoaderData<typeof loader>();
  const { locale, t } = useI18n();
  const { workspace, memberships, areas, tasks, resources } = home;
  const resourceTotal = resources.reduce((sum, g) => sum + g.count, 0);
  const from = tasks.total === 0 ? 0 : (tasks.page - 1) * tasks.pageSize + 1;
  const to = (tasks.page - 1) * tasks.pageSize + tasks.items.length;
  const pageHref = (page: number) => (page === 1 ? "?" : `?page=${page}`);

  return (
    <>
      <h1>{localized(locale, workspace.name, workspace.nameEn)}</h1>
      <nav aria-label={t.workspaceNav} className="jump-links">
        <ul>
          <li>
            <Link to="board">{t.navBoard}</Link>
          </li>
          <li>
            <a href="#organizations">{t.yourOrganizations}</a>
          </li>
          <li>
            <a href="#areas">
              {t.areasHeading} <span className="count">{areas.length}</span>
            </a>
          </li>
          <li>
            <a href="#tasks">
              {t.tasksHeading} <span className="count">{tasks.total}</span>
            </a>
          </li>
          <li>
            <a href="#resources">
              {t.resourcesHeading} <span className="count">{resourceTotal}</span>
            </a>
          </li>
        </ul>
      </nav>

      <div className="two-columns">
        <section id="organizations" aria-labelledby="organizations-title" className="section">
          <h2 id="organizations-title">{t.yourOrganizations}</h2>
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t.organization}</th>
                  <th scope="col">{t.organizationKind}</th>
                  <th scope="col">{t.role}</th>
                </tr>
              </thead>
              <tbody>
                {memberships.map((m) => (
                  <tr key={m.organizationId}>
                    <th scope="row">{m.organizationName}</th>
                    <td>{label(locale, `orgKind_${m.organizationKind}`)}</td>
                    <td>{label(locale, `role_${m.role}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section id="areas" aria-labelledby="areas-title" className="section">
          <h2 id="areas-title">{t.areasHeading}</h2>
          {areas.length === 0 ? (
            <p className="empty">{t.noAreas}</p>
          ) : (
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t.areaName}</th>
                    <th scope="col" className="num">
                      {t.population}
                    </th>
                    <th scope="col" className="num">
                      {t.households}
                    </th>
                    <th scope="col">{CHART_MESSAGES[locale].openChart}</th>
                  </tr>
                </thead>
                <tbody>
                  {areas.map((area) => (
                    <tr key={area.id}>
                      <th scope="row">{localized(locale, area.name, area.nameEn)}</th>
                      <td className="num">
                        {area.population != null ? t.people(formatNumber(area.population, locale)) : t.unknown}
                      </td>
                      <td className="num">
                        {area.households != null ? t.householdsCount(formatNumber(area.households, locale)) : t.unknown}
                      </td>
                      <td>
                        <Link to={`areas/${encodeURIComponent(area.id)}/chart`} aria-label={CHART_MESSAGES[locale].openChartOf(localized(locale, area.name, area.nameEn))}>
                          {CHART_MESSAGES[locale].openChart}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>

      <section id="tasks" aria-labelledby="tasks-title" className="section">
        <h2 id="tasks-title">{t.tasksHeading}</h2>
        {tasks.total === 0 ? (
          <p className="empty">{t.noTasks}</p>
        ) : (
          <>
            <TaskList tasks={tasks.items} locale={locale} t={t} timeZone={workspace.timezone} />
            <Pager
              label={t.pagination}
              summary={t.tasksRange(from, to, tasks.total)}
              previous={tasks.page > 1 ? { to: `${pageHref(tasks.page - 1)}#tasks`, label: t.previousPage } : null}
              next={to < tasks.total ? { to: `${pageHref(tasks.page + 1)}#tasks`, label: t.nextPage } : null}
            />
          </>
        )}
      </section>

      <section id="resources" aria-labelledby="resources-title" className="section">
        <h2 id="resources-title">{t.resourcesHeading}</h2>
        <ResourceGroups groups={resources} locale={locale} t={t} />
      </section>
    </>
  );
}
