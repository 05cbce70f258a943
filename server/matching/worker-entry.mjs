// Plain-JS entry of the matching worker thread: registers tsx in this thread, then loads the
// TypeScript worker. Works whether the parent runs under `node --import tsx`, tsx or vitest
// (a Worker's execArgv `--import` is not honoured everywhere).
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
