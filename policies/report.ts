/**
 * The result of evaluating rules on one or more models: what every reporter prints and `--format json` emits.
 * The JSON schema is versioned by REPORT_SCHEMA_VERSION; fields are only ever added.
 */
import type { Tier } from "./metadata";
import type { InputKind } from "./model";
import { type Finding, type Severity, severityRank } from "./rule";

/** Identifies the report format; bumped (with REPORT_SCHEMA_VERSION) only for an incompatible change. */
export const REPORT_SCHEMA = "urn:keykit:report-v1";
export const REPORT_SCHEMA_VERSION = 1;

/** An acknowledgement as the engine saw it (central file or code). */
export interface AcknowledgementUse {
  readonly rule: string;
  readonly reason: string;
  readonly expires: string;
  readonly source: "code" | "file";
  /** Address/construct-path glob (file) or the address it was written on (code). */
  readonly target: string;
  /** Where it was declared: the acknowledgements file, or the input file for code acknowledgements. */
  readonly declaredIn?: string;
  /** Why it was not applied, for rejected ones. */
  readonly problem?: string;
}

export interface AcknowledgementSummary {
  /** Applied: each suppressed at least one finding. */
  readonly applied: readonly AcknowledgementUse[];
  /** Past their expiry date: they stopped applying. */
  readonly expired: readonly AcknowledgementUse[];
  /** Valid but matched no finding: remove them. */
  readonly unused: readonly AcknowledgementUse[];
  /** Invalid (short reason, bad date, unknown rule) or aimed at a finding that cannot be acknowledged. */
  readonly rejected: readonly AcknowledgementUse[];
}

/**
 * An accepted opt-in: a user-owned key a development stack explicitly allowed (keykit metadata), listed so a
 * reviewer sees who holds such a key and why, although no rule reports it.
 */
export interface OptInUse {
  readonly rule: string;
  /** The key's address (the key id in the audit). */
  readonly subject: string;
  /** Who: the owner the opt-in allows. */
  readonly owner: string;
  /** Why: the reason written with the opt-in. */
  readonly reason: string;
  readonly tier: Tier;
  /** The input the key came from. */
  readonly source: string;
}

export interface ReportInput {
  readonly source: string;
  readonly kind: InputKind;
  /** Facts about the input (e.g. deferred changes). */
  readonly notes: readonly string[];
}

export interface ReportSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Findings suppressed by an acknowledgement (not counted above). */
  readonly suppressed: number;
}

export interface RuleSummary {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly helpUri: string;
}

/** A rule switched off by the project's `skipRules`. */
export interface SkippedRule {
  readonly id: string;
  readonly name: string;
}

export interface Report {
  readonly $schema: string;
  readonly version: number;
  /** `command` (check, audit) is set by the JSON reporter: the engine does not know which command runs it. */
  readonly tool: { readonly name: "keykit"; readonly version: string; readonly command?: string };
  /** The evaluation time (ISO), so reports are reproducible with `--now`. */
  readonly evaluatedAt: string;
  readonly inputs: readonly ReportInput[];
  readonly rules: readonly RuleSummary[];
  /** Sorted: severity (most severe first), then rule ID, then subject. */
  readonly findings: readonly Finding[];
  readonly acknowledgements: AcknowledgementSummary;
  /**
   * Rules the run did not evaluate because the project's `skipRules` (keykit.config.json or KEYKIT_SKIP_RULES)
   * switched them off; present when there is at least one. Every report format lists them.
   */
  readonly skippedRules?: readonly SkippedRule[];
  /** Accepted opt-ins (user-owned keys allowed in development); present when there is at least one. */
  readonly optIns?: readonly OptInUse[];
  readonly summary: ReportSummary;
}

/** Counts the active (unsuppressed) findings by severity. */
export function summarize(findings: readonly Finding[]): ReportSummary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else if (f.severity === "error") errors++;
    else if (f.severity === "warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos, suppressed };
}

/** The lowest severity that fails a run (`--fail-on`); `none` never fails. */
export type FailOn = Severity | "none";

/** True when an active finding of `severity` blocks a run that fails on `level`. */
export function blocks(severity: Severity, level: FailOn): boolean {
  return level !== "none" && severityRank(severity) >= severityRank(level);
}

/** The active findings at or above `level`. */
export function findingsAtOrAbove(report: Report, level: FailOn): readonly Finding[] {
  return report.findings.filter((f) => !f.suppressed && blocks(f.severity, level));
}
