/** The kit's version, read from its package.json (found upwards from this file, in the sources and in dist/). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

function readPackageVersion(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "keykit" && typeof manifest.version === "string") return manifest.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return "0.0.0-unknown";
    dir = parent;
  }
}

export const KEYKIT_VERSION: string = readPackageVersion();
