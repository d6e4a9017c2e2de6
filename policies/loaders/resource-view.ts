/**
 * The neutral per-resource view every input adapter produces (configuration / cdk.tf.json / HCL, plan, state) and the
 * one model builder (model-builder.ts) reads. A view says what one resource *is* in its input, in one vocabulary:
 * address, type, mode, values with the input's sensitive/unknown masks, where references are written, the keykit
 * metadata that applies to it, its source location and, for plans, the planned change. Reading goes through
 * `readValue` / `referencesAt` only, so a masked value is never seen by a builder.
 */
import type { AcknowledgementRecord, RotationSlotRecord, ScopeDescriptor } from "../metadata";
import type { LifecycleFacts, PlannedChange, ResolvedReference, SourceLocation } from "../model";
import { parseReference, referencesIn } from "../references";
import { type JsonObject, type JsonPath, MAX_NESTING_DEPTH, forEachStringAt, isObject, tooDeep } from "./util";

/** Keykit metadata of one resource: written on it (cdk.tf.json) or joined from the stack's cdk.tf.json by address. */
export interface ViewMetadata {
  readonly acknowledgements: readonly AcknowledgementRecord[];
  readonly construct?: string;
  /** For a global key: what it serves (descriptors; cluster types are resolved by the builder). */
  readonly serves?: readonly ScopeDescriptor[];
  readonly rotation?: RotationSlotRecord;
  readonly userOwnerAllowed?: { readonly reason: string; readonly declaredIn?: string };
  readonly lifecycle?: LifecycleFacts;
  /** A store's keys as the stack's configuration names them (write-only attributes are null in plans and state). */
  readonly storedKeys?: readonly string[];
}

/**
 * Where references are written. Configuration (cdk.tf.json, HCL): inside the values' strings (`${a.b.id}`).
 * Plans: in the configuration's expression tree (`{"references": [...]}`), relative to the resource's module.
 */
export type ReferenceSource =
  | { readonly kind: "strings" }
  | { readonly kind: "expressions"; readonly tree: JsonObject; readonly modulePrefix: string }
  | { readonly kind: "none" };

export interface ResourceView {
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  /**
   * False when the object does not exist in what the input describes (a plan's delete, a deposed object): such a
   * view only carries its change.
   */
  readonly present: boolean;
  /** The values (configuration arguments, a plan's after-values, a state's values). Read them with `readValue`. */
  readonly values: JsonObject;
  /** Sensitivity mask (`true` at a path = masked), as plans and states write it. */
  readonly sensitive?: unknown;
  /** Unknown-until-apply mask (plans). */
  readonly unknown?: unknown;
  readonly references: ReferenceSource;
  readonly metadata: ViewMetadata;
  readonly location: SourceLocation;
  /** Plans: the change (an enrichment; the builder copies it into the model's change list). */
  readonly change?: PlannedChange;
}

export const NO_REFERENCES: readonly ResolvedReference[] = [];
export const NO_ACKNOWLEDGEMENTS: readonly AcknowledgementRecord[] = [];
export const NO_METADATA: ViewMetadata = { acknowledgements: NO_ACKNOWLEDGEMENTS };

/**
 * The value at `path`, stepping into Terraform blocks: a number step on a single block object (cdk.tf.json writes
 * `owner: {…}` where HCL and plans write `owner: [{…}]`) stays on that object.
 */
export function valueAt(value: unknown, path: JsonPath): unknown {
  let node = value;
  // Indexed, not for-of: the iterator protocol shows in cold code (several reads per resource at synth).
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (Array.isArray(node)) node = typeof step === "number" ? node[step] : undefined;
    else if (isObject(node)) node = typeof step === "string" ? node[step] : step === 0 ? node : undefined;
    else return undefined;
  }
  return node;
}

/** True when the mask marks `path` or one of its ancestors. */
export function masked(mask: unknown, path: JsonPath): boolean {
  let node = mask;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (node === true) return true;
    if (Array.isArray(node) && typeof step === "number") node = node[step];
    else if (isObject(node) && typeof step === "string") node = node[step];
    else return false;
  }
  return node === true;
}

/** A value the input allows reading: not sensitive, not unknown (else undefined). */
export function readValue(view: ResourceView, path: JsonPath): unknown {
  if (view.sensitive !== undefined && masked(view.sensitive, path)) return undefined;
  if (view.unknown !== undefined && masked(view.unknown, path)) return undefined;
  return valueAt(view.values, path);
}

/** A plain literal string at `path` (no interpolation, not empty), else undefined. */
export function literalAt(view: ResourceView, path: JsonPath): string | undefined {
  const value = readValue(view, path);
  return typeof value === "string" && value.length > 0 && !value.includes("${") ? value : undefined;
}

/** The references written at `path` (resolved to their type; module-relative plan references made absolute). */
export function referencesAt(view: ResourceView, path: JsonPath): readonly ResolvedReference[] {
  const source = view.references;
  if (source.kind === "none") return NO_REFERENCES;
  if (source.kind === "expressions") return expressionReferences(valueAt(source.tree, path), source.modulePrefix);
  const value = valueAt(view.values, path);
  if (value === undefined) return NO_REFERENCES;
  if (typeof value === "string") return value.includes("${") ? referencesIn(value) : NO_REFERENCES;
  const parts: string[] = [];
  forEachStringAt(value, (text) => parts.push(text), "configuration");
  return referencesIn(parts.join("\n"));
}

/** True when configuration writes something at `path` (a plan's expressions, for values unknown until apply). */
export function writtenAt(view: ResourceView, path: JsonPath): boolean {
  const source = view.references;
  return source.kind === "expressions" && valueAt(source.tree, path) !== undefined;
}

/** All references inside a plan expression tree, made absolute for resources inside a module (iterative). */
export function expressionReferences(expr: unknown, modulePrefix: string): ResolvedReference[] {
  const out: ResolvedReference[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: expr, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (typeof node !== "object" || node === null) continue;
    if (depth >= MAX_NESTING_DEPTH) throw tooDeep("plan configuration");
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], depth: depth + 1 });
      continue;
    }
    const obj = node as JsonObject;
    if (Array.isArray(obj.references)) {
      for (const r of obj.references) {
        const parsed = typeof r === "string" ? parseReference(r) : undefined;
        if (parsed) out.push(modulePrefix ? { ...parsed, address: `${modulePrefix}${parsed.address}` } : parsed);
      }
    }
    for (const [k, v] of Object.entries(obj))
      if (k !== "references" && k !== "constant_value") stack.push({ node: v, depth: depth + 1 });
  }
  return out;
}

/** A plan expression's `constant_value` at `path` (configuration of a value unknown until apply), else undefined. */
export function constantAt(view: ResourceView, path: JsonPath): unknown {
  const source = view.references;
  return source.kind === "expressions" ? valueAt(source.tree, [...path, "constant_value"]) : undefined;
}
