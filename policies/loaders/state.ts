/**
 * Loader for state JSON (`terraform show -json` on a state). State holds secrets in plain text (key secrets,
 * secret-store contents); they are read only transiently to detect where a key's secret ended up, never copied.
 */
import type { AcknowledgementRecord, Tier } from "../metadata";
import { KAFKA_CLUSTER_TYPES } from "../metadata";
import {
  type ApiKey,
  type Grant,
  type KafkaCluster,
  type KeyOwner,
  type KeyScope,
  type KeykitModel,
  type Output,
  type SecretSink,
  type SecretStoreEntry,
  type ServiceAccount,
  type SourceLocation,
  type ResolvedReference,
  emptyModel,
} from "../model";
import { resolveOwner, resolveScope } from "../references";
import { checkFormatVersion, configAddress, forEachStateResource } from "./plan";
import { acknowledgementsOf, metadataIndex } from "./enrich";
import type { SourcePosition } from "./configuration";
import { type KeyMention, classifySecretDestination, storeAttributes } from "./secret-flow";
import { secretStoreFor } from "../secret-destinations";
import {
  InputError,
  type JsonObject,
  asArray,
  asObject,
  entries,
  forEachString,
  forEachStringAt,
  isObject,
  occurrences,
} from "./util";

export interface StateLoadOptions {
  readonly source: string;
  readonly file?: string;
  readonly tier?: Tier;
  readonly metadata?: KeykitModel;
  /** Where each resource address appears in the file (json-positions.ts), for report locations. */
  readonly positions?: ReadonlyMap<string, SourcePosition>;
}

/** Shared empty lists: most entities carry no acknowledgements or references. */
const NO_ACKNOWLEDGEMENTS: readonly AcknowledgementRecord[] = [];
const NO_REFERENCES: readonly ResolvedReference[] = [];

/**
 * A cache key for facts whose fields are all strings or absent (the usual case), else undefined (not cached: an
 * odd value is resolved on its own rather than risk two different values sharing a key).
 */
function valueKey(facts: Readonly<Record<string, unknown>>): string | undefined {
  let key = "";
  for (const value of Object.values(facts)) {
    if (value === undefined) key += "\u0001";
    else if (typeof value === "string" && !/[\u0000\u0001]/.test(value)) key += `${value}\u0000`;
    else return undefined;
  }
  return key;
}

/** Secrets shorter than this are not searched for (too many false matches); real key secrets are 64 characters. */
const MIN_SECRET_LENGTH = 16;

export function loadState(json: unknown, options: StateLoadOptions): KeykitModel {
  const source = options.source;
  if (!isObject(json)) throw new InputError(`${source}: a state must be a JSON object`);
  checkFormatVersion(json.format_version, source);
  const values = asObject(json.values);
  if (json.values !== undefined && !values) throw new InputError(`${source}: values must be an object`);
  const file = options.file ?? source;
  const metadata = options.metadata;
  const model = emptyModel("state", source, options.tier ?? metadata?.tier ?? "production");
  // Indexed once (address → metadata entity), so a state next to a big cdk.tf.json stays linear.
  const metaKeys = new Map<string, ApiKey>();
  const paths = new Map<string, string>();
  if (metadata) {
    for (const k of metadata.apiKeys) {
      metaKeys.set(k.address, k);
      if (k.location.constructPath) paths.set(k.address, k.location.constructPath);
    }
    for (const [address, meta] of metadataIndex(metadata))
      if (meta.constructPath && !paths.has(address)) paths.set(address, meta.constructPath);
  }
  const metaIndex = metadataIndex(metadata);
  const positions = options.positions;
  // Locations of one shape (constructPath/line undefined when unknown): at 50,000 keys, spreading optional fields
  // into fresh objects costs more than reading the state.
  const location = (address: string, config: string): SourceLocation => {
    const at = positions?.get(address);
    return {
      file,
      address,
      constructPath: paths.size > 0 ? paths.get(config) : undefined,
      line: at?.line,
      column: at?.column,
    };
  };
  const acks = (config: string) => acknowledgementsOf(metaIndex, config);

  const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);
  const secrets = new Map<string, string>(); // secret → key address; transient, never leaves this function
  const apiKeys: ApiKey[] = [];
  const serviceAccounts: ServiceAccount[] = [];
  const grants: Grant[] = [];
  const clusters: KafkaCluster[] = [];
  const storeValues: {
    address: string;
    type: string;
    values: JsonObject;
    config: string;
    held: ReadonlySet<string>;
  }[] = [];
  const others: { address: string; type: string; values: Record<string, unknown>; config: string }[] = [];
  // Owners and scopes are values (never mutated): one object per distinct owner / resource, shared between keys.
  const owners = new Map<string, KeyOwner>();
  const scopes = new Map<string, KeyScope>();
  forEachStateResource(values, (r) => {
    if (r.mode !== "managed") return;
    const v = r.values;
    const address = r.address;
    const config = metadata ? configAddress(address) : address;
    if (r.type === "confluent_api_key") {
      const meta = metaKeys.size > 0 ? metaKeys.get(config) : undefined;
      const owner = asObject(asArray(v.owner)[0]);
      const managed = asObject(asArray(v.managed_resource)[0]);
      const secret = v.secret;
      if (typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH) secrets.set(secret, address);
      const ownerFacts = { id: owner?.id, kind: owner?.kind };
      const ownerKey = valueKey(ownerFacts);
      let keyOwner = ownerKey !== undefined ? owners.get(ownerKey) : undefined;
      if (!keyOwner) {
        keyOwner = resolveOwner(ownerFacts.id, ownerFacts.kind, NO_REFERENCES);
        if (ownerKey !== undefined) owners.set(ownerKey, keyOwner);
      }
      const scopeFacts = {
        id: managed?.id,
        apiVersion: managed?.api_version,
        environment: asObject(asArray(managed?.environment)[0])?.id,
      };
      const scopeKey = managed !== undefined ? valueKey(scopeFacts) : "cloud";
      let scope = scopeKey !== undefined ? scopes.get(scopeKey) : undefined;
      if (!scope) {
        scope = resolveScope(managed !== undefined, scopeFacts, NO_REFERENCES);
        if (scopeKey !== undefined) scopes.set(scopeKey, scope);
      }
      apiKeys.push({
        address,
        location: location(address, config),
        acknowledgements: meta?.acknowledgements ?? NO_ACKNOWLEDGEMENTS,
        id: str(v.id),
        displayName: str(v.display_name),
        owner: keyOwner,
        scope,
        serves: meta?.serves,
        rotation: meta?.rotation,
        construct: meta?.construct,
        userOwnerAllowed: meta?.userOwnerAllowed,
      });
    } else if (r.type === "confluent_service_account") {
      serviceAccounts.push({
        address,
        location: location(address, config),
        acknowledgements: acks(config),
        id: str(v.id),
      });
    } else if (r.type === "confluent_role_binding" || r.type === "confluent_kafka_acl") {
      const principal = str(v.principal)?.replace(/^User:/, "");
      grants.push({
        address,
        location: location(address, config),
        acknowledgements: acks(config),
        kind: r.type === "confluent_role_binding" ? "role-binding" : "kafka-acl",
        principalKey: principal || undefined,
      });
    } else if (r.type === "confluent_kafka_cluster") {
      const clusterType = KAFKA_CLUSTER_TYPES.find((t) => asArray(v[t]).length > 0);
      clusters.push({
        address,
        location: location(address, config),
        acknowledgements: acks(config),
        id: str(v.id),
        clusterType,
      });
    } else if (secretStoreFor(r.type, v)) {
      const spec = secretStoreFor(r.type, v);
      if (spec) storeValues.push({ address, type: r.type, values: v, config, held: storeAttributes(spec) });
      others.push({ address, type: r.type, values: v, config });
    } else {
      others.push({ address, type: r.type, values: v, config });
    }
  });

  // Only secret stores are searched for key ids: without any, the 50,000-entry set is not built.
  const keyIds = new Set<string>();
  if (storeValues.length > 0) for (const k of apiKeys) if (k.id !== undefined) keyIds.add(k.id);
  const storeMeta = new Map((metadata?.secretStores ?? []).map((e) => [e.address, e]));
  const stores: SecretStoreEntry[] = storeValues.map((s) => {
    const found = new Set<string>();
    // Only the attributes holding the published secret; a write-only one is null here, and the stack's
    // cdk.tf.json (when next to the state) still says which key it holds.
    for (const attr of s.held) forEachString(s.values[attr], (text) => occurrences(text, keyIds, found), source);
    return {
      address: s.address,
      type: s.type,
      location: location(s.address, s.config),
      acknowledgements: acks(s.config),
      keyAddresses: [...(storeMeta.get(s.config)?.keyAddresses ?? [])],
      keyIds: [...found],
    };
  });

  const secretSet = new Set(secrets.keys());
  /** Where (paths) a value holds a known secret: mentions for the shared secret-destination classifier. */
  const mentionsOf = (value: unknown): KeyMention[] => {
    if (secrets.size === 0) return [];
    const out: KeyMention[] = [];
    forEachStringAt(
      value,
      (text, path) => {
        if (text.length < MIN_SECRET_LENGTH) return;
        const found = new Set<string>();
        occurrences(text, secretSet, found);
        for (const secret of found) out.push({ path, keyAddress: secrets.get(secret) ?? "", secret: true });
      },
      source,
    );
    return out;
  };
  const containsSecret = (value: unknown): string[] => [...new Set(mentionsOf(value).map((m) => m.keyAddress))];
  const sinks: SecretSink[] = [];
  for (const o of others) {
    const sink = classifySecretDestination(o.type, "managed", o.values, mentionsOf(o.values)).sink;
    if (sink) {
      sinks.push({
        address: o.address,
        type: o.type,
        location: location(o.address, o.config),
        acknowledgements: acks(o.config),
        ...sink,
      });
    }
  }

  const outputs: Output[] = entries(values?.outputs).map(([name, raw]) => {
    const o = asObject(raw) ?? {};
    const sensitive = o.sensitive === true;
    return {
      address: `output.${name}`,
      name,
      location: location(`output.${name}`, `output.${name}`),
      acknowledgements: acks(`output.${name}`),
      sensitive,
      secretOf: sensitive ? [] : containsSecret(o.value),
    };
  });

  return {
    ...model,
    apiKeys,
    serviceAccounts,
    grants,
    kafkaClusters: clusters,
    outputs,
    secretStores: stores,
    secretSinks: sinks,
    rotation: metadata?.rotation ?? [],
  };
}
