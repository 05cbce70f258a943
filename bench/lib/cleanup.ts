/**
 * Everything the benchmark starts (child servers, databases, an embedded PostgreSQL) registers
 * its undo here. They run in reverse order at the end, on an error, and on Ctrl-C / SIGTERM.
 */
type Cleanup = { name: string; run: () => Promise<void> };

const stack: Cleanup[] = [];
let running: Promise<void> | null = null;

/** Registers an undo; the returned function runs it now (at most once overall) and unregisters it. */
export function onCleanup(name: string, run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  const entry = { name, run: () => (done ??= run()) };
  stack.push(entry);
  return () => {
    const index = stack.indexOf(entry);
    if (index !== -1) stack.splice(index, 1);
    return entry.run();
  };
}

export function runCleanups(log: (message: string) => void): Promise<void> {
  return (running ??= (async () => {
    while (stack.length > 0) {
      const entry = stack.pop() as Cleanup;
      try {
        await entry.run();
      } catch (error) {
        log(`cleanup "${entry.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })());
}

/** Ctrl-C / SIGTERM: clean up, then exit 130 / 143. A second signal exits at once. */
export function installSignalHandlers(log: (message: string) => void) {
  let interrupted = false;
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(code);
      interrupted = true;
      log(`${signal}: stopping the child servers and removing the databases…`);
      void runCleanups(log).finally(() => process.exit(code));
    });
  }
}

/** Runs a benchmark's main, cleans up either way, and exits 0 on success or 1 with the error logged. */
export function runBenchmark(main: () => Promise<void>, log: (message: string) => void): void {
  main()
    .then(() => runCleanups(log))
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await runCleanups(log);
      process.exit(1);
    });
}
