import type { Rule, RuleFinding } from "../rule";
import { PROVIDER_AUTH_URL, PROVIDER_CREDENTIALS_URLS, findingFor } from "./common";

/** Credentials come from the environment (CONFLUENT_CLOUD_API_KEY …), never from code. */
export const ProviderCredentialsFromEnvironment: Rule = {
  id: "KK007",
  name: "ProviderCredentialsFromEnvironment",
  severity: "error",
  summary: "Provider blocks hold no hard-coded credentials (cloud_api_key/secret, kafka_api_key/secret, …)",
  rationale:
    "A literal credential in configuration is committed to version control and copied into every synthesized file and plan.",
  fix: "Remove the argument and give the provider its credentials from the pipeline's environment (Confluent: CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET; AWS: its default credential chain; Vault: VAULT_ADDR / VAULT_TOKEN); the finding links to its provider's page.",
  helpUri: PROVIDER_AUTH_URL,
  acknowledgeable: "never",
  appliesTo: ["synth", "cdktf-json", "plan", "hcl"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const provider of model.providers) {
      const literal = provider.credentials
        .filter((c) => c.source === "literal")
        .map((c) => (c.via ? `${c.attribute} (through ${c.via})` : c.attribute));
      if (literal.length === 0) continue;
      out.push({
        ...findingFor(provider, `${provider.address} hard-codes ${literal.join(", ")} (value not shown)`),
        helpUri: PROVIDER_CREDENTIALS_URLS[provider.name] ?? PROVIDER_AUTH_URL,
      });
    }
    return out;
  },
};
