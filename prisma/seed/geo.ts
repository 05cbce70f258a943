/**
 * Small WGS84 helpers for the demo seed: areas are GeoJSON Polygons with [lng, lat] positions.
 * Equirectangular approximations are accurate enough at ward scale (a few km).
 */
import type { Rng } from "./random.ts";

export type Position = [lng: number, lat: number];
export type GeoJsonPolygon = { type: "Polygon"; coordinates: Position[][] };

const EARTH_RADIUS_M = 6_371_008.8;
const toRad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function distanceM(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const dLat = toRad(bLat - aLat);
  const dLng = toRad(bLng - aLng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRad(aLat)) * Math.cos(toRad(bLat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ray casting on the outer ring (the demo polygons have no holes). */
export function pointInPolygon(lng: number, lat: number, polygon: GeoJsonPolygon): boolean {
  const ring = polygon.coordinates[0];
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function boundingBox(polygon: GeoJsonPolygon) {
  const ring = polygon.coordinates[0];
  const lngs = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return {
    minLng: Math.min(...lngs),
    maxLng: Math.max(...lngs),
    minLat: Math.min(...lats),
    maxLat: Math.max(...lats),
  };
}

/** Signed shoelace area in degree² (positive = counter-clockwise, as RFC 7946 asks). */
export function signedRingArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return sum / 2;
}

/** Area in km² (local equirectangular projection). */
export function polygonAreaKm2(polygon: GeoJsonPolygon): number {
  const ring = polygon.coordinates[0];
  const lat0 = toRad(ring[0][1]);
  const kmPerDegLat = (Math.PI * EARTH_RADIUS_M) / 180 / 1000;
  const kmPerDegLng = kmPerDegLat * Math.cos(lat0);
  return Math.abs(signedRingArea(ring)) * kmPerDegLat * kmPerDegLng;
}

/** Area-weighted centroid of the outer ring. */
export function polygonCentroid(polygon: GeoJsonPolygon): { lat: number; lng: number } {
  const ring = polygon.coordinates[0];
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const cross = ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
    a += cross;
    cx += (ring[i][0] + ring[i + 1][0]) * cross;
    cy += (ring[i][1] + ring[i + 1][1]) * cross;
  }
  a /= 2;
  return { lng: cx / (6 * a), lat: cy / (6 * a) };
}

export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * A uniformly random point inside the polygon (rejection sampling in the bounding box), rounded to
 * 6 decimals (≈ 10 cm) and re-checked after rounding, so the stored point is inside too.
 * `margin` (degrees) keeps the point away from the border, so another tool's point-in-polygon test
 * with a slightly different edge rule agrees.
 */
export function randomPointInPolygon(
  rng: Rng,
  polygon: GeoJsonPolygon,
  margin = 0.0004,
): { lat: number; lng: number } {
  const box = boundingBox(polygon);
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const lng = round6(rng.range(box.minLng, box.maxLng));
    const lat = round6(rng.range(box.minLat, box.maxLat));
    if (!pointInPolygon(lng, lat, polygon)) continue;
    if (
      margin > 0 &&
      !(
        pointInPolygon(lng + margin, lat, polygon) &&
        pointInPolygon(lng - margin, lat, polygon) &&
        pointInPolygon(lng, lat + margin, polygon) &&
        pointInPolygon(lng, lat - margin, polygon)
      )
    ) {
      continue;
    }
    return { lat, lng };
  }
  throw new Error("no point found inside the polygon");
}

/** A random point within `radiusM` of a centre that is also inside the polygon. */
export function randomPointNear(
  rng: Rng,
  polygon: GeoJsonPolygon,
  center: { lat: number; lng: number },
  radiusM: number,
): { lat: number; lng: number } {
  const mPerDegLat = 111_195;
  const mPerDegLng = mPerDegLat * Math.cos(toRad(center.lat));
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const r = radiusM * Math.sqrt(rng.next());
    const theta = rng.range(0, 2 * Math.PI);
    const lat = round6(center.lat + (r * Math.sin(theta)) / mPerDegLat);
    const lng = round6(center.lng + (r * Math.cos(theta)) / mPerDegLng);
    if (pointInPolygon(lng, lat, polygon) && pointInPolygon(lng + 0.0003, lat, polygon) &&
      pointInPolygon(lng - 0.0003, lat, polygon) && pointInPolygon(lng, lat + 0.0003, polygon) &&
      pointInPolygon(lng, lat - 0.0003, polygon)) {
      return { lat, lng };
    }
  }
  return randomPointInPolygon(rng, polygon);
}
