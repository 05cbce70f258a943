import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { useEffect, useRef } from "react";
import { displayFromRequest } from "~/features/residents/display.server";
import { residentMessages } from "~/features/residents/messages";
import {
  R,
  ResidentPage,
  useResident,
} from "~/features/residents/resident-page";
import {
  cookieIsSecure,
  getUser,
  orResponse,
  sessionCookie,
  sessionMaxAgeSeconds,
} from "~/lib/auth.server";
import { TASK_CATEGORIES } from "~/lib/categories";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import {
  PARTS,
  TRAVEL_CHOICES_M,
  type RegistrationFieldCode,
} from "~/features/residents/registration-options";

export const meta: MetaFunction<typeof loader> = ({
  data: loaderData,
  matches,
}) =>
  pageMeta(
    localeFromMatches(matches),
    residentMessages(loaderData?.reading ?? "ja").registerTitle
  );

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) throw redirect("/me");
  const slug = new URL(request.url).searchParams.get("w") ?? undefined;
  const options = await orResponse(
    context.services.domain.registration.formOptions(slug)
  );
  return { ...displayFromRequest(request), ...options };
}

type Field =
  | "name"
  | "email"
  | "phone"
  | "password"
  | "homeAreaId"
  | "availability";
interface RegisterResult {
  fieldErrors: Partial<Record<Field, RegistrationFieldCode>>;
  values: {
    name: string;
    email: string;
    phone: string;
    homeAreaId: string;
    skills: string[];
    interests: string[];
    availability: string[];
    travel: string;
    style: string;
    consents: string[];
  };
}

function isAppErrorLike(
  error: unknown
): error is { code: string; details?: unknown } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

/**
 * 登録制: creates the account and the resident in one write (server/domain/registration.ts), then
 * logs in through the same service as the login page (its limits apply) and opens /me.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const one = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v.slice(0, 300) : "";
  };
  const many = (name: string) =>
    form
      .getAll(name)
      .filter((v): v is string => typeof v === "string")
      .slice(0, 100);
  const values: RegisterResult["values"] = {
    name: one("name"),
    email: one("email"),
    phone: one("phone"),
    homeAreaId: one("homeAreaId"),
    skills: many("skills"),
    interests: many("interests"),
    availability: many("availability"),
    travel: one("travelDistanceM"),
    style: one("style"),
    consents: many("consents"),
  };
  const { registration } = context.services.domain;
  try {
    const options = await registration.formOptions(one("w") || undefined);
    const password = one("password");
    const created = await registration.register({
      workspaceId: options.workspace.id,
      name: values.name,
      email: values.email,
      phone: values.phone,
      password,
      homeAreaId: values.homeAreaId,
      skillIds: values.skills,
      interests: values.interests,
      availability: values.availability,
      travelDistanceM: values.travel,
      style: values.style,
      consentOrgIds: values.consents,
    });
    const login = await context.services.auth.login({
      email: created.email,
      password,
      ip: context.clientIp,
      userAgent: request.headers.get("User-Agent") ?? undefined,
    });
    if (!login.ok) return redirect("/login?redirectTo=/me", 303);
    return redirect("/me", {
      status: 303,
      headers: {
        "Set-Cookie": sessionCookie(login.token, {
          maxAgeSeconds: sessionMaxAgeSeconds(context),
          secure: cookieIsSecure(context),
        }),
      },
    });
  } catch (error) {
    if (
      isAppErrorLike(error) &&
      error.code === "validation_failed" &&
      Array.isArray(error.details)
    ) {
      const fieldErrors: RegisterResult["fieldErrors"] = {};
      for (const issue of error.details as Array<{
        path: Field;
        code: RegistrationFieldCode;
      }>)
        fieldErrors[issue.path] ??= issue.code;
      return data<RegisterResult>({ fieldErrors, values }, { status: 400 });
    }
    throw error;
  }
}

export default function RegisterPage() {
  const loaderData = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={loaderData.display} reading={loaderData.reading}>
      <RegisterContent />
    </ResidentPage>
  );
}

function RegisterContent() {
  const { workspace, areas, skills, organizations, registrarId } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { reading, t } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result?.fieldErrors) summaryRef.current?.focus();
  }, [result]);
  const errors = result?.fieldErrors ?? {};
  const v = result?.values;
  const err = (field: Field) =>
    errors[field] ? t[`regErr_${errors[field]!}`] : null;
  const invalid = (field: Field) => (errors[field] ? true : undefined);
  const described = (field: Field, hint?: string) =>
    [hint, errors[field] ? `reg-${field}-error` : null]
      .filter(Boolean)
      .join(" ") || undefined;
  const errorText = (field: Field) =>
    errors[field] ? (
      <p id={`reg-${field}-error`} className="field__error">
        {err(field)}
      </p>
    ) : null;
  const registrar = organizations.find((o) => o.id === registrarId);
  const others = organizations.filter((o) => o.id !== registrarId);
  return (
    <div className="narrow narrow--wide">
      <h1>
        <R>{t.registerTitle}</R>
      </h1>
      <p className="section__lead">
        <R>{t.registerLead}</R>
      </p>
      {result?.fieldErrors ? (
        <div
          className="alert alert--error"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
        >
          <p>{t.errorSummary}</p>
          <ul>
            {(Object.keys(errors) as Field[]).map((f) => (
              <li key={f}>
                <a href={`#reg-${f}`}>{err(f)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="form register-form" noValidate>
        <input type="hidden" name="w" value={workspace.slug} />
        <fieldset className="card register-form__group">
          <legend>{t.regAccount}</legend>
          <div className="field">
            <label htmlFor="reg-name">{t.nameLabel}</label>
            <input
              id="reg-name"
              name="name"
              autoComplete="name"
              required
              maxLength={60}
              defaultValue={v?.name}
              aria-invalid={invalid("name")}
              aria-describedby={described("name")}
            />
            {errorText("name")}
          </div>
          <div className="field">
            <label htmlFor="reg-email">{t.regEmail}</label>
            <input
              id="reg-email"
              name="email"
              type="email"
              autoComplete="email"
              required
              maxLength={254}
              defaultValue={v?.email}
              aria-invalid={invalid("email")}
              aria-describedby={described("email")}
            />
            {errorText("email")}
          </div>
          <div className="field">
            <label htmlFor="reg-phone">{t.regPhone}</label>
            <input
              id="reg-phone"
              name="phone"
              type="tel"
              autoComplete="tel"
              maxLength={30}
              defaultValue={v?.phone}
              aria-invalid={invalid("phone")}
              aria-describedby={described("phone")}
            />
            {errorText("phone")}
          </div>
          <div className="field">
            <label htmlFor="reg-password">{t.regPassword}</label>
            <p id="reg-password-hint" className="field__hint">
              {t.regPasswordHint}
            </p>
            <input
              id="reg-password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              maxLength={256}
              aria-invalid={invalid("password")}
              aria-describedby={described("password", "reg-password-hint")}
            />
            {errorText("password")}
          </div>
          <div className="field">
            <label htmlFor="reg-homeAreaId">{t.regArea}</label>
            <p id="reg-area-hint" className="field__hint">
              {t.regAreaHint}
            </p>
            <select
              id="reg-homeAreaId"
              name="homeAreaId"
              required
              defaultValue={v?.homeAreaId ?? ""}
              aria-invalid={invalid("homeAreaId")}
              aria-describedby={described("homeAreaId", "reg-area-hint")}
            >
              <option value="">{t.regChoose}</option>
              {areas.map((a) => (
                <option key={a.id} value={a.id}>
                  {localized(locale, a.name, a.nameEn)}
                </option>
              ))}
            </select>
            {errorText("homeAreaId")}
          </div>
        </fieldset>

        <fieldset
          className="card register-form__group"
          id="reg-availability"
          aria-describedby={described("availability", "reg-time-hint")}
        >
          <legend>{t.regTime}</legend>
          <p id="reg-time-hint" className="field__hint">
            {t.regTimeHint}
          </p>
          {errorText("availability")}
          <table className="time-grid">
            <thead>
              <tr>
                <td />
                {PARTS.map((p) => (
                  <th key={p.key} scope="col">
                    {t[`parts_${p.key}`]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[1, 2, 3, 4, 5, 6, 0].map((day) => (
                <tr key={day}>
                  <th scope="row">{t.weekdays[day]}</th>
                  {PARTS.map((p) => {
                    const value = `${day}:${p.key}`;
                    return (
                      <td key={p.key}>
                        <label className="time-grid__cell">
                          <input
                            type="checkbox"
                            name="availability"
                            value={value}
                            defaultChecked={v?.availability.includes(value)}
                          />
                          <span className="visually-hidden">
                            {t.weekdays[day]} {t[`parts_${p.key}`]}
                          </span>
                        </label>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>

        <fieldset className="card register-form__group">
          <legend>{t.regSkills}</legend>
          <div className="check-grid">
            {skills.map((s) => (
              <label key={s.id} className="check">
                <input
                  type="checkbox"
                  name="skills"
                  value={s.id}
                  defaultChecked={v?.skills.includes(s.id)}
                />
                <span>{locale === "en" ? s.nameEn : s.nameJa}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="card register-form__group">
          <legend>{t.regInterests}</legend>
          <div className="check-grid">
            {TASK_CATEGORIES.map((c) => (
              <label key={c.code} className="check">
                <input
                  type="checkbox"
                  name="interests"
                  value={c.code}
                  defaultChecked={v?.interests.includes(c.code)}
                />
                <span>{c[locale]}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="card register-form__group">
          <legend>{t.regTravel}</legend>
          {TRAVEL_CHOICES_M.map((m) => (
            <label key={m} className="check">
              <input
                type="radio"
                name="travelDistanceM"
                value={m}
                defaultChecked={(v?.travel ?? "1000") === String(m)}
              />
              <span>{t.regTravelOption(m)}</span>
            </label>
          ))}
        </fieldset>

        <fieldset className="card register-form__group">
          <legend>{t.regStyle}</legend>
          {(["REGISTERED", "PER_EVENT"] as const).map((s) => (
            <label key={s} className="check">
              <input
                type="radio"
                name="style"
                value={s}
                defaultChecked={(v?.style ?? "REGISTERED") === s}
              />
              <span>{t[`style_${s}`]}</span>
            </label>
          ))}
        </fieldset>

        <fieldset
          className="card register-form__group consent"
          aria-describedby="reg-consents-lead"
        >
          <legend>{t.regConsents}</legend>
          <p id="reg-consents-lead" className="consent__purpose">
            {t.regConsentsLead(
              registrar
                ? localized(locale, registrar.name, registrar.nameEn)
                : "—"
            )}
          </p>
          <div className="check-grid">
            {others.map((o) => (
              <label key={o.id} className="check">
                <input
                  type="checkbox"
                  name="consents"
                  value={o.id}
                  defaultChecked={v?.consents.includes(o.id)}
                />
                <span>{localized(locale, o.name, o.nameEn)}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <button
          type="submit"
          className="button button--wide"
          disabled={navigation.state === "submitting"}
        >
          {navigation.state === "submitting" ? t.submitting : t.regSubmit}
        </button>
      </Form>
    </div>
  );
}
