/**
 * `keykit check <top directory>` on hand-written configurations in the shapes teams use (fixtures/realistic): nested
 * live/<env> roots, a topic-per-team local module, a cluster link between two clusters with mirror topics, a schema
 * exporter, keys published to each secret store, registry/git modules, a broken root and a cdktf.out. No false error,
 * every key seen, every planted violation caught at its block's line.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { runKeykit } from "../audit/helpers";
import { join } from "node:path";
import { readInputs } from "../../policies/loaders/input";
import type { Report } from "../../policies/report";

const FIXTURE = join(__dirname, "..", "fixtures", "realistic");

/** The in-process CLI through the shared helper (stdout, stderr, exit code). */
function cli(args: string[], cwd: string) {
  return runKeykit(args, { cwd });
}

/** The 1-based line of the block header `kind "a" "b"` in a fixture file (read, not hard-coded). */
function headerLine(file: string, header: string): number {
  const lines = readFileSync(join(FIXTURE, file), "utf8").split("\n");
  const index = lines.findIndex((l) => l.startsWith(header));
  if (index === -1) throw new Error(`${header} not in ${file}`);
  return index + 1;
}

/** The line of a block's own argument (`  content  = …`) after its header. */
function argumentLine(file: string, header: string, argument: string): number {
  const lines = readFileSync(join(FIXTURE, file), "utf8").split("\n");
  const index = lines.findIndex((l, i) => i >= headerLine(file, header) && new RegExp(`^  ${argument}\\s*=`).test(l));
  if (index === -1) throw new Error(`${argument} of ${header} not in ${file}`);
  return index + 1;
}

/** A copy of the fixture with the directories a scanner must skip (they cannot be committed: .gitignore). */
function workspace(): string {
  const root = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "realistic-"));
  // The workspace is the repository's top level: SARIF paths are relative to it.
  mkdirSync(join(root, ".git"));
  cpSync(FIXTURE, join(root, "repo"), { recursive: true });
  const planted = 'resource "local_file" "f" {\n  content  = confluent_api_key.nope.secret\n  filename = "x"\n}\n';
  for (const skipped of [".terraform/modules/cached", "node_modules/pkg", ".github/terraform"]) {
    mkdirSync(join(root, "repo", skipped), { recursive: true });
    writeFileSync(join(root, "repo", skipped, "main.tf"), planted);
  }
  return root;
}

describe("keykit check on a realistic repository", () => {
  let cwd: string;
  let report: Report;
  let code: number;
  beforeAll(async () => {
    cwd = workspace();
    const run = await cli(["check", "repo", "--format", "json", "--now", "2026-12-01"], cwd);
    code = run.code;
    report = JSON.parse(run.stdout) as Report;
  });
  const subjects = (rule: string) =>
    report.findings
      .filter((f) => f.ruleId === rule)
      .map((f) => f.subject)
      .sort();

  it("reports each root, cdk.tf.json stack and cdktf.out as its own input, skipping modules and hidden/vendored dirs", () => {
    expect(report.inputs.map((i) => `${i.source} ${i.kind}`)).toEqual([
      "repo/apps/orders/cdktf.out/stacks/orders/cdk.tf.json cdktf-json",
      "repo/examples/registry-module hcl",
      "repo/live/broken hcl",
      "repo/live/dev hcl",
      "repo/live/prod hcl",
    ]);
    expect(code).toBe(1);
  });

  it("raises no KK006 on credential consumers (cluster link, mirror topic, schema exporter, topics) or on stores", () => {
    expect(subjects("KK006")).toEqual(["aws_ssm_parameter.plain", "local_file.dotenv"]);
  });

  it("catches each planted violation", () => {
    expect(subjects("KK005")).toEqual(["output.kafka_secret"]);
    expect(subjects("KK007")).toEqual(["provider.confluent"]);
    expect(subjects("KK008")).toEqual(["confluent_service_account.leftover"]);
    expect(subjects("KK001")).toEqual(["confluent_api_key.personal_key"]);
  });

  it("lists registry and git modules and the unparsable root as notes", () => {
    const notes = report.inputs.flatMap((i) => i.notes);
    expect(notes.filter((n) => n.includes("registry, git or remote module source is not checked"))).toHaveLength(2);
    expect(notes.some((n) => n.startsWith("not checked: repo/live/broken/main.tf: not valid HCL"))).toBe(true);
  });

  it("sees every key, including those inside the module called twice", async () => {
    const models = await readInputs(["repo"], { cwd });
    const keys = models.flatMap((m) => m.apiKeys.map((k) => k.address)).sort();
    expect(keys).toEqual([
      "confluent_api_key.east_link",
      "confluent_api_key.orders_key",
      "confluent_api_key.personal_key",
      "confluent_api_key.registry_exporter",
      "confluent_api_key.west_link",
      "module.dev_topics.confluent_api_key.team",
      "module.orders_topics.confluent_api_key.team",
    ]);
    const prod = models.find((m) => m.source === "repo/live/prod");
    const teamKey = prod?.apiKeys.find((k) => k.address === "module.orders_topics.confluent_api_key.team");
    // The owner crossed the module boundary as a reference to the root's service account.
    expect(teamKey?.owner).toMatchObject({ kind: "service-account", key: "confluent_service_account.orders" });
    expect(teamKey?.scope).toMatchObject({ kind: "kafka", id: "confluent_kafka_cluster.east" });
    // Every store of the stores module holds the team key (through the module outputs).
    expect(prod?.secretStores.map((s) => [s.type, s.keyAddresses]).sort()).toEqual(
      [
        "aws_secretsmanager_secret_version",
        "aws_ssm_parameter",
        "azurerm_key_vault_secret",
        "google_secret_manager_secret_version",
        "kubernetes_secret_v1",
        "vault_generic_secret",
        "vault_kv_secret_v2",
      ].map((t) => [t, ["module.orders_topics.confluent_api_key.team"]]),
    );
  });

  it("points each finding at its block's line in the file that declares it", () => {
    const at = (subject: string) => report.findings.find((f) => f.subject === subject)?.location;
    // A finding about a written secret points at the argument that writes it.
    expect(at("local_file.dotenv")).toMatchObject({
      file: "repo/live/dev/main.tf",
      line: argumentLine("live/dev/main.tf", 'resource "local_file" "dotenv"', "content"),
    });
    expect(at("module.dev_topics.confluent_api_key.team")).toMatchObject({
      file: "repo/modules/team-topics/main.tf",
      line: headerLine("modules/team-topics/main.tf", 'resource "confluent_api_key" "team"'),
    });
    expect(at("output.kafka_secret")?.line).toBe(headerLine("live/dev/main.tf", 'output "kafka_secret"'));
    const personal = at("confluent_api_key.personal_key");
    const stack = "apps/orders/cdktf.out/stacks/orders/cdk.tf.json";
    expect(personal).toMatchObject({ file: `repo/${stack}`, constructPath: "orders/personal-key" });
    expect(personal?.line).toBe(headerLine(stack, '      "personal_key": {'));
  });

  it("SARIF from an HCL root points at the offending block (start and end line) or the argument writing a secret", async () => {
    // The scanned tree holds the root and its modules (live/dev alone would leave ../../modules unread, with a note).
    const run = await cli(["check", "repo", "--format", "sarif", "--now", "2026-12-01"], cwd);
    const sarif = JSON.parse(run.stdout) as {
      runs: {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; endLine?: number } };
          }[];
        }[];
      }[];
    };
    const sink = sarif.runs[0].results.find(
      (r) =>
        r.ruleId === "KK006" &&
        r.locations[0].physicalLocation.artifactLocation.uri === "repo/live/dev/main.tf" &&
        r.locations[0].physicalLocation.region.startLine ===
          argumentLine("live/dev/main.tf", 'resource "local_file" "dotenv"', "content"),
    );
    expect(sink?.locations[0].physicalLocation.artifactLocation.uri).toBe("repo/live/dev/main.tf");
    const output = sarif.runs[0].results.find(
      (r) => r.ruleId === "KK005" && r.locations[0].physicalLocation.artifactLocation.uri === "repo/live/dev/main.tf",
    );
    const start = headerLine("live/dev/main.tf", 'output "kafka_secret"');
    expect(output?.locations[0].physicalLocation.region).toMatchObject({ startLine: start, endLine: start + 2 });
  });

  it("refuses (exit 2) only a directory with nothing checkable at any depth", async () => {
    const empty = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "empty-"));
    mkdirSync(join(empty, "docs", "deep"), { recursive: true });
    writeFileSync(join(empty, "docs", "deep", "README.md"), "nothing here");
    mkdirSync(join(empty, ".terraform", "modules"), { recursive: true });
    writeFileSync(join(empty, ".terraform", "modules", "main.tf"), planted());
    const run = await cli(["check", "."], empty);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("at any depth");
  });
});

function planted(): string {
  return 'resource "confluent_service_account" "x" {\n  display_name = "x"\n}\n';
}
