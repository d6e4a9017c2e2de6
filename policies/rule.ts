/**
 * Rules: cdk-nag style. One rule per file under policies/rules/, named after the compliant state, with a stable
 * short ID (KK001 …), a severity, a rationale, a fix and a link to the practice it encodes.
 */
import type { AuditFacts } from "./inventory/audit-model";
import type { AcknowledgementRecord, Tier } from "./metadata";
import type { InputKind, KeykitModel, SourceLocation } from "./model";

export type Severity = "error" | "warning" | "info";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** Higher is more severe; used for `--fail-on` and sorting. */
export function severityRank(severity: Severity): number {
  return severity === "error" ? 3 : severity === "warning" ? 2 : 1;
}

/**
 * Whether a finding of a rule may be acknowledged (accepted with a reason and an expiry):
 * "always", "never" (e.g. an exposed secret), or "outside-production" (e.g. a user-owned key).
 */
export type Acknowledgeable = "always" | "never" | "outside-production";

/** Settings rules may read; every field has a default the engine fills in. */
export interface RuleContext {
  /** The evaluation time (ISO); rules compare ages against it. */
  readonly now: Date;
  /** Maximum age of a key or rotation slot in days (default 90). */
  readonly maxAgeDays: number;
  /**
   * `keykit audit` only: the join of the Confluent inventory with the configurations (KK101–KK104 read it). Set by
   * the engine for an inventory model built by `buildAuditModel`; undefined for every other input.
   */
  readonly audit?: AuditFacts;
}

/** What a rule reports; the engine adds the rule's ID, severity and acknowledgement state. */
export interface RuleFinding {
  readonly message: string;
  readonly location: SourceLocation;
  /** The entity's address: acknowledgements are matched against it and against `location.constructPath`. */
  readonly subject: string;
  /** Acknowledgements written in code on that entity (copied by the rule from the model). */
  readonly codeAcknowledgements?: readonly AcknowledgementRecord[];
  /** Overrides the rule's severity for this finding (e.g. a user-owned key in development is a warning). */
  readonly severity?: Severity;
  /** The tier the subject is judged at, when it is not the model's (a key of a development stack in the audit). */
  readonly tier?: Tier;
  /** A link more specific than the rule's (e.g. the finding's own provider's credentials page). */
  readonly helpUri?: string;
}

export interface RuleMetadata {
  /** Stable short ID, e.g. "KK001". Never reused for another check. */
  readonly id: string;
  /** Named after the compliant state, e.g. "ApiKeyOwnedByServiceAccount". */
  readonly name: string;
  readonly severity: Severity;
  /** One line: what is checked. */
  readonly summary: string;
  /** Why it matters. */
  readonly rationale: string;
  /** What to do about a finding. */
  readonly fix: string;
  /** The documented practice (Confluent docs URL). */
  readonly helpUri: string;
  readonly acknowledgeable: Acknowledgeable;
  /** Input kinds this rule has something to say about (documentation + tests). */
  readonly appliesTo: readonly InputKind[];
}

export interface Rule extends RuleMetadata {
  check(model: KeykitModel, context: RuleContext): readonly RuleFinding[];
}

/** A finding as it appears in a report. */
export interface Finding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location: SourceLocation;
  readonly subject: string;
  readonly helpUri: string;
  /** Whether an acknowledgement could suppress it (false for "never" rules and production user-owned keys). */
  readonly acknowledgeable: boolean;
  /** Set when a valid, unexpired acknowledgement covers this finding: it no longer counts for the exit code. */
  readonly suppressed?: {
    readonly reason: string;
    readonly expires: string;
    readonly source: "code" | "file";
  };
  /** Extra facts, e.g. "acknowledgement expired on 2026-01-01". Never secrets. */
  readonly notes: readonly string[];
}
