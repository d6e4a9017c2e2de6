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
import { type AddressMetadata, acknowledgementsOf, metadataIndex } from "./enrich";
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

/** What every builder of one state shares: the stack's metadata and locations. */
interface StateContext {
  readonly source: string;
  readonly metadata: KeykitModel | undefined;
  readonly metaKeys: ReadonlyMap<string, ApiKey>;
  readonly metaIndex: ReadonlyMap<string, AddressMetadata>;
  readonly location: (address: string, config: string) => SourceLocation;
}

function stateContext(options: StateLoadOptions): StateContext {
  const file = options.file ?? options.source;
  const metadata = options.metadata;
  // Indexed once (address → metadata entity), so a state next to a big cdk.tf.json stays linear.
  const metaKeys = new Map<string, ApiKey>((metadata?.apiKeys ?? []).map((k) => [k.address, k]));
  const metaIndex = metadataIndex(metadata);
  const paths = new Map<string, string>();
  for (const [address, meta] of metaIndex) if (meta.constructPath) paths.set(address, meta.constructPath);
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
  return { source: options.source, metadata, metaKeys, metaIndex, location };
}

const nonEmpty = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);

/** Owners and scopes are values (never mutated): one object per distinct owner / resource, shared between keys. */
function keyFactsCache() {
  const owners = new Map<string, KeyOwner>();
  const scopes = new Map<string, KeyScope>();
  return (v: JsonObject): { owner: KeyOwner; scope: KeyScope } => {
    const owner = asObject(asArray(v.owner)[0]);
    const managed = asObject(asArray(v.managed_resource)[0]);
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
    return { owner: keyOwner, scope };
  };
}

/** A state resource that is neither a key nor a kit entity: a store candidate and/or a place a secret may sit. */
interface OtherResource {
  readonly address: string;
  readonly type: string;
  readonly values: JsonObject;
  readonly config: string;
  readonly held?: ReadonlySet<string>;
}

interface StateEntities {
  readonly apiKeys: ApiKey[];
  readonly serviceAccounts: ServiceAccount[];
  readonly grants: Grant[];
  readonly clusters: KafkaCluster[];
  readonly others: OtherResource[];
  /** secret → key address; transient, never leaves the loader. */
  readonly secrets: Map<string, string>;
}

/** Sorts one managed state resource into the entity lists (one small builder per kind). */
function addStateEntity(
  r: { address: string; type: string; values: JsonObject },
  ctx: StateContext,
  facts: ReturnType<typeof keyFactsCache>,
  out: StateEntities,
): void {
  const v = r.values;
  const address = r.address;
  const config = ctx.metadata ? configAddress(address) : address;
  const location = ctx.location(address, config);
  const acknowledgements = acks(ctx, config);
  if (r.type === "confluent_api_key") {
    const meta = ctx.metaKeys.size > 0 ? ctx.metaKeys.get(config) : undefined;
    if (typeof v.secret === "string" && v.secret.length >= MIN_SECRET_LENGTH) out.secrets.set(v.secret, address);
    const { owner, scope } = facts(v);
    // Written out, not spread: one literal shape per key keeps a 50,000-key state fast.
    out.apiKeys.push({
      address,
      location,
      acknowledgements,
      id: nonEmpty(v.id),
      displayName: nonEmpty(v.display_name),
      owner,
      scope,
      serves: meta?.serves,
      rotation: meta?.rotation,
      construct: meta?.construct,
      userOwnerAllowed: meta?.userOwnerAllowed,
    });
    return;
  }
  const base = { address, location, acknowledgements };
  if (r.type === "confluent_service_account") out.serviceAccounts.push({ ...base, id: nonEmpty(v.id) });
  else if (r.type === "confluent_role_binding" || r.type === "confluent_kafka_acl") {
    const principal = nonEmpty(v.principal)?.replace(/^User:/, "");
    const kind = r.type === "confluent_role_binding" ? "role-binding" : "kafka-acl";
    out.grants.push({ ...base, kind, principalKey: principal || undefined });
  } else if (r.type === "confluent_kafka_cluster") {
    const clusterType = KAFKA_CLUSTER_TYPES.find((t) => asArray(v[t]).length > 0);
    out.clusters.push({ ...base, id: nonEmpty(v.id), clusterType });
  } else {
    const spec = secretStoreFor(r.type, v);
    out.others.push({ address, type: r.type, values: v, config, ...(spec ? { held: storeAttributes(spec) } : {}) });
  }
}

function acks(ctx: StateContext, config: string): readonly AcknowledgementRecord[] {
  return ctx.metaIndex.size > 0 ? acknowledgementsOf(ctx.metaIndex, config) : NO_ACKNOWLEDGEMENTS;
}

/**
 * Secret stores: the known key ids their value attributes hold. A write-only attribute is null in state; the stack's
 * cdk.tf.json (when next to the state) still says which key it holds.
 */
function stateStores(out: StateEntities, ctx: StateContext): SecretStoreEntry[] {
  const candidates = out.others.filter((o) => o.held !== undefined);
  // Only secret stores are searched for key ids: without any, the 50,000-entry set is not built.
  if (candidates.length === 0) return [];
  const keyIds = new Set<string>();
  for (const k of out.apiKeys) if (k.id !== undefined) keyIds.add(k.id);
  const storeMeta = new Map((ctx.metadata?.secretStores ?? []).map((e) => [e.address, e]));
  return candidates.map((s) => {
    const found = new Set<string>();
    for (const attr of s.held ?? [])
      forEachString(s.values[attr], (text) => occurrences(text, keyIds, found), ctx.source);
    return {
      address: s.address,
      type: s.type,
      location: ctx.location(s.address, s.config),
      acknowledgements: acks(ctx, s.config),
      keyAddresses: [...(storeMeta.get(s.config)?.keyAddresses ?? [])],
      keyIds: [...found],
    };
  });
}

/** Where (paths) a value holds a known key secret: the mentions the shared secret-destination classifier sorts. */
function secretMentions(secrets: ReadonlyMap<string, string>, source: string): (value: unknown) => KeyMention[] {
  const secretSet = new Set(secrets.keys());
  return (value) => {
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
}

function stateSinks(out: StateEntities, mentionsOf: (value: unknown) => KeyMention[], ctx: StateContext): SecretSink[] {
  const sinks: SecretSink[] = [];
  for (const o of out.others) {
    const sink = classifySecretDestination(o.type, "managed", o.values, mentionsOf(o.values)).sink;
    if (!sink) continue;
    const location = ctx.location(o.address, o.config);
    sinks.push({ address: o.address, type: o.type, location, acknowledgements: acks(ctx, o.config), ...sink });
  }
  return sinks;
}

function stateOutputs(values: JsonObject | undefined, mentionsOf: (v: unknown) => KeyMention[], ctx: StateContext) {
  return entries(values?.outputs).map(([name, raw]): Output => {
    const o = asObject(raw) ?? {};
    const sensitive = o.sensitive === true;
    const address = `output.${name}`;
    const secretOf = sensitive ? [] : [...new Set(mentionsOf(o.value).map((m) => m.keyAddress))];
    return {
      address,
      name,
      location: ctx.location(address, address),
      acknowledgements: acks(ctx, address),
      sensitive,
      secretOf,
    };
  });
}

export function loadState(json: unknown, options: StateLoadOptions): KeykitModel {
  const source = options.source;
  if (!isObject(json)) throw new InputError(`${source}: a state must be a JSON object`);
  checkFormatVersion(json.format_version, source);
  const values = asObject(json.values);
  if (json.values !== undefined && !values) throw new InputError(`${source}: values must be an object`);
  const ctx = stateContext(options);
  const model = emptyModel("state", source, options.tier ?? ctx.metadata?.tier ?? "production");
  const out: StateEntities = {
    apiKeys: [],
    serviceAccounts: [],
    grants: [],
    clusters: [],
    others: [],
    secrets: new Map(),
  };
  const facts = keyFactsCache();
  // The visitor's resource object is reused: its fields are copied out, never kept.
  forEachStateResource(values, (r) => {
    if (r.mode === "managed") addStateEntity({ address: r.address, type: r.type, values: r.values }, ctx, facts, out);
  });
  const mentionsOf = secretMentions(out.secrets, source);
  return {
    ...model,
    apiKeys: out.apiKeys,
    serviceAccounts: out.serviceAccounts,
    grants: out.grants,
    kafkaClusters: out.clusters,
    outputs: stateOutputs(values, mentionsOf, ctx),
    secretStores: stateStores(out, ctx),
    secretSinks: stateSinks(out, mentionsOf, ctx),
    rotation: ctx.metadata?.rotation ?? [],
  };
}
