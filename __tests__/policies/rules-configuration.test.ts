/**
 * Rules on configuration inputs: synthesized cdk.tf.json (with keykit metadata), the same object at synth, and HCL.
 * Each rule has a compliant and a non-compliant case.
 */
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadHclFiles } from "../../policies/loaders/hcl";
import { ALL_RULES } from "../../policies/rules";
import { ruleById } from "../../policies/rules/catalogue";
import { checkSynthesizedStack } from "../../policies/synth";
import { type Json, compliantStack, key, meta, stack } from "./helpers/synth";

const NOW = "2026-11-28T00:00:00Z";

function ids(json: unknown, kind: "cdktf-json" | "synth" = "cdktf-json"): string[] {
  const model = loadConfiguration(json, { kind, source: "cdk.tf.json" });
  return evaluate(model, ALL_RULES, [], { now: NOW })
    .findings.filter((f) => !f.suppressed)
    .map((f) => f.ruleId);
}

async function hclIds(text: string): Promise<string[]> {
  const model = await loadHclFiles([{ file: "main.tf", text }], { source: "dir" });
  return evaluate(model, ALL_RULES, [], { now: NOW }).findings.map((f) => f.ruleId);
}

function withResources(extra: Record<string, Record<string, Json>>, tier?: "production" | "development"): Json {
  const base = compliantStack() as { resource: Record<string, Record<string, Json>> };
  const resource = { ...base.resource };
  for (const [type, byName] of Object.entries(extra)) resource[type] = { ...(resource[type] ?? {}), ...byName };
  return { ...base, resource, ...(tier ? { "//": { keykit: { version: 1, tier } } } : {}) };
}

const rotated = (name: string, slot: "blue" | "green" = "blue") => ({
  construct: "BlueGreenApiKey",
  rotation: { name, slot, active: slot === "blue" },
});

describe("compliant stack", () => {
  it("has no findings as cdk.tf.json and at synth", () => {
    expect(ids(compliantStack())).toEqual([]);
    expect(checkSynthesizedStack(compliantStack(), { now: NOW }).findings).toEqual([]);
  });
});

describe("KK001 ApiKeyOwnedByServiceAccount", () => {
  const userKey = { user_key: key("UserKey", "${data.confluent_user.dev.id}", { id: "lkc-1" }, rotated("u")) };
  it("flags a key owned by a data.confluent_user reference in production", () => {
    expect(ids(withResources({ confluent_api_key: userKey }))).toContain("KK001");
  });
  it("flags a literal u- owner", () => {
    expect(
      ids(withResources({ confluent_api_key: { k: key("K", "u-123", { id: "lkc-1" }, rotated("k")) } })),
    ).toContain("KK001");
  });
  it("is a warning in development without opt-in and silent with the opt-in", () => {
    const dev = loadConfiguration(withResources({ confluent_api_key: userKey }, "development"), { source: "x" });
    const f = evaluate(dev, [ruleById("KK001")!], [], { now: NOW }).findings;
    expect(f.map((x) => x.severity)).toEqual(["warning"]);
    const optedIn = {
      user_key: key(
        "UserKey",
        "${data.confluent_user.dev.id}",
        { id: "lkc-1" },
        { ...rotated("u"), userOwner: { reason: "local experiments" } },
      ),
    };
    const model = loadConfiguration(withResources({ confluent_api_key: optedIn }, "development"), { source: "x" });
    expect(evaluate(model, [ruleById("KK001")!], [], { now: NOW }).findings).toEqual([]);
  });
  it("does not flag a service-account owner written as a reference", () => {
    expect(ids(compliantStack())).not.toContain("KK001");
  });
  it("works on HCL with references resolved", async () => {
    const hcl = (owner: string) => `
resource "confluent_api_key" "k" {
  owner {
    id          = ${owner}
    api_version = "iam/v2"
    kind        = "User"
  }
}`;
    expect(await hclIds(hcl("data.confluent_user.me.id"))).toContain("KK001");
    expect(await hclIds(hcl("confluent_service_account.app.id"))).not.toContain("KK001");
  });
});

describe("KK002 GlobalApiKeyServesSupportedResources", () => {
  const globalKey = (serves: Json[]) => ({
    g: {
      ...key(
        "Global",
        "${confluent_service_account.app.id}",
        { id: "global", apiVersion: "global/v1" },
        { ...rotated("g"), construct: "GlobalApiKey", serves: serves as never },
      ),
    },
  });
  it("accepts two supported resources (dedicated cluster by reference, private Schema Registry)", () => {
    const json = withResources({
      confluent_api_key: globalKey([
        { kind: "kafka", id: "${confluent_kafka_cluster.cluster.id}" },
        { kind: "schema-registry", id: "lsrc-1", networking: "private" },
      ]),
    });
    expect(ids(json)).not.toContain("KK002");
  });
  it("flags a global key serving one resource", () => {
    expect(ids(withResources({ confluent_api_key: globalKey([{ kind: "cloud", id: "cloud" }]) }))).toContain("KK002");
  });
  it("flags unsupported resources: a basic cluster and public Schema Registry", () => {
    const json = withResources({
      confluent_api_key: globalKey([
        { kind: "kafka", id: "lkc-basic", clusterType: "basic" },
        { kind: "schema-registry", id: "lsrc-1", networking: "public" },
      ]),
    });
    const model = loadConfiguration(json, { source: "x" });
    const messages = evaluate(model, [ruleById("KK002")!], [], { now: NOW }).findings.map((f) => f.message);
    expect(messages.some((m) => m.includes("basic"))).toBe(true);
    expect(messages.some((m) => m.includes("private networking"))).toBe(true);
  });
  it("warns on a global key without metadata (plain HCL)", async () => {
    const hcl = `
resource "confluent_api_key" "g" {
  owner {
    id = confluent_service_account.app.id
    api_version = "iam/v2"
    kind = "ServiceAccount"
  }
  managed_resource {
    id = "global"
    api_version = "global/v1"
    kind = "Global"
  }
}`;
    expect(await hclIds(hcl)).toContain("KK002");
  });
});

describe("KK003 ApiKeyUnderRotation", () => {
  it("warns on a key that is not a rotation slot", () => {
    const json = withResources({
      confluent_api_key: { plain: key("Plain", "${confluent_service_account.app.id}", { id: "lkc-1" }) },
    });
    expect(ids(json)).toContain("KK003");
    expect(ids(compliantStack())).not.toContain("KK003");
  });
});

describe("KK004 ApiKeyYoungerThanMaxAge", () => {
  it("flags a rotation slot created more than 90 days ago and not a young one", () => {
    const model = loadConfiguration(compliantStack(), { source: "x" });
    const old = { ...model, apiKeys: model.apiKeys.map((k) => ({ ...k, createdAt: "2026-01-01T00:00:00Z" })) };
    const young = { ...model, apiKeys: model.apiKeys.map((k) => ({ ...k, createdAt: "2026-11-01T00:00:00Z" })) };
    const rule = [ruleById("KK004")!];
    expect(evaluate(old, rule, [], { now: NOW }).findings[0].message).toMatch(/331 days ago \(maximum 90\)/);
    expect(evaluate(young, rule, [], { now: NOW }).findings).toEqual([]);
    expect(evaluate(young, rule, [], { now: NOW, maxAgeDays: 20 }).findings).toHaveLength(1);
  });
});

describe("KK005 OutputsDoNotExposeSecrets", () => {
  it("flags a non-sensitive output of a key secret, not a sensitive one", () => {
    const exposed = { ...compliantStack(), output: { s: { value: "${confluent_api_key.app_blue.secret}" } } };
    const hidden = {
      ...compliantStack(),
      output: { s: { value: "${confluent_api_key.app_blue.secret}", sensitive: true } },
    };
    const idOnly = { ...compliantStack(), output: { s: { value: "${confluent_api_key.app_blue.id}" } } };
    expect(ids(exposed)).toContain("KK005");
    expect(ids(hidden)).not.toContain("KK005");
    expect(ids(idOnly)).not.toContain("KK005");
  });
  it("flags a whole-object output in HCL", async () => {
    expect(await hclIds(`output "k" {\n  value = confluent_api_key.k\n}\n`)).toContain("KK005");
    expect(await hclIds(`output "k" {\n  value = confluent_api_key.k\n  sensitive = true\n}\n`)).not.toContain("KK005");
  });
});

describe("KK006 SecretsOnlyInSecretStores", () => {
  it("flags a secret written to a local_file, accepts Vault KV v2 / AWS Secrets Manager and confluent credentials blocks", () => {
    const file = withResources({
      local_file: { creds: { ...meta("File"), filename: "creds", content: "${confluent_api_key.app_blue.secret}" } },
    });
    const aws = withResources({
      aws_secretsmanager_secret_version: {
        v: { ...meta("Aws"), secret_id: "x", secret_string: "${confluent_api_key.app_blue.secret}" },
      },
    });
    const topic = withResources({
      confluent_kafka_topic: {
        t: {
          ...meta("Topic"),
          topic_name: "orders",
          credentials: { key: "${confluent_api_key.app_blue.id}", secret: "${confluent_api_key.app_blue.secret}" },
        },
      },
    });
    expect(ids(file)).toContain("KK006");
    expect(ids(aws)).not.toContain("KK006");
    expect(ids(topic)).not.toContain("KK006");
  });
  it("flags a kubernetes config map in HCL", async () => {
    const hcl = `resource "kubernetes_config_map" "c" {\n  data = {\n    secret = confluent_api_key.k.secret\n  }\n}\n`;
    expect(await hclIds(hcl)).toContain("KK006");
  });
});

describe("KK007 ProviderCredentialsFromEnvironment", () => {
  it("flags literal cloud_api_key/secret and accepts variables or nothing", () => {
    expect(ids(stack({ provider: { cloud_api_key: "ABCD", cloud_api_secret: "not-a-real-secret" } }))).toContain(
      "KK007",
    );
    expect(ids(stack({ provider: { cloud_api_key: "${var.key}", cloud_api_secret: "${var.secret}" } }))).not.toContain(
      "KK007",
    );
    expect(ids(stack({}))).not.toContain("KK007");
  });
  it("flags literals in HCL, including the oauth block", async () => {
    expect(await hclIds(`provider "confluent" {\n  kafka_api_secret = "literal-secret-value"\n}\n`)).toContain("KK007");
    expect(
      await hclIds(`provider "confluent" {\n  oauth {\n    oauth_external_client_secret = "x-secret"\n  }\n}\n`),
    ).toContain("KK007");
    expect(await hclIds(`provider "confluent" {\n  kafka_api_secret = var.secret\n}\n`)).not.toContain("KK007");
  });
});

describe("KK007 through a variable default", () => {
  it("flags a credential whose variable has a literal default, not one without a default", async () => {
    const withDefault = {
      ...stack({ provider: { cloud_api_secret: "${var.secret}" } }),
      variable: { secret: { default: "committed-secret", sensitive: true } },
    };
    const model = loadConfiguration(withDefault, { source: "x" });
    const f = evaluate(model, [ruleById("KK007")!], [], { now: NOW }).findings;
    expect(f[0]?.message).toContain("cloud_api_secret (through the default of var.secret)");
    expect(f[0]?.message).not.toContain("committed-secret");
    const noDefault = {
      ...stack({ provider: { cloud_api_secret: "${var.secret}" } }),
      variable: { secret: { sensitive: true } },
    };
    expect(ids(noDefault)).not.toContain("KK007");
    const hcl = (d: string) => `variable "s" {\n${d}}\nprovider "confluent" {\n  cloud_api_secret = var.s\n}\n`;
    expect(await hclIds(hcl('  default = "abc-secret"\n'))).toContain("KK007");
    expect(await hclIds(hcl("  sensitive = true\n"))).not.toContain("KK007");
  });
});

describe("KK008 ServiceAccountInUse", () => {
  it("flags a service account with no key and no binding; one with only an ACL is in use", () => {
    const idle = withResources({ confluent_service_account: { idle: { ...meta("Idle"), display_name: "idle" } } });
    expect(ids(idle)).toContain("KK008");
    const acl = withResources({
      confluent_service_account: { reader: { ...meta("Reader"), display_name: "reader" } },
      confluent_kafka_acl: {
        r: { ...meta("Acl"), principal: "User:${confluent_service_account.reader.id}", operation: "READ" },
      },
    });
    expect(ids(acl)).not.toContain("KK008");
  });
  it("works on HCL", async () => {
    expect(await hclIds(`resource "confluent_service_account" "idle" {\n  display_name = "idle"\n}\n`)).toContain(
      "KK008",
    );
  });
});

describe("KK009 AtMostTwoKeysPerOwnerAndScope", () => {
  const k = (n: string) =>
    key(n, "${confluent_service_account.app.id}", { id: "${confluent_kafka_cluster.cluster.id}" }, rotated(n));
  it("accepts two keys (a rotation) and flags three for the same owner and scope", () => {
    expect(ids(withResources({ confluent_api_key: { app_green: k("g") } }))).not.toContain("KK009");
    expect(ids(withResources({ confluent_api_key: { app_green: k("g"), third: k("t") } }))).toContain("KK009");
  });
});

describe("plan-only rules never fire on configuration", () => {
  it("KK010-KK013 are silent on a stack", () => {
    const json = withResources({ confluent_api_key: { a: key("A", "u-1", { id: "lkc-1" }) } });
    expect(ids(json).filter((id) => ["KK010", "KK011", "KK012", "KK013"].includes(id))).toEqual([]);
  });
});
