import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type {
  ApplicationFieldCode,
  ApplicationRefusal,
} from "../../../server/domain/applications.ts";
import { useResident } from "./resident-page";

export type ApplyField = "name" | "contact" | "consent" | "note";

/** What the apply action answers when it refuses (the form shows it, keeping what was typed). */
export interface ApplyResult {
  fieldErrors?: Partial<Record<ApplyField, ApplicationFieldCode>>;
  refusal?: ApplicationRefusal | "not_found";
  values?: { name: string; contact: string; note: string };
}

/**
 * The 都度申し込み form for one piece. Posts to /apply/:shiftId wherever it is shown (the activity
 * page or the apply page), so there is one action; works without JavaScript. One submission per
 * POST: the button is disabled while sending.
 */
export function ApplyForm({
  shiftId,
  organizer,
  result,
  idPrefix = "apply",
}: {
  shiftId: string;
  organizer: string;
  result?: ApplyResult;
  idPrefix?: string;
}) {
  const { t } = useResident();
  const navigation = useNavigation();
  const action = `/apply/${shiftId}`;
  const submitting =
    navigation.state === "submitting" && navigation.formAction === action;
  const summaryRef = useRef<HTMLDivElement>(null);
  const id = (name: string) => `${idPrefix}-${name}`;
  const errors = result?.fieldErrors ?? {};
  const message = (field: ApplyField) => {
    const code = errors[field];
    return code ? t[`err_${code}`] : null;
  };

  useEffect(() => {
    if (result?.fieldErrors || result?.refusal) summaryRef.current?.focus();
  }, [result]);

  const describedBy = (field: ApplyField, hint: boolean) =>
    [
      hint ? id(`${field}-hint`) : null,
      errors[field] ? id(`${field}-error`) : null,
    ]
      .filter(Boolean)
      .join(" ") || undefined;

  return (
    <Form method="post" action={action} className="form apply-form" noValidate>
      {result?.refusal || result?.fieldErrors ? (
        <div
          className="alert alert--error"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
        >
          {result.refusal ? (
            <p>{t[`refused_${result.refusal}`]}</p>
          ) : (
            <>
              <p>{t.errorSummary}</p>
              <ul>
                {(["name", "contact", "consent", "note"] as const).map((f) =>
                  errors[f] ? (
                    <li key={f}>
                      <a href={`#${id(f)}`}>{message(f)}</a>
                    </li>
                  ) : null
                )}
              </ul>
            </>
          )}
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={id("name")}>{t.nameLabel}</label>
        <p id={id("name-hint")} className="field__hint">
          {t.nameHint}
        </p>
        <input
          id={id("name")}
          name="name"
          autoComplete="name"
          required
          maxLength={60}
          defaultValue={result?.values?.name ?? ""}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy("name", true)}
        />
        {errors.name ? (
          <p id={id("name-error")} className="field__error">
            {message("name")}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={id("contact")}>{t.contactLabel}</label>
        <p id={id("contact-hint")} className="field__hint">
          {t.contactHint}
        </p>
        <input
          id={id("contact")}
          name="contact"
          autoComplete="tel"
          inputMode="email"
          required
          maxLength={254}
          defaultValue={result?.values?.contact ?? ""}
          aria-invalid={errors.contact ? true : undefined}
          aria-describedby={describedBy("contact", true)}
        />
        {errors.contact ? (
          <p id={id("contact-error")} className="field__error">
            {message("contact")}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={id("note")}>{t.noteLabel}</label>
        <p id={id("note-hint")} className="field__hint">
          {t.noteHint}
        </p>
        <textarea
          id={id("note")}
          name="note"
          rows={3}
          maxLength={500}
          defaultValue={result?.values?.note ?? ""}
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={describedBy("note", true)}
        />
        {errors.note ? (
          <p id={id("note-error")} className="field__error">
            {message("note")}
          </p>
        ) : null}
      </div>
      <fieldset className="consent" aria-describedby={id("consent-purpose")}>
        <legend>{t.consentLegend}</legend>
        <p id={id("consent-purpose")} className="consent__purpose">
          {t.consentPurpose(organizer)}
        </p>
        <label className="check">
          <input
            id={id("consent")}
            type="checkbox"
            name="consent"
            value="yes"
            required
            aria-invalid={errors.consent ? true : undefined}
            aria-describedby={errors.consent ? id("consent-error") : undefined}
          />
          <span>{t.consentLabel}</span>
        </label>
        {errors.consent ? (
          <p id={id("consent-error")} className="field__error">
            {message("consent")}
          </p>
        ) : null}
      </fieldset>
      <button
        type="submit"
        className="button button--wide"
        disabled={submitting}
      >
        {submitting ? t.submitting : t.submitApply}
      </button>
    </Form>
  );
}
