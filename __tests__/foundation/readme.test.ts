/**
 * The README's usage example, run as a new user would: its code is extracted, its `from "keykit"` import pointed
 * at this checkout, then type-checked, run, and its output checked. A README edit that breaks the example fails here.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { checkAgainstProviderSchema } from "../../testing";

const root = join(__dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const work = join(root, ".tmp", "readme-example");

function blockAfter(marker: string, fence: string): string {
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README has no '${marker}'`);
  const open = readme.indexOf("```" + fence + "\n", start);
  const close = readme.indexOf("\n```", open + 4);
  return readme.slice(open + fence.length + 4, close + 1);
}

function writeExample(name: string, code: string): string {
  const constructsPath = relative(work, join(root, "constructs")).split("\\").join("/");
  const file = join(work, `${name}.ts`);
  writeFileSync(file, code.replace(/from "keykit"/g, `from "${constructsPath}"`));
  return file;
}

function run(file: string, outdir: string) {
  return spawnSync(process.execPath, ["--import", "tsx", file], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
}

describe("README usage example", () => {
  const example = blockAfter("<!-- readme-example: usage -->", "ts");

  beforeAll(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
  });

  test("type-checks under the project's strict settings", () => {
    const file = writeExample("usage", example);
    const tsc = spawnSync(
      process.execPath,
      [
        join(root, "node_modules", "typescript", "bin", "tsc"),
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "--esModuleInterop",
        "--target",
        "ES2022",
        "--module",
        "commonjs",
        "--types",
        "node",
        file,
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  test("synthesizes a stack whose keys are owned by service accounts and valid against the schema", () => {
    const outdir = join(work, "out");
    const result = run(writeExample("usage-run", example), outdir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "payments-prod", "cdk.tf.json"), "utf8"));
    expect(checkAgainstProviderSchema(json)).toEqual([]);
    const keys = Object.values(json.resource.confluent_api_key) as { owner: { kind: string } }[];
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.owner.kind).toBe("ServiceAccount");
    expect(json.output.payments_key_secret.sensitive).toBe(true);
  });

  test("passing a user as owner throws with the documented message", () => {
    const documented = blockAfter("**User owners are refused.**", "text").trim();
    const withUser = example.replace('serviceAccountName: "payments-api",', 'owner: { id: "u-abc123" },');
    expect(withUser).not.toBe(example);
    const result = run(writeExample("usage-user", withUser), join(work, "out-user"));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(documented);
  });
});
