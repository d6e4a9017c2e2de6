/**
 * `keykit/confluent`'s index.js is written by scripts/postbuild.mjs from the binding directories (not rewritten from
 * cdktf get's lazy-index.js): its namespaces must be exactly those the typed index (index.d.ts, from cdktf get's
 * index.ts) declares, each the binding's own module, loaded only when first read.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const bindings = join(__dirname, "..", "..", "dist", ".gen", "providers", "confluent");

function declaredNamespaces(): Map<string, string> {
  const declarations = readFileSync(join(bindings, "index.d.ts"), "utf8");
  return new Map([...declarations.matchAll(/export \* as (\w+) from '\.\/([\w-]+)'/g)].map(([, n, d]) => [n, d]));
}

describe("keykit/confluent index", () => {
  const declared = declaredNamespaces();
  const indexPath = require.resolve(join(bindings, "index.js"));

  test("has every namespace the types declare, and no other", () => {
    expect(declared.size).toBeGreaterThan(100);
    const index = require(indexPath) as Record<string, unknown>;
    expect(Object.keys(index).sort()).toEqual([...declared.keys()].sort());
  });

  test("loads a binding only when its namespace is read, and it is that binding's module", () => {
    const topic = require.resolve(join(bindings, "kafka-topic", "index.js"));
    jest.isolateModules(() => {
      const index = require(indexPath) as Record<string, unknown>;
      expect(Object.keys(require.cache)).not.toContain(topic);
      expect(index.kafkaTopic).toBe(require(topic));
      expect(declared.get("kafkaTopic")).toBe("kafka-topic");
    });
  });
});
