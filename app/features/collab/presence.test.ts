import { describe, expect, it } from "vitest";
import { peersFrom } from "./presence.ts";

describe("peersFrom", () => {
  it("lists the others, sorted, with safe defaults for odd states", () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: "自分" } }],
      [2, { user: { name: "佐藤", color: "#0b5e55", organization: "NPO" }, cursor: { anchor: { a: 1 }, head: { a: 2 } } }],
      [3, { user: { name: 42, color: "javascript:alert(1)" }, cursor: "nope" }],
      [4, { user: { name: "阿部", color: "#1a56db" } }],
    ]);
    const peers = peersFrom(states, 1);
    expect(peers.map((p) => p.name)).toEqual(["…", "佐藤", "阿部"].sort((a, b) => a.localeCompare(b, "ja")));
    const odd = peers.find((p) => p.clientId === 3)!;
    expect(odd).toEqual({ clientId: 3, name: "…", color: "#4338ca", organization: null, cursor: null });
    expect(peers.find((p) => p.clientId === 2)).toEqual({
      clientId: 2,
      name: "佐藤",
      color: "#0b5e55",
      organization: "NPO",
      cursor: { anchor: { a: 1 }, head: { a: 2 } },
    });
    expect(peers.some((p) => p.clientId === 1)).toBe(false);
  });
});
