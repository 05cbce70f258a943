/**
 * Furigana for やさしい日本語: splits a text into plain runs and words from a small dictionary of
 * kanji words common on residents' pages, each with its reading, so the page can render
 * `<ruby>活動<rt>かつどう</rt></ruby>`. Longest match first (連絡先 before 連絡). Words not in the
 * dictionary stay as they are: the easy texts are written to need few kanji in the first place.
 */
export type RubySegment = string | { base: string; reading: string };

export const RUBY_DICTIONARY: Readonly<Record<string, string>> = {
  活動: "かつどう",
  参加: "さんか",
  連絡先: "れんらくさき",
  連絡: "れんらく",
  場所: "ばしょ",
  名前: "なまえ",
  電話番号: "でんわばんごう",
  電話: "でんわ",
  番号: "ばんごう",
  団体: "だんたい",
  地区: "ちく",
  地域: "ちいき",
  地図: "ちず",
  曜日: "ようび",
  時間: "じかん",
  人数: "にんずう",
  文字: "もじ",
  証明書: "しょうめいしょ",
  中央: "ちゅうおう",
  一度: "いちど",
  電車: "でんしゃ",
  日よう日: "にちようび",
  月よう日: "げつようび",
  火よう日: "かようび",
  水よう日: "すいようび",
  木よう日: "もくようび",
  金よう日: "きんようび",
  土よう日: "どようび",
  // Single kanji, with the one reading they have in the easy texts (okurigana stay outside).
  日: "ひ",
  時: "じ",
  字: "じ",
  駅: "えき",
  家: "いえ",
  色: "いろ",
  近: "ちか",
  大: "おお",
  多: "おお",
  見: "み",
  使: "つか",
  書: "か",
  話: "はな",
  手: "て",
  車: "くるま",
};

const KEYS = Object.keys(RUBY_DICTIONARY).sort((a, b) => b.length - a.length);
const MAX_KEY = KEYS.reduce((m, k) => Math.max(m, k.length), 0);

/** Text → segments; adjacent plain characters are joined. */
export function rubySegments(
  text: string,
  dictionary: Readonly<Record<string, string>> = RUBY_DICTIONARY
): RubySegment[] {
  const keys =
    dictionary === RUBY_DICTIONARY
      ? KEYS
      : Object.keys(dictionary).sort((a, b) => b.length - a.length);
  const maxKey =
    dictionary === RUBY_DICTIONARY
      ? MAX_KEY
      : keys.reduce((m, k) => Math.max(m, k.length), 0);
  const out: RubySegment[] = [];
  let plain = "";
  let i = 0;
  outer: while (i < text.length) {
    for (let len = Math.min(maxKey, text.length - i); len > 0; len--) {
      const word = text.slice(i, i + len);
      const reading = dictionary[word];
      if (reading !== undefined) {
        if (plain) out.push(plain);
        plain = "";
        out.push({ base: word, reading });
        i += len;
        continue outer;
      }
    }
    plain += text[i];
    i += 1;
  }
  if (plain) out.push(plain);
  return out;
}
