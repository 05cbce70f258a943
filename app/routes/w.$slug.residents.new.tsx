import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PROXY_MESSAGES, PROXY_PARTS, proxyInputFromForm } from "~/features/residents/proxy-registration-form";
import { TASK_CATEGORIES, categoryLabel } from "~/lib/categories";
import { orResponse, requireUser } from "~/lib/auth.server";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, PROXY_MESSAGES[locale].title);
};

/**
 * 代理登録: a coordinator registers a resident on their behalf (a phone call, a paper form at the
 * counter), recording how and for what the resident agreed. Works without JavaScript.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const coordinated = user.memberships
    .filter((m) => m.workspaceId === workspace.id && (m.role === "COORDINATOR" || m.role === "ADMIN"))
    .map((m) => m.organizationId);
  if (coordinated.length === 0) {
    throw data({ code: "forbidden", message: "代理登録はコーディネーターが行います / Coordinators only" }, { status: 403 });
  }
  const [areas, organizations] = await Promise.all([
    orResponse(domain.workspaces.areas(user, workspace.id)),
    orResponse(domain.workspaces.organizations(user, workspace.id)),
  ]);
  const done = new URL(request.url).searchParams.get("done");
  return {
    workspace,
    areas: areas.map((a: { id: string; name: string; nameEn?: string | null }) => ({ id: a.id, name: a.name, nameEn: a.nameEn ?? null })),
    organizations: organizations.map((o: { id: string; name: string; nameEn?: string | null }) => ({ id: o.id, name: o.name, nameEn: o.nameEn ?? null })),
    coordinated,
    done: done && /^[A-Z0-9]{4,16}$/.test(done) ? done : null,
    defaultExpiry: new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const form = await request.formData();
  const input = proxyInputFromForm(form);
  if (!input.ok) return data({ errors: input.errors }, { status: 400 });
  try {
    const created = await domain.proxyRegistration.register(user, workspace.id, input.value, {
      actorUserId: user.id,
      purpose: "registration",
      ip: context.clientIp ?? null,
    });
    return redirect(`/w/${workspace.slug}/residents/new?done=${created.publicCode}`);
  } catch (error) {
    const e = error as { status?: number; message?: string; details?: Array<{ path: string; message: string }> };
    if (typeof e.status === "number" && e.status < 500) {
      return data({ errors: e.details?.length ? e.details : [{ path: "form", message: String(e.message) }] }, { status: e.status });
    }
    throw error;
  }
}

export default function ProxyRegistrationPage() {
  const { areas, organizations, coordinated, done, defaultExpiry } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { locale } = useI18n();
  const m = PROXY_MESSAGES[locale];
  const errors = result?.errors ?? [];
  const errorFor = (path: string) => errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  const name = (o: { name: string; nameEn: string | null }) => (locale === "en" ? (o.nameEn ?? o.name) : o.name);
  const weekdays = locale === "en" ? ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] : ["日", "月", "火", "水", "木", "金", "土"];
  return (
    <section className="proxy-registration" aria-labelledby="proxy-title">
      <h1 id="proxy-title">{m.title}</h1>
      <p className="section__lead">{m.lead}</p>
      {done ? (
        <p className="notice notice--ok" role="status" data-testid="proxy-done">
          {m.done(done)}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <div className="notice notice--error" role="alert" data-testid="proxy-errors">
          <p>{m.fix}</p>
          <ul>
            {errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                {e.path}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="stack">
        {coordinated.length > 1 ? (
          <label>
            {m.organization}
            <select name="organizationId" required>
              {organizations
                .filter((o) => coordinated.includes(o.id))
                .map((o) => (
                  <option key={o.id} value={o.id}>
                    {name(o)}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
        <fieldset>
          <legend>{m.person}</legend>
          <label>
            {m.name}
            <input name="name" required maxLength={60} autoComplete="off" aria-invalid={errorFor("name") ? true : undefined} />
          </label>
          <label>
            {m.kana}
            <input name="nameKana" maxLength={60} autoComplete="off" />
          </label>
          <label>
            {m.contact}
            <input name="contact" maxLength={254} autoComplete="off" aria-invalid={errorFor("contact") ? true : undefined} />
          </label>
          <label>
            {m.birthYear}
            <input name="birthYear" inputMode="numeric" pattern="[0-9]{4}" maxLength={4} />
          </label>
          <label>
            {m.area}
            <select name="homeAreaId" required>
              {areas.map((a) => (
                <option key={a.id} value={a.id}>
                  {name(a)}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>{m.interests}</legend>
          {TASK_CATEGORIES.map((c) => (
            <label key={c.code} className="check">
              <input type="checkbox" name="interests" value={c.code} /> {categoryLabel(c.code, locale)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{m.freeTime}</legend>
          <table className="proxy-grid">
            <thead>
              <tr>
                <th scope="col">{m.day}</th>
                {PROXY_PARTS.map((p) => (
                  <th key={p.key} scope="col">
                    {m.parts[p.key]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weekdays.map((label, day) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {PROXY_PARTS.map((p) => (
                    <td key={p.key}>
                      <input type="checkbox" name="availability" value={`${day}:${p.key}`} aria-label={`${label} ${m.parts[p.key]}`} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <fieldset>
          <legend>{m.consent}</legend>
          <p>{m.consentHelp}</p>
          {(["paper", "in_person", "phone"] as const).map((how, i) => (
            <label key={how} className="check">
              <input type="radio" name="obtainedBy" value={how} defaultChecked={i === 0} required /> {m.obtained[how]}
            </label>
          ))}
          <label>
            {m.purpose}
            <textarea name="purpose" required minLength={4} maxLength={500} defaultValue={m.defaultPurpose} />
          </label>
          <p>{m.shareWith}</p>
          {organizations
            .filter((o) => !coordinated.includes(o.id))
            .map((o) => (
              <label key={o.id} className="check">
                <input type="checkbox" name="shareWith" value={o.id} /> {name(o)}
              </label>
            ))}
          <p>{m.fields}</p>
          {(["name", "contact", "birthYear", "location", "notes"] as const).map((field) => (
            <label key={field} className="check">
              <input type="checkbox" name="fields" value={field} defaultChecked={field === "name" || field === "contact"} /> {m.fieldNames[field]}
            </label>
          ))}
          <label>
            {m.expires}
            <input type="date" name="expiresOn" required defaultValue={defaultExpiry} />
          </label>
        </fieldset>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? m.saving : m.submit}
        </button>
      </Form>
    </section>
  );
}
