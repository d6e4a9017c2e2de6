import type { KeykitModel, PlannedChange, SecretStoreEntry } from "../model";
import type { RuleFinding } from "../rule";
import { deletesKey } from "./plan-changes";

/** Secret stores by the key ids they hold (after / before apply) and by the key addresses they reference. */
export interface StoreIndex {
  readonly byKeyId: ReadonlyMap<string, SecretStoreEntry[]>;
  readonly byPreviousKeyId: ReadonlyMap<string, SecretStoreEntry[]>;
  readonly byKeyAddress: ReadonlyMap<string, SecretStoreEntry[]>;
}

function push(map: Map<string, SecretStoreEntry[]>, key: string, store: SecretStoreEntry): void {
  const list = map.get(key) ?? [];
  if (!list.includes(store)) list.push(store);
  map.set(key, list);
}

export function indexStores(model: KeykitModel): StoreIndex {
  const byKeyId = new Map<string, SecretStoreEntry[]>();
  const byPreviousKeyId = new Map<string, SecretStoreEntry[]>();
  const byKeyAddress = new Map<string, SecretStoreEntry[]>();
  for (const s of model.secretStores) {
    for (const id of s.keyIds) push(byKeyId, id, s);
    for (const id of s.previousKeyIds ?? []) push(byPreviousKeyId, id, s);
    for (const a of s.keyAddresses) push(byKeyAddress, a, s);
  }
  return { byKeyId, byPreviousKeyId, byKeyAddress };
}

/**
 * What a plan rule says of each change that deletes a key (with the key's id before the change, when known), judged
 * against the secret stores (indexed once).
 */
export function findingsPerDeletedKey(
  model: KeykitModel,
  judge: (change: PlannedChange, keyId: string | undefined, stores: StoreIndex) => RuleFinding | undefined,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  const stores = indexStores(model);
  for (const change of model.changes) {
    if (!deletesKey(change)) continue;
    const finding = judge(change, change.before?.id, stores);
    if (finding) out.push(finding);
  }
  return out;
}
