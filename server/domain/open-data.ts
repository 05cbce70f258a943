import { categoryLabel, resourceCategoryLabel } from "../../app/lib/categories.ts";
import type { PrismaClient } from "../db/client.ts";

/**
 * Public activities as open data: tasks with PUBLIC visibility that are OPEN, and public
 * activity resources. Only organizational facts (places, times, organizers) — never people.
 * Columns follow the spirit of the municipal standard open-data set 「イベント一覧」.
 */
export const OPEN_DATA_LICENSE = "CC BY 4.0";

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

  return {
    activities,

    async geojson() {
      const items = await activities();
      return {
        type: "FeatureCollection" as const,
        license: OPEN_DATA_LICENSE,
        features: items
          .filter((a) => a.lat != null && a.lng != null)
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
        ["ID", "種別", "名称", "名称_英語", "カテゴリー", "説明", "主催者", "地区", "場所名称", "住所", "緯度", "経度", "オンライン", "次回開始日時", "次回終了日時", "開催日時の説明", "謝礼等", "ライセンス"],
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

/** RFC 4180 CSV with a BOM so that Excel in Japan opens it as UTF-8. */
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (value: string | number) => {
    const s = String(value);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return "\uFEFF" + [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
