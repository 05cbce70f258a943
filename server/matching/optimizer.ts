/**
 * The optimizer: a max-weight mosaic assignment on a sparse bipartite graph of pieces (shifts)
 * and residents, knowing nothing about the domain.
 *
 * Phase 1 — exact min-cost flow on a relaxation (successive shortest paths with Dijkstra on
 * reduced costs, one unit of a piece's supply at a time, early exit at the sink):
 *
 *   shift s ─(edge: cap 1, cost −w)→ cluster (r, k) ─(cap 1)→ group (r, week) ─(cap g)→ resident r
 *   resident r ─(j-th unit: cost fairness(base + j), j ≤ cap)→ T          shift s ─(cost 0)→ T
 *
 * A cluster is a connected component of the resident's candidate pieces under time overlap, so
 * "at most one per cluster" forbids every overlap; it is exact when the component's pieces share
 * a common instant (the usual case) and conservative for chains (9–11, 10–12, 11–13). A group's
 * capacity is the number of clusters that surely fit the hours left in that ISO week (longest
 * piece of each cluster first), also conservative. The direct shift → T arc is an empty seat.
 * With one piece per resident (or no overlaps, chains or binding caps) the network is exact and
 * so is the result: it equals the assignment optimum.
 *
 * Phase 2 — local search on the exact constraints (local-search.ts) repairs and improves what
 * the relaxation was conservative about: free-seat filling, exact rescheduling by branch and
 * bound, ejection chains with exact undo, pair re-planning on small problems.
 *
 * Everything is deterministic: ties break on indices.
 */

import { localSearch } from "./local-search.ts";

export interface OptimizerProblem {
  /** Number of pieces and residents (local indices). */
  shiftCount: number;
  residentCount: number;
  /** Seats to fill per piece. */
  seats: Int32Array;
  /** Piece interval (any unit, consistent) for overlap, ISO week and duration (minutes) for caps. */
  shiftStart: Float64Array;
  shiftEnd: Float64Array;
  shiftWeek: Int32Array;
  shiftDuration: Int32Array;
  /** Edges grouped by piece: edgeStart[s] … edgeStart[s + 1]. Weights are positive points. */
  edgeStart: Int32Array;
  edgeResident: Int32Array;
  edgeWeight: Int32Array;
  /** Extra proposals allowed per resident. */
  residentCap: Int32Array;
  /** Open matches the resident already holds (its first new one has rank base + 1). */
  residentBase: Int32Array;
  /** Minutes left in an ISO week (Infinity without a cap). */
  weekLeft(resident: number, week: number): number;
  /** Fairness penalty in points of an open match of rank k (non-decreasing in k). */
  fairness(rank: number): number;
  /**
   * Rounds of rescheduling and ejection chains after the flow (each round looks again at the
   * residents the previous one affected). @default 8 for small problems, else 2
   */
  localSearchRounds?: number;
  /** Attempts of joint re-planning of two residents. @default twice the edges for small problems, else 0 */
  pairBudget?: number;
  /** Optional phase hook (profiling). */
  onPhase?: (phase: string) => void;
}

export interface OptimizerResult {
  /** 1 for chosen edges. */
  chosen: Uint8Array;
  objective: number;
  augmentations: number;
  localMoves: number;
}

const INF = Number.POSITIVE_INFINITY;

/**
 * A binary min-heap of (key, node) with lazy deletion. Ties pop the sink first (ending the search
 * early), then the lower node index, so the search order is deterministic.
 */
class Heap {
  keys = new Float64Array(1024);
  nodes = new Int32Array(1024);
  size = 0;
  topKey = 0;
  topNode = 0;
  constructor(private readonly sink: number) {}

  private less(ki: number, ni: number, kj: number, nj: number): boolean {
    if (ki !== kj) return ki < kj;
    if (ni === this.sink) return true;
    if (nj === this.sink) return false;
    return ni < nj;
  }

  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const nodes = new Int32Array(this.size * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
    }
    const keys = this.keys;
    const nodes = this.nodes;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(key, node, keys[parent], nodes[parent])) break;
      keys[i] = keys[parent];
      nodes[i] = nodes[parent];
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
  }

  /** Pops the minimum into (topKey, topNode). */
  pop(): void {
    const keys = this.keys;
    const nodes = this.nodes;
    this.topKey = keys[0];
    this.topNode = nodes[0];
    const last = --this.size;
    if (last === 0) return;
    const key = keys[last];
    const node = nodes[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && this.less(keys[r], nodes[r], keys[l], nodes[l]) ? r : l;
      if (!this.less(keys[c], nodes[c], key, node)) break;
      keys[i] = keys[c];
      nodes[i] = nodes[c];
      i = c;
    }
    keys[i] = key;
    nodes[i] = node;
  }
}

export function optimize(p: OptimizerProblem): OptimizerResult {
  const S = p.shiftCount;
  const R = p.residentCount;
  const E = p.edgeResident.length;

  // ── Per-resident edge lists (without edges whose piece alone exceeds the hours left) ──
  const edgeShift = new Int32Array(E);
  const usable = new Uint8Array(E);
  const resEdgeStart = new Int32Array(R + 1);
  for (let s = 0; s < S; s++) {
    for (let e = p.edgeStart[s]; e < p.edgeStart[s + 1]; e++) {
      edgeShift[e] = s;
      const r = p.edgeResident[e];
      if (p.shiftDuration[s] <= p.weekLeft(r, p.shiftWeek[s])) {
        usable[e] = 1;
        resEdgeStart[r + 1]++;
      }
    }
  }
  for (let r = 0; r < R; r++) resEdgeStart[r + 1] += resEdgeStart[r];
  const resEdges = new Int32Array(resEdgeStart[R]);
  {
    const fill = resEdgeStart.slice(0, R);
    for (let e = 0; e < E; e++) if (usable[e]) resEdges[fill[p.edgeResident[e]]++] = e;
  }

  // ── Clusters (overlap components) and groups (resident × week) ──
  const edgeCluster = new Int32Array(E).fill(-1); // −1: unusable edge
  const clusterGroup: number[] = [];
  const clusterMaxDuration: number[] = [];
  /** Residents the relaxation may treat conservatively (chains, hour caps): re-optimized later. */
  const flagged = new Uint8Array(R);
  const groupResident: number[] = [];
  const groupCap: number[] = [];
  const groupClustersStart: number[] = [0];
  const groupClusters: number[] = [];
  const resGroupsStart = new Int32Array(R + 1);
  const resGroups: number[] = [];
  {
    const order: number[] = [];
    const weekOfCluster: number[] = [];
    const durations: number[] = [];
    const shiftStart = p.shiftStart;
    const byStart = (a: number, b: number) => shiftStart[edgeShift[a]] - shiftStart[edgeShift[b]] || edgeShift[a] - edgeShift[b];
    for (let r = 0; r < R; r++) {
      order.length = 0;
      for (let i = resEdgeStart[r]; i < resEdgeStart[r + 1]; i++) order.push(resEdges[i]);
      if (order.length > 1) order.sort(byStart);
      // Sweep into overlap components; each becomes a cluster in the week of its first piece.
      // Pieces come in start order, so weeks (and clusters of one week) come in runs.
      const firstCluster = clusterGroup.length;
      weekOfCluster.length = 0;
      let maxEnd = -INF;
      let minEnd = INF;
      let cluster = -1;
      for (const e of order) {
        const s = edgeShift[e];
        if (cluster < 0 || shiftStart[s] >= maxEnd) {
          cluster = clusterGroup.length;
          clusterGroup.push(-1);
          clusterMaxDuration.push(p.shiftDuration[s]);
          weekOfCluster.push(p.shiftWeek[s]);
          maxEnd = p.shiftEnd[s];
          minEnd = p.shiftEnd[s];
        } else {
          // Starts are sorted, so the cluster is a clique while every start is before every end.
          if (shiftStart[s] >= minEnd) flagged[r] = 1;
          if (p.shiftEnd[s] < minEnd) minEnd = p.shiftEnd[s];
          if (p.shiftEnd[s] > maxEnd) maxEnd = p.shiftEnd[s];
          if (p.shiftDuration[s] > clusterMaxDuration[cluster]) clusterMaxDuration[cluster] = p.shiftDuration[s];
        }
        edgeCluster[e] = cluster;
      }
      const count = clusterGroup.length - firstCluster;
      for (let i = 0; i < count; ) {
        const week = weekOfCluster[i];
        let j = i;
        while (j < count && weekOfCluster[j] === week) j++;
        const g = groupResident.length;
        groupResident.push(r);
        const left = p.weekLeft(r, week);
        let cap = j - i;
        if (Number.isFinite(left)) {
          durations.length = 0;
          for (let k = i; k < j; k++) durations.push(clusterMaxDuration[firstCluster + k]);
          durations.sort((a, b) => b - a); // longest first: any `cap` clusters fit
          let used = 0;
          cap = 0;
          for (const d of durations) {
            if (used + d > left) break;
            used += d;
            cap++;
          }
        }
        groupCap.push(cap);
        if (cap < j - i) flagged[r] = 1;
        for (let k = i; k < j; k++) {
          clusterGroup[firstCluster + k] = g;
          groupClusters.push(firstCluster + k);
        }
        groupClustersStart.push(groupClusters.length);
        resGroups.push(g);
        i = j;
      }
      resGroupsStart[r + 1] = resGroups.length;
    }
  }
  const C = clusterGroup.length;
  const G = groupResident.length;
  const CL0 = S;
  const GR0 = S + C;
  const RE0 = S + C + G;
  const T = RE0 + R;
  const N = T + 1;

  // ── Flow state ──
  const edgeFlow = new Uint8Array(E);
  const clusterUsed = new Int32Array(C).fill(-1);
  const groupFlow = new Int32Array(G);
  const resFlow = new Int32Array(R);
  const pot = new Float64Array(N);
  for (let s = 0; s < S; s++) pot[s] = 0;
  for (let c = 0; c < C; c++) pot[CL0 + c] = 0;
  for (let e = 0; e < E; e++) {
    if (edgeCluster[e] < 0) continue;
    const c = CL0 + edgeCluster[e];
    pot[c] = Math.min(pot[c], -p.edgeWeight[e]);
  }
  for (let g = 0; g < G; g++) {
    let m = 0;
    for (let i = groupClustersStart[g]; i < groupClustersStart[g + 1]; i++) m = Math.min(m, pot[CL0 + groupClusters[i]]);
    pot[GR0 + g] = m;
  }
  let potT = 0;
  for (let r = 0; r < R; r++) {
    let m = 0;
    for (let i = resGroupsStart[r]; i < resGroupsStart[r + 1]; i++) m = Math.min(m, pot[GR0 + resGroups[i]]);
    pot[RE0 + r] = m;
    if (p.residentCap[r] > 0) potT = Math.min(potT, p.fairness(p.residentBase[r] + 1) + m);
  }
  pot[T] = potT;

  // ── Successive shortest paths ──
  const edgeStartA = p.edgeStart;
  const edgeWeightA = p.edgeWeight;
  const residentCapA = p.residentCap;
  const residentBaseA = p.residentBase;
  const seatsA = p.seats;
  const dist = new Float64Array(N).fill(INF);
  const pred = new Int32Array(N);
  const predEdge = new Int32Array(N);
  const done = new Uint8Array(N);
  const touched: number[] = [];
  const heap = new Heap(T);
  let augmentations = 0;

  const relax = (v: number, d: number, u: number, e: number) => {
    if (d < dist[v]) {
      if (dist[v] === INF) touched.push(v);
      dist[v] = d;
      pred[v] = u;
      predEdge[v] = e;
      heap.push(d, v);
    }
  };

  // Pieces with the fewest candidates first: their searches stay short (measured: about half
  // the nodes settled of best-weight-first on the benchmark).
  const shiftOrder = Array.from({ length: S }, (_, s) => s);
  const degree = (s: number) => edgeStartA[s + 1] - edgeStartA[s];
  shiftOrder.sort((a, b) => degree(a) - degree(b) || a - b);

  for (const source of shiftOrder) {
    for (let unit = 0; unit < seatsA[source]; unit++) {
      if (edgeStartA[source + 1] === edgeStartA[source]) break; // nobody can take it
      augmentations++;
      heap.size = 0;
      dist[source] = 0;
      pred[source] = -1;
      predEdge[source] = -1;
      touched.push(source);
      heap.push(0, source);
      let dT = INF;
      while (heap.size > 0) {
        heap.pop();
        const u = heap.topNode;
        const du = heap.topKey;
        if (done[u] || du > dist[u]) continue;
        done[u] = 1;
        if (u === T) {
          dT = du;
          break;
        }
        const pu = pot[u];
        if (u < CL0) {
          for (let e = edgeStartA[u]; e < edgeStartA[u + 1]; e++) {
            if (edgeFlow[e] || edgeCluster[e] < 0) continue;
            const v = CL0 + edgeCluster[e];
            if (done[v]) continue;
            relax(v, du + (-edgeWeightA[e] + pu - pot[v]), u, e);
          }
          relax(T, du + (pu - pot[T]), u, -2);
        } else if (u < GR0) {
          const c = u - CL0;
          const used = clusterUsed[c];
          if (used < 0) {
            const v = GR0 + clusterGroup[c];
            if (!done[v]) relax(v, du + (pu - pot[v]), u, -1);
          } else {
            const v = edgeShift[used];
            if (!done[v]) relax(v, du + (edgeWeightA[used] + pu - pot[v]), u, used);
          }
        } else if (u < RE0) {
          const g = u - GR0;
          if (groupFlow[g] < groupCap[g]) {
            const v = RE0 + groupResident[g];
            if (!done[v]) relax(v, du + (pu - pot[v]), u, -1);
          }
          for (let i = groupClustersStart[g]; i < groupClustersStart[g + 1]; i++) {
            const c = groupClusters[i];
            if (clusterUsed[c] < 0) continue;
            const v = CL0 + c;
            if (!done[v]) relax(v, du + (pu - pot[v]), u, -1);
          }
        } else {
          const r = u - RE0;
          if (resFlow[r] < residentCapA[r]) {
            relax(T, du + (p.fairness(residentBaseA[r] + resFlow[r] + 1) + pu - pot[T]), u, -1);
          }
          for (let i = resGroupsStart[r]; i < resGroupsStart[r + 1]; i++) {
            const g = resGroups[i];
            if (groupFlow[g] === 0) continue;
            const v = GR0 + g;
            if (!done[v]) relax(v, du + (pu - pot[v]), u, -1);
          }
        }
      }
      // Potentials: finalized nodes move by d − dT (others would move by 0).
      for (const v of touched) {
        if (done[v] && v !== T) pot[v] += dist[v] - dT;
      }
      // Augment one unit along the path T ← … ← source.
      let v = T;
      let dummy = false;
      while (v !== source) {
        const u = pred[v];
        const e = predEdge[v];
        if (v === T) {
          if (e === -2) dummy = u === source;
          else resFlow[u - RE0]++;
        } else if (v < CL0) {
          // cluster u → shift v: cancel edge e
          edgeFlow[e] = 0;
          if (clusterUsed[u - CL0] === e) clusterUsed[u - CL0] = -1;
        } else if (v < GR0) {
          if (u < CL0) {
            edgeFlow[e] = 1;
            clusterUsed[v - CL0] = e;
          }
          // group → cluster (reverse): the cluster is released by its next arc.
        } else if (v < RE0) {
          if (u >= RE0) groupFlow[v - GR0]--; // resident → group (reverse)
          // cluster → group (forward): nothing to count
        } else {
          groupFlow[u - GR0]++; // group → resident
        }
        v = u;
      }
      for (const t of touched) {
        dist[t] = INF;
        done[t] = 0;
      }
      touched.length = 0;
      if (dummy) break; // the remaining seats of this piece would stay empty too
    }
  }
  p.onPhase?.("flow");

  // ── Phase 2: exact constraints and local search ──
  const chosen = edgeFlow;
  const localMoves = localSearch(p, chosen, edgeShift, resEdgeStart, resEdges, flagged);
  p.onPhase?.("local-search");
  return { chosen, objective: objectiveOf(p, chosen), augmentations, localMoves };
}

/** Σ weights of chosen edges − Σ fairness over each resident's ranks. */
export function objectiveOf(p: OptimizerProblem, chosen: Uint8Array): number {
  const count = new Int32Array(p.residentCount);
  let total = 0;
  for (let e = 0; e < chosen.length; e++) {
    if (!chosen[e]) continue;
    total += p.edgeWeight[e];
    count[p.edgeResident[e]]++;
  }
  for (let r = 0; r < p.residentCount; r++) {
    for (let j = 1; j <= count[r]; j++) total -= p.fairness(p.residentBase[r] + j);
  }
  return total;
}
