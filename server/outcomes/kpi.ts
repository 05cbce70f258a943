/**
 * Outcome KPIs (issue 9) as pure functions: plain rows, a period and `now` in; numbers out.
 * No clock reads, no database. Definitions: docs/decisions/050-kpi-definitions.md.
 *
 * Every count that is shown outside the organization that owns the data passes through
 * `suppressCount`: below `SUPPRESSION_THRESHOLD` it becomes `null` with `suppressed: true`.
 */
import { ageBand } from "../../app/lib/people.ts";

export type MatchStageName =
  | "SUGGESTED"
  | "CONTACTING"
  | "ARRANGING"
  | "CONFIRMED"
  | "ACTIVE"
  | "COMPLETED"
  | "DECLINED"
  | "WITHDRAWN";
export type IncentiveKindName = "TRANSPORT_FEE" | "THANKS_MONEY" | "LOCAL_POINTS" | "CERTIFICATE";

export const INCENTIVE_KINDS: readonly IncentiveKindName[] = ["TRANSPORT_FEE", "THANKS_MONEY", "LOCAL_POINTS", "CERTIFICATE"];
/** Stages that mean "a place is booked": confirmed or later on the kanban. */
export const BOOKED_STAGES: readonly MatchStageName[] = ["CONFIRMED", "ACTIVE", "COMPLETED"];
/** @default 5 — counts 0–4 are not shown outside the owning organization. */
export const SUPPRESSION_THRESHOLD = 5;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface KpiTargets {
  /** @default 0.7 matches confirmed or later / matches proposed */
  matchSuccessRate: number;
  /** @default 72 hours from proposal to confirmation (at most) */
  medianHoursToMatch: number;
  /** @default 0.8 pieces that started with their headcount booked */
  piecesFilledOnTime: number;
  /** @default 0.6 took part again within 30 days */
  continuation30: number;
  /** @default 0.6 took part again within 90 days */
  continuation90: number;
}

export const DEFAULT_TARGETS: KpiTargets = {
  matchSuccessRate: 0.7,
  medianHoursToMatch: 72,
  piecesFilledOnTime: 0.8,
  continuation30: 0.6,
  continuation90: 0.6,
};

/** A half-open period [from, to). */
export interface Period {
  from: Date;
  to: Date;
}

export interface KpiMatchRow {
  id: string;
  shiftId: string;
  createdAt: Date;
  /** The current stage. */
  stage: MatchStageName;
  /** When the match first reached a booked stage (see `confirmedAtOf`); null if never. */
  confirmedAt: Date | null;
}

export interface KpiShiftRow {
  id: string;
  startsAt: Date;
  headcount: number;
}

export interface KpiParticipationRow {
  residentId: string;
  shiftId: string;
  /** The piece's start. */
  startsAt: Date;
  attended: boolean | null;
  /** True when the piece belongs to the filtered tasks; false rows are history (first time, continuation). */
  inScope: boolean;
}

export interface KpiResidentRow {
  id: string;
  birthYear: number | null;
  homeAreaId: string | null;
}

export interface KpiIncentiveRow {
  kind: IncentiveKindName;
  amount: number;
  issuedAt: Date;
}

export interface KpiInput {
  period: Period;
  now: Date;
  /** Matches of the filtered tasks. */
  matches: KpiMatchRow[];
  /** Pieces of the filtered tasks. */
  shifts: KpiShiftRow[];
  /** Participations of the whole workspace (`inScope` marks the filtered tasks' ones). */
  participations: KpiParticipationRow[];
  /** At least the residents of in-scope participations. */
  residents: KpiResidentRow[];
  /** Incentives of the filtered tasks' participations. */
  incentives: KpiIncentiveRow[];
  /** The caller's organization owns all the data: counts are not suppressed. */
  ownOrganization: boolean;
  targets?: Partial<KpiTargets>;
}

export interface SuppressedCount {
  value: number | null;
  suppressed: boolean;
}

export interface RateKpi {
  /** 0–1, or null when there is nothing to divide or it is suppressed. */
  rate: number | null;
  numerator: number | null;
  denominator: number | null;
  suppressed: boolean;
  target: number;
  /** Null when the rate is unknown (no data or suppressed). */
  met: boolean | null;
}

export interface MedianKpi {
  hours: number | null;
  /** How many matches the median is taken over. */
  count: number | null;
  suppressed: boolean;
  target: number;
  met: boolean | null;
}

export interface BreakdownRow {
  /** Age band (0, 10, …, 90; "unknown") or area id ("unknown" for residents without a home area). */
  key: string;
  count: number | null;
  suppressed: boolean;
}

export interface IncentiveRow {
  kind: IncentiveKindName;
  count: number | null;
  total: number | null;
  suppressed: boolean;
}

export interface KpiReport {
  period: { from: string; to: string };
  /** "own-organization": nothing suppressed; "shared": counts below the threshold are null. */
  scope: "own-organization" | "shared";
  suppressionThreshold: number;
  matchSuccess: RateKpi;
  timeToMatch: MedianKpi;
  piecesFilledOnTime: RateKpi;
  continuation30: RateKpi;
  continuation90: RateKpi;
  participants: SuppressedCount;
  firstTimeParticipants: SuppressedCount;
  byAgeBand: BreakdownRow[];
  byArea: BreakdownRow[];
  incentives: IncentiveRow[];
}

// ───────────── helpers (exported for their own tests) ─────────────

/** A count as shown: below the threshold it is hidden unless `own` (the owning organization). */
export function suppressCount(count: number, own: boolean, threshold = SUPPRESSION_THRESHOLD): SuppressedCount {
  if (own || count >= threshold) return { value: count, suppressed: false };
  return { value: null, suppressed: true };
}

/**
 * A rate with its counts. Suppressed when either count is below the threshold (a rate over a
 * small denominator, or a small numerator, would reveal a small count).
 */
export function rateKpi(numerator: number, denominator: number, target: number, own: boolean, threshold = SUPPRESSION_THRESHOLD): RateKpi {
  const hidden = !own && (numerator < threshold || denominator < threshold);
  if (hidden) return { rate: null, numerator: null, denominator: null, suppressed: true, target, met: null };
  const rate = denominator === 0 ? null : numerator / denominator;
  return { rate, numerator, denominator, suppressed: false, target, met: rate == null ? null : rate >= target };
}

/** The median of numbers (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * When a match was first booked: the earliest stage event into a booked stage; without such an
 * event (older data, seeded rows), `stageChangedAt` when the current stage is booked.
 */
export function confirmedAtOf(
  match: { stage: MatchStageName; stageChangedAt: Date },
  events: ReadonlyArray<{ toStage: MatchStageName | null; createdAt: Date }>,
): Date | null {
  let first: Date | null = null;
  for (const e of events) {
    if (e.toStage && BOOKED_STAGES.includes(e.toStage) && (!first || e.createdAt < first)) first = e.createdAt;
  }
  if (first) return first;
  return BOOKED_STAGES.includes(match.stage) ? match.stageChangedAt : null;
}

const inPeriod = (at: Date, period: Period) => at >= period.from && at < period.to;

// ───────────── the report ─────────────

export function computeKpis(input: KpiInput): KpiReport {
  const { period, now, ownOrganization: own } = input;
  const targets: KpiTargets = { ...DEFAULT_TARGETS, ...input.targets };

  // Matching success and time to match: matches proposed in the period.
  const proposed = input.matches.filter((m) => inPeriod(m.createdAt, period));
  const booked = proposed.filter((m) => BOOKED_STAGES.includes(m.stage));
  const hoursToMatch = booked
    .filter((m) => m.confirmedAt != null && m.confirmedAt >= m.createdAt)
    .map((m) => ((m.confirmedAt as Date).getTime() - m.createdAt.getTime()) / HOUR_MS);
  const medianHours = median(hoursToMatch);
  const medianHidden = !own && hoursToMatch.length < SUPPRESSION_THRESHOLD;
  const timeToMatch: MedianKpi = medianHidden
    ? { hours: null, count: null, suppressed: true, target: targets.medianHoursToMatch, met: null }
    : {
        hours: medianHours,
        count: hoursToMatch.length,
        suppressed: false,
        target: targets.medianHoursToMatch,
        met: medianHours == null ? null : medianHours <= targets.medianHoursToMatch,
      };

  // Pieces filled on time: pieces of the period that have started, booked up to their headcount
  // by their start (a booking confirmed after the start does not count, nor one since withdrawn).
  const startedPieces = input.shifts.filter((s) => inPeriod(s.startsAt, period) && s.startsAt <= now);
  const bookedByShift = new Map<string, KpiMatchRow[]>();
  for (const m of input.matches) {
    if (!BOOKED_STAGES.includes(m.stage) || !m.confirmedAt) continue;
    const list = bookedByShift.get(m.shiftId) ?? [];
    list.push(m);
    bookedByShift.set(m.shiftId, list);
  }
  const filledOnTime = startedPieces.filter(
    (s) => (bookedByShift.get(s.id) ?? []).filter((m) => (m.confirmedAt as Date) <= s.startsAt).length >= s.headcount,
  ).length;

  // Participation: attended pieces that have started. In scope and in the period → the cohort.
  const attended = input.participations.filter((p) => p.attended === true && p.startsAt <= now);
  const firstInPeriod = new Map<string, Date>();
  for (const p of attended) {
    if (!p.inScope || !inPeriod(p.startsAt, period)) continue;
    const seen = firstInPeriod.get(p.residentId);
    if (!seen || p.startsAt < seen) firstInPeriod.set(p.residentId, p.startsAt);
  }
  const byResident = new Map<string, number[]>();
  for (const p of attended) {
    const list = byResident.get(p.residentId) ?? [];
    list.push(p.startsAt.getTime());
    byResident.set(p.residentId, list);
  }

  // First time: the resident's earliest attended piece anywhere on the platform is in the cohort.
  let firstTime = 0;
  for (const [residentId, first] of firstInPeriod) {
    const earliest = Math.min(...(byResident.get(residentId) ?? [first.getTime()]));
    if (earliest >= first.getTime()) firstTime++;
  }

  // Continuation: of the cohort whose window has fully passed, who took part again (anywhere on
  // the platform) within N days after their first piece of the period.
  const continuation = (days: number) => {
    let eligible = 0;
    let again = 0;
    for (const [residentId, first] of firstInPeriod) {
      const start = first.getTime();
      const end = start + days * DAY_MS;
      if (end > now.getTime()) continue;
      eligible++;
      if ((byResident.get(residentId) ?? []).some((t) => t > start && t <= end)) again++;
    }
    return { again, eligible };
  };
  const c30 = continuation(30);
  const c90 = continuation(90);

  // Breakdowns of the cohort by age band (at `now`) and home area.
  const residents = new Map(input.residents.map((r) => [r.id, r]));
  const ageCounts = new Map<string, number>();
  const areaCounts = new Map<string, number>();
  for (const residentId of firstInPeriod.keys()) {
    const r = residents.get(residentId);
    const band = ageBand(r?.birthYear, now);
    const ageKey = band == null ? "unknown" : String(band);
    ageCounts.set(ageKey, (ageCounts.get(ageKey) ?? 0) + 1);
    const areaKey = r?.homeAreaId ?? "unknown";
    areaCounts.set(areaKey, (areaCounts.get(areaKey) ?? 0) + 1);
  }
  const breakdown = (counts: Map<string, number>, order: (a: string, b: string) => number): BreakdownRow[] =>
    [...counts.entries()]
      .sort(([a], [b]) => order(a, b))
      .map(([key, count]) => {
        const shown = suppressCount(count, own);
        return { key, count: shown.value, suppressed: shown.suppressed };
      });
  const unknownLast = (a: string, b: string) => (a === "unknown" ? 1 : 0) - (b === "unknown" ? 1 : 0);

  // Incentives issued in the period, by kind.
  const incentives: IncentiveRow[] = INCENTIVE_KINDS.map((kind) => {
    const rows = input.incentives.filter((i) => i.kind === kind && inPeriod(i.issuedAt, period));
    const shown = suppressCount(rows.length, own);
    return {
      kind,
      count: shown.value,
      total: shown.suppressed ? null : rows.reduce((sum, i) => sum + i.amount, 0),
      suppressed: shown.suppressed,
    };
  });

  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    scope: own ? "own-organization" : "shared",
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    matchSuccess: rateKpi(booked.length, proposed.length, targets.matchSuccessRate, own),
    timeToMatch,
    piecesFilledOnTime: rateKpi(filledOnTime, startedPieces.length, targets.piecesFilledOnTime, own),
    continuation30: rateKpi(c30.again, c30.eligible, targets.continuation30, own),
    continuation90: rateKpi(c90.again, c90.eligible, targets.continuation90, own),
    participants: suppressCount(firstInPeriod.size, own),
    firstTimeParticipants: suppressCount(firstTime, own),
    byAgeBand: breakdown(ageCounts, (a, b) => unknownLast(a, b) || Number(a) - Number(b)),
    byArea: breakdown(areaCounts, (a, b) => unknownLast(a, b) || a.localeCompare(b)),
    incentives,
  };
}
