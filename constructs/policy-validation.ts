/**
 * The kit's policies inside `cdktf synth`: the stack's JSON is evaluated with the same rules `keykit check`
 * runs on cdk.tf.json, and each finding becomes an annotation on the construct it names. An error (not
 * acknowledged) makes synth fail: `cdktf synth` exits 1, `app.synth()` and `Testing.fullSynth` throw.
 */
import type { Rule } from "../policies/rule";
import { Annotations, type IConstruct, TerraformStack } from "./cdktf";

type PolicyEngine = typeof import("../policies/synth-engine");
let engine: PolicyEngine | undefined;

/**
 * The rule engine, its loader and the rules, loaded by the first synth that validates: an app that imports the kit
 * but turns the validation off (or synthesizes nothing) does not load and compile them. The built kit loads them as
 * one bundled file (see policies/synth-engine.ts).
 */
function policyEngine(): PolicyEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require("../policies/synth-engine") as PolicyEngine;
  return engine;
}

export interface PolicyValidationOptions {
  /**
   * The rules to run at synth.
   * @default - every rule of the kit (rules about plans or inventories find nothing in a stack)
   */
  readonly rules?: readonly Rule[];
  /**
   * Maximum key age in days for the age rules.
   * @default 90
   */
  readonly maxAgeDays?: number;
  /**
   * Renders the stack's JSON for the check.
   * @default - `stack.toTerraform()`
   */
  readonly render?: () => unknown;
}

const validated = new WeakSet<TerraformStack>();

/** The construct at `path` (a construct path such as `orders-prod/App/ApiKey`), or the stack when not found. */
function constructAt(stack: TerraformStack, path: string | undefined): IConstruct {
  const prefix = `${stack.node.path}/`;
  if (path === undefined || !path.startsWith(prefix)) return stack;
  let node: IConstruct = stack;
  for (const id of path.slice(prefix.length).split("/")) {
    const child = node.node.tryFindChild(id);
    if (child === undefined) return stack;
    node = child;
  }
  return node;
}

/**
 * Runs the kit's policies on `stack` at every synth. `KeykitStack` does this by itself; call it for your own
 * TerraformStack classes. `json` is the stack's cdk.tf.json as synth will write it.
 */
export function annotateFindings(stack: TerraformStack, json: unknown, options: PolicyValidationOptions = {}): void {
  const { evaluate, loadConfiguration, ALL_RULES } = policyEngine();
  const model = loadConfiguration(json, { kind: "synth", source: stack.node.path });
  const report = evaluate(model, options.rules ?? ALL_RULES, [], { maxAgeDays: options.maxAgeDays });
  for (const finding of report.findings) {
    if (finding.suppressed) continue;
    const target = constructAt(stack, finding.location.constructPath);
    const message = `[${finding.ruleId} ${finding.ruleName}] ${finding.message} (see ${finding.helpUri})`;
    if (finding.severity === "error") Annotations.of(target).addError(message);
    else if (finding.severity === "warning") Annotations.of(target).addWarning(message);
    else Annotations.of(target).addInfo(message);
  }
}

/**
 * Adds the policy validation to a stack (once). It runs in the validation phase of synth, after aspects
 * (so acknowledgements are in place) and before annotations are collected.
 */
export function enablePolicyValidation(stack: TerraformStack, options: PolicyValidationOptions = {}): void {
  if (validated.has(stack)) return;
  validated.add(stack);
  let annotated = false;
  stack.node.addValidation({
    validate: () => {
      // Annotations stay on the tree: a second synth of the same app must not add them twice.
      if (!annotated) {
        annotated = true;
        annotateFindings(stack, (options.render ?? (() => stack.toTerraform()))(), options);
      }
      return [];
    },
  });
}
