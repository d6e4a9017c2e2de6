/**
 * What differs between the two builds of the kit, said once: the framework module of each build
 * (constructs/framework/cdktf.ts or constructs/framework/cdktn.ts) exports one of these as `FRAMEWORK`.
 */
export interface FrameworkInfo {
  /** The framework package the constructs extend: `cdktf` (CDK for Terraform) or `cdktn` (CDK Terrain). */
  readonly name: "cdktf" | "cdktn";
  /**
   * How the Vault and AWS sinks get their resource classes. `provider-packages`: the prebuilt provider packages
   * (optional peers, loaded at construction). `escape-hatch`: the kit's own typed `StoreResource`, because
   * `@cdktn/provider-vault` does not exist and `@cdktn/provider-aws` is 476 MB installed for two resource types.
   */
  readonly storeBindings: "provider-packages" | "escape-hatch";
}
