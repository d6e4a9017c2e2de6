/**
 * Facts read across a configuration's blocks (configuration inputs only).
 *
 * N-slot rotation written in plain Terraform: keys made with `count` or `for_each` over slots, each replaced when
 * its own `time_rotating` (or a `time_static` refreshed by one) changes, through `lifecycle.replace_triggered_by`
 * (directly, or through a `terraform_data` / `null_resource` whose input or triggers name the time resource).
 * Terraform replaces one slot per period while the others stay valid: that is rotation (KK003). A trigger shared by
 * every instance (an un-indexed time resource) replaces all of them in one apply: clients can be left with no valid
 * key, which KK003 reports on its own.
 * Also here, as the other fact read across a configuration's blocks: which data sources look a service account up.
 */
import type { ApiKey, ServiceAccount } from "../model";
import { referencesIn } from "../references";
import type { ResourceView } from "./resource-view";
import { type JsonObject, firstBlock, forEachString } from "./util";

const TIME_TYPES = new Set(["time_rotating", "time_static"]);
const HOP_TYPES = new Set(["terraform_data", "null_resource"]);
/** An index naming the instance's own slot: `[count.index]`, `[each.key]`, `[each.value]`. */
const OWN_SLOT = /\[\s*(?:count\.index|each\.key|each\.value)\s*\]/;

function stringsOf(value: unknown): string[] {
  const out: string[] = [];
  forEachString(value, (t) => out.push(t), "replace_triggered_by");
  return out;
}

function slotsOf(body: JsonObject | undefined): boolean {
  return body !== undefined && (body.count !== undefined || body.for_each !== undefined);
}

/** Whether `text` picks its own slot of `target` (`[count.index]`, `[each.key]` on a slotted resource). */
function picksOwnSlot(text: string, target: ResourceView): boolean {
  return OWN_SLOT.test(text) && slotsOf(target.values);
}

/** The time resource a string references (directly or through one hop), and whether each slot has its own. */
function timeTrigger(
  text: string,
  byAddress: ReadonlyMap<string, ResourceView>,
  hops: number,
): { trigger: string; ownSlot: boolean } | undefined {
  for (const r of referencesIn(text)) {
    const target = byAddress.get(r.address);
    if (!target) continue;
    if (TIME_TYPES.has(r.type)) return { trigger: r.address, ownSlot: picksOwnSlot(text, target) };
    if (!HOP_TYPES.has(r.type) || hops > 0) continue;
    const values = target.values;
    for (const inner of stringsOf([values.input, values.triggers, values.triggers_replace])) {
      const hop = timeTrigger(inner, byAddress, hops + 1);
      if (hop) return { trigger: hop.trigger, ownSlot: picksOwnSlot(text, target) && hop.ownSlot };
    }
  }
  return undefined;
}

/** The keys' time-based rotation, read from their configuration views. */
export function withTimeRotation(apiKeys: readonly ApiKey[], views: readonly ResourceView[]): ApiKey[] {
  const byAddress = new Map(views.map((v) => [v.address, v]));
  return apiKeys.map((key) => {
    const view = byAddress.get(key.address);
    const triggers = firstBlock(view?.values.lifecycle)?.replace_triggered_by;
    if (!view || triggers === undefined) return key;
    for (const text of stringsOf(triggers)) {
      const found = timeTrigger(text, byAddress, 0);
      if (found)
        return { ...key, timeRotation: { trigger: found.trigger, slotted: slotsOf(view.values) && found.ownSlot } };
    }
    return key;
  });
}

/** Service accounts with the data sources that look them up by their literal display name (same module scope). */
export function withLookups(
  serviceAccounts: readonly ServiceAccount[],
  views: readonly ResourceView[],
): ServiceAccount[] {
  const byName = new Map<string, string[]>();
  for (const v of views) {
    if (v.mode !== "data" || v.type !== "confluent_service_account") continue;
    const name = v.values.display_name;
    if (typeof name !== "string" || name.includes("${")) continue;
    const list = byName.get(name) ?? [];
    list.push(v.address);
    byName.set(name, list);
  }
  if (byName.size === 0) return [...serviceAccounts];
  return serviceAccounts.map((sa) => {
    const lookups = sa.displayName !== undefined ? byName.get(sa.displayName) : undefined;
    return lookups ? { ...sa, lookups } : sa;
  });
}
