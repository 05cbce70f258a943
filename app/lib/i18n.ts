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
