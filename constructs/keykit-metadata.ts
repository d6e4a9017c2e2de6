import type { KeykitResourceMetadata } from "../policies/metadata";
import { METADATA_VERSION } from "../policies/metadata";
import type { TerraformResource } from "./cdktf";

/**
 * Records what a kit construct knows about a resource in its `"//".keykit` entry of cdk.tf.json, where the
 * policies read it back (Terraform ignores "//" properties). See policies/metadata.ts for the contract.
 */
export function recordKeykitMetadata(
  resource: TerraformResource,
  metadata: Omit<KeykitResourceMetadata, "version" | "path">,
): void {
  for (const [field, value] of Object.entries({ version: METADATA_VERSION, ...metadata })) {
    if (value !== undefined) resource.addOverride(`//.keykit.${field}`, value);
  }
}
