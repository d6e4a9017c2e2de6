#!/usr/bin/env node
// After `tsc`: make the CLI executable, bundle the synth-time policies into one file, and make the namespaced index
// of `keykit/confluent` lazy (from the lazy-index.ts `cdktf get` writes): `import * as confluent from
// "keykit/confluent"` then loads a binding only when it is used, where a prebuilt provider package's index loads all
// of them. The type declarations are unchanged.
import { buildSync } from "esbuild";
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The build folder: dist/ by default, or the one given (the cdktn build, scripts/cdktn-build.mjs).
const dist = process.argv[2] ?? join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "dist");
chmodSync(join(dist, "cli", "main.js"), 0o755);
bundleInPlace(join(dist, "policies", "synth-engine.js"));
const bindings = join(dist, ".gen", "providers", "confluent");
if (!existsSync(join(bindings, "lazy-index.js"))) {
  console.error("keykit: dist/.gen/providers/confluent/lazy-index.js is missing; did `cdktf get` run?");
  process.exit(1);
}
// `__esModule` and enumerable getters, so `import * as` (esModuleInterop's __importStar) sees every namespace and
// keeps it lazy (cdktf's lazy index defines non-enumerable ones). Each export's getter reads a member of a lazy
// object, the one getter shape Node's CommonJS lexer recognizes: ESM apps can `import { kafkaTopic } from …` too.
const lazy = readFileSync(join(bindings, "lazy-index.js"), "utf8");
const modules = [
  ...lazy.matchAll(/defineProperty\(exports, '(\w+)', \{ get: function \(\) \{ return require\('(\.\/[\w-]+)'\)/g),
];
if (modules.length === 0) {
  console.error("keykit: no namespaces found in dist/.gen/providers/confluent/lazy-index.js");
  process.exit(1);
}
const lines = modules.flatMap(([, name, path]) => [
  `Object.defineProperty(lazy, '${name}', { get: function () { return require('${path}'); } });`,
  `Object.defineProperty(exports, '${name}', { enumerable: true, get: function () { return lazy.${name}; } });`,
]);
writeFileSync(
  join(bindings, "index.js"),
  [
    '"use strict";',
    "// generated from cdktf get's lazy-index by scripts/postbuild.mjs",
    'Object.defineProperty(exports, "__esModule", { value: true });',
    "const lazy = {};",
    ...lines,
    "",
  ].join("\n"),
);

/**
 * Replaces a compiled module by one file holding it and every module of the kit it requires (npm packages and
 * Node's own stay `require`s): see policies/synth-engine.ts for why. Bundled from tsc's output, so it is the same
 * code the other modules of dist/ run.
 */
function bundleInPlace(file) {
  const bundled = `${file}.bundled`;
  const result = buildSync({
    entryPoints: [file],
    outfile: bundled,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  if (result.errors.length > 0) {
    console.error(`keykit: bundling ${file} failed`);
    process.exit(1);
  }
  renameSync(bundled, file);
}
