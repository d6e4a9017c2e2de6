#!/usr/bin/env node
// Last step of prepack: refuses, in one line, to pack a package that lacks a file its `exports` names (the cdktn
// build, say, when it did not run), so no tarball ever ships an entry point that fails at import.
//   node scripts/check-entry-points.mjs [PACKAGE_DIR]   (default: this repository)
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { missingEntryPoints } from "./entry-points.mjs";

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

function filesUnder(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [relative(root, join(dir, entry.name))],
  );
}

const files = [...manifest.files.flatMap((entry) => filesUnder(join(root, entry))), "package.json"];
const missing = missingEntryPoints(manifest, [...files, ...manifest.files]);
if (missing.length > 0) {
  console.error(`keykit: not packing: exports names files the build did not make: ${missing.join(", ")}`);
  process.exit(1);
}
