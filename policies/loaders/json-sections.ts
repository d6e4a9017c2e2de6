/**
 * Reads only some members of a top-level JSON object. A Terraform plan holds its resources three times
 * (resource_changes, prior_state, planned_values) and the rules read only some of them; parsing the whole file
 * builds every copy. Here one string-aware pass over the text finds where each top-level member's value starts and
 * ends, and only the wanted values are given to JSON.parse.
 *
 * The whole text is still checked: a wanted value by JSON.parse, every other one by `skipValidValue`, a validating
 * scan at least as strict as JSON.parse. Whenever anything is not as expected (not an object at the top, a syntax
 * error anywhere, a duplicate wanted key), `undefined` is returned and the caller parses the whole text as before,
 * so a malformed file is refused with the same message as ever.
 */

/** The parsed wanted members, in the order of the text (a later duplicate wins, as in JSON.parse). */
export type Members = Record<string, unknown>;

// Character codes of the JSON syntax.
const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const UPPER_E = 69;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const LOWER_E = 101;
const LOWER_U = 117;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Thrown inside the scan only; never leaves this module. */
class Malformed extends Error {}
const MALFORMED = new Malformed();

function skipWhitespace(text: string, i: number): number {
  for (let c = text.charCodeAt(i); c === SPACE || c === NEWLINE || c === RETURN || c === TAB;) c = text.charCodeAt(++i);
  return i;
}

function expect(text: string, i: number, code: number): number {
  if (text.charCodeAt(i) !== code) throw MALFORMED;
  return i + 1;
}

/** End (exclusive) of the string at `i`, its content unchecked: for values JSON.parse checks afterwards. */
function stringEnd(text: string, i: number): number {
  for (let q = text.indexOf('"', i + 1); q !== -1; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    for (let j = q - 1; text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
  }
  throw MALFORMED;
}

/** End (exclusive) of the string at `i`, checked as JSON.parse would: no control character, known escapes. */
function validStringEnd(text: string, i: number): number {
  if (text.charCodeAt(i) !== QUOTE) throw MALFORMED;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c < SPACE) throw MALFORMED;
    if (c === BACKSLASH) {
      const e = text.charCodeAt(++j);
      if (e === LOWER_U) {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 1, j + 5))) throw MALFORMED;
        j += 4;
      } else if (!ESCAPES.has(e)) throw MALFORMED;
    }
  }
  throw MALFORMED;
}

// " \ / b f n r t
const ESCAPES = new Set([QUOTE, BACKSLASH, SLASH, 98, 102, 110, 114, 116]);

function digitsEnd(text: string, i: number): number {
  const start = i;
  for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i));
  if (i === start) throw MALFORMED;
  return i;
}

/** `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` */
function numberEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  if (text.charCodeAt(i) === ZERO) i++;
  else i = digitsEnd(text, i);
  if (text.charCodeAt(i) === DOT) i = digitsEnd(text, i + 1);
  const e = text.charCodeAt(i);
  if (e === LOWER_E || e === UPPER_E) {
    const sign = text.charCodeAt(i + 1);
    i = digitsEnd(text, sign === PLUS || sign === MINUS ? i + 2 : i + 1);
  }
  return i;
}

/** End of a scalar (string, number, true, false, null) at `i`, fully checked. */
function scalarEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return validStringEnd(text, i);
  if (c === MINUS || (c >= ZERO && c <= NINE)) return numberEnd(text, i);
  for (const word of ["true", "false", "null"]) if (text.startsWith(word, i)) return i + word.length;
  throw MALFORMED;
}

/**
 * End (exclusive) of the JSON value at `i`, checked as strictly as JSON.parse (nesting by an explicit stack, so a
 * deep value cannot overflow the call stack).
 */
function skipValidValue(text: string, i: number): number {
  const open: boolean[] = []; // true: an object, false: an array
  for (;;) {
    // A value starts at i.
    i = skipWhitespace(text, i);
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const object = c === OPEN_BRACE;
      i = skipWhitespace(text, i + 1);
      if (text.charCodeAt(i) === (object ? CLOSE_BRACE : CLOSE_BRACKET)) i++;
      else {
        open.push(object);
        if (object) i = memberKey(text, i);
        continue;
      }
    } else i = scalarEnd(text, i);
    // After a value: close containers until one continues with a comma.
    for (;;) {
      if (open.length === 0) return i;
      i = skipWhitespace(text, i);
      const d = text.charCodeAt(i);
      const object = open[open.length - 1];
      if (d === COMMA) {
        i = object ? memberKey(text, skipWhitespace(text, i + 1)) : i + 1;
        break;
      }
      if (d !== (object ? CLOSE_BRACE : CLOSE_BRACKET)) throw MALFORMED;
      open.pop();
      i++;
    }
  }
}

/** `"key" :` at `i` (whitespace before it skipped); returns where its value may start. */
function memberKey(text: string, i: number): number {
  i = skipWhitespace(text, validStringEnd(text, i));
  return expect(text, i, COLON);
}

/**
 * End (exclusive) of the JSON value at `i`, found by string-aware bracket matching only: for a value JSON.parse
 * reads afterwards, which checks it. The most a malformed value can do here is end somewhere wrong, and then the
 * scan of what follows or JSON.parse fails.
 */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) return scalarEnd(text, i);
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === QUOTE) j = stringEnd(text, j) - 1;
    else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
    else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  throw MALFORMED;
}

function keyAt(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes("\\") ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/**
 * Where the value at `start` probably ends: before the next `, "<key>":` of a key `follows` names (a plan's
 * top-level keys), else before the object's closing brace. Only a guess: JSON.parse of the slice confirms it (a JSON
 * object or array has one end, so a slice that parses whole is the value), and `valueEnd` is the fallback. It
 * spares the walk over the wanted values, most of a plan.
 */
function guessedEnd(text: string, start: number, follows: RegExp): number {
  follows.lastIndex = start;
  const next = follows.exec(text);
  let end = next ? next.index + 1 : text.lastIndexOf("}");
  while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end;
}

function isWhitespace(c: number): boolean {
  return c === SPACE || c === NEWLINE || c === RETURN || c === TAB;
}

/** A wanted value, parsed: from the guessed slice when that parses, else from the slice `valueEnd` finds. */
function parseValue(text: string, start: number, follows: RegExp | undefined): { value: unknown; end: number } {
  const c = text.charCodeAt(start);
  if (follows && (c === OPEN_BRACE || c === OPEN_BRACKET)) {
    const end = guessedEnd(text, start, follows);
    const last = text.charCodeAt(end - 1);
    if (last === (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
      try {
        return { value: JSON.parse(text.slice(start, end)), end };
      } catch {
        // Not the end (a nested key of the same name): found the slow way below.
      }
    }
  }
  const end = valueEnd(text, start);
  return { value: JSON.parse(text.slice(start, end)), end };
}

/** Which wanted members are parsed now, and which only checked and parsed on first read (`lazy`). */
export interface MemberSelection {
  readonly wanted: ReadonlySet<string>;
  readonly lazy?: ReadonlySet<string>;
  /** The keys that may follow a member at the top level, for guessing where a wanted value ends. */
  readonly topLevelKeys?: readonly string[];
}

/**
 * The wanted members of the top-level object `text`, parsed, with the names of all top-level keys; the other
 * members are checked and skipped. A lazy member is checked now and parsed when first read (a getter). Undefined
 * when the text is not a well-formed JSON object (the caller parses it whole, for the usual error) or holds a
 * wanted key twice.
 */
export function readMembers(
  text: string,
  selection: MemberSelection,
): { readonly members: Members; readonly keys: ReadonlySet<string> } | undefined {
  try {
    return scanMembers(text, selection);
  } catch (error) {
    if (error instanceof Malformed || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function followsPattern(keys: readonly string[] | undefined): RegExp | undefined {
  if (!keys || keys.length === 0) return undefined;
  const names = keys.map((k) => k.replace(/[^A-Za-z0-9_]/g, "")).join("|");
  return new RegExp(`[\\]}][ \\t\\n\\r]*,[ \\t\\n\\r]*"(?:${names})"[ \\t\\n\\r]*:`, "g");
}

function lazyMember(members: Members, key: string, text: string, start: number, end: number): void {
  let parsed: { value: unknown } | undefined;
  Object.defineProperty(members, key, {
    enumerable: true,
    configurable: true,
    get: () => (parsed ??= { value: JSON.parse(text.slice(start, end)) }).value,
  });
}

function scanMembers(text: string, selection: MemberSelection) {
  const { wanted, lazy } = selection;
  const follows = followsPattern(selection.topLevelKeys);
  const keys = new Set<string>();
  const members: Members = {};
  let i = expect(text, skipWhitespace(text, 0), OPEN_BRACE);
  i = skipWhitespace(text, i);
  if (text.charCodeAt(i) === CLOSE_BRACE) i++;
  else {
    for (;;) {
      const keyEnd = validStringEnd(text, i);
      const key = keyAt(text, i, keyEnd);
      const start = skipWhitespace(text, expect(text, skipWhitespace(text, keyEnd), COLON));
      if ((wanted.has(key) || lazy?.has(key)) && keys.has(key)) throw MALFORMED;
      if (wanted.has(key)) {
        const read = parseValue(text, start, follows);
        members[key] = read.value;
        i = read.end;
      } else {
        i = skipValidValue(text, start);
        if (lazy?.has(key)) lazyMember(members, key, text, start, i);
      }
      keys.add(key);
      i = skipWhitespace(text, i);
      if (text.charCodeAt(i) === CLOSE_BRACE) {
        i++;
        break;
      }
      i = skipWhitespace(text, expect(text, i, COMMA));
    }
  }
  if (skipWhitespace(text, i) !== text.length) throw MALFORMED;
  return { members, keys };
}
