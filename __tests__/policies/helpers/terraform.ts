/**
 * Builders for Terraform JSON output format 1.2 (plan and state from `terraform show -json`), shaped exactly like
 * Terraform 1.11 prints them for the Confluent provider: nested max-1 blocks as one-element lists, `*_sensitive`
 * masks with `true` at sensitive leaves, `after_unknown` for computed values, `action_reason`, `replace_paths` and
 * `configuration` expressions with `references`.
 */

export type Json = Record<string, unknown>;

export const PROVIDER = "registry.terraform.io/confluentinc/confluent";

export interface KeySpec {
  readonly id?: string;
  readonly secret?: string;
  readonly owner: { readonly id: string; readonly kind?: "ServiceAccount" | "User" };
  /** Omit for a Cloud key. */
  readonly managed?: {
    readonly id: string;
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly environment?: string;
  };
  readonly displayName?: string;
}

export function apiKeyValues(spec: KeySpec): Json {
  const managed = spec.managed
    ? [
        {
          id: spec.managed.id,
          api_version: spec.managed.apiVersion ?? "cmk/v2",
          kind: spec.managed.kind ?? "Cluster",
          environment: spec.managed.environment ? [{ id: spec.managed.environment }] : [],
        },
      ]
    : [];
  return {
    description: "",
    disable_wait_for_ready: false,
    display_name: spec.displayName ?? "app",
    id: spec.id ?? "ABCDEFGHIJKLMNOP",
    managed_resource: managed,
    owner: [
      {
        api_version: "iam/v2",
        id: spec.owner.id,
        kind: spec.owner.kind ?? (spec.owner.id.startsWith("u-") ? "User" : "ServiceAccount"),
      },
    ],
    secret: spec.secret ?? "cfltSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET",
  };
}

export function apiKeySensitive(spec: KeySpec): Json {
  return {
    managed_resource: spec.managed ? [{ environment: spec.managed.environment ? [{}] : [] }] : [],
    owner: [{}],
    secret: true,
  };
}

export function serviceAccountValues(id: string, name = "app"): Json {
  return { api_version: "iam/v2", description: "", display_name: name, id, kind: "ServiceAccount" };
}

export interface StateResourceSpec {
  readonly address: string;
  readonly type: string;
  readonly values: Json;
  readonly sensitive?: Json;
  readonly mode?: "managed" | "data";
}

function splitAddress(address: string): { type: string; name: string; index?: number | string } {
  const parts = address.replace(/^data\./, "").split(".");
  const name = parts[1];
  const m = /^(.*?)\[(.+)\]$/.exec(name);
  if (m) return { type: parts[0], name: m[1], index: /^\d+$/.test(m[2]) ? Number(m[2]) : JSON.parse(m[2]) };
  return { type: parts[0], name };
}

export function stateResource(spec: StateResourceSpec): Json {
  const { type, name, index } = splitAddress(spec.address);
  return {
    address: spec.address,
    mode: spec.mode ?? "managed",
    type,
    name,
    ...(index !== undefined ? { index } : {}),
    provider_name: spec.type.startsWith("confluent_")
      ? PROVIDER
      : `registry.terraform.io/hashicorp/${spec.type.split("_")[0]}`,
    schema_version: 0,
    values: spec.values,
    sensitive_values: spec.sensitive ?? {},
  };
}

export function state(resources: readonly StateResourceSpec[], outputs: Json = {}): Json {
  return {
    format_version: "1.0",
    terraform_version: "1.11.4",
    values: { outputs, root_module: { resources: resources.map(stateResource) } },
  };
}

export type Actions = readonly ("no-op" | "create" | "read" | "update" | "delete" | "forget")[];

export interface ChangeSpec {
  readonly address: string;
  readonly type: string;
  readonly actions: Actions;
  readonly before?: Json | null;
  readonly after?: Json | null;
  readonly beforeSensitive?: Json | false;
  readonly afterSensitive?: Json | false;
  readonly afterUnknown?: Json;
  readonly actionReason?: string;
  readonly replacePaths?: readonly (readonly (string | number)[])[];
  readonly previousAddress?: string;
  readonly deposed?: string;
  readonly mode?: "managed" | "data";
}

export function resourceChange(spec: ChangeSpec): Json {
  const module = /^((?:module\.[^.]+\.)+)/.exec(spec.address)?.[1];
  const { name, index } = splitAddress(module ? spec.address.slice(module.length) : spec.address);
  const type = spec.type;
  return {
    address: spec.address,
    ...(module ? { module_address: module.replace(/\.$/, "") } : {}),
    ...(spec.previousAddress ? { previous_address: spec.previousAddress } : {}),
    mode: spec.mode ?? "managed",
    type,
    name,
    ...(index !== undefined ? { index } : {}),
    provider_name: type.startsWith("confluent_") ? PROVIDER : `registry.terraform.io/hashicorp/${type.split("_")[0]}`,
    ...(spec.deposed ? { deposed: spec.deposed } : {}),
    change: {
      actions: spec.actions,
      before: spec.before ?? null,
      after: spec.after ?? null,
      after_unknown: spec.afterUnknown ?? {},
      before_sensitive: spec.before ? (spec.beforeSensitive ?? {}) : false,
      after_sensitive: spec.after ? (spec.afterSensitive ?? {}) : false,
      ...(spec.replacePaths ? { replace_paths: spec.replacePaths } : {}),
    },
    ...(spec.actionReason ? { action_reason: spec.actionReason } : {}),
  };
}

/** A planned key: `after` without computed values (id, secret unknown) when created. */
export function keyCreate(address: string, spec: KeySpec, ownerRef?: string): ChangeSpec {
  const after = apiKeyValues(spec);
  delete after.id;
  delete after.secret;
  if (ownerRef) (after.owner as Json[])[0] = { api_version: "iam/v2", kind: "ServiceAccount" };
  return {
    address,
    type: "confluent_api_key",
    actions: ["create"],
    after,
    afterSensitive: apiKeySensitive(spec),
    afterUnknown: {
      id: true,
      secret: true,
      managed_resource: spec.managed ? [{ environment: [{}] }] : [],
      owner: ownerRef ? [{ id: true }] : [{}],
    },
  };
}

export function keyDelete(address: string, spec: KeySpec, actionReason?: string): ChangeSpec {
  return {
    address,
    type: "confluent_api_key",
    actions: ["delete"],
    before: apiKeyValues(spec),
    beforeSensitive: apiKeySensitive(spec),
    ...(actionReason ? { actionReason } : {}),
  };
}

export function keyNoop(address: string, spec: KeySpec): ChangeSpec {
  return {
    address,
    type: "confluent_api_key",
    actions: ["no-op"],
    before: apiKeyValues(spec),
    after: apiKeyValues(spec),
    beforeSensitive: apiKeySensitive(spec),
    afterSensitive: apiKeySensitive(spec),
  };
}

export function keyReplace(
  address: string,
  before: KeySpec,
  after: KeySpec,
  options: { order?: "delete-first" | "create-first"; reason?: string; replacePaths?: (string | number)[][] } = {},
): ChangeSpec {
  const afterValues = apiKeyValues(after);
  delete afterValues.id;
  delete afterValues.secret;
  return {
    address,
    type: "confluent_api_key",
    actions: options.order === "create-first" ? ["create", "delete"] : ["delete", "create"],
    before: apiKeyValues(before),
    after: afterValues,
    beforeSensitive: apiKeySensitive(before),
    afterSensitive: apiKeySensitive(after),
    afterUnknown: {
      id: true,
      secret: true,
      owner: [{}],
      managed_resource: after.managed ? [{ environment: [{}] }] : [],
    },
    actionReason: options.reason ?? "replace_because_cannot_update",
    replacePaths: options.replacePaths ?? [["owner", 0, "id"]],
  };
}

export interface ConfigResourceSpec {
  readonly address: string;
  readonly expressions: Json;
}

/** Configuration expressions of a key whose owner/scope are references (or constants). */
export function keyExpressions(owner: string, scope?: string, apiVersion = "cmk/v2"): Json {
  const ref = (v: string) =>
    v.includes(".") && !v.startsWith("lkc-")
      ? { references: [v.endsWith(".id") ? v : `${v}.id`, v.replace(/\.id$/, "")] }
      : { constant_value: v };
  return {
    display_name: { constant_value: "app" },
    owner: [{ id: ref(owner), api_version: { constant_value: "iam/v2" }, kind: { constant_value: "ServiceAccount" } }],
    ...(scope
      ? {
          managed_resource: [
            { id: ref(scope), api_version: { constant_value: apiVersion }, kind: { constant_value: "Cluster" } },
          ],
        }
      : {}),
  };
}

export interface PlanSpec {
  readonly changes: readonly ChangeSpec[];
  readonly prior?: readonly StateResourceSpec[];
  readonly config?: readonly ConfigResourceSpec[];
  readonly outputs?: Json;
  readonly providerConfig?: Json;
  readonly formatVersion?: string;
  readonly errored?: boolean;
  readonly complete?: boolean;
}

export function plan(spec: PlanSpec): Json {
  const planned = spec.changes
    .filter((c) => c.after)
    .map((c) =>
      stateResource({
        address: c.address,
        type: c.type,
        values: c.after as Json,
        sensitive: (c.afterSensitive || {}) as Json,
      }),
    );
  return {
    format_version: spec.formatVersion ?? "1.2",
    terraform_version: "1.11.4",
    planned_values: { root_module: { resources: planned } },
    resource_drift: [],
    resource_changes: spec.changes.map(resourceChange),
    output_changes: {},
    prior_state: {
      format_version: "1.0",
      terraform_version: "1.11.4",
      values: { root_module: { resources: (spec.prior ?? []).map(stateResource) } },
    },
    configuration: {
      provider_config: spec.providerConfig ?? { confluent: { name: "confluent", full_name: PROVIDER } },
      root_module: {
        outputs: spec.outputs ?? {},
        resources: (spec.config ?? []).map((c) => {
          const { type, name } = splitAddress(c.address);
          return {
            address: c.address,
            mode: "managed",
            type,
            name,
            provider_config_key: type.split("_")[0],
            expressions: c.expressions,
            schema_version: 0,
          };
        }),
      },
    },
    relevant_attributes: [],
    timestamp: "2026-11-28T00:00:00Z",
    applyable: true,
    complete: spec.complete ?? true,
    errored: spec.errored ?? false,
  };
}
