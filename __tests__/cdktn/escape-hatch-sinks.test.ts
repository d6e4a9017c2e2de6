/**
 * The cdktn build writes the Vault and AWS sinks' resources on the escape hatch (no @cdktn/provider-vault; the AWS
 * package is 476 MB). Here, on cdktf, the same stack is built twice — once with the kit's FRAMEWORK saying
 * `provider-packages` (the generated classes of @cdktf/provider-vault and @cdktf/provider-aws), once saying
 * `escape-hatch` — and the two cdk.tf.json must be the same, so what a cdktn app writes is what the generated classes
 * write. (The Vault half is also compared across the frameworks themselves by `npm run test:cdktn`.)
 */
type StoreBindings = "provider-packages" | "escape-hatch";
type Kit = typeof import("../../constructs");

function synthesize(storeBindings: StoreBindings, build: (kit: Kit, stack: InstanceType<Kit["KeykitStack"]>) => void) {
  let json: Record<string, unknown> = {};
  jest.isolateModules(() => {
    jest.doMock("../../constructs/framework/cdktf", () => ({
      ...jest.requireActual("../../constructs/framework/cdktf"),
      FRAMEWORK: { name: "cdktf", storeBindings },
    }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kit = require("../../constructs") as Kit;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Testing } = require("cdktf") as typeof import("cdktf");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ConfluentProvider } = require("../../.gen/providers/confluent/provider");
    const stack = new kit.KeykitStack(Testing.app(), "s");
    new ConfluentProvider(stack, "confluent", {});
    build(kit, stack);
    json = JSON.parse(Testing.synth(stack));
  });
  return json;
}

const cluster = { clusterId: "lkc-abc123", environment: "env-abc123", type: "dedicated" } as const;

function both(build: (kit: Kit, stack: InstanceType<Kit["KeykitStack"]>) => void) {
  return [synthesize("provider-packages", build), synthesize("escape-hatch", build)];
}

function blueGreen(
  kit: Kit,
  stack: InstanceType<Kit["KeykitStack"]>,
  id: string,
  sink: import("../../constructs").SecretSink,
) {
  new kit.BlueGreenApiKey(stack, id, {
    rotationName: id.toLowerCase(),
    scope: kit.KeyScope.kafkaCluster(cluster),
    secretSink: sink,
  });
}

describe("Vault and AWS sinks on the escape hatch write what the generated classes write", () => {
  test("Vault KV v2, with a namespace, and write-only", () => {
    const [generated, escapeHatch] = both((kit, stack) => {
      new kit.VaultStoreProvider(stack, "vault", {});
      blueGreen(
        kit,
        stack,
        "Orders",
        new kit.VaultKvSecretSink({ mount: "kv", name: "apps/orders", namespace: "team-a" }),
      );
      blueGreen(
        kit,
        stack,
        "Payments",
        new kit.VaultKvSecretSink({ mount: "kv", name: "apps/payments", writeOnly: true }),
      );
    });
    expect(Object.keys((generated.resource as Record<string, object>).vault_kv_secret_v2)).toHaveLength(2);
    expect(escapeHatch).toEqual(generated);
  });

  test("AWS Secrets Manager: a created secret with a KMS key, an existing one, and write-only", () => {
    const [generated, escapeHatch] = both((kit, stack) => {
      new kit.AwsStoreProvider(stack, "aws", { region: "eu-central-1" });
      blueGreen(
        kit,
        stack,
        "Orders",
        new kit.AwsSecretsManagerSink({ secretName: "apps/orders", kmsKeyId: "alias/apps" }),
      );
      blueGreen(
        kit,
        stack,
        "Billing",
        new kit.AwsSecretsManagerSink({ secretArn: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:billing" }),
      );
      blueGreen(
        kit,
        stack,
        "Payments",
        new kit.AwsSecretsManagerSink({ secretName: "apps/payments", writeOnly: true }),
      );
    });
    const resources = generated.resource as Record<string, object>;
    expect(Object.keys(resources.aws_secretsmanager_secret)).toHaveLength(2);
    expect(Object.keys(resources.aws_secretsmanager_secret_version)).toHaveLength(3);
    expect(escapeHatch).toEqual(generated);
  });
});
