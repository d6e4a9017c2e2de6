/**
 * What `keykit verify` reads from Terraform state JSON (`terraform show -json`): the confluent_api_key resource
 * whose id the published document names (is it the published slot's resource?), its scope, and the REST endpoints
 * of the cluster it serves. Reads ids, display names and endpoints only, never a secret.
 */
import { KeykitCliError } from "../errors";
import { InputFileError, readInputText } from "../../policies/loaders/read-input-file";
import { PROBE_SCOPES, type ProbeScope } from "./probes";
import { API_VERSION_KINDS } from "../../policies/references";
import { isObject } from "../../policies/loaders/util";

type JsonObject = Record<string, unknown>;

export interface StateKey {
  readonly address: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly scope: ProbeScope;
  readonly resourceId?: string;
  readonly environmentId?: string;
}

/** A REST endpoint as the state records it, with the resource that defines it. */
export interface StateEndpoint {
  readonly url: string;
  /** The defining resource's address, e.g. "data.confluent_kafka_cluster.orders". */
  readonly address: string;
  /** Its resource type: a Kafka key takes only a Kafka cluster's endpoint, a Schema Registry key only a registry's. */
  readonly type: "confluent_kafka_cluster" | "confluent_schema_registry_cluster";
}

export interface StateFacts {
  readonly keys: ReadonlyMap<string, StateKey>;
  /**
   * Cluster id → the REST endpoints the resources that define it record: only a `confluent_kafka_cluster`
   * (managed or data) for a Kafka cluster and a `confluent_schema_registry_cluster` data source for Schema
   * Registry, where the provider computes `rest_endpoint` from Confluent's answer. Every other type takes
   * `rest_endpoint` as an argument (whoever writes the configuration chooses it), so it never names one.
   */
  readonly restEndpoints: ReadonlyMap<string, readonly StateEndpoint[]>;
}

/** The resource types whose `rest_endpoint` is computed by the provider (schema/schema.json), by the id's kind. */
const ENDPOINT_DEFINERS: Readonly<Record<string, { readonly modes: readonly string[] }>> = {
  confluent_kafka_cluster: { modes: ["managed", "data"] },
  confluent_schema_registry_cluster: { modes: ["data"] },
};

/** The probe scope of a `managed_resource.api_version`: the policies' table, where a probe exists for the kind. */
function scopeOfApiVersion(apiVersion: string | undefined): ProbeScope | undefined {
  const kind = apiVersion !== undefined ? API_VERSION_KINDS[apiVersion] : undefined;
  return (PROBE_SCOPES as readonly string[]).includes(kind ?? "") ? (kind as ProbeScope) : undefined;
}

/**
 * Reads `--state <terraform show -json>` like every other input (a FIFO, a directory or a UTF-16 file is one line
 * instead of a hang or a parse error); an unreadable or malformed file is one line (exit 2), never a fragment.
 */
export function readStateFacts(file: string, cwd: string): StateFacts {
  let text: string;
  try {
    text = readInputText(file, cwd);
  } catch (error) {
    if (error instanceof InputFileError) throw new KeykitCliError(error.message);
    throw error;
  }
  try {
    return stateFacts(JSON.parse(text));
  } catch {
    throw new KeykitCliError(`${file}: not valid JSON`);
  }
}

/**
 * The confluent_api_key of a blue/green slot in the state: by its address (as the synthesized output names it, at
 * the root or in a module), else by the names the construct gives it (display name "<name> (<slot>)", or a
 * description ending in "rotation <name>" with a display name ending in "(<slot>)").
 */
export function findSlotKey(
  facts: StateFacts,
  rotationName: string,
  slot: "blue" | "green",
  address?: string,
): StateKey | undefined {
  const keys = [...facts.keys.values()];
  if (address !== undefined) {
    const byAddress = keys.find((k) => k.address === address || k.address.endsWith(`.${address}`));
    if (byAddress) return byAddress;
  }
  return keys.find(
    (k) =>
      k.displayName === `${rotationName} (${slot})` ||
      (k.displayName?.endsWith(`(${slot})`) === true && k.description?.endsWith(`rotation ${rotationName}`) === true),
  );
}

export function stateFacts(json: unknown): StateFacts {
  const keys = new Map<string, StateKey>();
  const restEndpoints = new Map<string, StateEndpoint[]>();
  const visit = (module: unknown) => {
    if (!isObject(module)) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(r) || !isObject(r.values)) continue;
      const values = r.values;
      if (typeof values.id !== "string") continue;
      if (r.type === "confluent_api_key" && r.mode !== "data") keys.set(values.id, keyOf(String(r.address), values));
      if (definesEndpoint(r) && typeof values.rest_endpoint === "string" && values.rest_endpoint !== "") {
        const known = restEndpoints.get(values.id) ?? [];
        known.push({ url: values.rest_endpoint, address: String(r.address), type: r.type as StateEndpoint["type"] });
        restEndpoints.set(values.id, known);
      }
    }
    for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) visit(child);
  };
  if (isObject(json) && isObject(json.values)) visit(json.values.root_module);
  return { keys, restEndpoints };
}

function definesEndpoint(resource: JsonObject): boolean {
  const type = typeof resource.type === "string" ? resource.type : "";
  const definer = Object.prototype.hasOwnProperty.call(ENDPOINT_DEFINERS, type) ? ENDPOINT_DEFINERS[type] : undefined;
  return definer !== undefined && definer.modes.includes(resource.mode === "data" ? "data" : "managed");
}

function keyOf(address: string, values: JsonObject): StateKey {
  const managed = first(values.managed_resource);
  const environment = first(managed?.environment);
  const apiVersion = typeof managed?.api_version === "string" ? managed.api_version : undefined;
  const resourceId = typeof managed?.id === "string" ? managed.id : undefined;
  return {
    address,
    displayName: typeof values.display_name === "string" ? values.display_name : undefined,
    description: typeof values.description === "string" ? values.description : undefined,
    scope: managed ? (scopeOfApiVersion(apiVersion) ?? scopeOfId(resourceId)) : "cloud",
    resourceId,
    environmentId: typeof environment?.id === "string" ? environment.id : undefined,
  };
}

function scopeOfId(id: string | undefined): ProbeScope {
  if (id?.startsWith("lsrc-")) return "schema-registry";
  if (id?.startsWith("lksqlc-")) return "ksqldb";
  if (id?.startsWith("lfcp-")) return "flink";
  return "kafka";
}

/** State JSON writes nested blocks as one-element lists; cdk.tf.json-like objects are accepted too. */
function first(value: unknown): JsonObject | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return isObject(item) ? item : undefined;
}
