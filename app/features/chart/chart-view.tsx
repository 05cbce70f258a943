/**
 * Read-only rendering of a chart from its blocks (server-rendered: the page before JavaScript,
 * a saved version, the print page). Text only; links are kept when they are http(s)/mailto.
 */
import type { ReactNode } from "react";
import { resourceCategoryLabel } from "~/lib/categories";
import type { Locale } from "~/lib/i18n";
import { PLAN_STATUS_LABELS, planOriginLabel, type ChartBlock, type PlanItem, type TextRun } from "./chart-doc";
import { bandLabel, formatCount, type ChartFigures } from "./figures";
import { CHART_MESSAGES, formatJst } from "./messages";

function Runs({ runs }: { runs: TextRun[] }) {
  return (
    <>
      {runs.map((run, i) => {
        if (run.text === "\n") return <br key={i} />;
        let node: ReactNode = run.text;
        if (run.code) node = <code>{node}</code>;
        if (run.bold) node = <strong>{node}</strong>;
        if (run.italic) node = <em>{node}</em>;
        if (run.strike) node = <s>{node}</s>;
        if (run.href) node = <a href={run.href} rel="noopener noreferrer">{node}</a>;
        return <span key={i}>{node}</span>;
      })}
    </>
  );
}

export function ChartBlocksView({ blocks }: { blocks: ChartBlock[] }) {
  return (
    <>
      {blocks.map((block, i) => {
        switch (block.type) {
          case "heading": {
            // The page title is h1; the chart's sections start at h2.
            const Tag = `h${Math.min(6, Math.max(2, block.level))}` as "h2";
            return (
              <Tag key={i}>
                <Runs runs={block.runs} />
              </Tag>
            );
          }
          case "paragraph":
            return (
              <p key={i}>
                <Runs runs={block.runs} />
              </p>
            );
          case "bulletList":
          case "orderedList": {
            const List = block.type === "bulletList" ? "ul" : "ol";
            return (
              <List key={i}>
                {block.items.map((item, j) => (
                  <li key={j}>
                    <ChartBlocksView blocks={item} />
                  </li>
                ))}
              </List>
            );
          }
          case "blockquote":
            return (
              <blockquote key={i}>
                <ChartBlocksView blocks={block.children} />
              </blockquote>
            );
          case "codeBlock":
            return (
              <pre key={i}>
                <code>{block.text}</code>
              </pre>
            );
          case "horizontalRule":
            return <hr key={i} />;
        }
      })}
    </>
  );
}

export function PlanTableView({ plan, locale }: { plan: PlanItem[]; locale: Locale }) {
  const t = CHART_MESSAGES[locale];
  if (plan.length === 0) return <p className="chart-muted">{t.planEmpty}</p>;
  return (
    <div className="table-scroll">
      <table className="table chart-plan">
        <thead>
          <tr>
            <th scope="col">{t.planItem}</th>
            <th scope="col">{t.planOwner}</th>
            <th scope="col">{t.planDue}</th>
            <th scope="col">{t.planStatus}</th>
            <th scope="col" className="num">
              {t.planProgress}
            </th>
          </tr>
        </thead>
        <tbody>
          {plan.map((item) => (
            <tr key={item.id}>
              <th scope="row">
                {item.title || "—"}
                <PlanOrigin item={item} locale={locale} />
              </th>
              <td>{item.ownerOrgName || t.planNoOwner}</td>
              <td>{item.due ?? "—"}</td>
              <td>{PLAN_STATUS_LABELS[item.status][locale]}</td>
              <td className="num">
                <ProgressBar value={item.progress} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** 「会議決定 2026/12/04」 under a meeting decision's title (screen, print and versions alike). */
export function PlanOrigin({ item, locale }: { item: PlanItem; locale: Locale }) {
  const label = planOriginLabel(item, locale);
  return label ? (
    <span className="badge badge--quiet chart-plan__origin" data-testid="plan-origin">
      {label}
    </span>
  ) : null;
}

export function ProgressBar({ value }: { value: number }) {
  return (
    <span className="chart-progress">
      <span className="chart-progress__track" aria-hidden="true">
        <span className="chart-progress__bar" style={{ width: `${value}%` }} />
      </span>
      <span className="chart-progress__value">{value}%</span>
    </span>
  );
}

/** The figures as tables (the live panel wraps this with its refresh logic). */
export function FiguresView({ figures, locale }: { figures: ChartFigures; locale: Locale }) {
  const t = CHART_MESSAGES[locale];
  return (
    <div className="chart-figures" data-testid="chart-figures">
      <p className="chart-muted">{t.figuresAsOf(formatJst(figures.asOf, locale))}</p>
      <div className="chart-figures__grid">
        <section aria-labelledby="fig-resources" className="chart-figures__card">
          <h3 id="fig-resources">{t.resourcesTitle}</h3>
          <p className="chart-figures__big" data-testid="figures-resources-total">
            {t.resourcesTotal(figures.resources.total)}
          </p>
          {figures.resources.byCategory.length === 0 ? (
            <p className="chart-muted">{t.noResources}</p>
          ) : (
            <table className="table">
              <tbody>
                {figures.resources.byCategory.map((row) => (
                  <tr key={`${row.kind}:${row.category}`}>
                    <th scope="row">{resourceCategoryLabel(row.category, locale)}</th>
                    <td className="num">{row.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="fig-residents" className="chart-figures__card">
          <h3 id="fig-residents">{t.residentsTitle}</h3>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t.ageBand}</th>
                <th scope="col" className="num">
                  {t.registered}
                </th>
                <th scope="col" className="num">
                  {t.active}
                </th>
              </tr>
            </thead>
            <tbody>
              {figures.residents.byAgeBand.map((row) => (
                <tr key={String(row.band)}>
                  <th scope="row">{bandLabel(row.band, locale)}</th>
                  <td className="num">{formatCount(row.registered, locale)}</td>
                  <td className="num">{formatCount(row.active, locale)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t.total}</th>
                <td className="num" data-testid="figures-residents-registered">
                  {formatCount(figures.residents.registered, locale)}
                </td>
                <td className="num">{formatCount(figures.residents.active, locale)}</td>
              </tr>
            </tbody>
          </table>
          <p className="chart-muted chart-small">{t.residentsNote(figures.residents.activeDays)}</p>
        </section>
        <section aria-labelledby="fig-pieces" className="chart-figures__card">
          <h3 id="fig-pieces">{t.piecesTitle}</h3>
          <dl className="chart-figures__pairs">
            <dt>{t.piecesOpen}</dt>
            <dd data-testid="figures-pieces-open">{figures.pieces.open}</dd>
            <dt>{t.piecesFilled}</dt>
            <dd>{figures.pieces.filled}</dd>
          </dl>
          <h3 id="fig-matches">{t.matchesTitle(figures.month)}</h3>
          <dl className="chart-figures__pairs" aria-labelledby="fig-matches">
            <dt>{t.matchesProposed}</dt>
            <dd>{formatCount(figures.matches.proposed, locale)}</dd>
            <dt>{t.matchesConfirmed}</dt>
            <dd>{formatCount(figures.matches.confirmed, locale)}</dd>
          </dl>
        </section>
      </div>
    </div>
  );
}
