/**
 * Local modules, read the way Terraform reads them: a `module "x" { source = "./dir" … }` call is followed into its
 * directory, the module's variables are bound to the caller's arguments and its addresses become
 * `module.x.<type>.<name>`, so a reference crosses the boundary (an owner passed in as
 * `confluent_service_account.app.id` is a service account inside; a literal passed to a provider argument is a
 * literal). Each module's strings are rewritten into the root's namespace; `module.x.<output>` is replaced by the
 * output's expression. Where a call's directory is (local path, or `.terraform/modules/modules.json` after
 * `terraform init`) is hcl.ts's business; what cannot be followed becomes a note and the rest of the run goes on.
 */
import {
  type JsonObject,
  MAX_NESTING_DEPTH,
  asString,
  entries,
  firstBlock,
  isObject,
  dictionary,
  tooDeep,
} from "./util";

const NAME = "[A-Za-z_][A-Za-z0-9_-]*";
const NOT_PREFIXED = new Set(["var", "local", "each", "count", "path", "terraform", "self"]);
/** An identifier starting a traversal (`x.`) not preceded by another traversal step, or `var.NAME`. */
const TRAVERSAL = new RegExp(`(?<![\\w.\\]"])(${NAME})\\.(?=${NAME})`, "g");
const VARIABLE = new RegExp(`(?<![\\w.\\]"])var\\.(${NAME})`, "g");
const WHOLE_VARIABLE = new RegExp(`^\\$\\{var\\.(${NAME})\\}$`);
const MODULE_OUTPUT = new RegExp(`(?<![\\w.\\]"])((?:module\\.${NAME}\\.)+)(${NAME})(?![\\w.\\[])`, "g");

/** Maps every string leaf of a JSON value, iteratively (refused past MAX_NESTING_DEPTH). */
export function mapStrings(value: unknown, fn: (text: string) => unknown, what: string): unknown {
  if (typeof value === "string") return fn(value);
  if (typeof value !== "object" || value === null) return value;
  const root: Record<string, unknown> = dictionary();
  // Each entry copies `src` into `parent[key]`; no closure per node (this runs over every module of a tree).
  const stack: { src: unknown; parent: Record<string | number, unknown>; key: string | number; depth: number }[] = [
    { src: value, parent: root, key: "v", depth: 0 },
  ];
  while (stack.length > 0) {
    const { src, parent, key, depth } = stack.pop() as (typeof stack)[number];
    if (typeof src === "string") parent[key] = fn(src);
    else if (typeof src !== "object" || src === null) parent[key] = src;
    else if (depth >= MAX_NESTING_DEPTH) throw tooDeep(what);
    else if (Array.isArray(src)) {
      const dst: unknown[] = new Array(src.length);
      parent[key] = dst;
      for (let i = 0; i < src.length; i++)
        stack.push({ src: src[i], parent: dst as unknown as Record<number, unknown>, key: i, depth: depth + 1 });
    } else {
      const dst: Record<string, unknown> = dictionary();
      parent[key] = dst;
      const keys = Object.keys(src);
      for (const k of keys) dst[k] = undefined; // keys in their original order; values filled in as popped
      for (const k of keys)
        stack.push({ src: (src as Record<string, unknown>)[k], parent: dst, key: k, depth: depth + 1 });
    }
  }
  return root.v;
}

/** The expression text a bound value stands for inside an interpolation. */
function asExpression(value: unknown): string {
  if (typeof value === "string") {
    const whole = /^\$\{([\s\S]*)\}$/.exec(value);
    if (whole && !whole[1].includes("${")) return `(${whole[1]})`;
    return JSON.stringify(value);
  }
  return JSON.stringify(value) ?? "null";
}

/** Applies `fn` to the inside of every `${…}` of `text` (nested braces kept together). */
function mapInterpolations(text: string, fn: (expr: string) => string): string {
  let out = "";
  let from = 0;
  for (let i = text.indexOf("${"); i !== -1; i = text.indexOf("${", from)) {
    let depth = 0;
    let j = i + 2;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && depth-- === 0) break;
    }
    out += `${text.slice(from, i)}\${${fn(text.slice(i + 2, j))}}`;
    from = j + 1;
  }
  return out + text.slice(from);
}

/** Rewrites a module's strings into the root namespace: variables bound, resource and module references prefixed. */
export function bindModuleStrings(
  json: JsonObject,
  prefix: string,
  bound: ReadonlyMap<string, unknown>,
  what: string,
): JsonObject {
  const rewrite = (expr: string) =>
    expr
      .replace(TRAVERSAL, (all, first: string) =>
        NOT_PREFIXED.has(first) || (first !== "module" && first !== "data" && !first.includes("_"))
          ? all
          : `${prefix}${all}`,
      )
      .replace(VARIABLE, (all, name: string) => (bound.has(name) ? asExpression(bound.get(name)) : all));
  const fn = (text: string): unknown => {
    const whole = WHOLE_VARIABLE.exec(text);
    // `"${var.x}"` is the argument itself (a literal, an object, a reference), not text containing it.
    if (whole && bound.has(whole[1])) return bound.get(whole[1]);
    return text.includes("${") ? mapInterpolations(text, rewrite) : text;
  };
  return mapStrings(json, fn, what) as JsonObject;
}

/** Replaces `module.a.b.out` references by the output expressions (global keys `module.a.module.b.out`). */
export function substituteModuleOutputs(
  json: JsonObject,
  outputs: ReadonlyMap<string, unknown>,
  what: string,
  changed: { count: number },
): JsonObject {
  if (outputs.size === 0) return json;
  const rewrite = (expr: string) =>
    expr.replace(MODULE_OUTPUT, (all, modules: string, name: string) => {
      const key = `${modules}${name}`;
      if (!outputs.has(key)) return all;
      changed.count++;
      return asExpression(outputs.get(key));
    });
  return mapStrings(json, (t) => (t.includes("module.") ? mapInterpolations(t, rewrite) : t), what) as JsonObject;
}

const LOCAL = new RegExp(`(?<![\\w.\\]"])local\\.(${NAME})`, "g");
const WHOLE_LOCAL = new RegExp(`^\\$\\{local\\.(${NAME})\\}$`);
/** How many times locals referring to locals are unfolded (Terraform forbids cycles; real chains are short). */
const MAX_LOCAL_PASSES = 8;

/**
 * Replaces `local.<name>` by the local's expression within one module (locals are module-scoped), so a secret kept
 * in a local and written to a sink is still seen. Locals naming locals are unfolded up to MAX_LOCAL_PASSES times.
 */
export function substituteLocals(json: JsonObject, what: string): JsonObject {
  const locals = new Map<string, unknown>();
  for (const block of Array.isArray(json.locals) ? json.locals : [json.locals])
    for (const [name, value] of entries(block)) locals.set(name, value);
  if (locals.size === 0) return json;
  let current = json;
  for (let pass = 0; pass < MAX_LOCAL_PASSES; pass++) {
    let changed = 0;
    const rewrite = (expr: string) =>
      expr.replace(LOCAL, (all, name: string) => {
        if (!locals.has(name)) return all;
        changed++;
        return asExpression(locals.get(name));
      });
    const fn = (text: string): unknown => {
      if (!text.includes("local.")) return text;
      const whole = WHOLE_LOCAL.exec(text);
      if (whole && locals.has(whole[1])) {
        changed++;
        return locals.get(whole[1]);
      }
      return mapInterpolations(text, rewrite);
    };
    const { locals: own, ...rest } = current;
    current = { ...(mapStrings(rest, fn, what) as JsonObject), ...(own !== undefined ? { locals: own } : {}) };
    if (changed === 0) break;
  }
  return current;
}

/** A module call of a configuration: its name, source, and the arguments bound to the module's variables. */
export interface ModuleCall {
  readonly name: string;
  readonly source: string | undefined;
  readonly arguments: ReadonlyMap<string, unknown>;
}

const META_ARGUMENTS = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);

export function moduleCalls(json: JsonObject): ModuleCall[] {
  return entries(json.module).map(([name, raw]) => {
    const body = firstBlock(raw) ?? {};
    const args = new Map<string, unknown>();
    for (const [k, v] of entries(body)) if (!META_ARGUMENTS.has(k)) args.set(k, v);
    return { name, source: asString(body.source), arguments: args };
  });
}

/** Variable defaults of a module, for variables the caller does not pass. */
export function variableDefaults(json: JsonObject): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, raw] of entries(json.variable)) {
    const block = firstBlock(raw);
    if (block && "default" in block) out.set(name, block.default);
  }
  return out;
}

/** Output expressions of a module, keyed `<prefix><name>` as callers write them (`module.x.` + name). */
export function moduleOutputs(json: JsonObject, prefix: string, into: Map<string, unknown>): void {
  for (const [name, raw] of entries(json.output)) {
    const body = firstBlock(raw);
    if (isObject(body) && "value" in body) into.set(`${prefix}${name}`, body.value);
  }
}

/** `./x`, `../x` (Terraform's local paths); everything else is a registry, git, http or archive source. */
export function isLocalSource(source: string): boolean {
  return source === "." || source === ".." || source.startsWith("./") || source.startsWith("../");
}
