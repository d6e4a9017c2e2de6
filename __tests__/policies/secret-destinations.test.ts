/**
 * Where a key's secret may go: the secret-store table (item 6 of issue 9) and the Confluent credential consumers
 * generated from the provider schema (item 5). Consumer cases are generated from the committed table and checked
 * against the schema itself, so neither can drift from the other unnoticed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  CONFLUENT_PROVIDER_CREDENTIAL_ATTRIBUTES,
  CREDENTIAL_CONSUMERS,
  SECRET_STORES,
  credentialBlockPaths,
  isConfluentProviderCredential,
  isCredentialConsumer,
  isSecretStoreValuePath,
  secretStoreFor,
} from "../../policies/secret-destinations";

const ROOT = resolve(__dirname, "../..");
const SCHEMA_FILE = join(ROOT, "schema", "schema.json");
const GENERATOR = join(ROOT, "scripts/gen-credential-consumers.mjs");

interface SchemaBlock {
  readonly attributes?: Record<string, { readonly type: unknown; readonly sensitive?: boolean }>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}
interface ProviderSchema {
  readonly provider: { readonly block: SchemaBlock };
  readonly resource_schemas: Record<string, { readonly block: SchemaBlock }>;
  readonly data_source_schemas: Record<string, { readonly block: SchemaBlock }>;
}
const fullSchema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as {
  provider_schemas: Record<string, ProviderSchema>;
};
const confluent = fullSchema.provider_schemas["registry.terraform.io/confluentinc/confluent"];

type Mode = "managed" | "data";
const schemasOf = (mode: Mode) => (mode === "managed" ? confluent.resource_schemas : confluent.data_source_schemas);

/** Every (mode, type, block path) of the committed table. */
const tableCases: [Mode, string, readonly string[]][] = (["managed", "data"] as const).flatMap((mode) =>
  Object.entries(mode === "managed" ? CREDENTIAL_CONSUMERS.resources : CREDENTIAL_CONSUMERS.dataSources).flatMap(
    ([type, paths]) => paths.map((p): [Mode, string, readonly string[]] => [mode, type, p]),
  ),
);

/** The Terraform JSON path through `blocks` (each a list of one) to `leaf`: `[b0, 0, b1, 0, leaf]`. */
const listPath = (blocks: readonly string[], leaf?: string) => [
  ...blocks.flatMap((b) => [b, 0]),
  ...(leaf ? [leaf] : []),
];

function runGenerator(args: string[]) {
  return spawnSync(process.execPath, [GENERATOR, ...args], { encoding: "utf8", timeout: 30_000 });
}

describe("the generated credential-consumer table", () => {
  it("is what the generator makes from the provider schema today (fails when stale)", () => {
    const run = runGenerator([SCHEMA_FILE, "--check"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("is reported stale, in one line, when the schema gains or loses a consumer", () => {
    const dir = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "consumers-"));
    try {
      const changed = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
      const provider = changed.provider_schemas["registry.terraform.io/confluentinc/confluent"];
      delete provider.resource_schemas.confluent_kafka_topic.block.block_types.credentials;
      writeFileSync(join(dir, "schema.json"), JSON.stringify(changed));
      const run = runGenerator([join(dir, "schema.json"), "--check"]);
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/credential-consumers\.ts is stale/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a file that is not the Confluent provider schema, in one line", () => {
    const dir = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "consumers-"));
    try {
      writeFileSync(join(dir, "schema.json"), JSON.stringify({ provider_schemas: {} }));
      const run = runGenerator([join(dir, "schema.json"), "--check"]);
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).not.toMatch(/ at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("was read from all 64 resources and 63 data sources", () => {
    expect(CREDENTIAL_CONSUMERS.schemaCounts).toEqual({
      resources: Object.keys(confluent.resource_schemas).length,
      dataSources: Object.keys(confluent.data_source_schemas).length,
    });
    expect(CREDENTIAL_CONSUMERS.schemaCounts).toEqual({ resources: 64, dataSources: 63 });
  });

  it("has the consumers issue 9 names", () => {
    expect(credentialBlockPaths("confluent_cluster_link", "managed")).toEqual(
      expect.arrayContaining([
        ["local_kafka_cluster", "credentials"],
        ["remote_kafka_cluster", "credentials"],
        ["source_kafka_cluster", "credentials"],
        ["destination_kafka_cluster", "credentials"],
      ]),
    );
    expect(credentialBlockPaths("confluent_kafka_mirror_topic", "managed")).toEqual([["kafka_cluster", "credentials"]]);
    expect(credentialBlockPaths("confluent_schema_exporter", "managed")).toContainEqual([
      "destination_schema_registry_cluster",
      "credentials",
    ]);
    expect(credentialBlockPaths("confluent_kafka_topic", "managed")).toEqual([["credentials"]]);
    expect(credentialBlockPaths("confluent_kafka_acl", "managed")).toEqual([["credentials"]]);
    expect(credentialBlockPaths("confluent_kafka_topic", "data")).toEqual([["credentials"]]);
  });

  it.each(tableCases)("%s %s %j is a { key, secret } block of the schema", (mode, type, blocks) => {
    let block: SchemaBlock = schemasOf(mode)[type].block;
    for (const name of blocks) {
      const nested = block.block_types?.[name];
      expect(nested).toBeDefined();
      block = nested!.block;
    }
    expect(Object.keys(block.attributes ?? {}).sort()).toEqual(["key", "secret"]);
    expect(block.attributes?.secret.sensitive).toBe(true);
  });
});

describe("isCredentialConsumer", () => {
  it.each(tableCases)("%s %s %j: the secret and the key in both path shapes", (mode, type, blocks) => {
    expect(isCredentialConsumer(type, mode, listPath(blocks, "secret"))).toBe(true);
    expect(isCredentialConsumer(type, mode, listPath(blocks, "key"))).toBe(true);
    expect(isCredentialConsumer(type, mode, [...blocks, "secret"])).toBe(true);
    expect(isCredentialConsumer(type, mode, [...blocks, "key"])).toBe(true);
    expect(isCredentialConsumer(type, mode, listPath(blocks))).toBe(true);
    expect(isCredentialConsumer(type, mode, [])).toBe(false);
  });

  it.each(tableCases)("%s %s %j: nothing beside, below or above the block", (mode, type, blocks) => {
    expect(isCredentialConsumer(type, mode, listPath(blocks, "other"))).toBe(false);
    expect(isCredentialConsumer(type, mode, [...listPath(blocks, "secret"), 0])).toBe(false);
    expect(isCredentialConsumer(type, mode, [...listPath(blocks), 0])).toBe(false);
    expect(isCredentialConsumer(type, mode, [...blocks, 0, 0, "secret"])).toBe(false);
    if (blocks.length > 1)
      expect(isCredentialConsumer(type, mode, listPath(blocks.slice(0, -1), "secret"))).toBe(false);
    expect(isCredentialConsumer(`${type}_x`, mode, listPath(blocks, "secret"))).toBe(false);
  });

  it.each(tableCases)(
    "%s %s %j: written as a dynamic block, in the HCL and cdk.tf.json shapes",
    (mode, type, blocks) => {
      const last = blocks.length - 1;
      const parents = blocks.slice(0, last);
      expect(
        isCredentialConsumer(type, mode, [...listPath(parents), "dynamic", blocks[last], 0, "content", 0, "secret"]),
      ).toBe(true);
      expect(isCredentialConsumer(type, mode, [...parents, "dynamic", blocks[last], "content", "key"])).toBe(true);
      expect(isCredentialConsumer(type, mode, [...parents, "dynamic", blocks[last], "for_each"])).toBe(false);
      expect(isCredentialConsumer(type, mode, [...parents, "dynamic", blocks[last], "content", "other"])).toBe(false);
      expect(isCredentialConsumer(type, mode, [...parents, "dynamic", "other_block", "content", "secret"])).toBe(false);
    },
  );

  it("answers for the mode asked: a data source's blocks are not the resource's", () => {
    for (const [mode, type, blocks] of tableCases) {
      const other: Mode = mode === "managed" ? "data" : "managed";
      const shared = credentialBlockPaths(type, other).some((p) => p.join(".") === blocks.join("."));
      expect(isCredentialConsumer(type, other, listPath(blocks, "secret"))).toBe(shared);
    }
    // The data source has a top-level credentials block; the resource has one per cluster only.
    expect(isCredentialConsumer("confluent_cluster_link", "data", ["credentials", 0, "secret"])).toBe(true);
    expect(isCredentialConsumer("confluent_cluster_link", "managed", ["credentials", 0, "secret"])).toBe(false);
  });

  it("is false for every top-level attribute of every Confluent resource and data source", () => {
    let checked = 0;
    for (const mode of ["managed", "data"] as const) {
      for (const [type, schema] of Object.entries(schemasOf(mode))) {
        for (const attribute of Object.keys(schema.block.attributes ?? {})) {
          if (type === "confluent_connector" && attribute === "config_sensitive") continue;
          expect([type, attribute, isCredentialConsumer(type, mode, [attribute])]).toEqual([type, attribute, false]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("is false for a key's own secret and for other providers' sensitive credentials", () => {
    expect(isCredentialConsumer("confluent_api_key", "managed", ["secret"])).toBe(false);
    expect(isCredentialConsumer("confluent_catalog_integration", "managed", ["snowflake", 0, "client_secret"])).toBe(
      false,
    );
  });

  it("takes a connector's key only in config_sensitive kafka.api.key / kafka.api.secret", () => {
    expect(isCredentialConsumer("confluent_connector", "managed", ["config_sensitive", "kafka.api.secret"])).toBe(true);
    expect(isCredentialConsumer("confluent_connector", "managed", ["config_sensitive", "kafka.api.key"])).toBe(true);
    expect(isCredentialConsumer("confluent_connector", "managed", ["config_sensitive", "aws.secret.access.key"])).toBe(
      false,
    );
    expect(isCredentialConsumer("confluent_connector", "managed", ["config_nonsensitive", "kafka.api.secret"])).toBe(
      false,
    );
    expect(isCredentialConsumer("confluent_connector", "managed", ["config_sensitive"])).toBe(false);
    expect(isCredentialConsumer("confluent_connector", "data", ["config_sensitive", "kafka.api.secret"])).toBe(false);
  });

  it("is false for resources of other providers", () => {
    for (const [type, path] of [
      ["local_file", ["content"]],
      ["local_sensitive_file", ["content"]],
      ["kubernetes_config_map_v1", ["data", "secret"]],
      ["null_resource", ["triggers", "credentials"]],
      ["aws_instance", ["credentials", 0, "secret"]],
    ] as const) {
      expect(isCredentialConsumer(type, "managed", path)).toBe(false);
    }
  });
});

describe("Confluent provider credentials", () => {
  it("are the provider block's sensitive *_api_key / *_api_secret arguments", () => {
    const attributes = confluent.provider.block.attributes ?? {};
    const fromSchema = Object.keys(attributes)
      .filter((a) => /_api_(key|secret)$/.test(a))
      .sort();
    expect(CONFLUENT_PROVIDER_CREDENTIAL_ATTRIBUTES).toEqual(fromSchema);
    expect(fromSchema.length).toBeGreaterThanOrEqual(10);
    for (const a of fromSchema) expect([a, attributes[a].sensitive]).toEqual([a, true]);
    expect(isConfluentProviderCredential("kafka_api_secret")).toBe(true);
    expect(isConfluentProviderCredential("endpoint")).toBe(false);
    expect(isConfluentProviderCredential("kafka_id")).toBe(false);
  });
});

describe("secret stores", () => {
  /** Values that make a resource of the spec's type a store. */
  const storeValues = (spec: (typeof SECRET_STORES)[number]) =>
    spec.requires ? { [spec.requires.attribute]: spec.requires.equals } : {};

  it("are the stores issue 9 lists, with their value and write-only attributes", () => {
    const table = Object.fromEntries(
      SECRET_STORES.map((s) => [s.type, [[...s.valueAttributes].sort(), [...s.writeOnlyAttributes].sort()]]),
    );
    expect(table).toEqual({
      vault_kv_secret_v2: [["data_json"], ["data_json_wo"]],
      vault_kv_secret: [["data_json"], []],
      vault_generic_secret: [["data_json"], []],
      aws_secretsmanager_secret_version: [["secret_binary", "secret_string"], ["secret_string_wo"]],
      aws_ssm_parameter: [["value"], ["value_wo"]],
      azurerm_key_vault_secret: [["value"], ["value_wo"]],
      google_secret_manager_secret_version: [["secret_data"], ["secret_data_wo"]],
      kubernetes_secret_v1: [["binary_data", "data"], ["data_wo"]],
      kubernetes_secret: [["binary_data", "data"], ["data_wo"]],
    });
  });

  it.each(SECRET_STORES.map((s) => [s.type, s] as const))(
    "%s is a store holding its value attributes",
    (type, spec) => {
      expect(secretStoreFor(type, storeValues(spec))).toBe(spec);
      for (const attribute of [...spec.valueAttributes, ...spec.writeOnlyAttributes]) {
        expect(isSecretStoreValuePath(spec, [attribute])).toBe(true);
        expect(isSecretStoreValuePath(spec, [attribute, "kafka_api_secret"])).toBe(true);
      }
      expect(isSecretStoreValuePath(spec, ["tags", "secret"])).toBe(false);
      expect(isSecretStoreValuePath(spec, [0])).toBe(false);
      expect(isSecretStoreValuePath(spec, [])).toBe(false);
    },
  );

  it("take an SSM parameter only when its type is literally SecureString", () => {
    expect(secretStoreFor("aws_ssm_parameter", { type: "SecureString", value: "x" })?.type).toBe("aws_ssm_parameter");
    for (const type of ["String", "StringList", "securestring", "${var.parameter_type}", undefined, null, true]) {
      expect([type, secretStoreFor("aws_ssm_parameter", { type })]).toEqual([type, undefined]);
    }
    expect(secretStoreFor("aws_ssm_parameter", {})).toBeUndefined();
  });

  it("are no other types: the secret's container, neighbours and lookalikes are not stores", () => {
    for (const type of [
      "aws_secretsmanager_secret",
      "google_secret_manager_secret",
      "vault_mount",
      "azurerm_key_vault",
      "kubernetes_config_map_v1",
      "local_file",
      "confluent_api_key",
      "VAULT_KV_SECRET_V2",
    ]) {
      expect([type, secretStoreFor(type, { type: "SecureString" })]).toEqual([type, undefined]);
    }
  });

  it("are each named in RULES.md", () => {
    const rules = readFileSync(join(ROOT, "RULES.md"), "utf8");
    for (const spec of SECRET_STORES) expect(rules).toContain(spec.type);
  });
});

describe("the policies guide's list of stores and consumers", () => {
  const guide = readFileSync(join(ROOT, "docs", "policies.md"), "utf8");
  const start = guide.indexOf("## Secret stores and credential consumers");
  const section = guide.slice(start, guide.indexOf("\n## ", start + 1));
  const [resources, dataSources] = section.split("- data sources:");

  it("names every store and every consumer of the generated table", () => {
    expect(start).toBeGreaterThan(0);
    for (const spec of SECRET_STORES) {
      expect(section).toContain(`\`${spec.type}\``);
      for (const a of [...spec.valueAttributes, ...spec.writeOnlyAttributes]) expect(section).toContain(`\`${a}\``);
    }
    for (const type of Object.keys(CREDENTIAL_CONSUMERS.resources)) expect(resources).toContain(`\`${type}\``);
    for (const type of Object.keys(CREDENTIAL_CONSUMERS.dataSources)) expect(dataSources).toContain(`\`${type}\``);
  });
});
