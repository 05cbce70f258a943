import { describe, expect, it } from "vitest";
import { PresenceState, type PresenceMember } from "./presence-state.ts";

const member = (userId: string, displayName = userId.toUpperCase()): PresenceMember => ({
  userId,
  displayName,
  organizationName: "社協",
  colour: "#0b5e55",
});
const ann = member("ann", "Ann");
const bob = member("bob", "Bob");
const TTL = 30_000;

type Step =
  | { do: "join"; ws?: string; conn: string; who: PresenceMember; board: string; changed: boolean }
  | { do: "leave"; ws?: string; conn: string; changed: boolean }
  | { do: "drop"; conn: string; presenceChanged: string[] };

describe("PresenceState: who is on which board", () => {
  const cases: Array<{ name: string; steps: Step[]; expected: Array<[string, string]> }> = [
    {
      name: "two people on two boards",
      steps: [
        { do: "join", conn: "a1", who: ann, board: "kanban", changed: true },
        { do: "join", conn: "b1", who: bob, board: "map", changed: true },
      ],
      expected: [
        ["ann", "kanban"],
        ["bob", "map"],
      ],
    },
    {
      name: "a second tab on the same board shows once and changes nothing",
      steps: [
        { do: "join", conn: "a1", who: ann, board: "kanban", changed: true },
        { do: "join", conn: "a2", who: ann, board: "kanban", changed: false },
      ],
      expected: [["ann", "kanban"]],
    },
    {
      name: "closing one of two tabs keeps the person on the board",
      steps: [
        { do: "join", conn: "a1", who: ann, board: "kanban", changed: true },
        { do: "join", conn: "a2", who: ann, board: "kanban", changed: false },
        { do: "leave", conn: "a1", changed: false },
      ],
      expected: [["ann", "kanban"]],
    },
    {
      name: "moving to another board replaces the entry",
      steps: [
        { do: "join", conn: "a1", who: ann, board: "kanban", changed: true },
        { do: "join", conn: "a1", who: ann, board: "chart:area-1", changed: true },
      ],
      expected: [["ann", "chart:area-1"]],
    },
    {
      name: "joining the same board again is not a change",
      steps: [
        { do: "join", conn: "a1", who: ann, board: "map", changed: true },
        { do: "join", conn: "a1", who: ann, board: "map", changed: false },
      ],
      expected: [["ann", "map"]],
    },
    {
      name: "leaving a workspace one never joined is not a change",
      steps: [{ do: "leave", conn: "zz", changed: false }],
      expected: [],
    },
    {
      name: "a dropped connection leaves every workspace",
      steps: [
        { do: "join", conn: "a1", who: ann, board: "map", changed: true },
        { do: "join", ws: "w2", conn: "a1", who: ann, board: "map", changed: true },
        { do: "join", conn: "b1", who: bob, board: "map", changed: true },
        { do: "drop", conn: "a1", presenceChanged: ["w1", "w2"] },
      ],
      expected: [["bob", "map"]],
    },
    {
      name: "presence is per workspace",
      steps: [{ do: "join", ws: "w2", conn: "b1", who: bob, board: "map", changed: true }],
      expected: [],
    },
  ];

  it.each(cases)("$name", ({ steps, expected }) => {
    const state = new PresenceState();
    for (const step of steps) {
      if (step.do === "join") expect(state.join(step.ws ?? "w1", step.conn, step.who, step.board)).toBe(step.changed);
      else if (step.do === "leave") expect(state.leave(step.ws ?? "w1", step.conn)).toBe(step.changed);
      else expect(state.dropConnection(step.conn).presenceChanged.sort()).toEqual(step.presenceChanged);
    }
    expect(state.present("w1").map((e) => [e.userId, e.board])).toEqual(expected);
  });

  it("entries carry name, organization and colour, never more", () => {
    const state = new PresenceState();
    state.join("w1", "a1", ann, "kanban");
    expect(state.present("w1")).toEqual([
      { userId: "ann", displayName: "Ann", organizationName: "社協", colour: "#0b5e55", board: "kanban" },
    ]);
  });
});

type LockStep =
  | { at: number; conn: string; acquire: string; kind?: "dragging" | "editing"; expect: "ok" | "refreshed" | "locked" | "limit_exceeded" }
  | { at: number; conn: string; release: string; expect: "released" | "noop" | "locked" }
  | { at: number; expire: true; released: string[] }
  | { at: number; drop: string; released: string[] };

describe("PresenceState: soft locks", () => {
  const cases: Array<{ name: string; steps: LockStep[]; held: Array<[string, string]>; at?: number }> = [
    {
      name: "first come holds, the second is refused with the holder",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 10, conn: "b1", acquire: "match:1", expect: "locked" },
      ],
      held: [["match:1", "a1"]],
    },
    {
      name: "another tab of the same person is refused too",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 1, conn: "a2", acquire: "match:1", expect: "locked" },
      ],
      held: [["match:1", "a1"]],
    },
    {
      name: "release frees it for the next",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 5, conn: "a1", release: "match:1", expect: "released" },
        { at: 6, conn: "b1", acquire: "match:1", expect: "ok" },
      ],
      held: [["match:1", "b1"]],
    },
    {
      name: "only the holder may release",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 5, conn: "b1", release: "match:1", expect: "locked" },
      ],
      held: [["match:1", "a1"]],
    },
    {
      name: "releasing a free lock is fine",
      steps: [{ at: 0, conn: "a1", release: "match:9", expect: "noop" }],
      held: [],
    },
    {
      name: "a lock expires after the ttl; the expired holder's lock is free for others",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: TTL - 1, conn: "b1", acquire: "match:1", expect: "locked" },
        { at: TTL, conn: "b1", acquire: "match:1", expect: "ok" },
      ],
      held: [["match:1", "b1"]],
      at: TTL,
    },
    {
      name: "acquiring again refreshes the ttl",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 20_000, conn: "a1", acquire: "match:1", expect: "refreshed" },
        { at: 45_000, conn: "b1", acquire: "match:1", expect: "locked" },
        { at: 50_000, conn: "b1", acquire: "match:1", expect: "ok" },
      ],
      held: [["match:1", "b1"]],
      at: 50_000,
    },
    {
      name: "changing the kind is announced (dragging → editing)",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", kind: "dragging", expect: "ok" },
        { at: 1, conn: "a1", acquire: "match:1", kind: "editing", expect: "ok" },
      ],
      held: [["match:1", "a1"]],
    },
    {
      name: "expire() sweeps only what is due",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 10_000, conn: "b1", acquire: "resource:2", expect: "ok" },
        { at: TTL, expire: true, released: ["match:1"] },
        { at: TTL + 10_000, expire: true, released: ["resource:2"] },
      ],
      held: [],
      at: TTL + 10_000,
    },
    {
      name: "a dropped connection releases its locks only",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 0, conn: "a1", acquire: "match:2", expect: "ok" },
        { at: 0, conn: "b1", acquire: "match:3", expect: "ok" },
        { at: 1, drop: "a1", released: ["match:1", "match:2"] },
      ],
      held: [["match:3", "b1"]],
    },
    {
      name: "one connection may hold at most the limit",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 0, conn: "a1", acquire: "match:2", expect: "ok" },
        { at: 0, conn: "a1", acquire: "match:3", expect: "limit_exceeded" },
        { at: 0, conn: "a1", acquire: "match:1", expect: "refreshed" },
        { at: 1, conn: "a1", release: "match:2", expect: "released" },
        { at: 2, conn: "a1", acquire: "match:3", expect: "ok" },
      ],
      held: [
        ["match:1", "a1"],
        ["match:3", "a1"],
      ],
    },
    {
      name: "an expired own lock does not count against the limit",
      steps: [
        { at: 0, conn: "a1", acquire: "match:1", expect: "ok" },
        { at: 0, conn: "a1", acquire: "match:2", expect: "ok" },
        { at: TTL, conn: "a1", acquire: "match:1", expect: "ok" },
      ],
      held: [["match:1", "a1"]],
      at: TTL,
    },
  ];

  it.each(cases)("$name", ({ steps, held, at }) => {
    const state = new PresenceState({ maxLocksPerConnection: 2 });
    const holderOf = new Map<string, string>();
    const who = (conn: string) => ({ ...member(conn[0] === "a" ? "ann" : "bob"), displayName: conn });
    for (const step of steps) {
      if ("acquire" in step) {
        const result = state.acquire("w1", step.conn, who(step.conn), step.acquire, step.kind ?? "dragging", step.at, TTL);
        const outcome = result.ok ? (result.changed ? "ok" : "refreshed") : result.reason;
        expect(outcome, `${step.conn} acquires ${step.acquire} at ${step.at}`).toBe(step.expect);
        if (result.ok) holderOf.set(step.acquire, step.conn);
        if (!result.ok && result.reason === "locked") expect(result.lock.holder.displayName).toBe(holderOf.get(step.acquire));
      } else if ("release" in step) {
        const result = state.release("w1", step.conn, step.release, step.at);
        const outcome = result.ok ? (result.released ? "released" : "noop") : result.reason;
        expect(outcome, `${step.conn} releases ${step.release}`).toBe(step.expect);
      } else if ("expire" in step) {
        expect(state.expire(step.at).map((l) => l.target).sort()).toEqual(step.released);
      } else {
        expect(state.dropConnection(step.drop).releasedLocks.map((l) => l.target).sort()).toEqual(step.released);
      }
    }
    const now = at ?? 1;
    expect(state.locksOf("w1", now).map((l) => [l.target, l.holder.displayName])).toEqual(held);
  });

  it("locks carry their expiry and are per workspace", () => {
    const state = new PresenceState();
    const result = state.acquire("w1", "a1", ann, "match:1", "editing", 1_000, TTL);
    expect(result).toMatchObject({ ok: true, lock: { target: "match:1", kind: "editing", expiresAt: 1_000 + TTL } });
    expect(state.acquire("w2", "b1", bob, "match:1", "dragging", 1_000, TTL).ok).toBe(true);
  });

  it("forgets everything about connections that went away (no growth under churn)", () => {
    const state = new PresenceState();
    for (let i = 0; i < 1_000; i++) {
      const conn = `c${i}`;
      state.join(`w${i % 3}`, conn, member(`u${i % 7}`), i % 2 ? "kanban" : "map");
      state.acquire(`w${i % 3}`, conn, member(`u${i % 7}`), `match:${i % 50}`, "dragging", i, TTL);
      if (i % 5 === 0) state.release(`w${i % 3}`, conn, `match:${i % 50}`, i);
      state.dropConnection(conn);
    }
    expect(state.stats()).toEqual({ workspaces: 0, seats: 0, locks: 0, connections: 0 });
  });

  it("forgets connections whose last lock expired or was released", () => {
    const state = new PresenceState();
    state.acquire("w1", "a1", ann, "match:1", "dragging", 0, TTL);
    state.acquire("w1", "b1", bob, "match:2", "dragging", 0, TTL);
    state.release("w1", "b1", "match:2", 1);
    state.expire(TTL);
    expect(state.stats()).toEqual({ workspaces: 0, seats: 0, locks: 0, connections: 0 });
  });
});
