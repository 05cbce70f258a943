import { ACTIVITY_COLUMNS, OPEN_DATA_LICENSE, PLACE_COLUMNS } from "../../app/features/outcomes/open-data-columns.ts";
import { categoryLabel, resourceCategoryLabel } from "../../app/lib/categories.ts";
import type { PrismaClient } from "../db/client.ts";
import { toCsv } from "../outcomes/csv.ts";

export { OPEN_DATA_LICENSE } from "../../app/features/outcomes/open-data-columns.ts";
export { toCsv } from "../outcomes/csv.ts";

/**
 * Public activities as open data: tasks with PUBLIC visibility that are OPEN, and public
 * activity resources. Only organizational facts (places, times, organizers) — never people.
 * Columns follow the spirit of the municipal standard open-data set 「イベント一覧」; public places
 * follow 「公共施設一覧」. The columns are documented on /open-data from the same lists
 * (app/features/outcomes/open-data-columns.ts). docs/open-data.md.
 */

export interface OpenActivity {
  id: string;
  type: "task" | "activity";
  name: string;
  nameEn: string | null;
  category: string;
  categoryLabel: string;
  description: string;
  organizer: string;
  areaName: string | null;
  placeName: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  isRemote: boolean;
  nextStartsAt: string | null;
  nextEndsAt: string | null;
  schedule: string | null;
  incentives: string[];
  license: string;
}

export interface OpenPlace {
  id: string;
  name: string;
  nameEn: string | null;
  category: string;
  categoryLabel: string;
  description: string;
  address: string | null;
  lat: number;
  lng: number;
  areaName: string | null;
  capacity: number | null;
  openHours: string | null;
  url: string | null;
  manager: string;
  license: string;
}

/** A WGS84 point that GeoJSON can carry (a stray 0/0 or swapped pair never leaves as a feature). */
function validPoint(lat: number, lng: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lng) && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180 && !(lat === 0 && lng === 0);
}

export function createOpenData(prisma: PrismaClient, clock: () => Date = () => new Date()) {
  async function activities(): Promise<OpenActivity[]> {
    const now = clock();
    const [tasks, resources] = await Promise.all([
      prisma.task.findMany({
        where: { visibility: "PUBLIC", status: "OPEN" },
        orderBy: { id: "asc" },
        include: {
          owner: { select: { name: true } },
          area: { select: { name: true } },
          shifts: { where: { endsAt: { gt: now } }, orderBy: { startsAt: "asc" }, take: 1 },
        },
      }),
      prisma.resource.findMany({
        where: { visibility: "PUBLIC", status: "ACTIVE", kind: "ACTIVITY" },
        orderBy: { id: "asc" },
        include: { owner: { select: { name: true } }, area: { select: { name: true } } },
      }),
    ]);
    return [
      ...tasks.map(
        (t): OpenActivity => ({
          id: t.id,
          type: "task",
          name: t.title,
          nameEn: t.titleEn,
          category: t.category,
          categoryLabel: categoryLabel(t.category, "ja"),
          description: t.description,
          organizer: t.owner.name,
          areaName: t.area?.name ?? null,
          placeName: t.isRemote ? "オンライン" : t.locationName,
          address: null,
          lat: t.isRemote ? null : t.lat,
          lng: t.isRemote ? null : t.lng,
          isRemote: t.isRemote,
          nextStartsAt: t.shifts[0]?.startsAt.toISOString() ?? null,
          nextEndsAt: t.shifts[0]?.endsAt.toISOString() ?? null,
          schedule: t.recurrence,
          incentives: t.incentiveKinds,
          license: OPEN_DATA_LICENSE,
        }),
      ),
      ...resources.map(
        (r): OpenActivity => ({
          id: r.id,
          type: "activity",
          name: r.name,
          nameEn: r.nameEn,
          category: r.category,
          categoryLabel: resourceCategoryLabel(r.category, "ja"),
          description: r.description ?? "",
          organizer: r.owner?.name ?? "",
          areaName: r.area?.name ?? null,
          placeName: r.name,
          address: r.address,
          lat: r.lat,
          lng: r.lng,
          isRemote: false,
          nextStartsAt: null,
          nextEndsAt: null,
          schedule: r.openHours,
          incentives: [],
          license: OPEN_DATA_LICENSE,
        }),
      ),
    ];
  }

  /**
   * Public places (Resource kind PLACE, PUBLIC, ACTIVE): organizational facts only. The resource's
   * `contact` is left out on purpose — it may be a person's phone number.
   */
  async function places(): Promise<OpenPlace[]> {
    const rows = await prisma.resource.findMany({
      where: { visibility: "PUBLIC", status: "ACTIVE", kind: "PLACE" },
      orderBy: { id: "asc" },
      select: {
        id: true,
        name: true,
        nameEn: true,
        category: true,
        description: true,
        address: true,
        lat: true,
        lng: true,
        capacity: true,
        openHours: true,
        url: true,
        owner: { select: { name: true } },
        area: { select: { name: true } },
      },
    });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      nameEn: r.nameEn,
      category: r.category,
      categoryLabel: resourceCategoryLabel(r.category, "ja"),
      description: r.description ?? "",
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      areaName: r.area?.name ?? null,
      capacity: r.capacity,
      openHours: r.openHours,
      url: r.url,
      manager: r.owner?.name ?? "",
      license: OPEN_DATA_LICENSE,
    }));
  }

  return {
    activities,
    places,

    async placesGeojson() {
      const items = await places();
      return {
        type: "FeatureCollection" as const,
        license: OPEN_DATA_LICENSE,
        features: items
          .filter((p) => validPoint(p.lat, p.lng))
          .map((p) => {
            const { lat, lng, ...properties } = p;
            return { type: "Feature" as const, id: p.id, geometry: { type: "Point" as const, coordinates: [lng, lat] }, properties };
          }),
      };
    },

    async placesCsv(): Promise<string> {
      const items = await places();
      return toCsv(
        PLACE_COLUMNS.map((c) => c.csv),
        items.map((p) => [
          p.id,
          p.name,
          p.nameEn ?? "",
          p.category,
          p.categoryLabel,
          p.description,
          p.address ?? "",
          p.lat,
          p.lng,
          p.areaName ?? "",
          p.capacity ?? "",
          p.openHours ?? "",
          p.url ?? "",
          p.manager,
          p.license,
        ]),
      );
    },

    async geojson() {
      const items = await activities();
      return {
        type: "FeatureCollection" as const,
        license: OPEN_DATA_LICENSE,
        features: items
          .filter((a) => a.lat != null && a.lng != null && validPoint(a.lat, a.lng))
          .map((a) => {
            const { lat, lng, ...properties } = a;
            return {
              type: "Feature" as const,
              id: a.id,
              geometry: { type: "Point" as const, coordinates: [lng as number, lat as number] },
              properties,
            };
          }),
      };
    },

    async csv(): Promise<string> {
      const items = await activities();
      return toCsv(
        ACTIVITY_COLUMNS.map((c) => c.csv),
        items.map((a) => [
          a.id,
          a.type,
          a.name,
          a.nameEn ?? "",
          a.categoryLabel,
          a.description,
          a.organizer,
          a.areaName ?? "",
          a.placeName ?? "",
          a.address ?? "",
          a.lat ?? "",
          a.lng ?? "",
          a.isRemote ? "1" : "0",
          a.nextStartsAt ?? "",
          a.nextEndsAt ?? "",
          a.schedule ?? "",
          a.incentives.join(" "),
          a.license,
        ]),
      );
    },
  };
}
