/**
 * The plan Terraform would write for the first apply of a synthesized stack: every managed resource created, the
 * values that reference other resources unknown (`after_unknown`) and kept as references in `configuration`, as
 * `terraform show -json` writes them. No terraform binary needed: the shapes are Terraform's documented plan JSON.
 */
import * as tf from "./terraform";

type Json = Record<string, unknown>;

const REFERENCE = /^\$\{([a-z0-9_.-]+)\}$/i;

/** `a.b.id` → ["a.b.id", "a.b"]; `data.t.n.id` → ["data.t.n.id", "data.t.n"] (Terraform lists both). */
function references(expression: string): string[] {
  const parts = expression.split(".");
  const object = parts.slice(0, parts[0] === "data" ? 3 : 2).join(".");
  return object === expression ? [object] : [expression, object];
}

/** A cdk.tf.json block (an object) is a list of one block in plan JSON; references become unknown values. */
function split(value: unknown): { after: unknown; unknown: unknown; expression: unknown } {
  if (typeof value === "string") {
    const ref = REFERENCE.exec(value);
    if (ref) return { after: undefined, unknown: true, expression: { references: references(ref[1]) } };
    return { after: value, unknown: undefined, expression: { constant_value: value } };
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null)) {
    const parts = value.map(split);
    return {
      after: parts.map((p) => p.after),
      unknown: parts.map((p) => p.unknown ?? {}),
      expression: parts.map((p) => p.expression),
    };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const after: Json = {};
    const unknown: Json = {};
    const expression: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const p = split(v);
      if (p.after !== undefined) after[k] = p.after;
      if (p.unknown !== undefined) unknown[k] = p.unknown;
      expression[k] = p.expression;
    }
    return { after: [after], unknown: [unknown], expression: [expression] };
  }
  return { after: value, unknown: undefined, expression: { constant_value: value } };
}

/** Plan JSON of the first apply of `cdkTfJson` (every managed resource created). */
export function firstApplyPlan(cdkTfJson: Json): Json {
  const changes: tf.ChangeSpec[] = [];
  const config: tf.ConfigResourceSpec[] = [];
  const resources = (cdkTfJson.resource ?? {}) as Record<string, Record<string, Json>>;
  for (const [type, byName] of Object.entries(resources))
    for (const [name, body] of Object.entries(byName)) {
      const after: Json = {};
      const afterUnknown: Json = { id: true };
      const expressions: Json = {};
      for (const [attribute, value] of Object.entries(body)) {
        if (attribute === "//" || attribute === "lifecycle" || attribute === "depends_on") continue;
        const p = split(value);
        if (p.after !== undefined) after[attribute] = p.after;
        if (p.unknown !== undefined) afterUnknown[attribute] = p.unknown;
        expressions[attribute] = p.expression;
      }
      const address = `${type}.${name}`;
      changes.push({ address, type, actions: ["create"], after, afterUnknown });
      config.push({ address, expressions });
    }
  return tf.plan({ changes, config });
}
