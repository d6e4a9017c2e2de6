import type { KeykitStackMetadata, Tier } from "../policies/metadata";
import { METADATA_VERSION, TIERS } from "../policies/metadata";
import type { Node } from "constructs";
import { type Construct, type IConstruct, TerraformElement, TerraformStack } from "./cdktf";
import { collectKeykitMetadata, injectKeykitMetadata } from "./keykit-metadata";
import { hashedLogicalId } from "./logical-ids";
import { type PolicyValidationOptions, enablePolicyValidation } from "./policy-validation";

export type { Tier } from "../policies/metadata";

const tiers = new WeakMap<TerraformStack, Tier>();

/**
 * The tier a stack declares. Production is the default: a stack that says nothing gets the strict rules
 * (a user-owned key is refused and the refusal cannot be overridden).
 */
export class StackTier {
  /** The tier of the stack that contains `construct`. */
  static of(construct: IConstruct): Tier {
    return tiers.get(TerraformStack.of(construct)) ?? "production";
  }

  /** Declares the tier of a stack (any TerraformStack, for apps that have their own stack classes). */
  static set(stack: TerraformStack, tier: Tier): void {
    if (!TIERS.includes(tier)) {
      throw new Error(`${stack.node.path}: tier '${String(tier)}' is not one of ${TIERS.join(", ")}`);
    }
    tiers.set(stack, tier);
    const metadata: KeykitStackMetadata = { version: METADATA_VERSION, tier };
    // Recorded in cdk.tf.json so `keykit check` applies the same tier rules without the construct tree.
    stack.addOverride("//.keykit", metadata);
  }
}

export interface KeykitStackProps {
  /**
   * What the stack deploys to. In `development`, a user-owned key is allowed with an explicit, reasoned opt-in.
   * @default "production"
   */
  readonly tier?: Tier;
  /**
   * Whether the kit's policies run at synth (findings become annotations; an error fails synth).
   * @default true
   */
  readonly policyValidation?: boolean;
  /**
   * Options of the synth-time policy validation.
   * @default - every rule, maximum key age 90 days
   */
  readonly policyValidationOptions?: Omit<PolicyValidationOptions, "render">;
  /**
   * Whether annotations in this stack (the kit's findings among them) record the stack trace of their creation in
   * the synthesized manifest, as an App without `stackTraces: false` makes them do. Off, so an app need not set
   * `stackTraces: false` by hand: the traces are large, slow down synth and show the machine's paths.
   * @default false
   */
  readonly stackTraces?: boolean;
}

/** The context key behind the App's `stackTraces: false` (the same in cdktf and cdktn). */
const DISABLE_STACK_TRACES = "@cdktf/disable_stack_trace_in_metadata";

/** A TerraformStack that declares its tier. */
export class KeykitStack extends TerraformStack {
  readonly tier: Tier;

  constructor(scope: Construct, id: string, props: KeykitStackProps = {}) {
    super(scope, id);
    // Before any child exists (context can only be set then); read by every annotation below this stack.
    if (!(props.stackTraces ?? false)) this.node.setContext(DISABLE_STACK_TRACES, true);
    this.tier = props.tier ?? "production";
    StackTier.set(this, this.tier);
    collectKeykitMetadata(this);
    if (props.policyValidation ?? true) {
      enablePolicyValidation(this, {
        ...props.policyValidationOptions,
        render: () => {
          // Synth renders the JSON right after validation: hand it the one rendered here instead of paying
          // for toTerraform() twice (it dominates synth time on large stacks).
          this.renderedForSynth = this.render();
          return this.renderedForSynth;
        },
      });
    }
  }

  private renderedForSynth?: ReturnType<TerraformStack["toTerraform"]>;

  /**
   * The framework's logical ID, computed without its per-element scope list and hash object (see logical-ids.ts:
   * the kit's nested constructs make every ID a hashed one). Elements of other stacks, plain nodes and paths the
   * framework rejects get the framework's own answer.
   */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    if (!TerraformElement.isTerraformElement(element)) return super.allocateLogicalId(element);
    // One walk up to the element's stack (the framework walks twice: to find the stack, then for the scope list).
    const components: string[] = [];
    let scope: IConstruct | undefined = element;
    for (; scope !== undefined && !TerraformStack.isStack(scope); scope = scope.node.scope)
      components.push(scope.node.id);
    if (scope !== this) return super.allocateLogicalId(element);
    return hashedLogicalId(components.reverse()) ?? super.allocateLogicalId(element);
  }

  public override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    const rendered = this.renderedForSynth;
    if (rendered !== undefined) {
      this.renderedForSynth = undefined;
      return rendered;
    }
    return this.render();
  }

  private render(): ReturnType<TerraformStack["toTerraform"]> {
    const json = super.toTerraform();
    injectKeykitMetadata(this, json);
    return json;
  }
}
