/** Builders for synthesized cdk.tf.json (what cdktf 0.21 writes, with the kit's `"//".keykit` metadata). */
import type { KeykitResourceMetadata } from "../../../policies/metadata";

export type Json = Record<string, unknown>;

export function meta(path: string, keykit?: Omit<KeykitResourceMetadata, "version">): Json {
  return {
    "//": {
      metadata: { path: `app/${path}`, uniqueId: path.replace(/\W/g, "") },
      ...(keykit ? { keykit: { version: 1, ...keykit } } : {}),
    },
  };
}

export function key(
  path: string,
  owner: string,
  scope?: { id: string; apiVersion?: string },
  keykit?: Omit<KeykitResourceMetadata, "version">,
): Json {
  return {
    ...meta(path, keykit),
    display_name: path,
    owner: {
      id: owner,
      api_version: "iam/v2",
      kind: owner.includes("confluent_user") || owner.startsWith("u-") ? "User" : "ServiceAccount",
    },
    ...(scope
      ? {
          managed_resource: {
            id: scope.id,
            api_version: scope.apiVersion ?? "cmk/v2",
            kind: "Cluster",
            environment: [{ id: "${confluent_environment.env.id}" }],
          },
        }
      : {}),
  };
}

export interface StackSpec {
  readonly tier?: "production" | "development";
  readonly resources?: Record<string, Record<string, Json>>;
  readonly data?: Record<string, Record<string, Json>>;
  readonly outputs?: Record<string, Json>;
  readonly provider?: Json;
}

export function stack(spec: StackSpec): Json {
  return {
    "//": {
      metadata: { backend: "local", stackName: "app", version: "0.21.0" },
      ...(spec.tier ? { keykit: { version: 1, tier: spec.tier } } : {}),
    },
    terraform: {
      required_providers: { confluent: { source: "confluentinc/confluent", version: "2.83.0" } },
      backend: { local: { path: "terraform.app.tfstate" } },
    },
    provider: { confluent: [spec.provider ?? {}] },
    ...(spec.data ? { data: spec.data } : {}),
    resource: spec.resources ?? {},
    ...(spec.outputs ? { output: spec.outputs } : {}),
  };
}

/** A compliant stack: one service account, one rotated key with a role binding, published to Vault. */
export function compliantStack(): Json {
  return stack({
    tier: "production",
    resources: {
      confluent_environment: { env: { ...meta("env"), display_name: "prod" } },
      confluent_kafka_cluster: {
        cluster: {
          ...meta("cluster"),
          display_name: "orders",
          dedicated: { cku: 2 },
          environment: { id: "${confluent_environment.env.id}" },
        },
      },
      confluent_service_account: { app: { ...meta("App/ServiceAccount"), display_name: "app" } },
      confluent_api_key: {
        app_blue: key(
          "App/Key/Blue",
          "${confluent_service_account.app.id}",
          { id: "${confluent_kafka_cluster.cluster.id}" },
          {
            construct: "BlueGreenApiKey",
            rotation: { name: "app", slot: "blue", active: true },
          },
        ),
      },
      confluent_role_binding: {
        app: {
          ...meta("App/RoleBinding"),
          principal: "User:${confluent_service_account.app.id}",
          role_name: "DeveloperWrite",
          crn_pattern: "${confluent_kafka_cluster.cluster.rbac_crn}/kafka=*/topic=orders",
        },
      },
      vault_kv_secret_v2: {
        app: {
          ...meta("App/Secret"),
          mount: "secret",
          name: "app",
          data_json:
            '${jsonencode({"key" = confluent_api_key.app_blue.id, "secret" = confluent_api_key.app_blue.secret})}',
        },
      },
    },
  });
}
