/** Argument parsing of `keykit audit` (no dependency: the flag set is small and fixed). */
import { KeykitCliError } from "../errors";
import { parseDateOrTimestamp } from "../../policies/dates";
import type { Tier } from "../../policies/metadata";
import { REPORT_FORMATS, type ReportFormat } from "../../policies/reporters";
import type { Severity } from "../../policies/rule";

export type FailOn = Severity | "none";
const FAIL_ON: readonly FailOn[] = ["error", "warning", "info", "none"];

export interface AuditArgs {
  readonly help: boolean;
  readonly live: boolean;
  readonly baseUrl?: string;
  /** Pages read per list in live mode before the audit stops. */
  readonly maxPages?: number;
  readonly inventory: readonly string[];
  readonly config: readonly string[];
  readonly rotationState?: string;
  readonly format: ReportFormat;
  readonly tier?: Tier;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly acknowledgements: readonly string[];
  readonly emitCleanup?: string;
  readonly maxAgeDays: number;
  readonly now?: Date;
  /** Confluent audit-log exports (JSON lines, array or concatenated objects; gzip accepted). */
  readonly auditLog: readonly string[];
  /** Coverage without a successful authentication that makes a key unused (default 30). */
  readonly unusedDays: number;
}

export const AUDIT_USAGE = `usage: keykit audit [--live [--base-url URL] [--max-pages N]] [--inventory <file>...] [--config <cdk.tf.json|state|plan>...]
                    [--rotation-state <file>] [--format text|json|sarif|junit|markdown] [--output <file>]
                    [--fail-on error|warning|info|none] [--acknowledgements <file>...] [--emit-cleanup <file>]
                    [--max-age-days N] [--now DATE] [--tier production|development]
                    [--audit-log <file>...] [--unused-days N]

Compares the keys and service accounts that exist in Confluent Cloud (CLI exports
'confluent api-key list -o json' / 'confluent iam service-account list -o json', Cloud API list pages,
or --live) with the configuration, and reports unmanaged, user-owned, stale and orphaned items.
--emit-cleanup writes a reviewable bash script of delete commands; keykit never runs it.
--live reads CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET (base URL: --base-url or CONFLUENT_CLOUD_BASE_URL);
--max-pages: pages read per list before --live stops (default 10000); redirects are refused.
--acknowledgements defaults to keykit.acknowledgements.json when present, --rotation-state to keykit.rotation.json.
--tier: the tier of keys that match no configured key (default production); a matched key is judged at its
stack's tier, with the stack's opt-ins.
--audit-log: Confluent audit-log exports of the confluent-audit-log-events topic (JSON lines, a JSON array or
concatenated objects; gzip accepted): last successful / failed authentication per key. A key with no successful
authentication over --unused-days (default 30) of coverage is unused; the cleanup script deletes only on evidence.
Exit codes: 0 clean, 1 findings at or above --fail-on (default error), 2 bad usage or input.
`;

const MULTI = new Set(["--inventory", "--config", "--acknowledgements", "--audit-log"]);
const SINGLE = new Set([
  "--base-url",
  "--max-pages",
  "--rotation-state",
  "--format",
  "--output",
  "--fail-on",
  "--emit-cleanup",
  "--max-age-days",
  "--now",
  "--tier",
  "--unused-days",
]);

export function parseAuditArgs(argv: readonly string[]): AuditArgs {
  const multi: Record<string, string[]> = {
    "--inventory": [],
    "--config": [],
    "--acknowledgements": [],
    "--audit-log": [],
  };
  const single: Record<string, string> = {};
  let live = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (flag === "--help" || flag === "-h") help = true;
    else if (flag === "--live") live = true;
    else if (MULTI.has(flag)) {
      // `--inventory a.json b.json` and `--inventory a.json --inventory b.json` both work.
      const values = inline !== undefined ? [inline] : [];
      while (inline === undefined && i + 1 < argv.length && !argv[i + 1].startsWith("--")) values.push(argv[++i]);
      if (values.length === 0 || values.some((v) => v === "")) throw new KeykitCliError(`${flag} needs a file`);
      multi[flag].push(...values);
    } else if (SINGLE.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "" || (inline === undefined && value.startsWith("--")))
        throw new KeykitCliError(`${flag} needs a value`);
      if (single[flag] !== undefined) throw new KeykitCliError(`${flag} given twice`);
      single[flag] = value;
    } else if (arg.startsWith("-"))
      throw new KeykitCliError(`audit: unknown option '${flag}'; run 'keykit audit --help'`);
    else throw new KeykitCliError(`audit: unexpected argument '${arg}' (inventory files go after --inventory)`);
  }
  const format = (single["--format"] ?? "text") as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new KeykitCliError(`--format must be one of ${REPORT_FORMATS.join(", ")} (got '${format}')`);
  const tier = single["--tier"] as Tier | undefined;
  if (tier !== undefined && tier !== "production" && tier !== "development")
    throw new KeykitCliError(`--tier must be production or development (got '${tier}')`);
  const failOn = (single["--fail-on"] ?? "error") as FailOn;
  if (!FAIL_ON.includes(failOn))
    throw new KeykitCliError(`--fail-on must be one of ${FAIL_ON.join(", ")} (got '${failOn}')`);
  const maxAgeDays = wholeDays(single, "--max-age-days", 90);
  const unusedDays = wholeDays(single, "--unused-days", 30);
  let maxPages: number | undefined;
  if (single["--max-pages"] !== undefined) {
    maxPages = Number(single["--max-pages"]);
    if (!/^\d+$/.test(single["--max-pages"]) || maxPages < 1 || maxPages > 1_000_000)
      throw new KeykitCliError("--max-pages must be a whole number of pages from 1 to 1000000");
  }
  let now: Date | undefined;
  if (single["--now"] !== undefined) {
    now = parseDateOrTimestamp(single["--now"]);
    if (now === undefined)
      throw new KeykitCliError(
        `--now must be an ISO date or timestamp, a real calendar day (got '${single["--now"]}')`,
      );
  }
  const args: AuditArgs = {
    help,
    live,
    baseUrl: single["--base-url"],
    maxPages,
    inventory: multi["--inventory"],
    config: multi["--config"],
    rotationState: single["--rotation-state"],
    format,
    tier,
    output: single["--output"],
    failOn,
    acknowledgements: multi["--acknowledgements"],
    emitCleanup: single["--emit-cleanup"],
    maxAgeDays,
    now,
    auditLog: multi["--audit-log"],
    unusedDays,
  };
  if (help) return args;
  if (!live && args.inventory.length === 0)
    throw new KeykitCliError("audit needs --inventory <file>... (CLI or API exports) or --live");
  if (live && args.inventory.length > 0)
    throw new KeykitCliError("--live and --inventory are exclusive: the live inventory is complete on its own");
  if (!live && args.baseUrl !== undefined) throw new KeykitCliError("--base-url only applies with --live");
  if (!live && args.maxPages !== undefined) throw new KeykitCliError("--max-pages only applies with --live");
  if (single["--unused-days"] !== undefined && args.auditLog.length === 0)
    throw new KeykitCliError("--unused-days only applies with --audit-log");
  if (args.emitCleanup !== undefined && args.config.length === 0) {
    throw new KeykitCliError(
      "--emit-cleanup needs --config: keys the configuration manages must never be deleted behind its back",
    );
  }
  return args;
}

/** A whole number of days ≥ 1 from a flag, or the default. */
function wholeDays(single: Record<string, string>, flag: string, fallback: number): number {
  const text = single[flag];
  if (text === undefined) return fallback;
  const days = Number(text);
  if (!/^\d+$/.test(text) || days < 1)
    throw new KeykitCliError(`${flag} must be a whole number of days ≥ 1 (got '${text}')`);
  return days;
}
