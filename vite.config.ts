import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

// Tells Remix's types that loaders are serialized by single fetch (turbo-stream), so
// useLoaderData<typeof loader>() keeps Dates and other rich types.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  // The Remix plugin builds routes and virtual modules that unit tests do not need; vitest sets
  // VITEST and gets a plain Vite pipeline (vitest.config.ts may merge this file).
  plugins: [!process.env.VITEST && remix(remixConfig)],
  resolve: {
    // Same alias as tsconfig.json "paths": the Remix plugin does not read tsconfig paths itself.
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
});
