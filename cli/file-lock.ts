/**
 * One writer at a time for a file the kit edits in place (the rotation-state file): a lock file `<file>.lock` next
 * to it, created with O_EXCL (so exactly one process can create it), holding the owner's pid, host and start time.
 *
 * - Held around read → decide → write, so two steps never compute from the same old state.
 * - A process that finds the lock waits (polling) up to `waitMs`, then gives up with LockBusyError.
 * - A lock whose pid is no longer running on this host is stale (its process crashed): it is taken over and the
 *   caller gets a note. The takeover itself is guarded by `<file>.lock.takeover` (also O_EXCL) and re-checks the
 *   lock under that guard, so two processes can never both "take over" and one of them remove a live lock.
 * - Removed on release (only if it is still ours) and, as a last resort, when the process exits.
 */
import { closeSync, lstatSync, openSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { InputFileError, readInputText } from "../policies/loaders/read-input-file";

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly token: string;
}

/** The lock is held by a live process (or one on another host) and did not come free in time. */
export class LockBusyError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      holder
        ? `locked by pid ${holder.pid} on ${holder.host} since ${holder.since}`
        : "locked by another process (lock file being written)",
    );
    this.name = "LockBusyError";
  }
}

/**
 * The lock file could not be created or read (read-only file system, permissions, missing directory), or the lock
 * path holds something no lock of ours can be (a symlink, a directory): `problem` says which, when it is not an OS
 * error.
 */
export class LockIoError extends Error {
  constructor(
    readonly cause: unknown,
    readonly problem?: string,
  ) {
    super("cannot create the lock file");
    this.name = "LockIoError";
  }
}

export interface LockOptions {
  /** How long to wait for a busy lock before LockBusyError. Default 10 s. */
  readonly waitMs?: number;
  /** A line for the user (e.g. a stale lock was taken over). */
  readonly onNote?: (message: string) => void;
  /** What to call the lock file in notes (default: its path). */
  readonly shownAs?: string;
}

const POLL_MS = 15;
/** A holder record is under 200 bytes; a larger lock file is not one of ours. */
const MAX_LOCK_BYTES = 4096;
const NOT_A_LOCK_FILE = "is not a lock file (a symlink, a directory or a special file is in the way: remove it)";
/** A lock file still empty after this long was left by a process that died between create and write. */
const EMPTY_LOCK_STALE_MS = 5_000;
const TAKEOVER_GUARD_STALE_MS = 5_000;

/** Runs `body` while holding the lock of `file`; the lock is released however `body` ends. */
export async function withFileLock<T>(file: string, options: LockOptions, body: () => Promise<T> | T): Promise<T> {
  const lockFile = `${file}.lock`;
  const holder = await acquire(lockFile, options);
  const releaseOnExit = () => release(lockFile, holder);
  process.once("exit", releaseOnExit);
  try {
    return await body();
  } finally {
    process.removeListener("exit", releaseOnExit);
    release(lockFile, holder);
  }
}

async function acquire(lockFile: string, options: LockOptions): Promise<LockHolder> {
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  const mine: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: randomBytes(8).toString("hex"),
  };
  for (;;) {
    if (tryCreate(lockFile, mine)) return mine;
    const current = readHolder(lockFile);
    // Released between our create and our read: try again at once, but never past the deadline.
    if (current === "missing") {
      if (Date.now() >= deadline) throw new LockBusyError(lockFile, undefined);
      continue;
    }
    if (isStale(lockFile, current) && takeOverStale(lockFile, current)) {
      options.onNote?.(staleNote(options.shownAs ?? lockFile, current));
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(lockFile, current ?? undefined);
    await sleep(POLL_MS + Math.floor(Math.random() * POLL_MS));
  }
}

/**
 * Creates the lock file with O_EXCL; false when it exists. A reader that sees it still empty (between create and
 * write) treats it as held unless it stays empty for EMPTY_LOCK_STALE_MS (see isStale).
 */
function tryCreate(lockFile: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new LockIoError(error);
  }
  try {
    const bytes = Buffer.from(`${JSON.stringify(holder)}\n`, "utf8");
    let written = 0;
    while (written < bytes.length) {
      const count = writeSync(fd, bytes, written, bytes.length - written);
      if (count <= 0) throw Object.assign(new Error("short write"), { code: "ENOSPC" });
      written += count;
    }
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(lockFile);
    throw new LockIoError(error);
  }
  closeSync(fd);
  return true;
}

/** The holder named in the lock file; null while it is still being written (or unreadable as a holder). */
function readHolder(lockFile: string): LockHolder | null | "missing" {
  let text: string;
  try {
    // Our locks are regular files made with O_EXCL, which never follows a link: a symlink (even a dangling one,
    // which O_EXCL still finds in the way), a directory or a FIFO there was put by someone else and never frees.
    if (!lstatSync(lockFile).isFile()) throw new LockIoError(undefined, NOT_A_LOCK_FILE);
    text = readInputText(lockFile, { maxBytes: MAX_LOCK_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    if (error instanceof InputFileError && !pathIsThere(lockFile)) return "missing";
    if (error instanceof InputFileError) throw new LockIoError(error, error.problem);
    if (error instanceof LockIoError) throw error;
    throw new LockIoError(error);
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.token === "string") {
      return { pid: value.pid, host: value.host, since: String(value.since), token: value.token };
    }
  } catch {
    // Being written, or garbage: judged by age below.
  }
  return null;
}

function isStale(lockFile: string, holder: LockHolder | null): boolean {
  if (holder === null) {
    try {
      return Date.now() - statSync(lockFile).mtimeMs > EMPTY_LOCK_STALE_MS;
    } catch {
      return false;
    }
  }
  // A process on another host cannot be checked from here: only a person can decide it is gone.
  if (holder.host !== hostname()) return false;
  // Our own pid with a token that is not ours: a previous process that had this pid, and it is gone.
  if (holder.pid === process.pid) return true;
  return !isRunning(holder.pid);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes a stale lock under the takeover guard, only if the lock file still names the same dead holder. */
function takeOverStale(lockFile: string, judged: LockHolder | null): boolean {
  const guard = `${lockFile}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new LockIoError(error);
    removeStaleGuard(guard);
    return false;
  }
  closeSync(fd);
  try {
    const now = readHolder(lockFile);
    const same = now === null ? judged === null : now !== "missing" && now.token === judged?.token;
    if (!same || !isStale(lockFile, now === "missing" ? null : now)) return false;
    unlinkQuietly(lockFile);
    return true;
  } finally {
    unlinkQuietly(guard);
  }
}

/** A guard left by a process that died mid-takeover would block every takeover: it is short-lived, so age tells. */
function removeStaleGuard(guard: string): void {
  try {
    if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_GUARD_STALE_MS) unlinkQuietly(guard);
  } catch {
    // Gone already.
  }
}

function staleNote(lockFile: string, holder: LockHolder | null): string {
  return holder
    ? `note: took over the stale lock ${lockFile} of pid ${holder.pid} (no longer running; it held the lock since ${holder.since})`
    : `note: took over the stale lock ${lockFile} (left empty by a process that did not finish writing it)`;
}

/** Removes the lock file if it is still ours (never another process's lock). */
function release(lockFile: string, holder: LockHolder): void {
  const current = (() => {
    try {
      return readHolder(lockFile);
    } catch {
      return "missing" as const;
    }
  })();
  if (current !== "missing" && current !== null && current.token === holder.token) unlinkQuietly(lockFile);
}

function pathIsThere(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
