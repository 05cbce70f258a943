/**
 * Vitest configuration, kept apart from vite.config.ts so that test runs never load the Remix
 * Vite plugin (Vitest reads vitest.config.ts instead of vite.config.ts when both exist).
 *
 * Run through `node scripts/run-tests.mjs <project>...` (npm test / npm run test:e2e), which
 * provides DATABASE_URL and TEST_DATABASE_ADMIN_URL.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Same alias as tsconfig.json "paths" and vite.config.ts (not imported here: it loads Remix).
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "server/**/*.test.ts", "prisma/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // One file at a time: files boot servers and share the run's database. (These machines
          // have 2 cores, so Vitest's default of cores - 1 workers is 1 anyway.) Files needing
          // isolation create their own database through TEST_DATABASE_ADMIN_URL.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
