/**
 * Terraform's configuration-file rules for one module directory: every `*.tf` (native syntax, converted by
 * @cdktf/hcl2json) and `*.tf.json` (JSON syntax) file is read; the files named `override.tf`, `override.tf.json`,
 * `*_override.tf` and `*_override.tf.json` are set aside and merged afterwards, in name order, the way Terraform's
 * "Override Files" page describes: a top-level block merges into the block with the same header; an argument
 * replaces the argument of the same name; nested blocks of one type replace all nested blocks of that type;
 * `lifecycle` merges argument by argument; `count` and `for_each` replace each other; `locals` merge by name; a
 * provider block matches by name and alias. An override block without a base block is an error in Terraform: here a
 * note, and the block is not applied.
 */
import type { SourcePosition } from "./configuration";
import { mapStrings } from "./hcl-modules";
import { blockPositions } from "./hcl-positions";
import { configurationPositions } from "./json-positions";
import { InputError, type JsonObject, entries, firstBlock, forEachString, isObject, parseJsonText } from "./util";
import { isConfigurationFile } from "./discover";

/** `override.tf`, `x_override.tf`, and their `.tf.json` variants. */
export function isOverrideFile(name: string): boolean {
  const base = name.replace(/^.*[/\\]/, "").replace(/\.tf(\.json)?$/, "");
  return base === "override" || base.endsWith("_override");
}

/** A file Terraform reads as configuration. */
export { isConfigurationFile };

/** One parsed file: its JSON (hcl2json's shape or Terraform JSON) and where its blocks and arguments are. */
export interface ParsedFile {
  readonly file: string;
  readonly json: unknown;
  readonly positions: Map<string, SourcePosition>;
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

/** Parses one file of either syntax (`.tf.json`: Terraform JSON; anything else: native syntax). */
export async function parseConfigurationFile(file: string, text: string): Promise<ParsedFile> {
  if (file.endsWith(".tf.json")) return parseTerraformJson(file, text);
  const json = withoutExpressionComments(await parseHcl(file, text), file);
  return { file, json, positions: blockPositions(file, text) };
}

/** Whether an expression string may hold a comment (hcl2json keeps the comments of a multi-line expression). */
function mayHoldComment(text: string): boolean {
  return text.includes("${") && (text.includes("#") || text.includes("//") || text.includes("/*"));
}

/**
 * hcl2json writes a multi-line expression as its source text, comments included: a reference inside a comment is
 * not a reference. Strings that may hold one are rewritten without their comments; the rest is left as parsed.
 */
function withoutExpressionComments(json: unknown, what: string): unknown {
  let found = false;
  forEachString(json, (t) => (found ||= mayHoldComment(t)), what);
  return found ? mapStrings(json, (t) => (mayHoldComment(t) ? stripExpressionComments(t) : t), what) : json;
}

/** Removes `#`, `//` and `/* … *\/` comments inside `${…}` (outside quoted strings) of one expression string. */
export function stripExpressionComments(text: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (depth === 0) {
      if (c === "$" && text[i + 1] === "{") {
        out += "${";
        i++;
        depth = 1;
      } else out += c;
      continue;
    }
    if (c === '"') {
      const end = quotedEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      const nl = text.indexOf("\n", i);
      i = (nl === -1 ? text.length : nl) - 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? text.length : close + 1;
    } else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      out += c;
    }
  }
  return out;
}

/** The end (exclusive) of the quoted string starting at `start`. */
function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** Parses a `.tf.json` file (Terraform JSON syntax); positions of its blocks from the JSON key scan. */
export function parseTerraformJson(file: string, text: string): ParsedFile {
  const json = parseJsonText(text, file);
  if (!isObject(json)) throw new InputError(`${file}: a .tf.json file must hold a JSON object`);
  const positions = new Map<string, SourcePosition>();
  for (const [address, at] of configurationPositions(text)) positions.set(address, { ...at, file });
  return { file, json, positions };
}

const BLOCK_SECTIONS = new Set(["resource", "data"]);
const NAMED_SECTIONS = new Set(["module", "output", "variable"]);

/** A fresh object without a prototype (keys come from the input). */
function bare(): JsonObject {
  return Object.create(null) as JsonObject;
}

function copy(from: JsonObject | undefined): JsonObject {
  const out = bare();
  for (const [k, v] of entries(from)) out[k] = v;
  return out;
}

/** Merges one override block body into its base body (Terraform's argument and nested-block rules). */
export function mergeBlockBody(base: JsonObject, override: JsonObject): JsonObject {
  const out = copy(base);
  for (const [key, value] of entries(override)) {
    if (key === "lifecycle") {
      const merged = copy(firstBlock(base.lifecycle));
      for (const [k, v] of entries(firstBlock(value))) merged[k] = v;
      out.lifecycle = [merged];
      continue;
    }
    if (key === "count") delete out.for_each;
    if (key === "for_each") delete out.count;
    out[key] = value;
  }
  return out;
}

/** What applying override files changed: the addresses whose arguments now come from an override file. */
export interface OverrideResult {
  readonly notes: string[];
  /** `address` → the override file that set arguments of it (arguments' positions are taken from that file). */
  readonly touched: Map<string, string>;
}

/** Applies one override file's blocks to `configuration` (mutated: its section maps are this module's own copies). */
export function applyOverride(configuration: JsonObject, override: ParsedFile, result: OverrideResult): void {
  for (const [section, content] of entries(override.json)) {
    if (BLOCK_SECTIONS.has(section)) overrideTyped(configuration, section, content, override.file, result);
    else if (NAMED_SECTIONS.has(section)) overrideNamed(configuration, section, content, override.file, result);
    else if (section === "locals") overrideLocals(configuration, content);
    else if (section === "provider") overrideProviders(configuration, content, override.file, result);
    else if (section === "terraform") overrideTerraform(configuration, content);
  }
}

function sectionOf(configuration: JsonObject, section: string): JsonObject {
  const own = copy(configuration[section] as JsonObject | undefined);
  configuration[section] = own;
  return own;
}

function missingBase(file: string, address: string, result: OverrideResult): void {
  result.notes.push(`${file}: overrides ${address}, which no other file of the module declares; not applied`);
}

function overrideTyped(
  configuration: JsonObject,
  section: string,
  content: unknown,
  file: string,
  result: OverrideResult,
): void {
  const types = sectionOf(configuration, section);
  for (const [type, byName] of entries(content)) {
    const names = copy(types[type] as JsonObject | undefined);
    types[type] = names;
    for (const [name, raw] of entries(byName)) {
      const address = `${section === "data" ? "data." : ""}${type}.${name}`;
      mergeInto(names, name, raw, address, file, result);
    }
  }
}

function overrideNamed(
  configuration: JsonObject,
  section: string,
  content: unknown,
  file: string,
  result: OverrideResult,
): void {
  const named = sectionOf(configuration, section);
  for (const [name, raw] of entries(content)) mergeInto(named, name, raw, `${section}.${name}`, file, result);
}

/** Every block the override writes under one header (hcl2json: a list; Terraform JSON: an object or a list). */
function overrideBodies(raw: unknown): JsonObject[] {
  return (Array.isArray(raw) ? raw : [raw]).filter(isObject);
}

function mergeInto(
  holder: JsonObject,
  name: string,
  raw: unknown,
  address: string,
  file: string,
  result: OverrideResult,
): void {
  const base = firstBlock(holder[name]);
  if (!base) return missingBase(file, address, result);
  let merged = base;
  for (const body of overrideBodies(raw)) merged = mergeBlockBody(merged, body);
  holder[name] = [merged];
  result.touched.set(address, file);
}

function overrideLocals(configuration: JsonObject, content: unknown): void {
  const merged = bare();
  for (const block of Array.isArray(configuration.locals) ? configuration.locals : [configuration.locals])
    for (const [name, value] of entries(block)) merged[name] = value;
  for (const block of Array.isArray(content) ? content : [content])
    for (const [name, value] of entries(block)) merged[name] = value;
  configuration.locals = [merged];
}

function overrideProviders(configuration: JsonObject, content: unknown, file: string, result: OverrideResult): void {
  const providers = sectionOf(configuration, "provider");
  for (const [name, raw] of entries(content)) {
    const blocks = (Array.isArray(providers[name]) ? (providers[name] as unknown[]) : [providers[name]]).filter(
      isObject,
    );
    for (const body of overrideBodies(raw)) {
      const alias = typeof body.alias === "string" ? body.alias : undefined;
      const at = blocks.findIndex((b) => (typeof b.alias === "string" ? b.alias : undefined) === alias);
      const address = `provider.${name}${alias ? `.${alias}` : ""}`;
      if (at === -1) {
        missingBase(file, address, result);
        continue;
      }
      blocks[at] = mergeBlockBody(blocks[at], body);
      result.touched.set(address, file);
    }
    providers[name] = blocks;
  }
}

/** `terraform` blocks: arguments replaced, `required_providers` merged provider by provider. */
function overrideTerraform(configuration: JsonObject, content: unknown): void {
  let merged = copy(firstBlock(configuration.terraform));
  for (const body of overrideBodies(Array.isArray(content) ? content : [content])) {
    const required = copy(firstBlock(merged.required_providers));
    for (const [k, v] of entries(firstBlock(body.required_providers))) required[k] = v;
    merged = mergeBlockBody(merged, body);
    if (body.required_providers !== undefined) merged.required_providers = [required];
  }
  configuration.terraform = [merged];
}
