/**
 * Every rule of the kit and the commands that run it: `keykit check` and synth-time checking run ALL_RULES on
 * configurations (cdk.tf.json, HCL, plan, state); `keykit audit` runs AUDIT_RULES on an inventory (the kit's
 * inventory-aware rules plus KK101–KK104). RULES.md, `keykit rules` and acknowledgement validation read this list.
 */
import type { Rule } from "../rule";
import { AUDIT_RULES, INVENTORY_COMPARISON_RULES } from "./audit";
import { ALL_RULES } from "./index";

export type RuleCommand = "check" | "synth" | "audit";
export const RULE_COMMANDS: readonly RuleCommand[] = ["check", "synth", "audit"];

export interface CataloguedRule {
  readonly rule: Rule;
  /** The commands that evaluate it, in RULE_COMMANDS order. */
  readonly commands: readonly RuleCommand[];
}

const RULES_OF: Readonly<Record<RuleCommand, readonly Rule[]>> = {
  check: ALL_RULES,
  synth: ALL_RULES,
  audit: AUDIT_RULES,
};

/** Every rule of the kit, in ID order, with the commands that run it. */
export const RULE_CATALOGUE: readonly CataloguedRule[] = [...ALL_RULES, ...INVENTORY_COMPARISON_RULES]
  .slice()
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  .map((rule) => ({ rule, commands: RULE_COMMANDS.filter((c) => RULES_OF[c].includes(rule)) }));

/** Every rule of the kit. */
export const KIT_RULES: readonly Rule[] = RULE_CATALOGUE.map((e) => e.rule);

/** Every rule ID of the kit: an acknowledgement naming one is valid in any command (see EvaluateOptions). */
export const KIT_RULE_IDS: ReadonlySet<string> = new Set(KIT_RULES.map((r) => r.id));

/** Any rule of the kit by its ID, the audit's included. */
export function ruleById(id: string): Rule | undefined {
  return KIT_RULES.find((r) => r.id === id);
}
