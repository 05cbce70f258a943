import { describe, expect, it } from "vitest";
import { colourFor, PRESENCE_PALETTE } from "./colours";
import { clientPayloadSchemas, isClientEventName } from "./payloads";

describe("client → server payload schemas", () => {
  const cases: Array<[event: keyof typeof clientPayloadSchemas, payload: unknown, valid: boolean]> = [
    ["workspace:join", { workspaceId: "w1" }, true],
    ["workspace:join", { workspaceId: "w1", extra: 1 }, false],
    ["workspace:join", { workspaceId: "" }, false],
    ["presence:join", { workspaceId: "w1", board: "kanban" }, true],
    ["presence:join", { workspaceId: "w1", board: "chart:area_1-b" }, true],
    ["presence:join", { workspaceId: "w1", board: "Kanban" }, false],
    ["presence:join", { workspaceId: "w1", board: "chart:" }, false],
    ["presence:join", { workspaceId: "w1", board: "chart:a/b" }, false],
    ["lock:acquire", { workspaceId: "w1", target: "match:abc", kind: "dragging" }, true],
    ["lock:acquire", { workspaceId: "w1", target: "resource:abc", kind: "editing" }, true],
    ["lock:acquire", { workspaceId: "w1", target: "user:abc", kind: "editing" }, false],
    ["lock:acquire", { workspaceId: "w1", target: "match:abc", kind: "reading" }, false],
    ["lock:release", { workspaceId: "w1", target: "match:abc" }, true],
    ["lock:release", { workspaceId: "w1", target: "match:abc", kind: "dragging" }, false],
    ["match:move", { matchId: "m1", stage: "CONFIRMED", expectedVersion: 3 }, true],
    ["match:move", { matchId: "m1", stage: "CONFIRMED", expectedVersion: 3, note: "電話で確認" }, true],
    ["match:move", { matchId: "m1", stage: "CONFIRMED", expectedVersion: 3, admin: true }, false],
    ["match:move", { matchId: "m1", stage: "CONFIRMED", expectedVersion: 0 }, false],
    ["match:move", { matchId: "m1", stage: "CONFIRMED", expectedVersion: 1.5 }, false],
    ["match:move", { stage: "CONFIRMED", expectedVersion: 3 }, false],
    ["match:move", null, false],
  ];
  it.each(cases)("%s %j → valid: %s", (event, payload, valid) => {
    expect(clientPayloadSchemas[event].safeParse(payload).success).toBe(valid);
  });

  it("knows its own event names and nothing inherited", () => {
    expect(isClientEventName("match:move")).toBe(true);
    for (const name of ["toString", "__proto__", "constructor", "hasOwnProperty", "match:delete", 42, null]) {
      expect(isClientEventName(name)).toBe(false);
    }
  });
});

describe("colourFor", () => {
  it("is stable and from the palette", () => {
    expect(colourFor("seed-user-coordinator")).toBe(colourFor("seed-user-coordinator"));
    expect(PRESENCE_PALETTE).toContain(colourFor(""));
    const used = new Set(Array.from({ length: 200 }, (_, i) => colourFor(`user-${i}`)));
    expect(used.size).toBe(PRESENCE_PALETTE.length);
  });
});
