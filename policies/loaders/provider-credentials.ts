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

/**
 * A Confluent API key is 16 upper-case letters and digits; its secret 64 characters of base64's alphabet. The
 * secret's test is lenient (16 to 128 characters of base64's and base64url's alphabets): a value that might be a
 * secret stays a hard-coded credential; only what cannot be one (spaces, too short, other characters) is not.
 */
const CONFLUENT_KEY = /^[A-Z0-9]{16}$/;
const CONFLUENT_SECRET = /^[A-Za-z0-9+/=_-]{16,128}$/;

/**
 * What a literal Confluent `*_api_key` / `*_api_secret` argument holds when it cannot be a Confluent credential
 * (a placeholder such as a sentence, `CHANGEME`, a too-short text), described by its shape, never quoted; undefined
 * when it could be one (or the argument is not a Confluent key/secret).
 */
export function placeholderShape(attribute: string, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const secret = /_api_secret$/.test(attribute);
  if (!secret && !/_api_key$/.test(attribute)) return undefined;
  if ((secret ? CONFLUENT_SECRET : CONFLUENT_KEY).test(value)) return undefined;
  const traits = [
    `${value.length} characters`,
    ...(/\s/.test(value) ? ["with spaces"] : []),
    ...(secret ? [] : /[a-z]/.test(value) ? ["with lower-case letters"] : []),
    ...(/[^A-Za-z0-9+/=_\s-]/.test(value) ? ["with punctuation"] : []),
  ];
  return `a text of ${traits.join(", ")}, not the shape of a Confluent API ${secret ? "secret" : "key"}`;
}

function literal(attribute: string, value: unknown): ProviderCredential {
  const placeholder = placeholderShape(attribute, value);
  return placeholder ? { attribute, source: "literal", placeholder } : { attribute, source: "literal" };
}

/** Classifies one credential argument's written form, never keeping the value. */
export function classifyCredential(
  attribute: string,
  written: { constant?: boolean; value?: unknown; hasReference?: boolean },
): ProviderCredential | undefined {
  if (written.constant) {
    // An empty literal is "not set" (the provider then reads its environment variable).
    if (written.value === "" || written.value === null || written.value === undefined) return undefined;
    return literal(attribute, written.value);
  }
  if (written.hasReference) return { attribute, source: "reference" };
  if (typeof written.value === "string") {
    if (written.value.length === 0) return undefined;
    return written.value.includes("${") ? { attribute, source: "reference" } : literal(attribute, written.value);
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
  if (typeof value !== "string" || value.length === 0) return credential;
  const placeholder = placeholderShape(credential.attribute, value);
  return {
    attribute: credential.attribute,
    source: "literal",
    via: `the default of var.${variable}`,
    ...(placeholder ? { placeholder } : {}),
  };
}
