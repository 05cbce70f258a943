/**
 * Application reference codes (申し込み番号): 8 characters from an alphabet without the look-alikes
 * 0/O and 1/I, so a code read out over the phone or copied from paper cannot be mistyped into
 * another valid one by those confusions. 32 symbols × 8 = 40 bits: guessing one is hopeless, and
 * the status page still asks for the contact as well (docs/decisions/040).
 */
export const REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const REFERENCE_LENGTH = 8;

/** A fresh code from `random` (bytes from a CSPRNG: crypto.getRandomValues or randomBytes). */
export function referenceCodeFrom(random: Uint8Array): string {
  if (random.length < REFERENCE_LENGTH)
    throw new Error(`need ${REFERENCE_LENGTH} random bytes`);
  let code = "";
  // 256 is a multiple of 32: taking the low 5 bits keeps every symbol equally likely.
  for (let i = 0; i < REFERENCE_LENGTH; i++)
    code += REFERENCE_ALPHABET[random[i] & 31];
  return code;
}

/**
 * What a person typed, as a code: full-width characters folded (ＡＢ１２ → AB12), case, spaces and
 * hyphens ignored. Returns null when it cannot be a code (wrong length or a character outside the
 * alphabet, such as O or I).
 */
export function normalizeReferenceCode(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const code = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐－ー—]/g, "");
  if (code.length !== REFERENCE_LENGTH) return null;
  for (const ch of code) if (!REFERENCE_ALPHABET.includes(ch)) return null;
  return code;
}

/** Shown in groups of four for reading aloud: "K7QH-2MXP". */
export function formatReferenceCode(code: string): string {
  return code.length === REFERENCE_LENGTH
    ? `${code.slice(0, 4)}-${code.slice(4)}`
    : code;
}
