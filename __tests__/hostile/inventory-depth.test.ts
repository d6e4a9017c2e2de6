/**
 * 100,000 levels of nesting in an inventory export, an acknowledgements file or a state's child_modules never
 * overflow the stack: exports are walked without recursion (a deep value where an export has none is a clear
 * "not a Confluent export"), acknowledgements files past 64 levels are refused with that limit named.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_ACKNOWLEDGEMENTS_DEPTH } from "../../policies/acknowledgements";
import { nameFactsFromJson } from "../../policies/inventory/desired-state";
import { nestsDeeperThan } from "../../policies/loaders/util";
import type { Report } from "../../policies/report";
import { expectOneLine, runKeykit, snapshot, tempDir } from "./input-helpers";

const LEVELS = 100_000;
const deep = (levels = LEVELS) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const deepObject = (levels = LEVELS) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const ROW =
  '"key":"DEEPKEY1","owner":"sa-1","owner_email":"<service account>","resource_type":"kafka","resource":"lkc-1"';
const KEYS = `[{${ROW},"created":"2026-05-30T00:00:00Z"}]`;

async function run(files: Record<string, string>, argv: string[]) {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const before = snapshot(dir);
  const result = await runKeykit(argv, { cwd: dir });
  expect(snapshot(dir)).toEqual(before);
  return result;
}

describe("deeply nested inventory exports", () => {
  const refused: [string, string, RegExp][] = [
    ["nested arrays", deep(), /not a Confluent export \(entry 1 is neither an API key nor a service account\)/],
    ["nested objects", deepObject(), /not a Confluent export \(expected a CLI list array or an API list page/],
    ["a page whose data nests", `{"data": ${deep()}}`, /unsupported API list kind/],
    ["a deep second document", `{"kind":"ApiKeyList","data":[]}\n${deep()}`, /not a Confluent export/],
    ["an unclosed deep document", "[".repeat(LEVELS), /truncated JSON: the file ends inside an object or array/],
  ];

  it.each(refused)(
    "%s: exit 2, one line",
    async (_what, text, problem) => {
      const result = await run({ "api-keys.json": text }, ["audit", "--inventory", "api-keys.json"]);
      expect(result.code).toBe(2);
      expect(expectOneLine(result.stderr)).toMatch(problem);
    },
    10_000,
  );

  it.each([
    ["a CLI row", `[{${ROW},"created":"2026-05-30T00:00:00Z","extra":${deep()}}]`],
    [
      "an API key's resources and description",
      `[{"kind":"ApiKey","id":"DEEPKEY1","metadata":{"created_at":"2026-05-30T00:00:00Z"},"spec":{"owner":{"id":"sa-1","kind":"ServiceAccount"},"resources":${deep()},"description":${deepObject()}}}]`,
    ],
    ["a service account's description", `[{"id":"sa-1","name":"app","description":${deep()}}]`],
  ])(
    "a deep value in %s is ignored like any unknown field",
    async (_what, text) => {
      const files = { "api-keys.json": KEYS, "deep.json": text };
      const result = await run(files, [
        "audit",
        "--inventory",
        "api-keys.json",
        "deep.json",
        "--format",
        "json",
        "--now",
        "2026-06-01",
      ]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.inputs[0].notes.some((n) => n.startsWith("inventory: 1 API key(s)"))).toBe(true);
    },
    10_000,
  );
});

describe("deeply nested acknowledgements files", () => {
  const cases: [string, string][] = [
    ["version", `{"version":${deep()},"acknowledgements":[]}`],
    [
      "rule",
      `{"version":1,"acknowledgements":[{"rule":${deep()},"resource":"x","reason":"long enough reason","expires":"2030-01-01"}]}`,
    ],
    ["the list", `{"version":1,"acknowledgements":${deep()}}`],
    ["an entry", `{"version":1,"acknowledgements":[${deepObject()}]}`],
  ];

  it.each(cases)(
    "%s nested 100,000 levels: refused by audit and check with the limit named",
    async (_what, text) => {
      const files = { "api-keys.json": KEYS, "acks.json": text };
      const message = `acks.json: acknowledgements file nests deeper than ${MAX_ACKNOWLEDGEMENTS_DEPTH} levels (the format needs 3)`;
      const audit = await run(files, ["audit", "--inventory", "api-keys.json", "--acknowledgements", "acks.json"]);
      expect(audit.code).toBe(2);
      expect(expectOneLine(audit.stderr)).toBe(`keykit: ${message}\n`);
      const check = await run({ ...files, "cdk.tf.json": '{"terraform":{},"resource":{}}' }, [
        "check",
        "cdk.tf.json",
        "--acknowledgements",
        "acks.json",
      ]);
      expect(check.code).toBe(2);
      expect(expectOneLine(check.stderr)).toMatch(/acknowledgements file nests deeper than 64 levels/);
    },
    10_000,
  );

  it("accepts up to the documented depth and refuses one level more", () => {
    const nested = (levels: number): unknown => {
      let value: unknown = 1;
      for (let i = 1; i < levels; i++) value = [value];
      return [value];
    };
    expect(nestsDeeperThan(nested(64), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65), 64)).toBe(true);
    expect(nestsDeeperThan(JSON.parse(deep()), 64)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: "x" }] }, 3)).toBe(false);
  });
});

describe("configuration names", () => {
  it("reads the names of a state's resources through 100,000 nested child_modules", () => {
    let module: Record<string, unknown> = {
      resources: [
        {
          address: "module.m.confluent_api_key.k",
          mode: "managed",
          type: "confluent_api_key",
          values: { description: "deep key", display_name: "deep" },
        },
      ],
    };
    for (let i = 0; i < LEVELS; i++) module = { child_modules: [module] };
    const facts = nameFactsFromJson({ values: { root_module: module } });
    expect(facts.get("module.m.confluent_api_key.k")).toEqual({ description: "deep key", displayName: "deep" });
  });
});
