import * as maplibregl from "maplibre-gl";
import type {
  GeoJSONSource,
  MapLayerMouseEvent,
  StyleSpecification,
} from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { useEffect, useRef } from "react";

/**
 * The public map of /activities: browser only (this module touches `window`), loaded lazily after
 * the list. No tile server: an inline style with a plain background and the activities as points
 * (and the chosen starting point), so it works offline and leaks no visitor to a third party.
 * The list stays the page; the map mirrors it — choose a point and the list scrolls to the card,
 * press "show on map" in the list and the point is highlighted here.
 */
export interface MapItem {
  id: string;
  title: string;
  point: { lat: number; lng: number };
}

// The worker file is self-contained; loading it from our own origin keeps it within the CSP.
maplibregl.setWorkerUrl(new URL(workerUrl, window.location.href).href);

const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [
    {
      id: "background",
      type: "background",
      paint: { "background-color": "#eef3f1" },
    },
  ],
};

type PointCollection = {
  type: "FeatureCollection";
  features: Array<{
    type: "Feature";
    id?: string;
    properties: Record<string, unknown>;
    geometry: { type: "Point"; coordinates: [number, number] };
  }>;
};

function collection(
  items: MapItem[],
  selected: string | null
): PointCollection {
  return {
    type: "FeatureCollection",
    features: items.map((item) => ({
      type: "Feature",
      id: item.id,
      properties: {
        id: item.id,
        title: item.title,
        selected: item.id === selected,
      },
      geometry: {
        type: "Point",
        coordinates: [item.point.lng, item.point.lat],
      },
    })),
  };
}

export default function ActivityMap({
  items,
  origin,
  selected,
  onSelect,
  label,
}: {
  items: MapItem[];
  origin: { lat: number; lng: number } | null;
  selected: string | null;
  onSelect: (id: string) => void;
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const loaded = useRef(false);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const latest = useRef({ items, selected, origin });
  latest.current = { items, selected, origin };

  useEffect(() => {
    if (!container.current) return;
    const bounds = new maplibregl.LngLatBounds();
    for (const item of items) bounds.extend([item.point.lng, item.point.lat]);
    if (origin) bounds.extend([origin.lng, origin.lat]);
    const instance = new maplibregl.Map({
      container: container.current,
      style: STYLE,
      bounds,
      fitBoundsOptions: { padding: 40, maxZoom: 15 },
      attributionControl: false,
      cooperativeGestures: true,
    });
    map.current = instance;
    instance.addControl(
      new maplibregl.NavigationControl({ showCompass: false }),
      "top-right"
    );
    instance.on("load", () => {
      loaded.current = true;
      const { items: now, selected: chosen, origin: from } = latest.current;
      instance.addSource("activities", {
        type: "geojson",
        data: collection(now, chosen),
      });
      instance.addSource("origin", {
        type: "geojson",
        data: {
          type: "FeatureCollection",
          features: from
            ? [
                {
                  type: "Feature",
                  properties: {},
                  geometry: {
                    type: "Point",
                    coordinates: [from.lng, from.lat],
                  },
                },
              ]
            : [],
        },
      });
      instance.addLayer({
        id: "origin",
        type: "circle",
        source: "origin",
        paint: {
          "circle-radius": 7,
          "circle-color": "#1a56db",
          "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 3,
        },
      });
      instance.addLayer({
        id: "activities",
        type: "circle",
        source: "activities",
        paint: {
          "circle-radius": ["case", ["get", "selected"], 13, 9],
          "circle-color": ["case", ["get", "selected"], "#b34700", "#0b5e55"],
          "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 3,
        },
      });
      instance.on("click", "activities", (event: MapLayerMouseEvent) => {
        const id = event.features?.[0]?.properties?.id;
        if (typeof id === "string") onSelectRef.current(id);
      });
      instance.on(
        "mouseenter",
        "activities",
        () => (instance.getCanvas().style.cursor = "pointer")
      );
      instance.on(
        "mouseleave",
        "activities",
        () => (instance.getCanvas().style.cursor = "")
      );
      container.current?.setAttribute("data-ready", "true");
    });
    return () => {
      loaded.current = false;
      instance.remove();
      map.current = null;
    };
    // The map is built once per list; later changes are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const instance = map.current;
    if (!instance || !loaded.current) return;
    (instance.getSource("activities") as GeoJSONSource | undefined)?.setData(
      collection(items, selected)
    );
    const chosen = items.find((i) => i.id === selected);
    if (chosen)
      instance.easeTo({
        center: [chosen.point.lng, chosen.point.lat],
        duration: 400,
      });
    container.current?.setAttribute("data-selected", selected ?? "");
  }, [items, selected]);

  // Keyboard and screen-reader users have the list (and its "show on map" buttons); the canvas
  // itself is labelled as a picture of that list.
  return (
    <div
      ref={container}
      className="resident-map"
      role="region"
      aria-label={label}
      data-selected={selected ?? ""}
    />
  );
}
