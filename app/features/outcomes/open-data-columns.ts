/**
 * The columns of the open-data files (issue 9), one list per file: the CSV header (Japanese, in
 * the style of the municipal standard open-data sets), the GeoJSON property that carries the same
 * value, and what it means. The server writes the files from these names and the public page
 * /open-data documents them from the same lists, so the two cannot drift apart.
 */
export interface OpenDataColumn {
  /** The CSV header. */
  csv: string;
  /** The GeoJSON property (null: the column is the geometry or is CSV-only). */
  geojson: string | null;
  ja: string;
  en: string;
  example: string;
}

export const OPEN_DATA_LICENSE = "CC BY 4.0";
export const OPEN_DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja";

export const ACTIVITY_COLUMNS: readonly OpenDataColumn[] = [
  { csv: "ID", geojson: "id", ja: "活動の識別子（変わりません）", en: "Identifier of the activity (stable)", example: "cmabc123…" },
  { csv: "種別", geojson: "type", ja: "task = 募集中の活動（ピースあり）、activity = 地域の活動資源", en: "task = an open activity with pieces; activity = a local activity resource", example: "task" },
  { csv: "名称", geojson: "name", ja: "活動の名称", en: "Name", example: "こども食堂の配膳" },
  { csv: "名称_英語", geojson: "nameEn", ja: "英語の名称（ない場合は空）", en: "Name in English (blank when none)", example: "Children's cafeteria" },
  { csv: "カテゴリー", geojson: "categoryLabel", ja: "分野（GeoJSON の category はコード）", en: "Field (GeoJSON `category` holds the code)", example: "食事・こども食堂" },
  { csv: "説明", geojson: "description", ja: "活動の説明", en: "Description", example: "…" },
  { csv: "主催者", geojson: "organizer", ja: "主催する団体の名称（個人名は載せません）", en: "Organizing organization (never a person)", example: "みどり区社会福祉協議会" },
  { csv: "地区", geojson: "areaName", ja: "地区の名称", en: "Area", example: "北山地区" },
  { csv: "場所名称", geojson: "placeName", ja: "場所の名称（オンラインの場合は「オンライン」）", en: "Place name (「オンライン」 when online)", example: "北山地区センター" },
  { csv: "住所", geojson: "address", ja: "場所の住所（公開施設のみ）", en: "Address of a public place", example: "" },
  { csv: "緯度", geojson: null, ja: "世界測地系 (WGS84) の緯度。GeoJSON では座標 [経度, 緯度]", en: "WGS84 latitude; GeoJSON coordinates are [lng, lat]", example: "35.5301" },
  { csv: "経度", geojson: null, ja: "世界測地系 (WGS84) の経度", en: "WGS84 longitude", example: "139.5012" },
  { csv: "オンライン", geojson: "isRemote", ja: "1 = オンライン、0 = 現地", en: "1 = online, 0 = on site", example: "0" },
  { csv: "次回開始日時", geojson: "nextStartsAt", ja: "次のピースの開始（ISO 8601、UTC）", en: "Next piece starts (ISO 8601, UTC)", example: "2026-12-10T01:00:00.000Z" },
  { csv: "次回終了日時", geojson: "nextEndsAt", ja: "次のピースの終了（ISO 8601、UTC）", en: "Next piece ends", example: "2026-12-10T03:00:00.000Z" },
  { csv: "開催日時の説明", geojson: "schedule", ja: "くり返しの説明など", en: "Recurrence, opening hours", example: "毎週水曜 10時〜12時" },
  { csv: "謝礼等", geojson: "incentives", ja: "交通費・謝礼・地域ポイント・証明書の有無（コード、空白区切り）", en: "Incentive kinds offered (codes, space-separated)", example: "TRANSPORT_FEE CERTIFICATE" },
  { csv: "ライセンス", geojson: "license", ja: "利用条件", en: "License", example: OPEN_DATA_LICENSE },
];

export const PLACE_COLUMNS: readonly OpenDataColumn[] = [
  { csv: "ID", geojson: "id", ja: "場所の識別子（変わりません）", en: "Identifier of the place (stable)", example: "cmabc456…" },
  { csv: "名称", geojson: "name", ja: "施設・場所の名称", en: "Name", example: "北山地区センター" },
  { csv: "名称_英語", geojson: "nameEn", ja: "英語の名称（ない場合は空）", en: "Name in English (blank when none)", example: "Kitayama Community Center" },
  { csv: "種別コード", geojson: "category", ja: "場所の種類のコード", en: "Category code", example: "hub" },
  { csv: "種別", geojson: "categoryLabel", ja: "場所の種類", en: "Category", example: "地域の拠点" },
  { csv: "説明", geojson: "description", ja: "場所の説明", en: "Description", example: "…" },
  { csv: "住所", geojson: "address", ja: "所在地", en: "Address", example: "みどり区北山町1-2-3" },
  { csv: "緯度", geojson: null, ja: "世界測地系 (WGS84) の緯度。GeoJSON では座標 [経度, 緯度]", en: "WGS84 latitude; GeoJSON coordinates are [lng, lat]", example: "35.5301" },
  { csv: "経度", geojson: null, ja: "世界測地系 (WGS84) の経度", en: "WGS84 longitude", example: "139.5012" },
  { csv: "地区", geojson: "areaName", ja: "地区の名称", en: "Area", example: "北山地区" },
  { csv: "収容人数", geojson: "capacity", ja: "定員（わからない場合は空）", en: "Capacity (blank when unknown)", example: "30" },
  { csv: "利用可能時間", geojson: "openHours", ja: "開いている時間", en: "Opening hours", example: "9:00〜17:00（月曜休み）" },
  { csv: "URL", geojson: "url", ja: "案内のページ", en: "Web page", example: "https://…" },
  { csv: "管理団体", geojson: "manager", ja: "場所を提供・管理する団体の名称（個人名・連絡先は載せません）", en: "Managing organization (no person, no contact)", example: "北山町内会" },
  { csv: "ライセンス", geojson: "license", ja: "利用条件", en: "License", example: OPEN_DATA_LICENSE },
];

export const OPEN_DATA_FILES = [
  { path: "/api/v1/open-data/activities.csv", kind: "activities", format: "CSV" },
  { path: "/api/v1/open-data/activities.geojson", kind: "activities", format: "GeoJSON" },
  { path: "/api/v1/open-data/places.csv", kind: "places", format: "CSV" },
  { path: "/api/v1/open-data/places.geojson", kind: "places", format: "GeoJSON" },
] as const;
