/**
 * Which Terraform directories are modules, read from the parser's output: a directory is a module when another
 * directory of the tree calls it (a `module` block with a local `source`, whatever else the block holds before it)
 * or when a root's `.terraform/modules/modules.json` lists it. The parses are kept in a cache the loader reuses, so
 * discovery costs no second parse.
 */
import { realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import { type ParsedFile, parseConfigurationFile } from "./hcl-files";
import { readModuleManifest } from "./hcl-manifest";
import { isLocalSource } from "./hcl-modules";
import { InputFileError, readInputText } from "./read-input-file";
import { InputError, asString, entries, isObject } from "./util";

/** Parses of one run, by absolute file path (reused only for the same text). */
export type HclParseCache = Map<string, { readonly text: string; readonly parsed: Promise<ParsedFile> }>;

export function newParseCache(): HclParseCache {
  return new Map();
}

/**
 * Parses a file, or reuses the parse of the same text; positions name the file as this caller shows it. `take`:
 * the caller is the loader, the last user of a discovery parse, which then leaves the cache (a tree's parses are
 * not all kept alive until the end of the run; a module another root calls again is parsed again, as before).
 */
export async function parseCached(
  file: string,
  abs: string | undefined,
  text: string,
  cache: HclParseCache | undefined,
  take = false,
): Promise<ParsedFile> {
  if (abs === undefined || cache === undefined) return parseConfigurationFile(file, text);
  let hit = cache.get(abs);
  if (hit === undefined || hit.text !== text) {
    hit = { text, parsed: parseConfigurationFile(file, text) };
    if (!take) cache.set(abs, hit);
  } else if (take) cache.delete(abs);
  let parsed: ParsedFile;
  try {
    parsed = await hit.parsed;
  } catch (error) {
    // A parse error names the file: parsed again under this caller's name (rare: the input is refused or noted).
    cache.delete(abs);
    if (error instanceof InputError) return parseConfigurationFile(file, text);
    throw error;
  }
  return parsed.file === file ? parsed : renamed(parsed, file);
}

function renamed(parsed: ParsedFile, file: string): ParsedFile {
  const positions = new Map([...parsed.positions].map(([a, at]) => [a, { ...at, file }] as const));
  return { file, json: parsed.json, positions };
}

/** The local sources of every `module` block of one parsed file (hcl2json: a list per name; Terraform JSON too). */
function localSources(json: unknown): string[] {
  const out: string[] = [];
  for (const [, raw] of entries(isObject(json) ? json.module : undefined))
    for (const body of Array.isArray(raw) ? raw : [raw]) {
      const source = isObject(body) ? asString(body.source) : undefined;
      if (source !== undefined && isLocalSource(source)) out.push(source);
    }
  return out;
}

function addWithRealPath(abs: string, into: Set<string>): void {
  into.add(abs);
  try {
    into.add(realpathSync(abs));
  } catch {
    // A missing directory is the loader's note, not discovery's.
  }
}

/** The directories (absolute) that some directory of `dirs` calls as a module. */
export async function calledDirectories(
  dirs: readonly { path: string; abs: string; files: readonly string[] }[],
  cache: HclParseCache,
): Promise<Set<string>> {
  const called = new Set<string>();
  for (const dir of dirs) {
    for (const name of dir.files) {
      const abs = join(dir.abs, name);
      let parsed: ParsedFile;
      try {
        parsed = await parseCached(join(dir.path, name), abs, readInputText(abs), cache);
      } catch (error) {
        // An unreadable or unparsable file is reported by the loader of its root (one line, no content).
        if (error instanceof InputError || error instanceof InputFileError) continue;
        throw error;
      }
      for (const source of localSources(parsed.json)) addWithRealPath(resolve(dir.abs, source), called);
    }
    for (const entry of readModuleManifest(dir.path, dir.abs, [])?.values() ?? []) addWithRealPath(entry.abs, called);
  }
  return called;
}
