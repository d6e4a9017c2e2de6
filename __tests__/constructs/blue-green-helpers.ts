import { type App, Testing } from "../../constructs/cdktf";
import { KeykitStack, type Tier } from "../../constructs";
import { ConfluentProvider } from "../../.gen/providers/confluent/provider";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/**
 * A provider block for the stores whose provider packages are not installed here (azurerm, google, kubernetes):
 * the sinks write their resources on the escape hatch, and a stack needs a provider of each name to synthesize.
 */
class StoreProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    name: string,
    source: string,
    private readonly body: Record<string, unknown> = {},
  ) {
    super(scope, name, {
      terraformResourceType: name,
      terraformGeneratorMetadata: { providerName: name },
      terraformProviderSource: source,
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return this.body;
  }
}

export interface BgStackOptions {
  tier?: Tier;
  vault?: boolean;
  aws?: boolean;
  azurerm?: boolean;
  google?: boolean;
  kubernetes?: boolean;
}

/** A fresh stack with the Confluent provider (and the providers of the stores sinks publish to). */
export function bgStack(options: BgStackOptions = {}): KeykitStack {
  const app: App = Testing.app({ stackTraces: false });
  const stack = new KeykitStack(app, "test", options.tier ? { tier: options.tier } : {});
  new ConfluentProvider(stack, "confluent", {});
  if (options.vault) new VaultProvider(stack, "vault", {});
  if (options.aws) new AwsProvider(stack, "aws", {});
  if (options.azurerm) new StoreProvider(stack, "azurerm", "hashicorp/azurerm", { features: [{}] });
  if (options.google) new StoreProvider(stack, "google", "hashicorp/google", { project: "orders-prod" });
  if (options.kubernetes) new StoreProvider(stack, "kubernetes", "hashicorp/kubernetes");
  return stack;
}

export type Body = Record<string, unknown> & {
  "//"?: { keykit?: Record<string, unknown> };
  lifecycle?: Record<string, unknown>;
  owner?: Record<string, string>;
  managed_resource?: Record<string, unknown>;
};
