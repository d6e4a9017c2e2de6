import fc from "fast-check";
import { interpolations, referencesIn, referencesInInterpolations } from "../../policies/references";

/** The plain reading of the rule: walk every character after `${`, counting braces, until the `}` at depth 0. */
function interpolationsByCharacter(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf("${");
  while (i !== -1) {
    let depth = 0;
    let j = i + 2;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}") {
        if (depth === 0) break;
        depth--;
      }
    }
    out.push(text.slice(i + 2, j));
    i = text.indexOf("${", j);
  }
  return out;
}

describe("interpolations", () => {
  it("keeps nested braces inside one interpolation (jsonencode of an object)", () => {
    const text =
      '${jsonencode({"key_id" = confluent_api_key.a.id, "inner" = {"secret" = confluent_api_key.a.secret}})}';
    expect(interpolations(text)).toEqual([
      'jsonencode({"key_id" = confluent_api_key.a.id, "inner" = {"secret" = confluent_api_key.a.secret}})',
    ]);
  });

  it("finds each of several interpolations and skips the literal text between them", () => {
    expect(interpolations("User:${confluent_service_account.sa.id}/x={y}/${var.env}")).toEqual([
      "confluent_service_account.sa.id",
      "var.env",
    ]);
  });

  it("reads an unclosed interpolation to the end of the text", () => {
    expect(interpolations("a ${confluent_api_key.k.secret {x}")).toEqual(["confluent_api_key.k.secret {x}"]);
    expect(interpolations("${")).toEqual([""]);
  });

  it("agrees with a character-by-character reading on any text of braces, dollars and letters", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("$", "{", "}", "a", "."), { maxLength: 40 }), (chars) => {
        const text = chars.join("");
        expect(interpolations(text)).toEqual(interpolationsByCharacter(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("handles deeply nested braces without losing the closing one", () => {
    const depth = 20_000;
    const text = `\${${"{".repeat(depth)}confluent_api_key.k.id${"}".repeat(depth)}} tail`;
    const [only, ...rest] = interpolations(text);
    expect(rest).toEqual([]);
    expect(only).toBe(`${"{".repeat(depth)}confluent_api_key.k.id${"}".repeat(depth)}`);
  });
});

describe("referencesIn", () => {
  it("resolves the references inside a credentials document to their key and attribute", () => {
    const text = '${jsonencode({"key_id" = confluent_api_key.blue.id, "secret" = confluent_api_key.blue.secret})}';
    expect(referencesIn(text)).toEqual([
      { address: "confluent_api_key.blue", type: "confluent_api_key", mode: "managed", attribute: "id" },
      { address: "confluent_api_key.blue", type: "confluent_api_key", mode: "managed", attribute: "secret" },
    ]);
  });

  it("ignores references written outside an interpolation", () => {
    expect(referencesIn("confluent_api_key.blue.secret and ${var.x}")).toEqual([]);
  });

  it("gives the general parser's answer on any text, single references (its fast path) included", () => {
    // Pieces a reference is made of, and pieces that make it something else (indexes, modules, escapes, nesting).
    const piece = fc.constantFrom(
      "${",
      "}",
      "$",
      "{",
      ".",
      "[0]",
      "-",
      "_",
      "User:",
      "data",
      "module",
      "var",
      "confluent_api_key",
      "k",
      "id",
      "secret",
      "a_b",
      "x",
      " ",
    );
    const single = fc
      .tuple(
        fc.constantFrom("", "User:", "x ", "$", "{", "}", "${confluent_api_key.k.id}"),
        fc.constantFrom("", "data."),
        fc.constantFrom("confluent_service_account", "var", "module", "data", "ab", "a-b_c"),
        fc.constantFrom("app", "a-b", "_x", "9x"),
        fc.constantFrom("", ".id", ".secret", ".x.y", "[0].id"),
        fc.constantFrom("", " tail", "}", "${confluent_api_key.k.secret}"),
      )
      .map(([prefix, data, type, name, tail, after]) => `${prefix}\${${data}${type}.${name}${tail}}${after}`);
    fc.assert(
      fc.property(
        fc.oneof(
          single,
          fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
        ),
        (text) => {
          expect(referencesIn(text)).toEqual(referencesInInterpolations(text));
        },
      ),
      { numRuns: 3000 },
    );
    // Both kinds were generated: the fast path answered some texts (the frameworks' usual form) with a reference.
    expect(referencesIn("User:${confluent_service_account.app.id}")).toEqual([
      { address: "confluent_service_account.app", type: "confluent_service_account", mode: "managed", attribute: "id" },
    ]);
  });
});
