/** Defensive readers for untrusted JSON: loaders never assume a shape, so random input ends in a model or an InputError. */

/** Bad input (malformed or unsupported file): the CLI prints the one-line message and exits 2. Never contains values. */
export class InputError extends Error {
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

/** Own enumerable entries of an object, or none (prototype-polluting keys are skipped). */
export function entries(value: unknown): [string, unknown][] {
  if (!isObject(value)) return [];
  // Object.entries + filter: faster than a keys loop on the small objects this mostly sees (resource attributes).
  return Object.entries(value).filter(([k]) => k !== "__proto__" && k !== "constructor" && k !== "prototype");
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

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
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

/** Visits every string leaf of a JSON value (depth-limited so hostile nesting cannot blow the stack). */
export function forEachString(value: unknown, visit: (text: string, path: string) => void, path = "", depth = 0): void {
  if (depth > 64) return;
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value))
    value.forEach((v, i) => forEachString(v, visit, path ? `${path}.${i}` : String(i), depth + 1));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) forEachString(v, visit, path ? `${path}.${k}` : k, depth + 1);
  }
}

/**
 * Finds which of `needles` occur in `text`. Small sets are searched as substrings; large sets (thousands of key ids
 * or secrets) by splitting `text` into tokens, so a search stays linear in the input.
 */
export function occurrences(text: string, needles: ReadonlySet<string>, into: Set<string>): void {
  if (needles.size === 0) return;
  if (needles.size <= 64) {
    for (const n of needles) if (text.includes(n)) into.add(n);
    return;
  }
  if (needles.has(text)) into.add(text);
  for (const token of text.split(/[^A-Za-z0-9+/_-]+/)) if (token && needles.has(token)) into.add(token);
}
