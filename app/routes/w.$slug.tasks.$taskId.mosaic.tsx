import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Mosaic } from "~/features/mosaic/mosaic";
import mosaicCss from "~/features/mosaic/mosaic.css?url";
import { mosaicMessages } from "~/features/mosaic/mosaic-messages";
import { orResponse, requireUser } from "~/lib/auth.server";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { can } from "~/lib/permissions";
import { useI18n } from "~/lib/use-i18n";
import { ConfirmTeamSchema } from "../../server/domain/task-mosaic.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: mosaicCss }];

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const locale = localeFromMatches(matches);
  const m = mosaicMessages(locale);
  return pageMeta(locale, loaded ? `${m.title}: ${localized(locale, loaded.task.title, loaded.task.titleEn)}` : m.title);
};

/**
 * The mosaic view of a task (モザイク型, docs/board.md, decision 034). The loader reads the task's
 * pieces and cards (pseudonyms only) with the workspace version taken first, so the page goes
 * live from there; the action confirms the team the page showed, in one transaction.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const mosaic = await orResponse(domain.mosaic.get(user, String(params.taskId)));
  if (mosaic.task.workspaceId !== workspace.id) throw data({ code: "not_found", message: "Task not found" }, { status: 404 });
  const confirmed = Number(new URL(request.url).searchParams.get("confirmed"));
  return {
    workspace,
    ...mosaic,
    now: Date.parse(mosaic.now),
    canConfirm: can(user.memberships, workspace.id, "write:match:workspace"),
    confirmed: Number.isInteger(confirmed) && confirmed > 0 ? confirmed : null,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const form = await request.formData();
  let picks: unknown;
  try {
    picks = JSON.parse(String(form.get("picks") ?? ""));
  } catch {
    return data({ error: "invalid picks" }, { status: 400 });
  }
  const parsed = ConfirmTeamSchema.safeParse({ picks });
  if (!parsed.success) return data({ error: parsed.error.issues.map((i) => i.message).join("; ") }, { status: 400 });
  try {
    const task = await domain.mosaic.get(user, String(params.taskId));
    if (task.task.workspaceId !== workspace.id) return data({ error: "not found" }, { status: 404 });
    const done = await domain.mosaic.confirmTeam(user, String(params.taskId), parsed.data);
    return redirect(`/w/${workspace.slug}/tasks/${encodeURIComponent(String(params.taskId))}/mosaic?confirmed=${done.confirmed.length}`);
  } catch (error) {
    const e = error as { status?: number; message?: string };
    if (typeof e.status === "number" && e.status < 500) return data({ error: String(e.message) }, { status: e.status });
    throw error;
  }
}

export default function MosaicPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { locale } = useI18n();
  const m = mosaicMessages(locale);
  const { task } = loaded;
  return (
    <>
      <p>
        <Link to={`/w/${loaded.workspace.slug}/board`} className="back-link">
          {m.back}
        </Link>
      </p>
      <h1>
        {m.title}: {localized(locale, task.title, task.titleEn)}
      </h1>
      <p className="section__lead">
        {localized(locale, task.owner.name, task.owner.nameEn)}
        {task.isRemote ? ` · ${m.remote}` : task.locationName ? ` · ${task.locationName}` : ""}
      </p>
      <p>{m.lead}</p>
      <Mosaic
        key={task.id}
        workspaceId={loaded.workspace.id}
        version={loaded.version}
        taskId={task.id}
        pieces={loaded.pieces}
        now={loaded.now}
        canConfirm={loaded.canConfirm}
        result={actionData?.error ? { error: actionData.error } : loaded.confirmed ? { confirmed: loaded.confirmed } : null}
        locale={locale}
        timeZone={loaded.workspace.timezone}
        m={m}
      />
    </>
  );
}
