import type { Rule, RuleFinding } from "../rule";
import { SECRET_STORES } from "../secret-destinations";
import { BEST_PRACTICES_URL, findingFor } from "./common";

const STORE_TYPES = SECRET_STORES.map((s) => s.type).join(", ");

/** `vault_kv_secret_v2 (data_json, write-only data_json_wo)`, … : the table, for RULES.md and `keykit rules`. */
const STORE_ATTRIBUTES = SECRET_STORES.map((s) => {
  const only = s.requires ? ` with a literal ${s.requires.attribute} = "${s.requires.equals}"` : "";
  const writeOnly = s.writeOnlyAttributes.length > 0 ? `; write-only ${s.writeOnlyAttributes.join(", ")}` : "";
  return `${s.type}${only} (${s.valueAttributes.join(", ")}${writeOnly})`;
}).join("; ");

/** Practice 5: a secrets manager holds the key; nothing else stores its secret. */
export const SecretsOnlyInSecretStores: Rule = {
  id: "KK006",
  name: "SecretsOnlyInSecretStores",
  severity: "error",
  summary: `An API key secret is written only to a secret store (${STORE_TYPES}) or to a Confluent credential consumer (a \`credentials { key secret }\` block of a Confluent resource or data source, a Confluent provider \`*_api_key\`/\`*_api_secret\`)`,
  rationale:
    "A secret written to a file, a config map, a tag, a connector's config_nonsensitive or any other resource is readable by whoever can read that resource, outside the secrets manager's access control and audit. Confluent resources that reach a cluster with a key (cluster links, mirror topics, schema exporters, topics, ACLs …) take it by design in their credentials block (read from the provider schema), as do a connector's config_sensitive kafka.api.key/kafka.api.secret and the Confluent provider's *_api_key/*_api_secret. A consumer is where the secret is written, not where it is named: a key in `for_each` counts where the arguments read `each.value` (inside `keys(…)` only the names are iterated, never the secret), `count`, `depends_on` and `lifecycle` never hold it, and a reference inside a comment of an expression is no reference. A secret handed to a provisioner's local-exec `environment` is a warning, not an error: the script receives it, but Terraform keeps no provisioner argument in state and hides the output of a provisioner given a sensitive value.",
  fix: `Publish the key with a secret store and let clients read it from there; prefer the write-only attribute (Terraform ≥ 1.11, shown as null in plan and state). The stores and the attributes that may hold a secret: ${STORE_ATTRIBUTES}. An aws_ssm_parameter whose type is String, StringList, a reference or unknown is not a store.`,
  helpUri: BEST_PRACTICES_URL,
  acknowledgeable: "never",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const sink of model.secretSinks) {
      if (sink.script) {
        out.push(
          findingFor(
            sink,
            `${sink.address} hands the secret of ${sink.secretOf.join(", ")} to a local-exec script's environment: the script receives it (Terraform keeps no provisioner argument in state)`,
            "warning",
          ),
        );
        continue;
      }
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
