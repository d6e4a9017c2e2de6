/**
 * The build bundles the synth-time policies into one file (policies/synth-engine.ts, scripts/postbuild.mjs). The
 * bundle must be self-contained (that is what it is for) and must be the same code as the modules it was made
 * from: both are run in a child process on a stack with findings and must give the same report.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { requireFreshBuild } from "./bin-helpers";

const ROOT = join(__dirname, "..", "..");
const DIST = join(ROOT, "dist", "policies");
const STACK = join(ROOT, "__tests__", "fixtures", "realistic", "apps", "orders", "cdktf.out", "stacks", "orders");

const CHILD = `
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const [dist, stack] = process.argv.slice(1);
const before = new Set(Object.keys(require.cache));
const bundle = require(join(dist, "synth-engine.js"));
const loaded = Object.keys(require.cache).filter((file) => !before.has(file));
const engine = require(join(dist, "engine.js"));
const { loadConfiguration } = require(join(dist, "loaders", "configuration.js"));
const { ALL_RULES } = require(join(dist, "rules", "index.js"));
const json = JSON.parse(readFileSync(join(stack, "cdk.tf.json"), "utf8"));
const options = { now: "2026-12-01T00:00:00.000Z" };
const source = { kind: "synth", source: "orders" };
const fromBundle = bundle.evaluate(bundle.loadConfiguration(json, source), bundle.ALL_RULES, [], options);
const fromModules = engine.evaluate(loadConfiguration(json, source), ALL_RULES, [], options);
process.stdout.write(JSON.stringify({ loaded, fromBundle, fromModules }));
`;

describe("the bundled synth-time policies (dist/policies/synth-engine.js)", () => {
  requireFreshBuild();

  test("load as one file and report what the modules they were bundled from report", () => {
    const result = spawnSync(process.execPath, ["-e", CHILD, DIST, STACK], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    const { loaded, fromBundle, fromModules } = JSON.parse(result.stdout) as {
      loaded: string[];
      fromBundle: { findings: { ruleId: string }[] };
      fromModules: unknown;
    };
    expect(loaded).toEqual([join(DIST, "synth-engine.js")]);
    expect(fromBundle).toEqual(fromModules);
    // A report with findings, so the comparison covers the rules' messages and locations, not only an empty list.
    expect(fromBundle.findings.map((f) => f.ruleId)).toEqual(["KK001", "KK003", "KK003"]);
  });
});
