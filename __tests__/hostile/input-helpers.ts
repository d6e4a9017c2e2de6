/**
 * Shared checks of the hostile-input suite: every refusal is exit 2 (or the documented code) with exactly one
 * `keykit:` line on stderr, no stack trace, no fragment of the hostile input, and no file changed in the run's
 * directory.
 */
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";

export { runKeykit, tempDir, writeJson } from "../audit/helpers";

/** Every entry under `dir` (not following links) with its type and content hash: compare before and after a run. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = join(relative, name);
      const stats = lstatSync(join(dir, path));
      if (stats.isDirectory()) {
        out[path] = "dir";
        walk(path);
      } else if (stats.isSymbolicLink()) out[path] = `link→${readlinkSync(join(dir, path))}`;
      else if (stats.isFile())
        out[path] = `file ${stats.mode.toString(8)} ${createHash("sha256")
          .update(readFileSync(join(dir, path)))
          .digest("hex")}`;
      else out[path] = "special";
    }
  };
  walk("");
  return out;
}

/** Exactly one line, starting `keykit: `, with no stack trace and none of the `forbidden` fragments. */
export function expectOneLine(stderr: string, forbidden: readonly string[] = []): string {
  expect(stderr).toMatch(/^keykit: [^\n]*\n$/);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain("internal error");
  for (const fragment of forbidden) expect(stderr).not.toContain(fragment);
  // Control characters (other than the final newline) could forge a second line on a terminal.
  expect(stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f]/);
  return stderr;
}
