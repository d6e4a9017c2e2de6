import { type App, Testing } from "../../constructs/cdktf";
import { ConfluentProvider, KeykitStack, type Tier } from "../../constructs";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/** A fresh stack with the Confluent provider (and Vault / AWS providers for sinks). */
export function bgStack(options: { tier?: Tier; vault?: boolean; aws?: boolean } = {}): KeykitStack {
  const app: App = Testing.app({ stackTraces: false });
  const stack = new KeykitStack(app, "test", options.tier ? { tier: options.tier } : {});
  new ConfluentProvider(stack, "confluent", {});
  if (options.vault) new VaultProvider(stack, "vault", {});
  if (options.aws) new AwsProvider(stack, "aws", {});
  return stack;
}

export type Body = Record<string, unknown> & {
  "//"?: { keykit?: Record<string, unknown> };
  lifecycle?: Record<string, unknown>;
  owner?: Record<string, string>;
  managed_resource?: Record<string, unknown>;
};
