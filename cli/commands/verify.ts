/**
 * `keykit verify <rotation-name>`: proves what a rotation step claims — the published credentials work (and are
 * the active slot's), and after `finish` the retired slot is gone — one line per check. It writes nothing yet:
 * recording `verifiedAt` in the rotation-state file comes with the state writer's lock.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { EXIT_FINDINGS, EXIT_OK, KeykitCliError } from "../errors";
import type { CliIo, Command } from "../io";
import { parseVerifyArgs, VERIFY_USAGE, type VerifyArgs } from "../verify/args";
import { type AwsLocation, readAwsDocument } from "../verify/aws";
import { DocumentError, type PublishedDocument, readOutputDocument, readVaultDocument } from "../verify/document";
import { type HttpGet, httpGet } from "../verify/http";
import { checkKeyGone, type ProbeOutcome, type ProbeTarget, probeCredentials, type Timing } from "../verify/probes";
import { type StateFacts, type StateKey, stateFacts } from "../verify/state";
import {
  entryFor,
  type KeyRotationEntry,
  otherSlot,
  RotationStateError,
  readRotationStateFile,
} from "../../policies/rotation-state";

/** Test seams: the HTTP client and the clock of the 401/403 backoff. */
export interface VerifyDependencies {
  readonly get?: HttpGet;
  readonly timing?: Partial<Omit<Timing, "waitMs">>;
}

export const DEFAULT_CLOUD_URL = "https://api.confluent.cloud";

export function createVerifyCommand(deps: VerifyDependencies = {}): Command {
  return async (argv, io) => {
    const args = parseVerifyArgs(argv);
    if (args === "help") {
      io.stdout(VERIFY_USAGE);
      return EXIT_OK;
    }
    const get = deps.get ?? httpGet;
    const entry = readEntry(args, io.cwd);
    const state = args.state !== undefined ? readState(args.state, io.cwd) : undefined;
    const lines: ProbeOutcome[] = [];
    const report = (outcome: ProbeOutcome) => {
      if (outcome.kind === "usage") throw new KeykitCliError(`verify: ${outcome.line}`);
      lines.push(outcome);
      const tag = outcome.kind === "ok" ? "ok  " : outcome.kind === "fail" ? "FAIL" : "note";
      io.stdout(`  ${tag}  ${outcome.line}\n`);
    };
    io.stdout(`keykit verify ${args.name}: published slot ${entry.active} in ${args.rotationState}\n`);
    const doc = await readDocument(args, io, get, report);
    if (doc) {
      report(slotCheck(doc, entry, args.rotationState));
      const stateKey = state?.keys.get(doc.keyId);
      if (state) report(stateCheck(doc, stateKey, entry, args.state as string));
      report(await probeCredentials(probeTarget(args, io, state, stateKey), doc, get, timingOf(args, deps)));
    }
    const gone = await goneCheck(args, io, entry, get);
    if (gone) report(gone);
    const failed = lines.filter((l) => l.kind === "fail").length;
    io.stdout(
      failed === 0
        ? `verified: ${args.name} (not recorded: keykit does not write verifiedAt to the state file yet)\n`
        : `not verified: ${failed} check(s) failed\n`,
    );
    return failed === 0 ? EXIT_OK : EXIT_FINDINGS;
  };
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

function readState(file: string, cwd: string): StateFacts {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(resolve(cwd, file), "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeykitCliError(
      code !== undefined
        ? `${file}: cannot read (${code === "ENOENT" ? "no such file" : code})`
        : `${file}: not valid JSON`,
    );
  }
  return stateFacts(json);
}

async function readDocument(
  args: VerifyArgs,
  io: CliIo,
  get: HttpGet,
  report: (o: ProbeOutcome) => void,
): Promise<PublishedDocument | undefined> {
  try {
    const sink = args.sink;
    const doc =
      sink.kind === "output"
        ? readOutputDocument(sink.file, sink.outputName, io.cwd)
        : sink.kind === "aws"
          ? await readAwsDocument(awsLocation(sink, io))
          : await readVaultDocument(vaultLocation(sink, io), get);
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
