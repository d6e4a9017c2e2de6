/**
 * Findings on the lines a reviewer sees: an app in a subdirectory of a repository (`apps/orders/main.ts`) is
 * synthesized the way its framework runs it (tsx, with source maps), then the BUILT bin checks `cdktf.out` from the
 * app's directory. SARIF (validated against the SARIF 2.1.0 schema), GitLab and Markdown point at the line of
 * `main.ts` that created the construct, relative to the repository's top level (or `--source-root`), and SARIF keeps
 * the synthesized file as a related location.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Ajv from "ajv";
import { ROOT, keykit, requireFreshBuild } from "./bin-helpers";

requireFreshBuild();

const MAIN_TS = (repo: string) => `import { App } from "cdktf";
import { ConfluentProvider } from "${repo}/.gen/providers/confluent/provider";
import { KeyScope, KeykitStack, ServiceAccountWithKey } from "${repo}/constructs";

const app = new App({ outdir: "cdktf.out" });
const stack = new KeykitStack(app, "orders", { tier: "development" });
new ConfluentProvider(stack, "confluent", {});

const scope = KeyScope.kafkaCluster({ clusterId: "lkc-abc123", environment: "env-abc123", type: "standard" });
// A user-owned key, allowed in development: KK003 reports it.
new ServiceAccountWithKey(stack, "Sandbox", {
  scope,
  owner: { id: "u-abc123" },
  allowUserOwner: { reason: "a personal sandbox key for exploring the cluster" },
});
app.synth();
`;

let repo: string;
let app: string;
let constructLine: number;
let stackFile: string;

beforeAll(() => {
  repo = mkdtempSync(join(process.env.TMPDIR ?? join(ROOT, ".tmp"), "keykit-repo-"));
  mkdirSync(join(repo, ".git"));
  app = join(repo, "apps", "orders");
  mkdirSync(app, { recursive: true });
  const source = MAIN_TS(ROOT);
  writeFileSync(join(app, "main.ts"), source);
  constructLine = source.split("\n").findIndex((l) => l.startsWith("new ServiceAccountWithKey(")) + 1;
  const synth = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), ["main.ts"], {
    cwd: app,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(synth.stderr).toBe("");
  expect(synth.status).toBe(0);
  stackFile = join(app, "cdktf.out", "stacks", "orders", "cdk.tf.json");
}, 150_000);

afterAll(() => rmSync(repo, { recursive: true, force: true }));

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split("\n").length;
}

interface SarifResult {
  ruleId: string;
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: unknown } }[];
  relatedLocations?: { physicalLocation: { artifactLocation: unknown; region: { startLine: number } } }[];
}

function validator() {
  const schema = JSON.parse(readFileSync(join(ROOT, "__tests__/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"));
  // The schema is draft-04 (`id`); ajv reads it as the draft-07 it is compatible with.
  const body = { ...schema, $id: schema.id };
  delete body.$schema;
  delete body.id;
  return new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false }).compile(body);
}

describe("findings on a synthesized stack point at the construct's line in main.ts", () => {
  it("the synthesized resource records where main.ts created the construct", () => {
    const json = JSON.parse(readFileSync(stackFile, "utf8"));
    const keys = Object.values(json.resource.confluent_api_key) as { "//": { keykit: { origin: unknown } } }[];
    expect(keys.map((k) => k["//"].keykit.origin)).toEqual([{ file: "main.ts", line: constructLine }]);
  });

  it("SARIF: main.ts and its line, relative to the repository root, the synthesized file related; schema-valid", () => {
    const r = keykit(app, ["check", "cdktf.out", "--format", "sarif", "--fail-on", "none"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const sarif = JSON.parse(r.stdout);
    const validate = validator();
    expect(validate(sarif)).toBe(true);
    // The validator can fail: a related location without a physical or logical location's shape is refused.
    expect(validate({ ...sarif, runs: [{ ...sarif.runs[0], originalUriBaseIds: { "%SRCROOT%": 1 } }] })).toBe(false);
    const run = sarif.runs[0];
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `${pathToFileURL(repo).href}/` } });
    const kk003 = (run.results as SarifResult[]).find((x) => x.ruleId === "KK003");
    expect(kk003?.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "apps/orders/main.ts", uriBaseId: "%SRCROOT%" },
      region: { startLine: constructLine },
    });
    const stackText = readFileSync(stackFile, "utf8");
    const keyName = Object.keys(JSON.parse(stackText).resource.confluent_api_key)[0];
    expect(kk003?.relatedLocations?.[0].physicalLocation).toEqual({
      artifactLocation: { uri: "apps/orders/cdktf.out/stacks/orders/cdk.tf.json", uriBaseId: "%SRCROOT%" },
      region: { startLine: lineOf(stackText, `"${keyName}": {`) },
    });
  });

  it("--source-root overrides the repository root; GitLab and Markdown name the same line", () => {
    const sarif = JSON.parse(
      keykit(app, ["check", "cdktf.out", "--format", "sarif", "--fail-on", "none", "--source-root", "."]).stdout,
    );
    const kk003 = (sarif.runs[0].results as SarifResult[]).find((x) => x.ruleId === "KK003");
    expect(kk003?.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "main.ts", uriBaseId: "%SRCROOT%" });
    const gitlab = JSON.parse(keykit(app, ["check", "cdktf.out", "--format", "gitlab", "--fail-on", "none"]).stdout);
    expect(gitlab.find((i: { check_name: string }) => i.check_name === "KK003").location).toEqual({
      path: "apps/orders/main.ts",
      lines: { begin: constructLine },
    });
    const markdown = keykit(app, ["check", "cdktf.out", "--format", "markdown", "--fail-on", "none"]).stdout;
    expect(markdown).toContain(`main.ts:${constructLine}`);
    const missing = keykit(app, ["check", "cdktf.out", "--format", "sarif", "--source-root", "nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("keykit: check: --source-root: nope: no such directory\n");
  });
});
