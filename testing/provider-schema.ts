/**
 * Checks synthesized cdk.tf.json against the committed Confluent provider schema (schema/schema.json: every resource
 * and data source of provider 2.83.0, `terraform providers schema -json` format), standing in for `terraform validate`, which needs a terraform
 * binary and the provider. It catches what a binding or a construct could get wrong: unknown attributes and
 * blocks, computed-only attributes set, missing required attributes or blocks, block counts outside min/max,
 * and literal values of the wrong type. `${…}` expressions are not evaluated (Terraform checks those at plan).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export type CtyType = string | readonly [string, CtyType | Readonly<Record<string, CtyType>>];

export interface SchemaAttribute {
  readonly type?: CtyType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, SchemaBlockType>>;
}

export interface SchemaBlockType {
  readonly nesting_mode: "single" | "list" | "set" | "map" | "group";
  readonly block: SchemaBlock;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface ProviderSchema {
  readonly source: string;
  readonly provider: SchemaBlock;
  readonly resources: Readonly<Record<string, SchemaBlock>>;
  readonly dataSources: Readonly<Record<string, SchemaBlock>>;
}

export interface SchemaViolation {
  /** Where, as a JSON path into cdk.tf.json, e.g. `resource.confluent_api_key.app.owner[0].kind`. */
  readonly path: string;
  readonly message: string;
}

interface ProvidersSchemaJson {
  readonly provider_schemas: Readonly<
    Record<
      string,
      {
        readonly provider: { readonly block: SchemaBlock };
        readonly resource_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
        readonly data_source_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
      }
    >
  >;
}

const CONFLUENT_SOURCE = "registry.terraform.io/confluentinc/confluent";
/** Terraform meta-arguments and cdktf's comment key: valid on every resource, not part of provider schemas. */
const META_ARGUMENTS = new Set([
  "//",
  "count",
  "for_each",
  "depends_on",
  "provider",
  "lifecycle",
  "provisioner",
  "connection",
]);
const PROVIDER_META_ARGUMENTS = new Set(["//", "alias", "version"]);

/** Reads a `terraform providers schema -json` document and picks one provider (the Confluent one by default). */
export function parseProviderSchema(document: unknown, source: string = CONFLUENT_SOURCE): ProviderSchema {
  const schemas = (document as ProvidersSchemaJson | null)?.provider_schemas;
  const entry = schemas?.[source];
  if (!entry) throw new Error(`provider schema document has no provider '${source}'`);
  const blocks = (map: Readonly<Record<string, { readonly block: SchemaBlock }>> | undefined) =>
    Object.fromEntries(Object.entries(map ?? {}).map(([name, schema]) => [name, schema.block]));
  return {
    source,
    provider: entry.provider.block,
    resources: blocks(entry.resource_schemas),
    dataSources: blocks(entry.data_source_schemas),
  };
}

let committed: ProviderSchema | undefined;

/** The provider schema committed with keykit (schema/schema.json, provider 2.83.0). */
export function committedProviderSchema(): ProviderSchema {
  committed ??= parseProviderSchema(JSON.parse(readFileSync(committedSchemaPath(), "utf8")));
  return committed;
}

/** schema/schema.json of the keykit package, found from this file whether it runs from source or from dist/. */
export function committedSchemaPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, "schema", "schema.json");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error("keykit: schema/schema.json not found next to the package");
  }
}

/** The Terraform resource type prefix the schema governs (`confluent_`). */
function typePrefixOf(schema: ProviderSchema): string {
  const name = schema.source.split("/").pop() ?? "";
  return `${name}_`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

function typeError(value: unknown, type: CtyType): string | undefined {
  if (isExpression(value) || value === null) return undefined;
  if (typeof type === "string") {
    switch (type) {
      case "string":
        return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? undefined
          : `expected a string, got ${describe(value)}`;
      case "number":
        return typeof value === "number" ||
          (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)))
          ? undefined
          : `expected a number, got ${describe(value)}`;
      case "bool":
        return typeof value === "boolean" || value === "true" || value === "false"
          ? undefined
          : `expected a bool, got ${describe(value)}`;
      default:
        return undefined; // "dynamic": anything goes
    }
  }
  const [kind, element] = type;
  if (kind === "list" || kind === "set") {
    if (!Array.isArray(value)) return `expected a ${kind}, got ${describe(value)}`;
    for (const [index, item] of value.entries()) {
      const error = typeError(item, element as CtyType);
      if (error) return `[${index}]: ${error}`;
    }
    return undefined;
  }
  if (kind === "map") {
    if (!isRecord(value)) return `expected a map, got ${describe(value)}`;
    for (const [key, item] of Object.entries(value)) {
      const error = typeError(item, element as CtyType);
      if (error) return `[${JSON.stringify(key)}]: ${error}`;
    }
    return undefined;
  }
  if (kind === "object") {
    if (!isRecord(value)) return `expected an object, got ${describe(value)}`;
    const fields = element as Readonly<Record<string, CtyType>>;
    for (const key of Object.keys(value)) if (!(key in fields)) return `unknown object field '${key}'`;
    for (const [key, fieldType] of Object.entries(fields)) {
      const error = key in value ? typeError(value[key], fieldType) : undefined;
      if (error) return `.${key}: ${error}`;
    }
  }
  return undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Where a block sits, for messages: the Terraform type it belongs to (`confluent_kafka_topic`, `provider confluent`)
 * and the nested block names on the way (`credentials`), so an unknown attribute says whose schema lacks it.
 */
interface BlockOwner {
  readonly type: string;
  readonly blocks: readonly string[];
}

function ownerText(owner: BlockOwner): string {
  return owner.blocks.length === 0 ? owner.type : `block '${owner.blocks.join(".")}' of ${owner.type}`;
}

function checkBlock(
  block: SchemaBlock,
  value: unknown,
  path: string,
  meta: ReadonlySet<string>,
  owner: BlockOwner,
  out: SchemaViolation[],
): void {
  if (!isRecord(value)) {
    if (!isExpression(value)) out.push({ path, message: `expected a block (object), got ${describe(value)}` });
    return;
  }
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  for (const [key, item] of Object.entries(value)) {
    if (meta.has(key)) continue;
    const attribute = attributes[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) {
        out.push({ path: `${path}.${key}`, message: `'${key}' is computed by the provider and cannot be set` });
      } else if (attribute.type !== undefined) {
        const error = typeError(item, attribute.type);
        if (error) out.push({ path: `${path}.${key}`, message: error });
      }
      continue;
    }
    const nested = blockTypes[key];
    if (nested) {
      checkNestedBlocks(key, nested, item, `${path}.${key}`, { ...owner, blocks: [...owner.blocks, key] }, out);
      continue;
    }
    out.push({ path: `${path}.${key}`, message: `unknown attribute or block '${key}' of ${ownerText(owner)}` });
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(key in value)) {
      out.push({ path: `${path}.${key}`, message: `required attribute '${key}' is missing` });
    }
  }
  for (const [key, nested] of Object.entries(blockTypes)) {
    if ((nested.min_items ?? 0) > 0 && !(key in value)) {
      out.push({ path: `${path}.${key}`, message: `required block '${key}' is missing (min ${nested.min_items})` });
    }
  }
}

function checkNestedBlocks(
  name: string,
  schema: SchemaBlockType,
  value: unknown,
  path: string,
  owner: BlockOwner,
  out: SchemaViolation[],
): void {
  if (isExpression(value)) return; // a dynamic block value resolved at plan time
  // Terraform JSON accepts one block as an object or a list of them (cdktf writes objects for max_items = 1).
  const items = Array.isArray(value) ? value : [value];
  if (schema.nesting_mode === "single" || schema.nesting_mode === "group") {
    if (Array.isArray(value) && value.length > 1)
      out.push({ path, message: `'${name}' is a single block, got ${value.length}` });
  }
  if (schema.max_items !== undefined && items.length > schema.max_items) {
    out.push({ path, message: `'${name}' allows at most ${schema.max_items} block(s), got ${items.length}` });
  }
  if (schema.min_items !== undefined && items.length < schema.min_items) {
    out.push({ path, message: `'${name}' needs at least ${schema.min_items} block(s), got ${items.length}` });
  }
  items.forEach((item, index) =>
    checkBlock(schema.block, item, Array.isArray(value) ? `${path}[${index}]` : path, new Set(["//"]), owner, out),
  );
}

/**
 * Every violation of the provider schema in a synthesized stack (an empty list when it is valid).
 * Only resource and data types of the schema's provider are checked; other providers' are left alone.
 */
export function checkAgainstProviderSchema(
  stack: unknown,
  schema: ProviderSchema = committedProviderSchema(),
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  if (!isRecord(stack)) return [{ path: "", message: "a synthesized stack must be a JSON object" }];
  const prefix = typePrefixOf(schema);
  const providerName = prefix.slice(0, -1);

  const sections: [string, Readonly<Record<string, SchemaBlock>>][] = [
    ["resource", schema.resources],
    ["data", schema.dataSources],
  ];
  for (const [section, blocks] of sections) {
    const byType = stack[section];
    if (byType === undefined) continue;
    if (!isRecord(byType)) {
      out.push({ path: section, message: `'${section}' must be an object of types` });
      continue;
    }
    for (const [type, instances] of Object.entries(byType)) {
      if (!type.startsWith(prefix)) continue;
      const block = blocks[type];
      if (!block) {
        const near = nearestName(type, Object.keys(blocks));
        out.push({
          path: `${section}.${type}`,
          message: `${section} type '${type}' does not exist in ${schema.source}${near ? ` (did you mean '${near}'?)` : ""}`,
        });
        continue;
      }
      if (!isRecord(instances)) {
        out.push({ path: `${section}.${type}`, message: "expected an object of named blocks" });
        continue;
      }
      for (const [name, body] of Object.entries(instances)) {
        const owner = { type: section === "data" ? `data source ${type}` : type, blocks: [] };
        checkBlock(block, body, `${section}.${type}.${name}`, META_ARGUMENTS, owner, out);
      }
    }
  }

  const providers = isRecord(stack.provider) ? stack.provider[providerName] : undefined;
  if (providers !== undefined) {
    const list = Array.isArray(providers) ? providers : [providers];
    list.forEach((body, index) =>
      checkBlock(
        schema.provider,
        body,
        `provider.${providerName}[${index}]`,
        PROVIDER_META_ARGUMENTS,
        { type: `provider ${providerName}`, blocks: [] },
        out,
      ),
    );
  }
  return out;
}

/** The closest known type name (at most 3 edits away), to suggest for a misspelt one. */
function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Throws an error listing every violation; for tests. */
export function assertValidAgainstProviderSchema(stack: unknown, schema?: ProviderSchema): void {
  const violations = checkAgainstProviderSchema(stack, schema);
  if (violations.length > 0) {
    const lines = violations.map((v) => `  ${v.path}: ${v.message}`);
    throw new Error(`synthesized JSON does not match the provider schema:\n${lines.join("\n")}`);
  }
}
