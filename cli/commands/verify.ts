/**
 * `keykit verify <rotation-name>`: proves what a rotation step claims — the published credentials work (and are
 * the active slot's, and a wrong secret for the same key id is refused), and after `finish` the retired slot is
 * gone — one line per check. What it proved (`keyId`, `verifiedAt`, `verification`: key id, endpoint and its source,
 * check) or which check failed (`failedVerify`) is recorded on the slot in the rotation-state file, under its lock;
 * the gates of `rotate finish` and the audit's cleanup script read it. Credentials go only to endpoints the operator
 * named or the state resource defining them records (cli/verify/endpoints.ts), and nothing is sent before the name,
 * the retired key id and each endpoint are checked.
 */
import { existsSync } from "node:fs";
import { kernelPath } from "../../policies/loaders/read-input-file";
import { refuseStateFileOntoInputs } from "../locked-state-file";
import { discoverDeclaredKeys } from "./rotate";
import { EXIT_FINDINGS, EXIT_OK, KeykitCliError, formatErrorLine } from "../errors";
import type { CliIo, Command } from "../io";
import { CONFIG_FILE, loadProjectDefaults } from "../config";
import { parseVerifyArgs, VERIFY_USAGE, type VerifyArgs } from "../verify/args";
import { type AwsLocation, readAwsDocument } from "../verify/aws";
import { DocumentError, type PublishedDocument, readOutputDocument, readVaultDocument } from "../verify/document";
import { checkedEndpoint, type Endpoint, stateEndpoint } from "../verify/endpoints";
import { type HttpGet, httpGet, joinUrl, originOf } from "../verify/http";
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
import { findSlotKey, readStateFacts, type StateFacts, type StateKey } from "../verify/state";
import {
  entryFor,
  initialEntry,
  type KeyRotationEntry,
  MAX_RECORDED_TEXT,
  otherSlot,
  type SlotName,
  RotationStateError,
  readRotationStateFile,
} from "../../policies/rotation-state";

/** Test seams: the HTTP client and its deadline, the clock of the 401/403 backoff, the clock of records, the lock wait. */
export interface VerifyDependencies {
  readonly get?: HttpGet;
  /** Per request (headers and body): the default is the client's (30 s). */
  readonly timeoutMs?: number;
  readonly timing?: Partial<Omit<Timing, "waitMs">>;
  readonly clock?: () => Date;
  readonly lockWaitMs?: number;
  readonly stores?: StoreOverrides;
}

export const DEFAULT_CLOUD_URL = "https://api.confluent.cloud";

type Report = (outcome: ProbeOutcome) => ProbeOutcome;

export function createVerifyCommand(deps: VerifyDependencies = {}): Command {
  return async (argv, io) => {
    const defaults = loadProjectDefaults(io);
    const args = parseVerifyArgs(argv, defaults);
    if (args === "help") {
      io.stdout(VERIFY_USAGE);
      return EXIT_OK;
    }
    refuseStateFileOntoInputs(
      io.cwd,
      args.rotationState,
      [args.state, args.sink.kind === "output" ? args.sink.file : undefined],
      "verify",
    );
    const client = deps.get ?? httpGet;
    const get: HttpGet = deps.timeoutMs === undefined ? client : (r) => client({ timeoutMs: deps.timeoutMs, ...r });
    // Everything that can refuse the run does so before the first request: the name, the state, the retired id.
    const entry = readEntry(args, io.cwd);
    const state = args.state !== undefined ? readStateFacts(args.state, io.cwd) : undefined;
    const retiredKeyId = checkRetiredKeyId(args, entry, state);
    let failed = 0;
    const report: Report = (outcome) => {
      if (outcome.kind === "usage") throw new KeykitCliError(`verify: ${outcome.line}`);
      if (outcome.kind === "fail") failed++;
      const tag = outcome.kind === "ok" ? "ok  " : outcome.kind === "fail" ? "FAIL" : "note";
      io.stdout(`  ${tag}  ${outcome.line}\n`);
      return outcome;
    };
    io.stdout(`keykit verify ${args.name}: published slot ${entry.active} in ${args.rotationState}\n`);
    const findings: SlotProof[] = [];
    const works = await proveWorks(args, io, {
      entry,
      state,
      configured: defaults.verifyEndpoints,
      get,
      report,
      timing: timingOf(args, deps),
      stores: deps.stores,
    });
    if (works) findings.push(works);
    const gone = await proveGone(args, io, { entry, get, report, retiredKeyId });
    if (gone) findings.push(gone);
    await record(args, io, deps, findings, entry);
    io.stdout(failed === 0 ? `verified: ${args.name}\n` : `not verified: ${failed} check(s) failed\n`);
    return failed === 0 ? EXIT_OK : EXIT_FINDINGS;
  };
}

interface WorksContext {
  readonly entry: KeyRotationEntry;
  readonly state: StateFacts | undefined;
  /** keykit.config.json `verify.endpoints`. */
  readonly configured: ReadonlyMap<string, string> | undefined;
  readonly get: HttpGet;
  readonly report: Report;
  readonly timing: Timing;
  readonly stores?: StoreOverrides;
}

/**
 * The document, its slot, its resource in the state, an authenticated request and its wrong-secret control: a
 * "works" proof if all hold, a recorded failure of the published slot if a check failed, nothing if no check ran.
 */
async function proveWorks(args: VerifyArgs, io: CliIo, ctx: WorksContext): Promise<SlotProof | undefined> {
  const { entry, state } = ctx;
  let firstFailure: string | undefined;
  const report: Report = (outcome) => {
    if (outcome.kind === "fail") firstFailure ??= outcome.line;
    return ctx.report(outcome);
  };
  const slot = entry.active;
  const since = entry.slots[slot]?.activatedAt;
  const failure = (keyId?: string): SlotProof | undefined =>
    firstFailure === undefined ? undefined : failureProof(slot, "active", since, firstFailure, keyId);
  const doc = await readDocument(args, io, ctx, report);
  if (!doc) return failure();
  let proven = report(slotCheck(doc, entry, args.rotationState)).kind === "ok";
  const stateKey = state?.keys.get(doc.keyId);
  const stateConfirms =
    state !== undefined && report(stateCheck(doc, stateKey, entry, args.state as string)).kind === "ok";
  if (state && !stateConfirms) proven = false;
  const target = probeTarget(args, io, { state, configured: ctx.configured }, stateKey);
  const endpoint = scopeEndpoint(target);
  if (endpoint) {
    checkedEndpoint(endpoint.what, endpoint, args.allowHttp);
    report({ kind: "none", line: `endpoint: ${endpoint.what} ${originOf(endpoint.url)}, from ${endpoint.from}` });
  }
  const knownFrom = stateConfirms ? `--state ${args.state}` : undefined;
  const outcome = report(await probeCredentials(target, doc, ctx.get, ctx.timing, knownFrom));
  const probe = probeUrl(target);
  if (!proven || outcome.kind !== "ok" || outcome.control === undefined || "kind" in probe) return failure(doc.keyId);
  const document = recordable(doc.from);
  return {
    slot,
    status: "active",
    since,
    verification: {
      proved: "works",
      keyId: doc.keyId,
      endpoint: originOf(probe.url),
      ...(recordable(probe.from ?? "") !== undefined ? { endpointFrom: probe.from } : {}),
      by: withControl(probeDescription(probe.what, probe.url, 200), outcome.control),
      control: outcome.control,
      ...(document !== undefined ? { document } : {}),
    },
  };
}

/** "…: 200, a wrong secret 401": the check and its negative control in one recorded line. */
function withControl(description: string, control: number): string {
  return recordable(`${description}, a wrong secret ${control}`) ?? description;
}

function failureProof(
  slot: SlotName,
  status: SlotProof["status"],
  since: string | undefined,
  line: string,
  keyId: string | undefined,
): SlotProof {
  // The line is kit text (ids, origins, statuses); cut to what the file accepts.
  const failed = recordable(line) ?? recordable(`${line.slice(0, MAX_RECORDED_TEXT - 1)}…`) ?? "a check failed";
  return { slot, status, since, failure: { ...(keyId !== undefined ? { keyId } : {}), failed } };
}

interface GoneContext {
  readonly entry: KeyRotationEntry;
  readonly get: HttpGet;
  readonly report: Report;
  readonly retiredKeyId: string | undefined;
}

async function proveGone(args: VerifyArgs, io: CliIo, ctx: GoneContext): Promise<SlotProof | undefined> {
  const { entry, retiredKeyId } = ctx;
  const outcome = await goneCheck(args, io, entry, ctx.get, retiredKeyId);
  if (!outcome) return undefined;
  const kind = ctx.report(outcome).kind;
  const slot = otherSlot(entry.active);
  const since = entry.slots[slot]?.retiredAt;
  if (retiredKeyId === undefined) return undefined;
  if (kind === "fail") return failureProof(slot, "retired", since, outcome.line, retiredKeyId);
  if (kind !== "ok") return undefined;
  const cloud = cloudEndpoint(args, io);
  const url = joinUrl(cloud.url, `iam/v2/api-keys/${encodeURIComponent(retiredKeyId)}`);
  return {
    slot,
    status: "retired",
    since,
    // The line says which answer (404 or 403) proved it.
    verification: {
      proved: "gone",
      keyId: retiredKeyId,
      endpoint: originOf(url),
      endpointFrom: cloud.from,
      by: recordable(outcome.line) ?? probeDescription("Cloud API", url, 404),
    },
  };
}

/** Writes the proofs and failures (under the state file's lock) and says what was recorded, one line each. */
async function record(
  args: VerifyArgs,
  io: CliIo,
  deps: VerifyDependencies,
  findings: readonly SlotProof[],
  seen: KeyRotationEntry,
) {
  const shown = args.rotationState;
  if (findings.length === 0) {
    io.stdout(`  note  nothing recorded in ${shown}: no check proved a slot (finish needs a recorded proof)\n`);
    return;
  }
  const at = (deps.clock ?? (() => new Date()))().toISOString();
  const outcomes = await recordProofs(findings, {
    path: kernelPath(shown, io.cwd),
    shownAs: shown,
    name: args.name,
    at,
    lockWaitMs: deps.lockWaitMs,
    onNote: (note) => io.stderr(formatErrorLine(note)),
    // A key in its initial state had no entry when verify read the file: its first proof creates it.
    initial: seen.rotations === 0 && Object.keys(seen.slots).length === 1 ? seen : undefined,
  });
  for (const { proof, recorded } of outcomes) {
    const what = describeFinding(proof);
    io.stdout(
      recorded
        ? `  ${proof.failure ? "note" : "ok  "}  recorded in ${shown}: ${what}, ${proof.failure ? "failedVerify.at" : "verifiedAt"} ${at}\n`
        : `  note  not recorded: ${what}, but ${shown} changed while verifying (run verify again)\n`,
    );
  }
}

function describeFinding(proof: SlotProof): string {
  if (proof.failure) {
    const key = proof.failure.keyId !== undefined ? ` (key ${proof.failure.keyId})` : "";
    const blocks = proof.status === "active" ? ": finish stays refused until a verify succeeds" : "";
    return `the verify of slot ${proof.slot} failed${key}${blocks}`;
  }
  return proof.verification.proved === "works"
    ? `slot ${proof.slot} works (key ${proof.verification.keyId})`
    : `retired slot ${proof.slot} is gone (key ${proof.verification.keyId})`;
}

export const run: Command = createVerifyCommand();

/**
 * The key's rotation entry. A key that never rotated may have no entry yet (the file is written by the first
 * `rotate start`): a BlueGreenApiKey declared in the synthesized output (`cdktf.out`) is in its initial state, blue
 * published. A name known to neither is refused before anything is read from a store or sent.
 */
function readEntry(args: VerifyArgs, cwd: string): KeyRotationEntry {
  const path = kernelPath(args.rotationState, cwd);
  const exists = existsSync(path);
  try {
    const state = exists ? readRotationStateFile(path, args.rotationState) : undefined;
    // An own entry only: a name like "constructor" is an ordinary name, not an inherited property.
    if (state && Object.hasOwn(state.keys, args.name)) return entryFor(state, args.name);
  } catch (error) {
    if (error instanceof RotationStateError) throw new KeykitCliError(error.message.split("\n")[0]);
    throw error;
  }
  if (declaredInCode(args.name, cwd)) return initialEntry();
  if (!exists) throw new KeykitCliError(`--rotation-state: ${args.rotationState}: no such file`);
  throw new KeykitCliError(
    `verify: '${args.name}' has no rotation in ${args.rotationState} and no BlueGreenApiKey with that rotationName in ${DEFAULT_SYNTH_DIR}`,
    EXIT_FINDINGS,
  );
}

/** Where verify looks for keys declared in code but not rotated yet: the framework's default output directory. */
const DEFAULT_SYNTH_DIR = "cdktf.out";

function declaredInCode(name: string, cwd: string): boolean {
  return discoverDeclaredKeys(DEFAULT_SYNTH_DIR, cwd).has(name);
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
          ? await readAwsDocument(awsLocation(sink, io, args.allowHttp))
          : sink.kind === "vault"
            ? await readVaultDocument(vaultLocation(sink, io, args.allowHttp), get)
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

function vaultLocation(sink: Extract<VerifyArgs["sink"], { kind: "vault" }>, io: CliIo, allowHttp: boolean) {
  const address = io.env.VAULT_ADDR;
  const token = io.env.VAULT_TOKEN;
  if (!address || !token)
    throw new KeykitCliError("the Vault sink needs VAULT_ADDR and VAULT_TOKEN in the environment");
  // The token goes there, and the published secret comes back: the same transport rule as every endpoint.
  checkedEndpoint("Vault", { url: address, from: "VAULT_ADDR" }, allowHttp);
  return { mount: sink.mount, name: sink.secretName, address, token, namespace: io.env.VAULT_NAMESPACE || undefined };
}

/** Credentials from the command's environment when it has them (tests, CI); otherwise the SDK's default chain. */
function awsLocation(sink: Extract<VerifyArgs["sink"], { kind: "aws" }>, io: CliIo, allowHttp: boolean): AwsLocation {
  if (sink.endpoint !== undefined)
    checkedEndpoint("Secrets Manager", { url: sink.endpoint, from: "--aws-endpoint" }, allowHttp);
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

/** The probe's target: each endpoint from a flag (or the environment), else from the state resource defining it. */
function probeTarget(
  args: VerifyArgs,
  io: CliIo,
  sources: Pick<WorksContext, "state" | "configured">,
  key: StateKey | undefined,
): ProbeTarget {
  const { state, configured } = sources;
  const scope = args.scope ?? key?.scope;
  if (scope === undefined) throw new KeykitCliError("verify needs --scope (or --state, where the key's scope is read)");
  const cluster = args.cluster ?? (scope === "kafka" ? key?.resourceId : undefined);
  const cloud = cloudEndpoint(args, io);
  // The operator's flag, else the project's keykit.config.json, else the state resource that defines it.
  const endpoint = (flag: string, value: string | undefined, kind: "kafka" | "schema-registry", id?: string) => {
    if (value !== undefined) return { url: value, from: flag };
    const inConfig = id !== undefined ? configured?.get(id) : undefined;
    if (inConfig !== undefined)
      return { url: inConfig, from: `${CONFIG_FILE} verify.endpoints.${id}`, fromInput: true };
    return state !== undefined && id !== undefined ? stateEndpoint(state, kind, id, flag) : undefined;
  };
  const rest = scope === "kafka" ? endpoint("--rest-endpoint", args.restEndpoint, "kafka", cluster) : undefined;
  const registry =
    scope === "schema-registry"
      ? endpoint("--schema-registry-endpoint", args.schemaRegistryEndpoint, "schema-registry", key?.resourceId)
      : undefined;
  const chosen = scope === "kafka" ? rest : scope === "schema-registry" ? registry : undefined;
  return {
    scope,
    clusterId: cluster,
    restEndpoint: rest?.url,
    schemaRegistryEndpoint: registry?.url,
    cloudEndpoint: cloud.url,
    flinkEndpoint: args.flinkEndpoint,
    organizationId: args.organization,
    environmentId: args.environment ?? key?.environmentId,
    endpointFrom: chosen?.from ?? (scope === "flink" ? "--flink-endpoint" : cloud.from),
    endpointFromInput: chosen?.fromInput === true,
  };
}

/** The endpoint the scope's probe sends the key to, with its source; undefined when the scope has no probe. */
function scopeEndpoint(target: ProbeTarget): (Endpoint & { readonly what: string }) | undefined {
  const from = target.endpointFrom ?? "a flag";
  const fromInput = target.endpointFromInput === true;
  switch (target.scope) {
    case "kafka":
      return target.restEndpoint !== undefined
        ? { url: target.restEndpoint, from, fromInput, what: "Kafka REST" }
        : undefined;
    case "schema-registry":
      return target.schemaRegistryEndpoint !== undefined
        ? { url: target.schemaRegistryEndpoint, from, fromInput, what: "Schema Registry" }
        : undefined;
    case "cloud":
    case "global":
      return { url: target.cloudEndpoint, from, what: "Cloud API" };
    case "flink":
      return target.flinkEndpoint !== undefined ? { url: target.flinkEndpoint, from, what: "Flink" } : undefined;
    default:
      return undefined;
  }
}

/** The Cloud API: --base-url, else CONFLUENT_CLOUD_BASE_URL (the operator's environment), else Confluent's. */
function cloudEndpoint(args: VerifyArgs, io: CliIo): Endpoint {
  if (args.baseUrl !== undefined) return { url: args.baseUrl, from: "--base-url" };
  const env = io.env.CONFLUENT_CLOUD_BASE_URL;
  if (env) return { url: env, from: "CONFLUENT_CLOUD_BASE_URL" };
  return { url: DEFAULT_CLOUD_URL, from: "the default" };
}

/**
 * `--retired-key-id` must be the retired slot's key as the rotation record (the slot's key id, or its proof) or
 * `--state` knows it: a mistyped id would prove some other key gone. Refused before anything is sent.
 */
function checkRetiredKeyId(args: VerifyArgs, entry: KeyRotationEntry, state: StateFacts | undefined) {
  const id = args.retiredKeyId;
  const slot = otherSlot(entry.active);
  const record = entry.slots[slot];
  if (id === undefined || record?.status !== "retired") return id;
  const known = new Set<string>();
  if (record.keyId !== undefined) known.add(record.keyId);
  if (record.verification !== undefined) known.add(record.verification.keyId);
  const inState = state !== undefined ? findSlotKey(state, args.name, slot) : undefined;
  const stateId =
    inState !== undefined ? [...(state as StateFacts).keys].find(([, k]) => k === inState)?.[0] : undefined;
  if (stateId !== undefined) known.add(stateId);
  if (known.size === 0)
    throw new KeykitCliError(
      `verify: ${args.rotationState} records no key id for the retired slot ${slot}, so --retired-key-id cannot be checked: give --state <terraform state JSON from before the finish's apply> that holds the slot`,
    );
  if (!known.has(id))
    throw new KeykitCliError(
      `verify: --retired-key-id ${id} is not the retired slot ${slot}'s key (the rotation record or --state knows ${[...known].join(", ")})`,
    );
  return id;
}

/** After `finish` the retired slot must be gone; while rotating, the retained slot is still needed. */
async function goneCheck(
  args: VerifyArgs,
  io: CliIo,
  entry: KeyRotationEntry,
  get: HttpGet,
  retiredKeyId: string | undefined,
) {
  const old = entry.slots[otherSlot(entry.active)];
  if (!old || old.status === "active") return undefined;
  if (old.status === "retained")
    return {
      kind: "none",
      line: `the ${otherSlot(entry.active)} slot is retained (rotation under way): the gone check runs after finish`,
    } as const;
  if (retiredKeyId === undefined)
    throw new KeykitCliError(
      "after finish, verify needs --retired-key-id <id of the retired slot's key> for the gone check",
    );
  const apiKey = io.env.CONFLUENT_CLOUD_API_KEY;
  const apiSecret = io.env.CONFLUENT_CLOUD_API_SECRET;
  if (!apiKey || !apiSecret)
    throw new KeykitCliError(
      "the gone check needs CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET (a Cloud API key)",
    );
  const cloud = checkedEndpoint("Cloud API", cloudEndpoint(args, io), args.allowHttp);
  return checkKeyGone(retiredKeyId, cloud.url, { keyId: apiKey, secret: apiSecret }, get);
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
