import { formatNumber } from "./format";
import { messagesFor, type Locale } from "./i18n";

export type IncentiveKind = "TRANSPORT_FEE" | "THANKS_MONEY" | "LOCAL_POINTS" | "CERTIFICATE";

export interface IncentiveSummary {
  kinds: readonly IncentiveKind[];
  transportFeeYen: number | null;
  thanksYen: number | null;
  localPoints: number | null;
}

/** Human labels for a task's incentives, in a fixed order; empty when the task offers none. */
export function incentiveLabels(summary: IncentiveSummary, locale: Locale): string[] {
  const t = messagesFor(locale);
  const has = (kind: IncentiveKind) => summary.kinds.includes(kind);
  const amount = (value: number | null) => (value != null && value > 0 ? formatNumber(value, locale) : null);
  const labels: string[] = [];
  if (has("TRANSPORT_FEE")) {
    const yen = amount(summary.transportFeeYen);
    labels.push(yen ? t.incentiveTransportFee(yen) : t.incentiveTransportFeeNoAmount);
  }
  if (has("THANKS_MONEY")) {
    const yen = amount(summary.thanksYen);
    labels.push(yen ? t.incentiveThanks(yen) : t.incentiveThanksNoAmount);
  }
  if (has("LOCAL_POINTS")) {
    const points = amount(summary.localPoints);
    labels.push(points ? t.incentivePoints(points) : t.incentivePointsNoAmount);
  }
  if (has("CERTIFICATE")) labels.push(t.incentiveCertificate);
  return labels;
}
