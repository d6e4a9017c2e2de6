/**
 * Hostile nesting: 100,000 levels inside values, expressions, replace_paths, child_modules, module_calls and HCL
 * module chains. Every loader walk is iterative or depth-limited, so none overflows the stack: the input is refused
 * with one clear line (InputError naming the input and the documented limit, no fragment of the input) or read.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../cli/main";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadPlan } from "../../policies/loaders/plan";
import { loadState } from "../../policies/loaders/state";
import { InputError, MAX_NESTING_DEPTH } from "../../policies/loaders/util";
import * as tf from "../policies/helpers/terraform";

const LEVELS = 100_000;
const MARKER = "cfltHOSTILE0123456789";

/** `{"a":{"a":…{"a": leaf}}}` built iteratively (a recursive builder would overflow first). */
function nestedObject(levels: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}
function nestedArray(levels: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

function refused(load: () => unknown): InputError {
  try {
    load();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("the hostile input was accepted");
}

const expectClearLine = (e: InputError) => {
  expect(e.message).toContain(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
  expect(e.message).not.toContain("\n");
  expect(e.message).not.toContain(MARKER);
};

describe("100,000 nesting levels never overflow a loader", () => {
  it("state: deep values of a resource that may hold a secret", () => {
    const json = tf.state([
      {
        address: "confluent_api_key.k",
        type: "confluent_api_key",
        values: tf.apiKeyValues({ owner: { id: "sa-1" }, secret: `${MARKER}${"x".repeat(40)}` }),
      },
      { address: "local_file.f", type: "local_file", values: { content: nestedObject(LEVELS, MARKER) } },
    ]);
    expectClearLine(refused(() => loadState(json, { source: "state.json" })));
  });

  it("state: deep child_modules", () => {
    let module: unknown = { resources: [] };
    for (let i = 0; i < LEVELS; i++) module = { resources: [], child_modules: [module] };
    const json = { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: module } };
    expectClearLine(refused(() => loadState(json, { source: "state.json" })));
  });

  it("plan: deep replace_paths (not a path: ignored), deep expressions and deep module_calls (refused)", () => {
    const replace = tf.plan({
      changes: [
        {
          ...tf.keyNoop("confluent_api_key.k", { owner: { id: "sa-1" } }),
          replacePaths: [nestedArray(LEVELS, "owner") as never],
        },
      ],
    });
    expect(loadPlan(replace, { source: "plan.json" }).changes[0].replacePaths).toEqual([]);
    const long = tf.plan({
      changes: [
        { ...tf.keyNoop("confluent_api_key.k", { owner: { id: "sa-1" } }), replacePaths: [Array(LEVELS).fill("a")] },
      ],
    });
    expectClearLine(refused(() => loadPlan(long, { source: "plan.json" })));

    const expressions = tf.plan({
      changes: [{ address: "local_file.f", type: "local_file", actions: ["create"], after: { filename: "x" } }],
      config: [
        {
          address: "local_file.f",
          expressions: { content: nestedObject(LEVELS, { references: ["confluent_api_key.k.secret"] }) as never },
        },
      ],
    });
    expectClearLine(refused(() => loadPlan(expressions, { source: "plan.json" })));

    const calls = tf.plan({ changes: [] }) as { configuration: { root_module: unknown } };
    let module: unknown = { resources: [] };
    for (let i = 0; i < LEVELS; i++) module = { module_calls: { m: { source: "./m", module } } };
    calls.configuration.root_module = module;
    expectClearLine(refused(() => loadPlan(calls, { source: "plan.json" })));
  });

  it("cdk.tf.json: deep arguments and deep outputs", () => {
    const deepArg = {
      resource: {
        local_file: { f: { filename: "x", content: nestedObject(LEVELS, "${confluent_api_key.k.secret}") } },
      },
    };
    expectClearLine(refused(() => loadConfiguration(deepArg, { source: "cdk.tf.json" })));
    const deepOutput = { output: { o: { value: nestedArray(LEVELS, "${confluent_api_key.k.secret}") } } };
    expectClearLine(refused(() => loadConfiguration(deepOutput, { source: "cdk.tf.json" })));
  });

  it("a nesting just inside the limit is read, and the secret reference inside it is still found", () => {
    const json = {
      resource: {
        local_file: {
          f: { filename: "x", content: nestedObject(MAX_NESTING_DEPTH - 2, "${confluent_api_key.k.secret}") },
        },
      },
    };
    const model = loadConfiguration(json, { source: "cdk.tf.json" });
    expect(model.secretSinks.map((s) => [s.address, s.secretOf])).toEqual([["local_file.f", ["confluent_api_key.k"]]]);
  });

  it("the CLI: a deep plan file is one line on stderr and exit 2; a 100-deep module chain is a note", async () => {
    const dir = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "depth-"));
    // Written as text: JSON.stringify itself recurses and would overflow on the nested value.
    const deep = JSON.stringify(
      tf.plan({
        changes: [{ address: "local_file.f", type: "local_file", actions: ["create"], after: { filename: "x" } }],
        config: [{ address: "local_file.f", expressions: { content: "DEEP" as never } }],
      }),
    );
    writeFileSync(join(dir, "plan.json"), deep.replace('"DEEP"', `${'{"a":'.repeat(LEVELS)}1${"}".repeat(LEVELS)}`));
    // A chain of local modules deeper than the module limit: followed up to it, then a note.
    mkdirSync(join(dir, "tf"));
    writeFileSync(join(dir, "tf", "main.tf"), 'module "m" {\n  source = "./m0"\n}\n');
    let path = join(dir, "tf");
    for (let i = 0; i < 100; i++) {
      path = join(path, `m${i}`);
      mkdirSync(path);
      writeFileSync(join(path, "main.tf"), `module "m" {\n  source = "./m${i + 1}"\n}\n`);
    }
    const io = () => {
      const out = { stdout: "", stderr: "" };
      return {
        out,
        io: {
          stdout: (t: string) => (out.stdout += t),
          stderr: (t: string) => (out.stderr += t),
          cwd: dir,
          env: {},
          isTty: false,
        },
      };
    };
    const a = io();
    expect(await runCli(["check", "plan.json"], a.io)).toBe(2);
    expect(a.out.stderr.trim().split("\n")).toHaveLength(1);
    expect(a.out.stderr).toContain("nested deeper than");
    const b = io();
    expect(await runCli(["check", "tf", "--format", "json"], b.io)).toBe(0);
    const notes = (JSON.parse(b.out.stdout) as { inputs: { notes: string[] }[] }).inputs[0].notes;
    expect(notes.some((n) => n.includes("modules nested deeper than"))).toBe(true);
  });
});
