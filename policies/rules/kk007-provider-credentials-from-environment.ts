import type { ProviderCredential } from "../model";
import type { Rule, RuleFinding } from "../rule";
import { PROVIDER_AUTH_URL, PROVIDER_CREDENTIALS_URLS, findingFor } from "./common";

/** Credentials come from the environment (CONFLUENT_CLOUD_API_KEY …), never from code. */
export const ProviderCredentialsFromEnvironment: Rule = {
  id: "KK007",
  name: "ProviderCredentialsFromEnvironment",
  severity: "error",
  summary: "Provider blocks hold no hard-coded credentials (cloud_api_key/secret, kafka_api_key/secret, …)",
  rationale:
    "A literal credential in configuration is committed to version control and copied into every synthesized file and plan. A credential is a literal (or a variable's literal default) that could be one: a Confluent API key is 16 upper-case letters and digits, its secret is taken to be 16–128 characters of base64's or base64url's alphabet. A literal of another shape (\"Your Confluent API key\", CHANGEME) cannot be a Confluent credential: it is a warning naming its shape (never its value), since the provider would fail with it.",
  fix: "Remove the argument and give the provider its credentials from the pipeline's environment (Confluent: CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET; AWS: its default credential chain; Vault: VAULT_ADDR / VAULT_TOKEN); the finding links to its provider's page.",
  helpUri: PROVIDER_AUTH_URL,
  acknowledgeable: "never",
  appliesTo: ["synth", "cdktf-json", "plan", "hcl"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const provider of model.providers) {
      const shown = (c: ProviderCredential) => (c.via ? `${c.attribute} (through ${c.via})` : c.attribute);
      const literals = provider.credentials.filter((c) => c.source === "literal");
      const placeholders = literals.filter((c) => c.placeholder !== undefined);
      if (placeholders.length > 0)
        out.push(
          findingFor(
            provider,
            `${provider.address} writes placeholder values that cannot be credentials: ${placeholders.map((c) => `${shown(c)} holds ${c.placeholder}`).join("; ")}; give the provider its credentials from the environment`,
            "warning",
          ),
        );
      const literal = literals.filter((c) => c.placeholder === undefined).map(shown);
      if (literal.length === 0) continue;
      out.push({
        ...findingFor(provider, `${provider.address} hard-codes ${literal.join(", ")} (value not shown)`),
        helpUri: PROVIDER_CREDENTIALS_URLS[provider.name] ?? PROVIDER_AUTH_URL,
      });
    }
    return out;
  },
};
