import { describe, expect, it } from "vitest";
import { label, localeFromAcceptLanguage, localized, messagesFor, resolveLocale } from "./i18n";

describe("localeFromAcceptLanguage", () => {
  it.each([
    [null, null],
    ["", null],
    ["ja", "ja"],
    ["ja-JP,ja;q=0.9,en;q=0.8", "ja"],
    ["en-US,en;q=0.9", "en"],
    ["en-US;q=0.8, ja;q=0.9", "ja"],
    ["fr-FR, de;q=0.9, en;q=0.5", "en"],
    ["zh-CN, ko", null],
    ["ja;q=0, en", "en"],
    ["EN-gb", "en"],
    [";;;,,q=", null],
  ])("%s → %s", (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});

describe("resolveLocale", () => {
  it("prefers ?lang=, then the cookie, then Accept-Language, then Japanese", () => {
    expect(resolveLocale({ query: "en", cookie: "ja", acceptLanguage: "ja" })).toEqual({ locale: "en", source: "query" });
    expect(resolveLocale({ query: null, cookie: "en", acceptLanguage: "ja" })).toEqual({ locale: "en", source: "cookie" });
    expect(resolveLocale({ cookie: null, acceptLanguage: "en-US" })).toEqual({ locale: "en", source: "header" });
    expect(resolveLocale({})).toEqual({ locale: "ja", source: "default" });
  });

  it("ignores values that are not a supported locale", () => {
    expect(resolveLocale({ query: "fr", cookie: "<script>", acceptLanguage: "de" })).toEqual({ locale: "ja", source: "default" });
  });
});

describe("messages", () => {
  it("has every Japanese key in English too, with the same kind of value", () => {
    const ja = messagesFor("ja");
    const en = messagesFor("en");
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const key of Object.keys(ja) as Array<keyof typeof ja>) {
      expect(typeof en[key], key).toBe(typeof ja[key]);
    }
  });

  it("formats parameters and looks enum labels up by built keys", () => {
    expect(messagesFor("ja").filledOf(2, 3)).toBe("2 / 3人");
    expect(label("en", "role_COORDINATOR")).toBe("Coordinator");
    expect(label("ja", "no_such_key")).toBe("no_such_key");
  });

  it("uses the English field only in English and only when filled", () => {
    expect(localized("en", "見守り", "Watching")).toBe("Watching");
    expect(localized("en", "見守り", null)).toBe("見守り");
    expect(localized("ja", "見守り", "Watching")).toBe("見守り");
  });
});
