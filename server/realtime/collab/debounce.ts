/**
 * Keyed debounce with a maximum wait, one run per key at a time, and a flush for shutdown
 * (style habit 5; Hocuspocus util/debounce.ts). Used for document compaction.
 *
 * `schedule(key, run)`: runs `run` once `waitMs` after the last call for the key, but no later
 * than `maxWaitMs` after the first call of a burst. A call while the key's run is in progress
 * schedules one more run after it. Errors of a run go to `onError`; they never reject anywhere.
 */
export class KeyedDebouncer {
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; firstAt: number; run: () => Promise<void> }>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly waitMs: number,
    private readonly maxWaitMs: number,
    private readonly onError: (key: string, error: unknown) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  schedule(key: string, run: () => Promise<void>): void {
    const existing = this.pending.get(key);
    const firstAt = existing?.firstAt ?? this.now();
    if (existing) clearTimeout(existing.timer);
    const delay = Math.max(0, Math.min(this.waitMs, firstAt + this.maxWaitMs - this.now()));
    const timer = setTimeout(() => void this.fire(key), delay);
    timer.unref?.();
    this.pending.set(key, { timer, firstAt, run });
  }

  /** True when a run for the key is scheduled or in progress. */
  has(key: string): boolean {
    return this.pending.has(key) || this.running.has(key);
  }

  /** Runs the key's pending run now (after the one in progress), and waits for it. */
  async flush(key: string): Promise<void> {
    await this.running.get(key);
    if (this.pending.has(key)) await this.fire(key);
    await this.running.get(key);
  }

  /** Flushes every key (shutdown). */
  async flushAll(): Promise<void> {
    while (this.pending.size > 0 || this.running.size > 0) {
      await Promise.all([...new Set([...this.pending.keys(), ...this.running.keys()])].map((key) => this.flush(key)));
    }
  }

  /** Drops a pending run without running it. */
  cancel(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
  }

  private async fire(key: string): Promise<void> {
    const inProgress = this.running.get(key);
    if (inProgress) {
      // One run per key: this one goes after the current, as a fresh debounce.
      await inProgress;
      if (this.running.has(key)) return; // someone else started the next run meanwhile
    }
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
    const run = (async () => {
      try {
        await entry.run();
      } catch (error) {
        this.onError(key, error);
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, run);
    await run;
  }
}
