/** Age band (年代) for pseudonymous cards: "60代" / "60s". Coarse on purpose. */
export function ageBand(birthYear: number | null | undefined, now: Date): number | null {
  if (birthYear == null) return null;
  const age = now.getUTCFullYear() - birthYear;
  if (age < 0 || age > 130) return null;
  return Math.min(Math.floor(age / 10) * 10, 90);
}

export function ageBandLabel(band: number | null, locale: "ja" | "en"): string {
  if (band == null) return locale === "ja" ? "年代不明" : "age unknown";
  if (band < 20) return locale === "ja" ? "10代" : "teens";
  if (band >= 90) return locale === "ja" ? "90代以上" : "90+";
  return locale === "ja" ? `${band}代` : `${band}s`;
}
