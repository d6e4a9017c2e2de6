/** Running the docs' examples as a new user would: extract, point `from "keykit"` at this checkout, compile, run. */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export const repoRoot = join(__dirname, "..", "..");

/** The text of a doc of the repository: `README.md`, `docs/constructs.md`, … */
export function readDoc(doc: string): string {
  return readFileSync(join(repoRoot, doc), "utf8");
}

/** The first fenced block of language `fence` after `marker` in `doc` (a path relative to the repository root). */
export function docBlockAfter(doc: string, marker: string, fence: string): string {
  const text = readDoc(doc);
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`${doc} has no '${marker}'`);
  const open = text.indexOf("```" + fence + "\n", start);
  if (open < 0) throw new Error(`${doc} has no \`\`\`${fence} block after '${marker}'`);
  const close = text.indexOf("\n```", open + 4);
  return text.slice(open + fence.length + 4, close + 1);
}

/**
 * A CDK Terrain example as the same app on cdktf: `cdktn` → `cdktf`, `keykit/cdktn…` → `keykit…` (the reverse of
 * scripts/cdktn/migrate.mjs for apps that use no provider package), so jest runs it on the cdktf build.
 */
export function cdktnToCdktf(code: string): string {
  return code
    .replace(/from "cdktn"/g, 'from "cdktf"')
    .replace(/from "keykit\/cdktn((?:\/[a-z0-9/*-]+)?)"/g, 'from "keykit$1"');
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
