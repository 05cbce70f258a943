import { Link } from "@remix-run/react";

export interface StatusText {
  lang: string;
  title: string;
  body: string;
}

/**
 * Full-page message for errors and empty states. An optional second language is shown below the
 * first, because an error page may be reached before (or without) a language choice.
 */
export function StatusPage({
  status,
  primary,
  secondary,
  action,
}: {
  status?: number;
  primary: StatusText;
  secondary?: StatusText;
  action?: { to: string; label: string };
}) {
  return (
    <section className="status-page" aria-labelledby="status-title">
      {status ? (
        <p className="status-page__code" aria-hidden="true">
          {status}
        </p>
      ) : null}
      <h1 id="status-title" lang={primary.lang}>
        {primary.title}
      </h1>
      <p lang={primary.lang}>{primary.body}</p>
      {secondary ? (
        <div className="status-page__secondary" lang={secondary.lang}>
          <p className="status-page__secondary-title">{secondary.title}</p>
          <p>{secondary.body}</p>
        </div>
      ) : null}
      {action ? (
        <p>
          <Link className="button" to={action.to}>
            {action.label}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
