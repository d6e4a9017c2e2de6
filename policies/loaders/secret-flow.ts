/**
 * Where a key's secret goes, decided once for every input kind. Each adapter lists the places a resource mentions
 * an API key (the path inside its values or expressions, which key, whether it is the secret); this module sorts
 * them with the secret-destination table: inside a store's value or write-only attribute → the store holds the key;
 * inside a Confluent credential-consumer block → the provider uses it to call the API (fine); anywhere else → a
 * secret sink (KK006).
 */
import { type SecretStoreSpec, isCredentialConsumer, secretStoreFor } from "../secret-destinations";
import { type JsonPath, forEachStringAt } from "./util";

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
  /**
   * Set when a secret is handed only to a provisioner's `local-exec` `environment`: a script receives it, but
   * Terraform keeps no provisioner argument in state and hides the output of a provisioner given a secret.
   */
  readonly script?: { readonly secretOf: readonly string[]; readonly attributes: readonly string[] };
}

/** Meta-arguments that only name a key (ordering, lifecycle, how many instances) and never hold its value. */
const NAMING_ONLY = new Set(["//", "lifecycle", "depends_on", "replace_triggered_by", "count"]);

/** `provisioner "local-exec" { environment = … }` in hcl2json's or Terraform JSON's shape. */
export function isScriptEnvironment(path: JsonPath): boolean {
  if (path[0] !== "provisioner") return false;
  const at = path.indexOf("local-exec");
  if (at === -1) return false;
  const next = path.slice(at + 1).find((p) => typeof p === "string");
  return next === "environment";
}

/** The text of a `for_each` without its `keys(…)` calls: what each.value can hold. */
function withoutKeysCalls(text: string): string {
  let out = text;
  for (let at = out.indexOf("keys("); at !== -1; at = out.indexOf("keys(")) {
    let depth = 0;
    let end = at + 4;
    for (; end < out.length; end++) {
      if (out[end] === "(") depth++;
      else if (out[end] === ")" && --depth === 0) break;
    }
    out = `${out.slice(0, at)}${out.slice(end + 1)}`;
  }
  return out;
}

/** Where a resource's arguments read `each.value` (the element of its for_each). */
function eachValuePaths(values: Readonly<Record<string, unknown>>, what: string): JsonPath[] {
  const out: JsonPath[] = [];
  forEachStringAt(
    values,
    (text, path) => {
      if (path[0] !== "for_each" && /\beach\.value\b/.test(text)) out.push(path);
    },
    what,
  );
  return out;
}

/**
 * A key named in `for_each` is not written there: `for_each` only makes instances. Its secret reaches the
 * arguments that read `each.value`; a key inside `keys(…)` gives only the names (each.key), never the secret.
 */
function throughForEach(values: Readonly<Record<string, unknown>>, mentions: readonly KeyMention[]): KeyMention[] {
  const direct = mentions.filter((m) => m.path[0] !== "for_each");
  const iterated = mentions.filter((m) => m.path[0] === "for_each");
  if (iterated.length === 0) return direct;
  const texts: string[] = [];
  forEachStringAt(values.for_each, (text) => texts.push(withoutKeysCalls(text)), "for_each");
  const forEach = texts.join("\n");
  const carried = iterated.filter((m) => forEach.includes(m.keyAddress));
  if (carried.length === 0) return direct;
  const out = [...direct];
  for (const path of eachValuePaths(values, "for_each"))
    for (const m of carried) out.push({ path, keyAddress: m.keyAddress, secret: m.secret });
  return out;
}

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
  const sink = { secretOf: new Set<string>(), attributes: new Set<string>() };
  const script = { secretOf: new Set<string>(), attributes: new Set<string>() };
  for (const m of throughForEach(values, mentions)) {
    const top = String(m.path[0] ?? "");
    if (NAMING_ONLY.has(top)) continue;
    if (held?.has(top)) {
      keyAddresses.add(m.keyAddress);
      continue;
    }
    if (!m.secret || isCredentialConsumer(type, mode, m.path)) continue;
    const into = isScriptEnvironment(m.path) ? script : sink;
    into.secretOf.add(m.keyAddress);
    into.attributes.add(top === "provisioner" ? "provisioner local-exec environment" : top);
  }
  const listed = (s: typeof sink) => ({ secretOf: [...s.secretOf], attributes: [...s.attributes] });
  return {
    ...(spec ? { store: { spec, keyAddresses: [...keyAddresses] } } : {}),
    ...(sink.secretOf.size > 0 ? { sink: listed(sink) } : {}),
    ...(script.secretOf.size > 0 ? { script: listed(script) } : {}),
  };
}
