import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { displayFromRequest } from "~/features/residents/display.server";
import { residentMessages } from "~/features/residents/messages";
import { formatReferenceCode } from "~/features/residents/ref-code";
import {
  R,
  ResidentPage,
  useResident,
} from "~/features/residents/resident-page";
import { formatTimeRange, isoString } from "~/lib/format";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({
  data: loaderData,
  matches,
}) =>
  pageMeta(
    localeFromMatches(matches),
    residentMessages(loaderData?.reading ?? "ja").statusTitle
  );

export async function loader({ request }: LoaderFunctionArgs) {
  return displayFromRequest(request);
}

/**
 * Code + contact → the application's status. A POST (not a GET form) so the contact never lands in
 * a URL, a history entry or a server log. A wrong code and a wrong contact get the same answer.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const code = String(form.get("code") ?? "").slice(0, 40);
  const contact = String(form.get("contact") ?? "").slice(0, 254);
  const found = await context.services.domain.applications.status(
    code,
    contact
  );
  if (!found) return data({ found: null, code }, { status: 404 });
  return { found, code };
}

export default function ApplyStatusPage() {
  const loaderData = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={loaderData.display} reading={loaderData.reading}>
      <StatusContent />
    </ResidentPage>
  );
}

function StatusContent() {
  const result = useActionData<typeof action>();
  const { reading, t } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const found = result?.found ?? null;
  return (
    <div className="narrow">
      <h1>
        <R>{t.statusTitle}</R>
      </h1>
      <p className="section__lead">
        <R>{t.statusLead}</R>
      </p>
      <Form method="post" className="form card" noValidate>
        <div className="field">
          <label htmlFor="status-code">{t.codeLabel}</label>
          <p id="status-code-hint" className="field__hint">
            {t.codeFieldHint}
          </p>
          <input
            id="status-code"
            name="code"
            required
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            defaultValue={result?.code ?? ""}
            aria-describedby="status-code-hint"
          />
        </div>
        <div className="field">
          <label htmlFor="status-contact">{t.contactLabel}</label>
          <p id="status-contact-hint" className="field__hint">
            {t.contactHint}
          </p>
          <input
            id="status-contact"
            name="contact"
            required
            maxLength={254}
            autoComplete="tel"
            aria-describedby="status-contact-hint"
          />
        </div>
        <button type="submit" className="button button--wide">
          {t.check}
        </button>
      </Form>
      <div role="status">
        {result && !found ? (
          <p className="alert alert--error">{t.statusNotFound}</p>
        ) : null}
        {found ? (
          <section
            aria-labelledby="status-heading"
            className="card status-result"
          >
            <h2 id="status-heading">{t.statusLabel}</h2>
            <p className="status-result__word" data-status={found.status}>
              {t[`status_${found.status}`]}
            </p>
            <dl className="facts">
              <div>
                <dt>{t.yourCode}</dt>
                <dd>{formatReferenceCode(found.code)}</dd>
              </div>
              <div>
                <dt>{t.appliedFor}</dt>
                <dd>
                  {localized(
                    locale,
                    found.activity.title,
                    found.activity.titleEn
                  )}
                </dd>
              </div>
              <div>
                <dt>{t.fieldDate}</dt>
                <dd>
                  <time dateTime={isoString(found.piece.startsAt)}>
                    {formatTimeRange(
                      found.piece.startsAt,
                      found.piece.endsAt,
                      locale,
                      found.activity.timezone
                    )}
                  </time>
                </dd>
              </div>
              <div>
                <dt>{t.fieldOrganizer}</dt>
                <dd>
                  {localized(
                    locale,
                    found.activity.organizer.name,
                    found.activity.organizer.nameEn
                  )}
                </dd>
              </div>
            </dl>
          </section>
        ) : null}
      </div>
    </div>
  );
}
