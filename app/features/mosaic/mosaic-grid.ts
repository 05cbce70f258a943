/**
 * The mosaic view of a task (モザイク型, issue 6) as pure functions: a task's pieces laid out as a
 * grid of time × role, each cell counting filled, proposed and open places, and the plan for
 * "このチームで確定": the top proposal of every open place. No I/O, no clock reads: the server
 * (confirm-team) and the page use the same functions, so the team the page shows is the team
 * the page asks for. Rules: docs/decisions/034-mosaic-confirm-team.md.
 */

export type MosaicStage = "SUGGESTED" | "CONTACTING" | "ARRANGING" | "CONFIRMED" | "ACTIVE" | "COMPLETED" | "DECLINED" | "WITHDRAWN";

/** A place is taken by a card in one of these (the booking rules of decision 017). */
export const MOSAIC_FILLED: readonly MosaicStage[] = ["CONFIRMED", "ACTIVE", "COMPLETED"];
/** Proposals still being worked on: candidates for the team. */
export const MOSAIC_OPEN: readonly MosaicStage[] = ["SUGGESTED", "CONTACTING", "ARRANGING"];
/** A piece starting within this with open places needs attention (the board's rule). @default 72 h */
export const MOSAIC_SOON_MS = 72 * 3_600_000;

export interface MosaicResident {
  id: string;
  publicCode: string;
  label: string;
  labelEn: string;
}

export interface MosaicMatch {
  id: string;
  stage: MosaicStage;
  version: number;
  score: number;
  pinned: boolean;
  resident: MosaicResident;
}

export interface MosaicPiece {
  id: string;
  role: string;
  roleEn: string | null;
  startsAt: string;
  endsAt: string;
  headcount: number;
  matches: MosaicMatch[];
}

export interface TeamPick {
  matchId: string;
  shiftId: string;
  residentId: string;
  expectedVersion: number;
}

export type UnfilledReason = "no-candidates" | "started";

export interface TeamPlan {
  picks: TeamPick[];
  /** Places the plan leaves open, per piece. */
  unfilled: Array<{ shiftId: string; missing: number; reason: UnfilledReason }>;
}

const STAGE_RANK: Record<string, number> = { ARRANGING: 3, CONTACTING: 2, SUGGESTED: 1 };
const ms = (iso: string) => Date.parse(iso);

/** Best first: pinned, further along the pipeline, higher score, then id (stable). */
export function compareCandidates(a: MosaicMatch, b: MosaicMatch): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  const rank = (STAGE_RANK[b.stage] ?? 0) - (STAGE_RANK[a.stage] ?? 0);
  if (rank !== 0) return rank;
  if (a.score !== b.score) return b.score - a.score;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const byStart = (a: MosaicPiece, b: MosaicPiece) => ms(a.startsAt) - ms(b.startsAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The team to confirm: for each piece that has not started, in start order, the best proposals
 * up to its open places (headcount minus filled). A resident is never picked twice for
 * overlapping pieces of the task, nor for a piece overlapping one they are already booked on in
 * it (bookings in other tasks are the database's to refuse).
 */
export function planTeam(pieces: readonly MosaicPiece[], now: number): TeamPlan {
  const busy = new Map<string, Array<[number, number]>>();
  const occupy = (residentId: string, from: number, to: number) => busy.set(residentId, [...(busy.get(residentId) ?? []), [from, to]]);
  const overlaps = (residentId: string, from: number, to: number) => (busy.get(residentId) ?? []).some(([a, b]) => a < to && from < b);
  for (const piece of pieces) {
    for (const m of piece.matches) if (MOSAIC_FILLED.includes(m.stage)) occupy(m.resident.id, ms(piece.startsAt), ms(piece.endsAt));
  }
  const picks: TeamPick[] = [];
  const unfilled: TeamPlan["unfilled"] = [];
  for (const piece of [...pieces].sort(byStart)) {
    const filled = piece.matches.filter((m) => MOSAIC_FILLED.includes(m.stage)).length;
    let open = Math.max(0, piece.headcount - filled);
    if (open === 0) continue;
    const from = ms(piece.startsAt);
    const to = ms(piece.endsAt);
    if (from <= now) {
      unfilled.push({ shiftId: piece.id, missing: open, reason: "started" });
      continue;
    }
    const candidates = piece.matches.filter((m) => MOSAIC_OPEN.includes(m.stage)).sort(compareCandidates);
    for (const m of candidates) {
      if (open === 0) break;
      if (overlaps(m.resident.id, from, to)) continue;
      picks.push({ matchId: m.id, shiftId: piece.id, residentId: m.resident.id, expectedVersion: m.version });
      occupy(m.resident.id, from, to);
      open--;
    }
    if (open > 0) unfilled.push({ shiftId: piece.id, missing: open, reason: "no-candidates" });
  }
  return { picks, unfilled };
}

export interface MosaicRow {
  key: string;
  startsAt: string;
  endsAt: string;
}

export interface MosaicColumn {
  key: string;
  role: string;
  roleEn: string | null;
}

export interface MosaicCell {
  pieceIds: string[];
  headcount: number;
  filled: MosaicMatch[];
  /** Open-stage proposals, best first. */
  proposed: MosaicMatch[];
  /** Places nobody fills yet. */
  open: number;
  /** Match ids the team plan would confirm here. */
  picks: string[];
  /** Starts within MOSAIC_SOON_MS (not yet started) with open places. */
  needsAttention: boolean;
  started: boolean;
}

export interface MosaicGrid {
  rows: MosaicRow[];
  columns: MosaicColumn[];
  /** `${row.key}|${column.key}` → cell; absent = no piece at that time for that role. */
  cells: Record<string, MosaicCell>;
  totals: { headcount: number; filled: number; proposed: number; open: number };
  plan: TeamPlan;
}

export const cellKey = (row: string, column: string) => `${row}|${column}`;

/**
 * The grid: one row per distinct time range (by start, then end), one column per role (in the
 * order roles first appear in time), a cell per (time, role) adding up its pieces.
 */
export function buildMosaic(pieces: readonly MosaicPiece[], now: number): MosaicGrid {
  const sorted = [...pieces].sort(byStart);
  const rows: MosaicRow[] = [];
  const columns: MosaicColumn[] = [];
  const rowKeys = new Set<string>();
  const columnKeys = new Set<string>();
  for (const p of sorted) {
    const rowKey = `${new Date(ms(p.startsAt)).toISOString()}/${new Date(ms(p.endsAt)).toISOString()}`;
    if (!rowKeys.has(rowKey)) {
      rowKeys.add(rowKey);
      rows.push({ key: rowKey, startsAt: p.startsAt, endsAt: p.endsAt });
    }
    const columnKey = p.role.normalize("NFKC").trim();
    if (!columnKeys.has(columnKey)) {
      columnKeys.add(columnKey);
      columns.push({ key: columnKey, role: p.role, roleEn: p.roleEn });
    }
  }
  rows.sort((a, b) => ms(a.startsAt) - ms(b.startsAt) || ms(a.endsAt) - ms(b.endsAt));

  const plan = planTeam(pieces, now);
  const picked = new Set(plan.picks.map((p) => p.matchId));
  const cells: Record<string, MosaicCell> = {};
  const totals = { headcount: 0, filled: 0, proposed: 0, open: 0 };
  for (const p of sorted) {
    const key = cellKey(`${new Date(ms(p.startsAt)).toISOString()}/${new Date(ms(p.endsAt)).toISOString()}`, p.role.normalize("NFKC").trim());
    const cell = (cells[key] ??= { pieceIds: [], headcount: 0, filled: [], proposed: [], open: 0, picks: [], needsAttention: false, started: false });
    const filled = p.matches.filter((m) => MOSAIC_FILLED.includes(m.stage));
    const proposed = p.matches.filter((m) => MOSAIC_OPEN.includes(m.stage));
    const open = Math.max(0, p.headcount - filled.length);
    const startsIn = ms(p.startsAt) - now;
    cell.pieceIds.push(p.id);
    cell.headcount += p.headcount;
    cell.filled.push(...filled);
    cell.proposed.push(...proposed);
    cell.proposed.sort(compareCandidates);
    cell.open += open;
    cell.picks.push(...proposed.filter((m) => picked.has(m.id)).map((m) => m.id));
    cell.started ||= startsIn <= 0;
    cell.needsAttention ||= open > 0 && startsIn > 0 && startsIn <= MOSAIC_SOON_MS;
    totals.headcount += p.headcount;
    totals.filled += filled.length;
    totals.proposed += proposed.length;
    totals.open += open;
  }
  return { rows, columns, cells, totals, plan };
}
