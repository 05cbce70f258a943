import { randomBytes } from "node:crypto";
import { CHECK_IN_ALPHABET, CHECK_IN_CODE_LENGTH } from "../../app/features/check-in/code.ts";

/**
 * Making check-in codes (参加チェックインの番号): 32⁶ ≈ 10⁹ codes from a CSPRNG. A code only says
 * "I am at this piece"; who checks in is proven separately (a reference code or a resident's
 * login). Reading and typing them: app/features/check-in/code.ts.
 * docs/decisions/051-check-in-codes-and-offline-queue.md.
 */
export { CHECK_IN_ALPHABET, CHECK_IN_CODE_LENGTH, formatCheckInCode, normalizeCheckInCode } from "../../app/features/check-in/code.ts";

/** A fresh code from `random` bytes (a CSPRNG in production; fixed bytes in tests). */
export function checkInCodeFrom(random: Uint8Array): string {
  if (random.length < CHECK_IN_CODE_LENGTH) throw new Error(`need ${CHECK_IN_CODE_LENGTH} random bytes`);
  let code = "";
  // 256 is a multiple of 32: the low 5 bits keep every symbol equally likely.
  for (let i = 0; i < CHECK_IN_CODE_LENGTH; i++) code += CHECK_IN_ALPHABET[random[i] & 31];
  return code;
}

export function newCheckInCode(): string {
  return checkInCodeFrom(randomBytes(CHECK_IN_CODE_LENGTH));
}
