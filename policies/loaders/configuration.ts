/**
 * Loader for Terraform JSON configuration: synthesized `cdk.tf.json` (with the kit's `"//".keykit` metadata and
 * cdktf's `"//".metadata.path`), the same object during `cdktf synth`, and HCL converted by hcl2json (where every
 * block is a list). References such as `${confluent_service_account.x.id}` are resolved to their type.
 */
import { relative } from "node:path";
import type {
  AcknowledgementRecord,
  KafkaClusterType,
  KeykitResourceMetadata,
  ScopeDescriptor,
  Tier,
} from "../metadata";
import { KAFKA_CLUSTER_TYPES, TIERS } from "../metadata";
import { classifySecretDestination, type KeyMention } from "./secret-flow";
import {
  type ApiKey,
  type Grant,
  type InputKind,
  type KafkaCluster,
  type KeykitModel,
  type Output,
  type ProviderBlock,
  type ProviderCredential,
  type SecretSink,
  type SecretStoreEntry,
  type ServedResource,
  type ServiceAccount,
  type SourceLocation,
  emptyModel,
} from "../model";
import { isLiteral, isScopeKind, referencesIn, resolveOwner, resolveScope } from "../references";
import { classifyCredential, credentialAttributes, soleVariable, throughDefault } from "./provider-credentials";
import {
  InputError,
  type JsonObject,
  asArray,
  asObject,
  asString,
  entries,
  firstBlock,
  forEachStringAt,
  isObject,
} from "./util";

export interface ConfigurationLoadOptions {
  readonly kind?: InputKind;
  /** Label of the input (file path or stack name). */
  readonly source: string;
  /** File to name in locations; defaults to `source`. */
  readonly file?: string;
  /** Overrides the tier (otherwise the stack's `"//".keykit.tier`, else production). */
  readonly tier?: Tier;
  /** For HCL: the file each resource address came from. */
  readonly fileOf?: ReadonlyMap<string, string>;
  /** Where each address is declared (HCL block headers, the key's line in a cdk.tf.json). */
  readonly positions?: ReadonlyMap<string, SourcePosition>;
  /** HCL: the followed local modules, their resource/data/provider blocks read with addresses under `prefix`. */
  readonly modules?: readonly ConfigurationModule[];
  /** Facts for the report (module sources not followed, unreadable module files). */
  readonly notes?: readonly string[];
}

/** A line range in a file (1-based). */
export interface SourcePosition {
  readonly file?: string;
  readonly line: number;
  readonly endLine?: number;
  readonly column?: number;
}

/** One local module's configuration inside an HCL input: `prefix` is `module.<name>.` (nested: repeated). */
export interface ConfigurationModule {
  readonly prefix: string;
  readonly json: JsonObject;
}

/** Secret references: `confluent_api_key.x.secret` or the whole object `confluent_api_key.x` (which holds the secret). */
export function secretReferencesIn(text: string): string[] {
  const out = new Set<string>();
  for (const r of referencesIn(text)) {
    if (
      r.type === "confluent_api_key" &&
      r.mode === "managed" &&
      (r.attribute === "secret" || r.attribute === undefined)
    ) {
      out.add(r.address);
    }
  }
  return [...out];
}

/** The string leaves of a value joined (what references can be found in), never recursing. */
function stringify(value: unknown, what = "configuration"): string {
  if (typeof value === "string") return value;
  const parts: string[] = [];
  forEachStringAt(value, (text) => parts.push(text), what);
  return parts.join("\n");
}

function readAcknowledgements(value: unknown): AcknowledgementRecord[] {
  return asArray(value)
    .filter(isObject)
    .map((a) => ({ rule: String(a.rule ?? ""), reason: String(a.reason ?? ""), expires: String(a.expires ?? "") }));
}

function readKeykit(body: JsonObject): KeykitResourceMetadata | undefined {
  const meta = asObject(asObject(body["//"])?.keykit);
  return meta as KeykitResourceMetadata | undefined;
}

function clusterTypeOf(body: JsonObject): KafkaClusterType | undefined {
  return KAFKA_CLUSTER_TYPES.find((t) => body[t] !== undefined && body[t] !== null);
}

function readLifecycle(body: JsonObject): ApiKey["lifecycle"] {
  const l = firstBlock(body.lifecycle);
  if (!l) return undefined;
  return {
    ...(typeof l.prevent_destroy === "boolean" ? { preventDestroy: l.prevent_destroy } : {}),
    ...(typeof l.create_before_destroy === "boolean" ? { createBeforeDestroy: l.create_before_destroy } : {}),
  };
}

function principalKey(principal: unknown, idsByAddress?: ReadonlyMap<string, string>): string | undefined {
  const text = asString(principal);
  if (!text) return undefined;
  const refs = referencesIn(text);
  if (refs.length > 0) return idsByAddress?.get(refs[0].address) ?? refs[0].address;
  const m = /^User:(.+)$/.exec(text);
  return m ? m[1] : text;
}

/** Resolves what a global key serves from its metadata, using cluster facts the model knows. */
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

interface ResourceBody {
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly body: JsonObject;
}

/** Resource and data blocks of one configuration (a module's, with its address prefix). */
function collectBodies(json: JsonObject, prefix: string, into: ResourceBody[]): void {
  for (const [section, mode] of [
    ["resource", "managed"],
    ["data", "data"],
  ] as const) {
    for (const [type, byName] of entries(json[section])) {
      for (const [name, raw] of entries(byName)) {
        // count/for_each: one declaration is one entity (Terraform would expand it; the rules judge the declaration).
        const body = asObject(Array.isArray(raw) ? raw[0] : raw);
        if (!body) continue;
        into.push({ address: `${prefix}${mode === "data" ? "data." : ""}${type}.${name}`, type, mode, body });
      }
    }
  }
}

function readTier(json: JsonObject, options: ConfigurationLoadOptions): Tier {
  const declaredTier = asObject(asObject(json["//"])?.keykit)?.tier;
  if (declaredTier !== undefined && !TIERS.includes(declaredTier as Tier)) {
    throw new InputError(`${options.source}: "//".keykit.tier must be one of ${TIERS.join(", ")}`);
  }
  return options.tier ?? (declaredTier as Tier | undefined) ?? "production";
}

type Locate = (address: string, body?: JsonObject, keykit?: KeykitResourceMetadata) => SourceLocation;

/** `at new Stack (/app/main.ts:12:5)` or `at /app/main.ts:12:5` → the file and line. */
const FRAME = /\(?((?:[A-Za-z]:)?[^\s()]+?\.[cm]?[jt]sx?):(\d+):\d+\)?\s*$/;

/**
 * Where a construct was created, from cdktf's `"//".metadata.stackTrace` (written when the app is synthesized with
 * stack traces): the `main.*` frame, else the first frame outside node_modules. Paths are made relative to the
 * working directory, as reports show files.
 */
export function originOf(stackTrace: unknown): SourcePosition | undefined {
  if (!Array.isArray(stackTrace)) return undefined;
  const frames: SourcePosition[] = [];
  for (const frame of stackTrace.slice(0, 64)) {
    const m = typeof frame === "string" ? FRAME.exec(frame) : null;
    if (m && !m[1].includes("node_modules") && !m[1].startsWith("node:"))
      frames.push({ file: m[1], line: Number(m[2]) });
  }
  const chosen = frames.find((f) => /(^|[/\\])main\.[cm]?[jt]sx?$/.test(f.file ?? "")) ?? frames[0];
  if (!chosen?.file) return undefined;
  const rel = relative(process.cwd(), chosen.file);
  return { file: rel && !rel.startsWith("..") ? rel : chosen.file, line: chosen.line };
}

/**
 * Locations: the file (HCL: the declaring file; synthesized stacks with stack traces: the main.ts that created the
 * construct), the line when known, the construct path from cdktf metadata.
 */
function locator(options: ConfigurationLoadOptions): Locate {
  return (address, body, keykit = body && readKeykit(body)) => {
    const meta = asObject(asObject(body?.["//"])?.metadata);
    const constructPath = asString(meta?.path) ?? asString(keykit?.path);
    const at = originOf(meta?.stackTrace) ?? options.positions?.get(address);
    const file = at?.file ?? options.fileOf?.get(address) ?? options.file ?? options.source;
    return {
      file,
      address,
      ...(constructPath ? { constructPath } : {}),
      ...(at ? { line: at.line } : {}),
      ...(at?.endLine !== undefined ? { endLine: at.endLine } : {}),
    };
  };
}

function buildClusters(bodies: readonly ResourceBody[], locate: Locate): Map<string, KafkaCluster> {
  const clusters = new Map<string, KafkaCluster>();
  for (const b of bodies) {
    if (b.type !== "confluent_kafka_cluster") continue;
    const clusterType = b.mode === "managed" ? clusterTypeOf(b.body) : undefined;
    clusters.set(b.address, {
      address: b.address,
      location: locate(b.address, b.body),
      acknowledgements: [],
      ...(isLiteral(b.body.id) ? { id: b.body.id } : {}),
      ...(clusterType ? { clusterType } : {}),
    });
  }
  return clusters;
}

interface EntityFacts {
  readonly address: string;
  readonly location: SourceLocation;
  readonly acknowledgements: readonly AcknowledgementRecord[];
  readonly construct: string | undefined;
  readonly keykit: KeykitResourceMetadata | undefined;
}

function buildApiKey(b: ResourceBody, e: EntityFacts, clusters: ReadonlyMap<string, KafkaCluster>): ApiKey {
  const owner = firstBlock(b.body.owner);
  const managed = firstBlock(b.body.managed_resource);
  const env = firstBlock(managed?.environment);
  const userOwner = e.keykit?.userOwner;
  // One property set per entity kind (absent = undefined), no conditional spreads: this runs once per resource
  // inside every synth, mostly before the JIT has warmed up.
  return {
    address: e.address,
    location: e.location,
    acknowledgements: e.acknowledgements,
    construct: e.construct,
    displayName: isLiteral(b.body.display_name) ? b.body.display_name : undefined,
    owner: resolveOwner(owner?.id, owner?.kind, referencesIn(stringify(owner?.id ?? ""))),
    scope: resolveScope(
      managed !== undefined,
      { id: managed?.id, apiVersion: managed?.api_version, environment: env?.id },
      referencesIn(stringify(managed?.id ?? "")),
    ),
    serves: servedResources(e.keykit?.serves, clusters),
    rotation: isObject(e.keykit?.rotation) ? e.keykit.rotation : undefined,
    userOwnerAllowed:
      isObject(userOwner) && typeof userOwner.reason === "string" ? { reason: userOwner.reason } : undefined,
    lifecycle: readLifecycle(b.body),
  };
}

function buildGrant(b: ResourceBody, e: EntityFacts): Grant {
  return {
    address: e.address,
    location: e.location,
    acknowledgements: e.acknowledgements,
    construct: e.construct,
    kind: b.type === "confluent_role_binding" ? "role-binding" : "kafka-acl",
    principalKey: principalKey(b.body.principal),
    role: isLiteral(b.body.role_name) ? b.body.role_name : undefined,
  };
}

/**
 * Every mention of an API key in a resource's arguments, with its path. A string that does not name
 * `confluent_api_key` is skipped before the reference parser runs (most strings of a configuration).
 */
export function keyMentionsIn(body: JsonObject, what: string): KeyMention[] {
  const out: KeyMention[] = [];
  forEachStringAt(
    body,
    (text, path) => {
      if (!text.includes("confluent_api_key.") || path[0] === "//") return;
      for (const r of referencesIn(text)) {
        if (r.type !== "confluent_api_key" || r.mode !== "managed") continue;
        // The whole key object holds the secret too (an output or argument of `confluent_api_key.x`).
        out.push({ path, keyAddress: r.address, secret: r.attribute === "secret" || r.attribute === undefined });
      }
    },
    what,
  );
  return out;
}

interface Entities {
  readonly apiKeys: ApiKey[];
  readonly serviceAccounts: ServiceAccount[];
  readonly grants: Grant[];
  readonly stores: SecretStoreEntry[];
  readonly sinks: SecretSink[];
}

/** Sorts one managed resource into the entity lists (one small builder per kind). */
function addEntity(
  b: ResourceBody,
  e: EntityFacts,
  clusters: ReadonlyMap<string, KafkaCluster>,
  out: Entities,
  what: string,
): void {
  if (b.type === "confluent_api_key") out.apiKeys.push(buildApiKey(b, e, clusters));
  else if (b.type === "confluent_service_account") {
    const displayName = isLiteral(b.body.display_name) ? b.body.display_name : undefined;
    out.serviceAccounts.push({ ...entityBase(e), displayName });
  } else if (b.type === "confluent_role_binding" || b.type === "confluent_kafka_acl") out.grants.push(buildGrant(b, e));
  else {
    // Any other resource: a secret store holding keys, a credential consumer, or a place a secret must not go.
    const dest = classifySecretDestination(b.type, b.mode, b.body, keyMentionsIn(b.body, what));
    if (dest.store)
      out.stores.push({ ...entityBase(e), type: b.type, keyAddresses: dest.store.keyAddresses, keyIds: [] });
    if (dest.sink) out.sinks.push({ ...entityBase(e), type: b.type, ...dest.sink });
  }
}

function entityBase(e: EntityFacts) {
  return { address: e.address, location: e.location, acknowledgements: e.acknowledgements, construct: e.construct };
}

function buildOutputs(json: JsonObject, locate: Locate, what: string): Output[] {
  const outputs: Output[] = [];
  for (const [name, raw] of entries(json.output)) {
    const body = Array.isArray(raw) ? asObject(raw[0]) : asObject(raw);
    if (!body) continue;
    const address = `output.${name}`;
    outputs.push({
      address,
      name,
      location: locate(address, body),
      acknowledgements: readAcknowledgements(readKeykit(body)?.acknowledgements),
      sensitive: body.sensitive === true,
      secretOf: secretReferencesIn(stringify(body.value, what)),
    });
  }
  return outputs;
}

function buildProviders(json: JsonObject, prefix: string, locate: Locate, into: ProviderBlock[]): void {
  const defaults = new Map<string, unknown>();
  for (const [name, raw] of entries(json.variable)) defaults.set(name, firstBlock(raw)?.default);
  for (const [name, raw] of entries(json.provider)) {
    for (const block of Array.isArray(raw) ? raw : [raw]) {
      if (!isObject(block)) continue;
      const alias = asString(block.alias);
      const address = `${prefix}provider.${name}${alias ? `.${alias}` : ""}`;
      const credentials: ProviderCredential[] = [];
      for (const attr of credentialAttributes(name)) {
        const [head, tail] = attr.split(".");
        const value = tail ? firstBlock(block[head])?.[tail] : block[head];
        const c = throughDefault(classifyCredential(attr, { value }), soleVariable(value), defaults);
        if (c) credentials.push(c);
      }
      into.push({
        address,
        name,
        ...(alias ? { alias } : {}),
        location: locate(address, block),
        acknowledgements: [],
        credentials,
      });
    }
  }
}

/** Loads a Terraform JSON configuration object (cdk.tf.json, synth output, or HCL converted to JSON). */
export function loadConfiguration(json: unknown, options: ConfigurationLoadOptions): KeykitModel {
  if (!isObject(json)) throw new InputError(`${options.source}: a Terraform JSON configuration must be an object`);
  const model = emptyModel(options.kind ?? "cdktf-json", options.source, readTier(json, options));
  const locate = locator(options);
  const what = options.source;
  // Collect resource bodies (managed + data) first: keys need cluster facts and owner types.
  const bodies: ResourceBody[] = [];
  collectBodies(json, "", bodies);
  for (const m of options.modules ?? []) collectBodies(m.json, m.prefix, bodies);
  const clusters = buildClusters(bodies, locate);
  const out: Entities = { apiKeys: [], serviceAccounts: [], grants: [], stores: [], sinks: [] };
  for (const b of bodies) {
    if (b.mode !== "managed") continue;
    const keykit = readKeykit(b.body);
    const facts: EntityFacts = {
      address: b.address,
      location: locate(b.address, b.body, keykit),
      acknowledgements: readAcknowledgements(keykit?.acknowledgements),
      construct: typeof keykit?.construct === "string" ? keykit.construct : undefined,
      keykit,
    };
    addEntity(b, facts, clusters, out, what);
  }
  const providers: ProviderBlock[] = [];
  buildProviders(json, "", locate, providers);
  for (const m of options.modules ?? []) buildProviders(m.json, m.prefix, locate, providers);
  return {
    ...model,
    apiKeys: out.apiKeys,
    serviceAccounts: out.serviceAccounts,
    grants: out.grants,
    kafkaClusters: [...clusters.values()],
    outputs: buildOutputs(json, locate, what),
    providers,
    secretStores: out.stores,
    secretSinks: out.sinks,
    notes: [...(options.notes ?? [])],
  };
}
