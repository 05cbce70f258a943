// The one home of Remix options. vite.config.ts passes this object to the Remix Vite plugin;
// nothing else configures Remix. See docs/decisions/001-remix-vite-build.md.

/** @type {import("@remix-run/dev").VitePluginConfig} */
const remixConfig = {
  appDirectory: "app",
  // The build layout the custom server (server/index.ts) serves: build/server/index.js + build/client.
  buildDirectory: "build",
  serverModuleFormat: "esm",
  // Unit tests sit next to the code; they are not routes. Dotfiles neither.
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}", "**/*.spec.{ts,tsx}"],
  // Every Remix v3 flag this version offers, so the move to React Router 7 is a rename.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};

export default remixConfig;
