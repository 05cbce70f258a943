/**
 * Who else is in a document, from the awareness states (untrusted JSON from other clients; the
 * server stamps name, organization and colour from the session, the rest is theirs).
 */
export interface Peer {
  clientId: number;
  name: string;
  color: string;
  organization: string | null;
  /** Selection as Yjs relative positions (JSON), or null. */
  cursor: { anchor: unknown; head: unknown } | null;
}

const FALLBACK_COLOR = "#4338ca";

function str(value: unknown, max = 80): string | null {
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : null;
}

export function peersFrom(states: Map<number, Record<string, unknown>>, selfClientId: number): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of states) {
    if (clientId === selfClientId || !state || typeof state !== "object") continue;
    const user = state.user && typeof state.user === "object" ? (state.user as Record<string, unknown>) : {};
    const color = str(user.color, 7);
    const cursor = state.cursor && typeof state.cursor === "object" ? (state.cursor as Record<string, unknown>) : null;
    peers.push({
      clientId,
      name: str(user.name) ?? "…",
      color: color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : FALLBACK_COLOR,
      organization: str(user.organization),
      cursor: cursor && "anchor" in cursor && "head" in cursor ? { anchor: cursor.anchor, head: cursor.head } : null,
    });
  }
  return peers.sort((a, b) => a.name.localeCompare(b.name, "ja") || a.clientId - b.clientId);
}
