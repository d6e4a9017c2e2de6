import type { AcknowledgementRecord } from "../metadata";
import type { ApiKey, EntityBase, KeykitModel, ServedResource } from "../model";
import type { Rule, RuleFinding } from "../rule";
import { unsupportedReason } from "./kk002-global-api-key-serves-supported-resources";
import { PRACTICE_URLS, findingFor } from "./common";

/** The resources one owner's scoped keys are bound to, by `<kind>:<id>`; undefined when one of them is unknown. */
type OwnerResources = Map<string, ServedResource> | undefined;

/** Cluster types by cluster address and by cluster id, so a key scoped by reference or by literal id resolves. */
function clusterIndex(model: KeykitModel): Map<string, KeykitModel["kafkaClusters"][number]> {
  const index = new Map<string, KeykitModel["kafkaClusters"][number]>();
  for (const cluster of model.kafkaClusters) {
    index.set(cluster.address, cluster);
    if (cluster.id) index.set(cluster.id, cluster);
  }
  return index;
}

/**
 * The resource a scoped key is bound to, with the facts global-key support depends on, or undefined when the scope
 * cannot be identified. A Kafka cluster is named by its id when the model knows it, so one cluster written once as
 * a reference and once as a literal id counts once.
 */
function boundResource(key: ApiKey, clusters: ReturnType<typeof clusterIndex>): ServedResource | undefined {
  const { scope } = key;
  if (scope.kind === "global" || scope.kind === "unknown" || scope.id === undefined) return undefined;
  if (scope.kind !== "kafka") return { kind: scope.kind, id: scope.id };
  const cluster = clusters.get(scope.reference?.address ?? scope.id) ?? clusters.get(scope.id);
  return {
    kind: "kafka",
    id: cluster?.id ?? scope.id,
    ...(cluster?.clusterType ? { clusterType: cluster.clusterType } : {}),
  };
}

/** Scoped keys grouped by owner, with the distinct resources they are bound to. Global keys are left out. */
function scopedKeysByOwner(model: KeykitModel): Map<string, { keys: ApiKey[]; resources: OwnerResources }> {
  const clusters = clusterIndex(model);
  const owners = new Map<string, { keys: ApiKey[]; resources: OwnerResources }>();
  for (const key of model.apiKeys) {
    if (key.owner.key === undefined || key.scope.kind === "global") continue;
    let entry = owners.get(key.owner.key);
    if (!entry) owners.set(key.owner.key, (entry = { keys: [], resources: new Map() }));
    entry.keys.push(key);
    const resource = boundResource(key, clusters);
    // A key on an unidentified resource might be on one global keys do not serve: no advice for that owner.
    if (resource === undefined) entry.resources = undefined;
    else entry.resources?.set(`${resource.kind}:${resource.id}`, resource);
  }
  return owners;
}

/** Service accounts by address and by id. */
function accountIndex(model: KeykitModel): Map<string, EntityBase> {
  const index = new Map<string, EntityBase>();
  for (const account of model.serviceAccounts) {
    index.set(account.address, account);
    if (account.id) index.set(account.id, account);
  }
  return index;
}

/** The owner's service account when the model has it (the advice is about the owner), else its first key. */
function subjectOf(accounts: ReturnType<typeof accountIndex>, keys: readonly ApiKey[]): EntityBase {
  const { reference, id } = keys[0].owner;
  return (reference && accounts.get(reference.address)) ?? (id !== undefined ? accounts.get(id) : undefined) ?? keys[0];
}

/** The subject's code acknowledgements and those of every key of the owner: any of them may accept the advice. */
function acknowledgementsOf(subject: EntityBase, keys: readonly ApiKey[]): AcknowledgementRecord[] {
  const out = [...subject.acknowledgements];
  for (const key of keys) for (const ack of key.acknowledgements) if (!out.includes(ack)) out.push(ack);
  return out;
}

const LISTED_KEYS = 5;

/** The first few addresses, then how many more: an owner with hundreds of keys still gets a readable line. */
function listed(addresses: readonly string[]): string {
  const shown = addresses.slice(0, LISTED_KEYS).join(", ");
  return addresses.length > LISTED_KEYS ? `${shown} and ${addresses.length - LISTED_KEYS} more` : shown;
}

/** Practice 2, the positive side: an app that uses several resources gets one global key, not a scoped key per resource. */
export const OwnerWithKeysOnSeveralResourcesUsesGlobalKey: Rule = {
  id: "KK014",
  name: "OwnerWithKeysOnSeveralResourcesUsesGlobalKey",
  severity: "warning",
  summary:
    "An owner with scoped API keys on two or more distinct resources that all support global keys uses one global key instead",
  rationale:
    "One key per resource means one secret per resource to publish, rotate and revoke for the same client. Where every resource the client uses supports global keys (the Cloud Management API, Enterprise/Freight/Dedicated Kafka clusters, Schema Registry over private networking, Tableflow, Flink, ksqlDB), one global key does the same with one secret. Owners with a key on a resource global keys do not serve, or whose support cannot be told (an unknown cluster type, Schema Registry networking, an unresolved scope), are not advised.",
  fix: 'Create one global key for the owner (GlobalApiKey, listing every resource it serves), move the clients to it, then delete the scoped keys: an existing key cannot be converted (docs/constructs.md, "Migrating scoped keys to a global key").',
  helpUri: PRACTICE_URLS.globalKeys,
  acknowledgeable: "always",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl", "inventory"],
  check(model) {
    const out: RuleFinding[] = [];
    let accounts: ReturnType<typeof accountIndex> | undefined;
    for (const { keys, resources } of scopedKeysByOwner(model).values()) {
      if (resources === undefined || resources.size < 2) continue;
      if ([...resources.values()].some((r) => unsupportedReason(r) !== undefined)) continue;
      const sorted = [...keys].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
      const subject = subjectOf((accounts ??= accountIndex(model)), sorted);
      const names = [...resources.keys()].sort().join(", ");
      out.push({
        ...findingFor(
          subject,
          `owner ${sorted[0].owner.key} has ${keys.length} scoped API keys on ${resources.size} resources that all support global keys (${names}): use one global key (${listed(sorted.map((k) => k.address))})`,
        ),
        codeAcknowledgements: acknowledgementsOf(subject, sorted),
      });
    }
    return out;
  },
};
