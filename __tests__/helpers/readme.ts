/** Running the README's examples as a new user would: extract, point `from "keykit"` at this checkout, compile, run. */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export const repoRoot = join(__dirname, "..", "..");
const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

/** The first fenced block of language `fence` after `marker` in the README. */
export function readmeBlockAfter(marker: string, fence: string): string {
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README has no '${marker}'`);
  const open = readme.indexOf("```" + fence + "\n", start);
  const close = readme.indexOf("\n```", open + 4);
  return readme.slice(open + fence.length + 4, close + 1);
}

/** Writes `code` to `dir/name` with its `keykit` imports pointed at this checkout's sources. */
export function writeExample(dir: string, name: string, code: string): string {
  const constructs = relative(dir, join(repoRoot, "constructs")).split("\\").join("/");
  const file = join(dir, name);
  // `keykit/confluent/lib/<resource>` is `.gen/providers/confluent/<resource>` of this checkout (package.json exports).
  const bindings = relative(dir, join(repoRoot, ".gen", "providers", "confluent"))
    .split("\\")
    .join("/");
  const pointed = code
    .replace(/from "keykit\/confluent\/lib\/([a-z0-9-]+)"/g, `from "${bindings}/$1"`)
    .replace(/from "keykit"/g, `from "${constructs}"`);
  writeFileSync(file, pointed);
  return file;
}

/** `tsc --noEmit` under strict settings on one file: returns what tsc printed and its exit code. */
export function typecheck(file: string): { output: string; status: number | null } {
  const tsc = spawnSync(
    process.execPath,
    [
      join(repoRoot, "node_modules", "typescript", "bin", "tsc"),
      ...["--noEmit", "--strict", "--skipLibCheck", "--esModuleInterop", "--target", "ES2022"],
      ...["--module", "commonjs", "--types", "node", file],
    ],
    { cwd: repoRoot, encoding: "utf8" },
  );
  return { output: tsc.stdout + tsc.stderr, status: tsc.status };
}
