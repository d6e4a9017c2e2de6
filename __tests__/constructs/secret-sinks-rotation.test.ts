import { BlueGreenApiKey, KeyScope, ServiceAccountWithKey } from "../../constructs";
import {
  type RotationState,
  emptyRotationState,
  entryFor,
  finishRotation,
  startRotation,
  withEntry,
} from "../../policies/rotation-state";
import {
  AwsSecretsManagerSink,
  AzureKeyVaultSink,
  GcpSecretManagerSink,
  KubernetesSecretSink,
  type SecretSink,
  VaultKvSecretSink,
} from "../../constructs/secret-sinks";
import { type SynthesizedStack, resourcesOfType, synthesizeStack } from "../../testing";
import { type BgStackOptions, bgStack } from "./blue-green-helpers";

const scope = () => KeyScope.kafkaCluster({ clusterId: "lkc-abc123", environment: "env-abc123", type: "dedicated" });

/** The rotation states of two full rotations: initial, start, finish, start, finish. */
function rotationSteps(): { step: string; state: RotationState }[] {
  const steps = [{ step: "initial", state: emptyRotationState() }];
  const apply = ["start", "finish", "start", "finish"];
  apply.forEach((step, index) => {
    const before = entryFor(steps[steps.length - 1].state, "orders");
    const at = `2026-1${index}-01T00:00:00Z`;
    const after = step === "start" ? startRotation(before, at) : finishRotation(before, at);
    steps.push({ step, state: withEntry(emptyRotationState(), "orders", after) });
  });
  return steps;
}

interface StoreCase {
  readonly label: string;
  readonly providers: BgStackOptions;
  readonly sink: (writeOnly: boolean) => SecretSink;
  /** The resource type that carries the document. */
  readonly type: string;
  /** The plain attribute, its write-only twin and the twin's version (revision) attribute. */
  readonly plain: string;
  readonly writeOnly: string;
  readonly version: string;
  /** Kubernetes keeps the document under a data key. */
  readonly dataKey?: string;
}

const STORES: readonly StoreCase[] = [
  {
    label: "Vault KV v2",
    providers: { vault: true },
    sink: (writeOnly) => new VaultKvSecretSink({ mount: "kv", name: "apps/orders/confluent", writeOnly }),
    type: "vault_kv_secret_v2",
    plain: "data_json",
    writeOnly: "data_json_wo",
    version: "data_json_wo_version",
  },
  {
    label: "AWS Secrets Manager",
    providers: { aws: true },
    sink: (writeOnly) => new AwsSecretsManagerSink({ secretName: "apps/orders/confluent", writeOnly }),
    type: "aws_secretsmanager_secret_version",
    plain: "secret_string",
    writeOnly: "secret_string_wo",
    version: "secret_string_wo_version",
  },
  {
    label: "Azure Key Vault",
    providers: { azurerm: true },
    sink: (writeOnly) =>
      new AzureKeyVaultSink({
        keyVaultId: "/subscriptions/0000/resourceGroups/apps/providers/Microsoft.KeyVault/vaults/orders",
        name: "orders-confluent",
        writeOnly,
      }),
    type: "azurerm_key_vault_secret",
    plain: "value",
    writeOnly: "value_wo",
    version: "value_wo_version",
  },
  {
    label: "GCP Secret Manager",
    providers: { google: true },
    sink: (writeOnly) => new GcpSecretManagerSink({ secretId: "orders-confluent", writeOnly }),
    type: "google_secret_manager_secret_version",
    plain: "secret_data",
    writeOnly: "secret_data_wo",
    version: "secret_data_wo_version",
  },
  {
    label: "Kubernetes",
    providers: { kubernetes: true },
    sink: (writeOnly) => new KubernetesSecretSink({ name: "orders-confluent", namespace: "orders", writeOnly }),
    type: "kubernetes_secret_v1",
    plain: "data",
    writeOnly: "data_wo",
    version: "data_wo_revision",
    dataKey: "credentials.json",
  },
];

/** The fields of the published `jsonencode({...})` document, as Terraform expressions. */
function documentFields(expression: unknown): Record<string, string> {
  expect(String(expression)).toMatch(/^\$\{jsonencode\(\{.*\}\)\}$/);
  return Object.fromEntries([...String(expression).matchAll(/"(\w+)" = ([^,}]+)/g)].map((m) => [m[1], m[2].trim()]));
}

function synthAt(store: StoreCase, state: RotationState, writeOnly: boolean): SynthesizedStack {
  const stack = bgStack(store.providers);
  new BlueGreenApiKey(stack, "Orders", {
    rotationName: "orders",
    scope: scope(),
    rotationState: state,
    secretSink: store.sink(writeOnly),
  });
  return synthesizeStack(stack);
}

/** Every attribute of every non-Confluent resource and output, except write-only ones, as JSON text. */
function nonWriteOnlyText(json: SynthesizedStack): string {
  const bodies = Object.entries(json.resource ?? {})
    .filter(([type]) => !type.startsWith("confluent_"))
    .flatMap(([, byName]) => Object.values(byName));
  const visible = bodies.map((body) => Object.fromEntries(Object.entries(body).filter(([k]) => !k.endsWith("_wo"))));
  return JSON.stringify([visible, json.output ?? {}]);
}

describe.each(STORES)("$label sink on a blue/green key", (store) => {
  test.each([false, true])("republishes on every rotation step (writeOnly: %s)", (writeOnly) => {
    const addresses = new Set<string>();
    const published: { step: string; keyId: string; version: unknown }[] = [];
    for (const { step, state } of rotationSteps()) {
      const json = synthAt(store, state, writeOnly);
      const [[name, body], ...others] = resourcesOfType(json, store.type);
      expect(others).toHaveLength(0);
      addresses.add(name);
      const attribute = body[writeOnly ? store.writeOnly : store.plain];
      const document = store.dataKey ? (attribute as Record<string, unknown>)[store.dataKey] : attribute;
      const fields = documentFields(document);
      const active = entryFor(state, "orders").active;
      const activeKey = resourcesOfType(json, "confluent_api_key").find(([n]) =>
        n.includes(`_${active === "blue" ? "Blue" : "Green"}_`),
      );
      expect(fields).toMatchObject({
        key_id: `confluent_api_key.${activeKey?.[0]}.id`,
        secret: `confluent_api_key.${activeKey?.[0]}.secret`,
        slot: `"${active}"`,
      });
      if (writeOnly) {
        expect(body[store.plain]).toBeUndefined();
        expect(nonWriteOnlyText(json)).not.toMatch(/confluent_api_key\.[A-Za-z0-9_]+\.secret/);
      } else {
        expect(body[store.writeOnly]).toBeUndefined();
        expect(body[store.version]).toBeUndefined();
      }
      published.push({ step, keyId: fields.key_id, version: body[store.version] });
    }
    // One publishing resource throughout: a rotation never renames (and so never deletes) it.
    expect(addresses.size).toBe(1);
    // Each start publishes the other slot; each finish leaves the published key as it is.
    const keys = published.map((p) => p.keyId);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe(keys[1]);
    expect(keys[3]).toBe(keys[0]);
    expect(keys[4]).toBe(keys[3]);
    // With writeOnly, the version follows the rotation count, so Terraform sends the new value on each start.
    expect(published.map((p) => p.version)).toEqual(
      writeOnly ? [1, 2, 2, 3, 3] : [undefined, undefined, undefined, undefined, undefined],
    );
  });
});

describe("write-only publishing", () => {
  test.each(STORES)("$label: refused for a key whose rotations are not counted", (store) => {
    const stack = bgStack(store.providers);
    expect(() => new ServiceAccountWithKey(stack, "Ci", { scope: scope(), secretSink: store.sink(true) })).toThrow(
      /Ci: writeOnly needs a key whose rotations are counted \(BlueGreenApiKey\)/,
    );
  });

  test.each(STORES)("$label: without writeOnly, a ServiceAccountWithKey publishes the plain attribute", (store) => {
    const stack = bgStack(store.providers);
    new ServiceAccountWithKey(stack, "Ci", { scope: scope(), secretSink: store.sink(false) });
    const [[, body]] = resourcesOfType(synthesizeStack(stack), store.type);
    expect(body[store.plain]).toBeDefined();
  });
});

describe("the escape-hatch stores", () => {
  const state = emptyRotationState();
  const publish = (providers: BgStackOptions, sink: SecretSink) => {
    const stack = bgStack(providers);
    new BlueGreenApiKey(stack, "Orders", {
      rotationName: "orders",
      scope: scope(),
      rotationState: state,
      secretSink: sink,
    });
    return synthesizeStack(stack);
  };

  test("Azure: a JSON secret in the given vault, on the azurerm provider", () => {
    const json = publish(
      { azurerm: true },
      new AzureKeyVaultSink({ keyVaultId: "${azurerm_key_vault.v.id}", name: "orders", tags: { team: "orders" } }),
    );
    const [[, secret]] = resourcesOfType(json, "azurerm_key_vault_secret");
    expect(secret).toMatchObject({
      key_vault_id: "${azurerm_key_vault.v.id}",
      name: "orders",
      content_type: "application/json",
      tags: { team: "orders" },
    });
    expect(Object.keys(json.provider as object)).toContain("azurerm");
  });

  test("GCP: a created secret with automatic replication, and a create-before-destroy version of it", () => {
    const json = publish(
      { google: true },
      new GcpSecretManagerSink({ secretId: "orders", labels: { team: "orders" } }),
    );
    const [[secretName, secret]] = resourcesOfType(json, "google_secret_manager_secret");
    expect(secret).toMatchObject({ secret_id: "orders", labels: { team: "orders" }, replication: { auto: {} } });
    const [[, version]] = resourcesOfType(json, "google_secret_manager_secret_version");
    expect(version.secret).toBe(`\${google_secret_manager_secret.${secretName}.id}`);
    expect(version.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("GCP: versions of an existing secret", () => {
    const json = publish({ google: true }, new GcpSecretManagerSink({ existingSecret: "projects/p/secrets/orders" }));
    expect(resourcesOfType(json, "google_secret_manager_secret")).toHaveLength(0);
    expect(resourcesOfType(json, "google_secret_manager_secret_version")[0][1].secret).toBe(
      "projects/p/secrets/orders",
    );
  });

  test("Kubernetes: an Opaque Secret with the document under its key", () => {
    const json = publish(
      { kubernetes: true },
      new KubernetesSecretSink({ name: "orders-kafka", namespace: "orders", key: "kafka.json", labels: { app: "o" } }),
    );
    const [[, secret]] = resourcesOfType(json, "kubernetes_secret_v1");
    expect(secret).toMatchObject({ metadata: { name: "orders-kafka", namespace: "orders", labels: { app: "o" } } });
    expect(secret.type).toBe("Opaque");
    expect(Object.keys(secret.data as object)).toEqual(["kafka.json"]);
  });

  test("the HCL output carries the same attributes", () => {
    const stack = bgStack({ kubernetes: true });
    new BlueGreenApiKey(stack, "Orders", {
      rotationName: "orders",
      scope: scope(),
      rotationState: state,
      secretSink: new KubernetesSecretSink({ name: "orders", namespace: "orders", writeOnly: true }),
    });
    const hcl = stack.toHclTerraform() as { hcl: string };
    expect(hcl.hcl).toMatch(/resource "kubernetes_secret_v1" "Orders_PublishedSecret_[0-9A-F]+" \{/);
    expect(hcl.hcl).toMatch(/data_wo_revision = 1/);
    expect(hcl.hcl).toMatch(/metadata \{\s+name\s+= "orders"/);
  });

  test.each([
    [
      "an Azure name with a dot",
      () => new AzureKeyVaultSink({ keyVaultId: "id", name: "a.b" }),
      /name 'a.b' may contain/,
    ],
    [
      "an Azure sink without a vault",
      () => new AzureKeyVaultSink({ keyVaultId: " ", name: "a" }),
      /keyVaultId must be/,
    ],
    [
      "GCP with both",
      () => new GcpSecretManagerSink({ secretId: "a", existingSecret: "b" }),
      /exactly one of .* got 2/,
    ],
    ["GCP with neither", () => new GcpSecretManagerSink({}), /exactly one of .* got 0/],
    ["a GCP id with a slash", () => new GcpSecretManagerSink({ secretId: "a/b" }), /secretId 'a\/b' may contain/],
    ["a GCP secret that is no name", () => new GcpSecretManagerSink({ existingSecret: "orders" }), /'projects\//],
    [
      "an upper-case Kubernetes name",
      () => new KubernetesSecretSink({ name: "Orders", namespace: "o" }),
      /name 'Orders'/,
    ],
    ["a Kubernetes namespace with a dot", () => new KubernetesSecretSink({ name: "o", namespace: "a.b" }), /namespace/],
    ["a Kubernetes key with a slash", () => new KubernetesSecretSink({ name: "o", namespace: "o", key: "a/b" }), /key/],
  ])("props are validated: %s", (_label, build, message) => {
    expect(build).toThrow(message);
  });
});
