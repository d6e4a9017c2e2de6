import type { KeykitResourceMetadata } from "../policies/metadata";
import { METADATA_VERSION } from "../policies/metadata";
import { type IConstruct, TerraformResource, TerraformStack, resolveTokens } from "./cdktf";
import { creationSite } from "./creation-site";

type Recorded = Omit<KeykitResourceMetadata, "version" | "path">;

/**
 * Stacks that write the kit's metadata themselves when they render (KeykitStack). Everywhere else it goes through
 * `addOverride`, which costs more: cdktf rebuilds its list of overridden types once per overridden resource.
 */
const collectors = new WeakMap<TerraformStack, Map<TerraformResource, Recorded>>();

export function collectKeykitMetadata(stack: TerraformStack): void {
  collectors.set(stack, new Map());
}

/**
 * Records what a kit construct knows about a resource in its `"//".keykit` entry of cdk.tf.json, where the
 * policies read it back (Terraform ignores "//" properties). See policies/metadata.ts for the contract.
 */
export function recordKeykitMetadata(resource: TerraformResource, recorded: Recorded): void {
  const collected = collectors.get(TerraformStack.of(resource));
  const earlier = collected?.get(resource);
  // Where the user's code made the construct, taken once per resource (see creation-site.ts).
  const origin = recorded.origin ?? earlier?.origin ?? creationSite();
  const metadata: Recorded = origin ? { ...recorded, origin } : recorded;
  if (collected) {
    collected.set(resource, { ...earlier, ...metadata });
    return;
  }
  for (const [field, value] of Object.entries({ version: METADATA_VERSION, ...metadata })) {
    if (value !== undefined) resource.addOverride(`//.keykit.${field}`, value);
  }
}

type StackJson = { resource?: Record<string, Record<string, Record<string, unknown>>> };

/** Writes the collected metadata into the stack's rendered JSON (tokens resolved as Terraform expressions). */
export function injectKeykitMetadata(stack: TerraformStack, json: StackJson, scope: IConstruct = stack): void {
  const collected = collectors.get(stack);
  if (!collected || collected.size === 0) return;
  for (const [resource, metadata] of collected) {
    const body = json.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId];
    if (body === undefined) continue; // removed from the tree after recording
    const comment = (body["//"] ??= {}) as Record<string, unknown>;
    const fields = Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
    // Fields written by overrides (e.g. acknowledgements from the aspect) are kept.
    comment.keykit = { version: METADATA_VERSION, ...resolveTokens(scope, fields), ...(comment.keykit as object) };
  }
}
