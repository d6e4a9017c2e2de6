/**
 * The desired state of an audit: what the given configurations (cdk.tf.json, Terraform state JSON, plan JSON,
 * loaded into models by the policy loaders) declare about API keys, service accounts and grants, merged by
 * Terraform address (a cdk.tf.json and the state of the same stack describe the same objects).
 */
import { isObject } from "../loaders/util";
import type { KeykitModel } from "../model";
import type { ConfiguredKey, ConfiguredServiceAccount, DesiredState } from "./audit-model";

/** Description and display name per address, read from the raw JSON (the model does not keep descriptions). */
export interface NameFacts {
  readonly description?: string;
  readonly displayName?: string;
}

export function desiredStateFromModels(
  models: readonly KeykitModel[],
  names: ReadonlyMap<string, NameFacts> = new Map(),
): DesiredState {
  const keys = new Map<string, ConfiguredKey>();
  const accounts = new Map<string, ConfiguredServiceAccount>();
  const grants = new Set<string>();
  const single = models.length === 1;
  const list: ConfiguredKey[] = [];
  for (const model of models) {
    // Plain objects of one shape (undefined for unknown fields): at 50,000 keys, spreading optional fields costs
    // more than the loaders themselves.
    for (const k of model.apiKeys) {
      const ownerRef = k.owner.reference;
      const next: ConfiguredKey = {
        address: k.address,
        source: model.source,
        id: k.id,
        description: names.get(k.address)?.description,
        displayName: k.displayName,
        ownerId: k.owner.id,
        ownerAddress:
          ownerRef && ownerRef.mode === "managed" && ownerRef.type === "confluent_service_account"
            ? ownerRef.address
            : undefined,
        constructPath: k.location.constructPath,
        rotation: k.rotation ? { name: k.rotation.name, slot: k.rotation.slot } : undefined,
        acknowledgements: k.acknowledgements.length > 0 ? k.acknowledgements : undefined,
        userOwnerAllowed: k.userOwnerAllowed,
        serves: k.serves,
        tier: model.tier,
      };
      if (single) {
        list.push(next); // one input: addresses are unique, nothing to merge
        continue;
      }
      const known = keys.get(k.address);
      keys.set(k.address, known ? merge(known, next) : next);
    }
    for (const a of model.serviceAccounts) {
      const next: ConfiguredServiceAccount = {
        address: a.address,
        source: model.source,
        id: a.id,
        displayName: a.displayName ?? names.get(a.address)?.displayName,
        constructPath: a.location.constructPath,
      };
      const known = accounts.get(a.address);
      accounts.set(a.address, known ? merge(known, next) : next);
    }
    // A plan's apiKeys are what exists after the apply; the keys it deletes still exist until then, and the
    // configuration (not a cleanup script) removes them.
    for (const change of model.changes) {
      if (change.type !== "confluent_api_key" || change.mode !== "managed" || !change.actions.includes("delete"))
        continue;
      const id = change.before?.id;
      if (id === undefined) continue;
      const next: ConfiguredKey = {
        address: `${change.address} (deleted by the plan)`,
        source: model.source,
        id,
        description: undefined,
        displayName: undefined,
        ownerId: change.before?.owner.id,
        ownerAddress: undefined,
        constructPath: change.location.constructPath,
        rotation: undefined,
        acknowledgements: undefined,
        userOwnerAllowed: undefined,
        serves: undefined,
        pendingDelete: true,
        tier: model.tier,
      };
      if (single) list.push(next);
      else keys.set(next.address, next);
    }
    for (const g of model.grants) if (g.principalKey !== undefined) grants.add(g.principalKey);
  }
  return {
    sources: models.map((m) => m.source),
    keys: single ? list : [...keys.values()],
    serviceAccounts: [...accounts.values()],
    grantPrincipals: [...grants],
  };
}

/** Fields already known win; a later input (e.g. the state after the cdk.tf.json) fills the gaps (the id). */
function merge<T extends object>(known: T, next: T): T {
  const out: Record<string, unknown> = { ...(next as Record<string, unknown>) };
  for (const [field, value] of Object.entries(known)) if (value !== undefined) out[field] = value;
  return out as T;
}

/**
 * Descriptions and display names of confluent_api_key / confluent_service_account, by address, from a
 * cdk.tf.json (`resource.<type>.<name>`), a state (`values.root_module`) or a plan (`planned_values`,
 * `prior_state`, `resource_changes`). Reads names only, never other values.
 */
export function nameFactsFromJson(json: unknown, into: Map<string, NameFacts> = new Map()): Map<string, NameFacts> {
  if (!isObject(json)) return into;
  const record = (address: string, values: unknown) => {
    if (!isObject(values) || into.has(address)) return;
    const description =
      typeof values.description === "string" && !values.description.includes("${") ? values.description : undefined;
    const displayName =
      typeof values.display_name === "string" && !values.display_name.includes("${") ? values.display_name : undefined;
    if (description !== undefined || displayName !== undefined) into.set(address, { description, displayName });
  };
  const resource = json.resource;
  if (isObject(resource)) {
    for (const type of TYPES) {
      const byName = resource[type];
      if (isObject(byName)) for (const name in byName) record(`${type}.${name}`, byName[name]);
    }
  }
  // Iterative (an explicit stack): hostile nesting of child_modules cannot overflow the call stack.
  const walk = (root: unknown) => {
    const pending: unknown[] = [root];
    while (pending.length > 0) {
      const module = pending.pop();
      if (!isObject(module)) continue;
      if (Array.isArray(module.resources)) {
        for (const r of module.resources) {
          if (
            isObject(r) &&
            typeof r.address === "string" &&
            typeof r.type === "string" &&
            TYPES.includes(r.type) &&
            r.mode !== "data"
          )
            record(r.address, r.values);
        }
      }
      if (Array.isArray(module.child_modules))
        for (let i = module.child_modules.length - 1; i >= 0; i--) pending.push(module.child_modules[i]);
    }
  };
  if (isObject(json.values)) walk(json.values.root_module);
  if (isObject(json.planned_values)) walk(json.planned_values.root_module);
  if (isObject(json.prior_state) && isObject(json.prior_state.values)) walk(json.prior_state.values.root_module);
  if (Array.isArray(json.resource_changes)) {
    for (const c of json.resource_changes) {
      if (
        !isObject(c) ||
        typeof c.address !== "string" ||
        typeof c.type !== "string" ||
        !TYPES.includes(c.type) ||
        !isObject(c.change)
      )
        continue;
      record(c.address, c.change.after ?? c.change.before);
    }
  }
  return into;
}

const TYPES = ["confluent_api_key", "confluent_service_account"];
