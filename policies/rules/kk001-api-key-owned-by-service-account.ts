import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, describeOwner, findingFor } from "./common";

/** Practice 1: production keys are owned by service accounts; a user's keys die with the user. */
export const ApiKeyOwnedByServiceAccount: Rule = {
  id: "KK001",
  name: "ApiKeyOwnedByServiceAccount",
  severity: "error",
  summary: "API keys are owned by a service account, not a user (user-owned keys only in development, opted in)",
  rationale:
    "When a user leaves and their account is deleted, every API key the user owns is deleted with it and the applications using them break.",
  fix: "Create the key for a service account (ServiceAccountWithKey). In a development stack, a user-owned key needs an explicit opt-in with a reason.",
  helpUri: PRACTICE_URLS.serviceAccountKeys,
  acknowledgeable: "outside-production",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl", "inventory"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const key of model.apiKeys) {
      if (key.owner.kind !== "user") continue;
      // In the audit, each key is judged at the tier of the stack it matched (model.tier for the others).
      if ((key.tier ?? model.tier) === "production") {
        out.push(
          findingFor(key, `API key ${key.address} is owned by user ${describeOwner(key.owner)} in a production stack`),
        );
      } else if (!key.userOwnerAllowed) {
        out.push(
          findingFor(
            key,
            `API key ${key.address} is owned by user ${describeOwner(key.owner)} without an explicit development opt-in`,
            "warning",
          ),
        );
      }
    }
    return out;
  },
};
