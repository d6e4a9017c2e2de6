import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { KeyScope } from "../../constructs";
import { BlueGreenApiKey } from "../../constructs/blue-green-api-key";
import { emptyRotationState, initialEntry, startRotation, withEntry } from "../../policies/rotation-state";
import { AwsSecretsManagerSink, SensitiveOutputSink, VaultKvSecretSink } from "../../constructs/secret-sinks";
import { resourcesOfType, synthesizeStack } from "../../testing";
import { bgStack } from "./blue-green-helpers";

const scope = () => KeyScope.kafkaCluster({ clusterId: "lkc-abc123", environment: "env-abc123", type: "dedicated" });
const rotating = withEntry(emptyRotationState(), "orders", startRotation(initialEntry(), "2026-11-01T00:00:00Z"));

/** The document a sink publishes, as the Terraform expression cdk.tf.json carries. */
function documentFields(expression: string): Record<string, string> {
  expect(expression).toMatch(/^\$\{jsonencode\(\{.*\}\)\}$/);
  return Object.fromEntries([...expression.matchAll(/"(\w+)" = ([^,}]+)/g)].map((m) => [m[1], m[2].trim()]));
}

describe("secret sinks", () => {
  test("Vault KV v2: one secret with {key_id, secret, slot, endpoint} of the active slot", () => {
    const stack = bgStack({ vault: true });
    new BlueGreenApiKey(stack, "Orders", {
      rotationName: "orders",
      scope: scope(),
      rotationState: rotating,
      endpoint: "SASL_SSL://pkc-abc.eu-central-1.aws.confluent.cloud:9092",
      secretSink: new VaultKvSecretSink({ mount: "kv", name: "apps/orders/confluent", namespace: "team-a" }),
    });
    const json = synthesizeStack(stack);
    const secrets = resourcesOfType(json, "vault_kv_secret_v2");
    expect(secrets).toHaveLength(1);
    const [name, secret] = secrets[0];
    expect(name).toMatch(/^Orders_PublishedSecret_/);
    expect(secret).toMatchObject({ mount: "kv", name: "apps/orders/confluent", namespace: "team-a" });
    const green = resourcesOfType(json, "confluent_api_key").find(([a]) => a.includes("_Green_"))?.[0];
    expect(documentFields(String(secret.data_json))).toEqual({
      key_id: `confluent_api_key.${green}.id`,
      secret: `confluent_api_key.${green}.secret`,
      slot: '"green"',
      endpoint: '"SASL_SSL://pkc-abc.eu-central-1.aws.confluent.cloud:9092"',
    });
    expect(json.output).toBeUndefined();
  });

  test("AWS Secrets Manager: creates the secret and a create-before-destroy version", () => {
    const stack = bgStack({ aws: true });
    new BlueGreenApiKey(stack, "Orders", {
      rotationName: "orders",
      scope: scope(),
      rotationState: emptyRotationState(),
      secretSink: new AwsSecretsManagerSink({ secretName: "apps/orders/confluent", kmsKeyId: "alias/apps" }),
    });
    const json = synthesizeStack(stack);
    const [[secretName, secret]] = resourcesOfType(json, "aws_secretsmanager_secret");
    expect(secret).toMatchObject({ name: "apps/orders/confluent", kms_key_id: "alias/apps" });
    const [[, version]] = resourcesOfType(json, "aws_secretsmanager_secret_version");
    expect(version.secret_id).toBe(`\${aws_secretsmanager_secret.${secretName}.id}`);
    expect(version.lifecycle).toEqual({ create_before_destroy: true });
    expect(documentFields(String(version.secret_string))).toMatchObject({ slot: '"blue"' });
  });

  test("AWS Secrets Manager: publishes to an existing secret by ARN", () => {
    const stack = bgStack({ aws: true });
    const arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:apps/orders-AbCdEf";
    new BlueGreenApiKey(stack, "Orders", {
      rotationName: "orders",
      scope: scope(),
      rotationState: emptyRotationState(),
      secretSink: new AwsSecretsManagerSink({ secretArn: arn }),
    });
    const json = synthesizeStack(stack);
    expect(resourcesOfType(json, "aws_secretsmanager_secret")).toHaveLength(0);
    expect(resourcesOfType(json, "aws_secretsmanager_secret_version")[0][1].secret_id).toBe(arn);
  });

  test("without a store: one sensitive output with the document", () => {
    const stack = bgStack();
    new BlueGreenApiKey(stack, "Orders", {
      rotationName: "orders",
      scope: scope(),
      rotationState: emptyRotationState(),
      secretSink: new SensitiveOutputSink({ description: "orders credentials" }),
    });
    const outputs = Object.values(synthesizeStack(stack).output ?? {});
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({ sensitive: true, description: "orders credentials" });
    expect(Object.keys(documentFields(String(outputs[0].value)))).toEqual(["key_id", "secret", "slot"]);
  });

  test.each([
    [
      "both secretName and secretArn",
      () => new AwsSecretsManagerSink({ secretName: "a", secretArn: "b" }),
      /exactly one of secretName/,
    ],
    ["neither", () => new AwsSecretsManagerSink({}), /exactly one of secretName .* got 0/],
    [
      "a bad secret name",
      () => new AwsSecretsManagerSink({ secretName: "has space" }),
      /secretName 'has space' may contain only/,
    ],
    [
      "a bad vault path",
      () => new VaultKvSecretSink({ mount: "kv", name: "/apps/" }),
      /name '\/apps\/' must be a path/,
    ],
  ])("sink props are validated: %s", (_label, build, message) => {
    expect(build).toThrow(message);
  });

  test("one sink publishes one key", () => {
    const stack = bgStack({ vault: true });
    const sink = new VaultKvSecretSink({ mount: "kv", name: "apps/shared" });
    new BlueGreenApiKey(stack, "A", {
      rotationName: "a",
      scope: scope(),
      rotationState: emptyRotationState(),
      secretSink: sink,
    });
    expect(
      () =>
        new BlueGreenApiKey(stack, "B", {
          rotationName: "b",
          scope: scope(),
          rotationState: emptyRotationState(),
          secretSink: sink,
        }),
    ).toThrow(/this secret sink already publishes the key of test\/A/);
  });

  /** Runs `code` in a fresh node (tsx) and returns what it printed; `preload` runs first. */
  function probe(code: string, preload = ""): { stdout: string; stderr: string } {
    const root = join(__dirname, "..", "..");
    const result = spawnSync(process.execPath, ["--import", "tsx", "-e", `${preload}\n${code}`], {
      cwd: root,
      encoding: "utf8",
    });
    return { stdout: result.stdout, stderr: result.stderr };
  }

  test("importing the kit loads no store provider; a sink loads only the submodules it uses, at construction", () => {
    const code = [
      'const kit = require("./constructs");',
      "const loaded = () => Object.keys(require.cache).filter((f) => /@cdktf.provider-/.test(f)).map((f) => f.split('@cdktf/')[1]);",
      "const atImport = loaded();",
      'new kit.AwsSecretsManagerSink({ secretName: "apps/a" });',
      "process.stdout.write(JSON.stringify({ atImport, afterSink: loaded() }));",
    ].join("\n");
    const { stdout, stderr } = probe(code);
    expect(stderr).toBe("");
    const { atImport, afterSink } = JSON.parse(stdout) as { atImport: string[]; afterSink: string[] };
    expect(atImport).toEqual([]);
    expect(afterSink.length).toBeGreaterThan(0);
    expect(afterSink).not.toContain("provider-aws/lib/index.js");
    expect(
      afterSink.every((f) =>
        /^provider-aws\/(package\.json|lib\/secretsmanager-secret(-version)?\/index\.js)$/.test(f),
      ),
    ).toBe(true);
  });

  test("a sink whose provider package is not installed fails at construction with one line naming it", () => {
    // Makes @cdktf/provider-vault unresolvable in the child, as in an app that never installed it.
    const hide = [
      'const Module = require("node:module");',
      "const resolve = Module._resolveFilename;",
      "Module._resolveFilename = function (request, ...rest) {",
      '  if (request.startsWith("@cdktf/provider-vault")) {',
      "    throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });",
      "  }",
      "  return resolve.call(this, request, ...rest);",
      "};",
    ].join("\n");
    const code = [
      'const kit = require("./constructs");',
      'try { new kit.VaultKvSecretSink({ mount: "kv", name: "apps/a" }); } catch (e) { process.stdout.write(e.message); }',
    ].join("\n");
    const { stdout, stderr } = probe(code, hide);
    expect(stderr).toBe("");
    expect(stdout).toBe(
      'VaultKvSecretSink needs the optional peer dependency @cdktf/provider-vault (^15.6.1), which is not installed: npm install @cdktf/provider-vault@"^15.6.1"',
    );
  });
});
