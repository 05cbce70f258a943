import { formatTimeRange, isoString } from "~/lib/format";
import { localized, type Locale } from "~/lib/i18n";
import { useResident } from "./resident-page";

export interface PieceFactsProps {
  activity: {
    title: string;
    titleEn: string | null;
    timezone: string;
    isRemote: boolean;
    locationName: string | null;
  };
  piece: { startsAt: Date | string; endsAt: Date | string; role: string; roleEn: string | null };
  /** The organizer's name, already in the page's language. */
  organizer: string;
}

/** What a resident applies for, or applied for: the activity, the piece's time and role, place, organizer. */
export function PieceFacts({ activity, piece, organizer }: PieceFactsProps) {
  const { reading, t } = useResident();
  const locale: Locale = reading === "en" ? "en" : "ja";
  return (
    <dl className="facts card">
      <div>
        <dt>{t.appliedFor}</dt>
        <dd className="facts__strong">{localized(locale, activity.title, activity.titleEn)}</dd>
      </div>
      <div>
        <dt>{t.fieldDate}</dt>
        <dd>
          <time dateTime={isoString(piece.startsAt)}>
            {formatTimeRange(piece.startsAt, piece.endsAt, locale, activity.timezone)}
          </time>
          <span className="facts__sub">{localized(locale, piece.role, piece.roleEn)}</span>
        </dd>
      </div>
      <div>
        <dt>{t.fieldPlace}</dt>
        <dd>{activity.isRemote ? t.online : (activity.locationName ?? "—")}</dd>
      </div>
      <div>
        <dt>{t.fieldOrganizer}</dt>
        <dd>{organizer}</dd>
      </div>
    </dl>
  );
}
