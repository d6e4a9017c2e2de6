import type { ApiKey } from "../model";
import type { Rule, RuleFinding } from "../rule";
import { BEST_PRACTICES_URL, findingFor } from "./common";

export const MAX_LIVE_KEYS = 2;

/** Practice 3/4: during a rotation two keys overlap; a third is a leftover that should have been deleted. */
export const AtMostTwoKeysPerOwnerAndScope: Rule = {
  id: "KK009",
  name: "AtMostTwoKeysPerOwnerAndScope",
  severity: "warning",
  summary: "At most two live API keys per owner and scope (the two slots of a rotation)",
  rationale: "A rotation needs two keys at once; any more are forgotten keys that still work and are never rotated.",
  fix: "Delete the keys no client uses (`confluent api-key list --service-account <id>`, then `confluent api-key delete`).",
  helpUri: BEST_PRACTICES_URL,
  acknowledgeable: "always",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl", "inventory"],
  check(model) {
    const groups = new Map<string, ApiKey[]>();
    for (const key of model.apiKeys) {
      if (!key.owner.key || !key.scope.key) continue;
      const group = `${key.owner.key}|${key.scope.key}`;
      const list = groups.get(group) ?? [];
      list.push(key);
      groups.set(group, list);
    }
    const out: RuleFinding[] = [];
    for (const keys of groups.values()) {
      if (keys.length <= MAX_LIVE_KEYS) continue;
      const sorted = [...keys].sort((a, b) => a.address.localeCompare(b.address));
      out.push(
        findingFor(
          sorted[0],
          `${keys.length} live API keys for owner ${sorted[0].owner.key} on ${sorted[0].scope.key}: ${sorted.map((k) => k.address).join(", ")}`,
        ),
      );
    }
    return out;
  },
};
