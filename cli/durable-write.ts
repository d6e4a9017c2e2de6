/**
 * The one way the kit writes a file (the rotation-state file, `check --output` / `audit --output` reports, the
 * `--emit-cleanup` script). After it returns, the file holds all of the new bytes and survives a crash or a power
 * cut; if it throws, the file is exactly as it was and no temp file is left behind:
 *
 *   1. follow symlinks, so writing through a link updates its target (the link stays a link);
 *   2. write every byte to a temp file in the target's directory (rename is atomic only within a file system),
 *      looping over short writes and failing when the device stops taking bytes;
 *   3. fsync the temp file, rename it over the target, fsync the directory (so the rename itself is durable).
 */
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { kernelPath } from "../policies/loaders/read-input-file";
import { randomBytes } from "node:crypto";
import { osReason } from "./errors";

/** A write that did not happen; `reason` is the OS reason ("no space left on device"). The old file is intact. */
export class DurableWriteError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    /** True only when the new file is in place but its durability is in doubt (the directory sync failed). */
    readonly replaced = false,
  ) {
    super(`cannot write ${file}: ${reason}`);
    this.name = "DurableWriteError";
  }
}

/**
 * Test seam: the system call that moves bytes to the file. Tests replace it to simulate a device that takes only
 * part of each write, or none (a full disk that does not say ENOSPC). Production code never touches it.
 */
export const writeSeam: {
  write: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
} = { write: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length) };

export interface DurableWriteOptions {
  /** Permissions of a new file (an existing file keeps its own). Default 0o644 (before the umask). */
  readonly mode?: number;
  /** Force these permissions even when the file exists (e.g. 0o755 for a script). */
  readonly forceMode?: boolean;
  /** What to call the file in errors (default: the path as given). */
  readonly shownAs?: string;
  /**
   * Create missing parent directories (`--output reports/keykit.sarif` in a fresh CI checkout, as `mkdir -p`
   * would). Off for the rotation-state file: a missing directory there is a wrong path, not a new one.
   */
  readonly createDirectories?: boolean;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Where a write to `path` lands: symlinks followed (also a dangling one, which then creates its target), and every
 * directory on the way resolved by the kernel (realpath), never by folding `..` on the text: `link/../state.json`
 * is beside the link's target, as the kernel opens it, not beside the link.
 */
export function writeTarget(path: string): string {
  let current = realParent(isAbsolute(path) ? path : kernelPath(path));
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return current; // Does not exist (yet): the write creates it here.
    }
    if (!isLink) return current;
    const link = readlinkSync(current);
    current = realParent(isAbsolute(link) ? link : `${dirname(current)}${sep}${link}`);
  }
  throw Object.assign(new Error("symlink loop"), { code: "ELOOP" });
}

/** `path` with its directory resolved by the kernel; as given when the directory does not exist (the write fails). */
function realParent(path: string): string {
  const name = basename(path);
  if (name === ".." || name === ".") {
    try {
      return realpathSync.native(path);
    } catch {
      return resolve(path);
    }
  }
  try {
    return join(realpathSync.native(dirname(path)), name);
  } catch {
    return resolve(path);
  }
}

/** Replaces the file at `path` with `text` durably and atomically (see the module comment). */
export function writeFileDurable(path: string, text: string, options: DurableWriteOptions = {}): void {
  const shown = options.shownAs ?? path;
  let target: string;
  let mode: number;
  try {
    target = writeTarget(path);
    mode = modeFor(target, options);
    if (options.createDirectories) createParents(target);
  } catch (error) {
    throw new DurableWriteError(shown, osReason(error));
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeTempFile(temp, Buffer.from(text, "utf8"), mode);
    renameSync(temp, target);
  } catch (error) {
    removeQuietly(temp);
    throw new DurableWriteError(shown, error instanceof ShortWriteError ? error.message : osReason(error));
  }
  try {
    syncDirectory(dirname(target));
  } catch (error) {
    // The new file is complete and in place; only its durability across a power cut is in doubt.
    throw new DurableWriteError(shown, `written, but the directory could not be synced (${osReason(error)})`, true);
  }
}

/** `mkdir -p` of the target's directory; each new directory's entry is synced into its parent, so it lasts too. */
function createParents(target: string): void {
  const first = mkdirSync(dirname(target), { recursive: true });
  if (first === undefined) return;
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    syncDirectory(dirname(dir));
    if (dir === first) return;
  }
}

/** The permissions the new file gets; a target that is a directory is refused before anything is written. */
function modeFor(target: string, options: DurableWriteOptions): number {
  const wanted = options.mode ?? 0o644;
  let existing;
  try {
    existing = statSync(target);
  } catch {
    return wanted;
  }
  if (existing.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
  return options.forceMode ? wanted : existing.mode & 0o7777;
}

class ShortWriteError extends Error {}

function writeTempFile(temp: string, bytes: Uint8Array, mode: number): void {
  const fd = openSync(temp, "wx", mode);
  try {
    // openSync's mode is filtered by the umask; an existing file's mode (or a script's 0o755) must survive as is.
    fchmodSync(fd, mode);
    let written = 0;
    while (written < bytes.length) {
      const count = writeSeam.write(fd, bytes, written, bytes.length - written);
      // A device that accepts nothing without an error would loop for ever: that is a full disk too.
      if (!(count > 0)) {
        throw new ShortWriteError(`short write (${written} of ${bytes.length} bytes): no space left on device?`);
      }
      written += count;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Never created, or already renamed.
  }
}

/** Makes the rename durable (POSIX). Platforms that cannot open or sync a directory (Windows) are skipped. */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, "r");
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EPERM" && code !== "EISDIR") throw error;
  } finally {
    closeSync(fd);
  }
}

/** Files a directory input reads, by name: a report or script written inside an input directory must not be one. */
const INPUT_FILE_IN_DIRECTORY = /(^cdk\.tf\.json$)|(\.tf$)|(\.tf\.json$)/;

/**
 * Refuses (throws DurableWriteError) when writing to `output` would replace one of the run's own `inputs`: the
 * same file by path, through a symlink or a hard link, or a file an input directory is read for. Paths are as the
 * user gave them, relative to `cwd`; messages show them that way.
 */
export function refuseOverwritingInputs(cwd: string, output: string, inputs: readonly string[]): void {
  const target = realish(kernelPath(output, cwd));
  const targetStat = statQuietly(target);
  for (const input of inputs) {
    const source = realish(kernelPath(input, cwd));
    const sourceStat = statQuietly(source);
    const sameFile =
      source === target ||
      (targetStat !== undefined &&
        sourceStat !== undefined &&
        targetStat.dev === sourceStat.dev &&
        targetStat.ino === sourceStat.ino);
    const insideInputDirectory =
      sourceStat?.isDirectory() === true && isInside(target, source) && INPUT_FILE_IN_DIRECTORY.test(basename(target));
    if (sameFile || insideInputDirectory) {
      throw new DurableWriteError(output, `it is one of this run's input files (${input}); choose another path`);
    }
  }
}

/**
 * Refuses (throws DurableWriteError) before anything is read or written when any of a run's `outputs` would land on
 * one of its `inputs` (see refuseOverwritingInputs) or on another of its outputs (the second write would replace
 * the first). Undefined entries (flags not given) are ignored.
 */
export function refuseOutputsOntoInputs(
  cwd: string,
  outputs: readonly (string | undefined)[],
  inputs: readonly (string | undefined)[],
): void {
  const given = inputs.filter((i): i is string => i !== undefined);
  const written: string[] = [];
  for (const output of outputs) {
    if (output === undefined) continue;
    refuseOverwritingInputs(cwd, output, given);
    const earlier = written.find((other) => sameTarget(cwd, other, output));
    if (earlier !== undefined)
      throw new DurableWriteError(output, `it is also where ${earlier} is written; choose another path`);
    written.push(output);
  }
}

function sameTarget(cwd: string, a: string, b: string): boolean {
  const left = realish(kernelPath(a, cwd));
  const right = realish(kernelPath(b, cwd));
  if (left === right) return true;
  const l = statQuietly(left);
  const r = statQuietly(right);
  return l !== undefined && r !== undefined && l.dev === r.dev && l.ino === r.ino;
}

/** The real path of `path`, or of its parent joined with its name when it does not exist yet. */
function realish(path: string): string {
  const absolute = writeTargetQuietly(path);
  try {
    return realpathSync.native(absolute);
  } catch {
    try {
      return join(realpathSync.native(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

function writeTargetQuietly(path: string): string {
  try {
    return writeTarget(path);
  } catch {
    return resolve(path);
  }
}

function statQuietly(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep);
}
