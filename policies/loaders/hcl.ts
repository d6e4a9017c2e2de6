/**
 * Loader for plain HCL directories (`*.tf`): each file is converted to Terraform JSON with @cdktf/hcl2json, local
 * modules are followed (hcl-modules.ts), block positions come from an exact header scan (hcl-positions.ts), and the
 * configuration loader reads the merged result.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Tier } from "../metadata";
import type { KeykitModel } from "../model";
import { type ConfigurationModule, type SourcePosition, loadConfiguration } from "./configuration";
import {
  bindModuleStrings,
  isLocalSource,
  moduleCalls,
  moduleOutputs,
  substituteLocals,
  substituteModuleOutputs,
  variableDefaults,
} from "./hcl-modules";
import { blockPositions } from "./hcl-positions";
import { InputFileError, inputPathProblem, readInputText } from "./read-input-file";
import { InputError, type JsonObject, dictionary, entries, isObject } from "./util";

export interface HclLoadOptions {
  readonly source: string;
  readonly tier?: Tier;
  /** Directory relative paths are read from (labels stay as given). */
  readonly cwd?: string;
  /** For loadHclFiles: the directory the files are in (local module sources resolve from it); default ".". */
  readonly dir?: string;
}

/** How deep module calls may nest (Terraform has no limit; real trees stay below 5). Deeper calls become a note. */
export const MAX_MODULE_DEPTH = 32;

/** Merges per-file hcl2json output into one configuration, remembering which file each resource came from. */
export function mergeHclFiles(files: readonly { file: string; json: unknown }[]): {
  configuration: Record<string, unknown>;
  fileOf: Map<string, string>;
} {
  const configuration: Record<string, Record<string, unknown>> = dictionary();
  const fileOf = new Map<string, string>();
  for (const { file, json } of files) {
    if (!isObject(json)) continue;
    for (const [section, content] of entries(json)) mergeSection(configuration, section, content, file, fileOf);
  }
  return { configuration, fileOf };
}

function mergeSection(
  configuration: Record<string, Record<string, unknown>>,
  section: string,
  content: unknown,
  file: string,
  fileOf: Map<string, string>,
): void {
  const target = (configuration[section] ??= dictionary());
  if (section === "resource" || section === "data") {
    for (const [type, byName] of entries(content)) {
      const t = ((target[type] as Record<string, unknown> | undefined) ??= dictionary()) as Record<string, unknown>;
      for (const [name, body] of entries(byName)) {
        t[name] = body;
        fileOf.set(`${section === "data" ? "data." : ""}${type}.${name}`, file);
      }
    }
  } else if (section === "provider") {
    for (const [name, blocks] of entries(content)) {
      const existing = Array.isArray(target[name]) ? (target[name] as unknown[]) : [];
      target[name] = [...existing, ...(Array.isArray(blocks) ? blocks : [blocks])];
      fileOf.set(`provider.${name}`, file);
    }
  } else if (section === "locals") {
    // hcl2json writes each `locals` block as one element of a list: every block's names go into one scope.
    for (const block of Array.isArray(content) ? content : [content])
      for (const [name, value] of entries(block)) target[name] = value;
  } else {
    for (const [name, body] of entries(content)) {
      target[name] = body;
      fileOf.set(`${section}.${name}`, file);
    }
  }
}

/** Converts HCL text; the parser's message is reduced to the file name so no source text (a secret) is echoed. */
export async function parseHcl(file: string, text: string): Promise<unknown> {
  // Loaded on first use: the converter (a WebAssembly bridge) costs ~0.5 s to load, which plan and state checks skip.
  const { parse } = await import("@cdktf/hcl2json");
  try {
    return await parse(file, text);
  } catch (error) {
    const line = /:(\d+),\d+/.exec(error instanceof Error ? error.message : String(error));
    throw new InputError(`${file}: not valid HCL${line ? ` (line ${line[1]})` : ""}`);
  }
}

/** One directory's configuration: merged JSON plus where each address is declared. */
interface ParsedDirectory {
  readonly configuration: JsonObject;
  readonly positions: Map<string, SourcePosition>;
}

async function parseFiles(
  files: readonly { file: string; text: string }[],
  notes: string[] | undefined,
): Promise<ParsedDirectory> {
  const parsed: { file: string; json: unknown }[] = [];
  const positions = new Map<string, SourcePosition>();
  for (const f of files) {
    let json: unknown;
    try {
      json = await parseHcl(f.file, f.text);
    } catch (error) {
      // Inside a module (notes given) an unparsable file is a note; at the root it refuses the input.
      if (!notes || !(error instanceof InputError)) throw error;
      notes.push(`${error.message}: skipped, its blocks are not checked`);
      continue;
    }
    parsed.push({ file: f.file, json });
    for (const [address, at] of blockPositions(f.file, f.text)) if (!positions.has(address)) positions.set(address, at);
  }
  const { configuration, fileOf } = mergeHclFiles(parsed);
  for (const [address, file] of fileOf) if (!positions.has(address)) positions.set(address, { file, line: 1 });
  return { configuration, positions };
}

/** The `*.tf` files of one directory, in name order; `dir` is how they are shown, `abs` where they are read. */
function tfFiles(dir: string, abs: string, skipped: string[]): { file: string; text: string }[] {
  return readdirSync(abs)
    .filter((n) => n.endsWith(".tf") && !skippedTfEntry(join(dir, n), join(abs, n), skipped))
    .sort()
    .map((n) => ({ file: join(dir, n), text: readHclText(join(dir, n), join(abs, n)) }));
}

/** Where module sources resolve (paths shown relative to the root, directories read from `cwd`). */
interface ModuleWalk {
  readonly cwd: string;
  readonly modules: ConfigurationModule[];
  readonly positions: Map<string, SourcePosition>;
  readonly outputs: Map<string, unknown>;
  readonly notes: string[];
}

/** Follows the module calls of one configuration (depth-first, a chain of directories to catch cycles). */
async function followModules(
  json: JsonObject,
  dir: string,
  prefix: string,
  chain: readonly string[],
  walk: ModuleWalk,
): Promise<void> {
  for (const call of moduleCalls(json)) {
    const address = `${prefix}module.${call.name}`;
    const at = walk.positions.get(address);
    const where = at ? `${at.file}:${at.line}` : dir;
    if (call.source === undefined || !isLocalSource(call.source)) {
      walk.notes.push(`${address} (${where}): a registry, git or remote module source is not checked`);
      continue;
    }
    const childDir = join(dir, call.source);
    const abs = resolve(walk.cwd, childDir);
    if (chain.includes(abs)) {
      walk.notes.push(`${address} (${where}): module cycle through ${childDir}; not followed again`);
      continue;
    }
    if (chain.length > MAX_MODULE_DEPTH) {
      walk.notes.push(`${address} (${where}): modules nested deeper than ${MAX_MODULE_DEPTH}; not followed`);
      continue;
    }
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      walk.notes.push(`${address} (${where}): module directory ${childDir} does not exist; not checked`);
      continue;
    }
    await loadModule(childDir, abs, `${address}.`, call.arguments, [...chain, abs], walk);
  }
}

async function loadModule(
  dir: string,
  abs: string,
  prefix: string,
  args: ReadonlyMap<string, unknown>,
  chain: readonly string[],
  walk: ModuleWalk,
): Promise<void> {
  let files: { file: string; text: string }[];
  try {
    files = tfFiles(dir, abs, walk.notes);
  } catch (error) {
    // A module file that cannot be read is a note; the rest of the run goes on (issue 9's bad-input rule).
    if (!(error instanceof InputError)) throw error;
    walk.notes.push(`${prefix.slice(0, -1)}: ${error.message}; module not checked`);
    return;
  }
  const parsed = await parseFiles(files, walk.notes);
  const bound = variableDefaults(parsed.configuration);
  for (const [name, value] of args) bound.set(name, value);
  const json = bindModuleStrings(substituteLocals(parsed.configuration, dir), prefix, bound, dir);
  for (const [address, at] of parsed.positions) walk.positions.set(`${prefix}${address}`, at);
  moduleOutputs(json, prefix, walk.outputs);
  walk.modules.push({ prefix, json });
  await followModules(json, dir, prefix, chain, walk);
}

/** Loads a root module (its files given) and every local module it calls, below the root directory `dir`. */
async function loadRoot(
  files: readonly { file: string; text: string }[],
  dir: string,
  options: HclLoadOptions,
): Promise<KeykitModel> {
  const parsedRoot = await parseFiles(files, undefined);
  const root = { ...parsedRoot, configuration: substituteLocals(parsedRoot.configuration, dir) };
  const cwd = resolve(options.cwd ?? ".");
  const walk: ModuleWalk = { cwd, modules: [], positions: root.positions, outputs: new Map(), notes: [] };
  await followModules(root.configuration, dir, "", [resolve(cwd, dir)], walk);
  // Outputs may name other modules' outputs: substitute again only where the last pass changed something (an
  // output's expression can bring in another module's output), bounded by the module depth.
  let configuration = root.configuration;
  let modules = walk.modules;
  let dirty = new Set<number>([-1, ...modules.map((_, i) => i)]);
  for (let pass = 0; pass <= MAX_MODULE_DEPTH && walk.outputs.size > 0 && dirty.size > 0; pass++) {
    const next = new Set<number>();
    const substitute = (json: JsonObject, index: number, what: string): JsonObject => {
      if (!dirty.has(index)) return json;
      const changed = { count: 0 };
      const out = substituteModuleOutputs(json, walk.outputs, what, changed);
      if (changed.count > 0) next.add(index);
      return out;
    };
    configuration = substitute(configuration, -1, dir);
    modules = modules.map((m, i) => ({ prefix: m.prefix, json: substitute(m.json, i, m.prefix) }));
    dirty = next;
  }
  return loadConfiguration(configuration, {
    kind: "hcl",
    source: options.source,
    tier: options.tier,
    positions: walk.positions,
    modules,
    notes: walk.notes,
  });
}

export async function loadHclFiles(
  files: readonly { file: string; text: string }[],
  options: HclLoadOptions,
): Promise<KeykitModel> {
  return loadRoot(files, options.dir ?? ".", options);
}

/** Loads every `*.tf` file of a directory and the local modules it calls (Terraform reads one directory per module). */
export async function loadHclDirectory(dir: string, options: HclLoadOptions): Promise<KeykitModel> {
  const abs = resolve(options.cwd ?? ".", dir);
  const skipped: string[] = [];
  const files = tfFiles(dir, abs, skipped);
  if (files.length === 0) throw new InputError(`${dir}: no *.tf files`);
  const model = await loadRoot(files, dir, options);
  return skipped.length > 0 ? { ...model, notes: [...model.notes, ...skipped.sort()] } : model;
}

/** A directory or a dangling link named `*.tf` is not a file Terraform would read: skipped, with a note. */
function skippedTfEntry(file: string, abs: string, notes: string[]): boolean {
  const problem = inputPathProblem(abs);
  const directory = problem === undefined && statSync(abs).isDirectory();
  if (!directory && !problem?.startsWith("dangling symlink")) return false;
  notes.push(`${file}: skipped (${directory ? "a directory" : problem})`);
  return true;
}

/** One `*.tf` file through the one input reader (a FIFO, a device or UTF-16 is refused with one line). */
function readHclText(file: string, abs: string): string {
  try {
    return readInputText(abs);
  } catch (error) {
    if (error instanceof InputFileError) throw new InputError(`${file}: ${error.problem}`);
    throw error;
  }
}
