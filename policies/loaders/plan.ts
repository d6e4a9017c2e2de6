/**
 * Loader for plan JSON (`terraform show -json plan.bin`, format 1.x). Judges changes from `resource_changes`
 * (a pure delete never reaches `planned_values`), resolves owners through `configuration` references and
 * prior-state ids, and reads values only where the plan does not mark them sensitive. Secret values are never
 * copied into the model; the one place a sensitive value is looked at (a secret store's contents) only tests it
 * for known key *ids*.
 */
import type { Tier } from "../metadata";
import {
  type ApiKey,
  type ChangeAction,
  type Grant,
  type KafkaCluster,
  type KeyFacts,
  type KeykitModel,
  type Output,
  type PlannedChange,
  type ProviderBlock,
  type ProviderCredential,
  type ResolvedReference,
  type SecretSink,
  type SecretStoreEntry,
  type ServiceAccount,
  type SourceLocation,
  emptyModel,
} from "../model";
import { type IdLookup, parseReference, resolveOwner, resolveScope } from "../references";
import { classifyCredential, credentialAttributes, throughDefault } from "./provider-credentials";
import {
  InputError,
  type JsonObject,
  asArray,
  asObject,
  asString,
  entries,
  forEachString,
  isObject,
  MAX_NESTING_DEPTH,
  occurrences,
  tooDeep,
} from "./util";
import { type AddressMetadata, acknowledgementsOf, keyMentionsInExpressions, metadataIndex } from "./enrich";
import { classifySecretDestination, storeAttributes } from "./secret-flow";
import { secretStoreFor } from "../secret-destinations";
import type { SourcePosition } from "./configuration";
import { KAFKA_CLUSTER_TYPES } from "../metadata";

export const SUPPORTED_FORMAT_MAJOR = 1;

export interface PlanLoadOptions {
  readonly source: string;
  readonly file?: string;
  readonly tier?: Tier;
  /** A model of the same stack's cdk.tf.json: keykit metadata (rotation, serves, acknowledgements, paths) by address. */
  readonly metadata?: KeykitModel;
  /** Where each resource address appears in the file (json-positions.ts), for report locations. */
  readonly positions?: ReadonlyMap<string, SourcePosition>;
}

const ACTIONS: readonly ChangeAction[] = ["no-op", "create", "read", "update", "delete", "forget"];

/** Accepts "1.2", "1.0", … ; rejects a missing or unknown major version. */
export function checkFormatVersion(value: unknown, source: string): void {
  if (typeof value !== "string" || !/^\d+\.\d+$/.test(value)) {
    throw new InputError(`${source}: missing or malformed format_version (expected "1.x")`);
  }
  const major = Number(value.split(".")[0]);
  if (major !== SUPPORTED_FORMAT_MAJOR) {
    throw new InputError(`${source}: format_version ${value} is not supported (expected ${SUPPORTED_FORMAT_MAJOR}.x)`);
  }
}

/** The address without instance keys: `module.a[0].confluent_api_key.k["x"]` → `module.a.confluent_api_key.k`. */
export function configAddress(address: string): string {
  if (!address.includes("[")) return address;
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]])*\]/g, "");
}

/** True when the sensitivity (or unknown) mask marks `path` or one of its ancestors. */
function masked(mask: unknown, path: readonly (string | number)[]): boolean {
  let node = mask;
  for (const step of path) {
    if (node === true) return true;
    if (Array.isArray(node) && typeof step === "number") node = node[step];
    else if (isObject(node) && typeof step === "string") node = node[step];
    else return false;
  }
  return node === true;
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const step of path) {
    if (Array.isArray(node) && typeof step === "number") node = node[step];
    else if (isObject(node) && typeof step === "string") node = node[step];
    else return undefined;
  }
  return node;
}

/** A value the plan allows printing: not sensitive, not unknown. */
function plainAt(values: unknown, sensitive: unknown, unknown: unknown, path: readonly (string | number)[]): unknown {
  if (masked(sensitive, path) || masked(unknown, path)) return undefined;
  return valueAt(values, path);
}

/** All references inside a configuration expression tree, made absolute for resources inside a module (iterative). */
function referencesOf(expr: unknown, modulePrefix: string): ResolvedReference[] {
  const out: ResolvedReference[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: expr, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (typeof node !== "object" || node === null) continue;
    if (depth >= MAX_NESTING_DEPTH) throw tooDeep("plan configuration");
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], depth: depth + 1 });
      continue;
    }
    const obj = node as JsonObject;
    if (Array.isArray(obj.references)) {
      for (const r of obj.references) {
        const parsed = typeof r === "string" ? parseReference(r) : undefined;
        if (parsed) out.push(modulePrefix ? { ...parsed, address: `${modulePrefix}${parsed.address}` } : parsed);
      }
    }
    for (const [k, v] of Object.entries(obj))
      if (k !== "references" && k !== "constant_value") stack.push({ node: v, depth: depth + 1 });
  }
  return out;
}

interface ConfigResource {
  readonly expressions: JsonObject;
  readonly modulePrefix: string;
}

interface Configuration {
  readonly resources: Map<string, ConfigResource>;
  readonly outputs: { name: string; sensitive: boolean; secretOf: string[] }[];
  readonly providers: { key: string; name: string; alias?: string; expressions: JsonObject }[];
  /** Root-module variable defaults (for credentials hard-coded through a variable's default). */
  readonly variableDefaults: ReadonlyMap<string, unknown>;
}

function readConfiguration(config: unknown): Configuration {
  const resources = new Map<string, ConfigResource>();
  const root = asObject(asObject(config)?.root_module);
  const stack: { module: unknown; prefix: string; depth: number }[] = [{ module: root, prefix: "", depth: 0 }];
  while (stack.length > 0) {
    const { module, prefix, depth } = stack.pop() as (typeof stack)[number];
    if (!isObject(module)) continue;
    if (depth >= MAX_NESTING_DEPTH) throw tooDeep("plan configuration module_calls");
    for (const r of asArray(module.resources)) {
      if (!isObject(r) || typeof r.address !== "string") continue;
      resources.set(`${prefix}${r.address}`, { expressions: asObject(r.expressions) ?? {}, modulePrefix: prefix });
    }
    for (const [name, call] of entries(module.module_calls))
      stack.push({ module: asObject(call)?.module, prefix: `${prefix}module.${name}.`, depth: depth + 1 });
  }
  const outputs = entries(root?.outputs).map(([name, o]) => ({
    name,
    sensitive: asObject(o)?.sensitive === true,
    secretOf: keyMentionsInExpressions(asObject(o)?.expression, "", "plan configuration")
      .filter((m) => m.secret)
      .map((m) => m.keyAddress),
  }));
  const providers = entries(asObject(config)?.provider_config).map(([key, p]) => {
    const obj = asObject(p) ?? {};
    const alias = asString(obj.alias);
    return {
      key,
      name: asString(obj.name) ?? key.split(".")[0],
      ...(alias ? { alias } : {}),
      expressions: asObject(obj.expressions) ?? {},
    };
  });
  const variableDefaults = new Map<string, unknown>(
    entries(root?.variables).map(([name, v]) => [name, asObject(v)?.default]),
  );
  return { resources, outputs, providers, variableDefaults };
}

interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly mode: string;
  readonly values: JsonObject;
  readonly sensitive: unknown;
}

/** Resources of a `values` tree (prior_state.values or a state's values), child modules included. */
export function stateResources(values: unknown): StateResource[] {
  const out: StateResource[] = [];
  forEachStateResource(values, (r) =>
    out.push({ address: r.address, type: r.type, mode: r.mode, values: r.values, sensitive: r.sensitive }),
  );
  return out;
}

/**
 * Visits the resources of a `values` tree without collecting them. The visitor gets one reused object: read its
 * fields, do not keep it (a 50,000-key state would otherwise allocate a wrapper per resource).
 */
export function forEachStateResource(values: unknown, visit: (resource: StateResource) => void): void {
  const current = { address: "", type: "", mode: "", values: {} as JsonObject, sensitive: undefined as unknown };
  const stack: { module: unknown; depth: number }[] = [{ module: asObject(values)?.root_module, depth: 0 }];
  while (stack.length > 0) {
    const { module, depth } = stack.pop() as (typeof stack)[number];
    if (!isObject(module)) continue;
    if (depth >= MAX_NESTING_DEPTH) throw tooDeep("child_modules");
    for (const r of asArray(module.resources)) {
      if (!isObject(r) || typeof r.address !== "string" || typeof r.type !== "string") continue;
      current.address = r.address;
      current.type = r.type;
      current.mode = asString(r.mode) ?? "managed";
      current.values = asObject(r.values) ?? {};
      current.sensitive = r.sensitive_values;
      visit(current);
    }
    const children = asArray(module.child_modules);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ module: children[i], depth: depth + 1 });
  }
}

function literalId(values: JsonObject, sensitive: unknown): string | undefined {
  const id = plainAt(values, sensitive, undefined, ["id"]);
  return typeof id === "string" && id.length > 0 ? id : undefined;
}

/** Key facts from one side of a change, falling back to configuration references for unknown values. */
function keyFacts(
  values: unknown,
  sensitive: unknown,
  unknown: unknown,
  config: ConfigResource | undefined,
  ids: IdLookup,
): KeyFacts {
  const read = (path: (string | number)[]) => plainAt(values, sensitive, unknown, path);
  // Configuration references are only consulted when the value itself is unknown (or does not say what it is):
  // on a plan of thousands of unchanged keys this skips most of the work.
  const ownerId = read(["owner", 0, "id"]);
  const ownerKnown = typeof ownerId === "string" && (ownerId.startsWith("sa-") || ownerId.startsWith("u-"));
  const ownerRefs =
    !ownerKnown && config
      ? referencesOf(valueAt(config.expressions, ["owner", 0, "id"]), config.modulePrefix)
      : NO_REFS;
  const scopeId = read(["managed_resource", 0, "id"]);
  const scopeRefs =
    !(typeof scopeId === "string" && scopeId.length > 0) && config
      ? referencesOf(valueAt(config.expressions, ["managed_resource", 0, "id"]), config.modulePrefix)
      : NO_REFS;
  const managed = valueAt(values, ["managed_resource"]);
  const present = Array.isArray(managed)
    ? managed.length > 0
    : config
      ? valueAt(config.expressions, ["managed_resource"]) !== undefined
      : false;
  const id = read(["id"]);
  const facts: { id?: string; owner: KeyFacts["owner"]; scope: KeyFacts["scope"] } = {
    owner: resolveOwner(ownerId, read(["owner", 0, "kind"]), ownerRefs, ids),
    scope: resolveScope(
      present,
      {
        id: scopeId,
        apiVersion:
          read(["managed_resource", 0, "api_version"]) ??
          valueAt(config?.expressions, ["managed_resource", 0, "api_version", "constant_value"]),
        environment: read(["managed_resource", 0, "environment", 0, "id"]),
      },
      scopeRefs,
      ids,
    ),
  };
  if (typeof id === "string" && id) facts.id = id;
  return facts;
}

const NO_REFS: readonly ResolvedReference[] = [];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function actionsOf(value: unknown): ChangeAction[] {
  return asArray(value).filter(
    (a): a is ChangeAction => typeof a === "string" && (ACTIONS as readonly string[]).includes(a),
  );
}

const NO_PATHS: readonly string[] = [];

function pathText(path: readonly unknown[]): string {
  if (path.length > MAX_NESTING_DEPTH) throw tooDeep("replace_paths");
  return path.every((step) => typeof step === "string" || typeof step === "number") ? path.join(".") : "";
}

function replacePaths(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) return NO_PATHS;
  return (
    asArray(value)
      // Only string and number steps: a nested array (hostile input) is not a path and is not stringified.
      .map((p) => (Array.isArray(p) ? pathText(p) : typeof p === "string" ? p : ""))
      .filter((p) => p.length > 0)
  );
}

/** True when the change leaves the object existing after apply. */
export function existsAfter(actions: readonly ChangeAction[]): boolean {
  return (
    actions.includes("create") || actions.includes("update") || actions.includes("no-op") || actions.includes("read")
  );
}

function checkPlanShape(json: unknown, source: string): asserts json is JsonObject {
  if (!isObject(json)) throw new InputError(`${source}: a plan must be a JSON object`);
  checkFormatVersion(json.format_version, source);
  if (json.errored === true) {
    throw new InputError(`${source}: the plan errored ("errored": true); refusing to judge an incomplete plan`);
  }
  if (json.resource_changes !== undefined && !Array.isArray(json.resource_changes)) {
    throw new InputError(`${source}: resource_changes must be an array`);
  }
}

/** What every builder of one plan shares: configuration, the stack's metadata, locations, the id index. */
interface PlanContext {
  readonly source: string;
  readonly config: Configuration;
  readonly metaByAddress: ReadonlyMap<string, ApiKey>;
  readonly metaIndex: ReadonlyMap<string, AddressMetadata>;
  readonly ids: IdLookup;
  readonly prior: () => StateResource[];
  readonly location: (address: string) => SourceLocation;
}

function planLocator(options: PlanLoadOptions, metaIndex: ReadonlyMap<string, AddressMetadata>) {
  const file = options.file ?? options.source;
  const positions = options.positions;
  // Filled field by field (no conditional spreads): two locations per resource of plans with 10,000s of them.
  return (address: string): SourceLocation => {
    const constructPath = metaIndex.size > 0 ? metaIndex.get(configAddress(address))?.constructPath : undefined;
    const at = positions?.get(address);
    const location: Mutable<SourceLocation> = { file, address };
    if (constructPath) location.constructPath = constructPath;
    if (at) {
      location.line = at.line;
      if (at.column !== undefined) location.column = at.column;
    }
    return location;
  };
}

/**
 * Ids known before and after apply, by address without instance keys, for resolving references. Built on first
 * use: a plan whose values are all known never needs it.
 */
function planIds(rcs: readonly JsonObject[], prior: () => StateResource[]): IdLookup {
  let idIndex: Map<string, string> | undefined;
  const build = (): Map<string, string> => {
    const index = new Map<string, string>();
    for (const r of prior()) {
      const id = literalId(r.values, r.sensitive);
      if (id) index.set(configAddress(r.address), id);
    }
    for (const rc of rcs) {
      const change = asObject(rc.change) ?? {};
      const after = asObject(change.after);
      const at = asString(rc.address);
      if (!at || !after) continue;
      const id = plainAt(after, change.after_sensitive, change.after_unknown, ["id"]);
      if (typeof id === "string" && id && !index.has(configAddress(at))) index.set(configAddress(at), id);
    }
    return index;
  };
  return { get: (address) => (idIndex ??= build()).get(address) };
}

/** One resource change, normalized: the plan adapter's per-resource view. */
interface ChangeView {
  readonly rc: JsonObject;
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly change: JsonObject;
  readonly actions: ChangeAction[];
  readonly after: JsonObject | undefined;
  readonly cfg: ConfigResource | undefined;
  readonly isKey: boolean;
}

function changeView(rc: JsonObject, ctx: PlanContext): ChangeView | undefined {
  const address = asString(rc.address);
  const type = asString(rc.type);
  if (!address || !type) return undefined;
  const mode = rc.mode === "data" ? "data" : "managed";
  const change = asObject(rc.change) ?? {};
  return {
    rc,
    address,
    type,
    mode,
    change,
    actions: actionsOf(change.actions),
    after: asObject(change.after),
    cfg: ctx.config.resources.get(configAddress(address)),
    isKey: type === "confluent_api_key" && mode === "managed",
  };
}

/** The change itself (enrichment of the plan: actions, replacement reasons, key facts on both sides). */
function plannedChange(v: ChangeView, afterFacts: KeyFacts | undefined, ctx: PlanContext): PlannedChange {
  const previousAddress = asString(v.rc.previous_address);
  const actionReason = asString(v.rc.action_reason);
  const deposed = asString(v.rc.deposed);
  const before = asObject(v.change.before);
  // Built field by field (no conditional spreads): this runs once per resource of plans with 10,000s of them.
  const planned: Mutable<PlannedChange> = {
    address: v.address,
    type: v.type,
    mode: v.mode,
    actions: v.actions,
    replacePaths: replacePaths(v.change.replace_paths),
    location: ctx.location(v.address),
  };
  if (previousAddress) planned.previousAddress = previousAddress;
  if (deposed) planned.deposed = deposed;
  if (actionReason) planned.actionReason = actionReason;
  // Before-facts matter only for changes that remove the key.
  if (v.isKey && before && (v.actions.includes("delete") || v.actions.includes("forget")))
    planned.before = keyFacts(before, v.change.before_sensitive, undefined, undefined, ctx.ids);
  if (afterFacts) planned.after = afterFacts;
  const rotation = v.isKey ? ctx.metaByAddress.get(configAddress(v.address))?.rotation : undefined;
  if (rotation) planned.rotation = rotation;
  return planned;
}

interface StoreCandidate {
  readonly view: ChangeView;
  readonly refs: readonly string[];
  readonly held: ReadonlySet<string>;
}

interface PlanEntities {
  readonly apiKeys: ApiKey[];
  readonly serviceAccounts: ServiceAccount[];
  readonly grants: Grant[];
  readonly clusters: KafkaCluster[];
  readonly stores: StoreCandidate[];
  readonly sinks: SecretSink[];
}

type EntityBaseFacts = Pick<ApiKey, "address" | "location" | "acknowledgements" | "construct">;

function planKey(v: ChangeView, base: EntityBaseFacts, facts: KeyFacts, ctx: PlanContext): ApiKey {
  const meta = ctx.metaByAddress.get(configAddress(v.address));
  const displayName = plainAt(v.after, v.change.after_sensitive, v.change.after_unknown, ["display_name"]);
  // One object shape for every key (absent = undefined), so the rules' property reads stay monomorphic.
  return {
    address: v.address,
    location: base.location,
    acknowledgements: base.acknowledgements,
    construct: meta?.construct,
    id: facts.id,
    displayName: typeof displayName === "string" ? displayName : undefined,
    owner: facts.owner,
    scope: facts.scope,
    serves: meta?.serves,
    rotation: meta?.rotation,
    createdAt: undefined,
    userOwnerAllowed: meta?.userOwnerAllowed,
    lifecycle: meta?.lifecycle,
  };
}

function planGrant(v: ChangeView, base: EntityBaseFacts, ctx: PlanContext): Grant {
  const principal = plainAt(v.after, v.change.after_sensitive, v.change.after_unknown, ["principal"]);
  const refs = v.cfg ? referencesOf(v.cfg.expressions.principal, v.cfg.modulePrefix) : [];
  const ref = refs.find((r) => r.type === "confluent_service_account" || r.type === "confluent_user") ?? refs[0];
  const principalKey =
    typeof principal === "string"
      ? principal.replace(/^User:/, "")
      : ref
        ? (ctx.ids.get(ref.address) ?? ref.address)
        : undefined;
  return {
    ...base,
    kind: v.type === "confluent_role_binding" ? "role-binding" : "kafka-acl",
    ...(principalKey ? { principalKey } : {}),
  };
}

/** Sorts one resource that exists after apply into the entity lists (one small builder per kind). */
function addPlanEntity(v: ChangeView, afterFacts: KeyFacts | undefined, ctx: PlanContext, out: PlanEntities): void {
  const after = v.after as JsonObject;
  const config = configAddress(v.address);
  const construct = ctx.metaByAddress.get(config)?.construct ?? ctx.metaIndex.get(config)?.construct;
  const base: EntityBaseFacts = {
    address: v.address,
    location: ctx.location(v.address),
    acknowledgements: acknowledgementsOf(ctx.metaIndex, config),
    ...(construct ? { construct } : {}),
  };
  const read = (path: (string | number)[]) => plainAt(after, v.change.after_sensitive, v.change.after_unknown, path);
  if (v.isKey) {
    const facts = afterFacts ?? keyFacts(after, v.change.after_sensitive, v.change.after_unknown, v.cfg, ctx.ids);
    out.apiKeys.push(planKey(v, base, facts, ctx));
  } else if (v.type === "confluent_service_account") {
    const id = read(["id"]);
    const displayName = read(["display_name"]);
    out.serviceAccounts.push({
      ...base,
      ...(typeof id === "string" && id ? { id } : {}),
      ...(typeof displayName === "string" ? { displayName } : {}),
    });
  } else if (v.type === "confluent_role_binding" || v.type === "confluent_kafka_acl") {
    out.grants.push(planGrant(v, base, ctx));
  } else if (v.type === "confluent_kafka_cluster") {
    const clusterType = KAFKA_CLUSTER_TYPES.find((t) => asArray(after[t]).length > 0);
    const id = read(["id"]);
    out.clusters.push({ ...base, ...(typeof id === "string" ? { id } : {}), ...(clusterType ? { clusterType } : {}) });
  } else if (v.cfg || secretStoreFor(v.type, after)) {
    // Other resources: a store, a credential consumer or a sink, decided by the shared classifier.
    const mentions = v.cfg ? keyMentionsInExpressions(v.cfg.expressions, v.cfg.modulePrefix, ctx.source) : [];
    const dest = classifySecretDestination(v.type, v.mode, after, mentions);
    if (dest.store) out.stores.push({ view: v, refs: dest.store.keyAddresses, held: storeAttributes(dest.store.spec) });
    if (dest.sink) out.sinks.push({ ...base, type: v.type, ...dest.sink });
  }
}

/**
 * Secret stores: which known key ids their contents hold before and after apply. Values may be sensitive: they
 * are only searched for key ids (public identifiers), never copied.
 */
function planStores(
  candidates: readonly StoreCandidate[],
  changes: readonly PlannedChange[],
  metadata: KeykitModel | undefined,
  ctx: PlanContext,
): SecretStoreEntry[] {
  if (candidates.length === 0) return [];
  const knownKeyIds = new Set<string>();
  for (const r of ctx.prior()) {
    if (r.type !== "confluent_api_key") continue;
    const id = literalId(r.values, r.sensitive);
    if (id) knownKeyIds.add(id);
  }
  for (const c of changes) if (c.before?.id) knownKeyIds.add(c.before.id);
  const storeMeta = new Map((metadata?.secretStores ?? []).map((e) => [e.address, e]));
  return candidates.map((s) => {
    // Only the attributes that hold the published secret: a key id in a store's name or path publishes nothing.
    const idsIn = (value: unknown) => {
      const found = new Set<string>();
      for (const attr of s.held)
        forEachString(asObject(value)?.[attr], (text) => occurrences(text, knownKeyIds, found), ctx.source);
      return [...found];
    };
    const address = s.view.address;
    const meta = storeMeta.get(configAddress(address));
    return {
      address,
      type: s.view.type,
      location: ctx.location(address),
      acknowledgements: acknowledgementsOf(ctx.metaIndex, configAddress(address)),
      // A write-only attribute is null in the plan; the configuration (or the stack's cdk.tf.json) still names the key.
      keyAddresses: s.refs.length > 0 ? [...s.refs] : [...(meta?.keyAddresses ?? [])],
      // Values unknown until apply are absent from `after`: contents that change no longer count as pointing.
      keyIds: idsIn(s.view.after),
      previousKeyIds: idsIn(s.view.change.before),
    };
  });
}

function planOutputs(ctx: PlanContext): Output[] {
  return ctx.config.outputs.map((o) => ({
    address: `output.${o.name}`,
    name: o.name,
    location: ctx.location(`output.${o.name}`),
    acknowledgements: acknowledgementsOf(ctx.metaIndex, `output.${o.name}`),
    sensitive: o.sensitive,
    secretOf: [...new Set(o.secretOf)],
  }));
}

function planProvider(p: Configuration["providers"][number], ctx: PlanContext): ProviderBlock {
  const credentials: ProviderCredential[] = [];
  for (const attr of credentialAttributes(p.name)) {
    const [head, tail] = attr.split(".");
    const expr = asObject(tail ? valueAt(p.expressions, [head, 0, tail]) : p.expressions[head]);
    if (!expr) continue;
    const refs = Array.isArray(expr.references) ? expr.references : [];
    const variable = refs.length === 1 && typeof refs[0] === "string" ? /^var\.(.+)$/.exec(refs[0])?.[1] : undefined;
    const written = { constant: "constant_value" in expr, value: expr.constant_value, hasReference: refs.length > 0 };
    const c = throughDefault(classifyCredential(attr, written), variable, ctx.config.variableDefaults);
    if (c) credentials.push(c);
  }
  const address = `provider.${p.key}`;
  return {
    address,
    name: p.name,
    ...(p.alias ? { alias: p.alias } : {}),
    location: ctx.location(address),
    acknowledgements: [],
    credentials,
  };
}

export function loadPlan(json: unknown, options: PlanLoadOptions): KeykitModel {
  const source = options.source;
  checkPlanShape(json, source);
  const metadata = options.metadata;
  const model = emptyModel("plan", source, options.tier ?? metadata?.tier ?? "production");
  const rcs = asArray(json.resource_changes).filter(isObject);
  let priorResources: StateResource[] | undefined;
  const prior = () => (priorResources ??= stateResources(asObject(json.prior_state)?.values));
  const metaIndex = metadataIndex(metadata);
  const ctx: PlanContext = {
    source,
    config: readConfiguration(json.configuration),
    metaByAddress: new Map<string, ApiKey>((metadata?.apiKeys ?? []).map((k) => [k.address, k])),
    metaIndex,
    ids: planIds(rcs, prior),
    prior,
    location: planLocator(options, metaIndex),
  };
  const changes: PlannedChange[] = [];
  const out: PlanEntities = { apiKeys: [], serviceAccounts: [], grants: [], clusters: [], stores: [], sinks: [] };
  for (const rc of rcs) {
    const v = changeView(rc, ctx);
    if (!v) continue;
    // Key facts after apply are computed once and shared by the change and the key.
    const afterFacts =
      v.isKey && v.after
        ? keyFacts(v.after, v.change.after_sensitive, v.change.after_unknown, v.cfg, ctx.ids)
        : undefined;
    changes.push(plannedChange(v, afterFacts, ctx));
    if (v.mode === "managed" && !asString(rc.deposed) && existsAfter(v.actions) && v.after)
      addPlanEntity(v, afterFacts, ctx, out);
  }
  return {
    ...model,
    apiKeys: out.apiKeys,
    serviceAccounts: out.serviceAccounts,
    grants: out.grants,
    kafkaClusters: out.clusters,
    outputs: planOutputs(ctx),
    providers: ctx.config.providers.map((p) => planProvider(p, ctx)),
    secretStores: planStores(out.stores, changes, metadata, ctx),
    secretSinks: out.sinks,
    changes,
    rotation: metadata?.rotation ?? [],
    notes: json.complete === false ? ["the plan is incomplete (deferred changes): a later plan may change more"] : [],
  };
}
