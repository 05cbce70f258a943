/** Counters of the collab server, for tests, logs and the benchmark. */
export class CollabStats {
  appendBatches = 0;
  appendedUpdates = 0;
  appendFailures = 0;
  maxBatch = 0;
  compactions = 0;
  compactionFailures = 0;
  loads = 0;
  unloads = 0;
  rejectedMessages = 0;
  /** Times a document instance was dropped because memory got ahead of the log. */
  divergences = 0;
  rateLimited = 0;
  /** Latency of the last appends (ms), a ring buffer. */
  private readonly latencies = new Float64Array(4096);
  private latencyCount = 0;
  /** Batch sizes of the last appends, same ring. */
  private readonly sizes = new Uint32Array(4096);

  recordAppend(size: number, ms: number): void {
    this.appendBatches++;
    this.appendedUpdates += size;
    if (size > this.maxBatch) this.maxBatch = size;
    const i = this.latencyCount++ % this.latencies.length;
    this.latencies[i] = ms;
    this.sizes[i] = size;
  }

  /** Percentiles over the recent appends. */
  summary() {
    const n = Math.min(this.latencyCount, this.latencies.length);
    const latencies = Array.from(this.latencies.subarray(0, n)).sort((a, b) => a - b);
    const sizes = Array.from(this.sizes.subarray(0, n)).sort((a, b) => a - b);
    const pick = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);
    return {
      appendBatches: this.appendBatches,
      appendedUpdates: this.appendedUpdates,
      appendFailures: this.appendFailures,
      meanBatch: this.appendBatches ? this.appendedUpdates / this.appendBatches : 0,
      maxBatch: this.maxBatch,
      batchP50: pick(sizes, 50),
      batchP99: pick(sizes, 99),
      appendMsP50: pick(latencies, 50),
      appendMsP99: pick(latencies, 99),
      compactions: this.compactions,
      compactionFailures: this.compactionFailures,
      loads: this.loads,
      unloads: this.unloads,
      rejectedMessages: this.rejectedMessages,
      divergences: this.divergences,
      rateLimited: this.rateLimited,
    };
  }
}
