/**
 * `keykit audit`: compares what exists in Confluent Cloud (CLI exports, Cloud API list pages, or --live) with the
 * configuration (cdk.tf.json / state / plan) and the rotation-state file, reports findings with the same rules
 * model, acknowledgements and reporters as `keykit check`, and optionally writes a reviewable cleanup script.
 */
import { kernelPath } from "../../policies/loaders/read-input-file";
import {
  DurableWriteError,
  refuseOutputsOntoInputs,
  refuseOverwritingInputs,
  writeFileDurable,
} from "../durable-write";
import { AUDIT_USAGE, type AuditArgs, parseAuditArgs } from "../audit/args";
import { findConfigFile, loadProjectDefaults } from "../config";
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
import {
  AUDIT_LOG_RETENTION_DAYS,
  type AuditLogUsage,
  OLDEST_PLAUSIBLE_RECORD,
  spanDays,
} from "../../policies/inventory/audit-log";
import {
  type AccountEvidence,
  type AuditModel,
  buildAuditModel,
  type DesiredState,
} from "../../policies/inventory/audit-model";
import { accountEvidenceOf } from "../../policies/inventory/account-exports";
import { isoTime } from "../../policies/inventory/describe";
import { renderCleanupScript } from "../../policies/inventory/cleanup";
import { InventoryInputError, loadInventory } from "../../policies/inventory/exports";
import { InputError, parseJsonText } from "../../policies/loaders/util";
import type { Inventory } from "../../policies/inventory/types";
import { type Report, findingsAtOrAbove } from "../../policies/report";
import type { RuleMetadata } from "../../policies/rule";
import { type AuditReportFormat, type ReportOptions, formatReport } from "../../policies/reporters";
import { formatAuditHtml } from "../../policies/reporters/html";
import { buildKeyGraph } from "../../policies/reporters/key-graph";
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
    refuseOutputsOntoRunInputs(args, io.cwd);
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
    const auditLog =
      args.auditLog.length > 0
        ? await loadAuditLogs(args.auditLog, io.cwd, { now: now.getTime(), maxGapMs: args.maxGapHours * 3_600_000 })
        : undefined;
    const accounts = accountExports(args, io.cwd);

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
      accounts,
    });
    const model = {
      ...base,
      notes: [
        ...auditNotes(inventory, desired, rotationSlots.length > 0 ? rotationFile : undefined),
        ...(auditLog ? auditLogNotes(auditLog, args.unusedDays, now) : []),
        ...accountExportNotes(accounts, args.roleBindings),
      ],
    };
    const rules = AUDIT_RULES.filter((r) => !defaults.skipRules.includes(r.id));
    const report = evaluate(model, rules, acknowledgements, {
      skippedRules: AUDIT_RULES.filter((r) => defaults.skipRules.includes(r.id)),
      now,
      maxAgeDays: args.maxAgeDays,
      knownRuleIds: KIT_RULE_IDS,
    });

    const cleanupInputs = [
      `inventory: ${source}`,
      ...desired.sources.map((s) => `configuration: ${s}`),
      ...(auditLog?.files ?? []).map((f) => `audit log: ${f}`),
      ...args.roleBindings.map((f) => `role bindings: ${f}`),
      ...accounts.uses.flatMap((u) => u.files.map((f) => `${u.what} export: ${f}`)),
    ];
    const text = renderAuditReport(report, args.format, rules, model, cleanupInputs, {
      command: "audit",
      cwd: io.cwd,
      sourceRoot: sourceRootOf(args.sourceRoot, io.cwd, "audit"),
      failOn: args.failOn,
      quiet: args.quiet,
      color: args.output === undefined && useColor(io),
    });
    const inputFiles = [...args.inventory, ...args.config, ...ackFiles, rotationFile, ...args.auditLog];
    inputFiles.push(...args.roleBindings, ...args.connectors, ...args.flinkStatements, ...args.ksqldbClusters);
    if (args.output !== undefined) writeOutput(args.output, io.cwd, text, inputFiles);
    else io.stdout(text);

    if (args.emitCleanup !== undefined)
      writeOutput(args.emitCleanup, io.cwd, renderCleanupScript(model, report, cleanupInputs), inputFiles, 0o755);
    const failing = findingsAtOrAbove(report, args.failOn);
    if (failing.length > 0 && args.output !== undefined) {
      const ids = [...new Set(failing.map((f) => f.ruleId))].join(", ");
      io.stderr(`keykit: ${failing.length} finding(s) at or above ${args.failOn}: ${ids} (report in ${args.output})\n`);
    }
    return failing.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  };
}

export const run: Command = createAuditCommand();

/** The audit's report in `format`; Markdown and HTML also draw the key graph, HTML lists the cleanup evidence. */
function renderAuditReport(
  report: Report,
  format: AuditReportFormat,
  rules: readonly RuleMetadata[],
  model: AuditModel,
  inputs: readonly string[],
  options: ReportOptions,
): string {
  if (format === "html") {
    const graph = buildKeyGraph([model], report.findings);
    return formatAuditHtml(report, rules, { model, inputs }, { ...options, graph });
  }
  const graph = format === "markdown" ? { graph: buildKeyGraph([model], report.findings) } : {};
  return formatReport(report, format, rules, { ...options, ...graph });
}

export const DEFAULT_ACKNOWLEDGEMENTS_FILE = "keykit.acknowledgements.json";

/**
 * Before anything is read or fetched: neither the report nor the cleanup script may land on a file this run reads
 * (inventory exports, configurations, acknowledgements, the rotation state, audit logs, keykit.config.json) nor on
 * each other.
 */
function refuseOutputsOntoRunInputs(args: AuditArgs, cwd: string): void {
  const inputs = [
    ...args.inventory,
    ...args.config,
    ...(args.acknowledgements.length > 0 ? args.acknowledgements : [DEFAULT_ACKNOWLEDGEMENTS_FILE]),
    args.rotationState ?? DEFAULT_ROTATION_STATE_FILE,
    ...args.auditLog,
    findConfigFile(cwd),
  ];
  try {
    refuseOutputsOntoInputs(cwd, [args.output, args.emitCleanup], inputs);
  } catch (error) {
    if (error instanceof DurableWriteError) throw new KeykitCliError(`audit: ${error.message}`);
    throw error;
  }
}

/** A report or the cleanup script: durable, never over one of the run's inputs; a script is made executable. */
function writeOutput(file: string, cwd: string, text: string, inputs: readonly string[], mode?: number): void {
  try {
    const target = kernelPath(file, cwd);
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

/** The service-account exports (`--role-bindings`, `--connectors`, …), read like every other input. */
function accountExports(args: AuditArgs, cwd: string): AccountEvidence {
  const read = (files: readonly string[]) => files.map((file) => ({ file, text: readInputFile(file, cwd) }));
  try {
    return accountEvidenceOf({
      roleBindings: read(args.roleBindings),
      uses: [
        { what: "connector", files: read(args.connectors) },
        { what: "Flink statement", files: read(args.flinkStatements) },
        { what: "ksqlDB cluster", files: read(args.ksqldbClusters) },
      ],
    });
  } catch (error) {
    if (error instanceof InventoryInputError) throw new KeykitCliError(error.message);
    throw error;
  }
}

function accountExportNotes(accounts: AccountEvidence, roleBindingFiles: readonly string[]): string[] {
  const notes: string[] = [];
  if (roleBindingFiles.length > 0)
    notes.push(`role bindings: exports for ${accounts.roleBindings.size} service account(s)`);
  for (const use of accounts.uses)
    notes.push(`${use.what} export: ${use.files.join(", ")}: ${use.accounts.size} service account(s) run one`);
  return notes;
}

/** Resources listed one by one in the notes; the rest are counted. */
const COVERAGE_NOTES = 20;

/** What the audit logs covered, per resource, what was set aside, and what that coverage allows the audit to say. */
function auditLogNotes(usage: AuditLogUsage, unusedDays: number, now: Date): string[] {
  const keys = `${usage.authentications} authentication record(s) for ${usage.keys.size} key id(s)`;
  const files = `audit log: ${usage.files.join(", ")}`;
  const notes: string[] = [];
  if (usage.earliest === undefined || usage.latest === undefined) {
    notes.push(`${files}: no record with a trusted time: no usage could be judged`);
  } else {
    notes.push(
      `${files}: ${keys}, ${usage.records} record(s) with a trusted time, ${isoTime(usage.earliest)} to ${isoTime(usage.latest)} ` +
        `(a key needs ${unusedDays} days of unbroken coverage of its own resource to be called unused; Confluent keeps ` +
        `audit logs ${AUDIT_LOG_RETENTION_DAYS} days unless they are replicated)`,
    );
    notes.push(...coverageNotes(usage));
    const behind = spanDays(usage.latest, now.getTime());
    if (behind >= 1) notes.push(`the audit log ends ${behind} days before the evaluation time: later usage is unknown`);
  }
  notes.push(...setAsideNotes(usage));
  if (usage.ignored > 0)
    notes.push(`${usage.ignored} authentication record(s) without a well-formed key id were ignored`);
  return notes;
}

/** "audit-log coverage of kafka lkc-1: 41 days unbroken (…), 1 gap of more than 24 hours, 812 record(s)". */
function coverageNotes(usage: AuditLogUsage): string[] {
  const gapHours = Math.round(usage.maxGapMs / 3_600_000);
  const resources = [...usage.coverage.values()].sort((a, b) =>
    a.kind === b.kind ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.kind < b.kind ? -1 : 1,
  );
  if (resources.length === 0) return ["the audit log speaks for no resource (no record names a Confluent resource)"];
  const notes = resources.slice(0, COVERAGE_NOTES).map((r) => {
    const last = r.starts.length - 1;
    const name = r.kind === "cloud" ? "the Cloud API" : `${r.kind} ${r.id}`;
    const gaps = last > 0 ? `, broken by ${last} silence(s) longer than ${gapHours} hours` : "";
    return (
      `audit-log coverage of ${name}: ${spanDays(r.starts[last], r.ends[last])} days unbroken ` +
      `(${isoTime(r.starts[last])} to ${isoTime(r.ends[last])})${gaps}, ${r.records} record(s)`
    );
  });
  if (resources.length > COVERAGE_NOTES)
    notes.push(`audit-log coverage of ${resources.length - COVERAGE_NOTES} more resource(s) not listed`);
  return notes;
}

/** Records whose time cannot be trusted: counted, with the first one's position, never quoted. */
function setAsideNotes(usage: AuditLogUsage): string[] {
  const notes: string[] = [];
  const add = (set: AuditLogUsage["badTimes"], what: string) => {
    if (set.count === 0) return;
    const first = set.first ? ` (first: ${set.first.file} line ${set.first.line})` : "";
    notes.push(`${set.count} audit-log record(s) ${what} were set aside: they count as no coverage${first}`);
  };
  add(usage.badTimes, "whose time is not a strict RFC 3339 timestamp with a zone");
  add(usage.future, "dated after the evaluation time (beyond 5 minutes of clock skew)");
  add(usage.ancient, `dated before ${isoTime(OLDEST_PLAUSIBLE_RECORD)} (older than any Confluent audit log)`);
  return notes;
}
