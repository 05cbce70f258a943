// Preloaded (`node --import …/child-guard.mjs …`) into the servers the benchmark starts.
// The benchmark holds the write end of this process's stdin; when the benchmark exits in any way
// (including kill -9) the pipe closes, and this server shuts down instead of lingering. SIGTERM
// lets it shut down gracefully; a hard exit follows if that takes too long.
// Main thread only: `--import` also runs in worker threads, whose process.stdin ends at once.
import { isMainThread } from "node:worker_threads";

if (isMainThread && !process.stdin.isTTY) {
  process.stdin.on("end", () => {
    console.error("[child-guard] the benchmark's pipe closed: stopping this server");
    process.kill(process.pid, "SIGTERM");
    setTimeout(() => process.exit(1), 15_000).unref();
  });
  process.stdin.on("error", () => undefined);
  process.stdin.resume();
  process.stdin.unref?.();
}
