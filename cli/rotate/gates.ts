/**
 * The gates of `keykit rotate finish`: finish deletes the retained slot, so it is only recorded on evidence that
 * the published slot really works and, given audit logs, that no client still authenticates with the retained one.
 *
 * - proven: the published slot has a standing "works" proof of `keykit verify` after its `start` (with the
 *   wrong-secret control, no failed verify after it; given `--state`, for the key id the state holds for the slot);
 * - quiet (only with `--audit-log`): the retained slot's key has had no successful authentication for
 *   `--quiet-minutes`, over audit logs that reach into that window.
 *
 * Pure: the inputs are read before the state file's lock is taken, the gates are decided under it.
 */
import type { AuditLogUsage } from "../../policies/inventory/audit-log";
import {
  type KeyRotationEntry,
  type SlotName,
  type SlotVerification,
  retainedSlot,
  worksProofProblem,
} from "../../policies/rotation-state";
import { findSlotKey, type StateFacts } from "../verify/state";

export const DEFAULT_QUIET_MINUTES = 15;

export interface GateInputs {
  readonly name: string;
  readonly now: Date;
  /** Terraform state JSON (`--state`), as the user named it. */
  readonly terraformState?: { readonly shown: string; readonly facts: StateFacts };
  readonly auditLog?: { readonly usage: AuditLogUsage; readonly quietMinutes: number };
  /** Terraform addresses of the key's slots in the synthesized output, when it declares the key. */
  readonly addresses?: Partial<Record<SlotName, string>>;
}

export interface GateResult {
  readonly met: readonly string[];
  readonly unmet: readonly string[];
}

/** The gates of finishing `entry` (a key whose rotation is in progress). */
export function finishGates(entry: KeyRotationEntry, inputs: GateInputs): GateResult {
  const met: string[] = [];
  const unmet: string[] = [];
  const add = (gate: { ok: boolean; line: string }) => (gate.ok ? met : unmet).push(gate.line);
  add(provenGate(entry, inputs));
  if (inputs.auditLog) add(quietGate(entry, inputs, inputs.auditLog));
  return { met, unmet };
}

/**
 * The published slot must have a standing "works" proof after its start: recorded by `keykit verify` with the
 * wrong-secret control, no failed verify after it, and — given `--state` — for the key id the state holds for the
 * slot. `--state` alone proves nothing: a resource in the state is not a working credential.
 */
function provenGate(entry: KeyRotationEntry, inputs: GateInputs): { ok: boolean; line: string } {
  const slot = entry.active;
  const record = entry.slots[slot];
  const started = record?.activatedAt ?? record?.createdAt;
  const problem = worksProofProblem(record, started);
  if (problem !== undefined)
    return {
      ok: false,
      line: problem.startsWith("a verify")
        ? `the published slot ${slot} has no standing proof: ${problem}: fix it, then run 'keykit verify ${inputs.name} …' again`
        : `the published slot ${slot} ${problem}: apply, then run 'keykit verify ${inputs.name} …'`,
    };
  const proof = record?.verification as SlotVerification;
  const state = inputs.terraformState;
  const key = state ? findSlotKey(state.facts, inputs.name, slot, inputs.addresses?.[slot]) : undefined;
  const stateId = state && key ? [...state.facts.keys].find(([, k]) => k === key)?.[0] : undefined;
  if (state && stateId !== undefined && stateId !== proof.keyId)
    return {
      ok: false,
      line: `the published slot ${slot} was verified for key ${proof.keyId}, but ${state.shown} holds key ${stateId} for it: verify it again`,
    };
  return {
    ok: true,
    line: `the published slot ${slot} was verified at ${record?.verifiedAt} (keykit verify, key ${proof.keyId})`,
  };
}

function quietGate(
  entry: KeyRotationEntry,
  inputs: GateInputs,
  log: NonNullable<GateInputs["auditLog"]>,
): { ok: boolean; line: string } {
  const slot = retainedSlot(entry) as SlotName;
  const keyId = retainedKeyId(entry, slot, inputs);
  const minutes = log.quietMinutes;
  if (keyId === undefined)
    return {
      ok: false,
      line: `cannot tell the key id of the retained slot ${slot} for the audit-log check: give --state <terraform state JSON>`,
    };
  const from = inputs.now.getTime() - minutes * 60_000;
  const { earliest, latest } = log.usage;
  if (earliest === undefined || latest === undefined)
    return { ok: false, line: `the audit logs hold no record with a time: they cannot show ${keyId} is quiet` };
  if (earliest > from || latest < from)
    return {
      ok: false,
      line:
        `the audit logs (${iso(earliest)} to ${iso(latest)}) do not cover the last ${minutes} minutes: ` +
        `export them again, then run finish`,
    };
  const last = log.usage.keys.get(keyId)?.lastSuccess;
  if (last !== undefined && last >= from)
    return {
      ok: false,
      line: `the retained slot ${slot} (key ${keyId}) authenticated successfully at ${iso(last)}, within the last ${minutes} minutes: clients still use it`,
    };
  return {
    ok: true,
    line: `the retained slot ${slot} (key ${keyId}) has not authenticated for ${minutes} minutes (audit logs to ${iso(latest)})`,
  };
}

/** The retained slot's key id: from the Terraform state, or the proof recorded while it was the published slot. */
function retainedKeyId(entry: KeyRotationEntry, slot: SlotName, inputs: GateInputs): string | undefined {
  const state = inputs.terraformState;
  if (state) {
    const key = findSlotKey(state.facts, inputs.name, slot, inputs.addresses?.[slot]);
    if (key) return [...state.facts.keys].find(([, k]) => k === key)?.[0];
  }
  const verification = entry.slots[slot]?.verification;
  return verification?.proved === "works" ? verification.keyId : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
