/**
 * Tunable knobs of the matching engine, with documented defaults (docs/matching.md explains each
 * score term). Every score part is a weight times a fit in [0, 1]; the positive weights sum to 1,
 * so a perfect pair scores 1.0 before fairness.
 */

export interface ScoreWeights {
  /** Mean of level/3 over the piece's required skills (0.5 when none are required). @default 0.3 */
  skill: number;
  /** 1 when the task's category is among the resident's interests. @default 0.15 */
  interest: number;
  /** 1 − distance / travel distance (1 for remote pieces). @default 0.2 */
  distance: number;
  /** How snugly the piece fills the free window: max(0.3, 1 − slack / 480 min). @default 0.1 */
  time: number;
  /** 1 for a first participation, 0.5 for a rare or lapsed one (the seeds' 潜在的関心層 and 社会参加消極層). @default 0.1 */
  firstTime: number;
  /** (average rating of the owner organization − 3) / 2, clamped to [0, 1]. @default 0.1 */
  continuity: number;
  /** 1 for REGISTERED (登録制), {@link MatchingOptions.perEventStyleFit} for PER_EVENT. @default 0.05 */
  style: number;
  /**
   * Fairness: each open match the resident already holds (fixed ones first, then this run's
   * proposals in time order) costs this much, so the k-th proposal is worth (k − 1) × fairness
   * less: a diminishing return that spreads proposals over more residents. @default 0.05
   */
  fairness: number;
}

export interface MatchingOptions {
  weights: ScoreWeights;
  /** Fit of PER_EVENT residents for the style term. @default 0.6 */
  perEventStyleFit: number;
  /**
   * A previous proposal moves only if the new assignment gains more than this (in score units):
   * kept pairs get this bonus in the objective. @default 0.05
   */
  switchingCost: number;
  /** Pairs scoring below this (before fairness) are not candidates. @default 0.2 */
  minScore: number;
  /** Proposals per resident in one run (fixed matches not counted). @default 3 */
  maxProposalsPerResident: number;
  /** Fairness ranks beyond this stop growing the penalty. @default 6 */
  maxFairnessRank: number;
  /** A participation count at or below this (but above 0) is "rare". @default 2 */
  rareParticipationCount: number;
  /** A last participation older than this many days is "lapsed" (boosted like "rare"). @default 180 */
  rareAfterDays: number;
  /** Walking speed for "徒歩N分" in metres per minute. @default 80 */
  walkingMetresPerMinute: number;
  /** Pieces starting sooner than this after `now` are not proposed. @default 0 */
  minLeadMinutes: number;
  /** Slack (free-window minutes not used by the piece) at which time fit bottoms out. @default 480 */
  timeFitSlackMinutes: number;
  /** A consent must include all these fields to allow another organization. @default [] */
  requiredConsentFields: readonly string[];
  /**
   * Only the best this many candidates of each piece enter the optimizer (all are kept for
   * incremental updates). Infinity keeps every candidate. @default 32
   */
  maxCandidatesPerShift: number;
  /**
   * A change batch touching more than this share of residents or pieces is solved in full rather
   * than incrementally. @default 0.05
   */
  fullSolveShare: number;
  /** Optional phase hook for profiling (the engine never reads a clock itself). */
  onPhase?: (phase: string) => void;
}

export const DEFAULT_WEIGHTS: Readonly<ScoreWeights> = Object.freeze({
  skill: 0.3,
  interest: 0.15,
  distance: 0.2,
  time: 0.1,
  firstTime: 0.1,
  continuity: 0.1,
  style: 0.05,
  fairness: 0.05,
});

export const DEFAULT_OPTIONS: Readonly<Omit<MatchingOptions, "weights" | "onPhase">> = Object.freeze({
  perEventStyleFit: 0.6,
  switchingCost: 0.05,
  minScore: 0.2,
  maxProposalsPerResident: 3,
  maxFairnessRank: 6,
  rareParticipationCount: 2,
  rareAfterDays: 180,
  walkingMetresPerMinute: 80,
  minLeadMinutes: 0,
  timeFitSlackMinutes: 480,
  requiredConsentFields: [],
  maxCandidatesPerShift: 32,
  fullSolveShare: 0.05,
});

export type MatchingOptionsInput = Partial<Omit<MatchingOptions, "weights">> & { weights?: Partial<ScoreWeights> };

export function resolveOptions(input: MatchingOptionsInput = {}): MatchingOptions {
  const options: MatchingOptions = {
    ...DEFAULT_OPTIONS,
    ...input,
    weights: { ...DEFAULT_WEIGHTS, ...input.weights },
  };
  for (const [key, value] of Object.entries(options.weights)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`weights.${key} must be a finite number ≥ 0`);
  }
  if (!(options.maxProposalsPerResident >= 1)) throw new RangeError("maxProposalsPerResident must be ≥ 1");
  if (!(options.switchingCost >= 0)) throw new RangeError("switchingCost must be ≥ 0");
  if (!(options.maxCandidatesPerShift >= 1)) throw new RangeError("maxCandidatesPerShift must be ≥ 1");
  return options;
}

/** Scores are kept in integer points of 1/10,000 so that the optimizer's arithmetic is exact. */
export const POINTS_PER_UNIT = 10_000;

export function toPoints(value: number): number {
  return Math.round(value * POINTS_PER_UNIT);
}

export function fromPoints(points: number): number {
  return points / POINTS_PER_UNIT;
}
