/**
 * Phase 2 of the optimizer (optimizer.ts): local search on the exact constraints, starting from
 * the flow's solution of the relaxation. It works on the residents the relaxation treated
 * conservatively ("flagged": overlap chains, binding hour caps) and then on anyone a move
 * affected:
 * - hour caps are enforced exactly (the cheapest pieces of an over-full week are dropped);
 * - free seats are filled: add a resident, or swap one of their pieces for this one;
 * - a resident's best schedule over free seats is found by exact branch and bound;
 * - ejection chains: a resident takes full pieces by evicting the occupant with the smallest
 *   estimated loss, the evicted are re-placed, and the result is kept only if the objective
 *   really improved (otherwise every change is undone exactly);
 * - on small problems, two residents are also re-planned together.
 * Every kept move strictly improves the integer objective, so the search ends. Deterministic.
 */
import type { OptimizerProblem } from "./optimizer.ts";

const INF = Number.POSITIVE_INFINITY;

/**
 * Problems up to this many edges (regions of incremental solves, small workspaces) get the
 * thorough local search: more rounds and pair moves. Larger ones get two rounds of chains, which
 * measured best on the 10,000 × 6,000 benchmark (pair moves there cost time and, path-dependent,
 * did not even improve the total).
 */
export const SMALL_PROBLEM_EDGES = 20_000;

export function localSearch(
  p: OptimizerProblem,
  chosen: Uint8Array,
  edgeShift: Int32Array,
  resEdgeStart: Int32Array,
  resEdges: Int32Array,
  flagged: Uint8Array,
): number {
  const small = chosen.length <= SMALL_PROBLEM_EDGES;
  const S = p.shiftCount;
  const R = p.residentCount;
  // Current state: chosen edges per resident, filled seats per piece, and the objective.
  const resChosen: number[][] = Array.from({ length: R }, () => []);
  const filled = new Int32Array(S);
  for (let e = 0; e < chosen.length; e++) {
    if (!chosen[e]) continue;
    resChosen[p.edgeResident[e]].push(e);
    filled[edgeShift[e]]++;
  }
  const shiftChosen: number[][] = Array.from({ length: S }, () => []);
  for (let r = 0; r < R; r++) for (const e of resChosen[r]) shiftChosen[edgeShift[e]].push(e);
  /**
   * Per-resident stamps, renewed when the resident's schedule or the occupancy of one of their
   * candidate pieces changes: a cached "best alternative" of theirs is valid while it matches.
   */
  const resStamp = new Int32Array(R);
  let stampCounter = 1;
  /** While a chain is tentative, the stamps it overwrites (resident, old stamp), for rollback. */
  const stampUndo: number[] = [];
  /** Pieces whose occupant estimate was cached while a chain was tentative. */
  const cachedTentatively: number[] = [];
  const restamp = (u: number) => {
    const stamp = ++stampCounter;
    for (let i = p.edgeStart[u]; i < p.edgeStart[u + 1]; i++) {
      const q = p.edgeResident[i];
      if (logging) stampUndo.push(q, resStamp[q]);
      resStamp[q] = stamp;
    }
  };
  let objective = 0;
  let logging = false;
  const log: number[] = [];
  /** Pieces whose occupants changed in the current round (their candidates get another look). */
  const changed = new Uint8Array(S);
  const changedList: number[] = [];
  const touch = (s: number) => {
    if (!changed[s]) {
      changed[s] = 1;
      changedList.push(s);
    }
  };
  const weekUsed = (r: number, week: number) => {
    let m = 0;
    for (const e of resChosen[r]) if (p.shiftWeek[edgeShift[e]] === week) m += p.shiftDuration[edgeShift[e]];
    return m;
  };
  const drop = (e: number) => {
    const r = p.edgeResident[e];
    const list = resChosen[r];
    objective -= p.edgeWeight[e] - p.fairness(p.residentBase[r] + list.length);
    chosen[e] = 0;
    list.splice(list.indexOf(e), 1);
    const occupants = shiftChosen[edgeShift[e]];
    occupants.splice(occupants.indexOf(e), 1);
    filled[edgeShift[e]]--;
    restamp(edgeShift[e]);
    touch(edgeShift[e]);
    // The resident's other pieces got cheaper to take from them (fairness, free time).
    for (const f of list) touch(edgeShift[f]);
    if (logging) log.push(-(e + 1));
  };
  const add = (e: number) => {
    const r = p.edgeResident[e];
    const list = resChosen[r];
    objective += p.edgeWeight[e] - p.fairness(p.residentBase[r] + list.length + 1);
    chosen[e] = 1;
    list.push(e);
    shiftChosen[edgeShift[e]].push(e);
    filled[edgeShift[e]]++;
    restamp(edgeShift[e]);
    for (const f of list) touch(edgeShift[f]);
    if (logging) log.push(e + 1);
  };
  let moves = 0;
  const queue: number[] = [];
  const queued = new Uint8Array(S);
  const enqueue = (s: number) => {
    if (!queued[s] && filled[s] < p.seats[s] && p.edgeStart[s + 1] > p.edgeStart[s]) {
      queued[s] = 1;
      queue.push(s);
    }
  };

  // Exact hour caps: drop the least valuable piece of an over-full week until it fits.
  for (let r = 0; r < R; r++) {
    if (resChosen[r].length === 0) continue;
    const weeks = [...new Set(resChosen[r].map((e) => p.shiftWeek[edgeShift[e]]))].sort((a, b) => a - b);
    for (const week of weeks) {
      const left = p.weekLeft(r, week);
      while (weekUsed(r, week) > left) {
        let worst = -1;
        for (const e of resChosen[r]) {
          if (p.shiftWeek[edgeShift[e]] !== week) continue;
          if (worst < 0 || p.edgeWeight[e] < p.edgeWeight[worst] || (p.edgeWeight[e] === p.edgeWeight[worst] && e < worst)) worst = e;
        }
        drop(worst);
        flagged[r] = 1;
        moves++;
      }
    }
  }

  // Free seats: add a resident, or swap one of their pieces for this one.
  const budget = 20 * (chosen.length + S) + 1000;
  let steps = 0;
  const fillSeats = () => {
    for (let head = 0; head < queue.length && steps++ < budget; head++) {
      const s = queue[head];
      queued[s] = 0;
      if (filled[s] >= p.seats[s]) continue;
      let bestGain = 0;
      let bestEdge = -1;
      let bestDrop = -1;
      const start = p.shiftStart[s];
      const end = p.shiftEnd[s];
      const week = p.shiftWeek[s];
      for (let e = p.edgeStart[s]; e < p.edgeStart[s + 1]; e++) {
        if (chosen[e]) continue;
        const r = p.edgeResident[e];
        const list = resChosen[r];
        // Pieces of r that block s: overlapping ones.
        let overlapCount = 0;
        let overlapEdge = -1;
        for (const f of list) {
          const t = edgeShift[f];
          if (p.shiftStart[t] < end && start < p.shiftEnd[t]) {
            overlapCount++;
            overlapEdge = f;
          }
        }
        if (overlapCount > 1) continue;
        const left = p.weekLeft(r, week);
        const used = weekUsed(r, week);
        const w = p.edgeWeight[e];
        if (overlapCount === 0 && list.length < p.residentCap[r] && used + p.shiftDuration[s] <= left) {
          const gain = w - p.fairness(p.residentBase[r] + list.length + 1);
          if (gain > bestGain) {
            bestGain = gain;
            bestEdge = e;
            bestDrop = -1;
          }
          continue;
        }
        // Swap: drop one piece x so that s fits (same count, so fairness is unchanged).
        const candidatesToDrop = overlapCount === 1 ? [overlapEdge] : list;
        for (const x of candidatesToDrop) {
          const xs = edgeShift[x];
          const usedAfter = used - (p.shiftWeek[xs] === week ? p.shiftDuration[xs] : 0);
          if (usedAfter + p.shiftDuration[s] > left) continue;
          const gain = w - p.edgeWeight[x];
          if (gain > bestGain) {
            bestGain = gain;
            bestEdge = e;
            bestDrop = x;
          }
        }
      }
      if (bestEdge < 0) continue;
      if (bestDrop >= 0) {
        const freed = edgeShift[bestDrop];
        drop(bestDrop);
        enqueue(freed);
      }
      add(bestEdge);
      moves++;
      enqueue(s);
    }
    for (const s of queue) queued[s] = 0;
    queue.length = 0;
  };

  /**
   * The cheapest occupant of a full piece to evict for `except`, as [edge, estimated loss] (or
   * [-1, ∞]). The estimate is optimistic: the occupant's weight minus their best other piece
   * with a free seat (or a seat `except` may leave) that fits their remaining schedule; the
   * chain then checks the real outcome.
   */
  const altEpoch = new Int32Array(chosen.length).fill(-1);
  const altValue = new Float64Array(chosen.length);
  /** Does q's edge f (to piece u) fit q's schedule without their chosen edge e? */
  const fitsWithout = (q: number, e: number, u: number) => {
    for (const g of resChosen[q]) {
      const v = edgeShift[g];
      if (g !== e && p.shiftStart[v] < p.shiftEnd[u] && p.shiftStart[u] < p.shiftEnd[v]) return false;
    }
    return true;
  };
  /** q's best other piece with a free seat if evicted from chosen edge e (cached per epoch). */
  const bestAlternative = (q: number, e: number): number => {
    if (altEpoch[e] === resStamp[q]) return altValue[e];
    let alt = 0;
    for (let i = resEdgeStart[q]; i < resEdgeStart[q + 1]; i++) {
      const f = resEdges[i];
      const u = edgeShift[f];
      if (f === e || chosen[f] || p.edgeWeight[f] <= alt || filled[u] >= p.seats[u]) continue;
      if (fitsWithout(q, e, u)) alt = p.edgeWeight[f];
    }
    altEpoch[e] = resStamp[q];
    altValue[e] = alt;
    return alt;
  };
  let victimEdge = -1;
  let victimLoss = INF;
  /**
   * The cheapest occupant of a full piece to evict for `except`, into victimEdge / victimLoss
   * (−1 / ∞ when none). The estimate is optimistic: the occupant's weight minus their best other
   * piece with a free seat (or a seat `except` may leave) that fits their remaining schedule;
   * the chain then checks the real outcome.
   */
  const cacheAt = new Int32Array(S).fill(-1);
  const cacheEdge = new Int32Array(S);
  const cacheLoss = new Float64Array(S);
  const cheapestOccupant = (t: number, except: number): void => {
    // Cached per piece while no occupant's stamp moved, unless `except` is special for one of
    // them (an occupant itself, or holding a seat they could use).
    let cacheable = cacheAt[t] >= 0;
    for (const e of shiftChosen[t]) {
      const q = p.edgeResident[e];
      if (q === except || heldStamp[q] === heldRound || resStamp[q] > cacheAt[t]) cacheable = false;
    }
    if (cacheable) {
      victimEdge = cacheEdge[t];
      victimLoss = cacheLoss[t];
      return;
    }
    victimEdge = -1;
    victimLoss = INF;
    let plain = true;
    for (const e of shiftChosen[t]) {
      const q = p.edgeResident[e];
      if (q === except) {
        plain = false;
        continue;
      }
      let alt = bestAlternative(q, e);
      // Seats `except` holds count as free for q (see heldBy below).
      if (heldStamp[q] === heldRound) {
        plain = false;
        for (let k = heldHead[q]; k >= 0; k = heldNext[k]) {
          const f = heldEdge[k];
          if (!chosen[f] && p.edgeWeight[f] > alt && fitsWithout(q, e, edgeShift[f])) alt = p.edgeWeight[f];
        }
      }
      // Negative when the occupant would be better off elsewhere (typically in a seat `except`
      // leaves): the chain gains on both sides.
      const l = alt > 0 ? p.edgeWeight[e] - alt : p.edgeWeight[e] - p.fairness(p.residentBase[q] + resChosen[q].length);
      if (l < victimLoss || (l === victimLoss && e < victimEdge)) {
        victimLoss = l;
        victimEdge = e;
      }
    }
    if (plain) {
      cacheAt[t] = stampCounter;
      if (logging) cachedTentatively.push(t);
      cacheEdge[t] = victimEdge;
      cacheLoss[t] = victimLoss;
    }
  };
  // The edges other residents have to the pieces `except` holds (a linked list per resident,
  // valid while heldStamp matches heldRound), for the optimistic estimate above.
  const heldStamp = new Int32Array(R);
  const heldHead = new Int32Array(R);
  let heldRound = 0;
  const heldEdge: number[] = [];
  const heldNext: number[] = [];
  const heldBy = (r: number) => {
    heldRound++;
    heldEdge.length = 0;
    heldNext.length = 0;
    for (const g of resChosen[r]) {
      const u = edgeShift[g];
      for (let i = p.edgeStart[u]; i < p.edgeStart[u + 1]; i++) {
        const q = p.edgeResident[i];
        if (q === r) continue;
        if (heldStamp[q] !== heldRound) {
          heldStamp[q] = heldRound;
          heldHead[q] = -1;
        }
        heldEdge.push(i);
        heldNext.push(heldHead[q]);
        heldHead[q] = heldEdge.length - 1;
      }
    }
  };

  // A resident's best schedule over their own pieces and pieces with a free seat — or, with
  // `evict`, also full pieces at the (estimated) price of their cheapest occupant: an exact
  // branch and bound over at most `cap` non-overlapping pieces within the hour caps. Applied
  // when its value beats the current schedule.
  const items: number[] = [];
  const values: number[] = [];
  const pickBuf: number[] = [];
  /** The best few schedules found, best first (value, pick). */
  const TOP = 3;
  let top: Array<{ value: number; pick: number[] }> = [];
  let floor = -INF;
  const offer = (value: number, count: number) => {
    if (value <= floor) return;
    let i = top.length;
    top.push({ value, pick: pickBuf.slice(0, count) });
    while (i > 0 && top[i - 1].value < value) {
      top[i] = top[i - 1];
      i--;
    }
    top[i] = { value, pick: pickBuf.slice(0, count) };
    if (top.length > TOP) top.length = TOP;
    if (top.length === TOP) floor = top[TOP - 1].value;
  };
  /** Σ fairness of a resident's first `count` new ranks; `prefix` caches the planned resident's. */
  const prefix: number[] = [0];
  let prefixOf = -1;
  const fairnessSum = (r: number, count: number) => {
    if (r !== prefixOf) {
      prefixOf = r;
      prefix.length = 1;
    }
    while (prefix.length <= count) prefix.push(prefix[prefix.length - 1] + p.fairness(p.residentBase[r] + prefix.length));
    return prefix[count];
  };
  const search = (r: number, from: number, count: number, value: number, k: number) => {
    if (count > 0) offer(value - fairnessSum(r, count), count);
    if (count === k) return;
    for (let i = from; i < items.length; i++) {
      // Items are in descending value: the bound only gets worse further on.
      if (value + values[i] * (k - count) - fairnessSum(r, count + 1) <= floor) return;
      const e = items[i];
      const t = edgeShift[e];
      let ok = true;
      let minutes = p.shiftDuration[t];
      for (let j = 0; j < count && ok; j++) {
        const u = edgeShift[pickBuf[j]];
        if (p.shiftStart[u] < p.shiftEnd[t] && p.shiftStart[t] < p.shiftEnd[u]) ok = false;
        if (p.shiftWeek[u] === p.shiftWeek[t]) minutes += p.shiftDuration[u];
      }
      if (!ok || minutes > p.weekLeft(r, p.shiftWeek[t])) continue;
      pickBuf[count] = e;
      search(r, i + 1, count + 1, value + values[i], k);
    }
  };

  /**
   * A resident's best schedules over their own pieces and pieces with a free seat — or, with
   * `evict`, also full pieces at the (estimated) price of their cheapest occupant: an exact
   * branch and bound over at most `cap` non-overlapping pieces within the hour caps. Returns the
   * picks (best first) whose estimated value beats the current schedule.
   */
  // Each resident's edges by weight (best first): evictions are only tried on the best few.
  const MAX_EVICTION_ITEMS = 8;
  const byWeight = resEdges.slice();
  for (let r = 0; r < R; r++) {
    byWeight.subarray(resEdgeStart[r], resEdgeStart[r + 1]).sort((a, b) => p.edgeWeight[b] - p.edgeWeight[a] || a - b);
  }
  const candEdge: number[] = [];
  const candValue: number[] = [];
  let candKeys = new Float64Array(64);
  const EDGE_BASE = 2 ** 24;
  const plan = (r: number, evict: boolean): number[][] => {
    candEdge.length = 0;
    candValue.length = 0;
    if (evict) heldBy(r);
    let evictable = MAX_EVICTION_ITEMS;
    for (let i = resEdgeStart[r]; i < resEdgeStart[r + 1]; i++) {
      const e = byWeight[i];
      const t = edgeShift[e];
      if (chosen[e] || filled[t] < p.seats[t]) {
        candEdge.push(e);
        candValue.push(p.edgeWeight[e]);
      } else if (evict && evictable > 0) {
        evictable--;
        cheapestOccupant(t, r);
        if (p.edgeWeight[e] - victimLoss > 0) {
          candEdge.push(e);
          candValue.push(p.edgeWeight[e] - victimLoss);
        }
      }
    }
    if (evict) heldRound++; // the held lists are only for this plan
    const k = Math.min(p.residentCap[r], candEdge.length);
    if (k === 0) return [];
    // Best value first, then lower edge: packed in one key and sorted natively.
    const n = candEdge.length;
    if (candKeys.length < n) candKeys = new Float64Array(Math.max(n, candKeys.length * 2));
    for (let i = 0; i < n; i++) candKeys[i] = candValue[i] * EDGE_BASE + (EDGE_BASE - 1 - candEdge[i]);
    const sorted = candKeys.subarray(0, n).sort();
    items.length = 0;
    values.length = 0;
    for (let i = n - 1; i >= 0; i--) {
      const v = Math.floor(sorted[i] / EDGE_BASE);
      items.push(EDGE_BASE - 1 - (sorted[i] - v * EDGE_BASE));
      values.push(v);
    }
    let current = 0;
    for (const e of resChosen[r]) current += p.edgeWeight[e];
    current -= fairnessSum(r, resChosen[r].length);
    top = [];
    floor = current;
    search(r, 0, 0, 0, k);
    return top.filter((x) => x.value > current).map((x) => x.pick);
  };

  /** Makes `pick` the resident's schedule, evicting the cheapest occupant of full pieces. */
  const applyPick = (r: number, pick: number[], evicted: number[]) => {
    for (const e of [...resChosen[r]]) {
      if (pick.includes(e)) continue;
      drop(e);
      enqueue(edgeShift[e]);
    }
    for (const e of pick) {
      if (chosen[e]) continue;
      const t = edgeShift[e];
      if (filled[t] >= p.seats[t]) {
        cheapestOccupant(t, r);
        const victim = victimEdge;
        if (victim < 0) continue;
        drop(victim);
        evicted.push(p.edgeResident[victim]);
      }
      add(e);
    }
  };

  /** Free-seat rescheduling: always an improvement, applied directly. */
  const none: number[] = [];
  const reschedule = (r: number): boolean => {
    const picks = plan(r, false);
    if (picks.length === 0) return false;
    applyPick(r, picks[0], none);
    return true;
  };

  /** Starts a tentative move: every change is logged so that it can be undone. */
  const begin = (): number => {
    logging = true;
    log.length = 0;
    stampUndo.length = 0;
    cachedTentatively.length = 0;
    return objective;
  };
  /** Keeps the tentative move if it improved the objective, else undoes it exactly. */
  const settle = (before: number): boolean => {
    logging = false;
    if (objective > before) return true;
    for (let i = log.length - 1; i >= 0; i--) {
      const op = log[i];
      if (op > 0) drop(op - 1);
      else add(-op - 1);
    }
    // The state is as before: so are the stamps (keeping caches made before valid), and
    // estimates cached in between are void.
    for (let i = stampUndo.length - 2; i >= 0; i -= 2) resStamp[stampUndo[i]] = stampUndo[i + 1];
    for (const t of cachedTentatively) cacheAt[t] = -1;
    return false;
  };

  /**
   * Ejection chains from r: take a schedule with evictions, re-place the evicted residents and
   * refill freed seats; keep the first that really improves the objective, else roll back.
   */
  const evicted: number[] = [];
  const tryChain = (r: number): boolean => {
    for (const pick of plan(r, true)) {
      const before = begin();
      evicted.length = 0;
      applyPick(r, pick, evicted);
      for (let i = 0; i < evicted.length; i++) reschedule(evicted[i]);
      fillSeats();
      if (settle(before)) return true;
    }
    return false;
  };

  /**
   * Re-plans a flagged resident together with an occupant of one of their pieces (each in turn
   * first): frees both schedules, reschedules the first over free seats, and the second with
   * evictions. Catches exchanges a one-sided chain misses, e.g. two residents swapping pieces of
   * overlap chains. Bounded by a budget of attempts, so large problems do a bounded amount.
   */
  let pairBudget = p.pairBudget ?? (small ? 2 * chosen.length : 0);
  const tryPair = (r: number, q: number): boolean => {
    for (const [a, b] of [[r, q], [q, r]]) {
      for (let i = 0; i < TOP; i++) {
        if (pairBudget-- <= 0) return false;
        const before = begin();
        for (const e of [...resChosen[a], ...resChosen[b]]) {
          drop(e);
          enqueue(edgeShift[e]);
        }
        reschedule(a);
        const picks = plan(b, true);
        if (i < picks.length) {
          evicted.length = 0;
          applyPick(b, picks[i], evicted);
          for (let j = 0; j < evicted.length; j++) reschedule(evicted[j]);
        }
        fillSeats();
        if (settle(before)) return true;
        if (i + 1 >= picks.length) break;
      }
    }
    return false;
  };
  const partners = (r: number): number[] => {
    const out: number[] = [];
    for (let i = resEdgeStart[r]; i < resEdgeStart[r + 1]; i++) {
      for (const f of shiftChosen[edgeShift[resEdges[i]]]) {
        const q = p.edgeResident[f];
        if (q !== r && !out.includes(q)) out.push(q);
      }
    }
    return out.sort((a, b) => a - b);
  };

  for (let s = 0; s < S; s++) enqueue(s);
  fillSeats();
  // Rounds of rescheduling and ejection chains: first the residents the relaxation treated
  // conservatively, then the candidates of pieces whose occupants changed who might now gain.
  const seen = new Uint8Array(R);
  /** Candidates of changed pieces who might gain there (a free seat, or beating an occupant). */
  const affected = (): number[] => {
    seen.fill(0);
    const out: number[] = [];
    for (const t of changedList) {
      let cheapest = INF;
      for (const e of shiftChosen[t]) cheapest = Math.min(cheapest, p.edgeWeight[e]);
      const open = filled[t] < p.seats[t];
      for (let e = p.edgeStart[t]; e < p.edgeStart[t + 1]; e++) {
        const q = p.edgeResident[e];
        if (chosen[e] || seen[q] || !(open || p.edgeWeight[e] > cheapest)) continue;
        seen[q] = 1;
        out.push(q);
      }
    }
    for (const t of changedList) changed[t] = 0;
    changedList.length = 0;
    return out;
  };
  // Pieces changed by the repair and the first filling count as changed, and so do the pieces
  // of flagged residents: their neighbours were placed around a conservative relaxation.
  for (let r = 0; r < R; r++) {
    if (!flagged[r]) continue;
    for (let i = resEdgeStart[r]; i < resEdgeStart[r + 1]; i++) touch(edgeShift[resEdges[i]]);
  }
  let work = affected();
  for (let r = 0; r < R; r++) if (flagged[r] && !seen[r]) work.push(r);
  work.sort((a, b) => a - b);
  for (let round = 0; round < (p.localSearchRounds ?? (small ? 8 : 2)) && work.length > 0; round++) {
    let improved = false;
    for (const r of work) {
      if (reschedule(r)) {
        improved = true;
        moves++;
      }
      // Chains are tried from flagged residents first, then from anyone a move affected.
      if ((round > 0 || flagged[r]) && tryChain(r)) {
        improved = true;
        moves++;
      }
      if (flagged[r] && pairBudget > 0) {
        for (const q of partners(r)) {
          if (tryPair(r, q)) {
            improved = true;
            moves++;
          }
        }
      }
    }
    fillSeats();
    if (!improved) break;
    work = affected().sort((a, b) => a - b);
  }
  return moves;
}
