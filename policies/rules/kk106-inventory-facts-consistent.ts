import { keyFinding } from "../inventory/describe";
import { visible } from "../inventory/ids";
import type { InventoryConflict } from "../inventory/types";
import type { Rule } from "../rule";
import { API_KEYS_URL, findingsPerAuditedKey } from "./common";

/** Audit: the exports agree on what each key is (owner, scope, creation date). */
export const InventoryFactsConsistent: Rule = {
  id: "KK106",
  name: "InventoryFactsConsistent",
  severity: "error",
  summary: "Every export that lists an API key gives it the same owner, scope and creation date",
  rationale:
    "One key has one owner, one scope and one creation date. Exports that disagree are stale, from another organisation, or edited: judging the key by whichever file came first would make findings (and deletions) depend on the order of the files.",
  fix: "Re-export the lists from Confluent at the same time (or use --live); the key is left out of the cleanup script until the exports agree.",
  helpUri: API_KEYS_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    return findingsPerAuditedKey(context, (k) => {
      const conflicts = k.key.conflicts;
      if (conflicts === undefined || conflicts.length === 0) return undefined;
      const what = conflicts.map(describeConflict).join("; ");
      return keyFinding(
        { ...k, location: { ...k.location, address: visible(k.key.id) } },
        `API key ${visible(k.key.id)}: the exports disagree on its ${what}; it is left out of the cleanup script until they agree`,
      );
    });
  },
};

/** "owner (sa-1 in a.json; u-2 in b.json)". Values and files are sorted, so the text is the same in any file order. */
function describeConflict(conflict: InventoryConflict): string {
  const values = conflict.values.map((v) => `${visible(v.value, 60) || "none"} in ${v.sources.join(", ")}`);
  return `${conflict.fact === "created" ? "creation date" : conflict.fact} (${values.join("; ")})`;
}
