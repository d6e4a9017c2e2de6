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
 * so only the position is kept.
 */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : "");
    throw new InputError(`${what} is not valid JSON${position ? ` (at position ${position[1]})` : ""}`);
  }
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
