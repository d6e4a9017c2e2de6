/**
 * Loader for plan JSON (`terraform show -json plan.bin`, format 1.x). Judges changes from `resource_changes`
 * (a pure delete never reaches `planned_values`), resolves owners through `configuration` references and
 * prior-state ids, and reads values only where the plan does not mark them sensitive. Secret values are never
 * copied into the model; the one place a sensitive value is looked at (a secret store's contents) only tests it
 * for known key *ids*.
 */
import type { Tier } from "../metadata";
import type {
  ChangeAction,
  KeyFacts,
  KeykitModel,
  PlannedChange,
  ProviderCredential,
  SecretStoreEntry,
  SourceLocation,
} from "../model";
import type { IdLookup } from "../references";
import { classifyCredential, credentialAttributes, throughDefault } from "./provider-credentials";
import {
  InputError,
  type JsonObject,
  asArray,
  asObject,
  asString,
  entries,
  isObject,
  MAX_NESTING_DEPTH,
  tooDeep,
} from "./util";
import { type AddressMetadata, keyMentionsInExpressions, metadataIndex, viewMetadataIndex } from "./enrich";
import { readMembers } from "./json-sections";
import { storeAttributes } from "./secret-flow";
import { secretStoreFor } from "../secret-destinations";
import type { SourcePosition } from "./configuration";
import { type OutputView, type ProviderView, buildModel, keyFactsResolver, keyIdsIn } from "./model-builder";
import {
  NO_METADATA,
  type ReferenceSource,
  type ResourceView,
  type ViewMetadata,
  masked,
  valueAt,
} from "./resource-view";

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

/**
 * The top-level members of a plan `loadPlan` reads; every other one (planned_values, output_changes, resource_drift,
 * relevant_attributes, checks, variables, …) is checked for syntax and never built. prior_state is checked now and
 * built only when a rule asks for an id or a key it holds (PlanContext.prior). A test holds loadPlan to this list.
 */
export const PLAN_MEMBERS: ReadonlySet<string> = new Set([
  "format_version",
  "errored",
  "complete",
  "resource_changes",
  "configuration",
]);
export const LAZY_PLAN_MEMBERS: ReadonlySet<string> = new Set(["prior_state"]);

/** The top-level keys of `terraform show -json` (format 1.x), in its order: where a member's value may end. */
const PLAN_TOP_LEVEL_KEYS = [
  "format_version",
  "terraform_version",
  "variables",
  "planned_values",
  "resource_drift",
  "resource_changes",
  "output_changes",
  "prior_state",
  "configuration",
  "relevant_attributes",
  "checks",
  "timestamp",
  "applyable",
  "complete",
  "errored",
  "deferred_changes",
];

/** Keys that make a JSON text a plan (input.ts detectJsonKind). */
const PLAN_KEYS = ['"resource_changes"', '"planned_values"', '"output_changes"'];

/**
 * A plan's text read for `loadPlan`: only the members it reads are parsed, the rest of the text is checked
 * (json-sections.ts). Undefined when the text is not a plan with resource_changes, or is not well-formed: the
 * caller parses it whole then, which gives the usual error for a malformed file.
 */
export function readPlanText(text: string): JsonObject | undefined {
  if (!PLAN_KEYS.some((key) => text.includes(key))) return undefined;
  const read = readMembers(text, {
    wanted: PLAN_MEMBERS,
    lazy: LAZY_PLAN_MEMBERS,
    topLevelKeys: PLAN_TOP_LEVEL_KEYS,
  });
  return read && read.keys.has("resource_changes") ? read.members : undefined;
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

/** A value the plan allows printing: not sensitive, not unknown. */
function plainAt(values: unknown, sensitive: unknown, unknown: unknown, path: readonly (string | number)[]): unknown {
  if (masked(sensitive, path) || masked(unknown, path)) return undefined;
  return valueAt(values, path);
}

/** A resource's configuration: its expression tree, where the plan writes references. */
type ConfigResource = Extract<ReferenceSource, { kind: "expressions" }>;

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
      const tree = asObject(r.expressions) ?? {};
      resources.set(`${prefix}${r.address}`, { kind: "expressions", tree, modulePrefix: prefix });
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

/** What every view of one plan shares: configuration, the stack's metadata, locations, the id index. */
interface PlanContext {
  readonly source: string;
  readonly config: Configuration;
  readonly metaIndex: ReadonlyMap<string, AddressMetadata>;
  readonly viewMeta: ReadonlyMap<string, ViewMetadata>;
  readonly ids: IdLookup;
  readonly prior: () => StateResource[];
  readonly location: (address: string) => SourceLocation;
  readonly resolveFacts: (view: ResourceView) => KeyFacts;
  readonly resolveBefore: (view: ResourceView) => KeyFacts;
}

function planLocator(options: PlanLoadOptions, metaIndex: ReadonlyMap<string, AddressMetadata>) {
  const file = options.file ?? options.source;
  const positions = options.positions;
  // One shape for every location (absent = undefined), no conditional fields: one per resource of big plans.
  return (address: string): SourceLocation => {
    const at = positions?.get(address);
    return {
      file,
      address,
      constructPath: metaIndex.size > 0 ? metaIndex.get(configAddress(address))?.constructPath : undefined,
      line: at?.line,
      column: at?.column,
    };
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

const NO_REFERENCE_SOURCE: ReferenceSource = { kind: "none" };

/** The change itself (the plan's enrichment of its view: actions, replacement reasons, the key before apply). */
function plannedChange(rc: JsonObject, change: JsonObject, base: Mutable<PlannedChange>, ctx: PlanContext) {
  const previousAddress = asString(rc.previous_address);
  const actionReason = asString(rc.action_reason);
  const deposed = asString(rc.deposed);
  // Filled field by field (no conditional spreads): this runs once per resource of plans with 10,000s of them.
  if (previousAddress) base.previousAddress = previousAddress;
  if (deposed) base.deposed = deposed;
  if (actionReason) base.actionReason = actionReason;
  const before = asObject(change.before);
  const isKey = base.type === "confluent_api_key" && base.mode === "managed";
  // Before-facts matter only for changes that remove the key.
  if (isKey && before && (base.actions.includes("delete") || base.actions.includes("forget"))) {
    base.before = ctx.resolveBefore({
      address: base.address,
      type: base.type,
      mode: base.mode,
      present: false,
      values: before,
      sensitive: change.before_sensitive,
      references: NO_REFERENCE_SOURCE,
      metadata: NO_METADATA,
      location: base.location,
    });
  }
  return base;
}

/** One entry of `resource_changes` as a neutral view: after-values with both masks, the configuration's references. */
function planView(rc: JsonObject, ctx: PlanContext): ResourceView | undefined {
  const address = asString(rc.address);
  const type = asString(rc.type);
  if (!address || !type) return undefined;
  const mode = rc.mode === "data" ? "data" : "managed";
  const change = asObject(rc.change) ?? {};
  const actions = actionsOf(change.actions);
  const after = asObject(change.after);
  const config = configAddress(address);
  const location = ctx.location(address);
  const planned: Mutable<PlannedChange> = {
    address,
    type,
    mode,
    actions,
    replacePaths: replacePaths(change.replace_paths),
    location,
  };
  const metadata = ctx.viewMeta.size > 0 ? (ctx.viewMeta.get(config) ?? NO_METADATA) : NO_METADATA;
  const view: ResourceView = {
    address,
    type,
    mode,
    present: after !== undefined && !asString(rc.deposed) && existsAfter(actions),
    values: after ?? {},
    sensitive: change.after_sensitive,
    unknown: change.after_unknown,
    references: ctx.config.resources.get(config) ?? NO_REFERENCE_SOURCE,
    metadata,
    location,
    change: plannedChange(rc, change, planned, ctx),
  };
  if (type === "confluent_api_key" && mode === "managed" && after) {
    // Key facts after apply are computed once and shared by the change and the key.
    planned.after = ctx.resolveFacts(view);
    if (metadata.rotation) planned.rotation = metadata.rotation;
  } else if (type === "confluent_api_key" && metadata.rotation) planned.rotation = metadata.rotation;
  return view;
}

/** Key ids a store's contents are searched for: the keys of the prior state and those a change removes. */
function knownKeyIds(ctx: PlanContext, changes: readonly PlannedChange[]): ReadonlySet<string> {
  const known = new Set<string>();
  for (const r of ctx.prior()) {
    if (r.type !== "confluent_api_key") continue;
    const id = literalId(r.values, r.sensitive);
    if (id) known.add(id);
  }
  for (const c of changes) if (c.before?.id) known.add(c.before.id);
  return known;
}

/**
 * Secret stores, enriched with the key ids their contents held before apply (the key they published until now).
 * Values may be sensitive: they are only searched for key ids (public identifiers), never copied.
 */
function withPreviousKeyIds(
  stores: readonly SecretStoreEntry[],
  before: ReadonlyMap<string, unknown>,
  known: () => ReadonlySet<string>,
  source: string,
): SecretStoreEntry[] {
  return stores.map((s) => {
    const values = before.get(s.address);
    const spec = isObject(values) ? secretStoreFor(s.type, values) : undefined;
    return { ...s, previousKeyIds: spec ? keyIdsIn(values, storeAttributes(spec), known(), source) : [] };
  });
}

function planOutputs(ctx: PlanContext): OutputView[] {
  return ctx.config.outputs.map((o) => ({
    name: o.name,
    location: ctx.location(`output.${o.name}`),
    acknowledgements: ctx.viewMeta.get(`output.${o.name}`)?.acknowledgements ?? NO_METADATA.acknowledgements,
    sensitive: o.sensitive,
    secretOf: o.secretOf,
  }));
}

function planProvider(p: Configuration["providers"][number], ctx: PlanContext): ProviderView {
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
    credentials,
  };
}

function planContext(json: JsonObject, options: PlanLoadOptions): PlanContext {
  const rcs = asArray(json.resource_changes).filter(isObject);
  let priorResources: StateResource[] | undefined;
  const prior = () => (priorResources ??= stateResources(asObject(json.prior_state)?.values));
  const metaIndex = metadataIndex(options.metadata);
  const ids = planIds(rcs, prior);
  const resolve = keyFactsResolver(ids);
  return {
    source: options.source,
    config: readConfiguration(json.configuration),
    metaIndex,
    viewMeta: viewMetadataIndex(options.metadata),
    ids,
    prior,
    location: planLocator(options, metaIndex),
    // Key facts after apply are resolved once (for the change) and shared with the key entity.
    resolveFacts: (view) => view.change?.after ?? resolve(view),
    resolveBefore: keyFactsResolver(ids),
  };
}

export function loadPlan(json: unknown, options: PlanLoadOptions): KeykitModel {
  const source = options.source;
  checkPlanShape(json, source);
  const ctx = planContext(json, options);
  const views: ResourceView[] = [];
  const before = new Map<string, unknown>();
  for (const rc of asArray(json.resource_changes)) {
    if (!isObject(rc)) continue;
    const view = planView(rc, ctx);
    if (!view) continue;
    views.push(view);
    if (view.present && secretStoreFor(view.type, view.values)) before.set(view.address, asObject(rc.change)?.before);
  }
  const changes = views.map((v) => v.change as PlannedChange);
  let known: ReadonlySet<string> | undefined;
  const knownIds = () => (known ??= knownKeyIds(ctx, changes));
  const model = buildModel({
    kind: "plan",
    source,
    tier: options.tier ?? options.metadata?.tier ?? "production",
    views,
    outputs: planOutputs(ctx),
    providers: ctx.config.providers.map((p) => planProvider(p, ctx)),
    ids: ctx.ids,
    mentionsOf: (v) =>
      v.references.kind === "expressions"
        ? keyMentionsInExpressions(v.references.tree, v.references.modulePrefix, source)
        : [],
    knownKeyIds: knownIds,
    rotation: options.metadata?.rotation ?? [],
    keyFacts: ctx.resolveFacts,
    notes: json.complete === false ? ["the plan is incomplete (deferred changes): a later plan may change more"] : [],
  });
  return { ...model, secretStores: withPreviousKeyIds(model.secretStores, before, knownIds, source) };
}
