import { describe, expect, it } from "vitest";
import { enqueue, flushQueue, newIdempotencyKey, outcomeOfStatus, QUEUE_LIMIT, QUEUE_STORAGE_KEY, readQueue, type QueuedCheckIn, type SendOutcome, type StorageLike } from "./offline-queue.ts";

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}
const item = (key: string, action: "in" | "out" = "in"): QueuedCheckIn => ({ key, code: "K7QH2M", referenceCode: "K7QH2MXP", action, at: "2026-12-04T01:00:00.000Z" });

describe("check-in offline queue", () => {
  it("keeps one entry per key, oldest first", () => {
    const s = memoryStorage();
    enqueue(s, item("a"));
    enqueue(s, item("b", "out"));
    enqueue(s, item("a"));
    expect(readQueue(s).map((i) => i.key)).toEqual(["a", "b"]);
  });

  it("drops the oldest beyond the limit", () => {
    const s = memoryStorage();
    for (let i = 0; i < QUEUE_LIMIT + 3; i++) enqueue(s, item(`k${i}`));
    const keys = readQueue(s).map((i) => i.key);
    expect(keys).toHaveLength(QUEUE_LIMIT);
    expect(keys[0]).toBe("k3");
  });

  it("reads a broken or foreign value as empty", () => {
    const s = memoryStorage();
    s.setItem(QUEUE_STORAGE_KEY, "{not json");
    expect(readQueue(s)).toEqual([]);
    s.setItem(QUEUE_STORAGE_KEY, JSON.stringify([{ key: 1 }, item("ok")]));
    expect(readQueue(s).map((i) => i.key)).toEqual(["ok"]);
  });

  it("sends in order, removes what the server answered, stops at the first retry", async () => {
    const s = memoryStorage();
    enqueue(s, item("a"));
    enqueue(s, item("b", "out"));
    enqueue(s, item("c"));
    const seen: string[] = [];
    const answers: string[] = [];
    const result = await flushQueue(
      s,
      async (i): Promise<SendOutcome> => {
        seen.push(i.key);
        return i.key === "b" ? { kind: "retry" } : { kind: "done", status: 201, body: null };
      },
      (i) => answers.push(i.key),
    );
    expect(seen).toEqual(["a", "b"]);
    expect(answers).toEqual(["a"]);
    expect(result).toEqual({ sent: 1, left: 2, stoppedBy: { kind: "retry" } });
    expect(readQueue(s).map((i) => i.key)).toEqual(["b", "c"]);
  });

  it("treats a thrown send (offline fetch) as retry", async () => {
    const s = memoryStorage();
    enqueue(s, item("a"));
    const result = await flushQueue(s, async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(result).toEqual({ sent: 0, left: 1, stoppedBy: { kind: "retry" } });
  });

  it.each([
    [201, "done"],
    [200, "done"],
    [404, "done"],
    [409, "done"],
    [400, "done"],
    [408, "retry"],
    [429, "retry"],
    [500, "retry"],
    [503, "retry"],
  ])("status %i → %s", (status, kind) => {
    expect(outcomeOfStatus(status, null).kind).toBe(kind);
  });

  it("a 429 is 'retry later' with the server's Retry-After, never a final answer", () => {
    expect(outcomeOfStatus(429, { error: { code: "rate_limited" } }, "120")).toEqual({ kind: "retry", rateLimited: true, retryAfterMs: 120_000 });
    expect(outcomeOfStatus(429, null, null)).toEqual({ kind: "retry", rateLimited: true });
    expect(outcomeOfStatus(429, null, "soon")).toEqual({ kind: "retry", rateLimited: true });
    expect(outcomeOfStatus(429, null, "999999")).toMatchObject({ retryAfterMs: 3_600_000 });
  });

  it("a 429 keeps the item and every later one, and says why the flush stopped", async () => {
    const s = memoryStorage();
    enqueue(s, item("a"));
    enqueue(s, item("b", "out"));
    const result = await flushQueue(s, async () => outcomeOfStatus(429, null, "30"));
    expect(result).toEqual({ sent: 0, left: 2, stoppedBy: { kind: "retry", rateLimited: true, retryAfterMs: 30_000 } });
    expect(readQueue(s).map((i) => i.key)).toEqual(["a", "b"]);
  });

  it("makes keys the server accepts, different each time", () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
