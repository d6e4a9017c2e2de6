import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, join, relative } from "node:path";
import { KeyScope, KeykitStack, ServiceAccountWithKey } from "../../constructs";
import { Acknowledgements } from "../../constructs/acknowledgements";
import { TerraformOutput, Testing } from "../../constructs/cdktf";
import { ApiKey } from "../../.gen/providers/confluent/api-key";
import { ConfluentProvider } from "../../.gen/providers/confluent/provider";
import { runPath } from "../helpers/run-dir";

/**
 * PATH minus every directory that holds a `terraform` binary (users' CI may have none), with this node first
 * (through a directory of its own, in case node shares a directory with terraform).
 */
function pathWithoutTerraform(): string {
  const nodeDir = runPath("node-only-bin");
  mkdirSync(nodeDir, { recursive: true });
  if (!existsSync(join(nodeDir, "node"))) symlinkSync(process.execPath, join(nodeDir, "node"));
  const rest = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "" && !existsSync(join(dir, "terraform")));
  return [nodeDir, ...rest].join(delimiter);
}

function stackWith(build: (stack: KeykitStack) => void, props: ConstructorParameters<typeof KeykitStack>[2] = {}) {
  const app = Testing.app({ stackTraces: false });
  const stack = new KeykitStack(app, "s", props);
  new ConfluentProvider(stack, "confluent", {});
  build(stack);
  return stack;
}

const annotations = (stack: KeykitStack, type: string) =>
  stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === type).map((m) => `${c.node.path}: ${String(m.data)}`));

const userOwnedRawKey = (stack: KeykitStack) =>
  new ApiKey(stack, "RawKey", {
    owner: { id: "u-abc123", apiVersion: "iam/v2", kind: "User" },
    managedResource: { id: "lkc-1", apiVersion: "cmk/v2", kind: "Cluster", environment: [{ id: "env-1" }] },
  });

describe("policies at synth (KeykitStack)", () => {
  test("a user-owned key written with the raw bindings fails synth, annotated on its construct", () => {
    const stack = stackWith(userOwnedRawKey);
    expect(() => Testing.fullSynth(stack)).toThrow(/KK001/);
    expect(annotations(stack, "@cdktf/error")).toEqual([
      expect.stringMatching(/^s\/RawKey: \[KK001 ApiKeyOwnedByServiceAccount\] .*u-abc123/),
    ]);
  });

  test("a secret in a non-sensitive output fails synth", () => {
    const stack = stackWith((s) => {
      const app = new ServiceAccountWithKey(s, "App", { scope: KeyScope.cloud() });
      new TerraformOutput(s, "leak", { value: app.apiKeySecret });
    });
    expect(() => Testing.fullSynth(stack)).toThrow(/KK005/);
  });

  test("warnings annotate without failing; an acknowledgement in code removes them", () => {
    const plain = stackWith((s) => new ServiceAccountWithKey(s, "App", { scope: KeyScope.cloud() }));
    expect(() => Testing.fullSynth(plain)).not.toThrow();
    expect(annotations(plain, "@cdktf/warn")).toEqual([
      expect.stringMatching(/^s\/App\/ApiKey: \[KK003 ApiKeyUnderRotation\]/),
    ]);

    const acknowledged = stackWith((s) => {
      const app = new ServiceAccountWithKey(s, "App", { scope: KeyScope.cloud() });
      Acknowledgements.of(app).add({
        rule: "KK003",
        reason: "batch job key, rotated by re-creating the job",
        expires: "2099-01-01",
      });
    });
    Testing.fullSynth(acknowledged);
    expect(annotations(acknowledged, "@cdktf/warn")).toEqual([]);
  });

  test("synthesizing twice does not duplicate annotations", () => {
    const stack = stackWith((s) => new ServiceAccountWithKey(s, "App", { scope: KeyScope.cloud() }));
    Testing.fullSynth(stack);
    Testing.fullSynth(stack);
    expect(annotations(stack, "@cdktf/warn")).toHaveLength(1);
  });

  test("the JSON written is the same with and without the validation", () => {
    const build = (s: KeykitStack) => new ServiceAccountWithKey(s, "App", { scope: KeyScope.cloud() });
    const withValidation = Testing.synth(stackWith(build));
    const validated = stackWith(build);
    Testing.fullSynth(validated);
    expect(JSON.parse(Testing.synth(validated))).toEqual(JSON.parse(withValidation));
  });

  test("policyValidation: false turns it off", () => {
    const stack = stackWith(userOwnedRawKey, { policyValidation: false });
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(annotations(stack, "@cdktf/error")).toEqual([]);
  });

  test("under the cdktf CLI an error makes `cdktf synth` exit non-zero", () => {
    const root = join(__dirname, "..", "..");
    const work = runPath("cli-synth");
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const kit = relative(work, join(root, "constructs")).split("\\").join("/");
    const bindings = relative(work, join(root, ".gen", "providers", "confluent"))
      .split("\\")
      .join("/");
    writeFileSync(
      join(work, "app.ts"),
      `import { App } from "cdktf";
import { KeykitStack } from "${kit}";
import { ApiKey } from "${bindings}/api-key";
import { ConfluentProvider } from "${bindings}/provider";
const app = new App();
const stack = new KeykitStack(app, "bad");
new ConfluentProvider(stack, "confluent", {});
new ApiKey(stack, "RawKey", { owner: { id: "u-abc123", apiVersion: "iam/v2", kind: "User" } });
app.synth();
`,
    );
    const result = spawnSync(
      process.execPath,
      [
        join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"),
        "synth",
        "--app",
        `node --import tsx ${join(work, "app.ts")}`,
        "--output",
        join(work, "out"),
      ],
      {
        cwd: root,
        env: { ...process.env, PATH: pathWithoutTerraform(), CHECKPOINT_DISABLE: "1", CI: "1" },
        encoding: "utf8",
      },
    );
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("KK001");
  });

  test("`cdktf synth` of the example app succeeds without terraform on PATH", () => {
    const root = join(__dirname, "..", "..");
    const out = join(runPath("cli-synth-example"), "out");
    rmSync(out, { recursive: true, force: true });
    const result = spawnSync(
      process.execPath,
      [join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth", "--output", out],
      {
        cwd: root,
        env: { ...process.env, PATH: pathWithoutTerraform(), CHECKPOINT_DISABLE: "1", CI: "1" },
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(join(out, "stacks", "orders-prod", "cdk.tf.json"), "utf8"));
    expect(Object.keys(json.resource.confluent_api_key)).toHaveLength(3);
  });
});
