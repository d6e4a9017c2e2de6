/** Which provider arguments are credentials (hard-coding them in configuration is KK007). */
import type { ProviderCredential } from "../model";

const CREDENTIALS: Readonly<Record<string, readonly string[]>> = {
  confluent: [
    "cloud_api_key",
    "cloud_api_secret",
    "kafka_api_key",
    "kafka_api_secret",
    "schema_registry_api_key",
    "schema_registry_api_secret",
    "flink_api_key",
    "flink_api_secret",
    "tableflow_api_key",
    "tableflow_api_secret",
    "oauth.oauth_external_client_secret",
    "oauth.oauth_external_access_token",
  ],
  aws: ["access_key", "secret_key", "token"],
  vault: ["token"],
};

export function credentialAttributes(provider: string): readonly string[] {
  return CREDENTIALS[provider] ?? [];
}

/** Classifies one credential argument's written form, never keeping the value. */
export function classifyCredential(
  attribute: string,
  written: { constant?: boolean; value?: unknown; hasReference?: boolean },
): ProviderCredential | undefined {
  if (written.constant) {
    // An empty literal is "not set" (the provider then reads its environment variable).
    if (written.value === "" || written.value === null || written.value === undefined) return undefined;
    return { attribute, source: "literal" };
  }
  if (written.hasReference) return { attribute, source: "reference" };
  if (typeof written.value === "string") {
    if (written.value.length === 0) return undefined;
    return { attribute, source: written.value.includes("${") ? "reference" : "literal" };
  }
  if (written.value === undefined || written.value === null) return undefined;
  return { attribute, source: "unknown" };
}
