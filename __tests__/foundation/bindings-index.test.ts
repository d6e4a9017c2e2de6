/**
 * `keykit/confluent`'s index.js is written by scripts/postbuild.mjs from the binding directories (not rewritten from
 * cdktf get's lazy-index.js): its namespaces must be exactly those the typed index (index.d.ts, from cdktf get's
 * index.ts) declares, each the binding's own module, loaded only when first read.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// Node's own loader, not jest's registry: its cache shows which binding modules a read has loaded.
const load = createRequire(__filename);

const bindings = join(__dirname, "..", "..", "dist", ".gen", "providers", "confluent");

function declaredNamespaces(): Map<string, string> {
  const declarations = readFileSync(join(bindings, "index.d.ts"), "utf8");
  return new Map([...declarations.matchAll(/export \* as (\w+) from '\.\/([\w-]+)'/g)].map(([, n, d]) => [n, d]));
}

describe("keykit/confluent index", () => {
  const declared = declaredNamespaces();
  const indexPath = load.resolve(join(bindings, "index.js"));

  test("has every namespace the types declare, and no other", () => {
    expect(declared.size).toBeGreaterThan(100);
    const index = load(indexPath) as Record<string, unknown>;
    expect(Object.keys(index).sort()).toEqual([...declared.keys()].sort());
  });

  test("loads a binding only when its namespace is read, and it is that binding's module", () => {
    const topic = load.resolve(join(bindings, "kafka-topic", "index.js"));
    delete load.cache[indexPath];
    delete load.cache[topic];
    const index = load(indexPath) as Record<string, unknown>;
    expect(Object.keys(load.cache)).not.toContain(topic);
    expect(index.kafkaTopic).toBe(load(topic));
    expect(Object.keys(load.cache)).toContain(topic);
    expect(declared.get("kafkaTopic")).toBe("kafka-topic");
  });
});
