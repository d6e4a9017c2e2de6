/**
 * The locked read → decide → write of the rotation-state file, for every command that changes it (`keykit rotate`
 * start|finish and `keykit verify`'s proofs). Under the file's lock (cli/file-lock.ts) it reads the file,
 * hands the state to `decide`, and writes what `decide` returns durably (cli/durable-write.ts), keeping the fields
 * and formatting of the file it read. Concurrent callers therefore serialize: each decides from the state the
 * previous one left, or is refused (exit 1) by its own `decide`.
 */
import { InputFileError, readOptionalInputText } from "../policies/loaders/read-input-file";
import {
  type RotationState,
  type RotationStateDocument,
  RotationStateError,
  emptyRotationState,
  parseRotationStateDocument,
  serializeRotationStateDocument,
} from "../policies/rotation-state";
import { DurableWriteError, refuseOutputsOntoInputs, writeFileDurable, writeTarget } from "./durable-write";
import { EXIT_FINDINGS, EXIT_USAGE, KeykitCliError, osReason } from "./errors";
import { LockBusyError, LockIoError, withFileLock } from "./file-lock";

export interface StateFileDecision<R> {
  /** The new state to write; undefined leaves the file untouched. */
  readonly state?: RotationState;
  readonly result: R;
}

export interface LockedStateFileOptions {
  /** The file as the user named it (relative to the working directory), for messages. */
  readonly shownAs: string;
  /** How long to wait for another writer (default 10 s). */
  readonly lockWaitMs?: number;
  /** Notes for the user (a stale lock taken over). */
  readonly onNote?: (message: string) => void;
}

/**
 * Runs `decide` on the current state of `path` while holding its lock, and writes the state it returns.
 * Errors are KeykitCliErrors: a malformed or unreadable file and a failed write exit 2, a busy lock exits 1; in
 * every case the file is as it was.
 */
export async function withLockedStateFile<R>(
  path: string,
  decide: (state: RotationState) => StateFileDecision<R>,
  options: LockedStateFileOptions,
): Promise<R> {
  const { shownAs } = options;
  let target: string;
  try {
    // The lock sits next to the real file, so two symlinks to one state file share one lock.
    target = writeTarget(path);
  } catch (error) {
    throw new KeykitCliError(`cannot write ${shownAs}: ${osReason(error)}`, EXIT_USAGE);
  }
  try {
    return await withFileLock(
      target,
      { waitMs: options.lockWaitMs, onNote: options.onNote, shownAs: `${shownAs}.lock` },
      () => {
        const document = readDocument(target, shownAs);
        const decision = decide(document?.state ?? emptyRotationState());
        if (decision.state !== undefined) {
          writeFileDurable(target, serializeRotationStateDocument(document, decision.state), { shownAs });
        }
        return decision.result;
      },
    );
  } catch (error) {
    throw asCliError(error, shownAs);
  }
}

/**
 * Before anything is read, sent or written: the rotation-state file a step writes may not be one of the files the
 * step reads as evidence (`--state`, `--audit-log`, `--output-json`, keykit.config.json), compared by real path and
 * by device and inode. `command` starts the one-line refusal.
 */
export function refuseStateFileOntoInputs(
  cwd: string,
  stateFile: string,
  inputs: readonly (string | undefined)[],
  command: string,
): void {
  try {
    refuseOutputsOntoInputs(cwd, [stateFile], inputs);
  } catch (error) {
    if (error instanceof DurableWriteError) throw new KeykitCliError(`${command}: ${error.message}`, EXIT_USAGE);
    throw error;
  }
}

/** The file's document, or undefined when it does not exist yet (a new file is written in canonical form). */
function readDocument(path: string, shownAs: string): RotationStateDocument | undefined {
  let text: string | undefined;
  try {
    // The input boundary, as every other read of this file: a FIFO or a device is refused, a BOM is read.
    text = readOptionalInputText(path);
  } catch (error) {
    if (error instanceof InputFileError)
      throw new KeykitCliError(`cannot read ${shownAs}: ${error.problem}`, EXIT_USAGE);
    throw error;
  }
  return text === undefined ? undefined : parseRotationStateDocument(text, shownAs);
}

function asCliError(error: unknown, shownAs: string): unknown {
  if (error instanceof KeykitCliError) return error;
  if (error instanceof RotationStateError) return new KeykitCliError(error.message, EXIT_USAGE);
  if (error instanceof DurableWriteError) {
    return new KeykitCliError(
      error.replaced ? error.message : `${error.message} (${shownAs} was not changed)`,
      EXIT_USAGE,
    );
  }
  if (error instanceof LockBusyError) {
    return new KeykitCliError(
      `${shownAs} is ${error.message} (another 'keykit rotate' is running); try again, or delete ${shownAs}.lock if that process is gone`,
      EXIT_FINDINGS,
    );
  }
  if (error instanceof LockIoError) {
    return new KeykitCliError(
      `cannot lock ${shownAs}: ${error.problem !== undefined ? `${shownAs}.lock: ${error.problem}` : osReason(error.cause)} (${shownAs} was not changed)`,
      EXIT_USAGE,
    );
  }
  return error;
}
