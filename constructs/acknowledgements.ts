/**
 * Acknowledgements in code: `Acknowledgements.of(construct).add({ rule, reason, expires })` accepts one rule's
 * finding on a construct and every resource below it, with a reason and an expiry date.
 *
 * The acknowledgement travels in the synthesized JSON (`"//".keykit.acknowledgements` on each resource, see
 * policies/metadata.ts), so `keykit check cdk.tf.json` and the synth-time validation honour it without the
 * construct tree. Expired ones stop applying (the report says so); rules that cannot be acknowledged ignore them.
 */
import { acknowledgementProblem } from "../policies/acknowledgements";
import type { AcknowledgementRecord } from "../policies/metadata";
import { Aspects, type IAspect, type IConstruct, TerraformResource, TerraformStack } from "./cdktf";

const declared = new WeakMap<IConstruct, AcknowledgementRecord[]>();
const stacksWithAspect = new WeakSet<TerraformStack>();

/** Copies the acknowledgements of a resource and of all its ancestors into the resource's keykit metadata. */
export class AcknowledgementsAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const all: AcknowledgementRecord[] = [];
    for (const scope of node.node.scopes) all.push(...(declared.get(scope) ?? []));
    if (all.length === 0) return;
    // One override of the whole list: re-running on every synth overwrites instead of appending.
    node.addOverride(
      "//.keykit.acknowledgements",
      all.map((a) => ({ rule: a.rule, reason: a.reason, expires: a.expires })),
    );
  }
}

export class Acknowledgements {
  /** The acknowledgements declared on `construct` (applying to it and every resource below it). */
  static of(construct: IConstruct): Acknowledgements {
    return new Acknowledgements(construct);
  }

  private constructor(private readonly construct: IConstruct) {}

  /**
   * Accepts `rule`'s findings on this construct's resources until `expires` (YYYY-MM-DD, inclusive).
   * Throws when the rule ID, the reason (at least 10 characters) or the date is malformed.
   */
  add(acknowledgement: AcknowledgementRecord): void {
    const problem = acknowledgementProblem(acknowledgement);
    if (problem) throw new Error(`${this.construct.node.path}: invalid acknowledgement: ${problem}`);
    const list = declared.get(this.construct) ?? [];
    list.push({ rule: acknowledgement.rule, reason: acknowledgement.reason.trim(), expires: acknowledgement.expires });
    declared.set(this.construct, list);
    const stack = TerraformStack.of(this.construct);
    if (!stacksWithAspect.has(stack)) {
      stacksWithAspect.add(stack);
      Aspects.of(stack).add(new AcknowledgementsAspect());
    }
  }

  /** What was declared directly on this construct. */
  get declared(): readonly AcknowledgementRecord[] {
    return [...(declared.get(this.construct) ?? [])];
  }
}
