import { afterEach, describe, expect, it, vi } from "vitest";
import type { LockInfo, PresenceEntry } from "../../../app/lib/realtime/events.ts";
import { PresenceHub, type PresenceBroadcast } from "./hub.ts";

const ann = { userId: "ann", displayName: "Ann", organizationName: "社協", colour: "#0b5e55" };
const bob = { userId: "bob", displayName: "Bob", organizationName: "NPO", colour: "#1a56db" };

function setup(options: { lockTtlMs?: number; sweepIntervalMs?: number } = {}) {
  let now = 1_000_000;
  const sent: Array<
    | { kind: "presence"; workspaceId: string; present: PresenceEntry[]; except?: string }
    | { kind: "lock"; workspaceId: string; target: string; lock: LockInfo | null; except?: string }
  > = [];
  const broadcast: PresenceBroadcast = {
    presence: (workspaceId, present, except) => sent.push({ kind: "presence", workspaceId, present, except }),
    lock: (workspaceId, target, lock, except) => sent.push({ kind: "lock", workspaceId, target, lock, except }),
  };
  const hub = new PresenceHub(broadcast, { clock: () => now, lockTtlMs: 30_000, ...options });
  return { hub, sent, advance: (ms: number) => (now += ms), now: () => now };
}

describe("PresenceHub", () => {
  afterEach(() => vi.useRealTimers());

  it("tells the others (not the joiner) and answers the joiner with the list and the locks", async () => {
    const { hub, sent } = setup();
    await hub.acquire("w1", "b1", bob, "match:1", "dragging");
    sent.length = 0;
    const joined = await hub.join("w1", "a1", ann, "kanban");
    expect(joined.present.map((p) => p.userId)).toEqual(["ann"]);
    expect(joined.locks.map((l) => l.target)).toEqual(["match:1"]);
    expect(sent).toEqual([{ kind: "presence", workspaceId: "w1", present: joined.present, except: "a1" }]);
  });

  it("announces a lock once, not on every refresh, and its release", async () => {
    const { hub, sent, advance } = setup();
    expect((await hub.acquire("w1", "a1", ann, "match:1", "dragging")).ok).toBe(true);
    advance(5_000);
    expect((await hub.acquire("w1", "a1", ann, "match:1", "dragging")).ok).toBe(true);
    await hub.release("w1", "a1", "match:1");
    expect(sent.map((s) => (s.kind === "lock" ? [s.target, s.lock?.holder.userId ?? null, s.except] : s.kind))).toEqual([
      ["match:1", "ann", "a1"],
      ["match:1", null, "a1"],
    ]);
  });

  it("sweeps expired locks and tells everyone", async () => {
    const { hub, sent, advance } = setup();
    await hub.acquire("w1", "a1", ann, "match:1", "editing");
    sent.length = 0;
    advance(29_999);
    await hub.sweep();
    expect(sent).toEqual([]);
    advance(1);
    await hub.sweep();
    expect(sent).toEqual([{ kind: "lock", workspaceId: "w1", target: "match:1", lock: null, except: undefined }]);
    expect((await hub.acquire("w1", "b1", bob, "match:1", "editing")).ok).toBe(true);
  });

  it("the sweep timer runs by itself once started", async () => {
    vi.useFakeTimers();
    let now = 0;
    const released: string[] = [];
    const hub = new PresenceHub(
      { presence: () => {}, lock: (_w, target, lock) => (lock ? undefined : released.push(target)) },
      { clock: () => now, lockTtlMs: 1_000, sweepIntervalMs: 100 },
    );
    hub.start();
    await hub.acquire("w1", "a1", ann, "match:1", "dragging");
    now = 1_000;
    await vi.advanceTimersByTimeAsync(100);
    expect(released).toEqual(["match:1"]);
    hub.stop();
  });

  it("a disconnect releases the connection's locks and seats for everyone", async () => {
    const { hub, sent } = setup();
    await hub.join("w1", "a1", ann, "kanban");
    await hub.join("w1", "b1", bob, "kanban");
    await hub.acquire("w1", "a1", ann, "match:1", "dragging");
    sent.length = 0;
    await hub.disconnect("a1");
    expect(sent).toEqual([
      { kind: "lock", workspaceId: "w1", target: "match:1", lock: null, except: undefined },
      { kind: "presence", workspaceId: "w1", present: [{ ...bob, board: "kanban" }], except: undefined },
    ]);
  });

  it("leaving a workspace drops the seat and the locks there, not elsewhere", async () => {
    const { hub, sent, now } = setup();
    await hub.join("w1", "a1", ann, "kanban");
    await hub.acquire("w1", "a1", ann, "match:1", "dragging");
    await hub.acquire("w2", "a1", ann, "match:1", "dragging");
    sent.length = 0;
    await hub.leave("w1", "a1");
    expect(sent.map((s) => [s.kind, s.workspaceId])).toEqual([
      ["lock", "w1"],
      ["presence", "w1"],
    ]);
    expect((await hub.store.locks("w2", now())).length).toBe(1);
  });
});
