/**
 * The one model builder: every input adapter (configuration / cdk.tf.json / HCL, plan, state) turns its format into
 * resource views (resource-view.ts) and this module builds the model from them, one small builder per entity kind.
 * Plan-only facts (the changes) arrive on the views as enrichments; what only a state knows (which key secrets sit
 * where) arrives through the adapter's `mentionsOf`. No secret value is ever copied into the model.
 */
import { KAFKA_CLUSTER_TYPES, type KafkaClusterType, type ScopeDescriptor, type Tier } from "../metadata";
import type {
  ApiKey,
  EntityBase,
  Grant,
  InputKind,
  KafkaCluster,
  KeyFacts,
  KeykitModel,
  KeyOwner,
  KeyScope,
  Output,
  PlannedChange,
  ProviderBlock,
  ProviderCredential,
  RotationEntry,
  SecretSink,
  SecretStoreEntry,
  ServedResource,
  ServiceAccount,
  SourceLocation,
} from "../model";
import { type IdLookup, isScopeKind, referencesIn, resolveOwner, resolveScope } from "../references";
import { secretStoreFor } from "../secret-destinations";
import {
  NO_REFERENCES,
  type ResourceView,
  constantAt,
  literalAt,
  readValue,
  referencesAt,
  valueAt,
  writtenAt,
} from "./resource-view";
import { type KeyMention, classifySecretDestination, storeAttributes } from "./secret-flow";
import { type JsonPath, forEachString, isObject, occurrences } from "./util";

/** An output as its adapter read it: the addresses of the keys whose secret its value holds. */
export interface OutputView {
  readonly name: string;
  readonly sensitive: boolean;
  readonly secretOf: readonly string[];
  readonly location: SourceLocation;
  readonly acknowledgements: EntityBase["acknowledgements"];
}

/** A provider block as its adapter read it (credentials classified from the format's way of writing values). */
export interface ProviderView {
  readonly address: string;
  readonly name: string;
  readonly alias?: string;
  readonly credentials: readonly ProviderCredential[];
  readonly location: SourceLocation;
}

export interface ModelInput {
  readonly kind: InputKind;
  readonly source: string;
  readonly tier: Tier;
  readonly views: readonly ResourceView[];
  readonly outputs: readonly OutputView[];
  readonly providers: readonly ProviderView[];
  /** Literal ids by address (plans: prior state and after-values), for references to resolve to ids. */
  readonly ids?: IdLookup;
  /** Where a resource's values or expressions mention an API key (the secret-flow classifier sorts them). */
  readonly mentionsOf: (view: ResourceView) => readonly KeyMention[];
  /** Key ids a secret store's contents are searched for (plans, states); absent = not searched (configuration). */
  readonly knownKeyIds?: (apiKeys: readonly ApiKey[]) => ReadonlySet<string>;
  readonly rotation?: readonly RotationEntry[];
  readonly notes?: readonly string[];
  /** The key-facts resolver, when the adapter already resolved some keys (a plan shares them with its changes). */
  readonly keyFacts?: KeyFactsResolver;
  /** Where an argument of a resource is written (HCL), so a finding about what it writes points at it. */
  readonly argumentLocation?: (view: ResourceView, argument: string) => SourceLocation | undefined;
}

const OWNER_ID: JsonPath = ["owner", 0, "id"];
const OWNER_KIND: JsonPath = ["owner", 0, "kind"];
const SCOPE: JsonPath = ["managed_resource"];
const SCOPE_ID: JsonPath = ["managed_resource", 0, "id"];
const SCOPE_API: JsonPath = ["managed_resource", 0, "api_version"];
const SCOPE_ENV: JsonPath = ["managed_resource", 0, "environment", 0, "id"];
const ID: JsonPath = ["id"];
const DISPLAY_NAME: JsonPath = ["display_name"];
const PRINCIPAL: JsonPath = ["principal"];
const ROLE_NAME: JsonPath = ["role_name"];

/** What the entity builders of one model share. */
interface BuildContext {
  readonly input: ModelInput;
  readonly clusters: ReadonlyMap<string, KafkaCluster>;
  readonly facts: KeyFactsResolver;
}

export type KeyFactsResolver = (view: ResourceView) => KeyFacts;

/** The two characters valueKey separates with: a value holding one is never shared. */
const SEPARATORS = /[\u0000\u0001]/;

/** A cache key for string-or-absent facts; undefined for any other value (resolved on its own, never shared). */
function valueKey(values: readonly unknown[]): string | undefined {
  let key = "";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === undefined) key += "\u0001";
    else if (typeof value === "string" && !SEPARATORS.test(value)) key += `${value}\u0000`;
    else return undefined;
  }
  return key;
}

function isLiteralId(value: unknown): boolean {
  return typeof value === "string" && value.length > 0 && !value.includes("${");
}

/**
 * Key facts (id, owner, scope) of one side of a key. References are consulted only when the value does not say
 * what it is; owners and scopes resolved without references are values, shared between keys (50,000-key states).
 */
export function keyFactsResolver(ids: IdLookup | undefined): KeyFactsResolver {
  const owners = new Map<string, KeyOwner>();
  const scopes = new Map<string, KeyScope>();
  const owner = (view: ResourceView): KeyOwner => {
    const id = readValue(view, OWNER_ID);
    const kind = readValue(view, OWNER_KIND);
    const known = typeof id === "string" && (id.startsWith("sa-") || id.startsWith("u-"));
    const refs = known ? NO_REFERENCES : referencesAt(view, OWNER_ID);
    const key = refs.length === 0 ? valueKey([id, kind]) : undefined;
    const cached = key !== undefined ? owners.get(key) : undefined;
    if (cached) return cached;
    const resolved = resolveOwner(id, kind, refs, ids);
    if (key !== undefined) owners.set(key, resolved);
    return resolved;
  };
  const scope = (view: ResourceView): KeyScope => {
    const block = valueAt(view.values, SCOPE);
    const present = Array.isArray(block) ? block.length > 0 : isObject(block) || writtenAt(view, SCOPE);
    const id = readValue(view, SCOPE_ID);
    const refs = isLiteralId(id) || !present ? NO_REFERENCES : referencesAt(view, SCOPE_ID);
    const fields = {
      id,
      apiVersion: readValue(view, SCOPE_API) ?? constantAt(view, SCOPE_API),
      environment: readValue(view, SCOPE_ENV),
    };
    const key =
      refs.length === 0 ? (present ? valueKey([fields.id, fields.apiVersion, fields.environment]) : "") : undefined;
    const cached = key !== undefined ? scopes.get(key) : undefined;
    if (cached) return cached;
    const resolved = resolveScope(present, fields, refs, ids);
    if (key !== undefined) scopes.set(key, resolved);
    return resolved;
  };
  return (view) => ({ id: literalAt(view, ID), owner: owner(view), scope: scope(view) });
}

function base(view: ResourceView): EntityBase {
  return {
    address: view.address,
    location: view.location,
    acknowledgements: view.metadata.acknowledgements,
    construct: view.metadata.construct,
  };
}

function literalOrEmpty(view: ResourceView, path: JsonPath): string | undefined {
  const value = readValue(view, path);
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}

/** Resolves what a global key serves, using cluster facts the model knows. */
function servedResources(
  serves: readonly ScopeDescriptor[] | undefined,
  clusters: ReadonlyMap<string, KafkaCluster>,
): ServedResource[] | undefined {
  if (!Array.isArray(serves)) return undefined;
  const out: ServedResource[] = [];
  for (const s of serves) {
    if (!isObject(s) || !isScopeKind(s.kind) || typeof s.id !== "string") continue;
    let clusterType: KafkaClusterType | undefined = KAFKA_CLUSTER_TYPES.find((t) => t === s.clusterType);
    if (s.kind === "kafka" && clusterType === undefined) {
      const ref = referencesIn(s.id)[0];
      clusterType = (ref && clusters.get(ref.address)?.clusterType) ?? clusters.get(s.id)?.clusterType;
    }
    out.push({
      kind: s.kind,
      id: s.id,
      ...(typeof s.environment === "string" ? { environment: s.environment } : {}),
      ...(clusterType ? { clusterType } : {}),
      ...(s.networking === "public" || s.networking === "private" ? { networking: s.networking } : {}),
    });
  }
  return out;
}

function buildApiKey(view: ResourceView, ctx: BuildContext): ApiKey {
  const facts = ctx.facts(view);
  const meta = view.metadata;
  // One object shape for every key (absent = undefined), so the rules' property reads stay monomorphic.
  return {
    address: view.address,
    location: view.location,
    acknowledgements: meta.acknowledgements,
    construct: meta.construct,
    id: facts.id,
    displayName: literalOrEmpty(view, DISPLAY_NAME),
    owner: facts.owner,
    scope: facts.scope,
    serves: meta.serves ? servedResources(meta.serves, ctx.clusters) : undefined,
    rotation: meta.rotation,
    createdAt: undefined,
    userOwnerAllowed: meta.userOwnerAllowed,
    lifecycle: meta.lifecycle,
  };
}

// Entities are written out field by field (no spreads): plans and states hold 10,000s of them.
function buildServiceAccount(view: ResourceView): ServiceAccount {
  return {
    address: view.address,
    location: view.location,
    acknowledgements: view.metadata.acknowledgements,
    construct: view.metadata.construct,
    id: literalAt(view, ID),
    displayName: literalOrEmpty(view, DISPLAY_NAME),
  };
}

function buildGrant(view: ResourceView, ctx: BuildContext): Grant {
  const principal = readValue(view, PRINCIPAL);
  let principalKey: string | undefined;
  if (isLiteralId(principal)) principalKey = (principal as string).replace(/^User:/, "") || undefined;
  else {
    const refs = referencesAt(view, PRINCIPAL);
    const ref = refs.find((r) => r.type === "confluent_service_account" || r.type === "confluent_user") ?? refs[0];
    principalKey = ref ? (ctx.input.ids?.get(ref.address) ?? ref.address) : undefined;
  }
  return {
    address: view.address,
    location: view.location,
    acknowledgements: view.metadata.acknowledgements,
    construct: view.metadata.construct,
    kind: view.type === "confluent_role_binding" ? "role-binding" : "kafka-acl",
    principalKey,
    role: literalAt(view, ROLE_NAME),
  };
}

/** `basic: {}` (cdk.tf.json), `basic: [{}]` (HCL, plans, states): the block that is written names the type. */
function clusterTypeOf(view: ResourceView): KafkaClusterType | undefined {
  return KAFKA_CLUSTER_TYPES.find((t) => {
    const block = view.values[t];
    return Array.isArray(block) ? block.length > 0 : block !== undefined && block !== null;
  });
}

function buildCluster(view: ResourceView): KafkaCluster {
  return {
    ...base(view),
    id: literalAt(view, ID),
    clusterType: view.mode === "managed" ? clusterTypeOf(view) : undefined,
  };
}

/** The known key ids inside a store's secret-holding attributes (values are searched, never copied). */
export function keyIdsIn(
  values: unknown,
  held: ReadonlySet<string>,
  known: ReadonlySet<string>,
  what: string,
): string[] {
  if (known.size === 0 || !isObject(values)) return [];
  const found = new Set<string>();
  for (const attr of held) forEachString(values[attr], (text) => occurrences(text, known, found), what);
  return [...found];
}

interface SecretPlaces {
  readonly stores: SecretStoreEntry[];
  readonly sinks: SecretSink[];
}

/** Any other resource: a secret store holding keys, a credential consumer, or a place a secret must not go. */
function buildSecretPlaces(
  view: ResourceView,
  ctx: BuildContext,
  known: () => ReadonlySet<string>,
  out: SecretPlaces,
): void {
  const mentions = ctx.input.mentionsOf(view);
  if (mentions.length === 0 && !secretStoreFor(view.type, view.values)) return;
  const dest = classifySecretDestination(view.type, view.mode, view.values, mentions);
  if (dest.store) {
    const named = dest.store.keyAddresses;
    out.stores.push({
      ...base(view),
      type: view.type,
      // A write-only attribute is null in plans and states; the stack's configuration still names the key.
      keyAddresses: named.length > 0 ? [...named] : [...(view.metadata.storedKeys ?? [])],
      keyIds: keyIdsIn(view.values, storeAttributes(dest.store.spec), known(), ctx.input.source),
    });
  }
  if (dest.sink)
    out.sinks.push({ ...base(view), ...at(view, dest.sink.attributes, ctx), type: view.type, ...dest.sink });
  if (dest.script)
    out.sinks.push({
      ...base(view),
      ...at(view, ["provisioner"], ctx),
      type: view.type,
      ...dest.script,
      script: true,
    });
}

/** The location of the first argument that writes the secret, when the adapter knows where arguments are. */
function at(view: ResourceView, attributes: readonly string[], ctx: BuildContext): { location?: SourceLocation } {
  for (const attribute of attributes) {
    const location = ctx.input.argumentLocation?.(view, attribute);
    if (location) return { location };
  }
  return {};
}

function buildOutput(o: OutputView): Output {
  const address = `output.${o.name}`;
  return {
    address,
    name: o.name,
    location: o.location,
    acknowledgements: o.acknowledgements,
    sensitive: o.sensitive,
    secretOf: [...new Set(o.secretOf)],
  };
}

function buildProvider(p: ProviderView): ProviderBlock {
  return {
    address: p.address,
    name: p.name,
    ...(p.alias ? { alias: p.alias } : {}),
    location: p.location,
    acknowledgements: [],
    credentials: p.credentials,
  };
}

const isKeyView = (v: ResourceView) => v.type === "confluent_api_key" && v.mode === "managed";

/** Builds the model from an adapter's views: clusters first (keys resolve what they serve through them). */
export function buildModel(input: ModelInput): KeykitModel {
  const clusters = new Map<string, KafkaCluster>();
  for (const v of input.views)
    if (v.present && v.type === "confluent_kafka_cluster") clusters.set(v.address, buildCluster(v));
  const ctx: BuildContext = { input, clusters, facts: input.keyFacts ?? keyFactsResolver(input.ids) };
  const apiKeys: ApiKey[] = [];
  const serviceAccounts: ServiceAccount[] = [];
  const grants: Grant[] = [];
  const others: ResourceView[] = [];
  const changes: PlannedChange[] = [];
  for (const v of input.views) {
    if (v.change) changes.push(v.change);
    if (!v.present || v.mode !== "managed") continue;
    if (isKeyView(v)) apiKeys.push(buildApiKey(v, ctx));
    else if (v.type === "confluent_service_account") serviceAccounts.push(buildServiceAccount(v));
    else if (v.type === "confluent_role_binding" || v.type === "confluent_kafka_acl") grants.push(buildGrant(v, ctx));
    else if (v.type !== "confluent_kafka_cluster") others.push(v);
  }
  // Built on the first store only: without secret stores, a 50,000-entry id set is never needed.
  let knownIds: ReadonlySet<string> | undefined;
  const known = () => (knownIds ??= input.knownKeyIds?.(apiKeys) ?? new Set<string>());
  const places: SecretPlaces = { stores: [], sinks: [] };
  for (const v of others) buildSecretPlaces(v, ctx, known, places);
  return {
    kind: input.kind,
    source: input.source,
    tier: input.tier,
    apiKeys,
    serviceAccounts,
    grants,
    kafkaClusters: [...clusters.values()],
    outputs: input.outputs.map(buildOutput),
    providers: input.providers.map(buildProvider),
    secretStores: places.stores,
    secretSinks: places.sinks,
    changes,
    rotation: input.rotation ?? [],
    notes: [...(input.notes ?? [])],
  };
}
