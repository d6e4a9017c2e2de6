/** Defensive readers for untrusted JSON: loaders never assume a shape, so random input ends in a model or an InputError. */

/** The exit code of every input problem (bad usage or bad input, as the CLI documents it). */
export const INPUT_ERROR_EXIT_CODE = 2;

/**
 * Bad input (malformed, unsupported or unreadable file), the one input-error type: the CLI prints the one-line
 * message and exits with `exitCode` (2). Never contains values.
 */
export class InputError extends Error {
  readonly exitCode: number = INPUT_ERROR_EXIT_CODE;
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** cdk.tf.json writes a max-1 block as an object or a one-element list; HCL and plans always as a list. */
export function firstBlock(value: unknown): JsonObject | undefined {
  if (Array.isArray(value)) return asObject(value[0]);
  return asObject(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Own enumerable entries of an object, or none. Every name is an ordinary name (`__proto__`, `constructor` and
 * `prototype` included): what is built from them is a Map or a prototype-free object (`dictionary()`), and what is
 * looked up by them uses own-property checks (`own()`), so no name can reach or change a prototype.
 */
export function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

/** A prototype-free object for names from input: `__proto__` is a key like any other, `constructor` is not there. */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `object[name]` only when it is the object's own property (a name from input never reads the prototype). */
export function own(object: unknown, name: string): unknown {
  return isObject(object) && Object.hasOwn(object, name) ? object[name] : undefined;
}

/**
 * Parses JSON text without ever echoing it: JSON.parse's own message quotes the input (which may hold a secret),
 * so only the position is kept, as line and column.
 */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} is not valid JSON (${jsonErrorPosition(text, error)})`);
  }
}

/** Where JSON.parse failed on `text`, as "line L, column C" (1-based), never quoting the text. */
export function jsonErrorPosition(text: string, error: unknown): string {
  const { line, column } = lineAndColumn(text, jsonErrorOffset(text, error));
  return `line ${line}, column ${column}`;
}

const END_OF_INPUT = /Unexpected end of JSON input/;

/**
 * The offset of a JSON syntax error. V8 names it for most errors ("at position N"), but not for an unexpected
 * token at the start of a value nor for a truncated text; there a binary search over prefixes finds the first
 * prefix that is wrong rather than merely unfinished (a property that only grows with the prefix).
 */
function jsonErrorOffset(text: string, error: unknown): number {
  const message = error instanceof Error ? error.message : "";
  const position = /position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (END_OF_INPUT.test(message)) return text.length;
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (prefixIsWrong(text.slice(0, middle))) bad = middle;
    else good = middle;
  }
  return bad - 1;
}

function prefixIsWrong(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    if (END_OF_INPUT.test(message)) return false;
    const position = /position (\d+)/.exec(message);
    // An error at the very end of a prefix (an unterminated string or number) only means "unfinished".
    return position === null || Number(position[1]) < prefix.length - 1;
  }
}

/** The 1-based line and column of `offset` in `text` (an offset past the end is the end). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

/**
 * The deepest nesting the loaders follow inside one resource's values, expressions or a module tree. Real
 * configurations stay below 20; past this the input is refused with one line (a walk never recurses, so hostile
 * nesting cannot overflow the stack either way).
 */
export const MAX_NESTING_DEPTH = 256;

export type JsonPath = readonly (string | number)[];

/** The InputError for a value nested past MAX_NESTING_DEPTH (names the input, never a value). */
export function tooDeep(what: string): InputError {
  return new InputError(`${what}: nested deeper than ${MAX_NESTING_DEPTH} levels; refusing to read it`);
}

/**
 * Visits every string leaf of a JSON value with its path, iteratively (an explicit stack, no recursion). Throws an
 * InputError naming `what` past MAX_NESTING_DEPTH. Every key is followed (a path is data, never a lookup).
 */
export function forEachStringAt(value: unknown, visit: (text: string, path: JsonPath) => void, what: string): void {
  const stack: { value: unknown; path: JsonPath }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path } = stack.pop() as { value: unknown; path: JsonPath };
    if (typeof node === "string") {
      visit(node, path);
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    if (path.length >= MAX_NESTING_DEPTH) throw tooDeep(what);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], path: [...path, i] });
    } else {
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i];
        stack.push({ value: (node as JsonObject)[k], path: [...path, k] });
      }
    }
  }
}

/** Visits every string leaf of a JSON value (iterative; refused past MAX_NESTING_DEPTH, see forEachStringAt). */
export function forEachString(value: unknown, visit: (text: string) => void, what = "input"): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: node, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof node === "string") visit(node);
    else if (typeof node === "object" && node !== null) {
      if (depth >= MAX_NESTING_DEPTH) throw tooDeep(what);
      for (const v of Array.isArray(node) ? node : Object.values(node)) stack.push({ value: v, depth: depth + 1 });
    }
  }
}

/**
 * Whether a parsed JSON value nests deeper than `limit` arrays/objects. Iterative (an explicit stack of
 * [value, depth]), so a 100,000-level document is measured, not a stack overflow; stops at the first level too deep.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== "object" || current === null) continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Characters a key id or secret is made of: anything else separates tokens. */
const TOKEN_SEPARATOR = /[^A-Za-z0-9+/_-]+/;

/**
 * Finds which of `needles` (key ids, secrets) occur in `text` as whole tokens: `text` is split on characters that
 * cannot be part of an id or secret (quotes, `=`, `:`, spaces, newlines), so `"KEY=<secret>"` and JSON-encoded
 * contents match, at the same cost and with the same answer whatever the number of needles.
 */
export function occurrences(text: string, needles: ReadonlySet<string>, into: Set<string>): void {
  if (needles.size === 0) return;
  if (needles.has(text)) {
    into.add(text);
    return;
  }
  for (const token of text.split(TOKEN_SEPARATOR)) if (token && needles.has(token)) into.add(token);
}
