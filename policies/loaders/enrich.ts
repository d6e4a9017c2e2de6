/**
 * Enrichments shared by the plan and state adapters: the keykit metadata of the same stack's cdk.tf.json (construct
 * paths, code acknowledgements, the kit construct) attached to every entity by address, whatever its kind, so a
 * plan or state of a stack answers like the stack's cdk.tf.json does. Also: key mentions inside plan expressions.
 */
import type { AcknowledgementRecord } from "../metadata";
import type { KeykitModel } from "../model";
import { NO_METADATA, type ViewMetadata } from "./resource-view";
import { parseReference } from "../references";
import type { KeyMention } from "./secret-flow";
import { type JsonPath, MAX_NESTING_DEPTH, isObject, tooDeep } from "./util";

/** What a stack's cdk.tf.json says about one address. */
export interface AddressMetadata {
  readonly acknowledgements: readonly AcknowledgementRecord[];
  readonly constructPath?: string;
  readonly construct?: string;
}

const NO_ACKNOWLEDGEMENTS: readonly AcknowledgementRecord[] = [];

/** Address (without instance keys) → metadata, over every entity kind of the metadata model. */
export function metadataIndex(metadata: KeykitModel | undefined): ReadonlyMap<string, AddressMetadata> {
  const out = new Map<string, AddressMetadata>();
  if (!metadata) return out;
  const lists = [
    metadata.apiKeys,
    metadata.serviceAccounts,
    metadata.grants,
    metadata.kafkaClusters,
    metadata.secretStores,
    metadata.secretSinks,
    metadata.outputs,
    metadata.providers,
  ];
  for (const list of lists) {
    for (const e of list) {
      out.set(e.address, {
        acknowledgements: e.acknowledgements.length > 0 ? e.acknowledgements : NO_ACKNOWLEDGEMENTS,
        constructPath: e.location.constructPath,
        construct: e.construct,
      });
    }
  }
  return out;
}

/**
 * The keykit metadata a plan's or state's views carry, by address without instance keys: what every entity of the
 * stack's cdk.tf.json says (acknowledgements, kit construct), plus the key facts only configuration knows (what a
 * global key serves, its slot, lifecycle) and the keys a store names (write-only attributes are null after apply).
 */
export function viewMetadataIndex(metadata: KeykitModel | undefined): ReadonlyMap<string, ViewMetadata> {
  const out = new Map<string, ViewMetadata>();
  if (!metadata) return out;
  for (const [address, meta] of metadataIndex(metadata))
    out.set(address, { acknowledgements: meta.acknowledgements, construct: meta.construct });
  for (const k of metadata.apiKeys) {
    out.set(k.address, {
      ...(out.get(k.address) ?? NO_METADATA),
      serves: k.serves,
      rotation: k.rotation,
      userOwnerAllowed: k.userOwnerAllowed,
      lifecycle: k.lifecycle,
    });
  }
  for (const s of metadata.secretStores)
    out.set(s.address, { ...(out.get(s.address) ?? NO_METADATA), storedKeys: s.keyAddresses });
  return out;
}

/** The acknowledgements of an address (a shared empty list when none). */
export function acknowledgementsOf(
  index: ReadonlyMap<string, AddressMetadata>,
  address: string,
): readonly AcknowledgementRecord[] {
  return index.size > 0 ? (index.get(address)?.acknowledgements ?? NO_ACKNOWLEDGEMENTS) : NO_ACKNOWLEDGEMENTS;
}

/**
 * The API keys a plan expression's `references` list names, with whether the secret is meant. Terraform lists a
 * traversal with each of its prefixes (`confluent_api_key.k.secret`, `confluent_api_key.k`): the bare object counts
 * as the secret only when no attribute of the same key is listed (an output of the whole key object holds it).
 */
export function keysInReferences(references: readonly unknown[], modulePrefix: string): Map<string, boolean> {
  const attributes = new Map<string, Set<string>>();
  for (const r of references) {
    const parsed = typeof r === "string" ? parseReference(r) : undefined;
    if (!parsed || parsed.type !== "confluent_api_key" || parsed.mode !== "managed") continue;
    const address = `${modulePrefix}${parsed.address}`;
    const set = attributes.get(address) ?? new Set<string>();
    if (parsed.attribute !== undefined) set.add(parsed.attribute);
    attributes.set(address, set);
  }
  const out = new Map<string, boolean>();
  for (const [address, set] of attributes) out.set(address, set.size === 0 || set.has("secret"));
  return out;
}

/** Every key mention of a plan `expressions` tree, with paths as in the resource's values (iterative). */
export function keyMentionsInExpressions(expressions: unknown, modulePrefix: string, what: string): KeyMention[] {
  const out: KeyMention[] = [];
  const stack: { node: unknown; path: JsonPath }[] = [{ node: expressions, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: JsonPath };
    if (typeof node !== "object" || node === null) continue;
    if (path.length >= MAX_NESTING_DEPTH) throw tooDeep(what);
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, path: [...path, i] }));
      continue;
    }
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.references)) {
      for (const [keyAddress, secret] of keysInReferences(obj.references, modulePrefix))
        out.push({ path, keyAddress, secret });
    }
    for (const [k, v] of Object.entries(obj))
      if (k !== "references" && k !== "constant_value" && (isObject(v) || Array.isArray(v)))
        stack.push({ node: v, path: [...path, k] });
  }
  return out;
}
