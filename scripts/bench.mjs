#!/usr/bin/env node
// `npm run bench` and `npm run bench:<name>`: compiles bench/ with the kit into .tmp/bench-dist/ (tsconfig.bench.json,
// then the same post-build steps as dist/), then runs the named benches one after the other, each given the
// arguments after the names (`npm run bench:synth -- --framework cdktn` runs `bench/synth.ts --framework cdktn`).
// Usage: node scripts/bench.mjs <synth|check|audit|install>… [bench arguments]
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BENCHES = ["synth", "check", "audit", "install"];
const out = join(root, ".tmp", "bench-dist");

const args = process.argv.slice(2);
const names = args.filter((arg) => BENCHES.includes(arg));
const rest = args.filter((arg) => !BENCHES.includes(arg));
if (names.length === 0) {
  console.error(`keykit: name a bench: ${BENCHES.join(", ")}`);
  process.exit(2);
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(out, { recursive: true, force: true });
run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.bench.json"]);
run(process.execPath, [join(root, "scripts", "postbuild.mjs"), out]);
for (const name of names) run(process.execPath, [join(out, "bench", `${name}.js`), ...rest]);
