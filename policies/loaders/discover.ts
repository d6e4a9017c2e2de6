/**
 * The one answer to "which inputs does this path hold?", for `keykit check`, `keykit audit --config`,
 * `keykit rotate --synth-dir` and the jest helpers alike, so that they all see the same stacks.
 *
 * - A file is itself (its kind is told from its content by the loader; `*.tf` is HCL).
 * - A cdktf.out is a directory with `stacks/<stack>/cdk.tf.json`; it yields its stacks in name order and is not
 *   searched further. Given directly, a `stacks/` directory without any stack is an "empty cdktf.out" error.
 * - Any other directory is searched like scanners read a repository (checkov -d, tflint --recursive): every
 *   Terraform root (a directory with `*.tf` that no other directory calls as a local module, the calls read from
 *   the HCL parser's output, nor a root's `.terraform/modules/modules.json` lists), every `cdk.tf.json` and every
 *   cdktf.out below it, in path order. `.terraform/`, `node_modules/` and hidden directories are skipped; the walk
 *   is iterative and stops at MAX_DIRECTORY_DEPTH levels. Only `keykit check` (findInputs, async: it parses) tells
 *   roots from modules; the JSON-only readers note the outermost Terraform directories without parsing.
 * - Symbolic links: the path given is followed; below it, a link to a file is an input like the file, and a link to a
 *   directory is never entered (no loop, no walk out of the tree).
 * - Whatever sits where an input file should be (a FIFO, a dangling link, a directory named `cdk.tf.json` in a
 *   stack) is listed, so that the reader refuses it with one line (`<path>: is a FIFO …`) instead of passing it over.
 * - A directory below the path that cannot be listed is an input of kind "unreadable" (a note or an error, as the
 *   caller decides); the path itself, or a cdktf.out's `stacks/`, that cannot be listed is an error.
 * Framework-free: no cdktf import, only the file system and the HCL parser.
 */
import { type Dirent, lstatSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import type { HclParseCache } from "./hcl-calls";
import { InputFileError, inputPathKind, osReason } from "./read-input-file";
import { InputError } from "./util";

export const MAX_DIRECTORY_DEPTH = 64;

/** A synthesized stack: its name and its `cdk.tf.json` (as the user would write the path). */
export interface FoundStack {
  readonly stack: string;
  readonly path: string;
}

/** One input of a path; every `path` is written below the path given (as the user would write it). */
export type DiscoveredInput =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "hcl"; readonly path: string }
  | { readonly kind: "cdktf-json"; readonly path: string; readonly stack: string }
  | { readonly kind: "cdktf-out"; readonly path: string; readonly stacks: readonly FoundStack[] }
  | { readonly kind: "unreadable"; readonly path: string; readonly problem: string };

/** The one layout of a synthesized stack: `<cdktf.out>/stacks/<stack>/cdk.tf.json`. */
export function stackFile(outdir: string, stack: string): string {
  return join(outdir, "stacks", stack, "cdk.tf.json");
}

const SKIPPED = new Set([".terraform", "node_modules"]);

/** One sort order everywhere: by code unit, so the same tree lists the same way on every machine and locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listingProblem(error: unknown): string {
  return `cannot read (${osReason(error)})`;
}

/** The sorted entries of a directory, or the problem that kept it from being listed. */
function listDirectory(abs: string): Dirent[] | { problem: string } {
  try {
    return readdirSync(abs, { withFileTypes: true }).sort((a, b) => byName(a.name, b.name));
  } catch (error) {
    return { problem: listingProblem(error) };
  }
}

function exists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

/**
 * The stacks of `path` when it holds a `stacks/` directory (a real one, not a link), else undefined. A stack is a
 * real directory of `stacks/` with anything named `cdk.tf.json` in it (the reader judges what that is).
 */
function stacksOf(
  path: string,
  abs: string,
  entries: readonly Dirent[],
): FoundStack[] | { problem: string } | undefined {
  if (!entries.some((e) => e.isDirectory() && e.name === "stacks")) return undefined;
  const listed = listDirectory(join(abs, "stacks"));
  if (!Array.isArray(listed)) return listed;
  return listed
    .filter((s) => s.isDirectory() && exists(stackFile(abs, s.name)))
    .map((s) => ({ stack: s.name, path: stackFile(path, s.name) }));
}

/** A directory holding Terraform configuration files: a root, or a module some other directory calls. */
export interface TerraformDirectory {
  readonly path: string;
  readonly abs: string;
  /** Its `*.tf` and `*.tf.json` files (names). */
  readonly files: readonly string[];
}

/** What the walk found: every input but the HCL roots, and every Terraform directory (roots are told apart later). */
interface WalkResult {
  readonly found: DiscoveredInput[];
  readonly terraformDirs: TerraformDirectory[];
}

/** Every input below the directory `dir` (itself included); Terraform directories listed apart. */
function walk(dir: string, cwd: string, rootEntries: Dirent[]): WalkResult {
  const found: DiscoveredInput[] = [];
  const terraformDirs: TerraformDirectory[] = [];
  const queue: { path: string; depth: number }[] = [{ path: dir, depth: 0 }];
  while (queue.length > 0) {
    const { path, depth } = queue.shift() as { path: string; depth: number };
    const abs = resolve(cwd, path);
    const entries = depth === 0 ? rootEntries : listDirectory(abs);
    if (!Array.isArray(entries)) {
      found.push({ kind: "unreadable", path, problem: entries.problem });
      continue;
    }
    const stacks = stacksOf(path, abs, entries);
    if (stacks !== undefined && !Array.isArray(stacks)) {
      // The path given must be listable; below it, an unlistable stacks/ is like any unlistable directory (the
      // walk reaches it next and lists it as "unreadable").
      if (depth === 0) throw new InputError(`${join(path, "stacks")}: ${stacks.problem}`);
    } else if (stacks !== undefined && stacks.length > 0) {
      found.push({ kind: "cdktf-out", path, stacks });
      continue;
    }
    // Anything but a directory under these names is an input (see the header).
    if (entries.some((e) => !e.isDirectory() && e.name === "cdk.tf.json"))
      found.push({ kind: "cdktf-json", path: join(path, "cdk.tf.json"), stack: basename(resolve(abs)) });
    const tfNames = entries.filter((e) => !e.isDirectory() && isConfigurationFile(e.name)).map((e) => e.name);
    if (tfNames.some((n) => n.endsWith(".tf"))) terraformDirs.push({ path, abs, files: tfNames });
    if (depth >= MAX_DIRECTORY_DEPTH) continue;
    for (const e of entries)
      if (e.isDirectory() && !SKIPPED.has(e.name) && !e.name.startsWith("."))
        queue.push({ path: join(path, e.name), depth: depth + 1 });
  }
  return { found, terraformDirs };
}

function sorted(found: DiscoveredInput[]): DiscoveredInput[] {
  return found.sort((a, b) => byName(a.path, b.path));
}

/** The path's own kind; a missing path, a FIFO or a dangling link is one line naming it. */
function pathKind(path: string, cwd: string): "file" | "directory" {
  try {
    return inputPathKind(path, cwd);
  } catch (error) {
    if (error instanceof InputFileError) throw new InputError(error.message);
    throw error;
  }
}

/** The inputs of `path` (a file or a directory, relative to `cwd`) and its Terraform directories. */
function discover(path: string, cwd: string): WalkResult {
  if (pathKind(path, cwd) === "file") return { found: [{ kind: "file", path }], terraformDirs: [] };
  const abs = resolve(cwd, path);
  const entries = listDirectory(abs);
  if (!Array.isArray(entries)) throw new InputError(`${path}: ${entries.problem}`);
  const result = walk(path, cwd, entries);
  if (
    result.found.length === 0 &&
    result.terraformDirs.length === 0 &&
    entries.some((e) => e.isDirectory() && e.name === "stacks")
  )
    throw new InputError(`${path}: a cdktf.out directory without stacks/*/cdk.tf.json`);
  return result;
}

/**
 * Every input `keykit check` reads in `path`; a path holding none is refused (InputError, one line). The HCL roots
 * are the Terraform directories no other one calls: calls are read from the HCL parser's output (hcl-calls.ts), so
 * a `module` block of any shape counts, and the parses are kept in `cache` for the loader.
 */
export async function findInputs(path: string, cwd: string, cache?: HclParseCache): Promise<DiscoveredInput[]> {
  const { found, terraformDirs } = discover(path, cwd);
  // The HCL parser and its call finder load only when there is Terraform to read: a plan's check never needs them.
  const called =
    terraformDirs.length === 0
      ? new Set<string>()
      : await (await import("./hcl-calls")).calledDirectories(terraformDirs, cache ?? new Map());
  for (const t of terraformDirs) if (!called.has(t.abs)) found.push({ kind: "hcl", path: t.path });
  if (found.length === 0)
    throw new InputError(`${path}: no *.tf files, cdk.tf.json or cdktf.out at any depth (below ${path})`);
  return sorted(found);
}

/**
 * The HCL directories a JSON-only reader passes over: without parsing, those not below another Terraform
 * directory (a module inside its root's tree is not noted apart).
 */
function outermost(terraformDirs: readonly TerraformDirectory[]): TerraformDirectory[] {
  return terraformDirs.filter(
    (t) => !terraformDirs.some((o) => o !== t && t.abs.startsWith(o.abs.endsWith(sep) ? o.abs : `${o.abs}${sep}`)),
  );
}

/** Terraform reads `*.tf` and `*.tf.json` files of a module directory together. */
export function isConfigurationFile(name: string): boolean {
  return name.endsWith(".tf") || name.endsWith(".tf.json");
}

/** A JSON input of a command that reads no HCL; `stack` for synthesized stacks. */
export interface JsonInput {
  readonly path: string;
  readonly stack?: string;
}

export interface JsonInputs {
  readonly files: readonly JsonInput[];
  /** What was found but not read (an HCL root, a directory that cannot be listed), as "not checked: …" notes. */
  readonly notes: readonly string[];
}

/**
 * The JSON inputs in `path`, for a command that cannot read HCL (audit --config, rotate --synth-dir, the jest
 * helpers): the same search as `keykit check`, with HCL roots found below the path passed over in a note. A path
 * that is HCL, or holds only HCL, is refused with one line naming what the command takes (`takes`, e.g.
 * "audit --config takes cdk.tf.json, a cdktf.out, Terraform state or plan JSON").
 */
export function findJsonInputs(path: string, cwd: string, takes: string): JsonInputs {
  const files: JsonInput[] = [];
  const notes: string[] = [];
  let hcl = 0;
  const { found, terraformDirs } = discover(path, cwd);
  const hclRoots: DiscoveredInput[] = outermost(terraformDirs).map((t) => ({ kind: "hcl", path: t.path }));
  for (const input of sorted([...found, ...hclRoots])) {
    if (input.kind === "file" && input.path.endsWith(".tf"))
      throw new InputError(`${path}: is HCL, which only keykit check reads; ${takes}`);
    if (input.kind === "file") files.push({ path: input.path, stack: basename(dirname(resolve(cwd, input.path))) });
    else if (input.kind === "cdktf-json") files.push({ path: input.path, stack: input.stack });
    else if (input.kind === "cdktf-out") files.push(...input.stacks);
    else if (input.kind === "unreadable") notes.push(`not checked: ${input.path}: ${input.problem}`);
    else {
      hcl++;
      notes.push(`not checked: ${input.path}: an HCL root, which only keykit check reads (${takes})`);
    }
  }
  if (files.length > 0) return { files, notes };
  if (hcl > 0) throw new InputError(`${path}: holds only HCL (*.tf), which only keykit check reads; ${takes}`);
  throw new InputError(`${path}: no cdk.tf.json or cdktf.out at any depth (below ${path}); ${takes}`);
}
