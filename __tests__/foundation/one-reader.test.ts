/**
 * The one-reader rule: every file a command reads goes through the input boundary
 * (policies/loaders/read-input-file.ts), so every read gets the same file-kind checks, size and gzip limits,
 * encoding handling and one-line errors. A source scan of cli/ and policies/ fails on any other call that reads a
 * file's content; the few reads that are not of an input are listed here, each with the reason.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const BOUNDARY = "policies/loaders/read-input-file.ts";

/** Calls (or imports) that read a file's content, whichever way the fs module is reached. */
const READS =
  /\b(readFileSync|readFile|createReadStream|readSync|readv|readvSync|openAsBlob)\b|node:fs\/promises|\bfs\.promises\b/;

/**
 * `file: the matched line's text` for every read that is not of an input. Keep it short: anything a command is
 * given belongs in the boundary.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  // The kit's own package.json, found next to the installed code: its version for reports, never user input.
  'policies/version.ts:import { existsSync, readFileSync } from "node:fs";': "the kit's own manifest",
  'policies/version.ts:const manifest = JSON.parse(readFileSync(candidate, "utf8")) as { name?: unknown; version?: unknown };':
    "the kit's own manifest",
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** Every line outside the boundary that reads a file, as `file:trimmed line` (comments left out). */
function readsOutsideBoundary(): string[] {
  const found: string[] = [];
  for (const file of [...sources("cli"), ...sources("policies")]) {
    const shown = relative(ROOT, join(ROOT, file)).split("\\").join("/");
    if (shown === BOUNDARY) continue;
    for (const line of readFileSync(join(ROOT, file), "utf8").split("\n")) {
      const code = line.trim();
      if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) continue;
      if (READS.test(code)) found.push(`${shown}:${code}`);
    }
  }
  return found;
}

describe("one reader for every input file", () => {
  it("no file in cli/ or policies/ reads a file outside the input boundary, but for the listed exceptions", () => {
    expect(readsOutsideBoundary().filter((hit) => !Object.hasOwn(ALLOWED, hit))).toEqual([]);
  });

  it("every exception still exists (a stale entry would allow a future read unseen)", () => {
    const hits = new Set(readsOutsideBoundary());
    expect(Object.keys(ALLOWED).filter((entry) => !hits.has(entry))).toEqual([]);
  });

  it("the scan sees a read written in any of the usual ways", () => {
    for (const line of [
      'const text = readFileSync(path, "utf8");',
      "const s = createReadStream(file);",
      'import { readFile } from "node:fs/promises";',
      "await fs.promises.readFile(p);",
      "readSync(fd, buffer, 0, 2, 0);",
    ])
      expect(READS.test(line)).toBe(true);
    expect(READS.test("const text = readInputText(path, cwd);")).toBe(false);
  });
});
