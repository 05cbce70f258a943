/**
 * One colour per person, derived from the user id, so presence avatars, lock outlines and Yjs
 * cursors agree on every client without anyone storing it. The palette is dark enough for white
 * text (≥ 4.5:1) and avoids red/green-only distinctions.
 */
export const PRESENCE_PALETTE = [
  "#0b5e55", // teal
  "#1a56db", // blue
  "#7e22ce", // purple
  "#b34700", // orange
  "#9d174d", // magenta
  "#115e59", // dark cyan
  "#4338ca", // indigo
  "#854d0e", // brown
  "#1d6b2f", // green
  "#6b21a8", // violet
] as const;

/** FNV-1a over the UTF-16 code units: stable, fast, good enough spread for a palette index. */
export function colourFor(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return PRESENCE_PALETTE[(hash >>> 0) % PRESENCE_PALETTE.length];
}
