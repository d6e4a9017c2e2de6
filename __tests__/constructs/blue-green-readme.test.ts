/**
 * The README's global-and-blue-green example and worked rotation, run as a new user would: the example is extracted,
 * synthesized in a scratch project, then `keykit rotate start` / `finish` run through the CLI with a synth after each;
 * the diff of consecutive cdk.tf.json must be what the README says each apply's plan shows.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { checkAgainstProviderSchema } from "../../testing";

const root = join(__dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const work = join(root, ".tmp", "readme-blue-green");

function blockAfter(marker: string, fence: string): string {
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README has no '${marker}'`);
  const open = readme.indexOf("```" + fence + "\n", start);
  const close = readme.indexOf("\n```", open + 4);
  return readme.slice(open + fence.length + 4, close + 1);
}

/** `from "keykit"` → this checkout's constructs (through a shim while the package index does not export them yet). */
function keykitModule(): string {
  const index = readFileSync(join(root, "constructs", "index.ts"), "utf8");
  const constructs = relative(work, join(root, "constructs")).split("\\").join("/");
  if (/\bBlueGreenApiKey\b/.test(index) && /\bVaultKvSecretSink\b/.test(index)) return constructs;
  writeFileSync(
    join(work, "keykit-shim.ts"),
    [
      `export * from "${constructs}";`,
      `export { GlobalApiKey } from "${constructs}/global-api-key";`,
      `export { BlueGreenApiKey } from "${constructs}/blue-green-api-key";`,
      `export { VaultKvSecretSink } from "${constructs}/secret-sinks";`,
      "",
    ].join("\n"),
  );
  return "./keykit-shim";
}

type Json = { resource: Record<string, Record<string, Record<string, unknown>>>; output?: unknown };

function synth(): Json {
  const result = spawnSync(process.execPath, ["--import", "tsx", "app.ts"], {
    cwd: work,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(join(work, "cdktf.out", "stacks", "payments-prod", "cdk.tf.json"), "utf8")) as Json;
}

function keykit(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", join(root, "cli", "main.ts"), ...args], {
    cwd: work,
    encoding: "utf8",
  });
}

/** What a plan between two configurations would do, by address (ignoring "//" comments and lifecycle). */
function planOf(before: Json, after: Json): string[] {
  const strip = (body: Record<string, unknown>) => {
    const rest = { ...body };
    delete rest["//"];
    delete rest.lifecycle;
    return JSON.stringify(rest);
  };
  const actions: string[] = [];
  for (const type of new Set([...Object.keys(before.resource), ...Object.keys(after.resource)])) {
    const b = before.resource[type] ?? {};
    const a = after.resource[type] ?? {};
    for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (!b[name]) actions.push(`create ${type}.${name}`);
      else if (!a[name]) actions.push(`delete ${type}.${name}`);
      else if (strip(a[name]) !== strip(b[name])) actions.push(`update ${type}.${name}`);
    }
  }
  return actions.sort();
}

describe("README: global key for three resources and a blue/green key published to Vault", () => {
  beforeAll(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const example = blockAfter("<!-- readme-example: global-and-blue-green -->", "ts");
    writeFileSync(join(work, "app.ts"), example.replace(/from "keykit"/g, `from "${keykitModule()}"`));
  });

  test("the example type-checks under strict settings", () => {
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
        join(work, "app.ts"),
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  test("synthesize, rotate start (only creations), rotate finish (only the old slot's deletion)", () => {
    const initial = synth();
    expect(checkAgainstProviderSchema(initial)).toEqual([]);
    const keys = initial.resource.confluent_api_key;
    const global = Object.values(keys).find((k) => (k.managed_resource as { kind?: string })?.kind === "Global");
    expect(((global?.["//"] as { keykit: { serves: unknown[] } }).keykit.serves ?? []).length).toBe(3);
    expect(Object.keys(keys)).toContain("PaymentsWriter_Blue_DF9C9644"); // the address the README shows
    expect(Object.keys(initial.resource.vault_kv_secret_v2)).toHaveLength(2);

    const status = keykit("rotate", "status");
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(blockAfter("**1. Look.**", "text").split("\n")[1]);

    const start = keykit("rotate", "start", "payments-writer");
    expect(start.stderr).toBe("");
    expect(start.status).toBe(0);
    expect(start.stdout).toBe(blockAfter("**2. Start.**", "text"));
    const started = synth();
    expect(planOf(initial, started)).toEqual([
      "create confluent_api_key.PaymentsWriter_Green_1D975759",
      "update vault_kv_secret_v2.PaymentsWriter_PublishedSecret_A4A64377",
    ]);

    const finish = keykit("rotate", "finish", "payments-writer");
    expect(finish.status).toBe(0);
    expect(finish.stdout).toBe(blockAfter("**4. Finish.**", "text"));
    const finished = synth();
    expect(planOf(started, finished)).toEqual(["delete confluent_api_key.PaymentsWriter_Blue_DF9C9644"]);

    // The documented refusals, word for word.
    const refusals = blockAfter("Out-of-order steps are refused", "text")
      .split("\n")
      .filter((l) => l.startsWith("keykit:"));
    expect(refusals).toHaveLength(3);
    const blueRetained = keykit("rotate", "finish", "payments-writer");
    expect(blueRetained.status).toBe(1);
    expect(blueRetained.stderr.trim()).toBe(refusals[0]);
    const unknown = keykit("rotate", "start", "billing");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe(refusals[2]);
  });
});
