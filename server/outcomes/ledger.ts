import { jstDay, jstMonth } from "../../app/features/outcomes/format.ts";
import { toCsv } from "./csv.ts";

export { formatMinutes, jstDay, jstMonth, jstTime } from "../../app/features/outcomes/format.ts";

/**
 * The incentive ledger's pure part (issue 9): totals per resident, organization and month, and
 * the accounting CSV. Rows come from server/domain/incentives.ts; nothing here reads the clock
 * or the database. docs/decisions/052-incentive-ledger.md.
 */

export const INCENTIVE_KINDS = ["TRANSPORT_FEE", "THANKS_MONEY", "LOCAL_POINTS", "CERTIFICATE"] as const;
export type IncentiveKindName = (typeof INCENTIVE_KINDS)[number];

/** The unit of an amount: yen for money, points, or certificates (always 1 per entry). */
export const INCENTIVE_UNIT: Record<IncentiveKindName, "yen" | "points" | "certificates"> = {
  TRANSPORT_FEE: "yen",
  THANKS_MONEY: "yen",
  LOCAL_POINTS: "points",
  CERTIFICATE: "certificates",
};

export const INCENTIVE_LABEL: Record<IncentiveKindName, { ja: string; en: string }> = {
  TRANSPORT_FEE: { ja: "交通費", en: "Transport fee" },
  THANKS_MONEY: { ja: "謝礼", en: "Thanks money" },
  LOCAL_POINTS: { ja: "地域ポイント", en: "Local points" },
  CERTIFICATE: { ja: "証明書", en: "Certificate" },
};

const UNIT_LABEL = { yen: "円", points: "pt", certificates: "件" } as const;

/** Largest amount one entry may carry (yen or points): a typo guard, not a policy. @default 100000 */
export const MAX_INCENTIVE_AMOUNT = 100_000;

export interface LedgerRow {
  id: string;
  kind: IncentiveKindName;
  amount: number;
  note: string | null;
  issuedAt: Date;
  issuedBy: string | null;
  participationId: string;
  residentId: string;
  /** The resident's code (pseudonymous), always present. */
  residentCode: string;
  /** The name only when the caller may see it (server/trust/projection.ts); otherwise null. */
  residentName: string | null;
  organizationId: string;
  organizationName: string;
  taskTitle: string;
  shiftRole: string;
  shiftStartsAt: Date;
  minutes: number | null;
}

export interface KindTotal {
  kind: IncentiveKindName;
  count: number;
  amount: number;
}

export interface LedgerTotals {
  overall: KindTotal[];
  byResident: Array<{ residentId: string; residentCode: string; residentName: string | null; totals: KindTotal[] }>;
  byOrganization: Array<{ organizationId: string; organizationName: string; totals: KindTotal[] }>;
  /** "YYYY-MM" in Japan time, oldest first. */
  byMonth: Array<{ month: string; totals: KindTotal[] }>;
}

const JST_OFFSET_MS = 9 * 3_600_000;

/** The half-open instant range of a month "YYYY-MM" in Japan time; null when it is not a month. */
export function monthRange(month: string): { from: Date; to: Date } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const year = Number(m[1]);
  const mon = Number(m[2]);
  if (mon < 1 || mon > 12 || year < 2000 || year > 2999) return null;
  const from = new Date(Date.UTC(year, mon - 1, 1) - JST_OFFSET_MS);
  const to = new Date(Date.UTC(year, mon, 1) - JST_OFFSET_MS);
  return { from, to };
}

function emptyTotals(): Map<IncentiveKindName, KindTotal> {
  return new Map(INCENTIVE_KINDS.map((kind) => [kind, { kind, count: 0, amount: 0 }]));
}

function add(totals: Map<IncentiveKindName, KindTotal>, row: Pick<LedgerRow, "kind" | "amount">) {
  const t = totals.get(row.kind) as KindTotal;
  t.count += 1;
  t.amount += row.amount;
}

/** Totals over all rows and per resident, organization and month; every kind is listed, zeros included. */
export function ledgerTotals(rows: readonly LedgerRow[]): LedgerTotals {
  const overall = emptyTotals();
  const residents = new Map<string, { residentCode: string; residentName: string | null; totals: Map<IncentiveKindName, KindTotal> }>();
  const organizations = new Map<string, { organizationName: string; totals: Map<IncentiveKindName, KindTotal> }>();
  const months = new Map<string, Map<IncentiveKindName, KindTotal>>();
  for (const row of rows) {
    add(overall, row);
    let r = residents.get(row.residentId);
    if (!r) residents.set(row.residentId, (r = { residentCode: row.residentCode, residentName: row.residentName, totals: emptyTotals() }));
    add(r.totals, row);
    let o = organizations.get(row.organizationId);
    if (!o) organizations.set(row.organizationId, (o = { organizationName: row.organizationName, totals: emptyTotals() }));
    add(o.totals, row);
    const month = jstMonth(row.issuedAt);
    let m = months.get(month);
    if (!m) months.set(month, (m = emptyTotals()));
    add(m, row);
  }
  const list = (totals: Map<IncentiveKindName, KindTotal>) => [...totals.values()];
  return {
    overall: list(overall),
    byResident: [...residents.entries()]
      .map(([residentId, r]) => ({ residentId, residentCode: r.residentCode, residentName: r.residentName, totals: list(r.totals) }))
      .sort((a, b) => a.residentCode.localeCompare(b.residentCode)),
    byOrganization: [...organizations.entries()]
      .map(([organizationId, o]) => ({ organizationId, organizationName: o.organizationName, totals: list(o.totals) }))
      .sort((a, b) => a.organizationName.localeCompare(b.organizationName, "ja")),
    byMonth: [...months.entries()].map(([month, totals]) => ({ month, totals: list(totals) })).sort((a, b) => a.month.localeCompare(b.month)),
  };
}

/** The accounting CSV's columns, in order (documented in docs/outcomes.md). */
export const LEDGER_CSV_COLUMNS = [
  "発行ID",
  "発行日",
  "計上月",
  "種別コード",
  "種別",
  "金額",
  "単位",
  "住民番号",
  "氏名",
  "団体ID",
  "団体名",
  "活動名",
  "ピース",
  "実施日",
  "参加時間_分",
  "備考",
  "発行者",
] as const;

/** One line per entry, oldest first; the name is blank where the caller may not see it. */
export function ledgerCsv(rows: readonly LedgerRow[]): string {
  const sorted = [...rows].sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.id.localeCompare(b.id));
  return toCsv(
    LEDGER_CSV_COLUMNS,
    sorted.map((r) => [
      r.id,
      jstDay(r.issuedAt),
      jstMonth(r.issuedAt),
      r.kind,
      INCENTIVE_LABEL[r.kind].ja,
      r.amount,
      UNIT_LABEL[INCENTIVE_UNIT[r.kind]],
      r.residentCode,
      r.residentName ?? "",
      r.organizationId,
      r.organizationName,
      r.taskTitle,
      r.shiftRole,
      jstDay(r.shiftStartsAt),
      r.minutes ?? "",
      r.note ?? "",
      r.issuedBy ?? "",
    ]),
  );
}

/** Participation minutes from check-in/out times: whole minutes, never negative; null when unknown. */
export function minutesBetween(checkInAt: Date | null, checkOutAt: Date | null): number | null {
  if (!checkInAt || !checkOutAt) return null;
  return Math.max(0, Math.round((checkOutAt.getTime() - checkInAt.getTime()) / 60_000));
}
