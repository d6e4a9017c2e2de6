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

/** `${var.NAME}` (exactly one variable, nothing else) → NAME. */
export function soleVariable(value: unknown): string | undefined {
  return typeof value === "string" ? /^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$/.exec(value)?.[1] : undefined;
}

/**
 * A credential written as a variable whose configuration default is a non-empty string is hard-coded all the same:
 * the default is committed with the code.
 */
export function throughDefault(
  credential: ProviderCredential | undefined,
  variable: string | undefined,
  defaults: ReadonlyMap<string, unknown>,
): ProviderCredential | undefined {
  if (!credential || credential.source !== "reference" || variable === undefined) return credential;
  const value = defaults.get(variable);
  return typeof value === "string" && value.length > 0
    ? { attribute: credential.attribute, source: "literal", via: `the default of var.${variable}` }
    : credential;
}
