import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CertificateFilters, CertificateSheet } from "~/features/outcomes/certificate";
import { outcomeMessages } from "~/features/outcomes/messages";
import outcomesCss from "~/features/outcomes/outcomes.css?url";
import { displayFromRequest } from "~/features/residents/display.server";
import { R, ResidentPage, useResident } from "~/features/residents/resident-page";
import { orResponse, queryOrResponse, requireUser } from "~/lib/auth.server";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { CertificateQuerySchema } from "../../server/domain/incentives.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: outcomesCss }];

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, outcomeMessages(locale).certMineTitle);
};

/**
 * /me/certificate: the signed-in resident prints their own 参加証明書 (e.g. for school) — the same
 * sheet as the coordinator's page, of every organization they took part with, or one of them.
 * Only ever their own: the page takes no resident id (decision 056). 404 for an account without
 * a resident record (staff).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const query = queryOrResponse(request, CertificateQuerySchema);
  const audit = { actorUserId: user.id, purpose: "certificate", ip: context.clientIp ?? null };
  const certificate = await orResponse(context.services.domain.incentives.ownCertificate(user, query, audit));
  return { ...displayFromRequest(request), certificate, organizationId: query.organizationId ?? null };
}

export default function MyCertificatePage() {
  const loaderData = useLoaderData<typeof loader>();
  return (
    <ResidentPage display={loaderData.display} reading={loaderData.reading}>
      <MyCertificate />
    </ResidentPage>
  );
}

function MyCertificate() {
  const { certificate, organizationId } = useLoaderData<typeof loader>();
  const { reading } = useResident();
  const locale = reading === "en" ? "en" : "ja";
  const t = outcomeMessages(locale);
  return (
    <div className="narrow narrow--wide my-certificate">
      <div className="no-print">
        <p>
          <Link to="/me">← {t.certMineBack}</Link>
        </p>
        <h1>
          <R>{t.certMineTitle}</R>
        </h1>
        <p className="section__lead">
          <R>{t.certMineLead}</R>
        </p>
      </div>
      <CertificateFilters period={certificate.period} t={t} locale={locale} organizations={certificate.organizations} organizationId={organizationId} />
      <CertificateSheet certificate={certificate} t={t} locale={locale} />
    </div>
  );
}
