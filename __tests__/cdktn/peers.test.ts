/**
 * The package for users of either framework: cdktf and cdktn are both optional peers (npm 7+ installs a required
 * peer by itself, which would put cdktf into every cdktn app), constructs is the one required peer, and the
 * `keykit/cdktn` subpaths point at the cdktn build.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const toolchain = JSON.parse(readFileSync(join(root, "scripts", "cdktn", "toolchain", "package.json"), "utf8"));

/** `^a.b.c` admits `version` (same major, or same minor for 0.x, and not lower). */
function caretAdmits(range: string, version: string): boolean {
  const [lo, v] = [range.replace(/^\^/, ""), version].map((s) => s.split(".").map(Number));
  const fixed = lo[0] === 0 ? 2 : 1;
  for (let i = 0; i < fixed; i += 1) if (lo[i] !== v[i]) return false;
  for (let i = fixed; i < 3; i += 1) if (v[i] !== lo[i]) return v[i] > lo[i];
  return true;
}

describe("peers for cdktf and cdktn apps", () => {
  test("cdktf and cdktn are optional peers; constructs is required", () => {
    expect(manifest.peerDependenciesMeta.cdktf).toEqual({ optional: true });
    expect(manifest.peerDependenciesMeta.cdktn).toEqual({ optional: true });
    expect(manifest.peerDependenciesMeta.constructs).toBeUndefined();
    expect(manifest.dependencies.cdktn).toBeUndefined();
    // A devDependency beside cdktf (prepack builds keykit/cdktn with it), pinned to what the cdktn leg runs.
    expect(manifest.devDependencies.cdktn).toBe(toolchain.dependencies.cdktn);
  });

  test("the ranges admit what each leg is tested with: cdktn 0.24 and cdktf 0.21, both with constructs 10.7", () => {
    expect(caretAdmits(manifest.peerDependencies.cdktn, toolchain.dependencies.cdktn)).toBe(true);
    expect(caretAdmits(manifest.peerDependencies.constructs, toolchain.dependencies.constructs)).toBe(true);
    expect(caretAdmits(manifest.peerDependencies.constructs, manifest.devDependencies.constructs)).toBe(true);
    expect(caretAdmits(manifest.peerDependencies.cdktf, manifest.devDependencies.cdktf)).toBe(true);
    expect(caretAdmits(manifest.peerDependencies.cdktn, "0.25.0")).toBe(false);
  });

  test("keykit/cdktn and its subpaths point at the cdktn build, with types for old resolvers too", () => {
    for (const subpath of ["./cdktn", "./cdktn/confluent", "./cdktn/confluent/lib/*", "./cdktn/testing"]) {
      const target = manifest.exports[subpath];
      expect(target.default).toMatch(/^\.\/dist\/cdktn\//);
      expect(target.types).toBe(target.default.replace(/\.js$/, ".d.ts"));
      expect(manifest.typesVersions["*"][subpath.slice(2)]).toEqual([target.types.slice(2)]);
    }
  });
});
