/**
 * Plain-data types of the matching engine. Nothing here knows Prisma: the scheduler (or a test, or
 * the benchmark) builds a {@link MatchingSnapshot} from whatever store it has, and the engine
 * answers with {@link Proposal}s and {@link SolveStats}. Instants are epoch milliseconds; local
 * times (weekly windows, dated exceptions) are in the workspace's time zone, given as a fixed
 * offset ({@link MatchingSnapshot.timezoneOffsetMinutes}).
 */

export type ParticipationStyle = "REGISTERED" | "PER_EVENT";
export type ResidentStatus = "ACTIVE" | "PAUSED" | "LEFT";

/** A weekly free slot: weekday 0 = Sunday … 6 = Saturday, local minutes, end exclusive. */
export interface WeeklyWindow {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/**
 * A dated change to the weekly pattern, on a local calendar date ("YYYY-MM-DD", as a PostgreSQL
 * `date` column prints it). `available: false` removes time (the whole day when the minutes are
 * null); `available: true` adds time. Removals win over additions on the same date.
 */
export interface AvailabilityException {
  date: string;
  available: boolean;
  startMinute?: number | null;
  endMinute?: number | null;
}

/** What the engine needs to know about a resident's past participation. */
export interface ParticipationSummary {
  /** Attended participations so far. */
  count: number;
  /** Epoch ms of the most recent one, or null. */
  lastAt: number | null;
  /** The resident's average rating (1–5) of each organization's activities, by organization id. */
  ratingByOrg?: Record<string, number>;
}

export interface SnapshotResident {
  id: string;
  registeredByOrgId: string;
  /** Defaults to ACTIVE; PAUSED and LEFT residents are never proposed. */
  status?: ResidentStatus;
  /** Home point (WGS84), or null: then only remote pieces are possible. */
  home: { lat: number; lng: number } | null;
  travelDistanceM: number;
  /** Hours per ISO week (Monday–Sunday, local time), or null for no cap. */
  weeklyHourCap: number | null;
  style: ParticipationStyle;
  /** Task category codes (app/lib/categories.ts). */
  interests: readonly string[];
  /** skillId → level 1–3. */
  skills: Readonly<Record<string, number>>;
  windows: readonly WeeklyWindow[];
  exceptions: readonly AvailabilityException[];
  participation: ParticipationSummary;
}

/** A piece (Shift) of a task, flattened with the task fields the engine needs. */
export interface SnapshotShift {
  id: string;
  taskId: string;
  ownerOrgId: string;
  category: string;
  /** Meeting point, or null (remote pieces need none). */
  point: { lat: number; lng: number } | null;
  isRemote: boolean;
  startsAt: number;
  endsAt: number;
  headcount: number;
  requiredSkillIds: readonly string[];
}

/**
 * A consent that lets `organizationId` work with the resident. Revoked or expired consents (at
 * `now`) are ignored, so the scheduler may pass the rows as they are.
 */
export interface SnapshotConsent {
  residentId: string;
  organizationId: string;
  /** Consented fields; only checked when {@link MatchingOptions.requiredConsentFields} is set. */
  fields?: readonly string[];
  expiresAt?: number | null;
  revokedAt?: number | null;
}

/**
 * A match the engine must not move: pinned, or past SUGGESTED (contacting, arranging, confirmed,
 * active, completed), or added by hand. It occupies a seat of its piece and the resident's time
 * and weekly hours, and counts as an open proposal for fairness while it has not ended. The
 * times are the piece's, so that fixed matches on pieces outside the snapshot still count.
 */
export interface FixedMatch {
  residentId: string;
  shiftId: string;
  startsAt: number;
  endsAt: number;
}

export interface PairRef {
  residentId: string;
  shiftId: string;
}

export interface SkillLabel {
  id: string;
  nameJa: string;
  nameEn: string;
}

export interface MatchingSnapshot {
  /** Minutes east of UTC of the workspace's time zone: 540 for Asia/Tokyo (no DST). */
  timezoneOffsetMinutes: number;
  residents: readonly SnapshotResident[];
  shifts: readonly SnapshotShift[];
  consents: readonly SnapshotConsent[];
  fixed: readonly FixedMatch[];
  /** Declined / withdrawn / removed pairs: never proposed again. */
  rejected: readonly PairRef[];
  /** The engine's current proposals (SUGGESTED, not pinned): kept unless a move gains enough. */
  previous: readonly PairRef[];
  /** Skill names for explanations; ids without a label are shown as they are. */
  skills?: readonly SkillLabel[];
}

export type PartOfDay = "morning" | "afternoon" | "evening";

/**
 * The kept score breakdown (Match.scoreBreakdown). The first eight numbers are weighted parts
 * whose sum is `total` (= Match.score); the rest explains them. A superset of the demo seed's shape.
 */
export interface ScoreBreakdown {
  skill: number;
  interest: number;
  distance: number;
  time: number;
  firstTime: number;
  continuity: number;
  fairness: number;
  style: number;
  total: number;
  /** Metres from home to the meeting point; null for remote pieces. */
  distanceM: number | null;
  /** ceil(distanceM / walking speed); null for remote pieces. */
  walkMinutes: number | null;
  /** Required skill ids of the piece. */
  skills: string[];
  /** The resident's level (1–3) of each required skill, in the order of `skills`. */
  skillLevels: number[];
  remote: boolean;
  category: string;
  interestMatch: boolean;
  /** Local weekday (0 = Sunday) and part of day of the piece's start. */
  weekday: number;
  partOfDay: PartOfDay;
  /** Local date of the piece ("YYYY-MM-DD"). */
  date: string;
  /** "weekly" when a weekly window covers the piece, "dated" when a dated exception does. */
  availability: "weekly" | "dated";
  participationCount: number;
  /** first: never; rare: a few times; lapsed: not for a long time (both boosted); regular. */
  participation: "first" | "rare" | "lapsed" | "regular";
  /** The resident's average rating of the owner organization, or null. */
  ownerRating: number | null;
  /** 1 for the resident's first open match, 2 for the second … (fixed ones count first). */
  openMatchRank: number;
  /** Breakdown format version. */
  v: 1;
}

export interface Proposal {
  residentId: string;
  shiftId: string;
  taskId: string;
  /** = breakdown.total. */
  score: number;
  breakdown: ScoreBreakdown;
  explanationJa: string;
  explanationEn: string;
  /** True when the pair was among the snapshot's previous proposals. */
  kept: boolean;
}

/** How many examined pairs each hard constraint excluded (in the order they are checked). */
export interface ExclusionCounts {
  inactive: number;
  sharing: number;
  skills: number;
  distance: number;
  availability: number;
  rejected: number;
  overlap: number;
  hourCap: number;
  minScore: number;
}

export interface SolveStats {
  residents: number;
  shifts: number;
  /** Pieces that start after `now` and still have a seat after fixed matches. */
  openShifts: number;
  openSeats: number;
  candidatePairs: number;
  /** Pairs examined after the time-slot prefilter, and what excluded them. */
  examinedPairs: number;
  excluded: ExclusionCounts;
  proposals: number;
  filledSeats: number;
  /** Sum of the proposals' scores (fairness included). */
  totalScore: number;
  /** totalScore plus the stability bonus of kept pairs: what the optimizer maximized. */
  objective: number;
  kept: number;
  added: number;
  removed: number;
  /** Shortest-path augmentations and local-search moves (work done, for profiling). */
  augmentations: number;
  localMoves: number;
}

export interface SolveResult {
  /** Sorted by shiftId, then residentId. */
  proposals: Proposal[];
  stats: SolveStats;
}

/** Changes applied to a {@link MatchingSession}; a batch is applied as one rerun. */
export type MatchingChange =
  | { type: "resident.upsert"; resident: SnapshotResident }
  | { type: "resident.remove"; residentId: string }
  | { type: "shift.upsert"; shift: SnapshotShift }
  | { type: "shift.remove"; shiftId: string }
  /** Replaces every consent of the resident. */
  | { type: "consents.set"; residentId: string; consents: readonly SnapshotConsent[] }
  | { type: "match.fix"; match: FixedMatch }
  | { type: "match.unfix"; residentId: string; shiftId: string }
  | { type: "match.reject"; residentId: string; shiftId: string }
  | { type: "match.unreject"; residentId: string; shiftId: string };

export interface ProposalDiff {
  added: Proposal[];
  removed: PairRef[];
  /** Same pair, different score or explanation (e.g. the fairness rank moved). */
  updated: Proposal[];
}

export interface IncrementalStats {
  /** "incremental" when a bounded region was re-solved, "full" when the batch was too large. */
  mode: "incremental" | "full";
  regionShifts: number;
  regionResidents: number;
  regionPairs: number;
  added: number;
  removed: number;
  updated: number;
  proposals: number;
  totalScore: number;
}

export interface ApplyResult {
  diff: ProposalDiff;
  stats: IncrementalStats;
}
