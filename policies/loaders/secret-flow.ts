/**
 * Where a key's secret goes, decided once for every input kind. Each adapter lists the places a resource mentions
 * an API key (the path inside its values or expressions, which key, whether it is the secret); this module sorts
 * them with the secret-destination table: inside a store's value or write-only attribute → the store holds the key;
 * inside a Confluent credential-consumer block → the provider uses it to call the API (fine); anywhere else → a
 * secret sink (KK006).
 */
import { type SecretStoreSpec, isCredentialConsumer, secretStoreFor } from "../secret-destinations";
import type { JsonPath } from "./util";

/** One mention of an API key inside a resource: where, which key (address), and whether it is the key's secret. */
export interface KeyMention {
  readonly path: JsonPath;
  readonly keyAddress: string;
  readonly secret: boolean;
}

export interface SecretDestination {
  /** Set when the resource is a secret store: the keys its value attributes reference. */
  readonly store?: { readonly spec: SecretStoreSpec; readonly keyAddresses: readonly string[] };
  /** Set when a secret is written somewhere it must not be. */
  readonly sink?: { readonly secretOf: readonly string[]; readonly attributes: readonly string[] };
}

/** Meta-arguments that only name a key (ordering, lifecycle) and never hold its value. */
const NAMING_ONLY = new Set(["//", "lifecycle", "depends_on", "replace_triggered_by"]);

/** The attributes of a store spec that hold the published secret (value and write-only variants). */
export function storeAttributes(spec: SecretStoreSpec): ReadonlySet<string> {
  return new Set([...spec.valueAttributes, ...spec.writeOnlyAttributes]);
}

/** Sorts a resource's key mentions into store contents, credential use, or sinks. */
export function classifySecretDestination(
  type: string,
  mode: "managed" | "data",
  values: Readonly<Record<string, unknown>>,
  mentions: readonly KeyMention[],
): SecretDestination {
  const spec = secretStoreFor(type, values);
  const held = spec ? storeAttributes(spec) : undefined;
  const keyAddresses = new Set<string>();
  const secretOf = new Set<string>();
  const attributes = new Set<string>();
  for (const m of mentions) {
    const top = String(m.path[0] ?? "");
    if (NAMING_ONLY.has(top)) continue;
    if (held?.has(top)) {
      keyAddresses.add(m.keyAddress);
      continue;
    }
    if (!m.secret || isCredentialConsumer(type, mode, m.path)) continue;
    secretOf.add(m.keyAddress);
    attributes.add(top);
  }
  return {
    ...(spec ? { store: { spec, keyAddresses: [...keyAddresses] } } : {}),
    ...(secretOf.size > 0 ? { sink: { secretOf: [...secretOf], attributes: [...attributes] } } : {}),
  };
}
