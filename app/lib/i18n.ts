/**
 * Tiny typed dictionary, Japanese first, English second. No library: the set of strings is small,
 * and a plain object keeps every key checked by the compiler (a missing English string is a type
 * error). Isomorphic: the server resolves the locale, the browser only looks strings up.
 */

export const LOCALES = ["ja", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "ja";
/** Cookie that remembers an explicit choice made with `?lang=`. */
export const LOCALE_COOKIE = "lang";
export const LOCALE_QUERY_PARAM = "lang";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

const ja = {
  productName: "つなぐ Tsunagu",
  productTagline: "地域の活動と人をつなぐ協働ワークスペース",
  skipToContent: "本文へ移動",
  languageNav: "表示言語",
  login: "ログイン",
  logout: "ログアウト",
  signedInAs: (name: string) => `${name} さん`,
  mainNav: "メインメニュー",
  navPublicActivities: "募集中の活動",
  navMyWorkspace: "マイ・プラットフォーム",
  navFindActivities: "近くの活動をさがす",
  navRegister: "担い手登録",
  footerNote: "つなぐ — 行政・社協・NPO・企業・大学・自治会の協働のために",
  listSeparator: "・",

  notFoundTitle: "ページが見つかりません",
  notFoundBody: "お探しのページは、移動または削除された可能性があります。URLをご確認ください。",
  forbiddenTitle: "このページを表示する権限がありません",
  forbiddenBody: "このプラットフォームに参加している団体のメンバーだけが見られます。必要な場合は、団体の管理者にお問い合わせください。",
  errorTitle: "問題が発生しました",
  errorBody: "時間をおいて、もう一度お試しください。解決しない場合は、コーディネーターにお問い合わせください。",
  errorStatus: (status: number) => `エラーコード ${status}`,
  backHome: "トップページへ戻る",

  homeTitle: "地域の活動と、人をつなぐ",
  homeIntro:
    "つなぐ（Tsunagu）は、行政・社会福祉協議会・NPO・企業・大学・自治会が一緒に使う、地域の協働ワークスペースです。見守り・子育て・防災などの地域の活動を、時間やスキルに合わせた小さな「ピース」に分けて、「少しなら手伝える」住民の皆さんとつなぎます。コーディネーターはマッチングや地域カルテをリアルタイムで共有し、住民の個人情報は本人が同意した範囲でだけ共有されます。",
  publicActivitiesHeading: "参加者を募集中の活動",
  publicActivitiesLead: "アカウントがなくても見られます。参加のお申し込みは、主催団体までご連絡ください。",
  noPublicActivities: "いま募集中の活動はありません。",
  fieldCategory: "分野",
  fieldArea: "地区",
  fieldPlace: "場所",
  fieldNextDate: "次の日程",
  fieldIncentives: "謝礼など",
  fieldOrganizer: "主催",
  fieldPlatform: "プラットフォーム",
  online: "オンライン",
  dateToBeArranged: "日程調整中",
  morePieces: (count: number) => `ほか ${count} 日程`,
  noIncentives: "なし（ボランティア）",
  incentiveTransportFee: (yen: string) => `交通費 ${yen}円`,
  incentiveTransportFeeNoAmount: "交通費あり",
  incentiveThanks: (yen: string) => `謝礼 ${yen}円`,
  incentiveThanksNoAmount: "謝礼あり",
  incentivePoints: (points: string) => `地域ポイント ${points}pt`,
  incentivePointsNoAmount: "地域ポイントあり",
  incentiveCertificate: "活動証明書",
  forOrganizations: "団体・コーディネーターの方へ",
  forOrganizationsBody: "活動の登録やマッチングの管理は、ログインしてから行えます。",

  loginTitle: "ログイン",
  loginLead: "団体・コーディネーターの方のログインページです。",
  email: "メールアドレス",
  password: "パスワード",
  loginSubmit: "ログインする",
  loginSubmitting: "ログインしています…",
  invalidCredentials: "メールアドレスまたはパスワードが正しくありません",
  emailInvalid: "メールアドレスを入力してください（例: name@example.jp）",
  passwordRequired: "パスワードを入力してください",
  demoHintTitle: "デモ用アカウント",
  demoHintBody: "お試し用のデータで操作できます。",

  workspaceNav: "プラットフォームのメニュー",
  workspaceHome: "ホーム",
  yourOrganizations: "あなたの所属団体と役割",
  organization: "団体",
  organizationKind: "種別",
  role: "役割",
  areasHeading: "エリア",
  areaName: "エリア名",
  population: "人口",
  households: "世帯数",
  people: (count: string) => `${count}人`,
  householdsCount: (count: string) => `${count}世帯`,
  unknown: "不明",
  noAreas: "エリアはまだ登録されていません。",
  tasksHeading: "活動・案件",
  tasksRange: (from: number, to: number, total: number) => `全${total}件中 ${from}〜${to}件目`,
  noTasks: "活動はまだ登録されていません。",
  taskStatus: "状態",
  visibility: "公開範囲",
  pieces: "ピース",
  pieceRole: "役割",
  pieceTime: "日時",
  pieceHeadcount: "必要人数",
  pieceFilled: "確定",
  filledOf: (filled: number, headcount: number) => `${filled} / ${headcount}人`,
  filledComplete: "充足",
  noPieces: "今後の予定のピースはありません。",
  nextPage: "次の20件",
  previousPage: "前の20件",
  pagination: "ページ送り",
  resourcesHeading: "地域資源",
  resourceCount: (count: number) => `${count}件`,
  moreItems: (count: number) => `ほか ${count} 件`,
  noResources: "地域資源はまだ登録されていません。",
  capacity: (count: number) => `定員 ${count}人`,
  noWorkspaceTitle: "参加しているプラットフォームがありません",
  noWorkspaceBody: "団体のメンバーとして登録されると、ここにプラットフォームが表示されます。団体の管理者にお問い合わせください。",

  role_ADMIN: "管理者",
  role_COORDINATOR: "コーディネーター",
  role_MEMBER: "メンバー",
  role_VIEWER: "閲覧のみ",
  orgKind_MUNICIPALITY: "行政",
  orgKind_SHAKYO: "社会福祉協議会",
  orgKind_NPO: "NPO",
  orgKind_COMPANY: "企業",
  orgKind_UNIVERSITY: "大学",
  orgKind_NEIGHBORHOOD: "自治会・町内会",
  orgKind_OTHER: "その他",
  taskStatus_DRAFT: "下書き",
  taskStatus_OPEN: "募集中",
  taskStatus_CLOSED: "募集終了",
  taskStatus_ARCHIVED: "アーカイブ",
  visibility_PUBLIC: "一般公開",
  visibility_PLATFORM: "プラットフォーム内",
  visibility_ORG: "団体内のみ",
  resourceKind_PLACE: "場所",
  resourceKind_ACTIVITY: "活動",
  resourceKind_SERVICE: "サービス",
  resourceKind_ORGANIZATION: "団体の拠点",

  // ── Matching board (app/features/board) ──
  navBoard: "マッチングボード",
  boardTitle: "マッチングボード",
  boardLead: "住民とピースのマッチング候補を、団体をこえて一緒に進めます。変更は全員の画面にすぐ反映されます。",
  boardShown: (shown: number, total: number) => (shown === total ? `${total}件` : `全${total}件中 ${shown}件を表示`),
  stage_SUGGESTED: "提案",
  stage_CONTACTING: "連絡中",
  stage_ARRANGING: "調整中",
  stage_CONFIRMED: "確定",
  stage_ACTIVE: "実施中",
  stage_COMPLETED: "完了",
  stage_DECLINED: "辞退・見送り",
  stage_WITHDRAWN: "取り下げ",
  boardColumnCount: (count: number, total: number) => (count === total ? `${count}件` : `${count} / ${total}件`),
  boardColumnEmpty: "カードはありません",
  boardShowMore: (rest: number) => `さらに表示（残り${rest}件）`,
  boardFilters: "絞り込み",
  boardFilterArea: "エリア",
  boardFilterOrganization: "団体",
  boardFilterCategory: "分野",
  boardFilterFrom: "開始日（から）",
  boardFilterTo: "開始日（まで）",
  boardFilterAll: "すべて",
  boardFilterAttention: "要対応だけ表示",
  boardSearch: "検索",
  boardSearchHint: "活動名・役割・場所・団体・住民コード",
  boardClearFilters: "条件をクリア",
  attentionStartsSoon: "72時間以内に開始・確定者なし",
  attentionStale: "3日以上動きなし",
  cardScore: (score: string) => `スコア ${score}`,
  cardAgeMinutes: (n: number) => `${n}分前に更新`,
  cardAgeHours: (n: number) => `${n}時間前に更新`,
  cardAgeDays: (n: number) => `${n}日前に更新`,
  cardPinned: "固定",
  cardRemote: "オンライン",
  cardResident: "住民（仮名）",
  cardDetails: "詳細",
  cardSaving: "保存中…",
  cardRemovedByRerun: "再計算で取り下げ",
  markAdded: "新しい提案",
  markRescored: "スコア更新",
  markRemoved: "取り下げ",
  markMoved: (name: string) => `${name}さんが移動`,
  markUpdated: (name: string) => `${name}さんが更新`,
  someone: "誰か",
  lockedBy: (name: string, kind: "dragging" | "editing") => `${name}さんが${kind === "dragging" ? "移動中" : "編集中"}`,
  saveSaving: "保存中…",
  saveSaved: "保存済み",
  saveError: "保存できませんでした",
  conflictTitle: "ほかの人が先に変更しました",
  conflictBody: (name: string, stage: string) => `${name}さんが先に「${stage}」にしました。いまの状態を表示しています。`,
  conflictAt: (time: string) => `（${time}）`,
  moveError: (code: string) =>
    code === "forbidden"
      ? "移動する権限がありません"
      : code === "unavailable"
        ? "接続できないため移動できませんでした。もう一度お試しください"
        : `移動できませんでした（${code}）`,
  dismiss: "閉じる",
  boardViewing: "このボードを見ている人",
  boardNobodyElse: "ほかに見ている人はいません",
  boardKeyboardHelp: "カードを選んで Space か Enter で持ち上げ、← → で列を選び、Enter で置きます。Esc で取り消します。",
  announcePicked: (title: string, stage: string) => `「${title}」を持ち上げました。いまは「${stage}」。← → で列を選び、Enter で置く、Esc で取り消し。`,
  announceOver: (stage: string) => `移動先: ${stage}`,
  announceMoved: (title: string, stage: string) => `「${title}」を「${stage}」に移動しました。保存中…`,
  announceSaved: (title: string, stage: string) => `「${title}」を「${stage}」に保存しました`,
  announceCancelled: (title: string) => `「${title}」の移動を取り消しました`,
  announceConflict: (title: string, name: string, stage: string) => `「${title}」は${name}さんが先に「${stage}」にしたため、移動しませんでした`,
  announceLocked: (name: string) => `${name}さんがこのカードを操作中です。移動すると競合することがあります`,
  announceLiveMove: (title: string, stage: string, name: string) => `${name}さんが「${title}」を「${stage}」に移動しました`,
  rerunTitle: "マッチングを再計算しました",
  rerunSummary: (added: number, removed: number, rescored: number) => `新しい提案 ${added}件・取り下げ ${removed}件・スコア更新 ${rescored}件`,
  rerunAt: (time: string) => `${time} 実行`,
  rerunFixedNote: "固定・確定したカードは再計算で動きません。",
  detailTitle: "カードの詳細",
  detailPiece: "ピース",
  detailExplanation: "提案の理由",
  detailHistory: "履歴",
  detailHistoryEmpty: "まだ履歴はありません",
  detailHistoryMove: (from: string, to: string) => `「${from}」→「${to}」`,
  detailHistoryBy: (name: string) => `${name}さん`,
  detailHistoryMatcher: "自動マッチング",
  detailMoveTo: "移動先",
  detailMove: "移動する",
  detailDecline: "見送りにする",
  detailPin: "ピン留めする",
  detailUnpin: "ピン留めを外す",
  detailPinHelp: "ピン留めしたカードは自動マッチングの再計算で動きません。",
  detailPinFailed: "ピン留めを保存できませんでした（ほかの人が先に変更した可能性があります）",
  detailLoading: "読み込み中…",
  detailLoadFailed: "履歴を読み込めませんでした",
  detailClose: "閉じる",
  readOnlyBoard: "閲覧のみの役割のため、カードは移動できません。",
};

export type Messages = typeof ja;
export type MessageKey = keyof Messages;

const en: Messages = {
  productName: "つなぐ Tsunagu",
  productTagline: "A shared workspace that connects local activities and people",
  skipToContent: "Skip to main content",
  languageNav: "Language",
  login: "Log in",
  logout: "Log out",
  signedInAs: (name) => `Signed in as ${name}`,
  mainNav: "Main menu",
  navPublicActivities: "Open activities",
  navMyWorkspace: "My workspace",
  navFindActivities: "Find activities",
  navRegister: "Register",
  listSeparator: " · ",
  footerNote: "Tsunagu — for municipalities, welfare councils, NPOs, companies, universities and neighbourhood associations working together",

  notFoundTitle: "Page not found",
  notFoundBody: "The page may have moved or been removed. Please check the address.",
  forbiddenTitle: "You do not have access to this page",
  forbiddenBody: "Only members of an organization in this workspace can see it. Ask your organization's administrator if you need access.",
  errorTitle: "Something went wrong",
  errorBody: "Please try again in a moment. If it keeps happening, contact your coordinator.",
  errorStatus: (status) => `Error code ${status}`,
  backHome: "Back to the home page",

  homeTitle: "Connecting local activities and people",
  homeIntro:
    "Tsunagu is a coordination workspace shared by the municipality, the social welfare council, NPOs, companies, universities and neighbourhood associations. It splits local activities — watching over neighbours, childcare, disaster preparedness and more — into small pieces that fit a time slot and a skill, and connects them with residents who can help a little. Coordinators share matching and the community chart live, and residents' personal data is shared only as far as they have consented.",
  publicActivitiesHeading: "Activities looking for people",
  publicActivitiesLead: "No account needed to look. To take part, contact the organizing group.",
  noPublicActivities: "No activities are looking for people right now.",
  fieldCategory: "Category",
  fieldArea: "Area",
  fieldPlace: "Place",
  fieldNextDate: "Next date",
  fieldIncentives: "Incentives",
  fieldOrganizer: "Organized by",
  fieldPlatform: "Platform",
  online: "Online",
  dateToBeArranged: "Date to be arranged",
  morePieces: (count) => `${count} more ${count === 1 ? "date" : "dates"}`,
  noIncentives: "None (volunteer)",
  incentiveTransportFee: (yen) => `Transport fee ¥${yen}`,
  incentiveTransportFeeNoAmount: "Transport fee paid",
  incentiveThanks: (yen) => `Thanks money ¥${yen}`,
  incentiveThanksNoAmount: "Thanks money paid",
  incentivePoints: (points) => `Local points: ${points} pt`,
  incentivePointsNoAmount: "Local points",
  incentiveCertificate: "Participation certificate",
  forOrganizations: "For organizations and coordinators",
  forOrganizationsBody: "Log in to post activities and manage matching.",

  loginTitle: "Log in",
  loginLead: "Log-in for organizations and coordinators.",
  email: "Email address",
  password: "Password",
  loginSubmit: "Log in",
  loginSubmitting: "Logging in…",
  invalidCredentials: "The email address or password is incorrect",
  emailInvalid: "Enter an email address (for example name@example.jp)",
  passwordRequired: "Enter your password",
  demoHintTitle: "Demo account",
  demoHintBody: "Try it out with sample data.",

  workspaceNav: "Workspace menu",
  workspaceHome: "Home",
  yourOrganizations: "Your organizations and roles",
  organization: "Organization",
  organizationKind: "Type",
  role: "Role",
  areasHeading: "Areas",
  areaName: "Area",
  population: "Population",
  households: "Households",
  people: (count) => count,
  householdsCount: (count) => count,
  unknown: "Unknown",
  noAreas: "No areas yet.",
  tasksHeading: "Activities (tasks)",
  tasksRange: (from, to, total) => `${from}–${to} of ${total}`,
  noTasks: "No activities yet.",
  taskStatus: "Status",
  visibility: "Visible to",
  pieces: "Pieces",
  pieceRole: "Role",
  pieceTime: "Date and time",
  pieceHeadcount: "Needed",
  pieceFilled: "Confirmed",
  filledOf: (filled, headcount) => `${filled} of ${headcount}`,
  filledComplete: "Filled",
  noPieces: "No upcoming pieces.",
  nextPage: "Next 20",
  previousPage: "Previous 20",
  pagination: "Pages",
  resourcesHeading: "Local resources",
  resourceCount: (count) => `${count}`,
  moreItems: (count) => `${count} more`,
  noResources: "No local resources yet.",
  capacity: (count) => `Capacity ${count}`,
  noWorkspaceTitle: "You are not in any workspace yet",
  noWorkspaceBody: "Once you are registered as a member of an organization, its workspace appears here. Please contact your organization's administrator.",

  role_ADMIN: "Administrator",
  role_COORDINATOR: "Coordinator",
  role_MEMBER: "Member",
  role_VIEWER: "Viewer",
  orgKind_MUNICIPALITY: "Municipality",
  orgKind_SHAKYO: "Social welfare council",
  orgKind_NPO: "NPO",
  orgKind_COMPANY: "Company",
  orgKind_UNIVERSITY: "University",
  orgKind_NEIGHBORHOOD: "Neighbourhood association",
  orgKind_OTHER: "Other",
  taskStatus_DRAFT: "Draft",
  taskStatus_OPEN: "Open",
  taskStatus_CLOSED: "Closed",
  taskStatus_ARCHIVED: "Archived",
  visibility_PUBLIC: "Everyone",
  visibility_PLATFORM: "Workspace members",
  visibility_ORG: "Own organization",
  resourceKind_PLACE: "Places",
  resourceKind_ACTIVITY: "Activities",
  resourceKind_SERVICE: "Services",
  resourceKind_ORGANIZATION: "Organization bases",

  // ── Matching board (app/features/board) ──
  navBoard: "Matching board",
  boardTitle: "Matching board",
  boardLead: "Move resident ↔ piece matches forward together, across organizations. Every change shows on everyone's screen at once.",
  boardShown: (shown, total) => (shown === total ? `${total} cards` : `${shown} of ${total} cards`),
  stage_SUGGESTED: "Suggested",
  stage_CONTACTING: "Contacting",
  stage_ARRANGING: "Arranging",
  stage_CONFIRMED: "Confirmed",
  stage_ACTIVE: "Active",
  stage_COMPLETED: "Completed",
  stage_DECLINED: "Declined",
  stage_WITHDRAWN: "Withdrawn",
  boardColumnCount: (count, total) => (count === total ? `${count}` : `${count} / ${total}`),
  boardColumnEmpty: "No cards",
  boardShowMore: (rest) => `Show more (${rest} left)`,
  boardFilters: "Filters",
  boardFilterArea: "Area",
  boardFilterOrganization: "Organization",
  boardFilterCategory: "Category",
  boardFilterFrom: "Starts from",
  boardFilterTo: "Starts until",
  boardFilterAll: "All",
  boardFilterAttention: "Needs attention only",
  boardSearch: "Search",
  boardSearchHint: "activity, role, place, organization, resident code",
  boardClearFilters: "Clear filters",
  attentionStartsSoon: "Starts within 72 h, nobody confirmed",
  attentionStale: "Untouched for 3+ days",
  cardScore: (score) => `Score ${score}`,
  cardAgeMinutes: (n) => `updated ${n} min ago`,
  cardAgeHours: (n) => `updated ${n} h ago`,
  cardAgeDays: (n) => `updated ${n} ${n === 1 ? "day" : "days"} ago`,
  cardPinned: "Pinned",
  cardRemote: "Online",
  cardResident: "Resident (pseudonym)",
  cardDetails: "Details",
  cardSaving: "Saving…",
  cardRemovedByRerun: "Removed by a rerun",
  markAdded: "New proposal",
  markRescored: "Rescored",
  markRemoved: "Removed",
  markMoved: (name) => `Moved by ${name}`,
  markUpdated: (name) => `Updated by ${name}`,
  someone: "someone",
  lockedBy: (name, kind) => `${name} is ${kind === "dragging" ? "moving" : "editing"} this`,
  saveSaving: "Saving…",
  saveSaved: "Saved",
  saveError: "Could not save",
  conflictTitle: "Someone changed this first",
  conflictBody: (name, stage) => `${name} moved it to “${stage}” first. Showing the current state.`,
  conflictAt: (time) => ` (${time})`,
  moveError: (code) =>
    code === "forbidden"
      ? "You may not move cards"
      : code === "unavailable"
        ? "Could not move it: no connection. Please try again"
        : `Could not move it (${code})`,
  dismiss: "Dismiss",
  boardViewing: "Viewing this board",
  boardNobodyElse: "Nobody else is viewing",
  boardKeyboardHelp: "Focus a card, press Space or Enter to pick it up, ← → to choose a column, Enter to drop, Esc to cancel.",
  announcePicked: (title, stage) => `Picked up “${title}”, now in “${stage}”. Use ← → to choose a column, Enter to drop, Esc to cancel.`,
  announceOver: (stage) => `Move to: ${stage}`,
  announceMoved: (title, stage) => `Moved “${title}” to “${stage}”. Saving…`,
  announceSaved: (title, stage) => `Saved “${title}” in “${stage}”`,
  announceCancelled: (title) => `Cancelled moving “${title}”`,
  announceConflict: (title, name, stage) => `“${title}” was not moved: ${name} moved it to “${stage}” first`,
  announceLocked: (name) => `${name} is working on this card; moving it may conflict`,
  announceLiveMove: (title, stage, name) => `${name} moved “${title}” to “${stage}”`,
  rerunTitle: "Matching was rerun",
  rerunSummary: (added, removed, rescored) => `${added} new · ${removed} removed · ${rescored} rescored`,
  rerunAt: (time) => `ran at ${time}`,
  rerunFixedNote: "Pinned and confirmed cards never move in a rerun.",
  detailTitle: "Card details",
  detailPiece: "Piece",
  detailExplanation: "Why it was proposed",
  detailHistory: "History",
  detailHistoryEmpty: "No history yet",
  detailHistoryMove: (from, to) => `“${from}” → “${to}”`,
  detailHistoryBy: (name) => name,
  detailHistoryMatcher: "Matcher",
  detailMoveTo: "Move to",
  detailMove: "Move",
  detailDecline: "Decline",
  detailPin: "Pin",
  detailUnpin: "Unpin",
  detailPinHelp: "A pinned card never moves when matching reruns.",
  detailPinFailed: "Could not save the pin (someone may have changed the card first)",
  detailLoading: "Loading…",
  detailLoadFailed: "Could not load the history",
  detailClose: "Close",
  readOnlyBoard: "Your role is read-only: you cannot move cards.",
};

const DICTIONARIES: Record<Locale, Messages> = { ja, en };

export function messagesFor(locale: Locale): Messages {
  return DICTIONARIES[locale];
}

/** Looks up a parameterless message by a key built at runtime (enum labels: `role_${role}`). */
export function label(locale: Locale, key: string): string {
  const value = (DICTIONARIES[locale] as Record<string, unknown>)[key];
  return typeof value === "string" ? value : key;
}

/**
 * Picks the English variant of a bilingual database field when the locale is English and the
 * field is filled; Japanese is the source of truth.
 */
export function localized(locale: Locale, ja: string, en: string | null | undefined): string {
  return locale === "en" && en ? en : ja;
}

/**
 * The first supported language in an Accept-Language header, by quality then order.
 * `en-US;q=0.8, ja;q=0.9` → "ja". Unknown or malformed entries are skipped.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { primary: tag.trim().toLowerCase().split("-")[0], quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.primary).find(isLocale) ?? null;
}

export type LocaleSource = "query" | "cookie" | "header" | "default";

/** Explicit choice (`?lang=`) wins, then the remembered choice (cookie), then the browser. */
export function resolveLocale(input: {
  query?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
}): { locale: Locale; source: LocaleSource } {
  if (isLocale(input.query)) return { locale: input.query, source: "query" };
  if (isLocale(input.cookie)) return { locale: input.cookie, source: "cookie" };
  const fromHeader = localeFromAcceptLanguage(input.acceptLanguage);
  if (fromHeader) return { locale: fromHeader, source: "header" };
  return { locale: DEFAULT_LOCALE, source: "default" };
}

/** BCP 47 tag for Intl formatters. */
export function intlLocale(locale: Locale): string {
  return locale === "ja" ? "ja-JP" : "en-US";
}
