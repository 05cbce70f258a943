import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Board } from "~/features/board/board";
import { toBoardCard, type BoardCard } from "~/features/board/board-state";
import { orResponse, requireUser } from "~/lib/auth.server";
import { readAllPages, workspaceVersion } from "~/lib/live-page.server";
import { messagesFor } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { can } from "~/lib/permissions";
import { useI18n } from "~/lib/use-i18n";

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, messagesFor(locale).boardTitle);
};

/** Cards read per page from the domain layer; the board shows every card of the workspace. */
const PAGE = 1000;
const MAX_PAGES = 20;

/**
 * The coordinators' live kanban (docs/board.md). The loader reads the workspace version first,
 * then the cards, so every change after that version arrives live and is applied on top (card
 * versions make a change seen twice harmless).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const version = await workspaceVersion(context, user, workspace.id);
  const cards: BoardCard[] = await readAllPages((cursor) => domain.matches.list(user, workspace.id, { limit: PAGE, cursor }), toBoardCard, MAX_PAGES);
  return {
    workspace,
    version,
    cards,
    renderedAt: Date.now(),
    userId: user.id,
    canMove: can(user.memberships, workspace.id, "write:match:workspace"),
  };
}

export default function BoardPage() {
  const data = useLoaderData<typeof loader>();
  const { locale, t } = useI18n();
  return (
    <>
      <h1>{t.boardTitle}</h1>
      <p className="section__lead">{t.boardLead}</p>
      <Board
        key={data.workspace.id}
        workspaceId={data.workspace.id}
        initialVersion={data.version}
        initialCards={data.cards}
        renderedAt={data.renderedAt}
        selfUserId={data.userId}
        canMove={data.canMove}
        timeZone={data.workspace.timezone}
        locale={locale}
        t={t}
      />
    </>
  );
}
