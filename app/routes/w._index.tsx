import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { StatusPage } from "~/components/status-page";
import { homePathFor, requireUser } from "~/lib/auth.server";
import { messagesFor } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, messagesFor(locale).navMyWorkspace);
};

/** `/w` → the caller's first workspace; a page explaining what to do when they have none. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const path = await homePathFor(user, context);
  if (path !== "/w") throw redirect(path);
  return null;
}

export default function NoWorkspace() {
  const { locale, t } = useI18n();
  return (
    <StatusPage
      primary={{ lang: locale, title: t.noWorkspaceTitle, body: t.noWorkspaceBody }}
      action={{ to: "/", label: t.backHome }}
    />
  );
}
