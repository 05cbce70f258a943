/**
 * Which residents could possibly take a piece: a spatial grid of residents' homes per
 * organization they may work with (sharing rules) and per skill they hold (a piece requiring a
 * skill only looks at its holders), in bands of travel distance (each band with its own cell
 * size, so that a query looks at about 30 cells per band), plus a bitmap of the half-hour slots
 * of the week in which each resident has weekly free time. A query returns a superset of the
 * feasible residents; the exact checks follow (pairs.ts).
 */

export const SLOT_MINUTES = 30;
export const SLOTS_PER_WEEK = (7 * 1440) / SLOT_MINUTES;
/** 32-bit words of one resident's slot bitmap. */
export const SLOT_WORDS = Math.ceil(SLOTS_PER_WEEK / 32);
/** Upper travel distance (m) of each band; residents beyond the last one are kept unbanded. */
const BANDS = [500, 1000, 1500, 2000, 3000, 5000, 10_000] as const;
const UNBANDED = BANDS.length;
/** Cell coordinates are kept within ±2^14 of an origin so that keys stay small integers. */
const CELL_OFFSET = 1 << 14;
/** Channels per organization: everyone, then one per skill index. */
const CHANNELS = 1 << 12;

export interface IndexedResident {
  /** Organizations (indices) whose pieces the resident may be proposed to. */
  orgs: readonly number[];
  /** Skill indices held (each < 4095). */
  skills: readonly number[];
  slots: readonly number[];
  /** Projected home in metres; NaN when unknown or not projectable. */
  x: number;
  y: number;
  /** Travel distance; Infinity puts the resident on the always-examined list. */
  travel: number;
  /** False: only remote pieces are possible. */
  hasHome: boolean;
}

function bandOf(travel: number): number {
  for (let b = 0; b < BANDS.length; b++) if (travel <= BANDS[b]) return b;
  return UNBANDED;
}

function cellSize(band: number): number {
  return BANDS[band] / 2;
}

function cellKey(cx: number, cy: number): number {
  return (cx + CELL_OFFSET) * 2 * CELL_OFFSET + (cy + CELL_OFFSET);
}

function inRange(cx: number, cy: number): boolean {
  return cx > -CELL_OFFSET && cx < CELL_OFFSET && cy > -CELL_OFFSET && cy < CELL_OFFSET;
}

export class ResidentIndex {
  /** (org, channel, band) → cell → residents with a home. */
  private readonly grids = new Map<number, Map<number, number[]>>();
  /** (org, channel) → every resident (with or without a home), for remote pieces. */
  private readonly flat = new Map<number, number[]>();
  /** (org, channel) → residents beyond the last band, for in-person pieces. */
  private readonly far = new Map<number, number[]>();
  /** Residents listed per skill channel, to pick the most selective one. */
  private readonly perSkill: number[] = [];
  /** What each resident was indexed with, for removal. */
  private readonly listed = new Map<number, IndexedResident>();
  /** Slot bitmaps, SLOT_WORDS words per resident. */
  private bits = new Int32Array(1024 * SLOT_WORDS);
  /** Projected origin (m) of cell coordinates, set by the first home indexed. */
  private originX = Number.NaN;
  private originY = Number.NaN;

  add(resident: number, rec: IndexedResident): void {
    if (this.bits.length < (resident + 1) * SLOT_WORDS) {
      const grown = new Int32Array(Math.max((resident + 1) * SLOT_WORDS, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const base = resident * SLOT_WORDS;
    this.bits.fill(0, base, base + SLOT_WORDS);
    for (const q of rec.slots) this.bits[base + (q >> 5)] |= 1 << (q & 31);
    if (Number.isNaN(this.originX) && Number.isFinite(rec.x) && Number.isFinite(rec.y)) {
      this.originX = Math.round(rec.x / 10_000) * 10_000;
      this.originY = Math.round(rec.y / 10_000) * 10_000;
    }
    for (const k of rec.skills) if (k + 1 < CHANNELS) this.perSkill[k] = (this.perSkill[k] ?? 0) + 1;
    this.eachList(rec, (list) => list.push(resident));
    this.listed.set(resident, rec);
  }

  remove(resident: number): void {
    const rec = this.listed.get(resident);
    if (!rec) return;
    for (const k of rec.skills) if (k + 1 < CHANNELS) this.perSkill[k]--;
    this.eachList(rec, (list) => {
      const i = list.indexOf(resident);
      if (i >= 0) list.splice(i, 1);
    });
    this.listed.delete(resident);
    const base = resident * SLOT_WORDS;
    this.bits.fill(0, base, base + SLOT_WORDS);
  }

  /** Calls `fn` with every list the resident belongs in (creating them as needed). */
  private eachList(rec: IndexedResident, fn: (list: number[]) => void): void {
    const hasHome = rec.hasHome;
    let band = Number.isFinite(rec.x) && Number.isFinite(rec.y) ? bandOf(rec.travel) : UNBANDED;
    const x = rec.x - this.originX;
    const y = rec.y - this.originY;
    // A home thousands of km from the others goes to the unbanded list (still exact).
    if (hasHome && band !== UNBANDED && !inRange(Math.floor(x / cellSize(0)), Math.floor(y / cellSize(0)))) band = UNBANDED;
    const size = band === UNBANDED ? 0 : cellSize(band);
    const cell = band === UNBANDED ? 0 : cellKey(Math.floor(x / size), Math.floor(y / size));
    for (const org of rec.orgs) {
      for (let c = -1; c < rec.skills.length; c++) {
        const channel = c < 0 ? 0 : rec.skills[c] + 1;
        if (channel >= CHANNELS) continue;
        const oc = org * CHANNELS + channel;
        fn(listOf(this.flat, oc));
        if (!hasHome) continue;
        if (band === UNBANDED) {
          fn(listOf(this.far, oc));
          continue;
        }
        let grid = this.grids.get(oc * 8 + band);
        if (!grid) this.grids.set(oc * 8 + band, (grid = new Map()));
        fn(listOf(grid, cell));
      }
    }
  }

  /** The most selective channel for a piece requiring these skills (0 = everyone). */
  channelFor(skills: readonly number[]): number {
    let best = 0;
    let count = Number.POSITIVE_INFINITY;
    for (const k of skills) {
      if (k + 1 >= CHANNELS) continue;
      const n = this.perSkill[k] ?? 0;
      if (n < count) {
        count = n;
        best = k + 1;
      }
    }
    return best;
  }

  /**
   * Appends to `out` every resident allowed to work with `org`, listed in `channel` (see
   * {@link channelFor}), free at some time of `slot` of the week, and (unless `point` is null,
   * for remote pieces) whose home may be within their travel distance of `point`. Each resident
   * appears at most once.
   */
  query(org: number, channel: number, slot: number, point: { x: number; y: number } | null, out: number[]): void {
    const bits = this.bits;
    const word = slot >> 5;
    const mask = 1 << (slot & 31);
    const take = (list: number[] | undefined) => {
      if (!list) return;
      for (let i = 0; i < list.length; i++) {
        const r = list[i];
        if (bits[r * SLOT_WORDS + word] & mask) out.push(r);
      }
    };
    const oc = org * CHANNELS + channel;
    if (point === null) {
      take(this.flat.get(oc));
      return;
    }
    take(this.far.get(oc));
    if (Number.isNaN(this.originX)) return;
    const px = point.x - this.originX;
    const py = point.y - this.originY;
    for (let band = 0; band < BANDS.length; band++) {
      const grid = this.grids.get(oc * 8 + band);
      if (!grid) continue;
      const size = cellSize(band);
      const reach = BANDS[band] * 1.01 + 10;
      const cx0 = Math.max(1 - CELL_OFFSET, Math.floor((px - reach) / size));
      const cx1 = Math.min(CELL_OFFSET - 1, Math.floor((px + reach) / size));
      const cy0 = Math.max(1 - CELL_OFFSET, Math.floor((py - reach) / size));
      const cy1 = Math.min(CELL_OFFSET - 1, Math.floor((py + reach) / size));
      for (let cx = cx0; cx <= cx1; cx++) {
        // Distance from the point to the cell's x range.
        const dx = Math.max(0, cx * size - px, px - (cx + 1) * size);
        if (dx > reach) continue;
        for (let cy = cy0; cy <= cy1; cy++) {
          const dy = Math.max(0, cy * size - py, py - (cy + 1) * size);
          if (dx * dx + dy * dy > reach * reach) continue;
          take(grid.get(cellKey(cx, cy)));
        }
      }
    }
  }
}

function listOf(map: Map<number, number[]>, key: number): number[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
