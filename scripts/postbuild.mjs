#!/usr/bin/env node
// After `tsc`: make the CLI executable, and make the namespaced index of `keykit/confluent` lazy (from the
// lazy-index.ts `cdktf get` writes): `import * as confluent from "keykit/confluent"` then loads a binding only when
// it is used, where a prebuilt provider package's index loads all of them. The type declarations are unchanged.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "dist");
chmodSync(join(dist, "cli", "main.js"), 0o755);
const bindings = join(dist, ".gen", "providers", "confluent");
if (!existsSync(join(bindings, "lazy-index.js"))) {
  console.error("keykit: dist/.gen/providers/confluent/lazy-index.js is missing; did `cdktf get` run?");
  process.exit(1);
}
// Enumerable getters and __esModule, so `import * as` (esModuleInterop's __importStar) sees every namespace and
// keeps it lazy; cdktf's lazy index defines non-enumerable ones.
const lazy = readFileSync(join(bindings, "lazy-index.js"), "utf8").replace(
  /\{ get: function/g,
  "{ enumerable: true, get: function",
);
writeFileSync(
  join(bindings, "index.js"),
  `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n${lazy.replace(/^"use strict";\n/, "")}`,
);
