/**
 * The CLI grammar, defaults, config file and report formats, through the BUILT bin (dist/cli/main.js) as a
 * subprocess, the way a user or a CI job runs it (helpers in bin-helpers.ts; the rest of issue #13's behaviours are
 * in built-bin-behaviours.test.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { GRAMMAR } from "../../cli/grammar";
import {
  ROOT,
  clusterKeyTf,
  expectOneLine,
  keykit,
  project,
  requireFreshBuild,
  serviceAccountOwner,
  serviceAccountTf,
} from "./bin-helpers";

requireFreshBuild();

/** A hand-written root module: a hard-coded provider key (KK007 error), an unrotated key (KK003 warning), an idle SA. */
const MAIN_TF = `terraform {
  required_providers {
    confluent = {
      source = "confluentinc/confluent"
    }
  }
}

provider "confluent" {
  cloud_api_key    = "HARDCODEDKEY0001"
  cloud_api_secret = "literal-secret-in-code"
}

${serviceAccountTf("orders", "orders-app")}
${serviceAccountTf("idle", "idle-app")}
${clusterKeyTf("orders", "orders-kafka", serviceAccountOwner("orders"))}`;

/** The same module without the hard-coded credentials: warnings only. */
const WARNINGS_ONLY_TF = MAIN_TF.replace(/provider "confluent" \{[^}]*\}\n/, "");

function withModule(text = MAIN_TF): string {
  const dir = project();
  // A repository of its own: SARIF and GitLab paths are relative to the repository's top level.
  mkdirSync(join(dir, ".git"));
  mkdirSync(join(dir, "infra"));
  writeFileSync(join(dir, "infra", "main.tf"), text);
  return dir;
}

describe("grammar", () => {
  const dir = project();

  it("prints the usage on stderr and exits 2 with no command", () => {
    const r = keykit(dir, []);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^usage: keykit <command>/);
    for (const c of GRAMMAR) expect(r.stderr).toContain(`  ${c.name} `);
  });

  it("prints the package's version", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    const r = keykit(dir, ["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it.each(GRAMMAR.map((c) => c.name))("`help %s`, `%s --help` and `-h` print the same generated help", (name) => {
    const help = keykit(dir, ["help", name]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^usage: keykit ${name} `));
    expect(keykit(dir, [name, "--help"]).stdout).toBe(help.stdout);
    expect(keykit(dir, [name, "-h"]).stdout).toBe(help.stdout);
    const spec = GRAMMAR.find((c) => c.name === name);
    for (const flag of spec?.flags ?? []) expect(help.stdout).toContain(`--${flag.name}`);
  });

  it("suggests the nearest command and flag", () => {
    expectOneLine(keykit(dir, ["chek"]), /unknown command 'chek'; did you mean 'check'\?/);
    expectOneLine(
      keykit(dir, ["check", "--fail-onn", "error"]),
      /unknown option '--fail-onn'; did you mean '--fail-on'\?/,
    );
    expectOneLine(keykit(dir, ["audit", "--inventroy", "x.json"]), /did you mean '--inventory'\?/);
  });

  it("never lets a value flag take the next flag as its value", () => {
    const work = withModule();
    const r = keykit(work, ["check", "infra", "--output", "--fail-on", "warning"]);
    expectOneLine(r, /check: --output needs a value/);
    expect(existsSync(join(work, "--fail-on"))).toBe(false);
    expectOneLine(keykit(work, ["audit", "--format", "--live"]), /audit: --format needs a value/);
  });

  it.each([
    ["check", ["check", "infra", "--format", "json", "--format", "sarif"], /check: --format given twice/],
    ["audit", ["audit", "--live", "--tier", "production", "--tier", "development"], /audit: --tier given twice/],
    ["rotate", ["rotate", "status", "--format", "json", "--format", "text"], /rotate: --format given twice/],
    ["verify", ["verify", "orders", "--wait", "1m", "--wait=2m"], /verify: --wait given twice/],
    ["rules", ["rules", "--format", "json", "--format", "text"], /rules: --format given twice/],
  ])("refuses a repeated single-value flag in %s", (_name, args, pattern) => {
    expectOneLine(keykit(withModule(), args), pattern);
  });

  it("takes --fail-on error|warning|info|none in every reporting command", () => {
    const work = withModule(WARNINGS_ONLY_TF);
    expect(keykit(work, ["check", "infra", "--fail-on", "error"]).code).toBe(0);
    expect(keykit(work, ["check", "infra", "--fail-on", "warning"]).code).toBe(1);
    expect(keykit(work, ["check", "infra", "--fail-on", "info"]).code).toBe(1);
    expect(keykit(withModule(), ["check", "infra", "--fail-on", "none"]).code).toBe(0);
    expectOneLine(keykit(work, ["check", "infra", "--fail-on", "fatal"]), /must be one of error, warning, info, none/);
    expectOneLine(keykit(work, ["audit", "--live", "--fail-on", "fatal"]), /must be one of error, warning, info, none/);
  });
});

describe("defaults", () => {
  it("checks ./cdktf.out when it exists, else the current directory", () => {
    const bare = withModule();
    const inDir = keykit(join(bare, "infra"), ["check", "--format", "json"]);
    expect(inDir.code).toBe(1);
    expect((JSON.parse(inDir.stdout) as { inputs: { source: string }[] }).inputs.length).toBeGreaterThan(0);
    const synthesized = project();
    const stack = join(synthesized, "cdktf.out", "stacks", "app");
    mkdirSync(stack, { recursive: true });
    writeFileSync(join(stack, "cdk.tf.json"), JSON.stringify({ resource: {} }));
    // A broken .tf next to cdktf.out proves the default did not read the directory itself.
    writeFileSync(join(synthesized, "broken.tf"), 'resource "x" "y" {');
    const r = keykit(synthesized, ["check", "--format", "json"]);
    expect(r.stderr).toBe("");
    const sources = (JSON.parse(r.stdout) as { inputs: { source: string }[] }).inputs.map((i) => i.source);
    expect(sources.every((s) => s.startsWith("cdktf.out"))).toBe(true);
  });

  it("shows the named rules in full, and names the nearest for an unknown one", () => {
    const dir = project();
    const r = keykit(dir, ["rules", "KK003", "kk011"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KK003 ApiKeyUnderRotation \[warning\]/);
    expect(r.stdout).toMatch(/\n {2}why: .+\n {2}fix: .+\n/);
    expect(r.stdout).toContain("KK011 RotationSpansTwoApplies [error]");
    expect(r.stdout).not.toContain("KK001");
    expectOneLine(keykit(dir, ["rules", "KK0111"]), /no rule 'KK0111'; did you mean 'KK011'\?/);
  });
});

describe("keykit.config.json", () => {
  it("sets the defaults; environment beats the file and flags beat both", () => {
    const work = withModule(WARNINGS_ONLY_TF);
    writeFileSync(join(work, "keykit.config.json"), JSON.stringify({ failOn: "warning", skipRules: ["KK008"] }));
    // Found from a subdirectory upwards.
    const sub = join(work, "infra");
    const fromFile = keykit(sub, ["check", "--format", "json"]);
    expect(fromFile.code).toBe(1);
    const ids = (JSON.parse(fromFile.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(ids).toContain("KK003");
    expect(ids).not.toContain("KK008");
    expect(keykit(sub, ["check"], { KEYKIT_FAIL_ON: "error" }).code).toBe(0);
    expect(keykit(sub, ["check", "--fail-on", "warning"], { KEYKIT_FAIL_ON: "error" }).code).toBe(1);
  });

  it.each([
    [
      "an unknown field",
      { failOnn: "error" },
      /keykit\.config\.json: the file has an unknown field 'failOnn' \(allowed: \$schema, failOn, maxAgeDays, acknowledgements, rotationState, skipRules, verify\)$/m,
    ],
    [
      "an unknown field whose name is not plain",
      { "x y\u0007": 1 },
      /keykit\.config\.json: the file has an unknown field \(allowed: /,
    ],
    ["a wrong level", { failOn: "fatal" }, /keykit\.config\.json: failOn must be equal to one of the allowed values/],
    ["a bad age", { maxAgeDays: 0 }, /keykit\.config\.json: maxAgeDays must be >= 1/],
    ["an unknown rule", { skipRules: ["KK999"] }, /skipRules: no rule 'KK999'/],
  ])("refuses %s in one line, without the value", (_name, config, pattern) => {
    const work = withModule();
    writeFileSync(join(work, "keykit.config.json"), JSON.stringify(config));
    const r = keykit(work, ["check", "infra"]);
    expectOneLine(r, pattern);
    expect(r.stderr).not.toContain("fatal");
  });
});

describe("reports", () => {
  it("a report far larger than a pipe's buffer arrives whole (the bin exits only once stdout is flushed)", () => {
    // 600 user-owned keys: KK001 on each, a JSON report of several hundred KiB through the pipe to this process.
    const keys = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [
        `dev${i}`,
        {
          display_name: `dev-${i}`,
          owner: { id: `u-dev${i}`, api_version: "iam/v2", kind: "User" },
          managed_resource: {
            id: "lkc-abc123",
            api_version: "cmk/v2",
            kind: "Cluster",
            environment: { id: "env-abc123" },
          },
        },
      ]),
    );
    const dir = project();
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ resource: { confluent_api_key: keys } }));
    const r = keykit(dir, ["check", "cdk.tf.json", "--format", "json", "--fail-on", "none"]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(256 * 1024);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[] };
    expect(report.findings.filter((f) => f.ruleId === "KK001")).toHaveLength(600);
  });

  it("SARIF validates against the SARIF 2.1.0 schema and carries security-severity and helpUri per rule", () => {
    const work = withModule();
    const r = keykit(work, ["check", "infra", "--format", "sarif"]);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(join(ROOT, "__tests__/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"));
    // The schema is draft-04 (`id`); ajv reads it as the draft-07 it is compatible with.
    const body = { ...schema, $id: schema.id };
    delete body.$schema;
    delete body.id;
    const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(body);
    expect(validate.errors).toBeNull();
    expect(validate(sarif)).toBe(true);
    // The validator can fail: a log with a wrong version or a result without a message is refused.
    expect(validate({ ...sarif, version: "2.0.0" })).toBe(false);
    expect(validate({ ...sarif, runs: [{ ...sarif.runs[0], results: [{ ruleId: "KK007" }] }] })).toBe(false);
    const rules = sarif.runs[0].tool.driver.rules as {
      id: string;
      helpUri: string;
      defaultConfiguration: { level: string };
      properties: { "security-severity": string };
    }[];
    expect(sarif.runs[0].tool.driver.informationUri).toMatch(/^https:\/\//);
    for (const rule of rules) {
      const score = Number(rule.properties["security-severity"]);
      if (rule.defaultConfiguration.level === "error") expect(score).toBeGreaterThanOrEqual(7);
      if (rule.defaultConfiguration.level === "warning") expect(score >= 4 && score < 7).toBe(true);
    }
    expect(new Set(rules.map((x) => x.helpUri)).size).toBeGreaterThan(4);
    const kk007 = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "KK007");
    expect(kk007.locations[0].physicalLocation.region.startLine).toBe(9);
  });

  it("JUnit fails only at or above --fail-on; below it the finding is in system-out", () => {
    const work = withModule(WARNINGS_ONLY_TF);
    const atError = keykit(work, ["check", "infra", "--format", "junit"]);
    expect(atError.code).toBe(0);
    expect(atError.stdout).toMatch(/<testsuites [^>]*failures="0"/);
    expect(atError.stdout).toMatch(/<system-out>warning: /);
    const atWarning = keykit(work, ["check", "infra", "--format", "junit", "--fail-on", "warning"]);
    expect(atWarning.code).toBe(1);
    expect(atWarning.stdout).toMatch(/<failure type="warning"/);
  });

  it("text: a symbol per severity, colour only when asked for, control characters escaped, --quiet", () => {
    const hostile = MAIN_TF.replace(
      'resource "confluent_service_account" "idle"',
      'resource "confluent_service_account" "idle\u001b[2J"',
    );
    const work = withModule(hostile);
    const plain = keykit(work, ["check", "infra"]);
    expect(plain.stdout).toMatch(/ {2}✗ /);
    expect(plain.stdout).toMatch(/ {2}⚠ /);
    expect(plain.stdout).not.toContain("\u001b");
    expect(plain.stdout).toContain("\\x1b[2J");
    expect(keykit(work, ["check", "infra"], { FORCE_COLOR: "1" }).stdout).toContain("\u001b[31m✗\u001b[0m");
    expect(keykit(work, ["check", "infra"], { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout).not.toContain("\u001b[");
    const quiet = keykit(work, ["check", "infra", "--quiet"]);
    expect(quiet.stdout).toContain("KK007");
    expect(quiet.stdout).not.toContain("KK003");
  });

  it("Markdown starts with its marker and groups past 10 findings per rule", () => {
    const many = Array.from(
      { length: 12 },
      (_, i) => `resource "confluent_service_account" "idle${i}" {\n  display_name = "idle-${i}"\n}\n`,
    ).join("\n");
    const work = withModule(WARNINGS_ONLY_TF + many);
    const md = keykit(work, ["check", "infra", "--format", "markdown"]).stdout;
    expect(md.split("\n")[0]).toBe("<!-- keykit:check -->");
    expect(md).toMatch(/<details><summary>KK008 [^<]*: 13 findings<\/summary>/);
    const few = keykit(withModule(), ["check", "infra", "--format", "markdown"]).stdout;
    expect(few).not.toContain("<details><summary>KK");
    expect(few).toContain("| Severity | Rule | Resource | Finding |");
  });

  it("GitLab Code Quality JSON names each finding's rule, place and a stable fingerprint", () => {
    const work = withModule();
    const first = JSON.parse(keykit(work, ["check", "infra", "--format", "gitlab"]).stdout);
    const again = JSON.parse(keykit(work, ["check", "infra", "--format", "gitlab"]).stdout);
    const kk007 = first.find((i: { check_name: string }) => i.check_name === "KK007");
    expect(kk007).toMatchObject({ severity: "critical", location: { path: "infra/main.tf", lines: { begin: 9 } } });
    expect(kk007.description).toMatch(/^KK007 /);
    expect(first.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(
      again.map((i: { fingerprint: string }) => i.fingerprint),
    );
    expect(new Set(first.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(first.length);
  });
});
