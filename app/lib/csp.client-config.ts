import { z } from "zod";

/**
 * Browser settings the Content-Security-Policy needs (docs/decisions/025). Imported first by
 * app/root.tsx, so it runs before any route module builds a schema.
 *
 * zod 4 probes `new Function("")` when the first object schema is built, to decide whether to
 * compile its parsers. The page's CSP (no 'unsafe-eval') blocks the probe; zod falls back, but
 * the browser still reports a violation. `jitless` skips the probe; the browser only parses small
 * forms and events, where the compiled fast path gains nothing. The server keeps its fast path.
 */
if (typeof document !== "undefined") z.config({ jitless: true });
