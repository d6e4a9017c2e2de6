import type { ApiKey } from "../model";
import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

export const MAX_LIVE_KEYS = 2;

/** Practice 3/4: during a rotation two keys overlap; a third is a leftover that should have been deleted. */
export const AtMostTwoKeysPerOwnerAndScope: Rule = {
  id: "KK009",
  name: "AtMostTwoKeysPerOwnerAndScope",
  severity: "warning",
  summary: "At most two live API keys per owner and scope (the two slots of a rotation)",
  rationale: "A rotation needs two keys at once; any more are forgotten keys that still work and are never rotated.",
  fix: "Delete the keys no client uses (`confluent api-key list --service-account <id>`, then `confluent api-key delete`).",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl", "inventory"],
  check(model) {
    // Owner → scope → key (or keys, once there are several): no string or list per key on 50,000-key inventories.
    const groups = new Map<string, Map<string, ApiKey | ApiKey[]>>();
    for (const key of model.apiKeys) {
      const owner = key.owner.key;
      const scope = key.scope.key;
      if (!owner || !scope) continue;
      let byScope = groups.get(owner);
      if (!byScope) groups.set(owner, (byScope = new Map()));
      const known = byScope.get(scope);
      if (known === undefined) byScope.set(scope, key);
      else if (Array.isArray(known)) known.push(key);
      else byScope.set(scope, [known, key]);
    }
    const out: RuleFinding[] = [];
    for (const byScope of groups.values()) {
      for (const keys of byScope.values()) {
        if (!Array.isArray(keys) || keys.length <= MAX_LIVE_KEYS) continue;
        const sorted = [...keys].sort((a, b) => a.address.localeCompare(b.address));
        out.push(
          findingFor(
            sorted[0],
            `${keys.length} live API keys for owner ${sorted[0].owner.key} on ${sorted[0].scope.key}: ${sorted.map((k) => k.address).join(", ")}`,
          ),
        );
      }
    }
    return out;
  },
};
