/**
 * The built-in example: a production app on Confluent Cloud written only with keykit.
 * `npm run synth` writes cdktf.out/stacks/orders-prod/cdk.tf.json. No credentials are needed to synthesize;
 * to deploy, the provider reads CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET from the environment.
 */
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { App } from "cdktf";
import type { Construct } from "constructs";
// In an app of its own these are `keykit/confluent/lib/<resource>`; inside the repository they are the same modules.
import { ConfluentProvider } from "./.gen/providers/confluent/provider";
import { DataConfluentSchemaRegistryCluster } from "./.gen/providers/confluent/data-confluent-schema-registry-cluster";
import { Environment } from "./.gen/providers/confluent/environment";
import { KafkaCluster } from "./.gen/providers/confluent/kafka-cluster";
import {
  Acknowledgements,
  BlueGreenApiKey,
  KeyScope,
  KeykitStack,
  ServiceAccountWithKey,
  VaultKvSecretSink,
} from "./constructs";

export class OrdersPlatformStack extends KeykitStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { tier: "production" });

    // Credentials come from the environment, never from code (policy KK007).
    new ConfluentProvider(this, "confluent", {});
    // Clients read their key from Vault (VAULT_ADDR / VAULT_TOKEN from the environment): practice 5.
    new VaultProvider(this, "vault", {});

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
    const ordersTopic = `${cluster.rbacCrn}/kafka=${cluster.id}/topic=orders`;
    const ordersSubjects = `${schemaRegistry.resourceName}/subject=orders-*`;

    // App 1, the order producer, writes to one topic on one cluster: a scoped key, rotated blue/green
    // (keykit rotate start|finish orders-producer), the active slot published to Vault.
    new BlueGreenApiKey(this, "OrdersProducer", {
      rotationName: "orders-producer",
      scope: kafka,
      serviceAccountName: "orders-producer",
      serviceAccountDescription: "Produces order events to the orders topic",
      roleBindings: [{ role: "DeveloperWrite", crnPattern: ordersTopic }],
      secretSink: new VaultKvSecretSink({ mount: "kv", name: "apps/orders-producer/confluent" }),
    });

    // App 2, the order enricher, reads the topic and its schemas: two resources, so one global key
    // (a dedicated cluster and a private Schema Registry are both served by global keys), rotated too.
    new BlueGreenApiKey(this, "OrderEnricher", {
      rotationName: "order-enricher",
      globalResources: [
        { id: "OrdersCluster", scope: kafka, roleBindings: [{ role: "DeveloperRead", crnPattern: ordersTopic }] },
        {
          id: "SchemaRegistry",
          scope: registry,
          roleBindings: [{ role: "DeveloperRead", crnPattern: ordersSubjects }],
        },
      ],
      serviceAccountName: "order-enricher",
      serviceAccountDescription: "Enriches order events with their schemas",
      secretSink: new VaultKvSecretSink({ mount: "kv", name: "apps/order-enricher/confluent" }),
    });

    // App 3, the schema publisher, is a CI job: one scoped key, not rotated blue/green. The acknowledgement
    // is reviewable (reason, expiry) and travels into cdk.tf.json, where keykit check honours it too.
    const publisher = new ServiceAccountWithKey(this, "SchemaPublisher", {
      scope: registry,
      serviceAccountName: "orders-schema-publisher",
      serviceAccountDescription: "Registers the orders schemas",
      roleBindings: [{ role: "DeveloperWrite", crnPattern: ordersSubjects }],
      secretSink: new VaultKvSecretSink({ mount: "kv", name: "ci/orders-schema-publisher/confluent" }),
    });
    Acknowledgements.of(publisher).add({
      rule: "KK003",
      reason: "CI-only key; the schema pipeline re-issues it on every release",
      expires: "2027-06-30",
    });
  }
}

// No `stackTraces: false` needed: KeykitStack turns the annotations' stack traces off itself.
export function buildApp(app: App = new App()): App {
  new OrdersPlatformStack(app, "orders-prod");
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
