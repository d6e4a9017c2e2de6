/**
 * Loader for Terraform JSON configuration: synthesized `cdk.tf.json` (with the kit's `"//".keykit` metadata and
 * cdktf's `"//".metadata.path`), the same object during `cdktf synth`, and HCL converted by hcl2json (where every
 * block is a list). References such as `${confluent_service_account.x.id}` are resolved to their type.
 */
import type {
  AcknowledgementRecord,
  KafkaClusterType,
  KeykitResourceMetadata,
  ScopeDescriptor,
  Tier,
} from "../metadata";
import { KAFKA_CLUSTER_TYPES, TIERS } from "../metadata";
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
  SECRET_STORE_TYPES,
  emptyModel,
} from "../model";
import { isLiteral, isScopeKind, referencesIn, resolveOwner, resolveScope } from "../references";
import { classifyCredential, credentialAttributes, soleVariable, throughDefault } from "./provider-credentials";
import { InputError, type JsonObject, asArray, asObject, asString, entries, firstBlock, isObject } from "./util";

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

function keyReferencesIn(text: string): string[] {
  return [
    ...new Set(
      referencesIn(text)
        .filter((r) => r.type === "confluent_api_key")
        .map((r) => r.address),
    ),
  ];
}

function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
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

/** Loads a Terraform JSON configuration object (cdk.tf.json, synth output, or HCL converted to JSON). */
export function loadConfiguration(json: unknown, options: ConfigurationLoadOptions): KeykitModel {
  if (!isObject(json)) throw new InputError(`${options.source}: a Terraform JSON configuration must be an object`);
  const kind = options.kind ?? "cdktf-json";
  const stackMeta = asObject(asObject(json["//"])?.keykit);
  const declaredTier = stackMeta?.tier;
  if (declaredTier !== undefined && !TIERS.includes(declaredTier as Tier)) {
    throw new InputError(`${options.source}: "//".keykit.tier must be one of ${TIERS.join(", ")}`);
  }
  const tier: Tier = options.tier ?? (declaredTier as Tier | undefined) ?? "production";
  const model = emptyModel(kind, options.source, tier);

  const location = (address: string, body?: JsonObject, keykit = body && readKeykit(body)): SourceLocation => {
    const meta = asObject(asObject(body?.["//"])?.metadata);
    const constructPath = asString(meta?.path) ?? asString(keykit?.path);
    const file = options.fileOf?.get(address) ?? options.file ?? options.source;
    return constructPath ? { file, address, constructPath } : { file, address };
  };

  // Collect resource bodies (managed + data) first: keys need cluster facts and owner types.
  const bodies: { address: string; type: string; mode: "managed" | "data"; body: JsonObject }[] = [];
  for (const [section, mode] of [
    ["resource", "managed"],
    ["data", "data"],
  ] as const) {
    for (const [type, byName] of entries(json[section])) {
      for (const [name, raw] of entries(byName)) {
        const list = Array.isArray(raw) ? raw : [raw];
        const body = asObject(list[0]);
        if (!body) continue;
        bodies.push({ address: `${mode === "data" ? "data." : ""}${type}.${name}`, type, mode, body });
      }
    }
  }

  const clusters = new Map<string, KafkaCluster>();
  for (const b of bodies) {
    if (b.type !== "confluent_kafka_cluster") continue;
    const clusterType = b.mode === "managed" ? clusterTypeOf(b.body) : undefined;
    const cluster: KafkaCluster = {
      address: b.address,
      location: location(b.address, b.body),
      acknowledgements: [],
      ...(isLiteral(b.body.id) ? { id: b.body.id } : {}),
      ...(clusterType ? { clusterType } : {}),
    };
    clusters.set(b.address, cluster);
  }

  const apiKeys: ApiKey[] = [];
  const serviceAccounts: ServiceAccount[] = [];
  const grants: Grant[] = [];
  const stores: SecretStoreEntry[] = [];
  const sinks: SecretSink[] = [];
  for (const b of bodies) {
    if (b.mode !== "managed") continue;
    const keykit = readKeykit(b.body);
    // Entities of one kind are built with one property set (absent = undefined), without conditional spreads:
    // this runs once per resource inside every synth, mostly before the JIT has warmed up.
    const address = b.address;
    const loc = location(address, b.body, keykit);
    const acknowledgements = readAcknowledgements(keykit?.acknowledgements);
    const construct = typeof keykit?.construct === "string" ? keykit.construct : undefined;
    const displayName = isLiteral(b.body.display_name) ? b.body.display_name : undefined;
    if (b.type === "confluent_api_key") {
      const owner = firstBlock(b.body.owner);
      const managed = firstBlock(b.body.managed_resource);
      const env = firstBlock(managed?.environment);
      const userOwner = keykit?.userOwner;
      apiKeys.push({
        address,
        location: loc,
        acknowledgements,
        construct,
        displayName,
        owner: resolveOwner(owner?.id, owner?.kind, referencesIn(stringify(owner?.id ?? ""))),
        scope: resolveScope(
          managed !== undefined,
          { id: managed?.id, apiVersion: managed?.api_version, environment: env?.id },
          referencesIn(stringify(managed?.id ?? "")),
        ),
        serves: servedResources(keykit?.serves, clusters),
        rotation: isObject(keykit?.rotation) ? keykit.rotation : undefined,
        userOwnerAllowed:
          isObject(userOwner) && typeof userOwner.reason === "string" ? { reason: userOwner.reason } : undefined,
        lifecycle: readLifecycle(b.body),
      });
      continue;
    }
    if (b.type === "confluent_service_account") {
      serviceAccounts.push({ address, location: loc, acknowledgements, construct, displayName });
      continue;
    }
    if (b.type === "confluent_role_binding" || b.type === "confluent_kafka_acl") {
      grants.push({
        address,
        location: loc,
        acknowledgements,
        construct,
        kind: b.type === "confluent_role_binding" ? "role-binding" : "kafka-acl",
        principalKey: principalKey(b.body.principal),
        role: isLiteral(b.body.role_name) ? b.body.role_name : undefined,
      });
      continue;
    }
    const base = { address, location: loc, acknowledgements, construct };
    // Any other resource: a secret store holding keys, or a place a secret must not be written to.
    if (SECRET_STORE_TYPES.includes(b.type)) {
      const keyAddresses = new Set<string>();
      for (const [attr, value] of entries(b.body)) {
        if (attr !== "//") for (const a of keyReferencesIn(stringify(value))) keyAddresses.add(a);
      }
      stores.push({ ...base, type: b.type, keyAddresses: [...keyAddresses], keyIds: [] });
      continue;
    }
    const secretOf = new Set<string>();
    const attributes: string[] = [];
    for (const [attr, value] of entries(b.body)) {
      // lifecycle/depends_on only name a key; a confluent_* `credentials` block uses a key to call the API.
      if (attr === "//" || attr === "lifecycle" || attr === "depends_on") continue;
      if (attr === "credentials" && b.type.startsWith("confluent_")) continue;
      const found = secretReferencesIn(stringify(value));
      if (found.length > 0) {
        attributes.push(attr);
        for (const a of found) secretOf.add(a);
      }
    }
    if (secretOf.size > 0) sinks.push({ ...base, type: b.type, secretOf: [...secretOf], attributes });
  }

  const outputs: Output[] = [];
  for (const [name, raw] of entries(json.output)) {
    const body = Array.isArray(raw) ? asObject(raw[0]) : asObject(raw);
    if (!body) continue;
    const address = `output.${name}`;
    outputs.push({
      address,
      name,
      location: location(address, body),
      acknowledgements: readAcknowledgements(readKeykit(body)?.acknowledgements),
      sensitive: body.sensitive === true,
      secretOf: secretReferencesIn(stringify(body.value)),
    });
  }

  const defaults = new Map<string, unknown>();
  for (const [name, raw] of entries(json.variable)) defaults.set(name, firstBlock(raw)?.default);
  const providers: ProviderBlock[] = [];
  for (const [name, raw] of entries(json.provider)) {
    for (const block of Array.isArray(raw) ? raw : [raw]) {
      if (!isObject(block)) continue;
      const alias = asString(block.alias);
      const address = `provider.${name}${alias ? `.${alias}` : ""}`;
      const credentials: ProviderCredential[] = [];
      for (const attr of credentialAttributes(name)) {
        const [head, tail] = attr.split(".");
        const value = tail ? firstBlock(block[head])?.[tail] : block[head];
        const c = throughDefault(classifyCredential(attr, { value }), soleVariable(value), defaults);
        if (c) credentials.push(c);
      }
      providers.push({
        address,
        name,
        ...(alias ? { alias } : {}),
        location: location(address, block),
        acknowledgements: [],
        credentials,
      });
    }
  }

  return {
    ...model,
    apiKeys,
    serviceAccounts,
    grants,
    kafkaClusters: [...clusters.values()],
    outputs,
    providers,
    secretStores: stores,
    secretSinks: sinks,
  };
}
