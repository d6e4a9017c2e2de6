/**
 * No name is special: `constructor`, `prototype`, `__proto__`, `hasOwnProperty`, `toString` and any other generated
 * identifier are ordinary Terraform names in every input kind. A user-owned key (KK001) and an output exposing its
 * secret (KK005) must be found whatever they are called, in cdk.tf.json, HCL (also behind a module call), plan and
 * state JSON, each read from text as the CLI reads it (JSON.parse makes `__proto__` an own property).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadHclDirectory } from "../../policies/loaders/hcl";
import { loadPlan } from "../../policies/loaders/plan";
import { loadState } from "../../policies/loaders/state";
import type { KeykitModel } from "../../policies/model";
import { ALL_RULES } from "../../policies/rules";
import { key, stack } from "../policies/helpers/synth";
import * as tf from "../policies/helpers/terraform";
import { tempDir } from "./input-helpers";

const NOW = "2026-11-28T00:00:00Z";
const SECRET = "cfltSPECIALNAMESECRETSPECIALNAMESECRETSPECIALNAMESECRET0123456";
const lkc = { id: "lkc-1", environment: "env-1" };

/** The names an object literal's prototype answers for, and names generated like Terraform identifiers. */
export const SPECIAL_NAMES = [
  "constructor",
  "prototype",
  "__proto__",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "isPrototypeOf",
  "__defineGetter__",
] as const;
const names = fc.oneof(
  fc.constantFrom(...SPECIAL_NAMES),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/).filter((n) => n !== "_"),
);
const RUNS = Number(process.env.KEYKIT_FUZZ_RUNS ?? 60);

/** JSON built with computed keys, then round-tripped through text as a file would be read. */
function fromText(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function findings(model: KeykitModel, ruleId: string): string[] {
  return evaluate(model, ALL_RULES, [], { now: NOW })
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.subject} ${f.location.address ?? ""}`);
}

function expectFound(model: KeykitModel, keyName: string, outputName: string): void {
  expect(findings(model, "KK001").some((s) => s.includes(`confluent_api_key.${keyName}`))).toBe(true);
  expect(findings(model, "KK005").some((s) => s.includes(outputName))).toBe(true);
}

function cdktfJson(keyName: string, outputName: string): unknown {
  const json = stack({
    tier: "production",
    resources: {
      confluent_api_key: { [keyName]: key("K", "u-123", { id: "lkc-1" }) },
    },
    outputs: { [outputName]: { value: `\${confluent_api_key.${keyName}.secret}` } },
    // Provider credentials through a variable of the same name whose default is a literal (KK007).
    provider: { cloud_api_key: `\${var.${keyName}}`, cloud_api_secret: `\${var.${keyName}}` },
  });
  return fromText({ ...json, variable: { [keyName]: { default: "LITERALKEY000001" } } });
}

function planJson(keyName: string, outputName: string): unknown {
  return fromText(
    tf.plan({
      changes: [tf.keyNoop(`confluent_api_key.${keyName}`, { id: "K3", owner: { id: "u-abc" }, managed: lkc })],
      outputs: { [outputName]: { expression: { references: [`confluent_api_key.${keyName}.secret`] } } },
    }),
  );
}

function stateJson(keyName: string, outputName: string): unknown {
  const owner = { id: "u-1" };
  const resource = {
    address: `confluent_api_key.${keyName}`,
    type: "confluent_api_key",
    values: tf.apiKeyValues({ id: "K-1", owner, managed: lkc, secret: SECRET }),
    sensitive: tf.apiKeySensitive({ owner, managed: lkc }),
  };
  return fromText(tf.state([resource], { [outputName]: { sensitive: false, value: SECRET, type: "string" } }));
}

/**
 * A plan creating `module.<call>.confluent_api_key.<key>` whose owner is unknown until apply: only the module
 * call's configuration (`module_calls.<call>`) says it is a data.confluent_user, so KK001 needs the call's name.
 */
function planThroughModuleCall(callName: string, keyName: string): unknown {
  const planned = tf.plan({
    changes: [
      tf.keyCreate(`module.${callName}.confluent_api_key.${keyName}`, { owner: { id: "u-x" }, managed: lkc }, "x"),
    ],
  }) as { configuration: { root_module: Record<string, unknown> } };
  planned.configuration.root_module.module_calls = {
    [callName]: {
      source: "./child",
      module: {
        resources: [
          {
            address: `confluent_api_key.${keyName}`,
            mode: "managed",
            type: "confluent_api_key",
            name: keyName,
            expressions: tf.keyExpressions("data.confluent_user.me", "lkc-1"),
          },
        ],
      },
    },
  };
  return fromText(planned);
}

const HCL_KEY = (name: string) => `
resource "confluent_api_key" "${name}" {
  display_name = "k"
  owner {
    id          = "u-123"
    api_version = "iam/v2"
    kind        = "User"
  }
  managed_resource {
    id          = "lkc-1"
    api_version = "cmk/v2"
    kind        = "Cluster"
    environment {
      id = "env-1"
    }
  }
}
`;

function hclRoot(keyName: string, outputName: string, moduleName: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, "child"));
  writeFileSync(
    join(dir, "child", "main.tf"),
    `${HCL_KEY(keyName)}\noutput "secret" {\n  value = confluent_api_key.${keyName}.secret\n  sensitive = true\n}\n`,
  );
  writeFileSync(
    join(dir, "main.tf"),
    `${HCL_KEY(keyName)}\noutput "${outputName}" {\n  value = confluent_api_key.${keyName}.secret\n}\n` +
      `locals {\n  ${moduleName} = confluent_api_key.${keyName}.secret\n}\n` +
      `output "${outputName}_local" {\n  value = local.${moduleName}\n}\n` +
      `module "${moduleName}" {\n  source = "./child"\n}\noutput "${outputName}_via" {\n  value = module.${moduleName}.secret\n}\n`,
  );
  return dir;
}

describe("special names are ordinary names in every loader", () => {
  it.each(SPECIAL_NAMES.map((n) => [n]))("cdk.tf.json: a key, a variable and an output named %s are found", (name) => {
    const model = loadConfiguration(cdktfJson(name, name), { source: "cdk.tf.json" });
    expectFound(model, name, name);
    expect(findings(model, "KK007").some((s) => s.includes("provider.confluent"))).toBe(true);
  });
  it.each(SPECIAL_NAMES.map((n) => [n]))("plan: a key and an output named %s are found", (name) => {
    expectFound(loadPlan(planJson(name, name), { source: "plan.json" }), name, name);
  });
  it.each(SPECIAL_NAMES.map((n) => [n]))("plan: a key behind a module call named %s is found", (name) => {
    const model = loadPlan(planThroughModuleCall(name, name), { source: "plan.json" });
    expect(findings(model, "KK001").some((s) => s.includes(`module.${name}.confluent_api_key.${name}`))).toBe(true);
  });
  it.each(SPECIAL_NAMES.map((n) => [n]))("state: a key and an output named %s are found", (name) => {
    expectFound(loadState(stateJson(name, name), { source: "state.json" }), name, name);
  });
  it.each(SPECIAL_NAMES.map((n) => [n]))(
    "HCL: a key, an output and a module call named %s are found",
    async (name) => {
      const dir = hclRoot(name, name, name);
      const model = await loadHclDirectory(dir, { source: dir });
      expectFound(model, name, name);
      // The module call's key (module.<name>.confluent_api_key.<name>) and the output reading it through the call.
      expect(findings(model, "KK001").some((s) => s.includes(`module.${name}.confluent_api_key.${name}`))).toBe(true);
      expect(findings(model, "KK005").some((s) => s.includes(`${name}_via`))).toBe(true);
      // A local of that name carrying the secret to an output.
      expect(findings(model, "KK005").some((s) => s.includes(`${name}_local`))).toBe(true);
    },
    30_000,
  );

  it("generated names: every JSON loader finds the key and the output", () => {
    fc.assert(
      fc.property(names, names, (keyName, outputName) => {
        expectFound(loadConfiguration(cdktfJson(keyName, outputName), { source: "cdk.tf.json" }), keyName, outputName);
        expectFound(loadPlan(planJson(keyName, outputName), { source: "plan.json" }), keyName, outputName);
        expectFound(loadState(stateJson(keyName, outputName), { source: "state.json" }), keyName, outputName);
      }),
      { numRuns: RUNS },
    );
  });

  it("generated names: HCL finds the key, the output and the module call", async () => {
    await fc.assert(
      fc.asyncProperty(names, names, names, async (keyName, outputName, moduleName) => {
        const dir = hclRoot(keyName, outputName, moduleName);
        expectFound(await loadHclDirectory(dir, { source: dir }), keyName, outputName);
      }),
      { numRuns: Math.min(RUNS, 15) },
    );
  }, 120_000);
});
