/** Making input-derived text safe to print on a terminal (reports and error lines share it). */

/**
 * Escapes what could steer a terminal or forge output: C0/C1 control characters (a newline would start a second,
 * forged `keykit:` line; ESC starts terminal sequences), DEL, line/paragraph separators and bidirectional overrides.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
