import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { displayFromRequest } from "~/features/residents/display.server";
import { residentMessages } from "~/features/residents/messages";
import { PieceFacts } from "~/features/residents/piece-facts";
import { formatReferenceCode } from "~/features/residents/ref-code";
import {
  R,
  ResidentPage,
  useResident,
} from "~/features/residents/resident-page";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(
    localeFromMatches(matches),
    residentMessages(data?.reading ?? "ja").doneTitle
  );

/**
 * The confirmation after applying: the reference code, the activity and the piece — nothing about
 * the person (the code is 40 random bits; see docs/decisions/040). 404 for any other code.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const found = await context.services.domain.applications.confirmation(
    params.code ?? ""
  );
  if (!found) throw new Response("Not found", { status: 404 });
  return { ...displayFromRequest(request), application: found };
}

export default function ApplyDonePage() {
  const data = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={data.display} reading={data.reading}>
      <DoneContent />
    </ResidentPage>
  );
}

function DoneContent() {
  const { application } = useLoaderData<typeof loader>();
  const { reading, t } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const { activity, piece } = application;
  const organizer = localized(
    locale,
    activity.organizer.name,
    activity.organizer.nameEn
  );
  return (
    <div className="narrow">
      <div className="alert alert--ok" role="status">
        <h1>
          <R>{t.doneTitle}</R>
        </h1>
      </div>
      <section aria-labelledby="code-heading" className="card reference">
        <h2 id="code-heading">{t.yourCode}</h2>
        <p className="reference__code" data-code={application.code}>
          {formatReferenceCode(application.code)}
        </p>
        <p>
          <R>{t.codeHint}</R>
        </p>
      </section>
      <p className="section__lead">
        <R>{t.nextSteps(organizer)}</R>
      </p>
      <PieceFacts activity={activity} piece={piece} organizer={organizer} />
      <p className="resident-card__actions">
        <Link to="/apply/status" className="button">
          {t.checkStatus}
        </Link>
        <Link to="/activities" className="button button--secondary">
          {t.findMore}
        </Link>
      </p>
    </div>
  );
}
