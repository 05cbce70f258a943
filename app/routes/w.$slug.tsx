import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { LiveStatus } from "~/features/live/live-status";
import { LiveWorkspaceProvider } from "~/features/live/use-live-workspace";
import { orResponse, requireUser } from "~/lib/auth.server";
import { localized } from "~/lib/i18n";
import { PROXY_MESSAGES } from "~/features/residents/proxy-registration-form";
import { CHART_MESSAGES } from "~/features/chart/messages";
import { useI18n } from "~/lib/use-i18n";
import { outcomeMessages } from "~/features/outcomes/messages";

/**
 * Layout of every page of a workspace (`/w/<slug>/…`): checks membership and shows the
 * workspace bar and its menu. The home itself is w.$slug._index.tsx; later surfaces (kanban,
 * map, chart) nest here as w.$slug.<name>.tsx and get the same guard and bar.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const workspace = await orResponse(
    context.services.domain.pages.workspaceSummary({ user, slug: String(params.slug) }),
  );
  // 代理登録 is for coordinators and admins: others do not see the link.
  const canRegister = user.memberships.some((m) => m.workspaceId === workspace.id && (m.role === "COORDINATOR" || m.role === "ADMIN"));
  return { workspace, userId: user.id, canRegister };
}

export default function WorkspaceLayout() {
  const { workspace, userId, canRegister } = useLoaderData<typeof loader>();
  const { locale, t } = useI18n();
  const base = `/w/${encodeURIComponent(workspace.slug)}`;
  return (
    // One live connection for the bar and the page, kept while moving between pages.
    <LiveWorkspaceProvider key={workspace.id} workspaceId={workspace.id}>
      <div className="workspace-bar">
        <p className="workspace-bar__name">
          <Link to={base}>{localized(locale, workspace.name, workspace.nameEn)}</Link>
          <span className="workspace-bar__place">{workspace.municipality}</span>
        </p>
        <nav aria-label={t.workspaceNav} className="tabs">
          <ul>
            <li>
              <NavLink to={base} end>
                {t.workspaceHome}
              </NavLink>
            </li>
            <li>
              <NavLink to={`${base}/board`}>{t.navBoard}</NavLink>
            </li>
            <li>
              <NavLink to={`${base}/map`}>{t.navMap}</NavLink>
            </li>
            <li>
              <NavLink to={`${base}/outcomes`}>{t.navOutcomes}</NavLink>
            </li>
            <li>
              {/* The first area's chart; the chart page switches between areas. */}
              <NavLink to={`${base}/areas/default/chart`}>{CHART_MESSAGES[locale].nav}</NavLink>
            </li>
            {canRegister ? (
              <li>
                <NavLink to={`${base}/residents/new`}>{PROXY_MESSAGES[locale].title}</NavLink>
              </li>
            ) : null}
            {canRegister ? (
              <li>
                <NavLink to={`${base}/incentives`}>{outcomeMessages(locale).ledgerTitle}</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
        <LiveStatus workspaceId={workspace.id} locale={locale} selfUserId={userId} />
      </div>
      <Outlet />
    </LiveWorkspaceProvider>
  );
}
