/**
 * The gates of `keykit rotate finish`: finish deletes the retained slot, so it is only recorded on evidence that
 * the published slot really works and, given audit logs, that no client still authenticates with the retained one.
 *
 * - proven: the published slot has a standing "works" proof of `keykit verify` after its `start` (with the
 *   wrong-secret control, no failed verify after it; given `--state`, for the key id the state holds for the slot);
 * - quiet (only with `--audit-log`): the retained slot's key has had no successful authentication for
 *   `--quiet-minutes`, over audit logs that reach into that window with records whose time is trusted (strict
 *   RFC 3339 with a zone, not after now, not implausibly old); a success in a record whose time is not trusted keeps
 *   the gate shut.
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

import { DEFAULT_QUIET_MINUTES } from "../defaults";

export { DEFAULT_QUIET_MINUTES };

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
  // Only records with a trusted time count (strict RFC 3339, not after now, not before any audit log existed).
  const { earliest, latest } = log.usage;
  const untrusted = setAsideText(log.usage);
  if (earliest === undefined || latest === undefined)
    return {
      ok: false,
      line: `the audit logs hold no record with a trusted time${untrusted}: they cannot show ${keyId} is quiet`,
    };
  if (!coveredFrom(log.usage, from))
    return {
      ok: false,
      line:
        `the audit logs (${iso(earliest)} to ${iso(latest)}${untrusted}) do not cover the last ${minutes} minutes: ` +
        `export them again, then run finish`,
    };
  const usage = log.usage.keys.get(keyId);
  const last = usage?.lastSuccess;
  if (last !== undefined && last >= from)
    return {
      ok: false,
      line: `the retained slot ${slot} (key ${keyId}) authenticated successfully at ${iso(last)}, within the last ${minutes} minutes: clients still use it`,
    };
  if (usage !== undefined && usage.untrustedSuccesses > 0)
    return {
      ok: false,
      line: `the retained slot ${slot} (key ${keyId}) authenticated successfully in ${usage.untrustedSuccesses} audit-log record(s) whose time is not trusted: it cannot be shown quiet`,
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

/** Whether one unbroken stretch of trusted records reaches from before `from` to at least `from`. */
function coveredFrom(usage: AuditLogUsage, from: number): boolean {
  const { starts, ends } = usage.overall;
  for (let i = 0; i < starts.length; i++) if (starts[i] <= from && ends[i] >= from) return true;
  return false;
}

/** ", 3 record(s) with an untrusted time set aside" (bad, future or implausibly old times), or "". */
function setAsideText(usage: AuditLogUsage): string {
  const count = usage.badTimes.count + usage.future.count + usage.ancient.count;
  return count > 0 ? `; ${count} record(s) with a bad, future or implausibly old time set aside` : "";
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
