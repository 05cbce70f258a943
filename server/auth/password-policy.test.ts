import { describe, expect, it } from "vitest";
import { checkPassword, PASSWORD_MAX_LENGTH } from "./password-policy.ts";

const codes = (password: string, email?: string) => checkPassword(password, { email }).map((i) => i.code);

describe("checkPassword", () => {
  it.each([
    ["a long random password", "r7#Kq!w2Lz9p"],
    ["a passphrase with spaces", "blue kettle under rain"],
    ["a Japanese passphrase counts characters, not bytes", "ねこがすきなひとのまちです"],
    ["exactly 256 characters", "x1y2".repeat(64)],
    ["full-width digits are normalized but still fine when long", "ｍｉｄｏｒｉ の さかみち で あう"],
  ])("accepts %s", (_name, password) => expect(codes(password, "ann@example.jp")).toEqual([]));

  it.each([
    ["11 characters", "r7#Kq!w2Lz9", ["too_short"]],
    ["a short Japanese word", "ねこがすき", ["too_short"]],
    ["257 characters", "x1y2".repeat(64) + "z", ["too_long"]],
    ["the e-mail address", "ann.tanaka@example.jp", ["contains_email"]],
    ["the e-mail in upper case inside a longer text", "my ANN.TANAKA@EXAMPLE.JP!", ["contains_email"]],
    ["the local part with a suffix", "ann.tanaka2024!", ["contains_email"]],
    ["a common password", "password1234", ["common"]],
    ["a common password in other case", "Qwerty123456", ["common"]],
    ["the demo password", "tsunagu-demo", ["common"]],
    ["one character repeated", "zzzzzzzzzzzzzz", ["repetitive"]],
    ["two characters alternating", "abababababab", ["repetitive"]],
    ["a digit run that wraps", "345678901234", ["repetitive"]],
    ["a letter run backwards", "zyxwvutsrqpo", ["repetitive"]],
    ["short and common", "password", ["too_short"]],
  ])("refuses %s", (_name, password, expected) => expect(codes(password, "ann.tanaka@example.jp")).toEqual(expected));

  it("every issue has a bilingual message", () => {
    for (const issue of checkPassword("a", { email: "a@b.jp" })) expect(issue.message).toMatch(/[ぁ-んァ-ヶ一-龠].* \/ [A-Z]/);
    expect(PASSWORD_MAX_LENGTH).toBe(256);
  });
});
