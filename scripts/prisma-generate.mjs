// Generates the Prisma client offline, and only when prisma/schema.prisma changed since the last run.
// `prisma generate` checks that a schema-engine binary exists but never runs it; the real engine
// cannot be downloaded on offline machines, so we point it at an existing placeholder file.
// See docs/decisions/003-prisma-offline.md.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = join(root, "prisma", "schema.prisma");
const outputDir = join(root, "server", "db", "generated");
const stampPath = join(outputDir, ".schema-hash");

const hash = createHash("sha256").update(readFileSync(schemaPath)).digest("hex");
const force = process.argv.includes("--force");
if (!force && existsSync(stampPath) && readFileSync(stampPath, "utf8") === hash) {
  process.exit(0);
}

const result = spawnSync(
  process.execPath,
  [join(root, "node_modules", "prisma", "build", "index.js"), "generate", "--schema", schemaPath],
  {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? schemaPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  },
);
if (result.status !== 0) {
  console.error("prisma generate failed");
  process.exit(result.status ?? 1);
}
writeFileSync(stampPath, hash);
