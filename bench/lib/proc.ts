/**
 * CPU and memory of other processes from /proc (Linux): the servers under test run in their own
 * child processes so that these figures are theirs alone, not the load generator's.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (almost always 100). */
export const CLOCK_TICKS = (() => {
  try {
    return Number.parseInt(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim(), 10) || 100;
  } catch {
    return 100;
  }
})();

/** user + system CPU time of a process (all its threads), in seconds; null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]); // field 14 of proc(5)
  const stime = Number(fields[12]); // field 15
  return (utime + stime) / CLOCK_TICKS;
}

/** Resident set size in bytes (VmRSS), or null once the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface ProcessWindow {
  /** CPU time used in the window as a percentage of one core (200 = both cores of this machine). */
  cpuPercent: number | null;
  rssPeakBytes: number | null;
  rssEndBytes: number | null;
}

/**
 * Measures a set of processes between start() and stop(): CPU from /proc/<pid>/stat deltas, RSS
 * sampled every `intervalMs` (peak) and read once more at the end. The pid set may grow while
 * measuring (database backends opened during the window count from zero).
 */
export class ProcessMeter {
  private startCpu = new Map<number, number>();
  private lastCpu = new Map<number, number>();
  private startedAt = 0;
  private peak: number | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pids: () => number[],
    private readonly options: { intervalMs?: number; rss?: boolean } = {},
  ) {}

  start() {
    this.startedAt = performance.now();
    for (const pid of this.pids()) {
      const cpu = cpuSeconds(pid);
      if (cpu !== null) {
        this.startCpu.set(pid, cpu);
        this.lastCpu.set(pid, cpu);
      }
    }
    this.timer = setInterval(() => this.sample(), this.options.intervalMs ?? 200);
    this.timer.unref();
    this.sample();
  }

  private sample() {
    let rss = 0;
    let any = false;
    for (const pid of this.pids()) {
      if (!this.startCpu.has(pid)) this.startCpu.set(pid, 0);
      const cpu = cpuSeconds(pid);
      if (cpu !== null) this.lastCpu.set(pid, cpu);
      if (this.options.rss !== false) {
        const value = rssBytes(pid);
        if (value !== null) {
          rss += value;
          any = true;
        }
      }
    }
    if (any && (this.peak === null || rss > this.peak)) this.peak = rss;
    return any ? rss : null;
  }

  stop(): ProcessWindow {
    clearInterval(this.timer);
    const end = this.sample();
    const seconds = (performance.now() - this.startedAt) / 1000;
    let used = 0;
    for (const [pid, last] of this.lastCpu) used += last - (this.startCpu.get(pid) ?? 0);
    return {
      cpuPercent: seconds > 0 && this.lastCpu.size > 0 ? (used / seconds) * 100 : null,
      rssPeakBytes: this.peak,
      rssEndBytes: end,
    };
  }
}

/** Whole-machine CPU busy time (all processes, all cores) from the first line of /proc/stat, in seconds. */
function machineBusySeconds(): number | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Machine-wide CPU use in a window, as a percentage of one core (so up to 100 × cores). */
export class MachineMeter {
  private startBusy: number | null = null;
  private startedAt = 0;
  start() {
    this.startBusy = machineBusySeconds();
    this.startedAt = performance.now();
  }
  stop(): number | null {
    const end = machineBusySeconds();
    const seconds = (performance.now() - this.startedAt) / 1000;
    if (end === null || this.startBusy === null || seconds <= 0) return null;
    return ((end - this.startBusy) / seconds) * 100;
  }
}

/**
 * Waits until the whole machine uses less than `maxPercent` of one core over a 2 s sample (other
 * work on a shared machine distorts every figure), or until `timeoutS` has passed. Returns the
 * last sample.
 */
export async function waitForQuietMachine(maxPercent: number, timeoutS: number, log: (message: string) => void): Promise<number | null> {
  const deadline = performance.now() + timeoutS * 1000;
  let announced = false;
  for (;;) {
    const meter = new MachineMeter();
    meter.start();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const busy = meter.stop();
    if (busy === null || busy < maxPercent) return busy;
    if (performance.now() > deadline) {
      log(`the machine is still busy (${busy.toFixed(0)}% of a core): going ahead anyway`);
      return busy;
    }
    if (!announced) {
      log(`waiting for the machine to be quiet (now ${busy.toFixed(0)}% of a core busy; up to ${timeoutS} s)`);
      announced = true;
    }
  }
}
