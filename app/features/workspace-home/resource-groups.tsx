import { resourceCategoryLabel } from "~/lib/categories";
import { label, localized, type Locale, type Messages } from "~/lib/i18n";
import type { WorkspaceHome } from "../../../server/domain/pages.ts";

/** Local resources by kind (場所・活動・サービス・団体の拠点), each with its count and first items. */
export function ResourceGroups({
  groups,
  locale,
  t,
}: {
  groups: WorkspaceHome["resources"];
  locale: Locale;
  t: Messages;
}) {
  const present = groups.filter((g) => g.count > 0);
  if (present.length === 0) return <p className="empty">{t.noResources}</p>;
  return (
    <div className="resource-groups">
      {present.map((group) => {
        const headingId = `resources-${group.kind.toLowerCase()}`;
        return (
          <section key={group.kind} className="card resource-group" aria-labelledby={headingId}>
            <h3 id={headingId}>
              {label(locale, `resourceKind_${group.kind}`)} <span className="count">{t.resourceCount(group.count)}</span>
            </h3>
            <ul className="resource-list">
              {group.items.map((item) => (
                <li key={item.id}>
                  <span className="resource-list__name">{localized(locale, item.name, item.nameEn)}</span>
                  <span className="resource-list__meta">
                    {[
                      resourceCategoryLabel(item.category, locale),
                      item.area ? localized(locale, item.area.name, item.area.nameEn) : null,
                      item.capacity != null ? t.capacity(item.capacity) : null,
                    ]
                      .filter(Boolean)
                      .join(t.listSeparator)}
                  </span>
                </li>
              ))}
            </ul>
            {group.count > group.items.length ? (
              <p className="more">{t.moreItems(group.count - group.items.length)}</p>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
