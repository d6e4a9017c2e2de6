import { assertValidAgainstProviderSchema, checkAgainstProviderSchema, committedProviderSchema } from "../../testing";

/** A minimal valid stack: one service account and one key it owns. */
function validStack(): Record<string, unknown> & { resource: Record<string, Record<string, Record<string, unknown>>> } {
  return {
    provider: { confluent: [{}] },
    resource: {
      confluent_service_account: { app: { display_name: "app", description: "x", "//": { metadata: {} } } },
      confluent_api_key: {
        key: {
          display_name: "k",
          owner: { id: "${confluent_service_account.app.id}", api_version: "iam/v2", kind: "ServiceAccount" },
          managed_resource: { id: "lkc-1", api_version: "cmk/v2", kind: "Cluster", environment: [{ id: "env-1" }] },
          lifecycle: { prevent_destroy: true },
        },
      },
    },
  };
}

const messages = (stack: unknown) => checkAgainstProviderSchema(stack).map((v) => `${v.path}: ${v.message}`);

describe("provider schema check of synthesized JSON", () => {
  test("the committed schema is the Confluent provider's, with the resources the kit uses", () => {
    const schema = committedProviderSchema();
    expect(schema.source).toBe("registry.terraform.io/confluentinc/confluent");
    expect(Object.keys(schema.resources)).toEqual(
      expect.arrayContaining(["confluent_api_key", "confluent_service_account", "confluent_role_binding"]),
    );
  });

  test("a valid stack has no violations", () => {
    expect(checkAgainstProviderSchema(validStack())).toEqual([]);
    expect(() => assertValidAgainstProviderSchema(validStack())).not.toThrow();
  });

  test("an unknown attribute fails", () => {
    const stack = validStack();
    stack.resource.confluent_api_key.key.colour = "blue";
    expect(messages(stack)).toEqual([
      "resource.confluent_api_key.key.colour: unknown attribute or block 'colour' of confluent_api_key",
    ]);
    expect(() => assertValidAgainstProviderSchema(stack)).toThrow(
      /does not match the provider schema:\n {2}resource\.confluent_api_key\.key\.colour/,
    );
  });

  test("a missing required block fails", () => {
    const stack = validStack();
    delete stack.resource.confluent_api_key.key.owner;
    expect(messages(stack)).toEqual([
      "resource.confluent_api_key.key.owner: required block 'owner' is missing (min 1)",
    ]);
  });

  test("a missing required attribute inside a block fails", () => {
    const stack = validStack();
    stack.resource.confluent_api_key.key.owner = { id: "sa-1", api_version: "iam/v2" };
    expect(messages(stack)).toEqual([
      "resource.confluent_api_key.key.owner.kind: required attribute 'kind' is missing",
    ]);
  });

  test("too many blocks fail", () => {
    const stack = validStack();
    const owner = stack.resource.confluent_api_key.key.owner;
    stack.resource.confluent_api_key.key.owner = [owner, owner];
    expect(messages(stack)).toEqual(["resource.confluent_api_key.key.owner: 'owner' allows at most 1 block(s), got 2"]);
  });

  test("a computed-only attribute set fails", () => {
    const stack = validStack();
    stack.resource.confluent_api_key.key.secret = "hunter2";
    expect(messages(stack)).toEqual([
      "resource.confluent_api_key.key.secret: 'secret' is computed by the provider and cannot be set",
    ]);
  });

  test("a literal of the wrong type fails; expressions are not judged", () => {
    const stack = validStack();
    stack.resource.confluent_api_key.key.disable_wait_for_ready = "maybe";
    stack.resource.confluent_api_key.key.display_name = "${var.name}";
    expect(messages(stack)).toEqual([
      'resource.confluent_api_key.key.disable_wait_for_ready: expected a bool, got string "maybe"',
    ]);
  });

  test("an unknown confluent type fails; other providers' types are not checked", () => {
    const stack = validStack();
    stack.resource.confluent_api_keys = { k: {} };
    stack.resource.vault_kv_secret_v2 = { s: { anything: true } };
    expect(messages(stack)).toEqual([
      "resource.confluent_api_keys: resource type 'confluent_api_keys' does not exist in registry.terraform.io/confluentinc/confluent (did you mean 'confluent_api_key'?)",
    ]);
  });

  test("data sources and the provider block are checked too", () => {
    const stack = {
      ...validStack(),
      data: { confluent_user: { u: { mail: "x" } } },
      provider: { confluent: [{ cloud_api_kee: "x" }] },
    };
    expect(messages(stack)).toEqual([
      "data.confluent_user.u.mail: unknown attribute or block 'mail' of data source confluent_user",
      "provider.confluent[0].cloud_api_kee: unknown attribute or block 'cloud_api_kee' of provider confluent",
    ]);
  });

  test("the schema has every resource and data source of provider 2.83.0", () => {
    const schema = committedProviderSchema();
    expect(Object.keys(schema.resources)).toHaveLength(64);
    expect(Object.keys(schema.dataSources)).toHaveLength(63);
    expect(Object.keys(schema.resources)).toEqual(
      expect.arrayContaining(["confluent_kafka_topic", "confluent_connector", "confluent_flink_compute_pool"]),
    );
  });

  test("a type beyond the hand-checked ones is validated, and a nested unknown names its block and type", () => {
    const stack = {
      resource: {
        confluent_kafka_topic: {
          orders: {
            topic_name: "orders",
            kafka_cluster: { id: "lkc-1" },
            credentials: { key: "${confluent_api_key.k.id}", secret: "${confluent_api_key.k.secret}", colour: "x" },
          },
        },
        confluent_flink_compute_pool: { pool: { display_name: "p" } },
      },
      data: { confluent_network: { n: { id: "n-1", colour: "x" } } },
    };
    expect(messages(stack)).toEqual([
      "resource.confluent_kafka_topic.orders.credentials.colour: unknown attribute or block 'colour' of block 'credentials' of confluent_kafka_topic",
      "resource.confluent_flink_compute_pool.pool.cloud: required attribute 'cloud' is missing",
      "resource.confluent_flink_compute_pool.pool.region: required attribute 'region' is missing",
      "resource.confluent_flink_compute_pool.pool.environment: required block 'environment' is missing (min 1)",
      "data.confluent_network.n.colour: unknown attribute or block 'colour' of data source confluent_network",
      "data.confluent_network.n.environment: required block 'environment' is missing (min 1)",
    ]);
  });
});
