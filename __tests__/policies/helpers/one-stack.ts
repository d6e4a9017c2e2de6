/**
 * One stack, four renderings: a small declarative spec of resources is written as cdk.tf.json, as HCL, as a plan
 * that creates everything from empty state, and as the state after that apply (shapes: Terraform's JSON output format
 * 1.2 and cdktf 0.21's JSON). References, nested blocks, jsonencode'd contents and whole-object references are
 * rendered the way each format carries them, so the equivalence test compares loaders, not fixtures.
 */
import type { AcknowledgementRecord } from "../../../policies/metadata";

export type Json = Record<string, unknown>;
export type Arg = string | number | boolean | Ref | Block | JsonEncoded | Template | { readonly [k: string]: Arg };

/** A reference `type.name` or `type.name.attribute`. */
export class Ref {
  constructor(readonly expression: string) {}
  get address(): string {
    return this.expression.split(".").slice(0, 2).join(".");
  }
  get attribute(): string | undefined {
    return this.expression.split(".")[2];
  }
}
/** A nested block (max one): an object in cdk.tf.json, a block in HCL, a list of one in plan/state. */
export class Block {
  constructor(readonly args: { readonly [k: string]: Arg }) {}
}
/** `jsonencode({…})`. */
export class JsonEncoded {
  constructor(readonly args: { readonly [k: string]: Arg }) {}
}
/** A string template `"a${ref}b"`. */
export class Template {
  constructor(readonly parts: readonly (string | Ref)[]) {}
}

export const ref = (e: string) => new Ref(e);
export const block = (a: { readonly [k: string]: Arg }) => new Block(a);

export interface ResourceSpec {
  readonly type: string;
  readonly name: string;
  readonly args: { readonly [k: string]: Arg };
  /** Values known only after apply (id, secret …): in the state, unknown in the plan. */
  readonly computed?: Json;
  /** Code acknowledgements (cdk.tf.json keykit metadata). */
  readonly acknowledgements?: readonly AcknowledgementRecord[];
  /** Attributes the provider marks sensitive (state/plan masks). */
  readonly sensitive?: readonly string[];
  /** Other keykit metadata written by a kit construct (rotation slot, what a global key serves). */
  readonly keykit?: Json;
}

export interface StackSpec {
  readonly resources: readonly ResourceSpec[];
  readonly outputs: readonly { readonly name: string; readonly value: Arg; readonly sensitive?: boolean }[];
  readonly provider: { readonly [k: string]: Arg };
}

const addressOf = (r: ResourceSpec) => `${r.type}.${r.name}`;

// ---------- cdk.tf.json ----------
function toConfigJson(arg: Arg, inner = false): unknown {
  if (arg instanceof Ref) return inner ? arg.expression : `\${${arg.expression}}`;
  if (arg instanceof Block) return mapArgs(arg.args, (a) => toConfigJson(a));
  if (arg instanceof JsonEncoded) return `\${jsonencode(${hclMap(arg.args)})}`;
  if (arg instanceof Template) return arg.parts.map((p) => (p instanceof Ref ? `\${${p.expression}}` : p)).join("");
  if (typeof arg === "object") return mapArgs(arg, (a) => toConfigJson(a));
  return arg;
}

function mapArgs(args: { readonly [k: string]: Arg }, fn: (a: Arg) => unknown): Json {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, fn(v)]));
}

export function cdktfJson(spec: StackSpec): Json {
  const resource: Record<string, Json> = {};
  for (const r of spec.resources) {
    const keykit =
      r.acknowledgements || r.keykit
        ? { keykit: { version: 1, construct: "Test", acknowledgements: r.acknowledgements ?? [], ...r.keykit } }
        : {};
    (resource[r.type] ??= {})[r.name] = {
      "//": { metadata: { path: `app/${r.name}`, uniqueId: r.name }, ...keykit },
      ...mapArgs(r.args, (a) => toConfigJson(a)),
    };
  }
  return {
    "//": { metadata: { backend: "local", stackName: "app", version: "0.21.0" } },
    provider: { confluent: [mapArgs(spec.provider, (a) => toConfigJson(a))] },
    resource,
    output: Object.fromEntries(
      spec.outputs.map((o) => [o.name, { value: toConfigJson(o.value), ...(o.sensitive ? { sensitive: true } : {}) }]),
    ),
  };
}

// ---------- HCL ----------
function hclValue(arg: Arg): string {
  if (arg instanceof Ref) return arg.expression;
  if (arg instanceof JsonEncoded) return `jsonencode(${hclMap(arg.args)})`;
  if (arg instanceof Template)
    return JSON.stringify(arg.parts.map((p) => (p instanceof Ref ? `\${${p.expression}}` : p)).join("")).replace(
      /\\\$/g,
      "$",
    );
  if (arg instanceof Block) throw new Error("a block is not a value");
  if (typeof arg === "object") return hclMap(arg);
  return JSON.stringify(arg);
}

function hclMap(args: { readonly [k: string]: Arg }): string {
  return `{ ${Object.entries(args)
    .map(([k, v]) => `${JSON.stringify(k)} = ${hclValue(v)}`)
    .join(", ")} }`;
}

function hclBody(args: { readonly [k: string]: Arg }, indent: string): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    if (v instanceof Block) lines.push(`${indent}${k} {`, ...hclBody(v.args, `${indent}  `), `${indent}}`);
    else lines.push(`${indent}${k} = ${hclValue(v)}`);
  }
  return lines;
}

export function hcl(spec: StackSpec): string {
  const lines = ['provider "confluent" {', ...hclBody(spec.provider, "  "), "}", ""];
  for (const r of spec.resources) lines.push(`resource "${r.type}" "${r.name}" {`, ...hclBody(r.args, "  "), "}", "");
  for (const o of spec.outputs) {
    lines.push(`output "${o.name}" {`, `  value = ${hclValue(o.value)}`);
    if (o.sensitive) lines.push("  sensitive = true");
    lines.push("}", "");
  }
  return lines.join("\n");
}

// ---------- state ----------
function resolver(spec: StackSpec): (r: Ref) => unknown {
  const byAddress = new Map(spec.resources.map((r) => [addressOf(r), r]));
  const resolve = (x: Ref): unknown => {
    const target = byAddress.get(x.address);
    if (!target) throw new Error(`unknown reference ${x.expression}`);
    const values = stateValues(target, resolve);
    return x.attribute === undefined ? values : values[x.attribute];
  };
  return resolve;
}

function toStateValue(arg: Arg, resolve: (r: Ref) => unknown): unknown {
  if (arg instanceof Ref) return resolve(arg);
  if (arg instanceof Block) return [mapArgs(arg.args, (a) => toStateValue(a, resolve))];
  if (arg instanceof JsonEncoded) return JSON.stringify(mapArgs(arg.args, (a) => toStateValue(a, resolve)));
  if (arg instanceof Template) return arg.parts.map((p) => (p instanceof Ref ? String(resolve(p)) : p)).join("");
  if (typeof arg === "object") return mapArgs(arg, (a) => toStateValue(a, resolve));
  return arg;
}

function stateValues(r: ResourceSpec, resolve: (r: Ref) => unknown): Json {
  return { ...mapArgs(r.args, (a) => toStateValue(a, resolve)), ...(r.computed ?? {}) };
}

function sensitiveMask(r: ResourceSpec): Json {
  return Object.fromEntries((r.sensitive ?? []).map((a) => [a, true]));
}

export function state(spec: StackSpec): Json {
  const resolve = resolver(spec);
  return {
    format_version: "1.0",
    terraform_version: "1.11.4",
    values: {
      outputs: Object.fromEntries(
        spec.outputs.map((o) => [o.name, { sensitive: o.sensitive === true, value: toStateValue(o.value, resolve) }]),
      ),
      root_module: {
        resources: spec.resources.map((r) => ({
          address: addressOf(r),
          mode: "managed",
          type: r.type,
          name: r.name,
          provider_name: `registry.terraform.io/${r.type.startsWith("confluent_") ? "confluentinc/confluent" : `hashicorp/${r.type.split("_")[0]}`}`,
          schema_version: 0,
          values: stateValues(r, resolve),
          sensitive_values: sensitiveMask(r),
        })),
      },
    },
  };
}

// ---------- plan (create from empty) ----------
/** Terraform lists a traversal and each shorter prefix: `a.b.c` → ["a.b.c", "a.b"]. */
function references(x: Ref): string[] {
  return x.attribute === undefined ? [x.expression] : [x.expression, x.address];
}

function refsIn(arg: Arg): string[] {
  if (arg instanceof Ref) return references(arg);
  if (arg instanceof Template) return arg.parts.flatMap((p) => (p instanceof Ref ? references(p) : []));
  if (arg instanceof JsonEncoded || arg instanceof Block) return Object.values(arg.args).flatMap(refsIn);
  if (typeof arg === "object") return Object.values(arg).flatMap(refsIn);
  return [];
}

function expression(arg: Arg): unknown {
  if (arg instanceof Block) return [mapArgs(arg.args, expression)];
  const refs = refsIn(arg);
  if (refs.length > 0) return { references: refs };
  return { constant_value: toStateValue(arg, () => undefined) };
}

/** Planned values of a create: everything that depends on a reference or is computed is unknown. */
function planned(arg: Arg): { value?: unknown; unknown?: unknown } {
  if (arg instanceof Block) {
    const { value, unknown } = plannedArgs(arg.args);
    return { value: [value], unknown: [unknown] };
  }
  return refsIn(arg).length > 0 ? { unknown: true } : { value: toStateValue(arg, () => undefined) };
}

/** The known values and the unknown markers of a resource's (or a block's) arguments. */
function plannedArgs(args: { readonly [k: string]: Arg }): { value: Json; unknown: Json } {
  const value: Json = {};
  const unknown: Json = {};
  for (const [k, v] of Object.entries(args)) {
    const p = planned(v);
    if ("value" in p) value[k] = p.value;
    if (p.unknown !== undefined) unknown[k] = p.unknown;
  }
  return { value, unknown };
}

export function plan(spec: StackSpec): Json {
  const changes = spec.resources.map((r) => {
    const { value: after, unknown: afterUnknown } = plannedArgs(r.args);
    for (const k of Object.keys(r.computed ?? {})) afterUnknown[k] = true;
    return {
      address: addressOf(r),
      mode: "managed",
      type: r.type,
      name: r.name,
      provider_name: "registry.terraform.io/confluentinc/confluent",
      change: {
        actions: ["create"],
        before: null,
        after,
        after_unknown: afterUnknown,
        before_sensitive: false,
        after_sensitive: sensitiveMask(r),
      },
    };
  });
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    planned_values: { root_module: { resources: [] } },
    resource_changes: changes,
    output_changes: {},
    prior_state: { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: {} } },
    configuration: {
      provider_config: {
        confluent: {
          name: "confluent",
          full_name: "registry.terraform.io/confluentinc/confluent",
          expressions: mapArgs(spec.provider, expression),
        },
      },
      root_module: {
        outputs: Object.fromEntries(
          spec.outputs.map((o) => [
            o.name,
            { expression: expression(o.value), ...(o.sensitive ? { sensitive: true } : {}) },
          ]),
        ),
        resources: spec.resources.map((r) => ({
          address: addressOf(r),
          mode: "managed",
          type: r.type,
          name: r.name,
          provider_config_key: r.type.split("_")[0],
          expressions: mapArgs(r.args, expression),
          schema_version: 0,
        })),
      },
    },
    applyable: true,
    complete: true,
    errored: false,
  };
}
