import type { Locale } from "~/lib/i18n";

/**
 * Messages of the map's task layer, resident counts and resource edit form (decision 070),
 * Japanese first. Kept next to the feature so the shared dictionary stays small.
 */
const ja = {
  layerTasks: "活動(担い手募集中)",
  layerAreaCounts: "地区ごとの登録住民数",
  areaCountsHelp: "5人未満の地区は「5未満」と表示します。住民の位置は表示しません。",
  areaCountsHeading: "地区ごとの登録住民数",
  areaCountsLoading: "集計を読み込んでいます…",
  areaCountsFailed: "集計を読み込めませんでした",
  areaCountArea: "地区",
  areaCountValue: "登録住民数",
  tasksHeading: "活動の一覧",
  tasksCount: (n: number) => `${n}件`,
  tasksNone: "条件に合う活動はありません",
  tasksHelp: "場所が登録された募集中の活動です。↑ ↓ で選択を移動できます。",
  nextPiece: "次の回",
  noOpenPiece: "空きのある回はありません",
  openPieces: (n: number) => `空きのある回 ${n}件`,
  seats: (open: number, headcount: number) => `空き ${open} / ${headcount}人`,
  taskPlace: "場所",
  taskOpenMosaic: "活動の担い手モザイクを開く",
  taskMoveHelp: "選んだ活動のピンはドラッグして移動できます。位置を変えるとマッチングが再計算されます。",
  taskReadOnly: "ほかの団体の活動です。位置を変更できるのは主催する団体だけです。",
  taskMoved: "活動の位置を保存しました",
  taskEditPosition: "活動の位置を編集",
  taskSaveError: (code: string) =>
    code === "forbidden" ? "この活動の位置を変更する権限がありません" : code === "unavailable" ? "接続できません。時間をおいてお試しください" : `保存できませんでした(${code})`,
  editFields: "内容を編集",
  editFieldsTitle: "資源の内容の編集",
  nameEn: "名称(英語)",
  description: "説明",
  saved: "保存しました",
  conflictBy: (name: string) => `${name}さんが先に変更しています。`,
  conflictFields: "保存しようとした内容は保存していません。現在の内容を確認してから、もう一度編集してください。",
};

export type MapMessages = typeof ja;

const en: MapMessages = {
  layerTasks: "Activities (looking for helpers)",
  layerAreaCounts: "Registered residents per area",
  areaCountsHelp: "Areas with fewer than 5 show “under 5”. No resident's location is shown.",
  areaCountsHeading: "Registered residents per area",
  areaCountsLoading: "Loading the counts…",
  areaCountsFailed: "The counts could not be loaded",
  areaCountArea: "Area",
  areaCountValue: "Registered residents",
  tasksHeading: "Activities",
  tasksCount: (n) => `${n}`,
  tasksNone: "No activity matches",
  tasksHelp: "Open activities with a location. ↑ ↓ move the selection.",
  nextPiece: "Next piece",
  noOpenPiece: "No piece with free seats",
  openPieces: (n) => `${n} piece${n === 1 ? "" : "s"} with free seats`,
  seats: (open, headcount) => `${open} of ${headcount} seats free`,
  taskPlace: "Place",
  taskOpenMosaic: "Open the activity's mosaic",
  taskMoveHelp: "Drag the selected activity's pin to move it. Matching reruns when the location changes.",
  taskReadOnly: "Another organization's activity: only the organizing organization can move it.",
  taskMoved: "The activity's location was saved",
  taskEditPosition: "Edit the activity's location",
  taskSaveError: (code) =>
    code === "forbidden" ? "You may not move this activity" : code === "unavailable" ? "Cannot connect. Please try again later" : `Not saved (${code})`,
  editFields: "Edit details",
  editFieldsTitle: "Edit the resource",
  nameEn: "Name (English)",
  description: "Description",
  saved: "Saved",
  conflictBy: (name) => `${name} changed it first.`,
  conflictFields: "What you tried to save was not saved. Check the current content, then edit again.",
};

export function mapMessages(locale: Locale): MapMessages {
  return locale === "en" ? en : ja;
}
