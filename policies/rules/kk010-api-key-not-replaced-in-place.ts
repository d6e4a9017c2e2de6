import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS } from "./common";
import { explainReason, isReplacement } from "./plan-changes";

/** Practice 4: a replacement is a rotation done in one step: clients hold a deleted key until they are updated. */
export const ApiKeyNotReplacedInPlace: Rule = {
  id: "KK010",
  name: "ApiKeyNotReplacedInPlace",
  severity: "error",
  summary: "A plan does not replace an API key at the same address (delete+create gives a new id and secret at once)",
  rationale:
    "Changing a key's owner or managed_resource (or tainting it) replaces it: the old key is deleted in the same apply, so every client still using it fails until it is updated.",
  fix: "Revert the change to owner/managed_resource, or rotate through a second slot (BlueGreenApiKey + `keykit rotate`) so the old key outlives the switch.",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["plan"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const c of model.changes) {
      if (!isReplacement(c)) continue;
      const order =
        c.actions[0] === "delete" ? "deleted then re-created" : "created then deleted (create_before_destroy)";
      const why = explainReason(c.actionReason);
      const paths = c.replacePaths.length > 0 ? `; forced by ${c.replacePaths.join(", ")}` : "";
      out.push({
        message: `API key ${c.address} is replaced: ${order}${why ? ` because ${why}` : ""}${paths}`,
        location: c.location,
        subject: c.address,
      });
    }
    return out;
  },
};
