/**
 * Loader for plain HCL directories (`*.tf`), for teams that export to HCL: each file is converted to Terraform JSON
 * with @cdktf/hcl2json and the configuration loader reads the merged result.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Tier } from "../metadata";
import type { KeykitModel } from "../model";
import { loadConfiguration } from "./configuration";
import { InputFileError, inputPathProblem, readInputText } from "./read-input-file";
import { InputError, entries, isObject } from "./util";

export interface HclLoadOptions {
  readonly source: string;
  readonly tier?: Tier;
  /** Directory relative paths are read from (labels stay as given). */
  readonly cwd?: string;
}

/** Merges per-file hcl2json output into one configuration, remembering which file each resource came from. */
export function mergeHclFiles(files: readonly { file: string; json: unknown }[]): {
  configuration: Record<string, unknown>;
  fileOf: Map<string, string>;
} {
  const configuration: Record<string, Record<string, unknown>> = {};
  const fileOf = new Map<string, string>();
  for (const { file, json } of files) {
    if (!isObject(json)) continue;
    for (const [section, content] of entries(json)) {
      const target = (configuration[section] ??= {});
      if (section === "resource" || section === "data") {
        for (const [type, byName] of entries(content)) {
          const t = ((target[type] as Record<string, unknown> | undefined) ??= {}) as Record<string, unknown>;
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
      } else {
        for (const [name, body] of entries(content)) {
          target[name] = body;
          fileOf.set(`${section}.${name}`, file);
        }
      }
    }
  }
  return { configuration, fileOf };
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

export async function loadHclFiles(
  files: readonly { file: string; text: string }[],
  options: HclLoadOptions,
): Promise<KeykitModel> {
  const parsed: { file: string; json: unknown }[] = [];
  for (const f of files) parsed.push({ file: f.file, json: await parseHcl(f.file, f.text) });
  const { configuration, fileOf } = mergeHclFiles(parsed);
  return loadConfiguration(configuration, { kind: "hcl", source: options.source, tier: options.tier, fileOf });
}

/** Loads every `*.tf` file of a directory (not recursive: Terraform reads one directory per module). */
export async function loadHclDirectory(dir: string, options: HclLoadOptions): Promise<KeykitModel> {
  const abs = resolve(options.cwd ?? ".", dir);
  const skipped: string[] = [];
  const names = readdirSync(abs)
    .filter((n) => n.endsWith(".tf") && !skippedTfEntry(join(dir, n), options.cwd ?? ".", skipped))
    .sort();
  if (names.length === 0) throw new InputError(`${dir}: no *.tf files`);
  const files = names.map((n) => ({ file: join(dir, n), text: readHclText(join(dir, n), options.cwd ?? ".") }));
  const model = await loadHclFiles(files, options);
  return skipped.length > 0 ? { ...model, notes: [...model.notes, ...skipped.sort()] } : model;
}

/** A directory or a dangling link named `*.tf` is not a file Terraform would read: skipped, with a note. */
function skippedTfEntry(file: string, cwd: string, notes: string[]): boolean {
  const problem = inputPathProblem(file, cwd);
  const directory = problem === undefined && statSync(resolve(cwd, file)).isDirectory();
  if (!directory && !problem?.startsWith("dangling symlink")) return false;
  notes.push(`${file}: skipped (${directory ? "a directory" : problem})`);
  return true;
}

function readHclText(file: string, cwd: string): string {
  try {
    return readInputText(file, cwd);
  } catch (error) {
    if (error instanceof InputFileError) throw new InputError(error.message);
    throw error;
  }
}
