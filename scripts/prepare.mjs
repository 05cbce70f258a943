// Makes a fresh clone runnable: generates the Prisma client and builds the Remix app when their
// sources changed since the last run (content hashes), so `npm start` right after `npm install`
// works and a second start is instant.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`[prepare] ${[command, ...args].join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}

function hashTree(paths) {
  const hash = createHash("sha256");
  const visit = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (name === "node_modules" || name.endsWith(".test.ts") || name.endsWith(".test.tsx")) continue;
        visit(join(path, name));
      }
    } else {
      hash.update(relative(root, path)).update(readFileSync(path));
    }
  };
  paths.forEach((p) => visit(join(root, p)));
  return hash.digest("hex");
}

run(process.execPath, [join(root, "scripts", "prisma-generate.mjs")]);

const buildStamp = join(root, "build", ".source-hash");
const sourceHash = hashTree(["app", "public", "vite.config.ts", "remix.config.js", "package-lock.json"]);
const upToDate =
  existsSync(join(root, "build", "server", "index.js")) &&
  existsSync(buildStamp) &&
  readFileSync(buildStamp, "utf8") === sourceHash;
if (!upToDate) {
  console.log("[prepare] building the web app (remix vite:build)…");
  run(process.execPath, [join(root, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:build"]);
  writeFileSync(buildStamp, sourceHash);
}
