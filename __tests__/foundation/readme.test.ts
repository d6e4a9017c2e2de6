/**
 * The README's usage example, run as a new user would: its code is extracted, its `from "keykit"` import pointed
 * at this checkout, then type-checked, run, and its output checked. A README edit that breaks the example fails here.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { checkAgainstProviderSchema } from "../../testing";
import { docBlockAfter, repoRoot as root, typecheck, writeExample as writeIn } from "../helpers/docs";
import { runPath } from "../helpers/run-dir";

const work = runPath("readme-example");
const writeExample = (name: string, code: string) => writeIn(work, `${name}.ts`, code);

function run(file: string, outdir: string) {
  return spawnSync(process.execPath, ["--import", "tsx", file], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
}

describe("README usage example", () => {
  const example = docBlockAfter("docs/constructs.md", "<!-- example: usage -->", "ts");

  beforeAll(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
  });

  test("type-checks under the project's strict settings", () => {
    const file = writeExample("usage", example);
    const tsc = typecheck(file);
    expect(tsc.output).toBe("");
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
    const documented = docBlockAfter("docs/constructs.md", "**User owners are refused.**", "text").trim();
    const withUser = example.replace('serviceAccountName: "payments-api",', 'owner: { id: "u-abc123" },');
    expect(withUser).not.toBe(example);
    const result = run(writeExample("usage-user", withUser), join(work, "out-user"));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(documented);
  });
});
