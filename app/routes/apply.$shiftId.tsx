import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  ApplyForm,
  type ApplyField,
  type ApplyResult,
} from "~/features/residents/apply-form";
import { displayFromRequest } from "~/features/residents/display.server";
import { PieceFacts } from "~/features/residents/piece-facts";
import { residentMessages } from "~/features/residents/messages";
import {
  R,
  ResidentPage,
  useResident,
} from "~/features/residents/resident-page";
import { orResponse } from "~/lib/auth.server";
import { localized } from "~/lib/i18n";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import type {
  ApplicationFieldCode,
  ApplicationRefusal,
} from "../../server/domain/applications.ts";

export const meta: MetaFunction<typeof loader> = ({
  data: loaderData,
  matches,
}) =>
  pageMeta(
    localeFromMatches(matches),
    residentMessages(loaderData?.reading ?? "ja").applyTitle
  );

/** The apply page for one piece: the form alone (also where the activity page's forms land on an error). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const found = await orResponse(
    context.services.domain.publicActivities.piece(params.shiftId ?? "")
  );
  return { ...displayFromRequest(request), ...found };
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
 * One application per POST (都度申し込み, server/domain/applications.ts). Success → 303 to the
 * confirmation page (a reload cannot post twice); refusals → 400 / 404 / 409 with the form and
 * what was typed, nothing saved.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const values = {
    name: text("name").slice(0, 100),
    contact: text("contact").slice(0, 254),
    note: text("note").slice(0, 600),
  };
  try {
    const { code } = await context.services.domain.applications.apply({
      shiftId: params.shiftId ?? "",
      name: values.name,
      contact: values.contact,
      consent: text("consent"),
      note: values.note,
    });
    return redirect(`/apply/done/${code}`, 303);
  } catch (error) {
    if (!isAppErrorLike(error)) throw error;
    if (error.code === "validation_failed" && Array.isArray(error.details)) {
      const fieldErrors: ApplyResult["fieldErrors"] = {};
      for (const issue of error.details as Array<{
        path: ApplyField;
        code: ApplicationFieldCode;
      }>)
        fieldErrors[issue.path] ??= issue.code;
      return data<ApplyResult>({ fieldErrors, values }, { status: 400 });
    }
    if (error.code === "conflict") {
      const reason =
        (error.details as { reason?: ApplicationRefusal } | undefined)
          ?.reason ?? "full";
      return data<ApplyResult>({ refusal: reason, values }, { status: 409 });
    }
    if (error.code === "not_found")
      return data<ApplyResult>(
        { refusal: "not_found", values },
        { status: 404 }
      );
    throw error;
  }
}

export default function ApplyPage() {
  const loaderData = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={loaderData.display} reading={loaderData.reading}>
      <ApplyContent />
    </ResidentPage>
  );
}

function ApplyContent() {
  const { piece, activity, started } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { reading, t } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const organizer = localized(
    locale,
    activity.organizer.name,
    activity.organizer.nameEn
  );
  const open = piece.acceptsApplications && !started;
  return (
    <div className="narrow">
      <p>
        <Link to={`/activities/${activity.id}`} className="back-link">
          ← {localized(locale, activity.title, activity.titleEn)}
        </Link>
      </p>
      <h1>
        <R>{t.applyTitle}</R>
      </h1>
      <PieceFacts activity={activity} piece={piece} organizer={organizer} />
      {open || result ? (
        <>
          <p className="section__lead">
            <R>{t.applyLead}</R>
          </p>
          <ApplyForm shiftId={piece.id} organizer={organizer} result={result} />
        </>
      ) : (
        <p className="alert alert--error">
          {started
            ? t.refused_past
            : piece.freeSeats > 0
            ? t.refused_cap
            : t.refused_full}
        </p>
      )}
    </div>
  );
}
