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

export interface StateFacts {
  readonly keys: ReadonlyMap<string, StateKey>;
  /** Cluster id → REST endpoint (Kafka clusters and Schema Registry clusters). */
  readonly restEndpoints: ReadonlyMap<string, string>;
}

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
  const restEndpoints = new Map<string, string>();
  const visit = (module: unknown) => {
    if (!isObject(module)) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(r) || !isObject(r.values)) continue;
      const values = r.values;
      if (typeof values.id !== "string") continue;
      if (r.type === "confluent_api_key" && r.mode !== "data") keys.set(values.id, keyOf(String(r.address), values));
      if (typeof values.rest_endpoint === "string" && /^https?:\/\//.test(values.rest_endpoint))
        restEndpoints.set(values.id, values.rest_endpoint);
    }
    for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) visit(child);
  };
  if (isObject(json) && isObject(json.values)) visit(json.values.root_module);
  return { keys, restEndpoints };
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
