import { FillMeter } from "~/components/fill-meter";
import { categoryLabel } from "~/lib/categories";
import { formatTimeRange, isoString } from "~/lib/format";
import { label, localized, type Locale, type Messages } from "~/lib/i18n";
import type { WorkspaceHomeTask } from "../../../server/domain/pages.ts";

/**
 * Tasks with their upcoming pieces and how many places are filled (確定・実施中・完了 matches
 * against the headcount): the coverage a coordinator scans first.
 */
export function TaskList({
  tasks,
  locale,
  t,
  timeZone,
}: {
  tasks: WorkspaceHomeTask[];
  locale: Locale;
  t: Messages;
  timeZone: string;
}) {
  return (
    <ul className="task-list" role="list">
      {tasks.map((task) => (
        <li key={task.id}>
          <TaskItem task={task} locale={locale} t={t} timeZone={timeZone} />
        </li>
      ))}
    </ul>
  );
}

function TaskItem({ task, locale, t, timeZone }: { task: WorkspaceHomeTask; locale: Locale; t: Messages; timeZone: string }) {
  const titleId = `task-${task.id}`;
  const place = [
    task.isRemote ? t.online : task.locationName,
    task.area ? localized(locale, task.area.name, task.area.nameEn) : null,
  ].filter(Boolean);
  return (
    <article className="card task" aria-labelledby={titleId}>
      <header className="task__header">
        <h3 id={titleId}>{localized(locale, task.title, task.titleEn)}</h3>
        <p className="badges">
          <span className="badge badge--category">{categoryLabel(task.category, locale)}</span>
          <span className={`badge badge--status-${task.status.toLowerCase()}`}>
            <span className="visually-hidden">{t.taskStatus}: </span>
            {label(locale, `taskStatus_${task.status}`)}
          </span>
          <span className="badge badge--quiet">
            <span className="visually-hidden">{t.visibility}: </span>
            {label(locale, `visibility_${task.visibility}`)}
          </span>
        </p>
      </header>
      <p className="task__meta">
        <span>
          {t.fieldOrganizer}: {localized(locale, task.owner.name, task.owner.nameEn)}
        </span>
        {place.length ? (
          <span>
            {t.fieldPlace}: {place.join(t.listSeparator)}
          </span>
        ) : null}
      </p>
      {task.pieces.length === 0 ? (
        <p className="empty empty--small">{t.noPieces}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
          <table className="table table--pieces">
            <caption className="visually-hidden">
              {t.pieces}: {localized(locale, task.title, task.titleEn)}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="col-role">
                  {t.pieceRole}
                </th>
                <th scope="col" className="col-time">
                  {t.pieceTime}
                </th>
                <th scope="col" className="num col-headcount">
                  {t.pieceHeadcount}
                </th>
                <th scope="col" className="col-filled">
                  {t.pieceFilled}
                </th>
              </tr>
            </thead>
            <tbody>
              {task.pieces.map((piece) => (
                <tr key={piece.id}>
                  <th scope="row" className="col-role">
                    {localized(locale, piece.role, piece.roleEn)}
                  </th>
                  <td className="col-time">
                    <time dateTime={isoString(piece.startsAt)}>
                      {formatTimeRange(piece.startsAt, piece.endsAt, locale, timeZone)}
                    </time>
                  </td>
                  <td className="num col-headcount">{piece.headcount}</td>
                  <td className="col-filled">
                    <FillMeter
                      filled={piece.filled}
                      total={piece.headcount}
                      label={t.filledOf(piece.filled, piece.headcount)}
                      completeLabel={t.filledComplete}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {task.morePieces > 0 ? <p className="more">{t.morePieces(task.morePieces)}</p> : null}
    </article>
  );
}
