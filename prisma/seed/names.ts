/**
 * Name lists for the demo residents. Common Japanese family names with katakana readings and a
 * romanisation (used only for fake example.jp addresses), and given names by generation, because
 * a 78-year-old 和子 and a 19-year-old 陽菜 look right while the reverse does not.
 * Every person generated from these lists is fictional.
 */
export type FamilyName = readonly [kanji: string, kana: string, romaji: string];
export type GivenName = readonly [kanji: string, kana: string];

export const FAMILY_NAMES: readonly FamilyName[] = [
  ["佐藤", "サトウ", "sato"], ["鈴木", "スズキ", "suzuki"], ["高橋", "タカハシ", "takahashi"],
  ["田中", "タナカ", "tanaka"], ["伊藤", "イトウ", "ito"], ["渡辺", "ワタナベ", "watanabe"],
  ["山本", "ヤマモト", "yamamoto"], ["中村", "ナカムラ", "nakamura"], ["小林", "コバヤシ", "kobayashi"],
  ["加藤", "カトウ", "kato"], ["吉田", "ヨシダ", "yoshida"], ["山田", "ヤマダ", "yamada"],
  ["佐々木", "ササキ", "sasaki"], ["山口", "ヤマグチ", "yamaguchi"], ["松本", "マツモト", "matsumoto"],
  ["井上", "イノウエ", "inoue"], ["木村", "キムラ", "kimura"], ["林", "ハヤシ", "hayashi"],
  ["斎藤", "サイトウ", "saito"], ["清水", "シミズ", "shimizu"], ["山崎", "ヤマザキ", "yamazaki"],
  ["森", "モリ", "mori"], ["池田", "イケダ", "ikeda"], ["橋本", "ハシモト", "hashimoto"],
  ["阿部", "アベ", "abe"], ["石川", "イシカワ", "ishikawa"], ["山下", "ヤマシタ", "yamashita"],
  ["中島", "ナカジマ", "nakajima"], ["石井", "イシイ", "ishii"], ["小川", "オガワ", "ogawa"],
  ["前田", "マエダ", "maeda"], ["岡田", "オカダ", "okada"], ["長谷川", "ハセガワ", "hasegawa"],
  ["藤田", "フジタ", "fujita"], ["後藤", "ゴトウ", "goto"], ["近藤", "コンドウ", "kondo"],
  ["村上", "ムラカミ", "murakami"], ["遠藤", "エンドウ", "endo"], ["青木", "アオキ", "aoki"],
  ["坂本", "サカモト", "sakamoto"], ["福田", "フクダ", "fukuda"], ["太田", "オオタ", "ota"],
  ["西村", "ニシムラ", "nishimura"], ["藤井", "フジイ", "fujii"], ["金子", "カネコ", "kaneko"],
  ["岡本", "オカモト", "okamoto"], ["藤原", "フジワラ", "fujiwara"], ["三浦", "ミウラ", "miura"],
  ["中野", "ナカノ", "nakano"], ["中川", "ナカガワ", "nakagawa"], ["原田", "ハラダ", "harada"],
  ["松田", "マツダ", "matsuda"], ["竹内", "タケウチ", "takeuchi"], ["小野", "オノ", "ono"],
  ["田村", "タムラ", "tamura"], ["中山", "ナカヤマ", "nakayama"], ["和田", "ワダ", "wada"],
  ["石田", "イシダ", "ishida"], ["森田", "モリタ", "morita"], ["上田", "ウエダ", "ueda"],
  ["原", "ハラ", "hara"], ["柴田", "シバタ", "shibata"], ["酒井", "サカイ", "sakai"],
  ["工藤", "クドウ", "kudo"], ["横山", "ヨコヤマ", "yokoyama"], ["宮崎", "ミヤザキ", "miyazaki"],
  ["宮本", "ミヤモト", "miyamoto"], ["内田", "ウチダ", "uchida"], ["高木", "タカギ", "takagi"],
  ["安藤", "アンドウ", "ando"], ["島田", "シマダ", "shimada"], ["谷口", "タニグチ", "taniguchi"],
  ["大野", "オオノ", "ohno"], ["丸山", "マルヤマ", "maruyama"], ["今井", "イマイ", "imai"],
];

/** Born up to about 1955: today's 70s and 80s. */
export const GIVEN_NAMES_OLDER = {
  female: [
    ["和子", "カズコ"], ["幸子", "サチコ"], ["節子", "セツコ"], ["洋子", "ヨウコ"], ["恵子", "ケイコ"],
    ["京子", "キョウコ"], ["美代子", "ミヨコ"], ["久子", "ヒサコ"], ["弘子", "ヒロコ"], ["悦子", "エツコ"],
    ["良子", "ヨシコ"], ["信子", "ノブコ"], ["昭子", "アキコ"], ["文子", "フミコ"], ["静子", "シズコ"],
    ["トミ子", "トミコ"], ["千代", "チヨ"],
  ],
  male: [
    ["清", "キヨシ"], ["茂", "シゲル"], ["勇", "イサム"], ["博", "ヒロシ"], ["実", "ミノル"],
    ["進", "ススム"], ["正雄", "マサオ"], ["和夫", "カズオ"], ["修", "オサム"], ["武", "タケシ"],
    ["隆", "タカシ"], ["勝", "マサル"], ["昭", "アキラ"], ["幸雄", "ユキオ"], ["義明", "ヨシアキ"],
    ["邦夫", "クニオ"],
  ],
} as const satisfies Record<string, readonly GivenName[]>;

/** Born about 1956–1985: today's 40s to 60s. */
export const GIVEN_NAMES_MIDDLE = {
  female: [
    ["由美子", "ユミコ"], ["裕子", "ユウコ"], ["真由美", "マユミ"], ["明美", "アケミ"], ["直美", "ナオミ"],
    ["久美子", "クミコ"], ["智子", "トモコ"], ["陽子", "ヨウコ"], ["恵美", "エミ"], ["美穂", "ミホ"],
    ["香織", "カオリ"], ["千尋", "チヒロ"], ["綾", "アヤ"], ["麻衣", "マイ"], ["愛", "アイ"],
    ["由紀", "ユキ"],
  ],
  male: [
    ["浩", "ヒロシ"], ["誠", "マコト"], ["健一", "ケンイチ"], ["剛", "ツヨシ"], ["哲也", "テツヤ"],
    ["大輔", "ダイスケ"], ["直樹", "ナオキ"], ["達也", "タツヤ"], ["浩二", "コウジ"], ["和也", "カズヤ"],
    ["拓也", "タクヤ"], ["健太", "ケンタ"], ["聡", "サトシ"], ["秀樹", "ヒデキ"], ["雅之", "マサユキ"],
    ["豊", "ユタカ"],
  ],
} as const satisfies Record<string, readonly GivenName[]>;

/** Born 1986 or later: today's students and young workers. */
export const GIVEN_NAMES_YOUNG = {
  female: [
    ["美咲", "ミサキ"], ["陽菜", "ヒナ"], ["結衣", "ユイ"], ["さくら", "サクラ"], ["葵", "アオイ"],
    ["七海", "ナナミ"], ["彩花", "アヤカ"], ["芽衣", "メイ"], ["凛", "リン"], ["莉子", "リコ"],
    ["杏", "アン"], ["結菜", "ユイナ"], ["美結", "ミユ"], ["優花", "ユウカ"],
  ],
  male: [
    ["翔太", "ショウタ"], ["大翔", "ヒロト"], ["蓮", "レン"], ["悠斗", "ユウト"], ["陽翔", "ハルト"],
    ["颯太", "ソウタ"], ["拓海", "タクミ"], ["健斗", "ケント"], ["大輝", "ダイキ"], ["湊", "ミナト"],
    ["海斗", "カイト"], ["翼", "ツバサ"], ["悠真", "ユウマ"],
  ],
} as const satisfies Record<string, readonly GivenName[]>;

export function givenNamesFor(birthYear: number): { female: readonly GivenName[]; male: readonly GivenName[] } {
  if (birthYear <= 1955) return GIVEN_NAMES_OLDER;
  if (birthYear <= 1985) return GIVEN_NAMES_MIDDLE;
  return GIVEN_NAMES_YOUNG;
}

/**
 * Residents whose first language is not Japanese (the product serves them with やさしい日本語).
 * The name is written the way they registered it; `language` is the skill code they bring.
 */
export const FOREIGN_RESIDENTS = [
  { name: "グエン ティ ラン", kana: "グエン ティ ラン", romaji: "nguyen", language: "lang_vi", age: 29, female: true },
  { name: "王 麗華", kana: "ワン リーホア", romaji: "wang", language: "lang_zh", age: 43, female: true },
  { name: "李 明", kana: "リ ミン", romaji: "li", language: "lang_zh", age: 24, female: false },
  { name: "マリア サントス", kana: "マリア サントス", romaji: "santos", language: "lang_pt", age: 47, female: true },
  { name: "エミリー スミス", kana: "エミリー スミス", romaji: "smith", language: "lang_en", age: 35, female: true },
  { name: "チャン ヴァン ミン", kana: "チャン ヴァン ミン", romaji: "tran", language: "lang_vi", age: 26, female: false },
  { name: "ラジ クマール", kana: "ラジ クマール", romaji: "kumar", language: "lang_en", age: 39, female: false },
] as const;
