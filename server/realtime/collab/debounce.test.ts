import { describe, expect, it } from "vitest";
import { KeyedDebouncer } from "./debounce.ts";
import { TokenBucket } from "./token-bucket.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("KeyedDebouncer", () => {
  it("runs once after the calls stop, but no later than the max wait", async () => {
    const runs: number[] = [];
    const debouncer = new KeyedDebouncer(40, 100, () => {});
    const started = performance.now();
    for (let i = 0; i < 8; i++) {
      debouncer.schedule("doc", async () => void runs.push(performance.now() - started));
      await sleep(20); // keeps resetting the 40 ms wait
    }
    await sleep(80);
    expect(runs.length).toBeGreaterThanOrEqual(2); // the max wait forced a run during the burst
    expect(runs[0]).toBeLessThan(250);
  });

  it("never runs one key twice at a time; a call during a run schedules one more", async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const debouncer = new KeyedDebouncer(1, 1, () => {});
    const run = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(30);
      running--;
      runs++;
    };
    debouncer.schedule("doc", run);
    await sleep(10);
    debouncer.schedule("doc", run);
    debouncer.schedule("other", run);
    await sleep(250);
    expect(maxRunning).toBe(2); // "doc" and "other" in parallel, never "doc" twice
    expect(runs).toBe(3);
  });

  it("flushAll runs what is pending now and waits; errors go to the handler", async () => {
    const errors: string[] = [];
    const debouncer = new KeyedDebouncer(60_000, 60_000, (key) => errors.push(key));
    let ran = false;
    debouncer.schedule("a", async () => {
      await sleep(5);
      ran = true;
    });
    debouncer.schedule("b", async () => {
      throw new Error("boom");
    });
    await debouncer.flushAll();
    expect(ran).toBe(true);
    expect(errors).toEqual(["b"]);
    expect(debouncer.has("a")).toBe(false);
  });
});

describe("TokenBucket", () => {
  it("allows a burst, then the sustained rate", () => {
    const bucket = new TokenBucket(100, 200, 0);
    let allowed = 0;
    for (let i = 0; i < 300; i++) if (bucket.take(0)) allowed++;
    expect(allowed).toBe(200);
    expect(bucket.take(5)).toBe(false); // 0.5 token after 5 ms
    expect(bucket.take(10)).toBe(true); // 1 token after 10 ms
    let later = 0;
    for (let i = 0; i < 300; i++) if (bucket.take(1_010)) later++;
    expect(later).toBe(100); // refilled 1 s × 100/s
  });
});
