/**
 * `keykit verify <rotation-name>`: proves what a rotation step claims — the published credentials work (and are
 * the active slot's), and after `finish` the retired slot is gone — one line per check. What it proved is recorded
 * in the rotation-state file (`verifiedAt` and `verification` on the slot, under the file's lock), which the gates
 * of `rotate finish` and the audit's cleanup script read.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { EXIT_FINDINGS, EXIT_OK, KeykitCliError, formatErrorLine } from "../errors";
import type { CliIo, Command } from "../io";
import { parseVerifyArgs, VERIFY_USAGE, type VerifyArgs } from "../verify/args";
import { type AwsLocation, readAwsDocument } from "../verify/aws";
import { DocumentError, type PublishedDocument, readOutputDocument, readVaultDocument } from "../verify/document";
import { type HttpGet, httpGet, joinUrl } from "../verify/http";
import {
  checkKeyGone,
  type ProbeOutcome,
  type ProbeTarget,
  probeCredentials,
  probeUrl,
  type Timing,
} from "../verify/probes";
import { probeDescription, recordable, recordProofs, type SlotProof } from "../verify/record";
import { readStoreDocument, type StoreOverrides } from "../verify/stores";
import { readStateFacts, type StateFacts, type StateKey } from "../verify/state";
import {
  entryFor,
  type KeyRotationEntry,
  otherSlot,
  RotationStateError,
  readRotationStateFile,
} from "../../policies/rotation-state";

/** Test seams: the HTTP client, the clock of the 401/403 backoff, the clock of `verifiedAt`, the lock wait. */
export interface VerifyDependencies {
  readonly get?: HttpGet;
  readonly timing?: Partial<Omit<Timing, "waitMs">>;
  readonly clock?: () => Date;
  readonly lockWaitMs?: number;
  readonly stores?: StoreOverrides;
}

export const DEFAULT_CLOUD_URL = "https://api.confluent.cloud";

type Report = (outcome: ProbeOutcome) => ProbeOutcome;

export function createVerifyCommand(deps: VerifyDependencies = {}): Command {
  return async (argv, io) => {
    const args = parseVerifyArgs(argv);
    if (args === "help") {
      io.stdout(VERIFY_USAGE);
      return EXIT_OK;
    }
    const get = deps.get ?? httpGet;
    const entry = readEntry(args, io.cwd);
    const state = args.state !== undefined ? readStateFacts(args.state, io.cwd) : undefined;
    let failed = 0;
    const report: Report = (outcome) => {
      if (outcome.kind === "usage") throw new KeykitCliError(`verify: ${outcome.line}`);
      if (outcome.kind === "fail") failed++;
      const tag = outcome.kind === "ok" ? "ok  " : outcome.kind === "fail" ? "FAIL" : "note";
      io.stdout(`  ${tag}  ${outcome.line}\n`);
      return outcome;
    };
    io.stdout(`keykit verify ${args.name}: published slot ${entry.active} in ${args.rotationState}\n`);
    const proofs: SlotProof[] = [];
    const works = await proveWorks(args, io, {
      entry,
      state,
      get,
      report,
      timing: timingOf(args, deps),
      stores: deps.stores,
    });
    if (works) proofs.push(works);
    const gone = await proveGone(args, io, entry, get, report);
    if (gone) proofs.push(gone);
    await record(args, io, deps, proofs);
    io.stdout(failed === 0 ? `verified: ${args.name}\n` : `not verified: ${failed} check(s) failed\n`);
    return failed === 0 ? EXIT_OK : EXIT_FINDINGS;
  };
}

interface WorksContext {
  readonly entry: KeyRotationEntry;
  readonly state: StateFacts | undefined;
  readonly get: HttpGet;
  readonly report: Report;
  readonly timing: Timing;
  readonly stores?: StoreOverrides;
}

/** The document, its slot, its resource in the state, and an authenticated request: a "works" proof if all hold. */
async function proveWorks(args: VerifyArgs, io: CliIo, ctx: WorksContext): Promise<SlotProof | undefined> {
  const { entry, state, report } = ctx;
  const doc = await readDocument(args, io, ctx, report);
  if (!doc) return undefined;
  let proven = report(slotCheck(doc, entry, args.rotationState)).kind === "ok";
  const stateKey = state?.keys.get(doc.keyId);
  if (state && report(stateCheck(doc, stateKey, entry, args.state as string)).kind !== "ok") proven = false;
  const target = probeTarget(args, io, state, stateKey);
  if (report(await probeCredentials(target, doc, ctx.get, ctx.timing)).kind !== "ok") return undefined;
  const probe = probeUrl(target);
  if (!proven || "kind" in probe) return undefined;
  const document = recordable(doc.from);
  const record = entry.slots[entry.active];
  return {
    slot: entry.active,
    status: "active",
    since: record?.activatedAt,
    verification: {
      proved: "works",
      keyId: doc.keyId,
      by: probeDescription(probe.what, probe.url, 200),
      ...(document !== undefined ? { document } : {}),
    },
  };
}

async function proveGone(
  args: VerifyArgs,
  io: CliIo,
  entry: KeyRotationEntry,
  get: HttpGet,
  report: Report,
): Promise<SlotProof | undefined> {
  const outcome = await goneCheck(args, io, entry, get);
  if (!outcome || report(outcome).kind !== "ok" || args.retiredKeyId === undefined) return undefined;
  const slot = otherSlot(entry.active);
  const url = joinUrl(cloudUrl(args, io), `iam/v2/api-keys/${encodeURIComponent(args.retiredKeyId)}`);
  return {
    slot,
    status: "retired",
    since: entry.slots[slot]?.retiredAt,
    // The line says which answer (404 or 403) proved it.
    verification: {
      proved: "gone",
      keyId: args.retiredKeyId,
      by: recordable(outcome.line) ?? probeDescription("Cloud API", url, 404),
    },
  };
}

/** Writes the proofs (under the state file's lock) and says what was recorded, one line each. */
async function record(args: VerifyArgs, io: CliIo, deps: VerifyDependencies, proofs: readonly SlotProof[]) {
  const shown = args.rotationState;
  if (proofs.length === 0) {
    io.stdout(
      `  note  nothing recorded in ${shown}: no check proved a slot (finish needs a recorded proof, or --state)\n`,
    );
    return;
  }
  const at = (deps.clock ?? (() => new Date()))().toISOString();
  const outcomes = await recordProofs(proofs, {
    path: resolve(io.cwd, shown),
    shownAs: shown,
    name: args.name,
    at,
    lockWaitMs: deps.lockWaitMs,
    onNote: (note) => io.stderr(formatErrorLine(note)),
  });
  for (const { proof, recorded } of outcomes) {
    const what =
      proof.verification.proved === "works"
        ? `slot ${proof.slot} works (key ${proof.verification.keyId})`
        : `retired slot ${proof.slot} is gone (key ${proof.verification.keyId})`;
    io.stdout(
      recorded
        ? `  ok    recorded in ${shown}: ${what}, verifiedAt ${at}\n`
        : `  note  not recorded: ${what}, but ${shown} changed while verifying (run verify again)\n`,
    );
  }
}

export const run: Command = createVerifyCommand();

function readEntry(args: VerifyArgs, cwd: string): KeyRotationEntry {
  const path = resolve(cwd, args.rotationState);
  if (!existsSync(path)) throw new KeykitCliError(`--rotation-state: ${args.rotationState}: no such file`);
  try {
    const state = readRotationStateFile(path, args.rotationState);
    if (!state.keys[args.name])
      throw new KeykitCliError(`verify: '${args.name}' has no rotation in ${args.rotationState}`, EXIT_FINDINGS);
    return entryFor(state, args.name);
  } catch (error) {
    if (error instanceof RotationStateError) throw new KeykitCliError(error.message.split("\n")[0]);
    throw error;
  }
}

async function readDocument(
  args: VerifyArgs,
  io: CliIo,
  { get, stores }: Pick<WorksContext, "get" | "stores">,
  report: (o: ProbeOutcome) => void,
): Promise<PublishedDocument | undefined> {
  try {
    const sink = args.sink;
    const doc =
      sink.kind === "output"
        ? readOutputDocument(sink.file, sink.outputName, io.cwd)
        : sink.kind === "aws"
          ? await readAwsDocument(awsLocation(sink, io))
          : sink.kind === "vault"
            ? await readVaultDocument(vaultLocation(sink, io), get)
            : await readStoreDocument(sink, io.env, stores);
    const slot = doc.slot ? `, slot ${doc.slot}` : "";
    report({ kind: "ok", line: `published document: ${doc.from} (key_id ${doc.keyId}${slot})` });
    return doc;
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    report({ kind: "fail", line: `published document: ${error.message}` });
    return undefined;
  }
}

function vaultLocation(sink: Extract<VerifyArgs["sink"], { kind: "vault" }>, io: CliIo) {
  const address = io.env.VAULT_ADDR;
  const token = io.env.VAULT_TOKEN;
  if (!address || !token)
    throw new KeykitCliError("the Vault sink needs VAULT_ADDR and VAULT_TOKEN in the environment");
  return { mount: sink.mount, name: sink.secretName, address, token, namespace: io.env.VAULT_NAMESPACE || undefined };
}

/** Credentials from the command's environment when it has them (tests, CI); otherwise the SDK's default chain. */
function awsLocation(sink: Extract<VerifyArgs["sink"], { kind: "aws" }>, io: CliIo): AwsLocation {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = io.env;
  return {
    secretId: sink.secretId,
    endpoint: sink.endpoint,
    region: sink.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION,
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
  };
}

function slotCheck(doc: PublishedDocument, entry: KeyRotationEntry, file: string): ProbeOutcome {
  if (doc.slot === undefined)
    return { kind: "fail", line: `slot: the published document names no slot (a blue/green key's document has one)` };
  if (doc.slot !== entry.active)
    return {
      kind: "fail",
      line: `slot: the document publishes the ${doc.slot} slot but ${file} says ${entry.active} is active: apply the configuration`,
    };
  return { kind: "ok", line: `slot: ${doc.slot} is the active slot in ${file}` };
}

function stateCheck(
  doc: PublishedDocument,
  key: StateKey | undefined,
  entry: KeyRotationEntry,
  file: string,
): ProbeOutcome {
  if (!key) return { kind: "fail", line: `state: key_id ${doc.keyId} is no confluent_api_key in ${file}` };
  if (!key.displayName?.endsWith(`(${entry.active})`))
    return {
      kind: "fail",
      line: `state: key_id ${doc.keyId} is ${key.address}, which is not the ${entry.active} slot`,
    };
  return { kind: "ok", line: `state: key_id ${doc.keyId} is ${key.address}, the ${entry.active} slot` };
}

function probeTarget(
  args: VerifyArgs,
  io: CliIo,
  state: StateFacts | undefined,
  key: StateKey | undefined,
): ProbeTarget {
  const scope = args.scope ?? key?.scope;
  if (scope === undefined) throw new KeykitCliError("verify needs --scope (or --state, where the key's scope is read)");
  const cluster = args.cluster ?? key?.resourceId;
  const fromState = cluster !== undefined ? state?.restEndpoints.get(cluster) : undefined;
  return {
    scope,
    clusterId: cluster,
    restEndpoint: args.restEndpoint ?? (scope === "kafka" ? fromState : undefined),
    schemaRegistryEndpoint: args.schemaRegistryEndpoint ?? (scope === "schema-registry" ? fromState : undefined),
    cloudEndpoint: cloudUrl(args, io),
    flinkEndpoint: args.flinkEndpoint,
    organizationId: args.organization,
    environmentId: args.environment ?? key?.environmentId,
  };
}

function cloudUrl(args: VerifyArgs, io: CliIo): string {
  return args.baseUrl ?? io.env.CONFLUENT_CLOUD_BASE_URL ?? DEFAULT_CLOUD_URL;
}

/** After `finish` the retired slot must be gone; while rotating, the retained slot is still needed. */
async function goneCheck(args: VerifyArgs, io: CliIo, entry: KeyRotationEntry, get: HttpGet) {
  const old = entry.slots[otherSlot(entry.active)];
  if (!old || old.status === "active") return undefined;
  if (old.status === "retained")
    return {
      kind: "none",
      line: `the ${otherSlot(entry.active)} slot is retained (rotation under way): the gone check runs after finish`,
    } as const;
  if (args.retiredKeyId === undefined)
    throw new KeykitCliError(
      "after finish, verify needs --retired-key-id <id of the retired slot's key> for the gone check",
    );
  const apiKey = io.env.CONFLUENT_CLOUD_API_KEY;
  const apiSecret = io.env.CONFLUENT_CLOUD_API_SECRET;
  if (!apiKey || !apiSecret)
    throw new KeykitCliError(
      "the gone check needs CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET (a Cloud API key)",
    );
  return checkKeyGone(args.retiredKeyId, cloudUrl(args, io), { keyId: apiKey, secret: apiSecret }, get);
}

function timingOf(args: VerifyArgs, deps: VerifyDependencies): Timing {
  return {
    waitMs: args.waitMs,
    sleep: deps.timing?.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))),
    now: deps.timing?.now ?? Date.now,
    baseDelayMs: deps.timing?.baseDelayMs ?? 2000,
    maxDelayMs: deps.timing?.maxDelayMs ?? 30_000,
  };
}
