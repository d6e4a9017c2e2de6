import { type App, Testing } from "../../constructs/cdktf";
import { ConfluentProvider, KeykitStack, type Tier } from "../../constructs";

/** A fresh stack with the Confluent provider, as every keykit app has. */
export function newStack(tier?: Tier, id = "test"): KeykitStack {
  const app: App = Testing.app({ stackTraces: false });
  const stack = new KeykitStack(app, id, tier ? { tier } : {});
  new ConfluentProvider(stack, "confluent", {});
  return stack;
}
