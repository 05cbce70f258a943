import { pino, type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stdout; one logger per process, children per module. */
export function createLogger(level: string = "info"): Logger {
  return pino({
    level,
    base: { service: "tsunagu" },
    redact: { paths: ["req.headers.cookie", "password", "*.password"], remove: true },
  });
}
