/**
 * Loader for plain HCL directories: every `*.tf` file is converted to Terraform JSON with @cdktf/hcl2json, every
 * `*.tf.json` file is read as Terraform JSON, override files are merged by Terraform's rules (hcl-files.ts), module
 * calls are followed (hcl-modules.ts binds them), and the configuration loader reads the merged result.
 *
 * Modules are resolved as Terraform resolves them: with `.terraform/modules/modules.json` in the root (written by
 * `terraform init`, hcl-manifest.ts) every call is read from the directory the manifest names, registry and git
 * modules included; without it local sources are followed and remote ones become a note. Each module directory is
 * parsed once (by real path) and instantiated once per call, up to MAX_MODULE_INSTANCES; a call into a directory
 * already on the call chain (by real path, so a `loop -> .` link is caught) is a cycle. Local sources are read only
 * inside the scanned tree (`boundary`); only manifest entries may lie outside it, and each such read is a note.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import type { Tier } from "../metadata";
import type { KeykitModel } from "../model";
import { type ConfigurationModule, type SourcePosition, loadConfiguration } from "./configuration";
import { type OverrideResult, type ParsedFile, applyOverride, isConfigurationFile, isOverrideFile } from "./hcl-files";
import { type HclParseCache, parseCached } from "./hcl-calls";
import { type ModuleManifest, readModuleManifest } from "./hcl-manifest";
import {
  type ModuleCall,
  bindModuleStrings,
  isLocalSource,
  moduleCalls,
  moduleOutputs,
  substituteLocals,
  substituteModuleOutputs,
  variableDefaults,
} from "./hcl-modules";
import { InputFileError, inputPathProblem, readInputText } from "./read-input-file";
import { InputError, type JsonObject, entries, isObject } from "./util";

export { parseHcl } from "./hcl-files";

export interface HclLoadOptions {
  readonly source: string;
  readonly tier?: Tier;
  /** Directory relative paths are read from (labels stay as given). */
  readonly cwd?: string;
  /** For loadHclFiles: the directory the files are in (local module sources resolve from it); default ".". */
  readonly dir?: string;
  /**
   * The scanned tree (relative to `cwd`): local module sources are read only inside it. Default: `cwd` itself.
   * Modules listed in the root's `.terraform/modules/modules.json` are read wherever it puts them (with a note).
   */
  readonly boundary?: string;
  /** Parses already made (by discovery) of the same files: each file is parsed once per run. */
  readonly cache?: HclParseCache;
}

/** How deep module calls may nest (Terraform has no limit; real trees stay below 5). Deeper calls become a note. */
export const MAX_MODULE_DEPTH = 32;
/** How many module instances one root may have (a tree where each module calls the next twice doubles per level). */
export const MAX_MODULE_INSTANCES = 1000;

type Section = Record<string, unknown>;

/** A fresh map from input keys without a prototype. */
function bare<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Merges per-file JSON into one configuration, remembering which file each block came from. */
export function mergeHclFiles(files: readonly { file: string; json: unknown }[]): {
  configuration: Record<string, unknown>;
  fileOf: Map<string, string>;
} {
  const configuration = bare<Section>();
  const fileOf = new Map<string, string>();
  for (const { file, json } of files) {
    if (!isObject(json)) continue;
    for (const [section, content] of entries(json)) mergeSection(configuration, section, content, file, fileOf);
  }
  return { configuration, fileOf };
}

function mergeSection(
  configuration: Record<string, Section>,
  section: string,
  content: unknown,
  file: string,
  fileOf: Map<string, string>,
): void {
  const target = (configuration[section] ??= bare());
  if (section === "resource" || section === "data") {
    for (const [type, byName] of entries(content)) {
      const t = ((target[type] as Section | undefined) ??= bare()) as Section;
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
    // hcl2json writes each `locals` block as one element of a list (Terraform JSON: an object or a list): every
    // block's names go into one scope.
    for (const block of Array.isArray(content) ? content : [content])
      for (const [name, value] of entries(block)) target[name] = value;
  } else {
    for (const [name, body] of entries(content)) {
      target[name] = body;
      fileOf.set(`${section}.${name}`, file);
    }
  }
}

/** One module directory's configuration: merged JSON plus where each address (and argument) is declared. */
interface ParsedDirectory {
  readonly configuration: JsonObject;
  readonly positions: Map<string, SourcePosition>;
}

/** Parses and merges a module's files: primary files first, then override files in name order. */
/** A configuration file to parse: shown as `file`, read from `abs` (when known, its parse may come from `cache`). */
interface SourceFile {
  readonly file: string;
  readonly text: string;
  readonly abs?: string;
}

async function parseFiles(
  files: readonly SourceFile[],
  notes: string[] | undefined,
  cache: HclParseCache | undefined,
  overrideNotes: string[] = [],
): Promise<ParsedDirectory> {
  const primary: ParsedFile[] = [];
  const overrides: ParsedFile[] = [];
  for (const f of files) {
    try {
      (isOverrideFile(f.file) ? overrides : primary).push(await parseCached(f.file, f.abs, f.text, cache, true));
    } catch (error) {
      // Inside a module (notes given) an unparsable file is a note; at the root it refuses the input.
      if (!notes || !(error instanceof InputError)) throw error;
      notes.push(`${error.message}: skipped, its blocks are not checked`);
    }
  }
  const positions = new Map<string, SourcePosition>();
  for (const p of primary) for (const [a, at] of p.positions) if (!positions.has(a)) positions.set(a, at);
  const { configuration, fileOf } = mergeHclFiles(primary);
  for (const [address, file] of fileOf) if (!positions.has(address)) positions.set(address, { file, line: 1 });
  // An override without its base block is a note at the root too (Terraform refuses it; the rest is still read).
  const result: OverrideResult = { notes: notes ?? overrideNotes, touched: new Map() };
  for (const o of overrides) {
    applyOverride(configuration, o, result);
    // Arguments an override sets are declared in the override file: findings about them point there.
    for (const [a, at] of o.positions) if (a.includes("#") && result.touched.has(a.split("#")[0])) positions.set(a, at);
  }
  return { configuration, positions };
}

/** The configuration files of one directory, in name order; `dir` is how they are shown, `abs` where they are read. */
function configurationFiles(dir: string, abs: string, skipped: string[], cache?: HclParseCache): SourceFile[] {
  return readdirSync(abs)
    .filter((n) => isConfigurationFile(n) && !skippedTfEntry(join(dir, n), join(abs, n), skipped))
    .sort()
    .map((n) => {
      const at = join(abs, n);
      // Discovery read this file moments ago in the same run: its text (and parse) are used as read.
      const text = cache?.get(at)?.text ?? readHclText(join(dir, n), at);
      return { file: join(dir, n), text, abs: at };
    });
}

/** Everything one root's module walk shares: the parse cache, the manifest, what was found. */
interface ModuleWalk {
  readonly cwd: string;
  /** Real path of the scanned tree. */
  readonly boundary: string;
  readonly manifest: ModuleManifest | undefined;
  readonly parsed: Map<string, Promise<ParsedDirectory | undefined>>;
  readonly modules: ConfigurationModule[];
  readonly positions: Map<string, SourcePosition>;
  readonly outputs: Map<string, unknown>;
  readonly notes: string[];
  readonly cache: HclParseCache | undefined;
  /** Real paths already asked for (every instance of a fan-out resolves the same few directories). */
  readonly realPaths: Map<string, string | undefined>;
  instances: number;
  capped: number;
}

/** One module call on its way to a directory. */
interface CallSite {
  readonly address: string;
  /** The call path as modules.json keys it: `a.b`. */
  readonly key: string;
  readonly where: string;
}

/** Where a call's module lives (shown and read), or undefined with a note saying why it is not read. */
function resolveCall(
  call: ModuleCall,
  dir: string,
  site: CallSite,
  walk: ModuleWalk,
): { dir: string; abs: string } | undefined {
  const installed = walk.manifest?.get(site.key);
  if (installed) {
    if (!insideBoundary(installed.abs, walk))
      walk.notes.push(
        `${site.address}: read from ${installed.dir}, outside the scanned tree, as .terraform/modules/modules.json lists it`,
      );
    return { dir: installed.dir, abs: installed.abs };
  }
  if (call.source === undefined || !isLocalSource(call.source)) {
    walk.notes.push(
      walk.manifest
        ? `${site.address} (${site.where}): not in .terraform/modules/modules.json (run terraform init again); not checked`
        : `${site.address} (${site.where}): a registry, git or remote module source is not checked; after terraform init, keykit reads it from .terraform/modules`,
    );
    return undefined;
  }
  const childDir = join(dir, call.source);
  const abs = resolve(walk.cwd, childDir);
  if (!insideBoundary(abs, walk)) {
    walk.notes.push(
      `${site.address} (${site.where}): module directory ${childDir} is outside the scanned tree; not read`,
    );
    return undefined;
  }
  return { dir: childDir, abs };
}

function realPath(abs: string, memo?: Map<string, string | undefined>): string | undefined {
  if (memo?.has(abs)) return memo.get(abs);
  let real: string | undefined;
  try {
    real = realpathSync(abs);
  } catch {
    real = undefined;
  }
  memo?.set(abs, real);
  return real;
}

function insideBoundary(abs: string, walk: ModuleWalk): boolean {
  const real = realPath(abs, walk.realPaths) ?? abs;
  const rel = relative(walk.boundary, real);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

/** Follows the module calls of one configuration (depth-first, a chain of real paths to catch cycles). */
async function followModules(
  json: JsonObject,
  dir: string,
  prefix: string,
  parentKey: string,
  chain: readonly string[],
  walk: ModuleWalk,
): Promise<void> {
  for (const call of moduleCalls(json)) {
    const address = `${prefix}module.${call.name}`;
    const at = walk.positions.get(address);
    const site: CallSite = {
      address,
      key: parentKey ? `${parentKey}.${call.name}` : call.name,
      where: at ? `${at.file}:${at.line}` : dir,
    };
    const target = resolveCall(call, dir, site, walk);
    if (!target) continue;
    const real = realPath(target.abs, walk.realPaths);
    if (real === undefined || !statSync(real).isDirectory()) {
      walk.notes.push(`${address} (${site.where}): module directory ${target.dir} does not exist; not checked`);
      continue;
    }
    if (chain.includes(real)) {
      walk.notes.push(`${address} (${site.where}): module cycle through ${target.dir}; not followed again`);
      continue;
    }
    if (chain.length > MAX_MODULE_DEPTH) {
      walk.notes.push(`${address} (${site.where}): modules nested deeper than ${MAX_MODULE_DEPTH}; not followed`);
      continue;
    }
    if (walk.instances >= MAX_MODULE_INSTANCES) {
      walk.capped++;
      continue;
    }
    walk.instances++;
    await instantiate(target, real, `${address}.`, site.key, call.arguments, [...chain, real], walk);
  }
}

/** A module directory parsed once per root walk (by real path): every call instantiates the same parse. */
function parsedDirectory(
  dir: string,
  real: string,
  prefix: string,
  walk: ModuleWalk,
): Promise<ParsedDirectory | undefined> {
  let parsed = walk.parsed.get(real);
  if (!parsed) {
    parsed = (async () => {
      let files: SourceFile[];
      try {
        files = configurationFiles(dir, real, walk.notes, walk.cache);
      } catch (error) {
        // A module file that cannot be read is a note; the rest of the run goes on (issue 9's bad-input rule).
        if (!(error instanceof InputError)) throw error;
        walk.notes.push(`${prefix.slice(0, -1)}: ${error.message}; module not checked`);
        return undefined;
      }
      const p = await parseFiles(files, walk.notes, walk.cache);
      return { configuration: substituteLocals(p.configuration, dir), positions: p.positions };
    })();
    walk.parsed.set(real, parsed);
  }
  return parsed;
}

async function instantiate(
  target: { dir: string; abs: string },
  real: string,
  prefix: string,
  key: string,
  args: ReadonlyMap<string, unknown>,
  chain: readonly string[],
  walk: ModuleWalk,
): Promise<void> {
  const parsed = await parsedDirectory(target.dir, real, prefix, walk);
  if (!parsed) return;
  const bound = variableDefaults(parsed.configuration);
  for (const [name, value] of args) bound.set(name, value);
  const json = bindModuleStrings(parsed.configuration, prefix, bound, target.dir);
  for (const [address, at] of parsed.positions) walk.positions.set(`${prefix}${address}`, at);
  moduleOutputs(json, prefix, walk.outputs);
  walk.modules.push({ prefix, json });
  await followModules(json, target.dir, prefix, key, chain, walk);
}

/** Outputs may name other modules' outputs: substituted again where the last pass changed something. */
function substituteOutputs(
  configuration: JsonObject,
  dir: string,
  walk: ModuleWalk,
): { configuration: JsonObject; modules: ConfigurationModule[] } {
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
  return { configuration, modules };
}

/** Loads a root module (its files given) and every module it calls. */
async function loadRoot(files: readonly SourceFile[], dir: string, options: HclLoadOptions): Promise<KeykitModel> {
  const notes: string[] = [];
  const parsedRoot = await parseFiles(files, undefined, options.cache, notes);
  const rootConfiguration = substituteLocals(parsedRoot.configuration, dir);
  const cwd = resolve(options.cwd ?? ".");
  const rootAbs = resolve(cwd, dir);
  const walk: ModuleWalk = {
    cwd,
    boundary: realPath(resolve(cwd, options.boundary ?? ".")) ?? cwd,
    manifest: readModuleManifest(dir, rootAbs, notes),
    parsed: new Map(),
    modules: [],
    positions: parsedRoot.positions,
    outputs: new Map(),
    notes,
    cache: options.cache,
    realPaths: new Map(),
    instances: 0,
    capped: 0,
  };
  await followModules(rootConfiguration, dir, "", "", [realPath(rootAbs) ?? rootAbs], walk);
  if (walk.capped > 0)
    notes.push(
      `more than ${MAX_MODULE_INSTANCES} module instances: ${walk.capped} further module calls are not followed`,
    );
  const { configuration, modules } = substituteOutputs(rootConfiguration, dir, walk);
  return loadConfiguration(configuration, {
    kind: "hcl",
    source: options.source,
    tier: options.tier,
    positions: walk.positions,
    modules,
    notes,
  });
}

export async function loadHclFiles(
  files: readonly { file: string; text: string }[],
  options: HclLoadOptions,
): Promise<KeykitModel> {
  return loadRoot(files, options.dir ?? ".", options);
}

/** Loads every `*.tf` and `*.tf.json` file of a directory and the modules it calls (one directory per module). */
export async function loadHclDirectory(dir: string, options: HclLoadOptions): Promise<KeykitModel> {
  const abs = resolve(options.cwd ?? ".", dir);
  const skipped: string[] = [];
  const files = configurationFiles(dir, abs, skipped, options.cache);
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

/** One configuration file through the one input reader (a FIFO, a device or UTF-16 is refused with one line). */
function readHclText(file: string, abs: string): string {
  try {
    return readInputText(abs);
  } catch (error) {
    if (error instanceof InputFileError) throw new InputError(`${file}: ${error.problem}`);
    throw error;
  }
}
