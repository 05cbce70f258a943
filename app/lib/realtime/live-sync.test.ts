import { describe, expect, it } from "vitest";
import { HISTORY_LIMIT, MAX_HELD, changesSince, initialSyncState, keepRecent, reduceSync, type LiveChange, type SyncEffect, type SyncInput, type SyncState } from "./live-sync";

const ev = (version: number, entityId = `m${version}`): LiveChange => ({
  version,
  entity: "match",
  entityId,
  verb: "updated",
  actorUserId: "u1",
  data: { v: version },
});
const row = (version: number): LiveChange => ({ version, entity: "match", entityId: `m${version}`, verb: "updated", actorUserId: "u1", at: "2026-01-01T00:00:00.000Z" });
const event = (version: number): SyncInput => ({ type: "event", event: ev(version) });

function run(start: SyncState, inputs: SyncInput[]) {
  let state = start;
  const effects: SyncEffect[] = [];
  for (const input of inputs) {
    const result = reduceSync(state, input);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

/** Effects in a compact notation: "live:3,4" "resync:3,4" "fetch>2" "wait" "retry" "reset:5". */
function brief(effects: SyncEffect[]): string[] {
  return effects.map((e) => {
    switch (e.type) {
      case "apply":
        return `${e.source}:${e.changes.map((c) => c.version).join(",")}`;
      case "resync":
        return `fetch>${e.since}`;
      case "wait-for-gap":
        return "wait";
      case "retry-later":
        return "retry";
      case "reset":
        return `reset:${e.version}`;
    }
  });
}

describe("reduceSync: applying live events in order", () => {
  const cases: Array<{ name: string; from?: number | null; inputs: SyncInput[]; effects: string[]; last: number | null; phase?: string }> = [
    {
      name: "first join without a baseline takes the server's version",
      from: null,
      inputs: [{ type: "joining" }, { type: "joined", version: 7 }, event(8), event(9)],
      effects: ["live:8", "live:9"],
      last: 9,
    },
    {
      name: "consecutive events apply one by one",
      inputs: [{ type: "joining" }, { type: "joined", version: 5 }, event(6), event(7), event(8)],
      effects: ["live:6", "live:7", "live:8"],
      last: 8,
    },
    {
      name: "duplicates and old events are dropped",
      inputs: [{ type: "joining" }, { type: "joined", version: 5 }, event(6), event(6), event(4), event(5)],
      effects: ["live:6"],
      last: 6,
    },
    {
      name: "an out-of-order pair is reordered when the hole fills within the grace",
      inputs: [{ type: "joining" }, { type: "joined", version: 5 }, event(7), event(6), { type: "gap-timeout" }],
      effects: ["wait", "live:6,7"],
      last: 7,
      phase: "live",
    },
    {
      name: "a hole still open after the grace resyncs from the last applied version",
      inputs: [{ type: "joining" }, { type: "joined", version: 5 }, event(6), event(8), { type: "gap-timeout" }],
      effects: ["live:6", "wait", "fetch>6"],
      last: 6,
      phase: "resyncing",
    },
    {
      name: "only one gap check is scheduled for several early events",
      inputs: [{ type: "joining" }, { type: "joined", version: 5 }, event(8), event(9), event(10)],
      effects: ["wait"],
      last: 5,
    },
    {
      name: "events that arrive before the join ack are held and applied after it",
      inputs: [{ type: "joining" }, event(6), event(5), { type: "joined", version: 5 }],
      effects: ["live:6"],
      last: 6,
    },
    {
      name: "a gap timeout after the hole closed does nothing",
      inputs: [{ type: "joining" }, { type: "joined", version: 5 }, event(7), event(6), { type: "gap-timeout" }, { type: "gap-timeout" }],
      effects: ["wait", "live:6,7"],
      last: 7,
    },
    {
      name: "events while detached are ignored",
      inputs: [event(6)],
      effects: [],
      last: 5,
      phase: "detached",
    },
  ];

  it.each(cases)("$name", ({ from, inputs, effects, last, phase }) => {
    const result = run(initialSyncState(from === undefined ? 5 : from), inputs);
    expect(brief(result.effects)).toEqual(effects);
    expect(result.state.lastVersion).toBe(last);
    if (phase) expect(result.state.phase).toBe(phase);
  });
});

describe("reduceSync: resync decisions", () => {
  const resynced = (since: number, version: number, versions: number[]): SyncInput => ({
    type: "resynced",
    since,
    version,
    changes: versions.map(row),
  });

  const cases: Array<{ name: string; from: number; inputs: SyncInput[]; effects: string[]; last: number; phase: string }> = [
    {
      name: "a rejoin at the same version needs nothing",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 5 }],
      effects: [],
      last: 5,
      phase: "live",
    },
    {
      name: "a rejoin ahead of us resyncs from our version and applies what was missed",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 8 }, resynced(5, 8, [6, 7, 8])],
      effects: ["fetch>5", "resync:6,7,8"],
      last: 8,
      phase: "live",
    },
    {
      name: "live events during a resync wait, then continue after the fetched ones",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 7 }, event(8), event(9), resynced(5, 7, [6, 7])],
      effects: ["fetch>5", "resync:6,7", "live:8,9"],
      last: 9,
      phase: "live",
    },
    {
      name: "a held live event replaces the feed's row of the same version (it has data)",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 7 }, event(7), resynced(5, 7, [6, 7])],
      effects: ["fetch>5", "resync:6,7"],
      last: 7,
      phase: "live",
    },
    {
      name: "the feed may be ahead of the version it reported (a commit between its two reads)",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 6 }, resynced(5, 6, [6, 7])],
      effects: ["fetch>5", "resync:6,7"],
      last: 7,
      phase: "live",
    },
    {
      name: "a failed resync retries from the same version",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 8 }, { type: "resync-failed", since: 5 }, { type: "retry" }, resynced(5, 8, [6, 7, 8])],
      effects: ["fetch>5", "retry", "fetch>5", "resync:6,7,8"],
      last: 8,
      phase: "live",
    },
    {
      name: "a late answer to an older request is ignored",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 8 }, { type: "detached" }, resynced(5, 8, [6, 7, 8])],
      effects: ["fetch>5"],
      last: 5,
      phase: "detached",
    },
    {
      name: "reconnect after a resync answered from another baseline is ignored too",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 8 }, resynced(4, 8, [5, 6, 7, 8])],
      effects: ["fetch>5"],
      last: 5,
      phase: "resyncing",
    },
    {
      name: "a gap that remains after the resync is checked again",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 6 }, event(9), resynced(5, 6, [6])],
      effects: ["fetch>5", "resync:6", "wait"],
      last: 6,
      phase: "live",
    },
    {
      name: "the server went backwards (database restored): reset",
      from: 9,
      inputs: [{ type: "joining" }, { type: "joined", version: 3 }],
      effects: ["reset:3"],
      last: 3,
      phase: "live",
    },
    {
      name: "an empty resync (nothing missed after all) just goes live",
      from: 5,
      inputs: [{ type: "joining" }, { type: "joined", version: 6 }, resynced(5, 6, [])],
      effects: ["fetch>5"],
      last: 6,
      phase: "live",
    },
  ];

  it.each(cases)("$name", ({ from, inputs, effects, last, phase }) => {
    const result = run(initialSyncState(from), inputs);
    expect(brief(result.effects)).toEqual(effects);
    expect(result.state.lastVersion).toBe(last);
    expect(result.state.phase).toBe(phase);
  });

  it("keeps the live event's data when it replaces a feed row", () => {
    const { effects } = run(initialSyncState(5), [{ type: "joining" }, { type: "joined", version: 7 }, event(7), resynced(5, 7, [6, 7])]);
    const applied = effects.find((e) => e.type === "apply");
    expect(applied?.type === "apply" && applied.changes.map((c) => [c.version, c.data ?? null, c.at ?? null])).toEqual([
      [6, null, "2026-01-01T00:00:00.000Z"],
      [7, { v: 7 }, null],
    ]);
  });

  it("too many held events give up holding and resync", () => {
    let state = run(initialSyncState(5), [{ type: "joining" }, { type: "joined", version: 5 }]).state;
    const effects: SyncEffect[] = [];
    for (let v = 7; v < 7 + MAX_HELD + 1; v++) {
      const result = reduceSync(state, event(v));
      state = result.state;
      effects.push(...result.effects);
    }
    expect(brief(effects)).toEqual(["wait", "fetch>5"]);
    expect(state.phase).toBe("resyncing");
  });

  it("every version up to the highest seen is handed over exactly once, in order (property)", () => {
    // Deterministic pseudo-random shuffles with duplicates; the resync answers from a full log.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const top = 5 + Math.floor(random() * 30);
      const arrivals: number[] = [];
      for (let v = 6; v <= top; v++) if (random() > 0.2) arrivals.push(v); // some are lost
      for (let i = arrivals.length - 1; i > 0; i--) {
        if (random() < 0.3) {
          const j = Math.floor(random() * (i + 1));
          [arrivals[i], arrivals[j]] = [arrivals[j], arrivals[i]];
        }
      }
      if (arrivals.length && random() < 0.5) arrivals.push(arrivals[0]); // a duplicate
      let state = run(initialSyncState(5), [{ type: "joining" }, { type: "joined", version: 5 }]).state;
      const delivered: number[] = [];
      const queue: SyncInput[] = arrivals.map(event);
      queue.push({ type: "gap-timeout" });
      while (queue.length) {
        const result = reduceSync(state, queue.shift()!);
        state = result.state;
        for (const effect of result.effects) {
          if (effect.type === "apply") delivered.push(...effect.changes.map((c) => c.version));
          if (effect.type === "resync") {
            const versions = Array.from({ length: top - effect.since }, (_, i) => effect.since + 1 + i);
            queue.unshift(resynced(effect.since, top, versions));
          }
          if (effect.type === "wait-for-gap") queue.push({ type: "gap-timeout" });
        }
      }
      // A loss at the tail cannot be seen until the next event or a rejoin: everything up to the
      // highest version seen must be delivered, contiguously, once.
      const highest = Math.max(5, ...arrivals);
      const end = delivered.length ? delivered[delivered.length - 1] : 5;
      const label = `round ${round}: arrivals ${arrivals.join(",")}`;
      expect(end, label).toBeGreaterThanOrEqual(highest);
      expect(delivered, label).toEqual(Array.from({ length: end - 5 }, (_, i) => 6 + i));
      expect(state.lastVersion).toBe(end);
    }
  });
});

describe("reduceSync: pages following a shared connection", () => {
  it("before the first join the baseline moves back to the oldest page's version", () => {
    const { state, effects } = run(initialSyncState(null), [
      { type: "follow", version: 12 },
      { type: "follow", version: 9 },
      { type: "follow", version: 15 },
      { type: "joining" },
      { type: "joined", version: 14 },
    ]);
    expect(effects.map((e) => e.type)).toEqual(["resync"]);
    expect(brief(effects)).toEqual(["fetch>9"]);
    expect(state.phase).toBe("resyncing");
  });

  it("a live connection keeps its baseline (the page catches up from the history)", () => {
    const live = run(initialSyncState(20), [{ type: "joining" }, { type: "joined", version: 20 }]).state;
    const { state, effects } = run(live, [{ type: "follow", version: 3 }]);
    expect(state).toEqual(live);
    expect(effects).toEqual([]);
  });

  it("between connections a page that is behind moves the baseline back", () => {
    const detached = run(initialSyncState(20), [{ type: "joining" }, { type: "joined", version: 20 }, { type: "detached" }]).state;
    const { state, effects } = run(detached, [{ type: "follow", version: 18 }, { type: "joining" }, { type: "joined", version: 21 }]);
    expect(brief(effects)).toEqual(["fetch>18"]);
    expect(state.lastVersion).toBe(18);
  });
});

describe("changesSince / keepRecent: catching a page up from a connection's history", () => {
  const history = [ev(11), ev(12), ev(13), ev(14)];

  it("hands over what the page missed, nothing when it is current or ahead", () => {
    expect(changesSince(history, 12, 14)?.map((c) => c.version)).toEqual([13, 14]);
    expect(changesSince(history, 10, 14)?.map((c) => c.version)).toEqual([11, 12, 13, 14]);
    expect(changesSince(history, 14, 14)).toEqual([]);
    expect(changesSince(history, 16, 14)).toEqual([]);
    expect(changesSince([], 3, null)).toEqual([]);
  });

  it("is null when the history does not reach back to the page's version", () => {
    expect(changesSince(history, 9, 14)).toBeNull();
    expect(changesSince([], 9, 14)).toBeNull();
  });

  it("keeps the most recent changes, ascending, up to the limit", () => {
    expect(keepRecent(history, [ev(15), ev(16)], 4).map((c) => c.version)).toEqual([13, 14, 15, 16]);
    const long = keepRecent([], Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => ev(i + 1)));
    expect(long).toHaveLength(HISTORY_LIMIT);
    expect(long[0].version).toBe(6);
    // After trimming, a page from before the kept range has to reload.
    expect(changesSince(long, 4, HISTORY_LIMIT + 5)).toBeNull();
    expect(changesSince(long, 5, HISTORY_LIMIT + 5)).toHaveLength(HISTORY_LIMIT);
  });
});
