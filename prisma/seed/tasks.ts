/**
 * 活動・案件 of the demo ward, each split into pieces (Shifts). Schedules are relative: the
 * generator lays them out over the four weeks after `now` (plus a few past weeks of history for
 * recurring activities, so participations, ratings and continuation KPIs have something to show).
 * Times are local (Asia/Tokyo) "HH:MM".
 */
import type { TaskStatus, Visibility } from "../../server/db/generated/enums.ts";
import type { TaskCategoryCode } from "../../app/lib/categories.ts";
import type { OrgKey } from "./organizations.ts";
import type { AreaKey } from "./places.ts";
import type { SkillCode } from "./skills.ts";

/** 0 = Sunday … 6 = Saturday, as in AvailabilityWindow. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type Schedule =
  /** Every week (or every other week) on the given weekdays. `history`: past weeks to generate. */
  | { kind: "weekly"; weekdays: Weekday[]; from: string; to: string; every?: 1 | 2; history?: number }
  /** Once in the four weeks: the first `weekday` at least `after` days from now. */
  | { kind: "monthly"; weekday: Weekday; after: number; from: string; to: string; history?: number }
  /** One-off dates: the first `weekday` (any day if omitted) at least `after` days from now. */
  | { kind: "dates"; dates: { after: number; weekday?: Weekday; from: string; to: string }[] }
  /** Only in the past (closed or archived activities). `daysAgo` ≥ 1. */
  | { kind: "past"; dates: { daysAgo: number; from: string; to: string }[] };

export type RoleSpec = {
  role: string;
  roleEn: string;
  headcount: number;
  skills?: SkillCode[];
  /** Defaults to the occurrence's window. */
  from?: string;
  to?: string;
  /** Only on these weekdays (for multi-day schedules). */
  weekdays?: Weekday[];
};

export type TaskSpec = {
  key: string;
  category: TaskCategoryCode;
  owner: OrgKey;
  area: AreaKey | null;
  /** Resource key of the place where it happens; absent for remote tasks. */
  place?: string;
  remote?: boolean;
  visibility?: Visibility;
  status?: TaskStatus;
  title: string;
  titleEn: string;
  description: string;
  schedule: Schedule;
  roles: RoleSpec[];
  incentives?: { transportFeeYen?: number; thanksYen?: number; localPoints?: number; certificate?: boolean };
  whatToBring?: string;
  accessibilityNotes?: string;
};

const TRANSPORT = { transportFeeYen: 500 };

export const DEMO_TASKS: readonly TaskSpec[] = [
  // ───────── 見守り ─────────
  {
    key: "kitayama-mimamori", category: "watch", owner: "kitayama", area: "kitayama", place: "kitayama-hall",
    title: "北山団地 ひとり暮らし高齢者の見守り訪問", titleEn: "Visiting older people living alone, Kitayama estate",
    description: "2人1組で団地のひとり暮らしの方を訪ね、玄関先で10分ほどお話しします。気になることがあれば町内会と社協に連絡します。",
    schedule: { kind: "weekly", weekdays: [3], from: "10:00", to: "11:30", history: 2 },
    roles: [{ role: "訪問ボランティア", roleEn: "Home visitor", headcount: 2, skills: ["listening"] }],
    incentives: { localPoints: 100 }, whatToBring: "町内会の腕章(会館で貸出)", accessibilityNotes: "階段のみの棟があります(エレベーターなし)。",
  },
  {
    key: "phone-ogenki", category: "watch", owner: "shakyo", area: null, remote: true, visibility: "PLATFORM",
    title: "電話でおげんき確認(在宅でできる見守り)", titleEn: "Phone check-ins from home",
    description: "登録している高齢者に電話をかけ、体調や困りごとを伺います。自宅から参加できます。研修(30分)を受けてから始めます。",
    schedule: { kind: "weekly", weekdays: [4], from: "10:00", to: "11:00", history: 1 },
    roles: [{ role: "電話かけ", roleEn: "Phone caller", headcount: 1, skills: ["listening"] }],
    incentives: { localPoints: 50 }, accessibilityNotes: "在宅で参加できます。聴こえに不安がある方は相談ください。",
  },
  {
    key: "higashidai-patrol", category: "watch", owner: "higashidai", area: "higashidai", place: "higashidai-park",
    title: "東台 下校時の見守りパトロール", titleEn: "After-school safety patrol, Higashidai",
    description: "子どもの下校時間に通学路を歩き、あいさつと見守りをします。ベストと帽子は自治会が用意します。",
    schedule: { kind: "weekly", weekdays: [2], from: "14:30", to: "16:00", history: 1 },
    roles: [{ role: "パトロール", roleEn: "Patroller", headcount: 3 }],
    whatToBring: "歩きやすい靴", accessibilityNotes: "坂道を含む約2kmを歩きます。",
  },
  {
    key: "mimamori-renrakukai", category: "watch", owner: "sakuragawa", area: "sakuragawa", place: "sakuragawa-center",
    title: "見守り協力員 連絡会(新聞・郵便受けの見守り)", titleEn: "Watch-over helpers' meeting",
    description: "新聞販売店・郵便局・自治会の見守り協力員が集まり、気づいたことを共有します。初めての方も歓迎。",
    schedule: { kind: "dates", dates: [{ after: 6, weekday: 3, from: "14:00", to: "15:30" }] },
    roles: [{ role: "参加・記録係", roleEn: "Participant / note taker", headcount: 2 }],
  },
  {
    key: "ninchisho-doko", category: "watch", owner: "houkatsu", area: "chuo", place: "houkatsu-office", visibility: "ORG",
    title: "認知症の方の見守り同行訪問", titleEn: "Accompanied visits to people with dementia",
    description: "包括の職員と一緒にご自宅を訪問します。認知症サポーター養成講座の受講が条件です。",
    schedule: { kind: "weekly", weekdays: [4], from: "14:00", to: "15:30", every: 2 },
    roles: [{ role: "同行ボランティア", roleEn: "Accompanying volunteer", headcount: 1, skills: ["listening", "care_cert"] }],
    incentives: TRANSPORT,
  },

  // ───────── 子育て ─────────
  {
    key: "oyako-hiyoko", category: "childcare", owner: "shakyo", area: "kitayama", place: "kitayama-engawa",
    title: "親子ひろば ひよこ の見守りスタッフ", titleEn: "Staff for the Hiyoko parent-and-child space",
    description: "0〜3歳の親子が集まるひろばで、受付や子どもの見守りをします。お母さん・お父さんの話し相手も大切な役割です。",
    schedule: { kind: "weekly", weekdays: [1], from: "10:00", to: "12:00", history: 1 },
    roles: [
      { role: "受付", roleEn: "Reception", headcount: 1 },
      { role: "子どもの見守り", roleEn: "Watching the children", headcount: 2, skills: ["childcare"] },
    ],
    incentives: { localPoints: 100 }, whatToBring: "エプロン", accessibilityNotes: "入口に段差が1段あります。",
  },
  {
    key: "kodomokai-kousaku", category: "childcare", owner: "higashidai", area: "higashidai", place: "higashidai-hall",
    title: "東台子ども会 工作イベントの運営", titleEn: "Higashidai children's craft event",
    description: "小学生30人ほどが参加する工作会。受付、工作のお手伝い、写真記録を分担します。",
    schedule: { kind: "dates", dates: [{ after: 10, weekday: 6, from: "13:00", to: "16:00" }] },
    roles: [
      { role: "受付", roleEn: "Reception", headcount: 1, from: "12:30", to: "14:00" },
      { role: "工作サポート", roleEn: "Craft helper", headcount: 4, skills: ["childcare"] },
      { role: "写真記録", roleEn: "Photographer", headcount: 1, skills: ["pr"] },
    ],
    whatToBring: "はさみ(あれば)", accessibilityNotes: "会館は2階(階段のみ)。",
  },
  {
    key: "sango-support", category: "childcare", owner: "shakyo", area: "chuo", place: "shakyo-office", visibility: "PLATFORM",
    title: "産後の家事サポート(訪問)", titleEn: "Home help after childbirth",
    description: "産後間もない家庭を訪ね、料理の作り置きや洗濯を手伝います。社協の事前研修あり。",
    schedule: { kind: "weekly", weekdays: [3], from: "10:00", to: "12:00", every: 2 },
    roles: [{ role: "家事サポーター", roleEn: "Home helper", headcount: 1, skills: ["cooking"] }],
    incentives: { thanksYen: 1000 },
  },
  {
    key: "sukusuku-yomikikase", category: "childcare", owner: "city", area: "higashidai", place: "wakaba-sukusuku",
    title: "すくすく若葉 絵本の読み聞かせ", titleEn: "Picture-book reading at Sukusuku Wakaba",
    description: "乳幼児と保護者に絵本を読みます。絵本は拠点にあります。",
    schedule: { kind: "weekly", weekdays: [4], from: "10:30", to: "11:30", every: 2 },
    roles: [{ role: "読み聞かせ", roleEn: "Reader", headcount: 1 }],
    accessibilityNotes: "バリアフリー(エレベーターあり)。",
  },

  // ───────── 防災 ─────────
  {
    key: "kitayama-bousai", category: "disaster", owner: "kitayama", area: "kitayama", place: "kitayama-school",
    title: "北山地区 防災訓練の運営", titleEn: "Running the Kitayama disaster drill",
    description: "地域防災拠点での年1回の訓練。受付、炊き出し、要配慮者の避難誘導、テント設営を分担します。",
    schedule: { kind: "dates", dates: [{ after: 18, weekday: 0, from: "09:00", to: "12:00" }] },
    roles: [
      { role: "受付・名簿", roleEn: "Reception and roll", headcount: 2 },
      { role: "炊き出し", roleEn: "Emergency cooking", headcount: 4, skills: ["cooking"] },
      { role: "要配慮者の避難支援", roleEn: "Helping people who need support", headcount: 3, skills: ["disaster"] },
      { role: "設営・撤収", roleEn: "Setting up and clearing away", headcount: 4, skills: ["physical"], from: "08:00", to: "12:30" },
    ],
    incentives: { localPoints: 200 }, whatToBring: "軍手、飲み物、帽子",
  },
  {
    key: "hinanjo-kaisetsu", category: "disaster", owner: "sakuragawa", area: "sakuragawa", place: "sakuragawa-school",
    title: "避難所開設訓練(桜川小学校)", titleEn: "Shelter opening drill at Sakuragawa Elementary",
    description: "体育館に間仕切りと段ボールベッドを設営し、受付の流れを確認します。外国語での案内役も募集。",
    schedule: { kind: "dates", dates: [{ after: 12, weekday: 6, from: "09:30", to: "12:00" }] },
    roles: [
      { role: "設営", roleEn: "Set-up crew", headcount: 4, skills: ["physical"] },
      { role: "受付", roleEn: "Reception", headcount: 2 },
      { role: "多言語案内", roleEn: "Multilingual guide", headcount: 1, skills: ["lang_en"] },
    ],
    whatToBring: "軍手、上履き",
  },
  {
    key: "bichiku-tenken", category: "disaster", owner: "sakuragawa", area: "sakuragawa", place: "sakuragawa-hall", visibility: "ORG",
    title: "防災備蓄品の点検・入れ替え", titleEn: "Checking the emergency stockpile",
    description: "期限の近い食料・水の入れ替えと、発電機の試運転をします。",
    schedule: { kind: "dates", dates: [{ after: 8, weekday: 6, from: "10:00", to: "12:00" }] },
    roles: [{ role: "点検", roleEn: "Inspector", headcount: 3, skills: ["physical"] }],
  },
  {
    key: "bousai-map", category: "disaster", owner: "university", area: "higashidai", place: "univ-classroom",
    title: "わが町 防災マップづくり(大学ゼミと協働)", titleEn: "Making a neighbourhood hazard map with students",
    description: "学生と住民でまち歩きをして、危険箇所や避難経路を地図にまとめます。",
    schedule: { kind: "weekly", weekdays: [6], from: "10:00", to: "12:00", every: 2 },
    roles: [
      { role: "まち歩き記録", roleEn: "Walk-and-record", headcount: 2, skills: ["pr"] },
      { role: "地図作成", roleEn: "Map editor", headcount: 2, skills: ["digital"] },
    ],
    incentives: { certificate: true, ...TRANSPORT }, whatToBring: "スマートフォン(写真撮影用)",
  },
  {
    key: "aed-koshu", category: "disaster", owner: "shinkin", area: "chuo", place: "shinkin-room", visibility: "PLATFORM",
    title: "企業と地域の合同 救命講習(AED)", titleEn: "First-aid and AED course with local companies",
    description: "消防署の講師による講習の準備と補助。救命講習の修了者を募集します。",
    schedule: { kind: "dates", dates: [{ after: 15, weekday: 4, from: "18:30", to: "20:00" }] },
    roles: [{ role: "講習補助", roleEn: "Course assistant", headcount: 2, skills: ["first_aid"] }],
  },

  // ───────── 環境 ─────────
  {
    key: "river-cleanup", category: "environment", owner: "sakuragawa", area: "sakuragawa", place: "sakuragawa-riverside",
    title: "桜川 河川敷クリーンアップ", titleEn: "Sakuragawa riverside clean-up",
    description: "月に1度の河川敷清掃。ゴミ袋・トングは用意します。親子参加も歓迎です。",
    schedule: { kind: "monthly", weekday: 0, after: 5, from: "08:00", to: "10:00", history: 1 },
    roles: [
      { role: "清掃", roleEn: "Clean-up crew", headcount: 4 },
      { role: "受付・道具配布", roleEn: "Reception and tools", headcount: 1, from: "07:30", to: "10:00" },
    ],
    incentives: { localPoints: 100 }, whatToBring: "軍手、帽子、飲み物", accessibilityNotes: "河川敷は砂利道です。",
  },
  {
    key: "ekimae-kadan", category: "environment", owner: "city", area: "chuo", place: "station-square",
    title: "駅前花壇の植え替え", titleEn: "Replanting the station flowerbeds",
    description: "季節の花への植え替え。園芸経験のある方に作業のリードをお願いしたいです。",
    schedule: { kind: "dates", dates: [{ after: 9, weekday: 4, from: "09:30", to: "11:30" }] },
    roles: [{ role: "植え替え", roleEn: "Planting", headcount: 4, skills: ["gardening"] }],
    whatToBring: "軍手", incentives: { localPoints: 100 },
  },
  {
    key: "keyaki-mizuyari", category: "environment", owner: "higashidai", area: "higashidai", place: "higashidai-park",
    title: "けやき公園 花壇の水やり当番", titleEn: "Watering the Zelkova Park flowerbeds",
    description: "土曜の朝に花壇の水やりと花がら摘み。1時間だけの気軽な当番です。",
    schedule: { kind: "weekly", weekdays: [6], from: "08:00", to: "09:00", every: 2, history: 1 },
    roles: [{ role: "水やり", roleEn: "Watering", headcount: 2 }],
  },
  {
    key: "shotengai-seiso", category: "environment", owner: "shinkin", area: "chuo", place: "honmachi-shop-a",
    title: "本町商店街 朝の清掃(信金・商店会合同)", titleEn: "Morning clean-up of Honmachi street",
    description: "出勤前の30分で商店街を掃除します。信金職員と商店会の皆さんと一緒です。",
    schedule: { kind: "weekly", weekdays: [3], from: "07:30", to: "08:15" },
    roles: [{ role: "清掃", roleEn: "Cleaner", headcount: 3 }],
  },
  {
    key: "shimin-noen", category: "environment", owner: "kitayama", area: "kitayama", place: "midoridai-farm",
    title: "市民農園 共同区画の畑しごと", titleEn: "Shared plot at the community farm",
    description: "共同区画で季節の野菜を育てます。収穫した野菜はこども食堂に寄付します。",
    schedule: { kind: "weekly", weekdays: [6], from: "09:00", to: "11:00", every: 2, history: 1 },
    roles: [{ role: "畑作業", roleEn: "Farm work", headcount: 3, skills: ["gardening"] }],
    whatToBring: "軍手、長靴、帽子",
  },

  // ───────── 食 ─────────
  {
    key: "shokudo-higashidai", category: "food", owner: "npo_food", area: "higashidai", place: "higashidai-center",
    title: "みどりっ子食堂(東台)の運営", titleEn: "Running the Midorikko children's cafeteria",
    description: "毎週水曜のこども食堂。買い出し・調理・配膳・片付けの時間帯ごとに分かれているので、できる時間だけ参加できます。",
    schedule: { kind: "weekly", weekdays: [3], from: "15:00", to: "19:30", history: 2 },
    roles: [
      { role: "買い出し", roleEn: "Grocery run", headcount: 1, skills: ["driving"], from: "14:00", to: "15:30" },
      { role: "調理", roleEn: "Cooking", headcount: 3, skills: ["cooking"], from: "15:30", to: "18:00" },
      { role: "配膳・子ども対応", roleEn: "Serving and children", headcount: 2, skills: ["childcare"], from: "17:00", to: "19:00" },
      { role: "片付け", roleEn: "Clearing up", headcount: 2, from: "18:45", to: "19:45" },
    ],
    incentives: TRANSPORT, whatToBring: "エプロン、三角巾", accessibilityNotes: "調理室は1階。車いすで入れます。",
  },
  {
    key: "shokudo-sakuragawa", category: "food", owner: "npo_food", area: "sakuragawa", place: "sakuragawa-center",
    title: "さくら川こども食堂のボランティア", titleEn: "Sakuragawa children's cafeteria volunteers",
    description: "隔週金曜の夕方。食事のあとに宿題を見る「学習見守り」もあります。",
    schedule: { kind: "weekly", weekdays: [5], from: "16:00", to: "19:30", every: 2, history: 1 },
    roles: [
      { role: "調理", roleEn: "Cooking", headcount: 3, skills: ["cooking"], from: "16:00", to: "18:00" },
      { role: "配膳", roleEn: "Serving", headcount: 2, from: "17:30", to: "19:00" },
      { role: "学習見守り", roleEn: "Homework help", headcount: 1, skills: ["tutoring"], from: "18:00", to: "19:30" },
    ],
    incentives: TRANSPORT, whatToBring: "エプロン、三角巾",
  },
  {
    key: "shokudo-kitayama", category: "food", owner: "npo_food", area: "kitayama", place: "kitayama-center",
    title: "北山わいわい食堂(多世代食堂)", titleEn: "Kitayama Waiwai multi-generation cafeteria",
    description: "子どもから高齢者まで一緒に食べる食堂です。受付では顔見知りの方への声かけもお願いします。",
    schedule: { kind: "weekly", weekdays: [6], from: "10:00", to: "14:00", every: 2 },
    roles: [
      { role: "調理", roleEn: "Cooking", headcount: 3, skills: ["cooking"], from: "10:00", to: "12:30" },
      { role: "配膳", roleEn: "Serving", headcount: 2, from: "11:30", to: "13:30" },
      { role: "受付", roleEn: "Reception", headcount: 1, from: "11:15", to: "13:30" },
    ],
    incentives: TRANSPORT,
  },
  {
    key: "shokudo-chuo", category: "food", owner: "npo_food", area: "chuo", place: "honmachi-shop-a",
    title: "中央ほっと食堂(空き店舗の週末食堂)", titleEn: "Chuo Hot cafeteria in a vacant shop",
    description: "商店街の空き店舗を使った週末のこども食堂。小さな厨房なので少人数で回します。",
    schedule: { kind: "weekly", weekdays: [6], from: "11:00", to: "14:30", every: 2, history: 1 },
    roles: [
      { role: "調理", roleEn: "Cooking", headcount: 2, skills: ["cooking"], from: "11:00", to: "13:00" },
      { role: "配膳", roleEn: "Serving", headcount: 2, from: "12:00", to: "14:30" },
    ],
    incentives: TRANSPORT,
  },
  {
    key: "food-pantry", category: "food", owner: "npo_food", area: "higashidai", place: "super-space",
    title: "フードパントリー 食品の仕分け・配布", titleEn: "Food pantry: sorting and handing out",
    description: "寄付された食品を仕分けし、事前登録した家庭にお渡しします。",
    schedule: { kind: "weekly", weekdays: [0], from: "09:30", to: "12:00", every: 2 },
    roles: [
      { role: "仕分け", roleEn: "Sorting", headcount: 3, skills: ["physical"], from: "09:30", to: "11:00" },
      { role: "配布・受付", roleEn: "Handing out", headcount: 2, from: "10:00", to: "12:00" },
    ],
  },
  {
    key: "haishoku-delivery", category: "food", owner: "shakyo", area: "chuo", place: "share-kitchen",
    title: "ふれあい弁当の配達(見守りを兼ねて)", titleEn: "Delivering Fureai lunch boxes",
    description: "シェアキッチンで作ったお弁当を車で届け、手渡しで安否を確認します。",
    schedule: { kind: "weekly", weekdays: [2, 5], from: "11:00", to: "12:30", history: 1 },
    roles: [{ role: "配達ドライバー", roleEn: "Delivery driver", headcount: 2, skills: ["driving"] }],
    incentives: { transportFeeYen: 500, localPoints: 100 }, whatToBring: "運転免許証",
  },
  {
    key: "food-drive-store", category: "food", owner: "supermarket", area: "higashidai", place: "super-space",
    title: "スーパー店頭のフードドライブ受付", titleEn: "Food drive desk at the supermarket",
    description: "買い物客から家庭の余剰食品を受け付け、賞味期限を確認します。",
    schedule: { kind: "dates", dates: [{ after: 4, weekday: 6, from: "10:00", to: "15:00" }] },
    roles: [
      { role: "午前の受付", roleEn: "Morning desk", headcount: 2, from: "10:00", to: "12:30" },
      { role: "午後の受付", roleEn: "Afternoon desk", headcount: 2, from: "12:30", to: "15:00" },
    ],
    incentives: { localPoints: 100 },
  },

  // ───────── 交流 ─────────
  {
    key: "salon-kitayama", category: "social", owner: "kitayama", area: "kitayama", place: "kitayama-hall",
    title: "いきいきサロン北山のお手伝い", titleEn: "Helping at the Kitayama Ikiiki Salon",
    description: "お茶出しや受付、脳トレの進行をお願いします。参加者の多くは80代です。",
    schedule: { kind: "weekly", weekdays: [2], from: "10:00", to: "12:00", history: 2 },
    roles: [
      { role: "お茶出し・受付", roleEn: "Tea and reception", headcount: 2 },
      { role: "レクリエーション進行", roleEn: "Leading activities", headcount: 1, skills: ["music"] },
    ],
    incentives: { localPoints: 100 }, accessibilityNotes: "会館の入口にスロープあり。",
  },
  {
    key: "salon-kawabe", category: "social", owner: "sakuragawa", area: "sakuragawa", place: "sakuragawa-engawa",
    title: "かわべサロンの運営サポート", titleEn: "Supporting the Kawabe salon",
    description: "ふらっとスペース桜川で開くサロン。話し相手になってくれる方を募集しています。",
    schedule: { kind: "weekly", weekdays: [4], from: "10:00", to: "12:00", history: 1 },
    roles: [{ role: "運営サポート", roleEn: "Salon helper", headcount: 2, skills: ["listening"] }],
  },
  {
    key: "utagoe-bansou", category: "social", owner: "shakyo", area: "chuo", place: "civic-center",
    title: "うたごえ喫茶みどり の伴奏と受付", titleEn: "Sing-along café: accompanist and reception",
    description: "懐かしの歌をみんなで歌います。ピアノかギターで伴奏できる方を探しています。",
    schedule: { kind: "monthly", weekday: 5, after: 7, from: "14:00", to: "16:00", history: 1 },
    roles: [
      { role: "伴奏", roleEn: "Accompanist", headcount: 1, skills: ["music"] },
      { role: "受付", roleEn: "Reception", headcount: 1 },
    ],
    incentives: { thanksYen: 1000 },
  },
  {
    key: "tabunka-ryori", category: "social", owner: "city", area: "chuo", place: "civic-center",
    title: "多文化交流会「せかいの料理をつくろう」", titleEn: "Multicultural cooking meetup",
    description: "外国にルーツのある住民が先生になり、母国の料理を一緒に作ります。通訳ボランティアも募集。",
    schedule: { kind: "dates", dates: [{ after: 13, weekday: 0, from: "10:00", to: "14:00" }] },
    roles: [
      { role: "調理補助", roleEn: "Kitchen helper", headcount: 3, skills: ["cooking"] },
      { role: "通訳(英語)", roleEn: "Interpreter (English)", headcount: 1, skills: ["lang_en"] },
      { role: "通訳(中国語)", roleEn: "Interpreter (Chinese)", headcount: 1, skills: ["lang_zh"] },
      { role: "受付", roleEn: "Reception", headcount: 1, from: "09:30", to: "11:00" },
    ],
    incentives: { localPoints: 100 },
  },
  {
    key: "aki-matsuri", category: "social", owner: "higashidai", area: "higashidai", place: "higashidai-park",
    title: "東台 秋まつりの模擬店・設営スタッフ", titleEn: "Higashidai autumn festival stalls and set-up",
    description: "自治会の秋まつり。焼きそばの模擬店、テントの設営と撤収を手伝ってください。",
    schedule: { kind: "dates", dates: [{ after: 20, weekday: 6, from: "10:00", to: "16:00" }] },
    roles: [
      { role: "設営", roleEn: "Set-up", headcount: 4, skills: ["physical"], from: "08:30", to: "10:00" },
      { role: "模擬店(午前)", roleEn: "Food stall (morning)", headcount: 4, skills: ["cooking"], from: "10:00", to: "13:00" },
      { role: "模擬店(午後)", roleEn: "Food stall (afternoon)", headcount: 4, from: "13:00", to: "16:00" },
      { role: "撤収", roleEn: "Clearing away", headcount: 4, skills: ["physical"], from: "16:00", to: "17:30" },
    ],
    incentives: { localPoints: 200 }, whatToBring: "動きやすい服装",
  },
  {
    key: "engawa-toban", category: "social", owner: "shakyo", area: "kitayama", place: "kitayama-engawa",
    title: "みんなの縁側 北山 の当番", titleEn: "Host shifts at the Kitayama Community Veranda",
    description: "居場所の鍵開けとお茶出し、来た人とのおしゃべり。午前・午後の半日単位です。",
    schedule: { kind: "weekly", weekdays: [4], from: "10:00", to: "16:00", history: 1 },
    roles: [
      { role: "午前の当番", roleEn: "Morning host", headcount: 1, from: "10:00", to: "13:00" },
      { role: "午後の当番", roleEn: "Afternoon host", headcount: 1, from: "13:00", to: "16:00" },
    ],
    incentives: { localPoints: 100 },
  },

  // ───────── 学習支援 ─────────
  {
    key: "manabi-juku", category: "learning", owner: "university", area: "higashidai", place: "higashidai-center",
    title: "放課後まなび塾 東台(小中学生の学習支援)", titleEn: "After-school study club, Higashidai",
    description: "大学生と地域の大人が、小中学生の宿題や自習をサポートします。教え方の研修あり。",
    schedule: { kind: "weekly", weekdays: [1, 4], from: "17:00", to: "19:00", history: 1 },
    roles: [{ role: "学習サポーター", roleEn: "Study supporter", headcount: 3, skills: ["tutoring"] }],
    incentives: { certificate: true, ...TRANSPORT },
  },
  {
    key: "nihongo-support", category: "learning", owner: "city", area: "chuo", place: "chuo-library",
    title: "外国にルーツのある子どもの日本語・学習サポート", titleEn: "Japanese and homework support for children with foreign roots",
    description: "やさしい日本語で宿題を一緒に読みます。ベトナム語ができる方も歓迎です。",
    schedule: { kind: "weekly", weekdays: [6], from: "10:00", to: "12:00", every: 2, history: 1 },
    roles: [
      { role: "学習サポーター", roleEn: "Study supporter", headcount: 2, skills: ["tutoring"] },
      { role: "通訳(ベトナム語)", roleEn: "Interpreter (Vietnamese)", headcount: 1, skills: ["lang_vi"] },
    ],
    incentives: TRANSPORT,
  },
  {
    key: "sumaho-soudankai", category: "learning", owner: "university", area: "chuo", place: "chuo-library",
    title: "シニアのためのスマホ相談会", titleEn: "Smartphone help for seniors",
    description: "LINEの使い方、写真の送り方、詐欺メールの見分け方などの質問に答えます。",
    schedule: { kind: "weekly", weekdays: [3], from: "14:00", to: "16:00", every: 2, history: 1 },
    roles: [{ role: "スマホ相談員", roleEn: "Smartphone helper", headcount: 3, skills: ["digital"] }],
    incentives: { certificate: true },
  },
  {
    key: "online-eigo", category: "learning", owner: "university", area: null, remote: true,
    title: "オンライン学習支援(中学生の英語)", titleEn: "Online English tutoring for junior-high students",
    description: "ビデオ通話で中学生の英語の宿題を見ます。自宅から参加できます。",
    schedule: { kind: "weekly", weekdays: [2], from: "19:00", to: "20:30" },
    roles: [{ role: "オンライン講師", roleEn: "Online tutor", headcount: 2, skills: ["lang_en", "tutoring"] }],
    incentives: { certificate: true },
  },
  {
    key: "natsuyasumi-shukudai", category: "learning", owner: "university", area: "higashidai", place: "univ-classroom",
    status: "CLOSED",
    title: "宿題おたすけ教室(募集終了)", titleEn: "Homework help sessions (closed)",
    description: "大学の教室を使った集中学習会。今期の募集は終了しました。",
    schedule: { kind: "past", dates: [{ daysAgo: 10, from: "10:00", to: "12:00" }, { daysAgo: 3, from: "10:00", to: "12:00" }] },
    roles: [{ role: "学習サポーター", roleEn: "Study supporter", headcount: 4, skills: ["tutoring"] }],
    incentives: { certificate: true },
  },

  // ───────── 移動支援 ─────────
  {
    key: "odekake-driver", category: "mobility", owner: "npo_mobility", area: "sakuragawa", place: "mobility-office",
    title: "おでかけワゴン 買い物送迎ドライバー", titleEn: "Shopping-ride driver (Odekake wagon)",
    description: "NPOのワゴン車で、団地の高齢者をスーパーまで送迎します。運転歴3年以上の方。",
    schedule: { kind: "weekly", weekdays: [2, 5], from: "09:30", to: "12:00", history: 1 },
    roles: [
      { role: "送迎ドライバー", roleEn: "Driver", headcount: 1, skills: ["driving"] },
      { role: "添乗(乗り降りの手伝い)", roleEn: "Ride assistant", headcount: 1, weekdays: [2] },
    ],
    incentives: { transportFeeYen: 500, thanksYen: 1000 }, whatToBring: "運転免許証",
  },
  {
    key: "tsuin-tsukisoi", category: "mobility", owner: "npo_mobility", area: "chuo", place: "houkatsu-office", visibility: "PLATFORM",
    title: "通院付き添いボランティア", titleEn: "Escorting residents to clinic appointments",
    description: "病院の受付から会計まで付き添います。日程ごとに1名ずつ募集します。",
    schedule: {
      kind: "dates",
      dates: [
        { after: 3, weekday: 2, from: "09:00", to: "12:00" },
        { after: 9, weekday: 4, from: "13:00", to: "16:00" },
        { after: 17, weekday: 1, from: "09:30", to: "11:30" },
      ],
    },
    roles: [{ role: "付き添い", roleEn: "Escort", headcount: 1, skills: ["listening"] }],
    incentives: { transportFeeYen: 500, thanksYen: 1000 },
  },
  {
    key: "super-bus-support", category: "mobility", owner: "supermarket", area: "higashidai", place: "super-space",
    title: "買い物送迎バスの乗降サポート", titleEn: "Boarding help on the shopping shuttle",
    description: "送迎バスの乗り降りと荷物の積み込みを手伝います。",
    schedule: { kind: "weekly", weekdays: [5], from: "10:00", to: "12:00", every: 2 },
    roles: [{ role: "乗降サポート", roleEn: "Boarding helper", headcount: 1 }],
    incentives: { localPoints: 100 },
  },

  // ───────── 健康 ─────────
  {
    key: "genki-taiso", category: "health", owner: "houkatsu", area: "kitayama", place: "kitayama-center",
    title: "元気アップ体操(北山)の補助", titleEn: "Assisting the Genki-up exercise class",
    description: "講師の横で見本を見せたり、椅子を並べたりします。体操経験は問いません。",
    schedule: { kind: "weekly", weekdays: [5], from: "10:00", to: "11:00", history: 1 },
    roles: [{ role: "体操補助", roleEn: "Class assistant", headcount: 2 }],
    incentives: { localPoints: 50 },
  },
  {
    key: "walking-club", category: "health", owner: "houkatsu", area: "sakuragawa", place: "sakuragawa-riverside",
    title: "桜川ウォーキングクラブの安全見守り", titleEn: "Safety escort for the walking club",
    description: "河川敷のウォーキングに伴走し、体調の悪い方がいないか気を配ります。",
    schedule: { kind: "weekly", weekdays: [6], from: "08:00", to: "09:30", every: 2 },
    roles: [{ role: "見守り伴走", roleEn: "Safety escort", headcount: 2, skills: ["first_aid"] }],
  },
  {
    key: "kenko-sokutei", category: "health", owner: "supermarket", area: "higashidai", place: "super-space",
    title: "店頭健康測定会の受付・記録", titleEn: "Health check corner: reception and records",
    description: "血圧計・握力計での測定の受付と、結果カードへの記録をお願いします。",
    schedule: { kind: "dates", dates: [{ after: 14, weekday: 0, from: "10:00", to: "14:00" }] },
    roles: [
      { role: "受付", roleEn: "Reception", headcount: 2, from: "10:00", to: "12:00" },
      { role: "記録", roleEn: "Records", headcount: 2, skills: ["digital"], from: "12:00", to: "14:00" },
    ],
    incentives: { localPoints: 100 },
  },
  {
    key: "orange-cafe-staff", category: "health", owner: "houkatsu", area: "chuo", place: "civic-center",
    title: "認知症カフェ オレンジ の運営ボランティア", titleEn: "Volunteers for the Orange dementia café",
    description: "ご本人や家族とお茶を飲みながら話します。ミニコンサートの演奏者も募集。",
    schedule: { kind: "monthly", weekday: 6, after: 10, from: "14:00", to: "16:00" },
    roles: [
      { role: "カフェスタッフ", roleEn: "Café staff", headcount: 2, skills: ["listening"] },
      { role: "ミニコンサート", roleEn: "Mini concert", headcount: 1, skills: ["music"], from: "15:00", to: "16:00" },
    ],
  },

  // ───────── 文化・スポーツ ─────────
  {
    key: "tsunagu-tsushin", category: "culture", owner: "shakyo", area: "chuo", place: "shakyo-office",
    title: "地域情報紙『つなぐ通信』の取材・写真", titleEn: "Reporting and photos for the Tsunagu newsletter",
    description: "地域の活動を取材して記事と写真にまとめます。",
    schedule: { kind: "weekly", weekdays: [6], from: "10:00", to: "12:00", every: 2 },
    roles: [{ role: "取材・撮影", roleEn: "Reporter / photographer", headcount: 2, skills: ["pr"] }],
    incentives: TRANSPORT,
  },
  {
    key: "tsushin-henshu", category: "culture", owner: "shakyo", area: null, remote: true, visibility: "PLATFORM",
    title: "『つなぐ通信』の記事編集(在宅・オンライン)", titleEn: "Editing the Tsunagu newsletter (online)",
    description: "集まった原稿と写真を、在宅でレイアウトします。",
    schedule: { kind: "dates", dates: [{ after: 16, from: "20:00", to: "21:30" }] },
    roles: [{ role: "編集", roleEn: "Editor", headcount: 1, skills: ["pr", "digital"] }],
  },
  {
    key: "takkyu-coach", category: "culture", owner: "sakuragawa", area: "sakuragawa", place: "sakuragawa-center",
    title: "子ども卓球教室のコーチ補助", titleEn: "Assistant coach, children's table tennis",
    description: "小学生の卓球教室で、球拾いやラリーの相手をします。",
    schedule: { kind: "weekly", weekdays: [6], from: "14:00", to: "16:00", every: 2, history: 1 },
    roles: [{ role: "コーチ補助", roleEn: "Assistant coach", headcount: 2, skills: ["childcare"] }],
  },
  {
    key: "mini-concert", category: "culture", owner: "university", area: "chuo", place: "day-service",
    title: "大学生による福祉施設ミニコンサート", titleEn: "Students' mini concert at a day-care centre",
    description: "デイサービスで童謡や歌謡曲の演奏会を開きます。",
    schedule: { kind: "dates", dates: [{ after: 11, weekday: 3, from: "14:00", to: "15:30" }] },
    roles: [
      { role: "演奏", roleEn: "Musician", headcount: 4, skills: ["music"] },
      { role: "司会", roleEn: "MC", headcount: 1 },
    ],
    incentives: { certificate: true },
  },
  {
    key: "sakura-matsuri", category: "culture", owner: "sakuragawa", area: "sakuragawa", place: "sakuragawa-riverside",
    status: "ARCHIVED",
    title: "桜まつり 運営スタッフ(終了)", titleEn: "Cherry blossom festival staff (finished)",
    description: "今年の桜まつりは終了しました。ご協力ありがとうございました。",
    schedule: { kind: "past", dates: [{ daysAgo: 20, from: "10:00", to: "15:00" }] },
    roles: [
      { role: "会場整理", roleEn: "Crowd guide", headcount: 4 },
      { role: "模擬店", roleEn: "Food stall", headcount: 3, skills: ["cooking"] },
    ],
    incentives: { localPoints: 200 },
  },

  // ───────── 生活支援 ─────────
  {
    key: "chotto-tasukeai", category: "livelihood", owner: "shakyo", area: "chuo", place: "shakyo-office", visibility: "PLATFORM",
    title: "ちょこっと助け合い(電球交換・家具の移動など)", titleEn: "Small help at home (light bulbs, furniture)",
    description: "30分〜1時間の困りごとのお手伝い。依頼ごとに日程を分けて募集します。",
    schedule: {
      kind: "dates",
      dates: [
        { after: 2, from: "10:00", to: "11:00" },
        { after: 5, from: "14:00", to: "15:00" },
        { after: 12, from: "10:00", to: "11:30" },
        { after: 19, from: "13:30", to: "14:30" },
      ],
    },
    roles: [{ role: "生活支援", roleEn: "Helper", headcount: 1, skills: ["physical"] }],
    incentives: { localPoints: 100 },
  },
  {
    key: "gomidashi", category: "livelihood", owner: "kitayama", area: "kitayama", place: "kitayama-danchi-hall",
    title: "ゴミ出し支援(北山団地)", titleEn: "Rubbish-day help, Kitayama estate",
    description: "階段の上り下りが難しい方のゴミを、朝の出勤前に集積所まで運びます。",
    schedule: { kind: "weekly", weekdays: [4], from: "07:30", to: "08:15", history: 1 },
    roles: [{ role: "ゴミ出し", roleEn: "Rubbish carrier", headcount: 1 }],
    incentives: { localPoints: 50 },
  },
  {
    key: "kaimono-daiko", category: "livelihood", owner: "shakyo", area: "sakuragawa", place: "sakuragawa-engawa",
    title: "買い物代行(外出が難しい高齢者のため)", titleEn: "Shopping for housebound residents",
    description: "メモを預かってスーパーで買い物をし、ご自宅に届けます。",
    schedule: { kind: "weekly", weekdays: [3], from: "13:00", to: "15:00", every: 2 },
    roles: [{ role: "買い物代行", roleEn: "Shopper", headcount: 1 }],
    incentives: TRANSPORT,
  },
  {
    key: "niwa-teire", category: "livelihood", owner: "shakyo", area: "kitayama", place: "kitayama-engawa",
    title: "庭木の手入れ・草むしり", titleEn: "Garden tidying for an older resident",
    description: "ひとり暮らしの方の庭の草むしりと低木の剪定です。",
    schedule: { kind: "dates", dates: [{ after: 11, weekday: 6, from: "09:00", to: "12:00" }] },
    roles: [{ role: "庭しごと", roleEn: "Gardener", headcount: 3, skills: ["gardening"] }],
    whatToBring: "軍手、帽子", incentives: { localPoints: 100 },
  },
  {
    key: "oosouji", category: "livelihood", owner: "shakyo", area: "chuo", place: "shakyo-office", status: "DRAFT", visibility: "ORG",
    title: "年末 大掃除お手伝い隊(準備中)", titleEn: "Year-end cleaning helpers (draft)",
    description: "高齢世帯の窓ふきや換気扇掃除。日程と対象世帯を調整中です。",
    schedule: { kind: "dates", dates: [{ after: 24, weekday: 6, from: "10:00", to: "12:00" }] },
    roles: [{ role: "清掃", roleEn: "Cleaner", headcount: 4, skills: ["physical"] }],
  },
];
