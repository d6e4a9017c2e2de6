/**
 * Property-based tests: random and mutated inputs for every loader end in a report or an InputError (which the CLI
 * prints as one line with exit 2), never an uncaught exception; and no output format ever contains a planted secret.
 * 10,000 runs per loader in CI (`npm run test:fuzz`, which .ci/run also runs); `npm test` runs 250 per loader so
 * the whole suite stays under a minute. KEYKIT_FUZZ_RUNS sets the count.
 */
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../cli/main";
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadHclFiles } from "../../policies/loaders/hcl";
import { loadJsonInput } from "../../policies/loaders/input";
import { loadPlan } from "../../policies/loaders/plan";
import { loadState } from "../../policies/loaders/state";
import { InputError } from "../../policies/loaders/util";
import type { KeykitModel } from "../../policies/model";
import { REPORT_FORMATS, formatReport } from "../../policies/reporters";
import { ALL_RULES } from "../../policies/rules";
import { compliantStack, key } from "./helpers/synth";
import * as tf from "./helpers/terraform";

const RUNS = Number(process.env.KEYKIT_FUZZ_RUNS ?? 250);
const SECRET = "cfltPLANTED0123456789abcdefPLANTED0123456789abcdefPLANTED012345";
const sa = { id: "sa-1" };
const lkc = { id: "lkc-1", environment: "env-1" };

const planFixture = tf.plan({
  prior: [
    {
      address: "confluent_service_account.app",
      type: "confluent_service_account",
      values: tf.serviceAccountValues("sa-1"),
    },
    {
      address: "confluent_api_key.old",
      type: "confluent_api_key",
      values: tf.apiKeyValues({ id: "OLD", owner: sa, managed: lkc, secret: SECRET }),
      sensitive: tf.apiKeySensitive({ owner: sa, managed: lkc }),
    },
  ],
  changes: [
    tf.keyDelete(
      "confluent_api_key.old",
      { id: "OLD", owner: sa, managed: lkc, secret: SECRET },
      "delete_because_no_resource_config",
    ),
    tf.keyCreate("confluent_api_key.new", { owner: sa, managed: lkc }, "confluent_service_account.app"),
    tf.keyReplace(
      "confluent_api_key.r",
      { id: "R", owner: sa, managed: lkc, secret: SECRET },
      { owner: { id: "u-2" }, managed: lkc },
    ),
    tf.keyNoop("confluent_api_key.u", { id: "U", owner: { id: "u-1" }, managed: lkc, secret: SECRET }),
    {
      address: "vault_kv_secret_v2.s",
      type: "vault_kv_secret_v2",
      actions: ["no-op"],
      before: { data_json: `{"key":"OLD","secret":"${SECRET}"}` },
      after: { data_json: `{"key":"OLD","secret":"${SECRET}"}` },
      beforeSensitive: { data_json: true },
      afterSensitive: { data_json: true },
    },
    {
      address: "local_file.f",
      type: "local_file",
      actions: ["create"],
      after: { content: SECRET },
      afterSensitive: { content: true },
    },
  ],
  config: [
    { address: "confluent_api_key.new", expressions: tf.keyExpressions("confluent_service_account.app", "lkc-1") },
    {
      address: "local_file.f",
      expressions: { content: { references: ["confluent_api_key.new.secret", "confluent_api_key.new"] } },
    },
  ],
  outputs: { s: { expression: { references: ["confluent_api_key.new.secret"] } } },
  providerConfig: { confluent: { name: "confluent", expressions: { cloud_api_secret: { constant_value: SECRET } } } },
});

(planFixture.configuration as { root_module: Record<string, unknown> }).root_module.variables = {
  kafka: { default: SECRET, sensitive: true },
};
(
  (planFixture.configuration as { provider_config: { confluent: { expressions: Record<string, unknown> } } })
    .provider_config.confluent.expressions as Record<string, unknown>
).kafka_api_secret = { references: ["var.kafka"] };

const stateFixture = tf.state(
  [
    {
      address: "confluent_api_key.k",
      type: "confluent_api_key",
      values: tf.apiKeyValues({ id: "K", owner: { id: "u-1" }, managed: lkc, secret: SECRET }),
      sensitive: tf.apiKeySensitive({ owner: sa, managed: lkc }),
    },
    { address: "local_file.f", type: "local_file", values: { content: SECRET } },
    {
      address: "vault_kv_secret_v2.s",
      type: "vault_kv_secret_v2",
      values: { data_json: `{"key":"K","secret":"${SECRET}"}` },
      sensitive: { data_json: true },
    },
  ],
  { leak: { sensitive: false, value: SECRET, type: "string" }, ok: { sensitive: true, value: SECRET, type: "string" } },
);

const stackFixture = (() => {
  const s = compliantStack() as {
    resource: Record<string, Record<string, unknown>>;
    provider: unknown;
    output: unknown;
  };
  s.resource.confluent_api_key.user = key("User", "${data.confluent_user.me.id}", { id: "lkc-1" });
  s.resource.local_file = { f: { content: "${confluent_api_key.user.secret}" } };
  s.provider = { confluent: [{ cloud_api_secret: SECRET, kafka_api_secret: "${var.kafka}" }] };
  (s as Record<string, unknown>).variable = { kafka: { default: SECRET, sensitive: true } };
  s.output = { o: { value: "${confluent_api_key.user.secret}" } };
  return s;
})();

/** The children of a JSON node (array elements by index, object members in key order), none for a leaf. */
function children(value: unknown): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  return value && typeof value === "object" ? Object.entries(value) : [];
}

/** How many nodes a JSON document has (objects, arrays and leaves), root included; allocates no entry pairs. */
function nodeCount(value: unknown): number {
  let count = 1;
  if (Array.isArray(value)) for (const child of value) count += nodeCount(child);
  else if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) count += nodeCount(obj[k]);
  }
  return count;
}

/**
 * The path of the `n`-th node in pre-order (root first, then each child's subtree in order): the same node a list
 * of every path would hold at index `n`, found without building that list for every mutation.
 */
function pathAt(value: unknown, n: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node = value;
  let rest = n;
  while (rest > 0) {
    rest -= 1; // the node itself
    for (const [step, child] of children(node)) {
      const size = nodeCount(child);
      if (rest < size) {
        path.push(step);
        node = child;
        break;
      }
      rest -= size;
    }
  }
  return path;
}

type Mutation = { at: number; kind: "replace" | "delete" | "wrap" | "null"; value: unknown };

function mutate(doc: unknown, mutations: readonly Mutation[]): unknown {
  let root: unknown = structuredClone(doc);
  for (const m of mutations) {
    const path = pathAt(root, m.at % nodeCount(root));
    // Cloned: fast-check replays generated values, which must never be aliased into (and mutated through) the document.
    const value = structuredClone(m.value);
    const replacement = m.kind === "null" ? null : m.kind === "wrap" ? [value] : value;
    if (path.length === 0) {
      root = m.kind === "delete" ? undefined : replacement;
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else parent[last] = replacement;
  }
  return root;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("replace", "delete", "wrap", "null"),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      "${confluent_user.x.id}",
      "u-1",
      "sa-1",
      "global/v1",
      "lkc-1",
      ["delete", "create"],
      ["forget"],
      "1.9",
      "2.0",
      true,
    ),
  ),
});

/** The document or a mutated copy; sometimes fully random JSON. */
const documents = (fixture: unknown) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => mutate(fixture, ms)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  );

function assertOutcome(load: () => KeykitModel): void {
  let model: KeykitModel;
  try {
    model = load();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.message).not.toMatch(/\n/);
    expect(error.message).not.toContain(SECRET);
    return;
  }
  expect(JSON.stringify(model)).not.toContain(SECRET);
  const report = evaluate(model, ALL_RULES, [], { now: "2026-11-28T00:00:00Z" });
  // One assertion over every format (the formats that leak, expected none): the same check at a fifth of the cost.
  expect(REPORT_FORMATS.filter((format) => formatReport(report, format, ALL_RULES).includes(SECRET))).toEqual([]);
}

const params = { numRuns: RUNS, seed: 4242 };
// 10,000 runs take seconds alone but much longer on a busy shared machine.
jest.setTimeout(240_000);

describe("fuzz: loaders end in a report or a one-line InputError, and never print a planted secret", () => {
  it("the fixtures themselves produce findings (so the properties are not vacuous)", () => {
    expect(evaluate(loadPlan(planFixture, { source: "p" }), ALL_RULES).findings.length).toBeGreaterThan(4);
    expect(evaluate(loadState(stateFixture, { source: "s" }), ALL_RULES).findings.length).toBeGreaterThan(2);
    expect(evaluate(loadConfiguration(stackFixture, { source: "c" }), ALL_RULES).findings.length).toBeGreaterThan(3);
  });

  it("plan JSON", () => {
    fc.assert(
      fc.property(documents(planFixture), (doc) => assertOutcome(() => loadPlan(doc, { source: "plan.json" }))),
      params,
    );
  });

  it("state JSON", () => {
    fc.assert(
      fc.property(documents(stateFixture), (doc) => assertOutcome(() => loadState(doc, { source: "state.json" }))),
      params,
    );
  });

  it("cdk.tf.json / synthesized stack", () => {
    fc.assert(
      fc.property(documents(stackFixture), (doc) =>
        assertOutcome(() => loadConfiguration(doc, { source: "cdk.tf.json" })),
      ),
      params,
    );
  });

  it("input detection over any JSON", () => {
    fc.assert(
      fc.property(fc.oneof(documents(planFixture), documents(stateFixture), documents(stackFixture)), (doc) =>
        assertOutcome(() => loadJsonInput(doc, "input.json")),
      ),
      params,
    );
  });

  it("HCL text", async () => {
    const hcl = `provider "confluent" {\n  cloud_api_secret = "${SECRET}"\n}\nresource "confluent_api_key" "k" {\n  owner {\n    id = data.confluent_user.me.id\n    api_version = "iam/v2"\n    kind = "User"\n  }\n}\noutput "o" {\n  value = confluent_api_key.k.secret\n}\nresource "local_file" "f" {\n  content = "${SECRET}"\n}\n`;
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 8 }),
      insert: fc.string({ maxLength: 6, unit: fc.constantFrom(...'{}[]()"=\n #$.\\abc01') }),
    });
    const texts = fc.array(edit, { maxLength: 3 }).map((edits) =>
      edits.reduce((text, e) => {
        const at = e.at % (text.length + 1);
        // Never cut into the planted secret itself (a partial secret is not the secret).
        const safeAt =
          text.indexOf(SECRET) <= at && at < text.indexOf(SECRET) + SECRET.length ? text.indexOf(SECRET) : at;
        return text.slice(0, safeAt) + e.insert + text.slice(Math.min(text.length, safeAt + e.remove));
      }, hcl),
    );
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        let model: KeykitModel;
        try {
          model = await loadHclFiles([{ file: "main.tf", text }], { source: "dir" });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          expect(error.message).not.toMatch(/\n/);
          expect(error.message).not.toContain(SECRET);
          return;
        }
        const report = evaluate(model, ALL_RULES, [], { now: "2026-11-28T00:00:00Z" });
        for (const format of REPORT_FORMATS) expect(formatReport(report, format, ALL_RULES)).not.toContain(SECRET);
      }),
      params,
    );
  }, 120_000);

  it("through the CLI: mutated files exit 0, 1 or 2 with at most one stderr line, never printing the secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keykit-fuzz-"));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(documents(planFixture), documents(stateFixture), documents(stackFixture)),
        async (doc) => {
          const file = join(dir, "input.json");
          writeFileSync(file, JSON.stringify(doc) ?? "");
          let out = "";
          let err = "";
          const code = await runCli(["check", "input.json", "--format", "sarif"], {
            stdout: (t) => (out += t),
            stderr: (t) => (err += t),
            cwd: dir,
            env: {},
            isTty: false,
          });
          expect([0, 1, 2]).toContain(code);
          if (code === 2) expect(err).toMatch(/^keykit: (?!internal error)[^\n]*\n$/);
          expect(out + err).not.toContain(SECRET);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
