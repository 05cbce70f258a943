import { readdirSync, readFileSync } from "node:fs";
import { METHODS } from "node:http";
import { join } from "node:path";
import { clientPayloadSchemas } from "../../../app/lib/realtime/payloads.ts";
import { createHttpApp } from "../../../server/http/app.ts";
import type { AppServices } from "../../../server/services.ts";

/**
 * What exists, read from the code itself, for the completeness checks: the routes registered on
 * the express app, the route modules of app/routes with the methods they answer, and the client
 * Socket.IO events.
 */

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  name?: string;
  handle?: { stack?: Layer[] };
  regexp?: RegExp & { fast_slash?: boolean };
}

/** The mount path of an express 4 router layer (`/^\/api\/v1\/?(?=\/|$)/i` → `/api/v1`). */
function mountPath(layer: Layer): string {
  if (!layer.regexp || layer.regexp.fast_slash) return "";
  const path = layer.regexp.source.replace(/^\^/, "").replace("\\/?(?=\\/|$)", "").replace(/\\\//g, "/");
  if (!/^[\w/.-]*$/.test(path)) throw new Error(`cannot read the mount path of ${layer.regexp}: teach enumerate.ts`);
  return path;
}

/**
 * `METHOD /path` of every route on the app that server/http/app.ts builds (walked recursively
 * through mounted routers). The app is built by the same factory the server uses; a Remix mount
 * that is never called stands in for the build, so the catch-all is registered as in production.
 */
export function expressRoutes(services: AppServices): string[] {
  const app = createHttpApp(services, {
    assets: [(_req, _res, next) => next()],
    build: () => Promise.reject(new Error("not served: the route table is only read")),
    mode: "production",
  }) as unknown as { _router: { stack: Layer[] } };
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        // express 4's app.all() registers every method of node:http one by one.
        const registered = Object.keys(layer.route.methods).map((m) => m.toUpperCase());
        const all = layer.route.methods._all || METHODS.every((m) => registered.includes(m));
        const methods = all ? ["ALL"] : registered;
        for (const method of methods) found.push(`${method} ${prefix}${layer.route.path}`);
      } else if (layer.name === "router" && layer.handle?.stack) {
        walk(layer.handle.stack, prefix + mountPath(layer));
      }
    }
  };
  walk(app._router.stack, "");
  return [...new Set(found)].sort();
}

/**
 * `GET routes/<id>` for every route module in app/routes that has a loader or a component, and
 * `POST routes/<id>` for every one with an action (Remix answers other methods 405).
 */
export function remixRoutes(rootDir: string): string[] {
  const dir = join(rootDir, "app", "routes");
  const found: string[] = [];
  for (const file of readdirSync(dir)) {
    if (!/\.(tsx?|jsx?)$/.test(file) || /\.test\./.test(file)) continue;
    const id = `routes/${file.replace(/\.(tsx?|jsx?)$/, "")}`;
    const source = readFileSync(join(dir, file), "utf8");
    if (/export\s+(async\s+)?function\s+loader\b|export\s+const\s+loader\b|export\s+default\b/.test(source)) found.push(`GET ${id}`);
    if (/export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b/.test(source)) found.push(`POST ${id}`);
  }
  return found.sort();
}

/** Every client → server event the server registers (commands included). */
export function socketEvents(): string[] {
  return Object.keys(clientPayloadSchemas).sort();
}

/** Names in `actual` the table lacks, and names in the table that no longer exist. */
export function compare(actual: string[], table: string[]): { missing: string[]; stale: string[] } {
  const t = new Set(table);
  const a = new Set(actual);
  return { missing: actual.filter((x) => !t.has(x)), stale: [...t].filter((x) => !a.has(x)) };
}
