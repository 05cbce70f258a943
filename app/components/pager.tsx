import { Link } from "@remix-run/react";

/** Previous/next links for an offset-paginated list, with a visible "x–y of n" summary. */
export function Pager({
  label,
  summary,
  previous,
  next,
}: {
  label: string;
  summary: string;
  previous?: { to: string; label: string } | null;
  next?: { to: string; label: string } | null;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <p className="pager__summary">{summary}</p>
      <ul>
        {previous ? (
          <li>
            <Link to={previous.to} rel="prev" className="button button--secondary">
              ← {previous.label}
            </Link>
          </li>
        ) : null}
        {next ? (
          <li>
            <Link to={next.to} rel="next" className="button button--secondary">
              {next.label} →
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
