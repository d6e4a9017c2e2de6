import { type App, Testing } from "../../constructs/cdktf";
import { KeykitStack, type Tier } from "../../constructs";
import { ConfluentProvider } from "../../.gen/providers/confluent/provider";
import { KafkaCluster } from "../../.gen/providers/confluent/kafka-cluster";
import type { Construct } from "../../constructs/cdktf";

/** A fresh stack with the Confluent provider, as every keykit app has. */
export function newStack(tier?: Tier, id = "test"): KeykitStack {
  const app: App = Testing.app({ stackTraces: false });
  const stack = new KeykitStack(app, id, tier ? { tier } : {});
  new ConfluentProvider(stack, "confluent", {});
  return stack;
}

/** A KafkaCluster resource of the given type (the type block is what KeyScope.fromKafkaCluster reads). */
export function newKafkaCluster(
  scope: Construct,
  id: string,
  type: "standard" | "enterprise",
  environmentId = "env-1",
): KafkaCluster {
  const typeBlock: { standard?: object[]; enterprise?: object[] } = { [type]: [{}] };
  return new KafkaCluster(scope, id, {
    displayName: id.toLowerCase(),
    availability: "SINGLE_ZONE",
    cloud: "AWS",
    region: "eu-central-1",
    environment: { id: environmentId },
    ...typeBlock,
  });
}
