import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { outcomeMessages } from "~/features/outcomes/messages";
import { ACTIVITY_COLUMNS, OPEN_DATA_FILES, OPEN_DATA_LICENSE, OPEN_DATA_LICENSE_URL, PLACE_COLUMNS, type OpenDataColumn } from "~/features/outcomes/open-data-columns";
import outcomesCss from "~/features/outcomes/outcomes.css?url";
import { localeFromMatches, pageMeta } from "~/lib/meta";
import { useI18n } from "~/lib/use-i18n";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: outcomesCss }];

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return pageMeta(locale, outcomeMessages(locale).openDataTitle);
};

/**
 * /open-data (public, no login, no JavaScript needed): the open-data files and their columns,
 * from the same lists the server writes the files with (docs/open-data.md).
 */
export default function OpenDataPage() {
  const { locale } = useI18n();
  const t = outcomeMessages(locale);
  const table = (id: string, title: string, columns: readonly OpenDataColumn[]) => (
    <section className="section" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <div className="table-scroll">
        <table className="table" data-columns={id}>
          <thead>
            <tr>
              <th scope="col">{t.openDataColumn}</th>
              <th scope="col">{t.openDataProperty}</th>
              <th scope="col">{t.openDataMeaning}</th>
              <th scope="col">{t.openDataExample}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.csv}>
                <th scope="row">
                  <code>{c.csv}</code>
                </th>
                <td>{c.geojson ? <code>{c.geojson}</code> : t.openDataGeometry}</td>
                <td>{locale === "en" ? c.en : c.ja}</td>
                <td>{c.example}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
  return (
    <div className="narrow-wide">
      <h1>{t.openDataTitle}</h1>
      <p className="section__lead">{t.openDataLead}</p>
      <p>
        {t.openDataLicense}: <a href={OPEN_DATA_LICENSE_URL}>{OPEN_DATA_LICENSE}</a>
      </p>
      <section className="section" aria-labelledby="open-data-files">
        <h2 id="open-data-files">{t.openDataFiles}</h2>
        <ul className="open-data-files">
          {OPEN_DATA_FILES.map((f) => (
            <li key={f.path}>
              <a href={f.path}>
                {f.kind === "activities" ? t.openDataActivities : t.openDataPlaces} ({f.format})
              </a>{" "}
              <code>{f.path}</code>
            </li>
          ))}
        </ul>
        <p>{t.openDataNotes}</p>
      </section>
      <section className="section" aria-labelledby="open-data-columns">
        <h2 id="open-data-columns">{t.openDataColumns}</h2>
        {table("columns-activities", t.openDataActivities, ACTIVITY_COLUMNS)}
        {table("columns-places", t.openDataPlaces, PLACE_COLUMNS)}
      </section>
    </div>
  );
}
