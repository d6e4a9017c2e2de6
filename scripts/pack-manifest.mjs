#!/usr/bin/env node
// `prepack` / `postpack`: the packed package.json leaves out `prepare`. In this repository `prepare` is the set-up
// `npm ci` (and a git install) runs: generate the bindings, build. A tarball already holds the build, and npm warns
// about every lifecycle script of an installed package that the app has not allowed, so a consumer's install of the
// tarball would warn about a script that never runs for it. `strip` keeps the original beside it; `restore` puts it
// back (and is run by `strip` itself first, should an earlier pack have stopped half-way).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = join(root, "package.json");
const original = join(root, "package.json.unpacked");

function restore() {
  if (existsSync(original)) renameSync(original, manifest);
}

const mode = process.argv[2];
if (mode === "restore") {
  restore();
} else if (mode === "strip") {
  restore();
  const text = readFileSync(manifest, "utf8");
  const parsed = JSON.parse(text);
  delete parsed.scripts.prepare;
  writeFileSync(original, text);
  writeFileSync(manifest, `${JSON.stringify(parsed, null, 2)}\n`);
} else {
  console.error("usage: pack-manifest.mjs strip|restore");
  process.exit(2);
}
