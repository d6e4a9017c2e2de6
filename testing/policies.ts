/**
 * Jest helpers for users' own policy unit tests:
 *
 *     import { Testing } from "cdktf";
 *     import "keykit/testing"; // registers the matchers
 *     expect(Testing.synth(stack)).toHaveNoKeykitFindings();
 *     expect(planJson).toHaveKeykitFinding("KK011");
 *     expect(findingsFor(cdkTfJson).map((f) => f.ruleId)).toEqual(["KK003"]);
 *
 * Inputs: a TerraformStack (synthesized with `Testing.fullSynth`), a synthesized stack object (e.g. from
 * `synthesizeStack`), a parsed plan/state, a JSON string, a path to a JSON file or to a directory (searched like
 * `keykit check DIR` searches it: every cdktf.out stack and every cdk.tf.json below it).
 * Note: `Testing.synth` strips every `"//"` property, including the kit's metadata (tier, rotation slots,
 * acknowledgements), so pass the stack itself or `synthesizeStack(stack)` rather than `Testing.synth(stack)`.
 */
import { readFileSync } from "node:fs";
import type { FileAcknowledgement } from "../policies/acknowledgements";
import { type EvaluateOptions, evaluate } from "../policies/engine";
import { findJsonInputs, stackFile } from "../policies/loaders/discover";
import { loadJsonFile, loadJsonInput } from "../policies/loaders/input";
import { parseJsonText } from "../policies/loaders/util";
import type { Tier } from "../policies/metadata";
import { type KeykitModel, emptyModel } from "../policies/model";
import type { Report } from "../policies/report";
import { type Finding, type Rule, type Severity, severityRank } from "../policies/rule";
import { ALL_RULES } from "../policies/rules";
import { KIT_RULE_IDS } from "../policies/rules/catalogue";
import { TerraformStack, Testing } from "../constructs/cdktf";

export interface KeykitCheckOptions extends EvaluateOptions {
  readonly rules?: readonly Rule[];
  readonly acknowledgements?: readonly FileAcknowledgement[];
  readonly tier?: Tier;
  /** Lowest severity that counts (default "warning": info findings are ignored). */
  readonly minSeverity?: Severity;
  /** Include acknowledged (suppressed) findings (default false). */
  readonly includeAcknowledged?: boolean;
}

/** What the helpers read from a path, in the refusal of a path that holds none of it. */
const HELPERS_TAKE = "the jest helpers take cdk.tf.json, a cdktf.out, Terraform state or plan JSON";

/**
 * The models of a path, found as `keykit check` finds its inputs (the shared discovery): a file, or every stack of
 * every cdktf.out and every `cdk.tf.json` below a directory. The helpers are synchronous and HCL parsing is not, so an
 * HCL root found below the directory becomes a "not checked" note of the report; a path holding only HCL is refused.
 */
function modelsOfPath(path: string, options: KeykitCheckOptions): KeykitModel[] {
  const found = findJsonInputs(path, process.cwd(), HELPERS_TAKE);
  const models = found.files.map(({ path: file }) => loadJsonFile(file, { tier: options.tier }));
  if (found.notes.length > 0) models.push({ ...emptyModel("hcl", path, options.tier), notes: found.notes });
  return models;
}

function modelsOf(input: unknown, options: KeykitCheckOptions): KeykitModel[] {
  if (input instanceof TerraformStack) {
    const file = stackFile(Testing.fullSynth(input), input.node.id);
    return [loadJsonInput(parseJsonText(readFileSync(file, "utf8"), file), input.node.path, { tier: options.tier })];
  }
  if (typeof input === "string") {
    if (input.trimStart().startsWith("{"))
      return [loadJsonInput(parseJsonText(input, "input"), "input", { tier: options.tier })];
    return modelsOfPath(input, options);
  }
  return [loadJsonInput(input, "input", { tier: options.tier })];
}

/** The full report for an input. */
export function keykitReport(input: unknown, options: KeykitCheckOptions = {}): Report {
  return evaluate(modelsOf(input, options), options.rules ?? ALL_RULES, options.acknowledgements ?? [], {
    knownRuleIds: KIT_RULE_IDS,
    ...options,
  });
}

/** The active findings (not acknowledged, at or above `minSeverity`, default warning) for an input. */
export function findingsFor(input: unknown, options: KeykitCheckOptions = {}): Finding[] {
  const min = severityRank(options.minSeverity ?? "warning");
  return keykitReport(input, options).findings.filter(
    (f) => (options.includeAcknowledged || !f.suppressed) && severityRank(f.severity) >= min,
  );
}

export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

function list(findings: readonly Finding[]): string {
  return findings.map((f) => `  ${f.ruleId} ${f.subject}: ${f.message}`).join("\n") || "  (none)";
}

/** Matchers for `expect.extend`; importing keykit/testing registers them when a global `expect` exists. */
export const keykitMatchers = {
  toHaveNoKeykitFindings(received: unknown, options: KeykitCheckOptions = {}): MatcherResult {
    const findings = findingsFor(received, options);
    return {
      pass: findings.length === 0,
      message: () =>
        findings.length === 0
          ? "expected keykit findings, found none"
          : `expected no keykit findings, found ${findings.length}:\n${list(findings)}`,
    };
  },
  toHaveKeykitFinding(
    received: unknown,
    ruleId: string,
    subject?: string,
    options: KeykitCheckOptions = {},
  ): MatcherResult {
    const all = findingsFor(received, { minSeverity: "info", ...options });
    const hits = all.filter((f) => f.ruleId === ruleId && (subject === undefined || f.subject === subject));
    const what = `${ruleId}${subject ? ` on ${subject}` : ""}`;
    return {
      pass: hits.length > 0,
      message: () =>
        hits.length > 0
          ? `expected no keykit finding ${what}, found:\n${list(hits)}`
          : `expected keykit finding ${what}, found:\n${list(all)}`,
    };
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** No active keykit finding at or above `minSeverity` (default warning). */
      toHaveNoKeykitFindings(options?: KeykitCheckOptions): R;
      /** An active finding of `ruleId` (optionally on `subject`, a Terraform address). */
      toHaveKeykitFinding(ruleId: string, subject?: string, options?: KeykitCheckOptions): R;
    }
  }
}

/** Registers the matchers with jest's `expect` (done on import when `expect` is global). */
export function registerKeykitMatchers(expectLike?: { extend(matchers: object): void }): void {
  const target = expectLike ?? (globalThis as { expect?: { extend(matchers: object): void } }).expect;
  target?.extend(keykitMatchers);
}

registerKeykitMatchers();
