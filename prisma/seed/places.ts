/**
 * The demo workspace and its four 地区. つなぐ市みどり区 is fictional, but it sits where a real
 * suburban ward of a Japanese city would (about 35.51N 139.52E, west of Yokohama's centre), with
 * adjacent districts of about 4 km² and the population density of a commuter suburb.
 */
import { createRng, hashSeed } from "./random.ts";
import { polygonCentroid, round6, type GeoJsonPolygon, type Position } from "./geo.ts";

export const DEMO_WORKSPACE = {
  id: "seed-ws-midori",
  slug: "midori-ku",
  name: "みどり区つなぐプラットフォーム(デモ)",
  nameEn: "Midori Ward Tsunagu Platform (demo)",
  municipality: "つなぐ市みどり区",
  timezone: "Asia/Tokyo",
} as const;

export type AreaKey = "kitayama" | "higashidai" | "sakuragawa" | "chuo";

export type AreaSpec = {
  key: AreaKey;
  id: string;
  code: string;
  name: string;
  nameEn: string;
  population: number;
  households: number;
  /** 町名 used for fake addresses inside the area. */
  towns: readonly string[];
  /** Cell in the 2 × 2 grid of district nodes: column (west → east), row (south → north). */
  cell: readonly [col: number, row: number];
};

export const AREA_SPECS: readonly AreaSpec[] = [
  {
    key: "kitayama", id: "seed-area-kitayama", code: "MD01", name: "北山地区", nameEn: "Kitayama",
    population: 21_840, households: 9_870, towns: ["北山町", "長坂町", "みどり台"], cell: [0, 1],
  },
  {
    key: "higashidai", id: "seed-area-higashidai", code: "MD02", name: "東台地区", nameEn: "Higashidai",
    population: 27_310, households: 11_420, towns: ["東台", "若葉台", "青葉町"], cell: [1, 1],
  },
  {
    key: "sakuragawa", id: "seed-area-sakuragawa", code: "MD03", name: "桜川地区", nameEn: "Sakuragawa",
    population: 18_620, households: 8_150, towns: ["桜川町", "川辺町", "田中町"], cell: [0, 0],
  },
  {
    key: "chuo", id: "seed-area-chuo", code: "MD04", name: "中央地区", nameEn: "Chuo",
    population: 31_450, households: 15_980, towns: ["中央", "本町", "栄町"], cell: [1, 0],
  },
];

/**
 * District corner nodes [lng, lat], indexed [row][col] from the south-west. Slightly irregular on
 * purpose: real 地区 boundaries follow roads and rivers, not a grid.
 */
const NODES: Position[][] = [
  [[139.5006, 35.4996], [139.5238, 35.5008], [139.5466, 35.4989]],
  [[139.4991, 35.5172], [139.5229, 35.5181], [139.5473, 35.5168]],
  [[139.5012, 35.5349], [139.5241, 35.5338], [139.5459, 35.5352]],
];

/**
 * The boundary between two nodes as a polyline (both ends included). Interior vertices wiggle
 * perpendicular to the edge by a deterministic amount derived from the edge's key, and a shared
 * edge is computed once in canonical direction, so neighbouring areas share exactly the same
 * vertices (no gaps, no overlaps).
 */
function edge(a: [row: number, col: number], b: [row: number, col: number]): Position[] {
  const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const [from, to] = forward ? [a, b] : [b, a];
  const rng = createRng(hashSeed(20_240_401, `${from.join(",")}-${to.join(",")}`));
  const p = NODES[from[0]][from[1]];
  const q = NODES[to[0]][to[1]];
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const length = Math.hypot(dx, dy);
  const nx = -dy / length;
  const ny = dx / length;
  const points: Position[] = [p];
  const interior = 4;
  for (let k = 1; k <= interior; k++) {
    const t = k / (interior + 1);
    const offset = rng.range(-0.0009, 0.0009);
    points.push([round6(p[0] + dx * t + nx * offset), round6(p[1] + dy * t + ny * offset)]);
  }
  points.push(q);
  return forward ? points : points.reverse();
}

/** The area's GeoJSON Polygon: one closed, counter-clockwise ring in [lng, lat] order. */
export function areaPolygon(spec: AreaSpec): GeoJsonPolygon {
  const [col, row] = spec.cell;
  const sw: [number, number] = [row, col];
  const se: [number, number] = [row, col + 1];
  const ne: [number, number] = [row + 1, col + 1];
  const nw: [number, number] = [row + 1, col];
  const ring: Position[] = [
    ...edge(sw, se).slice(0, -1),
    ...edge(se, ne).slice(0, -1),
    ...edge(ne, nw).slice(0, -1),
    ...edge(nw, sw).slice(0, -1),
  ];
  ring.push([ring[0][0], ring[0][1]]);
  return { type: "Polygon", coordinates: [ring] };
}

export function areaCenter(spec: AreaSpec): { lat: number; lng: number } {
  const c = polygonCentroid(areaPolygon(spec));
  return { lat: round6(c.lat), lng: round6(c.lng) };
}

export function areaByKey(key: AreaKey): AreaSpec {
  const found = AREA_SPECS.find((a) => a.key === key);
  if (!found) throw new Error(`unknown area ${key}`);
  return found;
}
