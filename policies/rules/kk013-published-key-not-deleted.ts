import type { Rule } from "../rule";
import { PRACTICE_URLS } from "./common";
import { findingsPerDeletedKey } from "./store-index";

/** Practice 5: a secret store must never point to a key that no longer exists. */
export const PublishedKeyNotDeleted: Rule = {
  id: "KK013",
  name: "PublishedKeyNotDeleted",
  severity: "error",
  summary: "A plan does not delete a key that a secret-store entry still points to after apply",
  rationale: "Clients that fetch the secret from the store would get a deleted key and fail to authenticate.",
  fix: "Point the secret-store entry to the new key in an earlier reviewed plan (plan, `keykit check`, apply), then delete the old key in the next one.",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["plan"],
  check(model) {
    return findingsPerDeletedKey(model, (c, id, stores) => {
      // A pure delete whose address a store still references cannot apply cleanly either.
      const byAddress = c.actions.length === 1 ? (stores.byKeyAddress.get(c.address) ?? []) : [];
      const pointing = [...new Set([...(id !== undefined ? (stores.byKeyId.get(id) ?? []) : []), ...byAddress])];
      if (pointing.length === 0) return undefined;
      return {
        message: `${c.address} is deleted while ${pointing.map((s) => s.address).join(", ")} still point(s) to it after apply`,
        location: c.location,
        subject: c.address,
      };
    });
  },
};
