/**
 * A resident's contact as typed into a public form: an e-mail address or a Japanese phone number.
 * Normalized so that the same contact typed twice (full-width digits, hyphens, spaces, upper-case
 * letters, +81) compares equal: duplicate applications are found by it.
 */
export type Contact =
  | { kind: "email"; value: string }
  | { kind: "phone"; value: string };

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function parseContact(input: unknown): Contact | null {
  if (typeof input !== "string") return null;
  const folded = input.normalize("NFKC").trim();
  if (folded.length === 0 || folded.length > 254) return null;
  if (folded.includes("@")) {
    const email = folded.toLowerCase();
    return EMAIL.test(email) ? { kind: "email", value: email } : null;
  }
  // Phone: digits with optional separators; +81 becomes the domestic leading 0.
  if (!/^\+?[\d\s\-‐－ー()（）]+$/.test(folded)) return null;
  let digits = folded.replace(/[^\d+]/g, "");
  if (digits.startsWith("+81")) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith("+")) return null;
  // Japanese numbers: 0 + 9 digits (fixed lines) or 0 + 10 digits (mobile, 050, 0120 …).
  if (!/^0\d{9,10}$/.test(digits)) return null;
  return { kind: "phone", value: digits };
}

/** The contact with its middle hidden, for pages that confirm it back ("090****5678"). */
export function maskContact(contact: Contact): string {
  if (contact.kind === "phone")
    return `${contact.value.slice(0, 3)}****${contact.value.slice(-4)}`;
  const [local, domain] = contact.value.split("@");
  return `${local.slice(0, 1)}***@${domain}`;
}
