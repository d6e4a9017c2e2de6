import type { Rule } from "../rule";
import { PRACTICE_URLS } from "./common";
import { findingsPerDeletedKey } from "./store-index";

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
    return findingsPerDeletedKey(model, (c, id, stores) => {
      const publishedBy = id ? (stores.byPreviousKeyId.get(id) ?? []).map((s) => s.address) : [];
      if (!c.rotation?.active && publishedBy.length === 0) return undefined;
      const why = c.rotation?.active
        ? `it is the active slot of ${c.rotation.name}`
        : `it is the key published by ${publishedBy.join(", ")}`;
      return { message: `${c.address} is deleted but ${why}`, location: c.location, subject: c.address };
    });
  },
};
