import type { Rule, RuleFinding } from "../rule";
import { SECRET_STORES } from "../secret-destinations";
import { BEST_PRACTICES_URL, findingFor } from "./common";

const STORE_TYPES = SECRET_STORES.map((s) => s.type).join(", ");

/** Practice 5: a secrets manager holds the key; nothing else stores its secret. */
export const SecretsOnlyInSecretStores: Rule = {
  id: "KK006",
  name: "SecretsOnlyInSecretStores",
  severity: "error",
  summary: `An API key secret is written only to a secret store (${STORE_TYPES}) or to a Confluent credential consumer (a \`credentials { key secret }\` block of a Confluent resource or data source, a Confluent provider \`*_api_key\`/\`*_api_secret\`)`,
  rationale:
    "A secret written to a file, a config map, a tag, a connector's config_nonsensitive or any other resource is readable by whoever can read that resource, outside the secrets manager's access control and audit. Confluent resources that reach a cluster with a key (cluster links, mirror topics, schema exporters, topics, ACLs …) take it by design, as does the Confluent provider.",
  fix: 'Publish the key with a secret store (Vault KV, AWS Secrets Manager, an SSM SecureString parameter, Azure Key Vault, Google Secret Manager or a Kubernetes Secret; prefer the write-only attribute, e.g. data_json_wo, on Terraform ≥ 1.11) and let clients read it from there. An aws_ssm_parameter is a store only with a literal type = "SecureString".',
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
