import type { StyleSpecification } from "maplibre-gl";

/**
 * The base map under our layers (docs/map.md, decision 065). Pure and isomorphic: the route's
 * loader turns the server's settings into a `BaseMap`, the browser turns that into a MapLibre
 * style. Three cases, by precedence:
 *
 * 1. `MAP_STYLE_URL` — a full MapLibre style from a map server; our layers go on top of it.
 * 2. `MAP_TILE_URL` — raster tiles (e.g. 地理院タイル) under our layers, with their attribution.
 * 3. nothing — the inline style: a plain background, the areas and our layers. No third party.
 */

export interface Attribution {
  /** Plain text shown in the map's attribution control, e.g. 「地理院タイル」. */
  text: string;
  /** Where the text links to (http(s) only), or null for plain text. */
  url: string | null;
}

export type BaseMap =
  | { kind: "inline" }
  | { kind: "style"; url: string }
  | { kind: "raster"; tiles: string; attribution: Attribution | null; maxZoom: number };

export interface BaseMapSettings {
  MAP_STYLE_URL?: string | null;
  MAP_TILE_URL?: string | null;
  MAP_TILE_ATTRIBUTION?: string | null;
  MAP_TILE_ATTRIBUTION_URL?: string | null;
}

/** Colours of the inline style; the render checks (tests/e2e/map-render.test.ts) read them back. */
export const BASE_COLOURS = {
  background: "#eef3f1",
  areaFill: "#d8e6df",
  areaLine: "#6b8f80",
  cluster: "#44546a",
} as const;
/** Area fill opacity over the plain background, and (lighter) over tiles so the tiles stay legible. */
export const AREA_FILL_OPACITY = { inline: 0.6, tiles: 0.25 } as const;
export const CLUSTER_OPACITY = 0.85;

/**
 * 地理院タイル's terms ask for the source to be named: when the tiles come from the GSI server and
 * nothing else was configured, the attribution is 「地理院タイル」 with a link to the tile list.
 */
const GSI_HOST = "cyberjapandata.gsi.go.jp";
const GSI_ATTRIBUTION: Attribution = { text: "地理院タイル", url: "https://maps.gsi.go.jp/development/ichiran.html" };
/** 地理院タイル's standard map goes to zoom 18; other raster servers are assumed the same. */
const RASTER_MAX_ZOOM = 18;

const httpUrl = (value: string | null | undefined): string | null => {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? value : null;
  } catch {
    return null;
  }
};

/** The base map the settings ask for (anything malformed falls back to the inline style). */
export function baseMapFromSettings(settings: BaseMapSettings): BaseMap {
  const style = httpUrl(settings.MAP_STYLE_URL);
  if (style) return { kind: "style", url: style };
  // `{z}` etc. are not valid in every URL parser position: check the template with them filled in.
  const tiles = settings.MAP_TILE_URL ?? null;
  if (tiles && httpUrl(tiles.replace(/\{[a-z]+\}/g, "0"))) {
    const text = settings.MAP_TILE_ATTRIBUTION?.trim();
    let attribution: Attribution | null = text ? { text, url: httpUrl(settings.MAP_TILE_ATTRIBUTION_URL) } : null;
    if (!attribution && new URL(tiles.replace(/\{[a-z]+\}/g, "0")).hostname === GSI_HOST) attribution = GSI_ATTRIBUTION;
    return { kind: "raster", tiles, attribution, maxZoom: RASTER_MAX_ZOOM };
  }
  return { kind: "inline" };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * MapLibre's attribution control renders its strings as HTML: the configured text is escaped and
 * the link is a plain http(s) anchor opening in a new tab.
 */
export function attributionHtml(attribution: Attribution): string {
  const text = escapeHtml(attribution.text);
  const url = httpUrl(attribution.url);
  return url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
}

/** The style MapLibre starts from; our own sources and layers are added on `load` in every case. */
export function baseStyle(base: BaseMap): StyleSpecification | string {
  if (base.kind === "style") return base.url;
  const background = { id: "background", type: "background" as const, paint: { "background-color": BASE_COLOURS.background } };
  if (base.kind === "inline") return { version: 8, sources: {}, layers: [background] };
  return {
    version: 8,
    sources: {
      "base-tiles": {
        type: "raster",
        tiles: [base.tiles],
        tileSize: 256,
        maxzoom: base.maxZoom,
        ...(base.attribution ? { attribution: attributionHtml(base.attribution) } : {}),
      },
    },
    layers: [background, { id: "base-tiles", type: "raster", source: "base-tiles" }],
  };
}

/** A shared or linked viewport: centre and zoom (bearing and pitch stay 0 on this map). */
export interface MapView {
  lat: number;
  lng: number;
  zoom: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * `?view=<zoom>/<lat>/<lng>` (the order of the common "#map=" convention): opens the map there
 * instead of fitting the workspace. Anything out of range is ignored.
 */
export function parseView(value: string | null | undefined): MapView | null {
  if (!value) return null;
  const parts = value.split("/");
  if (parts.length !== 3) return null;
  const [zoom, lat, lng] = parts.map((p) => (p.trim() === "" ? NaN : Number(p)));
  if (![zoom, lat, lng].every(Number.isFinite)) return null;
  if (zoom < 0 || zoom > 22 || Math.abs(lat) > 85 || Math.abs(lng) > 180) return null;
  return { zoom, lat, lng };
}

export function formatView(view: MapView): string {
  return `${round(view.zoom, 2)}/${round(view.lat, 6)}/${round(view.lng, 6)}`;
}
