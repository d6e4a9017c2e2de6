import { SECRET_STORE_TYPES } from "../model";
import type { Rule, RuleFinding } from "../rule";
import { BEST_PRACTICES_URL, findingFor } from "./common";

/** Practice 5: a secrets manager holds the key; nothing else stores its secret. */
export const SecretsOnlyInSecretStores: Rule = {
  id: "KK006",
  name: "SecretsOnlyInSecretStores",
  severity: "error",
  summary: `An API key secret is written only to a secret store (${SECRET_STORE_TYPES.join(", ")})`,
  rationale:
    "A secret written to a file, a config map, a tag or any other resource is readable by whoever can read that resource, outside the secrets manager's access control and audit.",
  fix: "Publish the key with a secret store (Vault KV v2 or AWS Secrets Manager) and let clients read it from there.",
  helpUri: BEST_PRACTICES_URL,
  acknowledgeable: "never",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const sink of model.secretSinks) {
      out.push(
        findingFor(
          sink,
          `${sink.address} writes the secret of ${sink.secretOf.join(", ")} (${sink.attributes.join(", ")}) outside a secret store`,
        ),
      );
    }
    return out;
  },
};
