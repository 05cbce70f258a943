/**
 * The matching engine: pure and deterministic. `solve(snapshot, now, options)` answers the
 * proposals for a whole workspace; a {@link MatchingSession} keeps the indexes and the candidate
 * graph between runs and re-solves only the region a change touches (`apply`). No I/O, no clock
 * reads, no randomness: time comes in as `now`.
 *
 * Design and trade-offs: docs/decisions/011-matching-algorithm.md; the model: docs/matching.md.
 */
import {
  candidatesOfResident,
  candidatesOfShift,
  NO_CANDIDATES,
  withCandidate,
  type ShiftCandidates,
} from "./candidates.ts";
import { explain } from "./explain.ts";
import { Model, PAIR_BASE as PAIR_BASE_IMPORT, PairSet, compareIds } from "./model.ts";
import { optimize as optimizeImport, type OptimizerProblem } from "./optimizer.ts";
import { fromPoints, resolveOptions, toPoints, type MatchingOptions, type MatchingOptionsInput } from "./options.ts";
import { describePair, emptyExclusions } from "./pairs.ts";
import { overlaps as overlapsImport } from "./time.ts";
import type {
  ApplyResult,
  ExclusionCounts,
  IncrementalStats,
  MatchingChange,
  MatchingSnapshot,
  PairRef,
  Proposal,
  ProposalDiff,
  SolveResult,
  SolveStats,
} from "./types.ts";

// Under `node --import tsx` (how the server and the benchmark run) these modules are compiled to
// CommonJS, where every read of an imported binding is a getter call; hot code reads them once.
const PAIR_BASE = PAIR_BASE_IMPORT;
const overlaps = overlapsImport;
const optimize = optimizeImport;

export type { MatchingOptions, MatchingOptionsInput } from "./options.ts";
export { DEFAULT_OPTIONS, DEFAULT_WEIGHTS, resolveOptions } from "./options.ts";
export type * from "./types.ts";

/** Proposals for the whole snapshot. Same input → same output, whatever the input order. */
export function solve(snapshot: MatchingSnapshot, now: number, options?: MatchingOptionsInput): SolveResult {
  return new MatchingSession(snapshot, now, options).result;
}

/** The candidate graph (every feasible pair with its score before fairness), for oracles and tools. */
export function listCandidates(
  snapshot: MatchingSnapshot,
  now: number,
  options?: MatchingOptionsInput,
): Array<{ residentId: string; shiftId: string; score: number }> {
  const m = new Model(snapshot, now, resolveOptions(options));
  const out: Array<{ residentId: string; shiftId: string; score: number }> = [];
  for (let s = 0; s < m.shifts.length; s++) {
    const list = candidatesOfShift(m, s);
    for (let i = 0; i < list.res.length; i++) {
      out.push({ residentId: m.residentIds[list.res[i]], shiftId: m.shiftIds[s], score: fromPoints(list.pts[i]) });
    }
  }
  return out;
}

interface RegionOutcome {
  shifts: number;
  residents: number;
  pairs: number;
  augmentations: number;
  localMoves: number;
}

/**
 * Engine state for one workspace, owned by one caller (the scheduler's worker): the compiled
 * snapshot, every piece's candidate list, and the current proposals. `apply` mutates it.
 */
export class MatchingSession {
  readonly options: MatchingOptions;
  private readonly model: Model;
  /** Candidates per piece (all of them; the optimizer sees the best few). */
  private cands: ShiftCandidates[] = [];
  /** Pieces where the resident is a candidate. */
  private byRes: number[][] = [];
  private assignedByShift: number[][] = [];
  private assignedByRes: number[][] = [];
  /** Current proposals by pair key r × PAIR_BASE + s, and per resident (as last published). */
  private current = new Map<number, Proposal>();
  private published: number[][] = [];
  private totalPoints = 0;
  private examined = { count: 0 };
  private excluded: ExclusionCounts = emptyExclusions();
  /** The result of the full solve that created the session. */
  readonly result: SolveResult;

  constructor(snapshot: MatchingSnapshot, now: number, options?: MatchingOptionsInput) {
    this.options = resolveOptions(options);
    this.model = new Model(snapshot, now, this.options);
    this.options.onPhase?.("index");
    this.buildAllCandidates();
    this.options.onPhase?.("candidates");
    const work = this.solveAll();
    const previous = this.model.previous;
    const proposals = this.rebuildProposals(range(this.model.residents.length), previous);
    this.options.onPhase?.("proposals");
    const list = sortProposals([...proposals.values()]);
    this.current = proposals;
    this.published = this.assignedByRes.map((shifts) => [...shifts]);
    for (const p of list) this.totalPoints += toPoints(p.score);
    let removed = 0;
    for (const [r, s] of previous.pairs()) if (!proposals.has(r * PAIR_BASE + s)) removed++;
    this.result = { proposals: list, stats: this.stats(list, work, removed) };
  }

  /** The current proposals, sorted by shiftId then residentId. */
  proposals(): Proposal[] {
    return sortProposals([...this.current.values()]);
  }

  /**
   * Applies a batch of changes at `now` (which must not go back) and re-solves the affected
   * region: the changed pieces, the changed residents' old and new pieces, then one round for
   * residents who lost a proposal. A batch touching more than `fullSolveShare` of residents or
   * pieces is solved in full (previous proposals still count for stability).
   */
  apply(changes: readonly MatchingChange[], now: number): ApplyResult {
    const m = this.model;
    const changedResidents = new Set<number>();
    const changedShifts = new Set<number>();
    // Time first, so that the changes compile against the new `now` (consent expiry, lead time).
    const advanced = m.advanceTo(now);
    for (const s of advanced.closedShifts) changedShifts.add(s);
    for (const r of advanced.changedResidents) changedResidents.add(r);
    let grew = false;
    const residentsBefore = m.residentIds.length;
    const shiftsBefore = m.shiftIds.length;
    const refreshFixed = (residentId: string, shiftId: string) => {
      const r = m.residentIndex.get(residentId);
      if (r !== undefined) {
        m.refreshResident(r);
        changedResidents.add(r);
      }
      const s = m.shiftIndex.get(shiftId);
      if (s !== undefined) {
        m.refreshShift(s);
        changedShifts.add(s);
      }
    };
    for (const change of changes) {
      switch (change.type) {
        case "resident.upsert":
          changedResidents.add(m.upsertResident(change.resident));
          break;
        case "resident.remove": {
          const r = m.removeResident(change.residentId);
          if (r !== undefined) changedResidents.add(r);
          break;
        }
        case "shift.upsert":
          changedShifts.add(m.upsertShift(change.shift));
          break;
        case "shift.remove": {
          const s = m.removeShift(change.shiftId);
          if (s !== undefined) changedShifts.add(s);
          break;
        }
        case "consents.set": {
          m.consents.set(change.residentId, [...change.consents]);
          const r = m.residentIndex.get(change.residentId);
          if (r !== undefined) {
            m.refreshResident(r);
            changedResidents.add(r);
          }
          break;
        }
        case "match.fix": {
          const f = change.match;
          const list = m.fixedByResident.get(f.residentId) ?? [];
          if (!list.some((x) => x.shiftId === f.shiftId)) {
            m.fixedByResident.set(f.residentId, [...list, f]);
            m.fixedByShift.set(f.shiftId, (m.fixedByShift.get(f.shiftId) ?? 0) + 1);
          }
          refreshFixed(f.residentId, f.shiftId);
          break;
        }
        case "match.unfix": {
          const list = m.fixedByResident.get(change.residentId) ?? [];
          if (list.some((x) => x.shiftId === change.shiftId)) {
            m.fixedByResident.set(
              change.residentId,
              list.filter((x) => x.shiftId !== change.shiftId),
            );
            m.fixedByShift.set(change.shiftId, Math.max(0, (m.fixedByShift.get(change.shiftId) ?? 0) - 1));
          }
          refreshFixed(change.residentId, change.shiftId);
          break;
        }
        case "match.reject":
        case "match.unreject": {
          const id = `${change.residentId}\u0000${change.shiftId}`;
          if (change.type === "match.reject") m.rejectedIds.add(id);
          else m.rejectedIds.delete(id);
          grew = true; // refresh the index-keyed set below
          const r = m.residentIndex.get(change.residentId);
          const s = m.shiftIndex.get(change.shiftId);
          if (r !== undefined) changedResidents.add(r);
          if (s !== undefined) changedShifts.add(s);
          break;
        }
      }
    }
    if (grew || m.residentIds.length !== residentsBefore || m.shiftIds.length !== shiftsBefore) m.refreshPairSets();
    this.growArrays();

    const R = m.residents.length;
    const S = m.shifts.length;
    const full =
      changedResidents.size > Math.max(1, this.options.fullSolveShare * R) ||
      changedShifts.size > Math.max(1, this.options.fullSolveShare * S);
    let region: RegionOutcome;
    let touched: number[];
    if (full) {
      m.previous.clear();
      for (let r = 0; r < this.published.length; r++) for (const s of this.published[r]) m.previous.add(r, s);
      this.examined = { count: 0 };
      this.excluded = emptyExclusions();
      this.buildAllCandidates();
      region = this.solveAll();
      touched = range(R);
    } else {
      const set = new Set<number>();
      region = this.solveChanges(changedResidents, changedShifts, set);
      touched = [...set].sort((a, b) => a - b);
    }
    // Republish the proposals of every resident whose set (or fixed count) changed; the rest
    // stay as they are, so the work is proportional to the region.
    const added: Proposal[] = [];
    const removed: PairRef[] = [];
    const updated: Proposal[] = [];
    const previous = new PairSet();
    for (const r of touched) for (const s of this.published[r] ?? []) previous.add(r, s);
    const rebuilt = this.rebuildProposals(touched, previous);
    for (const r of touched) {
      for (const s of this.published[r] ?? []) {
        const key = r * PAIR_BASE + s;
        if (rebuilt.has(key)) continue;
        const old = this.current.get(key)!;
        this.current.delete(key);
        this.totalPoints -= toPoints(old.score);
        // A proposal that a coordinator fixed is not removed: it lives on as a fixed match.
        const fixed = m.fixedByResident.get(old.residentId)?.some((f) => f.shiftId === old.shiftId);
        if (!fixed) removed.push({ residentId: old.residentId, shiftId: old.shiftId });
      }
      this.published[r] = [...(this.assignedByRes[r] ?? [])];
    }
    for (const [key, p] of rebuilt) {
      const old = this.current.get(key);
      if (!old) added.push(p);
      else if (old.score !== p.score || old.explanationJa !== p.explanationJa || old.explanationEn !== p.explanationEn) updated.push(p);
      if (old) this.totalPoints -= toPoints(old.score);
      this.totalPoints += toPoints(p.score);
      this.current.set(key, p);
    }
    const diff: ProposalDiff = {
      added: sortProposals(added),
      removed: removed.sort((a, b) => compareIds(a.shiftId, b.shiftId) || compareIds(a.residentId, b.residentId)),
      updated: sortProposals(updated),
    };
    const stats: IncrementalStats = {
      mode: full ? "full" : "incremental",
      regionShifts: region.shifts,
      regionResidents: region.residents,
      regionPairs: region.pairs,
      added: added.length,
      removed: removed.length,
      updated: updated.length,
      proposals: this.current.size,
      totalScore: fromPoints(this.totalPoints),
    };
    return { diff, stats };
  }

  private growArrays(): void {
    const m = this.model;
    while (this.cands.length < m.shifts.length) {
      this.cands.push(NO_CANDIDATES);
      this.assignedByShift.push([]);
    }
    while (this.byRes.length < m.residents.length) {
      this.byRes.push([]);
      this.assignedByRes.push([]);
      this.published.push([]);
    }
  }

  private buildAllCandidates(): void {
    const m = this.model;
    this.cands = new Array(m.shifts.length);
    this.byRes = Array.from({ length: m.residents.length }, () => []);
    for (let s = 0; s < m.shifts.length; s++) {
      const list = candidatesOfShift(m, s, this.excluded, this.examined);
      this.cands[s] = list;
      for (const r of list.res) this.byRes[r].push(s);
    }
    this.assignedByShift = Array.from({ length: m.shifts.length }, () => []);
    this.assignedByRes = Array.from({ length: m.residents.length }, () => []);
  }

  /** Full solve over every open piece (assignments start empty). */
  private solveAll(): RegionOutcome {
    const m = this.model;
    const shifts: number[] = [];
    for (let s = 0; s < m.shifts.length; s++) {
      this.assignedByShift[s] = [];
      if (m.shifts[s].seats > 0 && this.cands[s].res.length > 0) shifts.push(s);
    }
    for (let r = 0; r < m.residents.length; r++) this.assignedByRes[r] = [];
    return this.solveRegion(shifts, m.previous);
  }

  /** Incremental re-solve after the model and candidate lists reflect the changes. */
  private solveChanges(changedResidents: Set<number>, changedShifts: Set<number>, touched: Set<number>): RegionOutcome {
    const m = this.model;
    const incumbents = new PairSet();
    // 1. Candidate lists of changed pieces, then of changed residents.
    for (const s of [...changedShifts].sort((a, b) => a - b)) {
      const old = this.cands[s];
      const next = candidatesOfShift(m, s);
      for (const r of old.res) removeFrom(this.byRes[r], s);
      for (const r of next.res) this.byRes[r].push(s);
      this.cands[s] = next;
    }
    const region = new Set<number>(changedShifts);
    for (const r of [...changedResidents].sort((a, b) => a - b)) {
      const oldShifts = [...this.byRes[r]];
      const next = candidatesOfResident(m, r);
      const nextMap = new Map(next);
      for (const s of oldShifts) if (!nextMap.has(s)) this.cands[s] = withCandidate(this.cands[s], r, null);
      for (const [s, points] of next) this.cands[s] = withCandidate(this.cands[s], r, points);
      this.byRes[r] = next.map(([s]) => s);
      for (const s of this.assignedByRes[r]) region.add(s);
      // r's other pieces join the region only where r could enter: a free seat, or beating the
      // weakest occupant (with their stability bonus).
      const sigma = toPoints(this.options.switchingCost);
      for (const [s, points] of next) {
        if (region.has(s)) continue;
        const occupants = this.assignedByShift[s];
        if (occupants.length < m.shifts[s].seats) {
          region.add(s);
          continue;
        }
        let weakest = Number.POSITIVE_INFINITY;
        for (const q of occupants) weakest = Math.min(weakest, this.pointsOf(q, s) + sigma);
        if (points > weakest) region.add(s);
      }
      touched.add(r);
    }
    // Pieces whose current occupants are no longer feasible are in the region already (their
    // resident or the piece changed). Collect incumbents of the region and clear it.
    const regionList = [...region].sort((a, b) => a - b);
    for (const s of regionList) {
      for (const r of [...this.assignedByShift[s]]) {
        incumbents.add(r, s);
        touched.add(r);
        this.unassign(r, s);
      }
    }
    const first = this.solveRegion(regionList.filter((s) => m.shifts[s].seats > 0), incumbents);
    for (const s of regionList) for (const r of this.assignedByShift[s]) touched.add(r);

    // 2. One cascade round: residents who lost a proposal may fill free seats elsewhere.
    const displaced: number[] = [];
    for (const [r, s] of incumbents.pairs()) {
      if (!this.assignedByShift[s].includes(r) && !changedResidents.has(r)) displaced.push(r);
    }
    const second = new Set<number>();
    for (const r of displaced) {
      for (const s of this.byRes[r]) {
        if (region.has(s)) continue;
        if (this.assignedByShift[s].length < m.shifts[s].seats) second.add(s);
      }
    }
    let cascade: RegionOutcome = { shifts: 0, residents: 0, pairs: 0, augmentations: 0, localMoves: 0 };
    if (second.size > 0) {
      const list = [...second].sort((a, b) => a - b);
      const inc = new PairSet();
      for (const s of list) {
        for (const r of [...this.assignedByShift[s]]) {
          inc.add(r, s);
          touched.add(r);
          this.unassign(r, s);
        }
      }
      cascade = this.solveRegion(list, inc);
      for (const s of list) for (const r of this.assignedByShift[s]) touched.add(r);
    }
    return {
      shifts: first.shifts + cascade.shifts,
      residents: first.residents + cascade.residents,
      pairs: first.pairs + cascade.pairs,
      augmentations: first.augmentations + cascade.augmentations,
      localMoves: first.localMoves + cascade.localMoves,
    };
  }

  private pointsOf(r: number, s: number): number {
    const list = this.cands[s];
    for (let i = 0; i < list.res.length; i++) if (list.res[i] === r) return list.pts[i];
    return 0;
  }

  private unassign(r: number, s: number): void {
    const a = this.assignedByShift[s];
    const i = a.indexOf(r);
    if (i >= 0) a.splice(i, 1);
    const b = this.assignedByRes[r];
    const j = b.indexOf(s);
    if (j >= 0) b.splice(j, 1);
  }

  /**
   * Solves the given pieces (their seats empty) with every other proposal fixed: residents keep
   * their other proposals, which use their time, hours and proposal count.
   */
  private solveRegion(shifts: number[], incumbents: PairSet): RegionOutcome {
    const m = this.model;
    const o = this.options;
    const sigma = toPoints(o.switchingCost);
    const K = o.maxCandidatesPerShift;
    // Local resident indices through a stamp array (no map), edges into preallocated typed arrays.
    const localOf = this.localScratch(m.residents.length);
    const residents: number[] = [];
    const edgeStart = new Int32Array(shifts.length + 1);
    let capacity = 0;
    for (const s of shifts) capacity += Number.isFinite(K) ? Math.min(this.cands[s].res.length, K + 8) : this.cands[s].res.length;
    let edgeResident = new Int32Array(capacity);
    let edgeWeight = new Int32Array(capacity);
    let edgeCount = 0;
    const seats = new Int32Array(shifts.length);
    const shiftStart = new Float64Array(shifts.length);
    const shiftEnd = new Float64Array(shifts.length);
    const shiftWeek = new Int32Array(shifts.length);
    const shiftDuration = new Int32Array(shifts.length);
    const outsideCount = (r: number) => this.assignedByRes[r].length;
    const pickRes: number[] = [];
    const pickW: number[] = [];
    for (let i = 0; i < shifts.length; i++) {
      const s = shifts[i];
      const sr = m.shifts[s];
      seats[i] = sr.seats;
      shiftStart[i] = sr.src.startsAt;
      shiftEnd[i] = sr.src.endsAt;
      shiftWeek[i] = sr.week;
      shiftDuration[i] = sr.duration;
      const list = this.cands[s];
      pickRes.length = 0;
      pickW.length = 0;
      let taken = 0;
      let boosted = false;
      for (let j = 0; j < list.res.length; j++) {
        const r = list.res[j];
        const incumbent = incumbents.size > 0 && incumbents.has(r, s);
        if (taken >= K && !incumbent) {
          if (incumbents.size === 0) break;
          continue;
        }
        if (!this.fitsOutside(r, s)) continue;
        taken++;
        pickRes.push(r);
        pickW.push(list.pts[j] + (incumbent ? sigma : 0));
        if (incumbent) boosted = true;
      }
      // Candidate lists are best first; a stability bonus may reorder a few.
      if (boosted) {
        const order = pickRes.map((_, j) => j).sort((a, b) => pickW[b] - pickW[a] || pickRes[a] - pickRes[b]);
        const res = order.map((j) => pickRes[j]);
        const w = order.map((j) => pickW[j]);
        pickRes.splice(0, pickRes.length, ...res);
        pickW.splice(0, pickW.length, ...w);
      }
      if (edgeCount + pickRes.length > edgeResident.length) {
        const size = Math.max(edgeCount + pickRes.length, edgeResident.length * 2);
        const grownR = new Int32Array(size);
        grownR.set(edgeResident);
        edgeResident = grownR;
        const grownW = new Int32Array(size);
        grownW.set(edgeWeight);
        edgeWeight = grownW;
      }
      for (let j = 0; j < pickRes.length; j++) {
        const r = pickRes[j];
        let local = localOf.stamp[r] === localOf.mark ? localOf.index[r] : -1;
        if (local < 0) {
          local = residents.length;
          localOf.stamp[r] = localOf.mark;
          localOf.index[r] = local;
          residents.push(r);
        }
        edgeResident[edgeCount] = local;
        edgeWeight[edgeCount] = pickW[j];
        edgeCount++;
      }
      edgeStart[i + 1] = edgeCount;
    }
    const fairnessUnit = toPoints(o.weights.fairness);
    const maxRank = o.maxFairnessRank;
    const residentCap = new Int32Array(residents.length);
    const residentBase = new Int32Array(residents.length);
    for (let i = 0; i < residents.length; i++) {
      const r = residents[i];
      residentCap[i] = Math.max(0, o.maxProposalsPerResident - outsideCount(r));
      residentBase[i] = m.residents[r].openFixed + outsideCount(r);
    }
    const problem: OptimizerProblem = {
      shiftCount: shifts.length,
      residentCount: residents.length,
      seats,
      shiftStart,
      shiftEnd,
      shiftWeek,
      shiftDuration,
      edgeStart,
      edgeResident: edgeResident.subarray(0, edgeCount),
      edgeWeight: edgeWeight.subarray(0, edgeCount),
      residentCap,
      residentBase,
      weekLeft: (local, week) => this.weekLeft(residents[local], week),
      fairness: (rank) => fairnessUnit * Math.min(Math.max(0, rank - 1), maxRank),
      onPhase: o.onPhase,
    };
    o.onPhase?.("network");
    const result = optimize(problem);
    for (let i = 0; i < shifts.length; i++) {
      for (let e = edgeStart[i]; e < edgeStart[i + 1]; e++) {
        if (!result.chosen[e]) continue;
        const r = residents[edgeResident[e]];
        this.assignedByShift[shifts[i]].push(r);
        this.assignedByRes[r].push(shifts[i]);
      }
    }
    return {
      shifts: shifts.length,
      residents: residents.length,
      pairs: edgeCount,
      augmentations: result.augmentations,
      localMoves: result.localMoves,
    };
  }

  private scratch = { stamp: new Int32Array(0), index: new Int32Array(0), mark: 0 };

  /** A resident → local index map for one region solve (valid while `mark` is current). */
  private localScratch(size: number): { stamp: Int32Array; index: Int32Array; mark: number } {
    const sc = this.scratch;
    if (sc.stamp.length < size) {
      sc.stamp = new Int32Array(Math.max(size, sc.stamp.length * 2));
      sc.index = new Int32Array(sc.stamp.length);
      sc.mark = 0;
    }
    sc.mark++;
    return sc;
  }

  /** Can r take s next to its proposals outside the region (time, count)? */
  private fitsOutside(r: number, s: number): boolean {
    const outside = this.assignedByRes[r];
    if (outside.length === 0) return true;
    if (outside.length >= this.options.maxProposalsPerResident) return false;
    const sr = this.model.shifts[s];
    for (const t of outside) {
      const tr = this.model.shifts[t];
      if (overlaps(tr.src.startsAt, tr.src.endsAt, sr.src.startsAt, sr.src.endsAt)) return false;
    }
    return this.weekLeft(r, sr.week) >= sr.duration;
  }

  /** Minutes left in an ISO week after fixed matches and proposals outside the region. */
  private weekLeft(r: number, week: number): number {
    const rr = this.model.residents[r];
    if (!Number.isFinite(rr.capMinutes)) return Number.POSITIVE_INFINITY;
    let used = rr.fixedWeekMinutes === null ? 0 : (rr.fixedWeekMinutes.get(week) ?? 0);
    for (const t of this.assignedByRes[r]) {
      const tr = this.model.shifts[t];
      if (tr.week === week) used += tr.duration;
    }
    return rr.capMinutes - used;
  }

  /** Proposals (with ranks, breakdowns and explanations) of the given residents. */
  private rebuildProposals(residents: Iterable<number>, previous: PairSet): Map<number, Proposal> {
    const m = this.model;
    const out = new Map<number, Proposal>();
    const labels = (id: string) => m.skillLabels.get(id);
    for (const r of residents) {
      const shifts = [...(this.assignedByRes[r] ?? [])];
      if (shifts.length === 0) continue;
      shifts.sort((a, b) => m.shifts[a].src.startsAt - m.shifts[b].src.startsAt || compareIds(m.shiftIds[a], m.shiftIds[b]));
      const base = m.residents[r].openFixed;
      shifts.forEach((s, k) => {
        const breakdown = describePair(m, r, s, base + k + 1);
        const text = explain(breakdown, labels);
        const key = r * PAIR_BASE + s;
        out.set(key, {
          residentId: m.residentIds[r],
          shiftId: m.shiftIds[s],
          taskId: m.shifts[s].src.taskId,
          score: breakdown.total,
          breakdown,
          explanationJa: text.ja,
          explanationEn: text.en,
          kept: previous.has(r, s),
        });
      });
    }
    return out;
  }

  private stats(list: Proposal[], work: RegionOutcome, removed: number): SolveStats {
    const m = this.model;
    let openShifts = 0;
    let openSeats = 0;
    let candidatePairs = 0;
    for (let s = 0; s < m.shifts.length; s++) {
      if (m.shifts[s].seats > 0) {
        openShifts++;
        openSeats += m.shifts[s].seats;
      }
      candidatePairs += this.cands[s].res.length;
    }
    const totalScore = roundScore(list.reduce((sum, p) => sum + p.score, 0));
    const kept = list.filter((p) => p.kept).length;
    return {
      residents: m.residents.filter((r) => r.active).length,
      shifts: m.shifts.length,
      openShifts,
      openSeats,
      candidatePairs,
      examinedPairs: this.examined.count,
      excluded: { ...this.excluded },
      proposals: list.length,
      filledSeats: list.length,
      totalScore,
      objective: roundScore(totalScore + kept * this.options.switchingCost),
      kept,
      added: list.length - kept,
      removed,
      augmentations: work.augmentations,
      localMoves: work.localMoves,
    };
  }
}

function removeFrom(list: number[], value: number): void {
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function roundScore(x: number): number {
  return fromPoints(Math.round(x * 10_000));
}

export function sortProposals(list: Proposal[]): Proposal[] {
  return list.sort((a, b) => compareIds(a.shiftId, b.shiftId) || compareIds(a.residentId, b.residentId));
}

/** What changed between two proposal lists (for a scheduler that solves in full each time). */
export function diffProposals(before: readonly Proposal[], after: readonly Proposal[]): ProposalDiff {
  const key = (p: PairRef) => `${p.residentId}\u0000${p.shiftId}`;
  const old = new Map(before.map((p) => [key(p), p]));
  const next = new Map(after.map((p) => [key(p), p]));
  const added = after.filter((p) => !old.has(key(p)));
  const updated = after.filter((p) => {
    const o = old.get(key(p));
    return o !== undefined && (o.score !== p.score || o.explanationJa !== p.explanationJa || o.explanationEn !== p.explanationEn);
  });
  const removed = before.filter((p) => !next.has(key(p))).map((p) => ({ residentId: p.residentId, shiftId: p.shiftId }));
  return { added, removed, updated };
}
