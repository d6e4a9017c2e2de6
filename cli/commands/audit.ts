/**
 * `keykit audit`: compares what exists in Confluent Cloud (CLI exports, Cloud API list pages, or --live) with the
 * configuration (cdk.tf.json / state / plan) and the rotation-state file, reports findings with the same rules
 * model, acknowledgements and reporters as `keykit check`, and optionally writes a reviewable cleanup script.
 */
import { resolve } from "node:path";
import { DurableWriteError, refuseOverwritingInputs, writeFileDurable } from "../durable-write";
import { AUDIT_USAGE, parseAuditArgs } from "../audit/args";
import { loadProjectDefaults } from "../config";
import { loadAuditLogs, loadDesiredState, loadRotationSlots, pathExists, readInputFile } from "../audit/config";
import { DEFAULT_BASE_URL, fetchLiveInventory, type LiveOptions } from "../audit/live";
import { EXIT_FINDINGS, EXIT_OK, KeykitCliError, displayUrl } from "../errors";
import { type CliIo, type Command, useColor } from "../io";
import {
  AcknowledgementsFileError,
  type FileAcknowledgement,
  parseAcknowledgementsFile,
} from "../../policies/acknowledgements";
import { evaluate } from "../../policies/engine";
import { AUDIT_LOG_RETENTION_DAYS, type AuditLogUsage, spanDays } from "../../policies/inventory/audit-log";
import { buildAuditModel, type DesiredState } from "../../policies/inventory/audit-model";
import { isoTime } from "../../policies/inventory/describe";
import { renderCleanupScript } from "../../policies/inventory/cleanup";
import { InventoryInputError, loadInventory } from "../../policies/inventory/exports";
import { InputError, parseJsonText } from "../../policies/loaders/util";
import type { Inventory } from "../../policies/inventory/types";
import { findingsAtOrAbove } from "../../policies/report";
import { formatReport } from "../../policies/reporters";
import { AUDIT_RULES } from "../../policies/rules/audit";
import { KIT_RULE_IDS } from "../../policies/rules/catalogue";
import { DEFAULT_ROTATION_STATE_FILE } from "../../policies/rotation-state";
import { sourceRootOf } from "../source-root";

/** Test seam: live-mode settings the CLI does not expose (backoff delays, timeouts). */
export interface AuditDependencies {
  readonly live?: Partial<
    Pick<
      LiveOptions,
      | "sleep"
      | "baseDelayMs"
      | "maxDelayMs"
      | "timeoutMs"
      | "maxRetries"
      | "pageSize"
      | "maxPages"
      | "maxBodyBytes"
      | "retryBudgetMs"
    >
  >;
}

export function createAuditCommand(deps: AuditDependencies = {}): Command {
  return async (argv, io) => {
    const defaults = loadProjectDefaults(io);
    const args = parseAuditArgs(argv, defaults);
    if (args.help) {
      io.stdout(AUDIT_USAGE);
      return EXIT_OK;
    }
    const now = args.now ?? new Date();
    const inventory = args.live
      ? await liveInventory(
          args.baseUrl,
          io,
          args.maxPages !== undefined ? { ...deps, live: { ...deps.live, maxPages: args.maxPages } } : deps,
        )
      : fileInventory(args.inventory, io.cwd);
    const desired: DesiredState & { readonly notes: readonly string[] } =
      args.config.length > 0
        ? loadDesiredState(args.config, io.cwd)
        : { sources: [], keys: [], serviceAccounts: [], grantPrincipals: [], notes: [] };
    // Like `keykit check`: the default rotation-state file is optional, an explicit one must exist.
    if (args.rotationState !== undefined && !pathExists(args.rotationState, io.cwd)) {
      throw new KeykitCliError(`audit: ${args.rotationState}: no such file`);
    }
    const rotationFile = args.rotationState ?? DEFAULT_ROTATION_STATE_FILE;
    const rotationSlots = loadRotationSlots(rotationFile, io.cwd);
    // Like `keykit check`: the central acknowledgements file is read by default when present.
    const ackFiles =
      args.acknowledgements.length > 0
        ? args.acknowledgements
        : pathExists(DEFAULT_ACKNOWLEDGEMENTS_FILE, io.cwd)
          ? [DEFAULT_ACKNOWLEDGEMENTS_FILE]
          : [];
    const acknowledgements = ackFiles.flatMap((file) => readAcknowledgements(file, io.cwd));
    const auditLog = args.auditLog.length > 0 ? await loadAuditLogs(args.auditLog, io.cwd) : undefined;

    const source = args.live
      ? `live ${displayUrl(args.baseUrl ?? io.env.CONFLUENT_CLOUD_BASE_URL ?? DEFAULT_BASE_URL)}`
      : args.inventory.join(", ");
    const base = buildAuditModel(inventory, desired, rotationSlots, {
      now,
      maxAgeDays: args.maxAgeDays,
      source,
      tier: args.tier,
      auditLog,
      unusedDays: args.unusedDays,
    });
    const model = {
      ...base,
      notes: [
        ...auditNotes(inventory, desired, rotationSlots.length > 0 ? rotationFile : undefined),
        ...(auditLog ? auditLogNotes(auditLog, args.unusedDays, now) : []),
      ],
    };
    const rules = AUDIT_RULES.filter((r) => !defaults.skipRules.includes(r.id));
    const report = evaluate(model, rules, acknowledgements, {
      now,
      maxAgeDays: args.maxAgeDays,
      knownRuleIds: KIT_RULE_IDS,
    });

    const text = formatReport(report, args.format, rules, {
      command: "audit",
      cwd: io.cwd,
      sourceRoot: sourceRootOf(args.sourceRoot, io.cwd, "audit"),
      failOn: args.failOn,
      quiet: args.quiet,
      color: args.output === undefined && useColor(io),
    });
    const inputFiles = [...args.inventory, ...args.config, ...ackFiles, rotationFile];
    if (args.output !== undefined) writeOutput(args.output, io.cwd, text, inputFiles);
    else io.stdout(text);

    if (args.emitCleanup !== undefined) {
      const inputs = [
        `inventory: ${source}`,
        ...desired.sources.map((s) => `configuration: ${s}`),
        ...(auditLog?.files ?? []).map((f) => `audit log: ${f}`),
      ];
      writeOutput(args.emitCleanup, io.cwd, renderCleanupScript(model, report, inputs), inputFiles, 0o755);
    }
    const failing = findingsAtOrAbove(report, args.failOn);
    if (failing.length > 0 && args.output !== undefined) {
      const ids = [...new Set(failing.map((f) => f.ruleId))].join(", ");
      io.stderr(`keykit: ${failing.length} finding(s) at or above ${args.failOn}: ${ids} (report in ${args.output})\n`);
    }
    return failing.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  };
}

export const run: Command = createAuditCommand();

export const DEFAULT_ACKNOWLEDGEMENTS_FILE = "keykit.acknowledgements.json";

/** A report or the cleanup script: durable, never over one of the run's inputs; a script is made executable. */
function writeOutput(file: string, cwd: string, text: string, inputs: readonly string[], mode?: number): void {
  try {
    const target = resolve(cwd, file);
    refuseOverwritingInputs(cwd, file, inputs);
    writeFileDurable(target, text, {
      shownAs: file,
      createDirectories: true,
      ...(mode !== undefined ? { mode, forceMode: true } : {}),
    });
  } catch (error) {
    if (error instanceof DurableWriteError) throw new KeykitCliError(`audit: ${error.message}`);
    throw error;
  }
}

function fileInventory(files: readonly string[], cwd: string): Inventory {
  try {
    return loadInventory(files.map((file) => ({ file, text: readInputFile(file, cwd) })));
  } catch (error) {
    if (error instanceof InventoryInputError) throw new KeykitCliError(error.message);
    throw error;
  }
}

async function liveInventory(baseUrl: string | undefined, io: CliIo, deps: AuditDependencies): Promise<Inventory> {
  const apiKey = io.env.CONFLUENT_CLOUD_API_KEY;
  const apiSecret = io.env.CONFLUENT_CLOUD_API_SECRET;
  if (!apiKey || !apiSecret) {
    throw new KeykitCliError(
      "--live needs CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET (a Cloud API key) in the environment",
    );
  }
  let drawn = false;
  try {
    return await fetchLiveInventory({
      baseUrl: baseUrl ?? io.env.CONFLUENT_CLOUD_BASE_URL ?? DEFAULT_BASE_URL,
      apiKey,
      apiSecret,
      ...deps.live,
      // A progress line only on a terminal: logs and CI output stay clean.
      onProgress: io.isTty
        ? (message) => {
            drawn = true;
            io.stderr(`\r\x1b[2Kkeykit: ${message}`);
          }
        : undefined,
    });
  } finally {
    if (drawn) io.stderr("\r\x1b[2K");
  }
}

function readAcknowledgements(file: string, cwd: string): FileAcknowledgement[] {
  const text = readInputFile(file, cwd);
  try {
    return parseAcknowledgementsFile(parseJsonText(text, file), file);
  } catch (error) {
    if (error instanceof InputError) throw new KeykitCliError(error.message);
    if (error instanceof AcknowledgementsFileError) throw new KeykitCliError(`${file}: ${error.message}`);
    throw error;
  }
}

/** What the report should say about inputs (and about checks that could not run). */
function auditNotes(
  inventory: Inventory,
  desired: DesiredState & { readonly notes: readonly string[] },
  rotationFile: string | undefined,
): string[] {
  const notes: string[] = [];
  for (const source of desired.sources) notes.push(`configuration: ${source}`);
  notes.push(...desired.notes); // what the --config search found but could not read (HCL roots)
  if (rotationFile) notes.push(`rotation state: ${rotationFile}`);
  notes.push(
    `inventory: ${inventory.apiKeys.length} API key(s), ${inventory.serviceAccounts.length} service account(s)`,
  );
  if (desired.sources.length === 0)
    notes.push("no --config given: unmanaged keys (KK101) and drift (KK104) were not checked");
  if (!inventory.listedServiceAccounts)
    notes.push("no service-account list given: orphaned keys (KK102) were not checked");
  if (!inventory.listedApiKeys)
    notes.push("no API-key list given: unused service accounts (KK008) and drift (KK104) were not checked");
  return notes;
}

/** What the audit logs covered, and what that coverage allows the audit to say. */
function auditLogNotes(usage: AuditLogUsage, unusedDays: number, now: Date): string[] {
  const keys = `${usage.authentications} authentication record(s) for ${usage.keys.size} key id(s)`;
  const files = `audit log: ${usage.files.join(", ")}`;
  const notes: string[] = [];
  if (usage.earliest === undefined || usage.latest === undefined) {
    notes.push(`${files}: no record with a time: no usage could be judged`);
  } else {
    const days = spanDays(usage.earliest, usage.latest);
    notes.push(
      `${files}: ${keys}, ${isoTime(usage.earliest)} to ${isoTime(usage.latest)} ` +
        `(${days} days of the ${unusedDays} needed to call a key unused; Confluent keeps audit logs ` +
        `${AUDIT_LOG_RETENTION_DAYS} days unless they are replicated)`,
    );
    if (days < unusedDays)
      notes.push(
        `audit-log coverage is ${days} days of ${unusedDays}: no key is called unused; replicate the audit log ` +
          "(or export it daily) to cover more",
      );
    const behind = spanDays(usage.latest, now.getTime());
    if (behind >= 1) notes.push(`the audit log ends ${behind} days before the evaluation time: later usage is unknown`);
  }
  if (usage.ignored > 0)
    notes.push(`${usage.ignored} audit-log record(s) without a time or a well-formed key id were ignored`);
  return notes;
}
