import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS } from "./common";
import { deletesKey } from "./plan-changes";
import { indexStores } from "./store-index";

/** Practice 4/5: the slot the secret store publishes is the one clients use; it is deleted only after a switch. */
export const ActiveRotationSlotKept: Rule = {
  id: "KK012",
  name: "ActiveRotationSlotKept",
  severity: "error",
  summary: "A plan does not delete the active rotation slot (the key the secret store publishes)",
  rationale: "Clients read the active slot from the secret store; deleting it cuts them off before they can switch.",
  fix: "Publish the other slot first (`keykit rotate start`), wait for clients, then delete the retained slot (`keykit rotate finish`).",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["plan"],
  check(model) {
    const out: RuleFinding[] = [];
    const stores = indexStores(model);
    for (const c of model.changes) {
      if (!deletesKey(c)) continue;
      const id = c.before?.id;
      const publishedBy = id ? (stores.byPreviousKeyId.get(id) ?? []).map((s) => s.address) : [];
      if (!c.rotation?.active && publishedBy.length === 0) continue;
      const why = c.rotation?.active
        ? `it is the active slot of ${c.rotation.name}`
        : `it is the key published by ${publishedBy.join(", ")}`;
      out.push({ message: `${c.address} is deleted but ${why}`, location: c.location, subject: c.address });
    }
    return out;
  },
};
