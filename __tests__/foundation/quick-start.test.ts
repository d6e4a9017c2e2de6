/**
 * The README's Quick start and the CDK Terrain guide's store providers, run as a new user would, on cdktf (the
 * cdktn examples with their imports turned back: `npm run test:cdktn` runs them on cdktn itself): extracted, pointed
 * at this checkout, type-checked under strict settings, synthesized, and the stack checked.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { checkAgainstProviderSchema } from "../../testing";
import { cdktnToCdktf, docBlockAfter, typecheck, writeExample } from "../helpers/docs";
import { BIN, requireFreshBuild } from "../cli/bin-helpers";
import { runPath } from "../helpers/run-dir";

requireFreshBuild();

const work = runPath("quick-start");

type Resource = Record<string, unknown> & { owner?: { kind: string }; managed_resource?: { kind?: string } };
type Stack = {
  resource: Record<string, Record<string, Resource>>;
  provider: Record<string, Record<string, unknown>[]>;
  terraform: { required_providers: Record<string, { source: string; version: string }> };
};

function synth(name: string, code: string, stack: string): Stack {
  const file = writeExample(work, `${name}.ts`, code);
  const tsc = typecheck(file);
  expect(tsc.output).toBe("");
  expect(tsc.status).toBe(0);
  const outdir = join(work, `${name}.out`);
  const result = spawnSync(process.execPath, ["--import", "tsx", file], {
    cwd: work,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as Stack;
}

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
});

describe("README Quick start", () => {
  const cdktn = docBlockAfter("README.md", "<!-- example: quickstart -->", "ts");

  test("is written for CDK Terrain, with no name the kit does not export from keykit/cdktn", () => {
    expect(cdktn).toMatch(/^import \{ App \} from "cdktn";$/m);
    expect(cdktn).not.toMatch(/from "(cdktf|keykit|@cdktf\/[a-z-]+(\/.*)?)"/);
  });

  test("synthesizes one key per construct, each owned by a service account and published to Vault", () => {
    const json = synth("quickstart", cdktnToCdktf(cdktn), "orders-prod");
    expect(checkAgainstProviderSchema(json)).toEqual([]);
    const keys = json.resource.confluent_api_key;
    expect(Object.keys(keys).sort()).toEqual([
      "OrdersEnricher_ApiKey_9ED7EEFE",
      "OrdersWriter_Blue_FDB0B1AC",
      "SchemaPublisher_ApiKey_3D87B6B5",
    ]);
    for (const key of Object.values(keys)) expect(key.owner?.kind).toBe("ServiceAccount");
    expect(keys.OrdersEnricher_ApiKey_9ED7EEFE.managed_resource?.kind).toBe("Global");
    expect(Object.keys(json.resource.vault_kv_secret_v2)).toHaveLength(3);
    expect(json.terraform.required_providers.vault).toEqual({ source: "hashicorp/vault", version: "5.6.0" });
  });

  test("keykit check on its output warns about the two keys that do not rotate blue/green, as the README says", () => {
    const check = spawnSync(process.execPath, [BIN, "check", "quickstart.out", "--format", "json"], {
      cwd: work,
      encoding: "utf8",
    });
    expect(check.status).toBe(0);
    const report = JSON.parse(check.stdout) as { findings: { ruleId: string; severity: string; subject: string }[] };
    const subjects = report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.subject}`).sort();
    expect(subjects).toEqual([
      "KK003 warning confluent_api_key.OrdersEnricher_ApiKey_9ED7EEFE",
      "KK003 warning confluent_api_key.SchemaPublisher_ApiKey_3D87B6B5",
    ]);
  });

  test("its cdktf imports are the cdktf twin's", () => {
    const imports = docBlockAfter("README.md", "<!-- example: quickstart-cdktf-imports -->", "ts");
    const twin = cdktnToCdktf(cdktn);
    const lines = imports.trim().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(twin).toContain(line);
  });
});

describe("CDK Terrain guide: store providers", () => {
  const cdktn = docBlockAfter("docs/cdktn-guide.md", "<!-- example: cdktn-store-providers -->", "ts");

  test("declares a provider for every store, pinned to the versions the sinks are written for", () => {
    expect(cdktn).toMatch(/from "keykit\/cdktn"/);
    const json = synth("store-providers", cdktnToCdktf(cdktn), "stores-prod");
    expect(json.terraform.required_providers).toEqual({
      aws: { source: "hashicorp/aws", version: "6.25.0" },
      azurerm: { source: "hashicorp/azurerm", version: "4.55.0" },
      google: { source: "hashicorp/google", version: "6.50.0" },
      kubernetes: { source: "hashicorp/kubernetes", version: "2.38.0" },
      vault: { source: "hashicorp/vault", version: "5.6.0" },
    });
    expect(json.provider.azurerm).toEqual([{ features: [{}] }]);
    expect(json.provider.google).toEqual([{ project: "orders-prod" }]);
    expect(json.provider.kubernetes).toEqual([{ config_path: "~/.kube/config" }]);
    expect(json.provider.aws).toEqual([{ region: "eu-central-1" }]);
  });
});
