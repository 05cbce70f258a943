import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { outcomeMessages } from "~/features/outcomes/messages";
import { displayFromRequest } from "~/features/residents/display.server";
import { residentMessages } from "~/features/residents/messages";
import {
  R,
  ResidentPage,
  useResident,
} from "~/features/residents/resident-page";
import { requireUser } from "~/lib/auth.server";
import { formatTimeRange, isoString } from "~/lib/format";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import {
  RESIDENT_FIELD_LABELS,
  type ResidentPersonalField,
} from "~/lib/resident-fields";

export const meta: MetaFunction<typeof loader> = ({
  data: loaderData,
  matches,
}) =>
  pageMeta(
    localeFromMatches(matches),
    residentMessages(loaderData?.reading ?? "ja").meTitle
  );

/**
 * The resident's own page (their login): proposals to answer, their data, their consents (revoke)
 * and who read their data. Everything through the domain services that check it is theirs; the
 * page's own read of their record is audited like any other (basis "self") and left out of the
 * "who looked" list, which is about other people.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const display = displayFromRequest(request);
  const { registration, residents, consents, audit } = context.services.domain;
  const own = await registration.ownResident(user).catch(() => null);
  if (!own)
    return { ...display, resident: null, matches: [], consents: [], audit: [] };
  const ctx = registration.selfContext(user, context.clientIp);
  const [resident, matches, consentList, auditPage] = await Promise.all([
    residents.mine(user, ctx),
    registration.myMatches(user),
    consents.list(user, own.id),
    audit.forResident(user, own.id, { limit: 100 }),
  ]);
  return {
    ...display,
    resident: {
      publicCode: resident.publicCode,
      name: resident.name ?? "",
      email: resident.email ?? null,
      phone: resident.phone ?? null,
      area: resident.area?.name ?? null,
    },
    matches,
    consents: consentList.map((c) => ({
      id: c.id,
      organizationName: c.organizationName,
      fields: c.fields,
      purpose: c.purpose,
      expiresAt: c.expiresAt,
      active: c.active,
    })),
    audit: auditPage.items
      .filter((row) => row.actor?.userId !== user.id)
      .map((row) => ({
        id: row.id,
        at: row.at,
        action: row.action,
        who: row.actor?.displayName ?? null,
        organization: row.organization?.name ?? null,
        fields: row.fields,
        purpose: row.purpose,
      })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  const { registration, consents } = context.services.domain;
  try {
    if (intent === "accept" || intent === "decline") {
      const stage = await registration.respond(
        user,
        String(form.get("matchId") ?? ""),
        intent,
        Number(form.get("version") ?? 0)
      );
      return {
        done:
          stage === "CONTACTING"
            ? ("accepted" as const)
            : ("declined" as const),
      };
    }
    if (intent === "revoke") {
      await consents.revoke(
        user,
        String(form.get("consentId") ?? ""),
        {},
        registration.selfContext(user, context.clientIp)
      );
      return { done: "revoked" as const };
    }
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && status < 500)
      return data({ done: null, error: (error as Error).message }, { status });
    throw error;
  }
  return data({ done: null, error: "unknown intent" }, { status: 400 });
}

export default function MePage() {
  const loaderData = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={loaderData.display} reading={loaderData.reading}>
      <MeContent />
    </ResidentPage>
  );
}

function fieldLabel(field: string, locale: "ja" | "en") {
  return (
    RESIDENT_FIELD_LABELS[field as ResidentPersonalField]?.[locale] ?? field
  );
}

function MeContent() {
  const { resident, matches, consents, audit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { reading, t } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const day = (value: string | Date) =>
    new Intl.DateTimeFormat(locale === "en" ? "en-US" : "ja-JP", {
      dateStyle: "medium",
      timeZone: "Asia/Tokyo",
    }).format(new Date(value));
  const when = (value: string | Date) =>
    new Intl.DateTimeFormat(locale === "en" ? "en-US" : "ja-JP", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "Asia/Tokyo",
    }).format(new Date(value));
  if (!resident) {
    return (
      <div className="narrow">
        <h1>{t.meTitle}</h1>
        <p>{t.meNoResident}</p>
      </div>
    );
  }
  const proposals = matches.filter((m) => m.stage === "SUGGESTED");
  const others = matches.filter((m) => m.stage !== "SUGGESTED");
  return (
    <div className="narrow narrow--wide">
      <h1>
        <R>{t.meTitle}</R>
      </h1>
      <div role="status">
        {result?.done ? (
          <p className="alert alert--ok">
            {result.done === "accepted"
              ? t.meAccepted
              : result.done === "declined"
              ? t.meDeclined
              : t.meRevoked}
          </p>
        ) : null}
        {result && !result.done && "error" in result ? (
          <p className="alert alert--error">{result.error}</p>
        ) : null}
      </div>

      <section aria-labelledby="me-proposals" className="section">
        <h2 id="me-proposals">
          <R>{t.meProposals}</R>
        </h2>
        {proposals.length === 0 ? (
          <p className="empty">
            <R>{t.meNoProposals}</R>
          </p>
        ) : (
          <>
            <p className="section__lead">
              <R>{t.meProposalsLead}</R>
            </p>
            <ul className="piece-list" role="list">
              {proposals.map((m) => {
                const task = m.shift.task;
                const titleId = `proposal-${m.id}`;
                const why =
                  locale === "en"
                    ? m.explanationEn ?? m.explanationJa
                    : m.explanationJa;
                return (
                  <li
                    key={m.id}
                    className="card proposal"
                    aria-labelledby={titleId}
                    data-match-id={m.id}
                  >
                    <h3 id={titleId}>
                      {localized(locale, task.title, task.titleEn)}
                    </h3>
                    <dl className="facts">
                      <div>
                        <dt>{t.fieldDate}</dt>
                        <dd>
                          <time dateTime={isoString(m.shift.startsAt)}>
                            {formatTimeRange(
                              m.shift.startsAt,
                              m.shift.endsAt,
                              locale,
                              task.workspace.timezone
                            )}
                          </time>
                          <span className="facts__sub">
                            {localized(locale, m.shift.role, m.shift.roleEn)}
                          </span>
                        </dd>
                      </div>
                      <div>
                        <dt>{t.fieldPlace}</dt>
                        <dd>
                          {task.isRemote ? t.online : task.locationName ?? "—"}
                        </dd>
                      </div>
                      <div>
                        <dt>{t.fieldOrganizer}</dt>
                        <dd>
                          {localized(
                            locale,
                            task.owner.name,
                            task.owner.nameEn
                          )}
                        </dd>
                      </div>
                      {why ? (
                        <div>
                          <dt>{t.meWhy}</dt>
                          <dd>{why}</dd>
                        </div>
                      ) : null}
                    </dl>
                    <Form method="post" className="resident-card__actions">
                      <input type="hidden" name="matchId" value={m.id} />
                      <input type="hidden" name="version" value={m.version} />
                      <button
                        type="submit"
                        name="intent"
                        value="accept"
                        className="button"
                        aria-describedby={titleId}
                      >
                        {t.meAccept}
                      </button>
                      <button
                        type="submit"
                        name="intent"
                        value="decline"
                        className="button button--secondary"
                        aria-describedby={titleId}
                      >
                        {t.meDecline}
                      </button>
                    </Form>
                  </li>
                );
              })}
            </ul>
          </>
        )}
        {others.length > 0 ? (
          <>
            <h3>{t.meOther}</h3>
            <ul className="plain-list">
              {others.map((m) => (
                <li key={m.id} data-match-id={m.id} data-stage={m.stage}>
                  {localized(locale, m.shift.task.title, m.shift.task.titleEn)}{" "}
                  —{" "}
                  {formatTimeRange(
                    m.shift.startsAt,
                    m.shift.endsAt,
                    locale,
                    m.shift.task.workspace.timezone
                  )}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="me-data" className="section">
        <h2 id="me-data">
          <R>{t.meData}</R>
        </h2>
        <dl className="facts card">
          <div>
            <dt>{t.meFieldCode}</dt>
            <dd>{resident.publicCode}</dd>
          </div>
          <div>
            <dt>{t.meFieldName}</dt>
            <dd>{resident.name}</dd>
          </div>
          <div>
            <dt>{t.meFieldEmail}</dt>
            <dd>{resident.email ?? "—"}</dd>
          </div>
          <div>
            <dt>{t.meFieldPhone}</dt>
            <dd>{resident.phone ?? "—"}</dd>
          </div>
          <div>
            <dt>{t.meFieldArea}</dt>
            <dd>{resident.area ?? "—"}</dd>
          </div>
        </dl>
        <p>
          <Link to="/me/certificate" className="button button--secondary">
            {outcomeMessages(locale).certMineLink}
          </Link>
        </p>
      </section>

      <section aria-labelledby="me-consents" className="section">
        <h2 id="me-consents">
          <R>{t.meConsents}</R>
        </h2>
        {consents.length === 0 ? (
          <p className="empty">{t.meNoConsents}</p>
        ) : (
          <ul className="piece-list" role="list">
            {consents.map((c) => (
              <li
                key={c.id}
                className="card consent-item"
                data-consent-id={c.id}
                data-active={c.active}
              >
                <h3 id={`consent-${c.id}`}>{c.organizationName}</h3>
                <p>
                  {c.active ? t.meConsentActive : t.meConsentInactive}
                  {c.active && c.expiresAt
                    ? ` · ${t.meConsentUntil(day(c.expiresAt))}`
                    : null}
                </p>
                <p className="field__hint">
                  {c.fields.map((f) => fieldLabel(f, locale)).join(" · ")} —{" "}
                  {c.purpose}
                </p>
                {c.active ? (
                  <Form method="post">
                    <input type="hidden" name="consentId" value={c.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="revoke"
                      className="button button--secondary"
                      aria-describedby={`consent-${c.id}`}
                    >
                      {t.meRevoke}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="me-audit" className="section">
        <h2 id="me-audit">
          <R>{t.meAudit}</R>
        </h2>
        <p className="section__lead">
          <R>{t.meAuditLead}</R>
        </p>
        {audit.length === 0 ? (
          <p className="empty">{t.meNoAudit}</p>
        ) : (
          <div className="table-scroll">
            <table className="audit-table">
              <thead>
                <tr>
                  <th scope="col">{t.meAuditWhen}</th>
                  <th scope="col">{t.meAuditWho}</th>
                  <th scope="col">{t.meAuditWhat}</th>
                  <th scope="col">{t.meAuditWhy}</th>
                </tr>
              </thead>
              <tbody>
                {audit.map((row) => (
                  <tr key={row.id}>
                    <td>{when(row.at)}</td>
                    <td>
                      {[row.who, row.organization]
                        .filter(Boolean)
                        .join(" · ") || "—"}
                    </td>
                    <td>
                      {row.fields.map((f) => fieldLabel(f, locale)).join(" · ")}
                    </td>
                    <td>{row.purpose ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
