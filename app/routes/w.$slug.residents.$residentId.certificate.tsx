import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CertificateFilters, CertificateSheet } from "~/features/outcomes/certificate";
import { outcomeMessages } from "~/features/outcomes/messages";
import outcomesCss from "~/features/outcomes/outcomes.css?url";
import { orResponse, queryOrResponse, requireUser } from "~/lib/auth.server";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";
import { CertificateQuerySchema } from "../../server/domain/incentives.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: outcomesCss }];

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, outcomeMessages(locale).certTitle);
};

/**
 * 参加証明書 (printable): the activities of the caller's organizations a resident took part in
 * during a period, with dates and hours — e.g. for a student's school. Coordinators and admins;
 * the name only where the projection allows (the read is audited). Default period: the last year.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { domain } = context.services;
  const workspace = await orResponse(domain.pages.workspaceSummary({ user, slug: String(params.slug) }));
  const query = queryOrResponse(request, CertificateQuerySchema);
  const audit = { actorUserId: user.id, purpose: "certificate", ip: context.clientIp ?? null };
  const certificate = await orResponse(domain.incentives.certificate(user, String(params.residentId), query, audit));
  return { workspace, certificate };
}

export default function CertificatePage() {
  const { certificate } = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const t = outcomeMessages(locale);
  return (
    <>
      <CertificateFilters period={certificate.period} t={t} locale={locale} />
      <CertificateSheet certificate={certificate} t={t} locale={locale} />
    </>
  );
}
