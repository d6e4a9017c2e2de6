/**
 * `.terraform/modules/modules.json`, the manifest `terraform init` writes in a root: one entry per module call
 * (`Key` is the call path, `"a.b"` for module `b` called inside module `a`; `""` is the root), its `Source` as
 * written and the `Dir` it was installed in, relative to the root. With it keykit reads registry and git modules
 * (`//subdir` sources are installed with the sub-directory already in `Dir`) exactly where Terraform reads them.
 * The manifest is input like any other: a malformed one is a note and the calls fall back to what a root without
 * `terraform init` gives (local sources followed, remote ones noted). `Source` is never printed: a git URL may
 * carry a token.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputFileError, readInputText } from "./read-input-file";
import { InputError, asArray, isObject, parseJsonText } from "./util";

export const MANIFEST_PATH = join(".terraform", "modules", "modules.json");

/** One installed module call. */
export interface ManifestEntry {
  readonly key: string;
  /** As shown (below the root's shown path). */
  readonly dir: string;
  /** Where it is read. */
  readonly abs: string;
}

/** The manifest of a root, keyed by call path; undefined when `terraform init` has not run (no manifest). */
export type ModuleManifest = ReadonlyMap<string, ManifestEntry>;

/** Reads the root's manifest; a problem with it goes to `notes` and gives no manifest. */
export function readModuleManifest(rootDir: string, rootAbs: string, notes: string[]): ModuleManifest | undefined {
  const abs = join(rootAbs, MANIFEST_PATH);
  if (!existsSync(abs)) return undefined;
  const shown = join(rootDir, MANIFEST_PATH);
  let json: unknown;
  try {
    json = parseJsonText(readInputText(abs), shown);
  } catch (error) {
    if (!(error instanceof InputError) && !(error instanceof InputFileError)) throw error;
    notes.push(`${error.message}; module calls are resolved as without terraform init`);
    return undefined;
  }
  const list = isObject(json) ? json.Modules : undefined;
  if (!Array.isArray(list)) {
    notes.push(`${shown}: no "Modules" list; module calls are resolved as without terraform init`);
    return undefined;
  }
  const out = new Map<string, ManifestEntry>();
  for (const raw of asArray(list)) {
    if (!isObject(raw) || typeof raw.Key !== "string" || typeof raw.Dir !== "string" || raw.Key === "") continue;
    out.set(raw.Key, {
      key: raw.Key,
      dir: join(rootDir, raw.Dir),
      abs: resolve(rootAbs, raw.Dir),
    });
  }
  return out;
}
