/**
 * The password policy for every password a person chooses (docs/decisions/027), after NIST SP
 * 800-63B: length over composition rules, no forced rotation, a block list of known passwords.
 *
 * - at least 12 characters, counted as Unicode code points after NFKC normalization, so that a
 *   Japanese passphrase (「ねこがすきなひとのまち」) counts what it looks like; spaces are
 *   allowed and a passphrase of a few words is the suggested way to get there;
 * - at most 256 characters (Argon2 hashes any length, but an unbounded input is a cheap way to
 *   make the server work);
 * - not the e-mail address, nor its local part, nor containing either;
 * - not one of a small list of common passwords, nor one character repeated, nor a run like
 *   "123456789012" or "abcdefghijkl".
 *
 * The demo seed's fixed password is exempt (it never passes through here); it is on the block
 * list so that nobody picks the one password printed in the README.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordIssueCode = "too_short" | "too_long" | "contains_email" | "common" | "repetitive";

export interface PasswordIssue {
  code: PasswordIssueCode;
  message: string;
}

const MESSAGES: Record<PasswordIssueCode, string> = {
  too_short: `パスワードは${PASSWORD_MIN_LENGTH}文字以上にしてください(いくつかの言葉を組み合わせたパスフレーズがおすすめです) / Use at least ${PASSWORD_MIN_LENGTH} characters (a passphrase of a few words works well)`,
  too_long: `パスワードは${PASSWORD_MAX_LENGTH}文字以内にしてください / Use at most ${PASSWORD_MAX_LENGTH} characters`,
  contains_email: "メールアドレスをパスワードに使わないでください / Do not use your e-mail address in the password",
  common: "よく使われていて推測されやすいパスワードです / This password is too common and easy to guess",
  repetitive: "同じ文字や連続した文字の繰り返しは推測されやすいです / Repeated or sequential characters are easy to guess",
};

/**
 * Known passwords of 12 characters or more (shorter ones fail the length rule anyway): the long
 * entries of public breach top lists, keyboard walks, and this product's own names.
 */
const COMMON = new Set(
  [
    "123456789012", "1234567890123", "12345678901234", "123456123456", "123123123123", "111111111111",
    "000000000000", "qwertyuiopas", "qwertyuiop123", "qwerty123456", "qwerty12345678", "1q2w3e4r5t6y",
    "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "zaq12wsxcde3", "qazwsxedcrfv", "asdfghjkl123", "asdfghjkl;'",
    "password1234", "password12345", "password123456", "passw0rd1234", "p@ssw0rd1234", "p@ssword1234",
    "passwordpassword", "iloveyou1234", "iloveyouiloveyou", "letmein12345", "welcome12345", "welcome123456",
    "administrator", "administrator1", "changeme1234", "abc123abc123", "abcd1234abcd", "aaaaaaaaaaaa",
    "monkey123456", "football1234", "baseball1234", "superman1234", "princess1234", "sunshine1234",
    "dragon123456", "starwars1234", "trustno1trustno1", "correcthorsebatterystaple", "correct horse battery staple",
    "tsunagu-demo", "tsunagudemo", "tsunagu12345", "tsunagu123456", "tsunagu-password", "tsunagupassword",
    "yokohama1234", "midori123456", "nihon1234567", "nippon123456", "tokyo1234567", "sakura123456",
    "doraemon1234", "pokemon12345", "naruto123456", "arigatou1234", "konnichiwa12", "konnichiha12",
    "こんにちはこんにちは", "パスワードパスワード", "ぱすわーどぱすわーど",
  ].map((p) => p.normalize("NFKC").toLowerCase()),
);

function isRepetitive(password: string): boolean {
  const chars = [...password.toLowerCase()];
  if (new Set(chars).size <= 2) return true;
  // A run of constant step: 123456789012 (wraps at 9→0), abcdefghijkl, zyxwvuts…
  const codes = chars.map((c) => c.codePointAt(0) ?? 0);
  const step = (i: number) => {
    const d = codes[i] - codes[i - 1];
    return d === -9 && /\d/.test(chars[i]) ? 1 : d === 9 && /\d/.test(chars[i]) ? -1 : d;
  };
  const first = step(1);
  return Math.abs(first) === 1 && codes.every((_, i) => i === 0 || step(i) === first);
}

/** Every rule the password breaks (empty = acceptable). */
export function checkPassword(password: string, context: { email?: string | null } = {}): PasswordIssue[] {
  const normalized = password.normalize("NFKC");
  const length = [...normalized].length;
  const issues: PasswordIssueCode[] = [];
  if (length < PASSWORD_MIN_LENGTH) issues.push("too_short");
  if (length > PASSWORD_MAX_LENGTH) issues.push("too_long");
  const lower = normalized.toLowerCase();
  const email = context.email?.trim().toLowerCase();
  if (email) {
    const local = email.split("@")[0];
    if (lower.includes(email) || (local.length >= 4 && lower.includes(local)) || lower === local) issues.push("contains_email");
  }
  if (COMMON.has(lower) || COMMON.has(lower.replace(/\s+/g, ""))) issues.push("common");
  else if (length >= 2 && isRepetitive(normalized)) issues.push("repetitive");
  return issues.map((code) => ({ code, message: MESSAGES[code] }));
}
