/** Distances on the WGS84 sphere: exact haversine for the constraint, a flat prefilter for speed. */

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres. */
export function haversineM(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const dLat = (bLat - aLat) * RAD;
  const dLng = (bLng - aLng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * RAD) * Math.cos(bLat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A flat projection used only to reject far pairs cheaply. x uses the cosine of the largest
 * |latitude| in the data, so projected distances never exceed true ones by more than the margin
 * applied in {@link FlatProjection.mayBeWithin}; the haversine check decides.
 */
export class FlatProjection {
  private readonly xScale: number;
  private readonly yScale = EARTH_RADIUS_M * RAD;
  /** Points beyond this |latitude| may be under-projected: callers must not rely on them. */
  readonly maxAbsLat: number;

  constructor(maxAbsLat: number) {
    this.maxAbsLat = Math.min(89, Math.abs(maxAbsLat));
    this.xScale = EARTH_RADIUS_M * RAD * Math.cos(this.maxAbsLat * RAD);
  }

  /** Is the projection conservative (never longer than true distances) at this latitude? */
  covers(lat: number): boolean {
    return Math.abs(lat) <= this.maxAbsLat;
  }

  x(lng: number): number {
    return lng * this.xScale;
  }

  y(lat: number): number {
    return lat * this.yScale;
  }

  /** Conservative: true for every pair within `radius` metres (and some beyond). */
  static mayBeWithin(dx: number, dy: number, radius: number): boolean {
    const r = radius * 1.01 + 10;
    return dx * dx + dy * dy <= r * r;
  }
}
