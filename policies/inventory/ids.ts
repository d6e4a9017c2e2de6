/**
 * Confluent's id alphabet, and how text from an export is shown where it could be taken for syntax. Confluent ids
 * are short words of ASCII letters, digits, `-` and `_` (API keys: 16 upper-case letters and digits; service
 * accounts `sa-…`, users `u-…`). An id outside that alphabet (a NUL byte, a newline, a leading `-`, a space) did
 * not come from Confluent unaltered: the audit reports it (KK105) and it never becomes a command.
 */

/** Letters, digits, `-` and `_`, starting with a letter or digit (so never an option), at most 64 characters. */
export const CONFLUENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Characters that reorder or hide text on a terminal or in a review (bidi controls, zero-width characters). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Why `id` is not a Confluent id, or undefined when it is one. Never quotes the id. */
export function idProblem(id: string): string | undefined {
  if (CONFLUENT_ID.test(id)) return undefined;
  if (id === "") return "is empty";
  if (id.includes("\u0000")) return "contains a NUL byte";
  if (CONTROL.test(id)) return "contains a control character";
  if (INVISIBLE.test(id)) return "contains an invisible or bidirectional-control character";
  if (/\s/.test(id)) return "contains whitespace";
  if (id.startsWith("-")) return "starts with '-' (a command would take it for an option)";
  if (id.length > 64) return "is longer than 64 characters";
  return "contains a character outside Confluent's id alphabet (letters, digits, '-', '_')";
}

/** Why a display name or description could mislead a reader (control or invisible characters), or undefined. */
export function nameProblem(name: string): string | undefined {
  if (name.includes("\u0000")) return "contains a NUL byte";
  if (CONTROL.test(name)) return "contains a control character";
  if (INVISIBLE.test(name)) return "contains an invisible or bidirectional-control character";
  return undefined;
}

/**
 * `text` with every control, invisible and non-ASCII-space character written as `\uXXXX` (a backslash as `\\`),
 * cut to `max` characters: safe on one line of a terminal, a comment or a report, and still recognisable.
 */
export function visible(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(/[\\\u0000-\u001f\u007f-\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u206f\ufeff]/g, (c) =>
    c === "\\" ? "\\\\" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
