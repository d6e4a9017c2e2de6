/**
 * Terraform references in configuration: `${confluent_service_account.app.id}` (cdk.tf.json, HCL via hcl2json)
 * and `"confluent_service_account.app.id"` (plan `configuration` expressions), resolved to the referenced type.
 */
import type { ScopeKind } from "./metadata";
import type { KeyOwner, KeyScope, KeyScopeKind, OwnerKind, ResolvedReference } from "./model";

const NOT_RESOURCES = new Set(["var", "local", "module", "each", "count", "path", "terraform", "self"]);
const NAME = "[A-Za-z_][A-Za-z0-9_-]*";
/** `module.a.module.b.` (instance keys allowed) before a resource reference inside a module-following HCL input. */
const MODULE_PREFIX = `((?:module\\.${NAME}(?:\\[[^\\]]*\\])?\\.)*)`;
const REF_IN_TEXT = new RegExp(
  `(?<![\\w.\\]])${MODULE_PREFIX}(data\\.)?(${NAME})\\.(${NAME})(?:\\[[^\\]]*\\])?(?:\\.(${NAME}))?`,
  "g",
);

/** Parses one plan-style reference ("confluent_api_key.k.secret", "data.confluent_user.u"). */
export function parseReference(ref: string): ResolvedReference | undefined {
  const parts = ref.split(".");
  let mode: "managed" | "data" = "managed";
  if (parts[0] === "data") {
    mode = "data";
    parts.shift();
  }
  if (parts.length < 2 || NOT_RESOURCES.has(parts[0]) || !parts[0].includes("_")) return undefined;
  const type = parts[0];
  const name = parts[1].replace(/\[.*$/, "");
  const address = `${mode === "data" ? "data." : ""}${type}.${name}`;
  return parts.length > 2 ? { address, type, mode, attribute: parts[2] } : { address, type, mode };
}

/** The `${…}` interpolations of a string, with nested braces (jsonencode({…})) kept inside. */
export function interpolations(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf("${");
  while (i !== -1) {
    const end = interpolationEnd(text, i + 2);
    out.push(text.slice(i + 2, end));
    i = text.indexOf("${", end);
  }
  return out;
}

/**
 * The index of the `}` closing an interpolation whose body starts at `from` (braces nested inside counted), or the
 * text's length when it is not closed. Jumps between braces with indexOf rather than reading every character: this
 * runs on every reference of every input, at synth too. Each brace is visited once (the next `{` is remembered), so
 * it stays linear on any text.
 */
function interpolationEnd(text: string, from: number): number {
  let depth = 0;
  let open = text.indexOf("{", from);
  let at = from;
  for (;;) {
    const close = text.indexOf("}", at);
    if (close === -1) return text.length;
    for (; open !== -1 && open < close; open = text.indexOf("{", open + 1)) depth++;
    if (depth === 0) return close;
    depth--;
    at = close + 1;
  }
}

/**
 * `${type.name}` / `${type.name.attribute}` / `${data.type.name…}`, alone or after plain text (`User:${…}`): how the
 * frameworks write almost every reference, parsed by one anchored match. Anything else goes to the general parser.
 */
const SINGLE_REFERENCE = new RegExp(`^[^\${}]*\\$\\{(data\\.)?(${NAME})\\.(${NAME})(?:\\.(${NAME}))?\\}$`);

/** Every resource/data reference inside the interpolations of `text`. */
export function referencesIn(text: string): ResolvedReference[] {
  const single = SINGLE_REFERENCE.exec(text);
  if (single === null) return referencesInInterpolations(text);
  // The general parser's answer on such a text, without its scan (runs on most key owners and principals at synth).
  const data = single[1];
  const type = single[2];
  if (NOT_RESOURCES.has(type) || !type.includes("_")) return [];
  const name = single[3];
  const attribute = single[4];
  const address = `${data ? "data." : ""}${type}.${name}`;
  const mode = data ? "data" : "managed";
  return [attribute ? { address, type, mode, attribute } : { address, type, mode }];
}

/** Every resource/data reference inside the interpolations of `text`, by scanning each (referencesIn's general case). */
export function referencesInInterpolations(text: string): ResolvedReference[] {
  const out: ResolvedReference[] = [];
  for (const expr of interpolations(text)) {
    // exec on the shared regex, not matchAll: matchAll clones the regex per call, which shows on 50,000-key inputs.
    REF_IN_TEXT.lastIndex = 0;
    for (let m = REF_IN_TEXT.exec(expr); m !== null; m = REF_IN_TEXT.exec(expr)) {
      // Indexes, not array destructuring: destructuring runs the iterator protocol, costly in cold code (synth).
      const modules = m[1];
      const data = m[2];
      const type = m[3];
      if (NOT_RESOURCES.has(type) || !type.includes("_")) continue;
      const name = m[4];
      const attribute = m[5];
      const mode = data ? "data" : "managed";
      // Module instance keys are dropped: a declaration inside a counted module is counted once.
      const prefix = modules ? modules.replace(/\[[^\]]*\]/g, "") : "";
      const address = `${prefix}${data ? "data." : ""}${type}.${name}`;
      out.push(attribute ? { address, type, mode, attribute } : { address, type, mode });
    }
  }
  return out;
}

/** Address → literal id (a Map, or a lazily built index). */
export interface IdLookup {
  get(address: string): string | undefined;
}

/** True when the string is a plain literal (no interpolation). */
export function isLiteral(value: unknown): value is string {
  return typeof value === "string" && !value.includes("${");
}

function ownerKindOfType(type: string): OwnerKind {
  if (type === "confluent_service_account") return "service-account";
  if (type === "confluent_user") return "user";
  return "unknown";
}

function ownerKindOfId(id: string): OwnerKind {
  if (id.startsWith("sa-")) return "service-account";
  if (id.startsWith("u-")) return "user";
  return "unknown";
}

function ownerKindOfKind(kind: unknown): OwnerKind {
  if (kind === "ServiceAccount") return "service-account";
  if (kind === "User") return "user";
  return "unknown";
}

/**
 * Resolves a key owner. Priority: the referenced object's type (ground truth), then the id prefix (sa-/u-), then the
 * `kind` argument. `idsByAddress` maps addresses to literal ids known from state, so a reference and a literal of the
 * same owner group together.
 */
export function resolveOwner(
  id: unknown,
  kind: unknown,
  references: readonly ResolvedReference[],
  idsByAddress?: IdLookup,
): KeyOwner {
  const reference = references.find((r) => ownerKindOfType(r.type) !== "unknown") ?? references[0];
  const literalId = isLiteral(id) && id.length > 0 ? id : reference ? idsByAddress?.get(reference.address) : undefined;
  let resolved: OwnerKind = reference ? ownerKindOfType(reference.type) : "unknown";
  if (resolved === "unknown" && literalId) resolved = ownerKindOfId(literalId);
  if (resolved === "unknown") resolved = ownerKindOfKind(kind);
  // Every owner gets the same property set (absent = undefined): one object shape keeps rules fast on big plans.
  return { kind: resolved, id: literalId || undefined, reference, key: literalId || reference?.address || undefined };
}

/** The scope kind of a `managed_resource.api_version` (cli/verify reads it too). */
export const API_VERSION_KINDS: Readonly<Record<string, KeyScopeKind>> = {
  "cmk/v2": "kafka",
  "srcm/v2": "schema-registry",
  "srcm/v3": "schema-registry",
  "ksqldbcm/v2": "ksqldb",
  "fcpm/v2": "flink",
  "tableflow/v1": "tableflow",
  "global/v1": "global",
};

function scopeKindOfId(id: string): KeyScopeKind {
  if (id.startsWith("lkc-")) return "kafka";
  if (id.startsWith("lsrc-")) return "schema-registry";
  if (id.startsWith("lksqlc-")) return "ksqldb";
  if (id === "tableflow") return "tableflow";
  if (id === "global") return "global";
  return "unknown";
}

function scopeKindOfType(type: string): KeyScopeKind {
  if (type === "confluent_kafka_cluster") return "kafka";
  if (type === "confluent_schema_registry_cluster") return "schema-registry";
  if (type === "confluent_ksql_cluster") return "ksqldb";
  if (type === "confluent_flink_region") return "flink";
  return "unknown";
}

/**
 * Resolves a key's scope from its `managed_resource` fields. `present` is false when the key has no
 * managed_resource (a Cloud key).
 */
export function resolveScope(
  present: boolean,
  fields: { id?: unknown; apiVersion?: unknown; environment?: unknown },
  references: readonly ResolvedReference[],
  idsByAddress?: IdLookup,
): KeyScope {
  if (!present) return { kind: "cloud", id: "cloud", environment: undefined, reference: undefined, key: "cloud:cloud" };
  const reference = references[0];
  const literalId =
    isLiteral(fields.id) && fields.id.length > 0
      ? fields.id
      : reference
        ? idsByAddress?.get(reference.address)
        : undefined;
  let kind: KeyScopeKind =
    typeof fields.apiVersion === "string" ? (API_VERSION_KINDS[fields.apiVersion] ?? "unknown") : "unknown";
  if (kind === "unknown" && literalId) kind = scopeKindOfId(literalId);
  if (kind === "unknown" && reference) kind = scopeKindOfType(reference.type);
  const id = literalId ?? reference?.address;
  const environment = typeof fields.environment === "string" ? fields.environment : undefined;
  return {
    kind,
    id: id || undefined,
    environment: environment || undefined,
    reference,
    key: id ? `${kind}:${id}` : undefined,
  };
}

export function isScopeKind(value: unknown): value is ScopeKind {
  return (
    value === "kafka" ||
    value === "schema-registry" ||
    value === "ksqldb" ||
    value === "flink" ||
    value === "tableflow" ||
    value === "cloud"
  );
}
