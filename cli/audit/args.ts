/** `keykit audit`'s arguments: its flags are declared in cli/grammar.ts; the cross-flag rules live here. */
import type { ProjectDefaults } from "../config";
import { KeykitCliError } from "../errors";
import { nowFlag, wholeNumberFlag } from "../flag-values";
import { type CommandSpec, commandSpec, parseCommandLine, renderCommandHelp } from "../grammar";
import type { Tier } from "../../policies/metadata";
import { DEFAULT_MAX_GAP_HOURS } from "../../policies/inventory/audit-log";
import { DEFAULT_UNUSED_DAYS } from "../../policies/inventory/audit-model";
import type { FailOn } from "../../policies/report";
import type { AuditReportFormat } from "../../policies/reporters";

export type { FailOn };

const AUDIT_SPEC = commandSpec("audit") as CommandSpec;

export interface AuditArgs {
  readonly help: boolean;
  readonly live: boolean;
  readonly baseUrl?: string;
  /** Pages read per list in live mode before the audit stops. */
  readonly maxPages?: number;
  readonly inventory: readonly string[];
  readonly config: readonly string[];
  readonly rotationState?: string;
  readonly format: AuditReportFormat;
  readonly tier?: Tier;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly acknowledgements: readonly string[];
  readonly emitCleanup?: string;
  readonly maxAgeDays: number;
  readonly now?: Date;
  /** Confluent audit-log exports (JSON lines, array or concatenated objects; gzip accepted). */
  readonly auditLog: readonly string[];
  /** Coverage without a successful authentication that makes a key unused (default 90). */
  readonly unusedDays: number;
  /** A silence longer than this (hours) breaks a resource's audit-log coverage (default 24). */
  readonly maxGapHours: number;
  /** Per-account role-binding exports, and the connector, Flink statement and ksqlDB cluster exports. */
  readonly roleBindings: readonly string[];
  readonly connectors: readonly string[];
  readonly flinkStatements: readonly string[];
  readonly ksqldbClusters: readonly string[];
  /** Text report: only the summary line and the blocking findings. */
  readonly quiet: boolean;
  readonly sourceRoot?: string;
}

export const AUDIT_USAGE = renderCommandHelp(AUDIT_SPEC);

export function parseAuditArgs(argv: readonly string[], defaults: ProjectDefaults = { skipRules: [] }): AuditArgs {
  const line = parseCommandLine(AUDIT_SPEC, argv);
  if (line.positionals.length > 0)
    throw new KeykitCliError(
      `audit: unexpected argument '${line.positionals[0]}' (inventory files go after --inventory)`,
    );
  const single = line.values;
  const list = (flag: string) => line.lists[flag] ?? [];
  const help = line.help;
  const live = line.switches.has("--live");
  const multi = {
    "--inventory": list("--inventory"),
    "--config": list("--config"),
    "--acknowledgements": list("--acknowledgements"),
    "--audit-log": list("--audit-log"),
    "--role-bindings": list("--role-bindings"),
    "--connectors": list("--connectors"),
    "--flink-statements": list("--flink-statements"),
    "--ksqldb-clusters": list("--ksqldb-clusters"),
  };
  // --format, --tier and --fail-on are checked against their choices by the grammar.
  const format = (single["--format"] ?? "text") as AuditReportFormat;
  const tier = single["--tier"] as Tier | undefined;
  const failOn = (single["--fail-on"] ?? defaults.failOn ?? "error") as FailOn;
  const maxAgeDays = wholeDays(single, "--max-age-days", defaults.maxAgeDays ?? 90);
  const unusedDays = wholeDays(single, "--unused-days", DEFAULT_UNUSED_DAYS);
  const maxGapHours =
    single["--max-gap-hours"] !== undefined
      ? wholeNumberFlag("audit", "--max-gap-hours", single["--max-gap-hours"], "hours")
      : DEFAULT_MAX_GAP_HOURS;
  const maxPages =
    single["--max-pages"] !== undefined
      ? wholeNumberFlag("audit", "--max-pages", single["--max-pages"], "pages")
      : undefined;
  const now = single["--now"] !== undefined ? nowFlag("audit", single["--now"]) : undefined;
  const args: AuditArgs = {
    help,
    live,
    baseUrl: single["--base-url"],
    maxPages,
    inventory: multi["--inventory"],
    config: multi["--config"],
    rotationState: single["--rotation-state"] ?? defaults.rotationState,
    format,
    tier,
    output: single["--output"],
    failOn,
    acknowledgements:
      multi["--acknowledgements"].length > 0
        ? multi["--acknowledgements"]
        : defaults.acknowledgements !== undefined
          ? [defaults.acknowledgements]
          : [],
    emitCleanup: single["--emit-cleanup"],
    maxAgeDays,
    now,
    auditLog: multi["--audit-log"],
    unusedDays,
    maxGapHours,
    roleBindings: multi["--role-bindings"],
    connectors: multi["--connectors"],
    flinkStatements: multi["--flink-statements"],
    ksqldbClusters: multi["--ksqldb-clusters"],
    quiet: line.switches.has("--quiet"),
    sourceRoot: single["--source-root"],
  };
  if (help) return args;
  if (!live && args.inventory.length === 0)
    throw new KeykitCliError("audit: needs --inventory <file>... (CLI or API exports) or --live");
  if (live && args.inventory.length > 0)
    throw new KeykitCliError("audit: --live and --inventory are exclusive: the live inventory is complete on its own");
  if (!live && args.baseUrl !== undefined) throw new KeykitCliError("audit: --base-url only applies with --live");
  if (!live && args.maxPages !== undefined) throw new KeykitCliError("audit: --max-pages only applies with --live");
  if (single["--unused-days"] !== undefined && args.auditLog.length === 0)
    throw new KeykitCliError("audit: --unused-days only applies with --audit-log");
  if (single["--max-gap-hours"] !== undefined && args.auditLog.length === 0)
    throw new KeykitCliError("audit: --max-gap-hours only applies with --audit-log");
  if (args.emitCleanup !== undefined && args.config.length === 0) {
    throw new KeykitCliError(
      "audit: --emit-cleanup needs --config: keys the configuration manages must never be deleted behind its back",
    );
  }
  return args;
}

/** A whole number of days from a flag, or the default. */
function wholeDays(single: Readonly<Record<string, string>>, flag: string, fallback: number): number {
  const text = single[flag];
  return text === undefined ? fallback : wholeNumberFlag("audit", flag, text, "days");
}
