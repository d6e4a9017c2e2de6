/**
 * Directory discovery for `keykit check DIR`, the way scanners read a repository (checkov -d, tflint --recursive):
 * every Terraform root below DIR (a directory with `*.tf` that no other directory calls as a local module), every
 * `cdk.tf.json` and every `cdktf.out` (a directory with `stacks/<stack>/cdk.tf.json`). `.terraform/`,
 * `node_modules/`, hidden directories and symbolic links are not entered; the walk is iterative and stops at
 * MAX_DIRECTORY_DEPTH levels.
 */
import { type Dirent, existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { isLocalSource } from "./hcl-modules";
import { readInputText } from "./read-input-file";

export const MAX_DIRECTORY_DEPTH = 64;

export interface DiscoveredInput {
  /** The path as the user would write it (below the given directory). */
  readonly path: string;
  readonly kind: "hcl" | "cdktf-json" | "cdktf-out";
}

const SKIPPED = new Set([".terraform", "node_modules"]);
/** `source = "./…"` inside a `module` block: enough to tell which directories are modules, without parsing. */
const MODULE_SOURCE = /module\s+"[^"]*"\s*\{[^}]*?\bsource\s*=\s*"([^"]+)"/g;

function listDirectory(abs: string): Dirent[] {
  try {
    return readdirSync(abs, { withFileTypes: true });
  } catch {
    return []; // unreadable directories hold nothing checkable
  }
}

function isCdktfOut(abs: string, entries: readonly Dirent[]): boolean {
  if (!entries.some((e) => e.isDirectory() && e.name === "stacks")) return false;
  return listDirectory(join(abs, "stacks")).some(
    (s) => s.isDirectory() && existsSync(join(abs, "stacks", s.name, "cdk.tf.json")),
  );
}

/** Local module directories a Terraform directory calls (absolute). */
function calledModules(abs: string, tfNames: readonly string[], into: Set<string>): void {
  for (const name of tfNames) {
    let text: string;
    try {
      text = readInputText(join(abs, name)); // never blocks on a FIFO; the loader reports such a file itself
    } catch {
      continue;
    }
    MODULE_SOURCE.lastIndex = 0;
    for (let m = MODULE_SOURCE.exec(text); m !== null; m = MODULE_SOURCE.exec(text))
      if (isLocalSource(m[1])) into.add(resolve(abs, m[1]));
  }
}

/** Every checkable input below `dir` (itself included), in path order. */
export function discoverInputs(dir: string, cwd: string): DiscoveredInput[] {
  const found: DiscoveredInput[] = [];
  const terraformDirs: { path: string; abs: string }[] = [];
  const called = new Set<string>();
  const queue: { path: string; depth: number }[] = [{ path: dir, depth: 0 }];
  while (queue.length > 0) {
    const { path, depth } = queue.shift() as { path: string; depth: number };
    const abs = resolve(cwd, path);
    const entries = listDirectory(abs).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (isCdktfOut(abs, entries)) {
      found.push({ path, kind: "cdktf-out" });
      continue;
    }
    // Anything but a directory under these names is an input: a linked file is read, and a FIFO or a dangling link
    // is reported by the reader (one line or a note) instead of being silently passed over.
    if (entries.some((e) => !e.isDirectory() && e.name === "cdk.tf.json"))
      found.push({ path: join(path, "cdk.tf.json"), kind: "cdktf-json" });
    const tfNames = entries.filter((e) => !e.isDirectory() && e.name.endsWith(".tf")).map((e) => e.name);
    if (tfNames.length > 0) {
      terraformDirs.push({ path, abs });
      calledModules(abs, tfNames, called);
    }
    if (depth >= MAX_DIRECTORY_DEPTH) continue;
    for (const e of entries)
      if (e.isDirectory() && !SKIPPED.has(e.name) && !e.name.startsWith("."))
        queue.push({ path: join(path, e.name), depth: depth + 1 });
  }
  for (const t of terraformDirs) if (!called.has(t.abs)) found.push({ path: t.path, kind: "hcl" });
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
