import * as maplibregl from "maplibre-gl";
import type { GeoJSONSource, MapLayerMouseEvent, MapMouseEvent, StyleSpecification } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { useEffect, useRef } from "react";
import { AREA_FILL_OPACITY, BASE_COLOURS, baseStyle, CLUSTER_OPACITY, type BaseMap, type MapView } from "./base-map";
import { KIND_COLOURS, toFeatureCollection, type MapResource } from "./map-state";
import { TASK_COLOUR, taskFeatureCollection, type MapTask } from "./task-layer";

/**
 * The resource map (browser only: MapLibre touches `window`; loaded lazily after the list, which
 * is the page). The base is the inline style (a plain background) unless the server configures a
 * style URL or raster tiles (./base-map.ts, decision 065); on top, always, the workspace's area
 * polygons from the database and the resources as one clustered GeoJSON source coloured by kind
 * (same approach as app/features/residents/activity-map.client.tsx). No glyphs are loaded, so
 * clusters show their size by radius instead of a number.
 *
 * The container carries the current viewport (`data-view`, `?view=` syntax) and `data-idle`
 * (every tile and source drawn) for the render checks and the benchmark.
 */

// The worker file is self-contained; loading it from our own origin keeps it within the CSP.
maplibregl.setWorkerUrl(new URL(workerUrl, window.location.href).href);

export interface MapArea {
  id: string;
  name: string;
  polygon: unknown;
}

/** Someone else's lock on a pin, shown as a name tag in their colour. */
export interface PinLock {
  id: string;
  lat: number;
  lng: number;
  name: string;
  colour: string;
}

export interface ResourceMapProps {
  resources: MapResource[];
  areas: MapArea[];
  selected: string | null;
  onSelect: (id: string) => void;
  /** "Click on the map to place": the next click reports its position instead of selecting. */
  placing: boolean;
  onPlace: (lat: number, lng: number) => void;
  /**
   * The selected pin, when the caller may move it: a draggable marker sits on it. `id` is the
   * lock target (`resource:<id>` or `task:<id>`), handed back to the drag callbacks.
   */
  draggable: { id: string; lat: number; lng: number } | null;
  onDragStart: (id: string) => void;
  onDragEnd: (id: string, lat: number, lng: number) => void;
  locks: PinLock[];
  label: string;
  /** The task layer (decision 070), drawn as diamonds above the resources; empty when off. */
  tasks?: MapTask[];
  selectedTask?: string | null;
  onSelectTask?: (id: string) => void;
  /** Resident counts per area, as labelled circles at the areas' centres (empty when off). */
  areaCounts?: Array<{ areaId: string; lat: number; lng: number; label: string }>;
  /** @default the inline style */
  baseMap?: BaseMap;
  /** Open here instead of fitting the workspace's resources and areas. */
  initialView?: MapView | null;
  /**
   * The viewport while it moves (`final` false, every frame) and when it has settled (`final`
   * true), with whether a person moved it.
   */
  onViewChange?: (view: MapView, byUser: boolean, final: boolean) => void;
  /** When set, the map flies to this view (following a facilitator); null leaves it alone. */
  followView?: MapView | null;
}

const INLINE: BaseMap = { kind: "inline" };

const KIND_COLOUR_EXPRESSION = [
  "match",
  ["get", "kind"],
  "PLACE",
  KIND_COLOURS.PLACE,
  "ACTIVITY",
  KIND_COLOURS.ACTIVITY,
  "SERVICE",
  KIND_COLOURS.SERVICE,
  KIND_COLOURS.ORGANIZATION,
] as unknown as maplibregl.ExpressionSpecification;

/** Area polygons as stored (GeoJSON Polygon or MultiPolygon); anything else is left out. */
function areaCollection(areas: MapArea[]): maplibregl.GeoJSONSourceSpecification["data"] {
  return {
    type: "FeatureCollection",
    features: areas
      .filter((a) => {
        const type = (a.polygon as { type?: unknown } | null)?.type;
        return type === "Polygon" || type === "MultiPolygon";
      })
      .map((a) => ({ type: "Feature", properties: { id: a.id, name: a.name }, geometry: a.polygon })),
  } as maplibregl.GeoJSONSourceSpecification["data"];
}

function extend(bounds: maplibregl.LngLatBounds, coordinates: unknown): void {
  if (!Array.isArray(coordinates)) return;
  if (typeof coordinates[0] === "number" && typeof coordinates[1] === "number") bounds.extend([coordinates[0], coordinates[1]]);
  else for (const c of coordinates) extend(bounds, c);
}

export default function ResourceMap(props: ResourceMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const loaded = useRef(false);
  const latest = useRef(props);
  latest.current = props;
  const dragMarker = useRef<{ id: string; marker: maplibregl.Marker; dragging: boolean } | null>(null);
  const lockMarkers = useRef(new Map<string, maplibregl.Marker>());
  const syncRef = useRef<() => void>(() => {});

  useEffect(() => {
    if (!container.current) return;
    const bounds = new maplibregl.LngLatBounds();
    for (const r of props.resources) bounds.extend([r.lng, r.lat]);
    for (const a of props.areas) extend(bounds, (a.polygon as { coordinates?: unknown } | null)?.coordinates);
    const base = props.baseMap ?? INLINE;
    const start = props.initialView;
    const instance = new maplibregl.Map({
      container: container.current,
      style: baseStyle(base) as StyleSpecification | string,
      ...(start
        ? { center: [start.lng, start.lat] as [number, number], zoom: start.zoom }
        : bounds.isEmpty()
          ? { center: [139.6, 35.5] as [number, number], zoom: 12 }
          : { bounds, fitBoundsOptions: { padding: 30, maxZoom: 15 } }),
      // Our own data needs no credit; a configured base map shows its providers' attribution.
      attributionControl: base.kind === "inline" ? false : { compact: false },
    });
    map.current = instance;
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    const viewNow = () => {
      const centre = instance.getCenter();
      return { lat: round6(centre.lat), lng: round6(centre.lng), zoom: Math.round(instance.getZoom() * 100) / 100 };
    };
    const reportView = (byUser: boolean) => {
      const view = viewNow();
      container.current?.setAttribute("data-view", `${view.zoom}/${view.lat}/${view.lng}`);
      latest.current.onViewChange?.(view, byUser, true);
    };
    // `originalEvent` is set when a person pans or zooms; flyTo/easeTo from code leave it out.
    instance.on("move", (event: { originalEvent?: unknown }) => latest.current.onViewChange?.(viewNow(), Boolean(event.originalEvent), false));
    instance.on("moveend", (event: { originalEvent?: unknown }) => reportView(Boolean(event.originalEvent)));
    instance.on("movestart", () => container.current?.setAttribute("data-idle", "false"));
    instance.on("idle", () => container.current?.setAttribute("data-idle", "true"));
    instance.on("load", () => {
      loaded.current = true;
      const now = latest.current;
      const overTiles = base.kind !== "inline";
      instance.addSource("areas", { type: "geojson", data: areaCollection(now.areas) });
      instance.addLayer({
        id: "areas-fill",
        type: "fill",
        source: "areas",
        paint: { "fill-color": BASE_COLOURS.areaFill, "fill-opacity": overTiles ? AREA_FILL_OPACITY.tiles : AREA_FILL_OPACITY.inline },
      });
      instance.addLayer({ id: "areas-line", type: "line", source: "areas", paint: { "line-color": BASE_COLOURS.areaLine, "line-width": 1.5 } });
      instance.addSource("resources", {
        type: "geojson",
        data: toFeatureCollection(now.resources, null),
        cluster: true,
        clusterRadius: 36,
        clusterMaxZoom: 14,
      });
      instance.addLayer({
        id: "clusters",
        type: "circle",
        source: "resources",
        filter: ["has", "point_count"],
        paint: {
          "circle-color": BASE_COLOURS.cluster,
          "circle-opacity": CLUSTER_OPACITY,
          "circle-radius": ["step", ["get", "point_count"], 12, 10, 16, 50, 22],
          "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 2,
        },
      });
      instance.addLayer({
        id: "points",
        type: "circle",
        source: "resources",
        filter: ["!", ["has", "point_count"]],
        paint: { "circle-radius": 8, "circle-color": KIND_COLOUR_EXPRESSION, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 },
      });
      // The selection is drawn from its own (unclustered) source, so it shows inside a cluster too.
      instance.addSource("selected", { type: "geojson", data: selectedCollection(now.resources, now.selected) });
      instance.addLayer({
        id: "selected",
        type: "circle",
        source: "selected",
        paint: { "circle-radius": 13, "circle-color": KIND_COLOUR_EXPRESSION, "circle-stroke-color": "#111111", "circle-stroke-width": 3 },
      });

      // Tasks: a diamond of our own (no sprite server), unclustered, above the resources.
      instance.addImage("task-diamond", taskDiamond(), { pixelRatio: 2 });
      instance.addSource("tasks", { type: "geojson", data: taskFeatureCollection(now.tasks ?? [], now.selectedTask ?? null) });
      instance.addLayer({
        id: "tasks",
        type: "symbol",
        source: "tasks",
        layout: { "icon-image": "task-diamond", "icon-allow-overlap": true, "icon-ignore-placement": true, "icon-size": ["case", ["get", "selected"], 1.5, 1] },
      });

      instance.on("click", (event: MapMouseEvent) => {
        if (latest.current.placing) {
          latest.current.onPlace(round6(event.lngLat.lat), round6(event.lngLat.lng));
          return;
        }
        const hit = instance.queryRenderedFeatures(event.point, { layers: ["tasks", "selected", "points", "clusters"] })[0];
        if (!hit) return;
        if (hit.layer.id === "tasks") {
          const taskId = hit.properties?.id;
          if (typeof taskId === "string") latest.current.onSelectTask?.(taskId);
          return;
        }
        if (hit.layer.id === "clusters") {
          const clusterId = hit.properties?.cluster_id;
          const source = instance.getSource("resources") as GeoJSONSource | undefined;
          if (typeof clusterId === "number" && source) {
            void source
              .getClusterExpansionZoom(clusterId)
              .then((zoom) => instance.easeTo({ center: (hit.geometry as unknown as { coordinates: [number, number] }).coordinates, zoom }))
              .catch(() => {});
          }
          return;
        }
        const id = hit.properties?.id;
        if (typeof id === "string") latest.current.onSelect(id);
      });
      for (const layer of ["points", "clusters", "selected", "tasks"]) {
        instance.on("mouseenter", layer, (_e: MapLayerMouseEvent) => (instance.getCanvas().style.cursor = "pointer"));
        instance.on("mouseleave", layer, () => (instance.getCanvas().style.cursor = latest.current.placing ? "crosshair" : ""));
      }
      container.current?.setAttribute("data-ready", "true");
      reportView(false);
      sync();
    });

    function sync() {
      if (!loaded.current) return;
      const now = latest.current;
      (instance.getSource("resources") as GeoJSONSource | undefined)?.setData(toFeatureCollection(now.resources, null));
      (instance.getSource("selected") as GeoJSONSource | undefined)?.setData(selectedCollection(now.resources, now.selected));
      (instance.getSource("tasks") as GeoJSONSource | undefined)?.setData(taskFeatureCollection(now.tasks ?? [], now.selectedTask ?? null));
      instance.getCanvas().style.cursor = now.placing ? "crosshair" : "";
    }
    syncRef.current = sync;

    const markers = lockMarkers.current;
    return () => {
      loaded.current = false;
      dragMarker.current?.marker.remove();
      dragMarker.current = null;
      for (const marker of markers.values()) marker.remove();
      markers.clear();
      instance.remove();
      map.current = null;
    };
    // The map is built once; later changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    syncRef.current();
  }, [props.resources, props.selected, props.placing, props.tasks, props.selectedTask]);

  // Pan to a task selected in the list when it is off screen.
  useEffect(() => {
    const instance = map.current;
    const chosen = props.tasks?.find((t) => t.id === props.selectedTask);
    if (!instance || !chosen) return;
    if (!instance.getBounds().contains([chosen.lng, chosen.lat])) instance.easeTo({ center: [chosen.lng, chosen.lat], duration: 300 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.selectedTask]);

  // Resident counts per area: labelled circles (HTML markers, so no glyph server is needed).
  const countKey = (props.areaCounts ?? []).map((c) => `${c.areaId}:${c.lat}:${c.lng}:${c.label}`).join("|");
  const countMarkers = useRef(new Map<string, maplibregl.Marker>());
  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    const markers = countMarkers.current;
    const wanted = new Map((latest.current.areaCounts ?? []).map((c) => [c.areaId, c]));
    for (const [id, marker] of markers) {
      if (!wanted.has(id)) {
        marker.remove();
        markers.delete(id);
      }
    }
    for (const count of wanted.values()) {
      let marker = markers.get(count.areaId);
      if (!marker) {
        const element = document.createElement("div");
        element.className = "map-count-tag";
        element.setAttribute("data-area-count", count.areaId);
        marker = new maplibregl.Marker({ element }).setLngLat([count.lng, count.lat]).addTo(instance);
        markers.set(count.areaId, marker);
      }
      marker.getElement().textContent = count.label;
      marker.setLngLat([count.lng, count.lat]);
    }
  }, [countKey]);
  useEffect(() => {
    const markers = countMarkers.current;
    return () => {
      for (const marker of markers.values()) marker.remove();
      markers.clear();
    };
  }, []);

  // Pan to a selection made elsewhere (the list, a deep link) when it is off screen.
  useEffect(() => {
    const instance = map.current;
    const chosen = props.resources.find((r) => r.id === props.selected);
    if (!instance || !chosen) return;
    if (!instance.getBounds().contains([chosen.lng, chosen.lat])) instance.easeTo({ center: [chosen.lng, chosen.lat], duration: 300 });
    // Only a new selection pans; a live move of the selected pin does not pull the view around.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.selected]);

  // Following someone else's viewport (meeting mode): fly there whenever it changes.
  const follow = props.followView;
  const followKey = follow ? `${follow.zoom}/${follow.lat}/${follow.lng}` : "";
  useEffect(() => {
    const instance = map.current;
    if (!instance || !follow) return;
    // Short: while the facilitator moves, a new view arrives every ~80 ms.
    instance.easeTo({ center: [follow.lng, follow.lat], zoom: follow.zoom, duration: 150 });
    // The key captures the view's content; a new object with the same view does not move the map.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [followKey]);

  // The draggable marker on the selected pin.
  const draggable = props.draggable;
  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    const current = dragMarker.current;
    if (!draggable) {
      current?.marker.remove();
      dragMarker.current = null;
      return;
    }
    if (current && current.id === draggable.id) {
      if (!current.dragging) current.marker.setLngLat([draggable.lng, draggable.lat]);
      return;
    }
    current?.marker.remove();
    const element = document.createElement("div");
    element.className = "map-drag-handle";
    element.title = latest.current.label;
    const marker = new maplibregl.Marker({ element, draggable: true }).setLngLat([draggable.lng, draggable.lat]).addTo(instance);
    const entry = { id: draggable.id, marker, dragging: false };
    marker.on("dragstart", () => {
      entry.dragging = true;
      latest.current.onDragStart(entry.id);
    });
    marker.on("dragend", () => {
      entry.dragging = false;
      const { lat, lng } = marker.getLngLat();
      latest.current.onDragEnd(entry.id, round6(lat), round6(lng));
    });
    dragMarker.current = entry;
  }, [draggable]);

  // Name tags on pins someone else is editing or dragging.
  const lockKey = props.locks.map((l) => `${l.id}:${l.lat}:${l.lng}:${l.name}:${l.colour}`).join("|");
  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    const markers = lockMarkers.current;
    const wanted = new Map(latest.current.locks.map((l) => [l.id, l]));
    for (const [id, marker] of markers) {
      if (!wanted.has(id)) {
        marker.remove();
        markers.delete(id);
      }
    }
    for (const lock of wanted.values()) {
      let marker = markers.get(lock.id);
      if (!marker) {
        const element = document.createElement("div");
        element.className = "map-lock-tag";
        marker = new maplibregl.Marker({ element, anchor: "bottom", offset: [0, -12] }).setLngLat([lock.lng, lock.lat]).addTo(instance);
        markers.set(lock.id, marker);
      }
      const element = marker.getElement();
      element.textContent = lock.name;
      element.style.background = lock.colour;
      element.setAttribute("data-lock-for", lock.id);
      marker.setLngLat([lock.lng, lock.lat]);
    }
  }, [lockKey]);

  // The list beside the map carries the same content for keyboard and screen-reader users.
  return <div ref={container} className="map-board__map" role="region" aria-label={props.label} data-selected={props.selected ?? ""} />;
}

function selectedCollection(resources: MapResource[], selected: string | null) {
  const chosen = resources.filter((r) => r.id === selected);
  return toFeatureCollection(chosen, selected);
}

/** A 20×20 (10 CSS px at ratio 2) diamond in the task colour with a white edge. */
function taskDiamond(): { width: number; height: number; data: Uint8Array } {
  const size = 40;
  const data = new Uint8Array(size * size * 4);
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(TASK_COLOUR.slice(i, i + 2), 16));
  const half = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.abs(x + 0.5 - half) + Math.abs(y + 0.5 - half);
      const o = (y * size + x) * 4;
      if (d <= half - 5) data.set([r, g, b, 255], o);
      else if (d <= half - 1) data.set([255, 255, 255, 255], o);
    }
  }
  return { width: size, height: size, data };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
