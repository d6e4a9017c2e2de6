/**
 * Loader (a): the construct tree at synth. The kit's constructs call `checkSynthesizedStack` from a cdktf
 * validation with the stack's `toTerraform()` output and turn each active error finding into
 * `Annotations.addError` on the construct named by `finding.location.constructPath`, so `cdktf synth` fails.
 * This module stays cdktf-free: it only sees the JSON.
 */
import type { FileAcknowledgement } from "./acknowledgements";
import { type EvaluateOptions, evaluate } from "./engine";
import type { Tier } from "./metadata";
import { loadConfiguration } from "./loaders/configuration";
import type { KeykitModel } from "./model";
import type { Report } from "./report";
import type { Rule } from "./rule";
import { ALL_RULES } from "./rules";
import { KIT_RULE_IDS } from "./rules/catalogue";

export interface SynthCheckOptions extends EvaluateOptions {
  /** Label for the stack in reports (its name). */
  readonly stackName?: string;
  readonly tier?: Tier;
  readonly rules?: readonly Rule[];
  readonly acknowledgements?: readonly FileAcknowledgement[];
}

/** The model of a synthesized stack object (`stack.toTerraform()` or a parsed cdk.tf.json). */
export function modelOfSynthesizedStack(stackJson: unknown, options: SynthCheckOptions = {}): KeykitModel {
  return loadConfiguration(stackJson, { kind: "synth", source: options.stackName ?? "stack", tier: options.tier });
}

/** Evaluates every rule on a synthesized stack object. */
export function checkSynthesizedStack(stackJson: unknown, options: SynthCheckOptions = {}): Report {
  return evaluate(
    modelOfSynthesizedStack(stackJson, options),
    options.rules ?? ALL_RULES,
    options.acknowledgements ?? [],
    { knownRuleIds: KIT_RULE_IDS, ...options },
  );
}
