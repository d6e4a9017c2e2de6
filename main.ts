/**
 * The built-in example: a production app on Confluent Cloud written only with keykit.
 * `npm run synth` writes cdktf.out/stacks/orders-prod/cdk.tf.json. No credentials are needed to synthesize;
 * to deploy, the provider reads CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET from the environment.
 */
import {
  App,
  ConfluentProvider,
  DataConfluentSchemaRegistryCluster,
  Environment,
  KafkaCluster,
  KeyScope,
  KeykitStack,
  ServiceAccountWithKey,
} from "./constructs";
import type { Construct } from "./constructs";

export class OrdersPlatformStack extends KeykitStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { tier: "production" });

    // Credentials come from the environment, never from code (policy KK: hard-coded provider credentials).
    new ConfluentProvider(this, "confluent", {});

    const environment = new Environment(this, "Environment", {
      displayName: "orders-prod",
      streamGovernance: { package: "ADVANCED" },
    });

    const cluster = new KafkaCluster(this, "OrdersCluster", {
      displayName: "orders",
      availability: "MULTI_ZONE",
      cloud: "AWS",
      region: "eu-central-1",
      dedicated: { cku: 2 },
      environment: { id: environment.id },
    });

    const schemaRegistry = new DataConfluentSchemaRegistryCluster(this, "SchemaRegistry", {
      environment: { id: environment.id },
      dependsOn: [cluster],
    });

    const kafka = KeyScope.fromKafkaCluster(cluster);
    const registry = KeyScope.fromSchemaRegistryCluster(schemaRegistry, { networking: "private" });

    // App 1: the order producer writes to one topic on one cluster: one scoped key.
    new ServiceAccountWithKey(this, "OrdersProducer", {
      scope: kafka,
      serviceAccountName: "orders-producer",
      serviceAccountDescription: "Produces order events to the orders topic",
      roleBindings: [{ role: "DeveloperWrite", crnPattern: `${cluster.rbacCrn}/kafka=${cluster.id}/topic=orders` }],
    });

    // App 2: the schema publisher registers schemas: one scoped Schema Registry key.
    new ServiceAccountWithKey(this, "SchemaPublisher", {
      scope: registry,
      serviceAccountName: "orders-schema-publisher",
      serviceAccountDescription: "Registers the orders schemas",
      roleBindings: [{ role: "DeveloperWrite", crnPattern: `${schemaRegistry.resourceName}/subject=orders-*` }],
    });
  }
}

export function buildApp(app: App = new App({ stackTraces: false })): App {
  new OrdersPlatformStack(app, "orders-prod");
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
