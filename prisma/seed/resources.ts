/**
 * 地域資源 of the demo ward: places, activities, services and organization offices. Coordinates
 * and addresses are generated inside each resource's district; an activity held at a place
 * (`at`) takes that place's address and a point a few metres from it.
 */
import type { ResourceKind, ResourceStatus, Visibility } from "../../server/db/generated/enums.ts";
import type { OrgKey } from "./organizations.ts";
import type { AreaKey } from "./places.ts";

export type ResourceCategoryCode =
  | "vacant_shop" | "classroom" | "community_hub" | "community_center" | "park" | "shelter" | "salon"
  | "kodomo_shokudo" | "study_space" | "care_service" | "consultation" | "transport"
  | "health_service" | "office";

export type ResourceSpec = {
  key: string;
  area: AreaKey;
  kind: ResourceKind;
  category: ResourceCategoryCode;
  name: string;
  nameEn: string;
  owner?: OrgKey;
  capacity?: number;
  openHours?: string;
  description?: string;
  visibility?: Visibility;
  status?: ResourceStatus;
  /** Held at / run from another resource: same address, a point next to it. */
  at?: string;
};

const P = "PLACE" as const;
const A = "ACTIVITY" as const;
const S = "SERVICE" as const;
const O = "ORGANIZATION" as const;

export const DEMO_RESOURCES: readonly ResourceSpec[] = [
  // ── 北山地区: hills, an ageing 1970s 団地, a small shopping street ──
  { key: "kitayama-center", area: "kitayama", kind: P, category: "community_center", name: "北山地区センター", nameEn: "Kitayama Community Centre", owner: "city", capacity: 150, openHours: "9:00–21:00(第3月曜休館)", description: "和室・調理室・体育室あり。地区の活動拠点。" },
  { key: "kitayama-school", area: "kitayama", kind: P, category: "shelter", name: "北山小学校(地域防災拠点)", nameEn: "Kitayama Elementary School (evacuation base)", owner: "city", capacity: 450, openHours: "災害時に開設", description: "指定避難所。防災備蓄庫と井戸あり。" },
  { key: "kitayama-jhs", area: "kitayama", kind: P, category: "shelter", name: "北山中学校 体育館(指定避難所)", nameEn: "Kitayama Junior High gym (designated shelter)", owner: "city", capacity: 600, openHours: "災害時に開設" },
  { key: "kitayama-park", area: "kitayama", kind: P, category: "park", name: "北山中央公園", nameEn: "Kitayama Central Park", owner: "city", openHours: "常時開放", description: "朝のラジオ体操の会場。トイレ・ベンチあり。" },
  { key: "nagasaka-park", area: "kitayama", kind: P, category: "park", name: "長坂ふれあい公園", nameEn: "Nagasaka Fureai Park", owner: "city", openHours: "常時開放" },
  { key: "kitayama-gateball", area: "kitayama", kind: P, category: "park", name: "北山ゲートボール場", nameEn: "Kitayama gateball ground", owner: "kitayama", openHours: "日の出–日没" },
  { key: "kitayama-hall", area: "kitayama", kind: P, category: "community_center", name: "北山町内会館", nameEn: "Kitayama Neighborhood Hall", owner: "kitayama", capacity: 40, openHours: "要予約(町内会事務局)" },
  { key: "kitayama-danchi-hall", area: "kitayama", kind: P, category: "community_center", name: "北山団地 集会所", nameEn: "Kitayama housing estate meeting room", owner: "kitayama", capacity: 30, openHours: "要予約", visibility: "PLATFORM" },
  { key: "kitayama-engawa", area: "kitayama", kind: P, category: "community_hub", name: "みんなの縁側 北山", nameEn: "Kitayama Community Veranda", owner: "shakyo", capacity: 20, openHours: "火・木・土 10:00–16:00", description: "団地1階の空き店舗を改装した居場所。お茶を飲みに気軽に立ち寄れる。" },
  { key: "kitayama-shop", area: "kitayama", kind: P, category: "vacant_shop", name: "長坂商店街 空き店舗(旧・青果店)", nameEn: "Vacant shop on Nagasaka street (former greengrocer)", capacity: 15, description: "約30㎡。家主が地域活動への貸し出しを検討中。", visibility: "PLATFORM" },
  { key: "midoridai-farm", area: "kitayama", kind: P, category: "park", name: "みどり台 市民農園", nameEn: "Midoridai community farm", owner: "city", openHours: "8:00–17:00", description: "区画貸し農園。共同区画で野菜づくり。" },
  { key: "kitayama-salon", area: "kitayama", kind: A, category: "salon", name: "いきいきサロン北山", nameEn: "Kitayama Ikiiki Salon", owner: "kitayama", at: "kitayama-hall", openHours: "毎週火曜 10:00–12:00", description: "お茶とおしゃべり、脳トレ、季節の行事。参加費100円。" },
  { key: "kitayama-taiso", area: "kitayama", kind: A, category: "health_service", name: "元気アップ体操(北山)", nameEn: "Genki-up exercise class (Kitayama)", owner: "houkatsu", at: "kitayama-center", openHours: "毎週金曜 10:00–11:00" },
  { key: "kitayama-shokudo", area: "kitayama", kind: A, category: "kodomo_shokudo", name: "北山わいわい食堂", nameEn: "Kitayama Waiwai children's cafeteria", owner: "npo_food", at: "kitayama-center", openHours: "第2・第4土曜 11:30–13:30", description: "子ども無料・大人300円。多世代で食卓を囲む。" },
  { key: "kitayama-oyako", area: "kitayama", kind: A, category: "community_hub", name: "親子ひろば ひよこ", nameEn: "Hiyoko parent-and-child space", owner: "shakyo", at: "kitayama-engawa", openHours: "毎週月曜 10:00–12:00" },
  { key: "kitayama-orange", area: "kitayama", kind: A, category: "salon", name: "認知症カフェ きたやま", nameEn: "Kitayama dementia café", owner: "houkatsu", at: "kitayama-engawa", openHours: "第1水曜 13:30–15:30" },
  { key: "kitayama-mahjong", area: "kitayama", kind: A, category: "salon", name: "健康麻雀サロン 北山", nameEn: "Kitayama health mahjong salon", owner: "kitayama", at: "kitayama-danchi-hall", openHours: "毎週水曜 13:00–16:00" },

  // ── 東台地区: newer housing, the university, the supermarket ──
  { key: "higashidai-center", area: "higashidai", kind: P, category: "community_center", name: "東台地区センター", nameEn: "Higashidai Community Centre", owner: "city", capacity: 180, openHours: "9:00–21:00(第2月曜休館)", description: "調理室・会議室・図書コーナーあり。" },
  { key: "higashidai-school", area: "higashidai", kind: P, category: "shelter", name: "東台小学校(地域防災拠点)", nameEn: "Higashidai Elementary School (evacuation base)", owner: "city", capacity: 500, openHours: "災害時に開設" },
  { key: "higashidai-jhs", area: "higashidai", kind: P, category: "shelter", name: "東台中学校 体育館(指定避難所)", nameEn: "Higashidai Junior High gym (designated shelter)", owner: "city", capacity: 650, openHours: "災害時に開設" },
  { key: "higashidai-park", area: "higashidai", kind: P, category: "park", name: "東台けやき公園", nameEn: "Higashidai Zelkova Park", owner: "city", openHours: "常時開放", description: "花壇は自治会が管理。防災井戸あり。" },
  { key: "wakaba-park", area: "higashidai", kind: P, category: "park", name: "若葉台 第二公園", nameEn: "Wakabadai Park No. 2", owner: "city", openHours: "常時開放" },
  { key: "higashidai-hall", area: "higashidai", kind: P, category: "community_center", name: "東台自治会館", nameEn: "Higashidai Residents' Hall", owner: "higashidai", capacity: 50, openHours: "要予約" },
  { key: "univ-classroom", area: "higashidai", kind: P, category: "classroom", name: "みどり学園大学 3号館 301教室", nameEn: "Midori Gakuen University, Bldg 3 Room 301", owner: "university", capacity: 60, openHours: "平日18:00以降・土曜(要申請)", description: "地域開放教室。プロジェクター・Wi-Fiあり。" },
  { key: "univ-lounge", area: "higashidai", kind: P, category: "community_hub", name: "みどり学園大学 地域連携ラウンジ", nameEn: "Midori Gakuen University community lounge", owner: "university", capacity: 30, openHours: "平日 10:00–18:00" },
  { key: "univ-library", area: "higashidai", kind: P, category: "study_space", name: "みどり学園大学 図書館 学習室(地域開放)", nameEn: "University library study room (open to residents)", owner: "university", capacity: 24, openHours: "平日 9:00–20:00/土 10:00–17:00" },
  { key: "super-space", area: "higashidai", kind: P, category: "community_hub", name: "スーパーみどりや東台店 イベントスペース", nameEn: "Midoriya Higashidai store event space", owner: "supermarket", capacity: 25, openHours: "10:00–17:00(要予約)" },
  { key: "wakaba-shop", area: "higashidai", kind: P, category: "vacant_shop", name: "若葉台センター 空き区画", nameEn: "Vacant unit, Wakabadai shopping centre", capacity: 20, description: "2024年度に入居団体が決定済み。", visibility: "PLATFORM", status: "ARCHIVED" },
  { key: "higashidai-shokudo", area: "higashidai", kind: A, category: "kodomo_shokudo", name: "みどりっ子食堂(東台)", nameEn: "Midorikko children's cafeteria (Higashidai)", owner: "npo_food", at: "higashidai-center", openHours: "毎週水曜 17:00–19:00" },
  { key: "higashidai-juku", area: "higashidai", kind: A, category: "study_space", name: "放課後まなび塾 東台", nameEn: "After-school study club, Higashidai", owner: "university", at: "higashidai-center", openHours: "毎週月・木 17:00–19:00", description: "大学生が小中学生の宿題をサポート。無料。" },
  { key: "higashidai-salon", area: "higashidai", kind: A, category: "salon", name: "東台ふれあいサロン", nameEn: "Higashidai Fureai Salon", owner: "higashidai", at: "higashidai-hall", openHours: "第1・第3木曜 13:30–15:30" },
  { key: "higashidai-health", area: "higashidai", kind: A, category: "health_service", name: "健康測定会(スーパーみどりや店頭)", nameEn: "Health check corner at Midoriya", owner: "supermarket", at: "super-space", openHours: "毎月第3日曜 10:00–14:00", description: "血圧・骨密度・握力の測定と保健師の相談。" },
  { key: "higashidai-pantry", area: "higashidai", kind: S, category: "care_service", name: "フードパントリー東台", nameEn: "Higashidai food pantry", owner: "npo_food", at: "super-space", openHours: "隔週日曜 10:00–12:00", description: "ひとり親家庭などへの食品の無料配布(事前登録制)。" },
  { key: "super-bus", area: "higashidai", kind: S, category: "transport", name: "買い物送迎バス(スーパーみどりや)", nameEn: "Midoriya shopping shuttle", owner: "supermarket", openHours: "火・金 10:00/14:00発", description: "北山・桜川の団地とスーパーを結ぶ無料送迎。" },
  { key: "wakaba-sukusuku", area: "higashidai", kind: A, category: "community_hub", name: "子育て支援拠点 すくすく若葉", nameEn: "Sukusuku Wakaba parenting hub", owner: "city", capacity: 35, openHours: "月–土 9:30–15:30" },
  { key: "wakaba-playpark", area: "higashidai", kind: A, category: "park", name: "若葉台プレーパーク", nameEn: "Wakabadai adventure playground", owner: "higashidai", at: "wakaba-park", openHours: "毎月第2・第4日曜 10:00–15:00" },

  // ── 桜川地区: along the river, fields and older houses ──
  { key: "sakuragawa-center", area: "sakuragawa", kind: P, category: "community_center", name: "桜川地区センター", nameEn: "Sakuragawa Community Centre", owner: "city", capacity: 120, openHours: "9:00–21:00(第4月曜休館)" },
  { key: "sakuragawa-school", area: "sakuragawa", kind: P, category: "shelter", name: "桜川小学校(地域防災拠点)", nameEn: "Sakuragawa Elementary School (evacuation base)", owner: "city", capacity: 420, openHours: "災害時に開設" },
  { key: "sakuragawa-jhs", area: "sakuragawa", kind: P, category: "shelter", name: "桜川中学校 体育館(指定避難所)", nameEn: "Sakuragawa Junior High gym (designated shelter)", owner: "city", capacity: 550, openHours: "災害時に開設" },
  { key: "sakuragawa-riverside", area: "sakuragawa", kind: P, category: "park", name: "桜川河川敷広場", nameEn: "Sakuragawa riverside square", owner: "city", openHours: "常時開放", description: "桜並木。清掃活動とウォーキングの集合場所。" },
  { key: "tanaka-park", area: "sakuragawa", kind: P, category: "park", name: "田中町 ちびっこ広場", nameEn: "Tanaka-cho children's square", owner: "city", openHours: "常時開放" },
  { key: "kawabe-farm", area: "sakuragawa", kind: P, category: "park", name: "川辺町 ふれあい農園", nameEn: "Kawabe community farm", owner: "sakuragawa", openHours: "8:00–17:00" },
  { key: "sakuragawa-hall", area: "sakuragawa", kind: P, category: "community_center", name: "桜川連合自治会 集会所・防災倉庫", nameEn: "Sakuragawa federation hall and disaster store", owner: "sakuragawa", capacity: 35, openHours: "要予約", visibility: "ORG" },
  { key: "sakuragawa-engawa", area: "sakuragawa", kind: P, category: "community_hub", name: "ふらっとスペース桜川", nameEn: "Flat Space Sakuragawa", owner: "shakyo", capacity: 18, openHours: "月・水・金 10:00–15:00", description: "元・酒店を活用した居場所。駄菓子コーナーに子どもも集まる。" },
  { key: "sakuragawa-shop", area: "sakuragawa", kind: P, category: "vacant_shop", name: "桜川町 旧たばこ店(空き店舗)", nameEn: "Former tobacco shop, Sakuragawa-cho (vacant)", capacity: 8, description: "約15㎡。通りに面した小窓あり。", visibility: "PLATFORM" },
  { key: "sakuragawa-shokudo", area: "sakuragawa", kind: A, category: "kodomo_shokudo", name: "さくら川こども食堂", nameEn: "Sakuragawa children's cafeteria", owner: "npo_food", at: "sakuragawa-center", openHours: "第1・第3金曜 17:00–19:30" },
  { key: "sakuragawa-salon", area: "sakuragawa", kind: A, category: "salon", name: "かわべサロン", nameEn: "Kawabe salon", owner: "sakuragawa", at: "sakuragawa-engawa", openHours: "毎週木曜 10:00–12:00" },
  { key: "sakuragawa-walk", area: "sakuragawa", kind: A, category: "health_service", name: "桜川ウォーキングクラブ", nameEn: "Sakuragawa walking club", owner: "houkatsu", at: "sakuragawa-riverside", openHours: "毎週土曜 8:00–9:30" },
  { key: "sakuragawa-english", area: "sakuragawa", kind: A, category: "salon", name: "英語であそぼう(多文化交流)", nameEn: "Play in English (multicultural meetup)", owner: "sakuragawa", at: "sakuragawa-center", openHours: "第2日曜 10:00–11:30" },
  { key: "sakuragawa-pingpong", area: "sakuragawa", kind: A, category: "health_service", name: "子ども卓球教室", nameEn: "Children's table tennis class", owner: "sakuragawa", at: "sakuragawa-center", openHours: "毎週土曜 14:00–16:00" },
  { key: "mobility-office", area: "sakuragawa", kind: O, category: "office", name: "おでかけサポート桜川 事務所", nameEn: "Odekake Support Sakuragawa office", owner: "npo_mobility", openHours: "平日 9:00–16:00" },
  { key: "odekake-wagon", area: "sakuragawa", kind: S, category: "transport", name: "おでかけワゴン(買い物・通院送迎)", nameEn: "Odekake wagon (shopping and clinic rides)", owner: "npo_mobility", at: "mobility-office", openHours: "平日 9:00–16:00(前日までに予約)", description: "利用は会員制。1回200円の協力金。" },
  { key: "sakuragawa-office", area: "sakuragawa", kind: O, category: "office", name: "桜川連合自治会 事務局", nameEn: "Sakuragawa federation office", owner: "sakuragawa", at: "sakuragawa-hall", openHours: "水・土 10:00–12:00" },

  // ── 中央地区: the station, the ward office, the shopping street ──
  { key: "civic-center", area: "chuo", kind: P, category: "community_center", name: "みどり区民活動センター", nameEn: "Midori Civic Activity Center", owner: "city", capacity: 200, openHours: "9:00–21:30(年末年始休館)", description: "会議室・印刷機・団体ロッカー。市民活動の登録窓口。" },
  { key: "ward-office", area: "chuo", kind: O, category: "office", name: "みどり区役所", nameEn: "Midori Ward Office", owner: "city", openHours: "平日 8:45–17:00(第2・第4土曜 午前開庁)" },
  { key: "shakyo-office", area: "chuo", kind: O, category: "office", name: "みどり区社会福祉協議会(福祉会館2階)", nameEn: "Midori Ward Social Welfare Council (Welfare Hall 2F)", owner: "shakyo", openHours: "平日 9:00–17:00" },
  { key: "houkatsu-office", area: "chuo", kind: O, category: "office", name: "中央地域包括支援センター", nameEn: "Chuo Community Comprehensive Support Center", owner: "houkatsu", openHours: "月–土 9:00–17:00" },
  { key: "shinkin-office", area: "chuo", kind: O, category: "office", name: "みどり信用金庫 本店", nameEn: "Midori Shinkin Bank head office", owner: "shinkin", openHours: "平日 9:00–15:00" },
  { key: "vol-center", area: "chuo", kind: S, category: "consultation", name: "区社協ボランティアセンター 相談窓口", nameEn: "Volunteer center desk (social welfare council)", owner: "shakyo", at: "shakyo-office", openHours: "平日 9:00–17:00", description: "ボランティアをしたい人・頼みたい人の相談。登録もここで。" },
  { key: "houkatsu-consult", area: "chuo", kind: S, category: "consultation", name: "高齢者の総合相談", nameEn: "General consultation for older residents", owner: "houkatsu", at: "houkatsu-office", openHours: "月–土 9:00–17:00" },
  { key: "ward-welfare", area: "chuo", kind: S, category: "consultation", name: "区役所 福祉保健センター 高齢・障害支援課", nameEn: "Ward health and welfare center, elderly and disability support", owner: "city", at: "ward-office", openHours: "平日 8:45–17:00" },
  { key: "single-parent", area: "chuo", kind: S, category: "consultation", name: "ひとり親家庭 相談窓口", nameEn: "Single-parent family consultation", owner: "city", at: "ward-office", openHours: "平日 9:00–16:00" },
  { key: "multilingual", area: "chuo", kind: S, category: "consultation", name: "外国人住民のための生活相談(多言語)", nameEn: "Multilingual daily-life consultation", owner: "city", at: "civic-center", openHours: "第2・第4土曜 13:00–16:00", description: "英語・中国語・ベトナム語・ポルトガル語・やさしい日本語。" },
  { key: "sumaho-soudan", area: "chuo", kind: A, category: "consultation", name: "スマホなんでも相談会", nameEn: "Smartphone help desk", owner: "university", at: "chuo-library", openHours: "毎週水曜 14:00–16:00" },
  { key: "chuo-school", area: "chuo", kind: P, category: "shelter", name: "本町小学校(地域防災拠点)", nameEn: "Honmachi Elementary School (evacuation base)", owner: "city", capacity: 480, openHours: "災害時に開設" },
  { key: "station-square", area: "chuo", kind: P, category: "park", name: "みどり中央駅 北口広場", nameEn: "Midori-Chuo Station north square", owner: "city", openHours: "常時開放", description: "花壇は区と商店会が管理。" },
  { key: "sakae-park", area: "chuo", kind: P, category: "park", name: "栄町 こもれび公園(防災広場)", nameEn: "Sakae-cho Komorebi Park (disaster square)", owner: "city", openHours: "常時開放", description: "かまどベンチ・マンホールトイレあり。" },
  { key: "honmachi-shop-a", area: "chuo", kind: P, category: "vacant_shop", name: "本町商店街 空き店舗A(旧・書店)", nameEn: "Honmachi street vacant shop A (former bookshop)", capacity: 20, description: "約45㎡。週末の地域食堂として試行利用中。" },
  { key: "honmachi-shop-b", area: "chuo", kind: P, category: "vacant_shop", name: "本町商店街 空き店舗B", nameEn: "Honmachi street vacant shop B", capacity: 12, description: "約25㎡。改装が必要。", visibility: "PLATFORM" },
  { key: "share-kitchen", area: "chuo", kind: P, category: "community_hub", name: "本町シェアキッチン", nameEn: "Honmachi shared kitchen", owner: "shakyo", capacity: 12, openHours: "要予約 9:00–20:00", description: "営業許可つきの共有キッチン。配食弁当の調理にも使う。" },
  { key: "shinkin-room", area: "chuo", kind: P, category: "classroom", name: "みどり信用金庫本店 2階会議室", nameEn: "Midori Shinkin head office, 2F meeting room", owner: "shinkin", capacity: 30, openHours: "平日 18:00–20:00・土日(要予約)", visibility: "PLATFORM", at: "shinkin-office" },
  { key: "chuo-library", area: "chuo", kind: P, category: "study_space", name: "みどり区立図書館 学習室", nameEn: "Midori Ward Library study room", owner: "city", capacity: 40, openHours: "9:30–20:00(月曜休館)" },
  { key: "chuo-shokudo", area: "chuo", kind: A, category: "kodomo_shokudo", name: "中央ほっと食堂", nameEn: "Chuo Hot cafeteria", owner: "npo_food", at: "honmachi-shop-a", openHours: "毎週土曜 12:00–14:00" },
  { key: "haishoku", area: "chuo", kind: S, category: "care_service", name: "配食サービス ふれあい弁当", nameEn: "Fureai meal delivery", owner: "shakyo", at: "share-kitchen", openHours: "火・金 昼食", description: "ボランティアが手づくり弁当を届け、安否も確認する。" },
  { key: "chotto", area: "chuo", kind: S, category: "care_service", name: "ちょこっと助け合い(訪問型生活支援)", nameEn: "Chotto Tasukeai (small help at home)", owner: "shakyo", at: "shakyo-office", openHours: "平日(要相談)", description: "電球交換・ゴミ出し・庭の草取りなど30分程度のお手伝い。" },
  { key: "food-drive", area: "chuo", kind: S, category: "care_service", name: "フードドライブ受付(社協)", nameEn: "Food drive drop-off (social welfare council)", owner: "shakyo", at: "shakyo-office", openHours: "平日 9:00–16:00" },
  { key: "day-service", area: "chuo", kind: S, category: "care_service", name: "デイサービス みどりの家", nameEn: "Midori no Ie day service", capacity: 30, openHours: "月–土 9:00–16:30" },
  { key: "disability-home", area: "chuo", kind: S, category: "care_service", name: "障害者地域活動ホーム みどり", nameEn: "Midori community activity home (disability)", openHours: "平日 10:00–16:00" },
  { key: "tsuin-service", area: "chuo", kind: S, category: "transport", name: "通院付き添いサービス", nameEn: "Clinic escort service", owner: "npo_mobility", at: "houkatsu-office", openHours: "平日(3日前までに予約)" },
  { key: "orange-cafe", area: "chuo", kind: A, category: "salon", name: "認知症カフェ オレンジ", nameEn: "Orange dementia café", owner: "houkatsu", at: "civic-center", openHours: "第3土曜 14:00–16:00" },
  { key: "chuo-taiso", area: "chuo", kind: A, category: "health_service", name: "シニア健康体操教室", nameEn: "Seniors' exercise class", owner: "city", at: "civic-center", openHours: "毎週月曜 10:00–11:30" },
  { key: "utagoe", area: "chuo", kind: A, category: "salon", name: "うたごえ喫茶 みどり", nameEn: "Midori sing-along café", owner: "shakyo", at: "civic-center", openHours: "第2金曜 14:00–16:00" },

  // ── More places and services ──
  { key: "kitayama-minsei", area: "kitayama", kind: S, category: "consultation", name: "北山地区 民生委員・児童委員 相談日", nameEn: "Kitayama community welfare volunteers' advice day", owner: "shakyo", at: "kitayama-center", openHours: "毎月第1月曜 13:00–15:00" },
  { key: "sakuragawa-minsei", area: "sakuragawa", kind: S, category: "consultation", name: "桜川地区 民生委員・児童委員 相談日", nameEn: "Sakuragawa community welfare volunteers' advice day", owner: "shakyo", at: "sakuragawa-center", openHours: "毎月第3月曜 13:00–15:00" },
  { key: "univ-ground", area: "higashidai", kind: P, category: "park", name: "みどり学園大学 グラウンド(地域開放)", nameEn: "University sports ground (open to residents)", owner: "university", openHours: "日曜 9:00–12:00" },
  { key: "kawabe-asaichi", area: "sakuragawa", kind: A, category: "community_hub", name: "川辺町 ふれあい朝市", nameEn: "Kawabe morning market", owner: "sakuragawa", at: "kawabe-farm", openHours: "毎月第1日曜 7:00–9:00", description: "地元野菜の直売と、お茶飲み場。" },

  // ── Organization offices in the other districts ──
  { key: "npo-food-office", area: "higashidai", kind: O, category: "office", name: "みんなの食卓みどり 事務所", nameEn: "Minna no Shokutaku Midori office", owner: "npo_food", openHours: "火–金 10:00–17:00" },
  { key: "supermarket-hq", area: "higashidai", kind: O, category: "office", name: "スーパーみどりや 東台店(本部)", nameEn: "Midoriya Higashidai store (head office)", owner: "supermarket", openHours: "9:00–22:00" },
  { key: "univ-volcenter", area: "higashidai", kind: O, category: "office", name: "みどり学園大学 ボランティアセンター", nameEn: "Midori Gakuen University Volunteer Center", owner: "university", at: "univ-lounge", openHours: "平日 9:00–17:00" },
  { key: "kitayama-office", area: "kitayama", kind: O, category: "office", name: "北山町内会 事務局", nameEn: "Kitayama Neighborhood Association office", owner: "kitayama", at: "kitayama-hall", openHours: "月・木 10:00–12:00" },
  { key: "higashidai-office", area: "higashidai", kind: O, category: "office", name: "東台自治会 事務局", nameEn: "Higashidai Residents' Association office", owner: "higashidai", at: "higashidai-hall", openHours: "土 10:00–12:00" },
];
