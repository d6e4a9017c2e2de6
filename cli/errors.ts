/**
 * Exit codes of the `keykit` CLI (documented in docs/cli.md):
 *   0  success / no findings at or above the fail level
 *   1  findings at or above the fail level, or a refused operation (e.g. an out-of-order rotate step)
 *   2  bad usage or bad input (wrong flag, malformed or unreadable file)
 *   3  internal error (a bug in keykit; KEYKIT_DEBUG=1 shows the detail)
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** An error the user can fix: printed as one line (`keykit: <message>`), never with a stack trace. */
export class KeykitCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = "KeykitCliError";
  }
}

import { escapeControlCharacters } from "../policies/text-safety";

export { escapeControlCharacters };

// The one errno-to-text table lives at the input boundary; writes and locks use the same words.
export { osReason } from "../policies/loaders/read-input-file";

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>()]+/gi;
/** A bare `user:password@host` (no scheme), as someone might pass to --base-url. */
const BARE_USERINFO = /(^|[\s'"(=])[^\s'"(@/:]+:[^\s'"(@/]*@(?=[^\s'"@]+)/g;

/** A URL as the kit shows it: no userinfo (credentials), no query and no fragment (tokens). */
export function displayUrl(text: string): string {
  try {
    const url = new URL(text);
    const shown = `${url.protocol}//${url.host}${url.pathname === "/" && !text.endsWith("/") ? "" : url.pathname}`;
    return url.search || url.hash ? `${shown}?…` : shown;
  } catch {
    // Not parseable: keep only what cannot hold a credential.
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, "$1").replace(/[?#].*$/, "?…");
  }
}

/** Every URL in a message shown without userinfo and query; a bare `user:pw@` prefix is dropped too. */
export function redactUrls(message: string): string {
  return message.replace(URL_PATTERN, (url) => displayUrl(url)).replace(BARE_USERINFO, "$1");
}

/** The one place an error becomes output: exactly one line, `keykit: <message>`, safe to show and to log. */
export function formatErrorLine(message: string): string {
  return `keykit: ${escapeControlCharacters(redactUrls(message))}\n`;
}
