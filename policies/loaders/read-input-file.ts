/**
 * The one way keykit reads an input file (configuration, plan, state, HCL, inventory export, acknowledgements,
 * rotation state). Only regular files are read, and the file type is checked before the file is opened: opening a
 * FIFO blocks until a writer appears, a device can be endless. Symlink loops and dangling links are named as such.
 * UTF-8 with or without a byte-order mark is accepted; UTF-16 is refused with a hint (JSON.parse would only say
 * "not valid JSON"). Messages name the path and the problem, never the content.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, type Stats, statSync } from "node:fs";
import { resolve } from "node:path";

/** Why an input path cannot be read; `message` is `<path>: <problem>`. */
export class InputFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "InputFileError";
  }
}

export type InputPathKind = "file" | "directory";

export const UTF16_PROBLEM = "UTF-16 is not supported: convert to UTF-8";

/** Whether `path` is a regular file or a directory (following symlinks); anything else throws InputFileError. */
export function inputPathKind(path: string, cwd: string = "."): InputPathKind {
  const stats = statInput(path, resolve(cwd, path));
  return stats.isDirectory() ? "directory" : "file";
}

/** Why `path` could not be used as a file or directory, or undefined when it can (for listings that skip). */
export function inputPathProblem(path: string, cwd: string = "."): string | undefined {
  try {
    inputPathKind(path, cwd);
    return undefined;
  } catch (error) {
    if (error instanceof InputFileError) return error.problem;
    throw error;
  }
}

/** Reads a regular file as UTF-8 text (BOM removed). Throws InputFileError for anything else. */
export function readInputText(path: string, cwd: string = "."): string {
  const abs = resolve(cwd, path);
  if (statInput(path, abs).isDirectory()) throw new InputFileError(path, "is a directory, not a file");
  let fd: number;
  try {
    // O_NONBLOCK: should the path be swapped for a FIFO between the check and the open, the open does not block.
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new InputFileError(path, `cannot read (${reasonOf(error)})`);
  }
  let bytes: Buffer;
  try {
    if (!fstatSync(fd).isFile()) throw new InputFileError(path, "is not a regular file");
    bytes = readFileSync(fd);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, `cannot read (${reasonOf(error)})`);
  } finally {
    closeSync(fd);
  }
  return decodeUtf8(bytes, path);
}

/** UTF-8 text of `bytes` without a leading byte-order mark; UTF-16 (by BOM or NUL-interleaving) is refused. */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    throw new InputFileError(path, UTF16_PROBLEM);
  if (looksNulInterleaved(bytes)) throw new InputFileError(path, UTF16_PROBLEM);
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString("utf8");
}

/**
 * UTF-16 without a BOM: ASCII text (all JSON and HCL syntax is ASCII) has a NUL in every other byte. Judged on the
 * first 256 bytes: most odd (little-endian) or most even (big-endian) bytes are NUL, and the others are not.
 */
function looksNulInterleaved(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 256) & ~1;
  if (n < 2) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  return (oddNul * 4 >= pairs * 3 && evenNul === 0) || (evenNul * 4 >= pairs * 3 && oddNul === 0);
}

function statInput(path: string, abs: string): Stats {
  let stats: Stats;
  try {
    stats = statSync(abs);
  } catch (error) {
    throw new InputFileError(path, missingProblem(abs, error));
  }
  if (stats.isFile() || stats.isDirectory()) return stats;
  const what = stats.isFIFO()
    ? "a FIFO (named pipe)"
    : stats.isSocket()
      ? "a socket"
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? "a device"
        : "not a regular file";
  throw new InputFileError(path, `is ${what}: only regular files and directories are read`);
}

/** The problem behind a failed stat: a symlink loop, a dangling symlink, a missing file or the OS reason. */
function missingProblem(abs: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ELOOP") return "symlink loop (the link resolves to itself)";
  if (code === "ENOENT") {
    let link = false;
    try {
      link = lstatSync(abs).isSymbolicLink();
    } catch {
      // Not there at all.
    }
    return link ? "dangling symlink (its target does not exist)" : "no such file or directory";
  }
  if (code === "ENOTDIR") return "no such file or directory (a parent is not a directory)";
  return `cannot read (${reasonOf(error)})`;
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return code ?? "error";
}

/** Whether anything (a file, a directory, a FIFO, even a dangling link) is at `path`, without following links. */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
