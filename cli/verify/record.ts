/**
 * Recording what `keykit verify` proved, or which check failed, in the rotation-state file, so the review sees it
 * in the diff and the gates of `rotate finish` and the audit's cleanup script can rely on it: `keyId`, `verifiedAt`
 * and `verification` on the slot a proof is about, `failedVerify` (time, key, what failed) on the slot a failed
 * check was about — a failure after a proof makes the proof stand no longer. Written through withLockedStateFile (locked read → decide → write; unknown fields kept). A proof
 * is only recorded if the slot is still in the state verify saw: a `start` or `finish` that ran meanwhile makes it
 * a proof of something else.
 */
import {
  type FailedVerify,
  isRecordableText,
  type KeyRotationEntry,
  type RotationState,
  type SlotName,
  type SlotRecord,
  type SlotVerification,
  withEntry,
} from "../../policies/rotation-state";
import { withLockedStateFile } from "../locked-state-file";
import { originOf } from "./http";

interface SlotFinding {
  readonly slot: SlotName;
  readonly status: SlotRecord["status"];
  /** activatedAt (the active slot) or retiredAt (a retired one) as verify read it: the finding is about that step's slot. */
  readonly since?: string;
}

/** One proven fact about one slot, or one failed check, with the slot's state when verify read it. */
export type SlotProof = SlotFinding &
  (
    | { readonly verification: SlotVerification; readonly failure?: undefined }
    | { readonly failure: Omit<FailedVerify, "at">; readonly verification?: undefined }
  );

export interface RecordOptions {
  readonly path: string;
  readonly shownAs: string;
  readonly name: string;
  readonly at: string;
  readonly lockWaitMs?: number;
  readonly onNote?: (message: string) => void;
  /**
   * The entry of a key declared in code that never rotated (no entry in the file yet): a proof of its published
   * blue slot creates the entry, as the first `rotate start` would.
   */
  readonly initial?: KeyRotationEntry;
}

/** The outcome per proof: recorded, or why not. */
export interface RecordOutcome {
  readonly proof: SlotProof;
  readonly recorded: boolean;
}

export async function recordProofs(proofs: readonly SlotProof[], options: RecordOptions): Promise<RecordOutcome[]> {
  if (proofs.length === 0) return [];
  return withLockedStateFile<RecordOutcome[]>(options.path, (state) => decide(state, proofs, options), {
    shownAs: options.shownAs,
    lockWaitMs: options.lockWaitMs,
    onNote: options.onNote,
  });
}

function decide(state: RotationState, proofs: readonly SlotProof[], options: RecordOptions) {
  const current = Object.prototype.hasOwnProperty.call(state.keys, options.name)
    ? state.keys[options.name]
    : options.initial;
  if (current === undefined) return { result: proofs.map((proof) => ({ proof, recorded: false })) };
  let entry: KeyRotationEntry = current;
  const outcomes: RecordOutcome[] = [];
  for (const proof of proofs) {
    const record = entry.slots[proof.slot];
    const still = record !== undefined && record.status === proof.status && sinceOf(record, proof) === proof.since;
    outcomes.push({ proof, recorded: still });
    if (!still) continue;
    const verified: SlotRecord = proof.failure
      ? { ...record, failedVerify: { at: options.at, ...proof.failure } }
      : { ...record, keyId: proof.verification.keyId, verifiedAt: options.at, verification: proof.verification };
    entry = { ...entry, slots: { ...entry.slots, [proof.slot]: verified } };
  }
  const changed = outcomes.some((o) => o.recorded);
  return { state: changed ? withEntry(state, options.name, entry) : undefined, result: outcomes };
}

function sinceOf(record: SlotRecord, proof: SlotProof): string | undefined {
  return proof.status === "active" ? record.activatedAt : record.retiredAt;
}

/** "Kafka REST https://host GET /kafka/v3/clusters/lkc-1/topics: 200", shortened to what the file accepts. */
export function probeDescription(what: string, url: string, status: number): string {
  let path = "";
  try {
    path = new URL(url).pathname;
  } catch {
    // An invalid URL never answered 200; keep the description without a path.
  }
  const full = `${what} ${originOf(url)} GET ${path}: ${status}`;
  return isRecordableText(full) ? full : `${what}: ${status}`;
}

/** A description that the state file accepts, or undefined (then it is left out). */
export function recordable(text: string): string | undefined {
  return isRecordableText(text) ? text : undefined;
}
