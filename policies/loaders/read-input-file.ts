/**
 * The input boundary: the one way keykit reads a file it is given (configuration, plan, state, HCL, inventory
 * exports, acknowledgements, the rotation state, verify's documents, audit logs, keykit.config.json). Every read
 * goes through here, so every file gets the same checks (docs/input-files.md):
 *
 * - the file type is checked before the file is opened, and again on the open descriptor: only regular files (and
 *   directories, for listings) are read; a FIFO would block until a writer appears, a device can be endless;
 *   symlink loops and dangling links are named as such;
 * - a whole-file read is refused past MAX_INPUT_BYTES (before a byte is read), a gzip file past its decompression
 *   limits (a size and a ratio), so a small file cannot expand into an endless read;
 * - UTF-8 with or without a byte-order mark is accepted; UTF-16 is refused with a hint (streams accept UTF-16LE
 *   with its BOM, which Windows PowerShell's `>` writes);
 * - paths are handed to the kernel as given (relative to the working directory, never folded on the text), so a
 *   `..` after a symlinked directory means what it means to every other program.
 *
 * Every problem is an InputFileError: `<path>: <problem>`, exit code 2, never a fragment of the content.
 */
import {
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  type Stats,
  statSync,
} from "node:fs";
import { isAbsolute, resolve, sep } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { createGunzip, gunzipSync } from "node:zlib";
import { INPUT_ERROR_EXIT_CODE, InputError, parseJsonText } from "./util";

export { INPUT_ERROR_EXIT_CODE };

/** Why an input path cannot be read (an InputError); `message` is `<path>: <problem>`. */
export class InputFileError extends InputError {
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

/**
 * The largest file read whole: 512 MiB, just under the longest string V8 can make (a larger read would end in
 * "internal error"); the largest real state or plan files are a few tens of MiB. Audit logs are streamed instead.
 */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** How far a gzip file may expand: what a compression bomb would break. */
export interface GzipLimits {
  /** Decompressed bytes of one file, at most. */
  readonly maxBytes: number;
  /** Decompressed bytes per compressed byte, at most, once more than `ratioFromBytes` were decompressed. */
  readonly maxRatio: number;
  readonly ratioFromBytes: number;
}

/**
 * Audit-log exports compress 10-20 times; 8 GiB decompressed is tens of millions of records. Blank padding
 * compresses a thousandfold, which is why the ratio is judged only past 256 MiB.
 */
export const DEFAULT_GZIP_LIMITS: GzipLimits = {
  maxBytes: 8 * 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioFromBytes: 256 * 1024 * 1024,
};

export interface ReadInputOptions {
  /** Relative paths are relative to this directory (default: the process's working directory). */
  readonly cwd?: string;
  /** Refuse a file (or its decompressed text) larger than this (default MAX_INPUT_BYTES). */
  readonly maxBytes?: number;
}

/** `path` as the kernel will resolve it from `cwd`: joined, never folded on the text (`link/..` is not `.`). */
export function kernelPath(path: string, cwd: string = "."): string {
  if (isAbsolute(path)) return path;
  const base = resolve(cwd);
  return base.endsWith(sep) ? `${base}${path}` : `${base}${sep}${path}`;
}

/** Whether `path` is a regular file or a directory (following symlinks); anything else throws InputFileError. */
export function inputPathKind(path: string, cwd: string = "."): InputPathKind {
  const stats = statInput(path, kernelPath(path, cwd));
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

/** Whether anything (a file, a directory, a FIFO, even a dangling link) is at `path`, without following links. */
export function pathExists(path: string, cwd: string = "."): boolean {
  try {
    lstatSync(kernelPath(path, cwd));
    return true;
  } catch {
    return false;
  }
}

/** The bytes of a regular file (gzip decompressed within the limits). Throws InputFileError for anything else. */
// Declared as Uint8Array (a Buffer is one): the shipped declarations must not need Node's types.
export function readInputBytes(path: string, options: ReadInputOptions = {}): Uint8Array {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const fd = openRegularFile(path, kernelPath(path, options.cwd));
  let bytes: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new InputFileError(path, `larger than ${describeBytes(maxBytes)}; refusing to read it`);
    bytes = readUpTo(fd, size, maxBytes, path);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, `cannot read (${osReason(error)})`);
  } finally {
    closeSync(fd);
  }
  return isGzip(bytes) ? gunzipWhole(bytes, path, maxBytes) : bytes;
}

/** Reads a regular file as UTF-8 text (BOM removed, gzip decompressed). Throws InputFileError for anything else. */
export function readInputText(path: string, cwdOrOptions: string | ReadInputOptions = "."): string {
  const options = typeof cwdOrOptions === "string" ? { cwd: cwdOrOptions } : cwdOrOptions;
  return decodeUtf8(readInputBytes(path, options), path);
}

/** Like readInputText, but undefined when nothing at all is at `path` (a dangling link is not "nothing"). */
export function readOptionalInputText(path: string, options: ReadInputOptions = {}): string | undefined {
  return pathExists(path, options.cwd) ? readInputText(path, options) : undefined;
}

/** A JSON file, parsed; a syntax error is named by line and column, never by quoting the text. */
export function readInputJson(path: string, options: ReadInputOptions & { readonly shownAs?: string } = {}): unknown {
  return parseJsonText(readInputText(path, options), options.shownAs ?? path);
}

/**
 * The text of a (possibly huge) file, chunk by chunk, without holding it: gzip detected by its magic bytes (not
 * the name) and decompressed within `limits`, UTF-16LE read by its byte-order mark, else UTF-8. The type checks
 * are those of every other read; errors are InputFileErrors.
 */
export async function* readInputTextChunks(
  path: string,
  options: { readonly cwd?: string; readonly gzip?: GzipLimits } = {},
): AsyncGenerator<string, void, void> {
  const limits = options.gzip ?? DEFAULT_GZIP_LIMITS;
  const fd = openRegularFile(path, kernelPath(path, options.cwd));
  let head: Buffer;
  try {
    head = Buffer.alloc(2);
    head = head.subarray(0, readSync(fd, head, 0, 2, 0));
  } catch (error) {
    closeSync(fd);
    throw new InputFileError(path, `cannot read (${osReason(error)})`);
  }
  const gzip = isGzip(head);
  const raw = createReadStream("", { fd, start: 0, highWaterMark: 1 << 16, autoClose: true });
  const source = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on("error", (error) => source.destroy(error));
  const decoder = new StringDecoder(!gzip && head[0] === 0xff && head[1] === 0xfe ? "utf16le" : "utf8");
  let out = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (gzip) checkGzipGrowth(out, raw.bytesRead, limits, path);
      const text = decoder.write(chunk);
      if (text !== "") yield text;
    }
    const rest = decoder.end();
    if (rest !== "") yield rest;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, streamProblem(error));
  } finally {
    source.destroy();
    raw.destroy();
  }
}

function checkGzipGrowth(out: number, compressed: number, limits: GzipLimits, path: string): void {
  if (out > limits.maxBytes)
    throw new InputFileError(
      path,
      `gzip file decompresses to more than ${describeBytes(limits.maxBytes)}; refusing to read it`,
    );
  if (out > limits.ratioFromBytes && out > limits.maxRatio * Math.max(compressed, 1))
    throw new InputFileError(
      path,
      `gzip file decompresses more than ${limits.maxRatio} times its size; refusing to read it`,
    );
}

function streamProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR") return "a gzip file that is corrupt or truncated";
  return `cannot read (${osReason(error)})`;
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

/** An open descriptor of a regular file at `abs`; the type is checked before the open and on the descriptor. */
function openRegularFile(path: string, abs: string): number {
  if (statInput(path, abs).isDirectory()) throw new InputFileError(path, "is a directory, not a file");
  let fd: number;
  try {
    // O_NONBLOCK: should the path be swapped for a FIFO between the check and the open, the open does not block.
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new InputFileError(path, `cannot read (${osReason(error)})`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new InputFileError(path, "is not a regular file");
  } catch (error) {
    closeSync(fd);
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, `cannot read (${osReason(error)})`);
  }
  return fd;
}

/** Every byte of the open file, refusing past `maxBytes` even when the file grows while it is read. */
function readUpTo(fd: number, size: number, maxBytes: number, path: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let buffer = Buffer.allocUnsafe(Math.max(Math.min(size + 1, maxBytes + 1), 1));
  for (;;) {
    const count = readSync(fd, buffer, 0, buffer.length, null);
    if (count === 0) break;
    total += count;
    if (total > maxBytes) throw new InputFileError(path, `larger than ${describeBytes(maxBytes)}; refusing to read it`);
    chunks.push(buffer.subarray(0, count));
    if (count === buffer.length) buffer = Buffer.allocUnsafe(1 << 16);
    else buffer = buffer.subarray(count);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

function gunzipWhole(bytes: Buffer, path: string, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.min(maxBytes, DEFAULT_GZIP_LIMITS.maxBytes) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
      throw new InputFileError(
        path,
        `gzip file decompresses to more than ${describeBytes(maxBytes)}; refusing to read it`,
      );
    throw new InputFileError(path, streamProblem(error));
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
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
  return `cannot read (${osReason(error)})`;
}

/** "512 MiB", "8 GiB", "64 KiB". */
export function describeBytes(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 1 << 30],
    ["MiB", 1 << 20],
    ["KiB", 1 << 10],
  ] as const)
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  return `${bytes} bytes`;
}

/** The one table of OS error codes as the short reason a person reads (Node's messages carry paths and syscalls). */
const OS_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOENT: "no such file or directory",
  ENOTDIR: "a parent is not a directory",
  EISDIR: "is a directory",
  ELOOP: "too many levels of symbolic links",
  EIO: "input/output error",
  EMFILE: "too many open files",
  ENAMETOOLONG: "file name too long",
  EFBIG: "file too large",
  EXDEV: "cross-device link",
  EBUSY: "resource busy",
  EAGAIN: "resource temporarily unavailable",
};

/** The OS reason of a failed file operation, without the paths and syscall names Node adds. */
export function osReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string") return Object.hasOwn(OS_REASONS, code) ? OS_REASONS[code] : code;
  return "unexpected error";
}
