/**
 * Loads the desired state of an audit: `--config` inputs (cdk.tf.json, Terraform state JSON or plan JSON, stack
 * or cdktf.out directories) through the policy loaders, and the rotation-state file.
 */
import { KeykitCliError } from "../errors";
import {
  emptyRotationState,
  goneProofStands,
  parseRotationState,
  RotationStateError,
  SLOT_NAMES,
  type SlotRecord,
} from "../../policies/rotation-state";
import { findJsonInputs } from "../../policies/loaders/discover";
import {
  InputFileError,
  pathExists as somethingAt,
  readInputText,
  readInputTextChunks,
} from "../../policies/loaders/read-input-file";
import { detectJsonKind, loadJsonInput } from "../../policies/loaders/input";
import { InputError, parseJsonText } from "../../policies/loaders/util";
import {
  AuditLogAccumulator,
  AuditLogError,
  type AuditLogOptions,
  type AuditLogUsage,
} from "../../policies/inventory/audit-log";
import type { DesiredState, RotationSlotFacts } from "../../policies/inventory/audit-model";
import { desiredStateFromModels, nameFactsFromJson, type NameFacts } from "../../policies/inventory/desired-state";
import type { KeykitModel } from "../../policies/model";

export function readInputFile(path: string, cwd: string): string {
  try {
    return readInputText(path, cwd);
  } catch (error) {
    if (error instanceof InputFileError) throw new KeykitCliError(error.message);
    throw error;
  }
}

/** What `--config` reads, in the refusal of a path that holds none of it. */
export const AUDIT_CONFIG_TAKES = "audit --config takes cdk.tf.json, a cdktf.out, Terraform state or plan JSON";

/**
 * The configuration files behind `--config` paths, found as `keykit check` finds its inputs (the shared discovery):
 * a file as is, every stack of a cdktf.out and every `cdk.tf.json` below a directory. HCL roots found below a
 * directory are passed over with a note (audit reads no HCL); a path that is or holds only HCL is refused.
 */
export function configFiles(paths: readonly string[], cwd: string): { files: string[]; notes: string[] } {
  const files: string[] = [];
  const notes: string[] = [];
  for (const path of paths) {
    try {
      const found = findJsonInputs(path, cwd, AUDIT_CONFIG_TAKES);
      files.push(...found.files.map((f) => f.path));
      notes.push(...found.notes);
    } catch (error) {
      if (error instanceof InputError) throw new KeykitCliError(error.message);
      throw error;
    }
  }
  return { files, notes };
}

/** Loads `--config` inputs with the policy loaders (the kind is detected as `keykit check` does). */
export function loadDesiredState(
  paths: readonly string[],
  cwd: string,
): DesiredState & { readonly notes: readonly string[] } {
  const models: KeykitModel[] = [];
  const names = new Map<string, NameFacts>();
  const { files, notes } = configFiles(paths, cwd);
  for (const file of files) {
    const text = readInputFile(file, cwd);
    try {
      const json = parseJsonText(text, file);
      const kind = detectJsonKind(json);
      models.push(loadJsonInput(json, file));
      // Names match configured keys whose id is unknown (cdk.tf.json, keys a plan creates); a state has every id.
      if (kind !== "state") nameFactsFromJson(json, names);
    } catch (error) {
      if (error instanceof InputError) throw new KeykitCliError(error.message);
      throw error;
    }
  }
  return { ...desiredStateFromModels(models, names), notes };
}

/** Every slot of every key in the rotation-state file (a missing file is an empty state). */
export function loadRotationSlots(path: string, cwd: string): RotationSlotFacts[] {
  try {
    // Read like every other input (a FIFO or a UTF-16 file is refused); a missing file is an empty state.
    const state = pathExists(path, cwd) ? parseRotationState(readInputFile(path, cwd), path) : emptyRotationState();
    const slots: RotationSlotFacts[] = [];
    for (const [name, entry] of Object.entries(state.keys)) {
      for (const slot of SLOT_NAMES) {
        const record = entry.slots[slot];
        if (!record) continue;
        slots.push({
          name,
          slot,
          status: record.status,
          ...(record.createdAt !== undefined ? { createdAt: record.createdAt } : {}),
          ...(record.retiredAt !== undefined ? { retiredAt: record.retiredAt } : {}),
          ...(record.deactivatedAt !== undefined ? { deactivatedAt: record.deactivatedAt } : {}),
          ...recordedKey(record),
          ...standingGoneProof(record),
        });
      }
    }
    return slots;
  } catch (error) {
    if (error instanceof RotationStateError) throw new KeykitCliError(error.message.split("\n")[0]);
    throw error;
  }
}

/** The slot's key id as the file records it (its own, else its proof's), for matching the retired slot by id. */
function recordedKey(record: SlotRecord): { keyId?: string } {
  const keyId = record.keyId ?? record.verification?.keyId;
  return keyId !== undefined ? { keyId } : {};
}

/** A standing "gone" proof (no failed verify after it): evidence for its key id only. */
function standingGoneProof(record: SlotRecord): { verifiedAt?: string; verifiedKeyId?: string } {
  const { verifiedAt, verification } = record;
  if (!goneProofStands(record) || verifiedAt === undefined || verification === undefined) return {};
  return { verifiedAt, verifiedKeyId: verification.keyId };
}

/** True when something (even a dangling link) is at `path`: only a truly missing file is "not given". */
export function pathExists(path: string, cwd: string): boolean {
  return somethingAt(path, cwd);
}

/**
 * Reads `--audit-log` files as streams through the input boundary (a FIFO or a device is refused, gzip detected by
 * its magic bytes and decompressed within its limits), so memory does not grow with the size of the export. A
 * malformed record is one line naming the file and line. Records are judged against `options.now`: later ones (and
 * implausibly old ones) are set aside.
 */
export async function loadAuditLogs(
  paths: readonly string[],
  cwd: string,
  options: AuditLogOptions,
): Promise<AuditLogUsage> {
  const accumulator = new AuditLogAccumulator(options);
  for (const path of paths) {
    const splitter = accumulator.file(path);
    try {
      for await (const chunk of readInputTextChunks(path, { cwd })) splitter.push(chunk);
      splitter.end();
    } catch (error) {
      if (error instanceof AuditLogError || error instanceof InputFileError) throw new KeykitCliError(error.message);
      throw error;
    }
  }
  return accumulator.result();
}
