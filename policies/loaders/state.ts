/**
 * Loader for state JSON (`terraform show -json` on a state). State holds secrets in plain text (key secrets,
 * secret-store contents); they are read only transiently to detect where a key's secret ended up, never copied.
 */
import type { Tier } from "../metadata";
import { KAFKA_CLUSTER_TYPES } from "../metadata";
import {
  type ApiKey,
  type Grant,
  type KafkaCluster,
  type KeykitModel,
  type Output,
  type SecretSink,
  type SecretStoreEntry,
  type ServiceAccount,
  SECRET_STORE_TYPES,
  emptyModel,
} from "../model";
import { resolveOwner, resolveScope } from "../references";
import { checkFormatVersion, configAddress, stateResources } from "./plan";
import { InputError, asArray, asObject, entries, forEachString, isObject, occurrences } from "./util";

export interface StateLoadOptions {
  readonly source: string;
  readonly file?: string;
  readonly tier?: Tier;
  readonly metadata?: KeykitModel;
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
  const resources = stateResources(values).filter((r) => r.mode === "managed");
  const metaKeys = new Map((metadata?.apiKeys ?? []).map((k) => [k.address, k]));
  const paths = new Map<string, string>();
  for (const e of [...(metadata?.apiKeys ?? []), ...(metadata?.serviceAccounts ?? [])]) {
    if (e.location.constructPath) paths.set(e.address, e.location.constructPath);
  }
  const location = (address: string) => {
    const path = paths.get(configAddress(address));
    return { file, address, ...(path ? { constructPath: path } : {}) };
  };

  const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);
  const secrets = new Map<string, string>(); // secret → key address; transient, never leaves this function
  const apiKeys: ApiKey[] = [];
  const serviceAccounts: ServiceAccount[] = [];
  const grants: Grant[] = [];
  const clusters: KafkaCluster[] = [];
  const storeValues: { address: string; type: string; values: unknown }[] = [];
  const others: { address: string; type: string; values: Record<string, unknown> }[] = [];
  for (const r of resources) {
    const v = r.values;
    const meta = metaKeys.get(configAddress(r.address));
    const base = { address: r.address, location: location(r.address), acknowledgements: meta?.acknowledgements ?? [] };
    if (r.type === "confluent_api_key") {
      const owner = asObject(asArray(v.owner)[0]);
      const managed = asObject(asArray(v.managed_resource)[0]);
      const secret = v.secret;
      if (typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH) secrets.set(secret, r.address);
      const id = str(v.id);
      const displayName = str(v.display_name);
      apiKeys.push({
        ...base,
        ...(id ? { id } : {}),
        ...(displayName ? { displayName } : {}),
        owner: resolveOwner(owner?.id, owner?.kind, []),
        scope: resolveScope(
          managed !== undefined,
          {
            id: managed?.id,
            apiVersion: managed?.api_version,
            environment: asObject(asArray(managed?.environment)[0])?.id,
          },
          [],
        ),
        ...(meta?.serves ? { serves: meta.serves } : {}),
        ...(meta?.rotation ? { rotation: meta.rotation } : {}),
        ...(meta?.construct ? { construct: meta.construct } : {}),
        ...(meta?.userOwnerAllowed ? { userOwnerAllowed: meta.userOwnerAllowed } : {}),
      });
    } else if (r.type === "confluent_service_account") {
      const id = str(v.id);
      serviceAccounts.push({ ...base, ...(id ? { id } : {}) });
    } else if (r.type === "confluent_role_binding" || r.type === "confluent_kafka_acl") {
      const principal = str(v.principal)?.replace(/^User:/, "");
      grants.push({
        ...base,
        kind: r.type === "confluent_role_binding" ? "role-binding" : "kafka-acl",
        ...(principal ? { principalKey: principal } : {}),
      });
    } else if (r.type === "confluent_kafka_cluster") {
      const clusterType = KAFKA_CLUSTER_TYPES.find((t) => asArray(v[t]).length > 0);
      const id = str(v.id);
      clusters.push({ ...base, ...(id ? { id } : {}), ...(clusterType ? { clusterType } : {}) });
    } else if (SECRET_STORE_TYPES.includes(r.type)) {
      storeValues.push({ address: r.address, type: r.type, values: v });
    } else {
      others.push({ address: r.address, type: r.type, values: v });
    }
  }

  const keyIds = new Set(apiKeys.map((k) => k.id).filter((id): id is string => id !== undefined));
  const stores: SecretStoreEntry[] = storeValues.map((s) => {
    const found = new Set<string>();
    forEachString(s.values, (text) => occurrences(text, keyIds, found));
    return {
      address: s.address,
      type: s.type,
      location: location(s.address),
      acknowledgements: [],
      keyAddresses: [],
      keyIds: [...found],
    };
  });

  const secretSet = new Set(secrets.keys());
  const containsSecret = (value: unknown): string[] => {
    const hits = new Set<string>();
    if (secrets.size === 0) return [];
    const found = new Set<string>();
    forEachString(value, (text) => {
      if (text.length >= MIN_SECRET_LENGTH) occurrences(text, secretSet, found);
    });
    for (const secret of found) hits.add(secrets.get(secret) ?? "");
    return [...hits];
  };
  const sinks: SecretSink[] = [];
  for (const o of others) {
    const attributes: string[] = [];
    const secretOf = new Set<string>();
    for (const [attr, value] of entries(o.values)) {
      if (attr === "credentials" && o.type.startsWith("confluent_")) continue;
      const hits = containsSecret(value);
      if (hits.length > 0) {
        attributes.push(attr);
        hits.forEach((h) => secretOf.add(h));
      }
    }
    if (secretOf.size > 0) {
      sinks.push({
        address: o.address,
        type: o.type,
        location: location(o.address),
        acknowledgements: [],
        secretOf: [...secretOf],
        attributes,
      });
    }
  }

  const outputs: Output[] = entries(values?.outputs).map(([name, raw]) => {
    const o = asObject(raw) ?? {};
    const sensitive = o.sensitive === true;
    return {
      address: `output.${name}`,
      name,
      location: { file, address: `output.${name}` },
      acknowledgements: [],
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
