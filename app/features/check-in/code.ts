/**
 * Check-in codes (参加チェックインの番号) as people read and type them: one per piece, printed at
 * the site as text and QR. 6 characters from the alphabet of the reference codes, without the
 * look-alikes 0/O and 1/I. Made on the server (server/outcomes/short-code.ts); isomorphic here.
 */
export const CHECK_IN_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const CHECK_IN_CODE_LENGTH = 6;

/**
 * What a person typed (or a URL segment) as a check-in code: full-width folded, case, spaces and
 * hyphens ignored. null when it cannot be a code.
 */
export function normalizeCheckInCode(input: unknown): string | null {
  if (typeof input !== "string" || input.length > 40) return null;
  const code = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐－ー—]/g, "");
  if (code.length !== CHECK_IN_CODE_LENGTH) return null;
  for (const ch of code) if (!CHECK_IN_ALPHABET.includes(ch)) return null;
  return code;
}

/** Shown as two groups of three for reading aloud: "K7Q-H2M". */
export function formatCheckInCode(code: string): string {
  return code.length === CHECK_IN_CODE_LENGTH ? `${code.slice(0, 3)}-${code.slice(3)}` : code;
}
