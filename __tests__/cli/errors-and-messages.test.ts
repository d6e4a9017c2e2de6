/** One error type with its exit code, KK000 for a rule that throws, and the messages issue #13 asked for. */
import { reportError } from "../../cli/main";
import { EXIT_INTERNAL, EXIT_USAGE, KeykitCliError } from "../../cli/errors";
import { KeyScope, ScopeError } from "../../constructs";
import { evaluate } from "../../policies/engine";
import { loadHclFiles } from "../../policies/loaders/hcl";
import { formatReport } from "../../policies/reporters";
import type { Rule } from "../../policies/rule";
import { ALL_RULES } from "../../policies/rules";
import { RULE_CATALOGUE } from "../../policies/rules/catalogue";

function capture() {
  let stderr = "";
  return {
    io: { stdout: () => undefined, stderr: (t: string) => (stderr += t), cwd: ".", env: {}, isTty: false },
    err: () => stderr,
  };
}

const PROVIDERS_TF = `
provider "confluent" {
  cloud_api_key    = "HARDCODEDKEY0001"
  cloud_api_secret = "literal"
}

provider "aws" {
  access_key = "AKIAEXAMPLEEXAMPLE"
  secret_key = "literal"
}
`;

describe("exit codes are carried by the error and mapped once", () => {
  it("a KeykitCliError keeps its code; anything else is an internal error, exit 3, without its message", () => {
    const usage = capture();
    expect(reportError(new KeykitCliError("check: bad", EXIT_USAGE), usage.io)).toBe(2);
    expect(usage.err()).toBe("keykit: check: bad\n");
    const bug = capture();
    expect(reportError(new TypeError("secret-ish input text"), bug.io)).toBe(EXIT_INTERNAL);
    expect(EXIT_INTERNAL).toBe(3);
    expect(bug.err()).toMatch(/^keykit: internal error \(TypeError\)/);
    expect(bug.err()).not.toContain("secret-ish");
  });
});

describe("KK000 internal rule error", () => {
  it("a rule that throws becomes a finding naming it; the other rules still report", async () => {
    const model = await loadHclFiles([{ file: "main.tf", text: PROVIDERS_TF }], { source: "dir" });
    const broken: Rule = {
      ...ALL_RULES[0],
      id: "KK900",
      name: "BrokenRule",
      check: () => {
        throw new RangeError("input fragment HARDCODEDKEY0001");
      },
    };
    const report = evaluate(model, [broken, ...ALL_RULES], [], { now: "2026-12-01" });
    const internal = report.findings.filter((f) => f.ruleId === "KK000");
    expect(internal).toHaveLength(1);
    expect(internal[0].message).toMatch(/^internal rule error: KK900 BrokenRule failed \(RangeError\)/);
    expect(internal[0].message).not.toContain("HARDCODEDKEY0001");
    expect(internal[0].severity).toBe("error");
    expect(report.findings.some((f) => f.ruleId === "KK007")).toBe(true);
    expect(report.rules.map((r) => r.id)).toContain("KK000");
    expect(formatReport(report, "junit", ALL_RULES)).toContain('classname="KK000"');
  });
});

describe("messages", () => {
  it("KK007 links each finding to its own provider's credentials page", async () => {
    const model = await loadHclFiles([{ file: "main.tf", text: PROVIDERS_TF }], { source: "dir" });
    const report = evaluate(model, ALL_RULES, [], { now: "2026-12-01" });
    const links = new Map(report.findings.filter((f) => f.ruleId === "KK007").map((f) => [f.subject, f.helpUri]));
    expect(links.get("provider.confluent")).toMatch(/registry\.terraform\.io\/providers\/confluentinc\/confluent\//);
    expect(links.get("provider.aws")).toMatch(/registry\.terraform\.io\/providers\/hashicorp\/aws\//);
  });

  it("rule fixes describe the reviewed pipeline, never `cdktf deploy`", () => {
    for (const { rule } of RULE_CATALOGUE) expect(rule.fix).not.toMatch(/cdktf deploy/);
    const pipeline = RULE_CATALOGUE.filter(({ rule }) => /keykit check/.test(rule.fix)).map(({ rule }) => rule.id);
    expect(pipeline).toEqual(expect.arrayContaining(["KK011", "KK013", "KK103", "KK104"]));
  });

  it("each practice has its own link", () => {
    const links = new Set(RULE_CATALOGUE.map(({ rule }) => rule.helpUri));
    expect(links.size).toBeGreaterThanOrEqual(6);
    const byId = new Map(RULE_CATALOGUE.map(({ rule }) => [rule.id, rule.helpUri]));
    expect(byId.get("KK001")).toMatch(/#use-service-account-api-keys-for-production$/);
    expect(byId.get("KK002")).toMatch(/#use-global-api-keys$/);
    expect(byId.get("KK107")).toMatch(/audit-log/);
  });

  it("a ScopeError names the factory, or the construct path it was built from", () => {
    expect(() => KeyScope.kafkaCluster({ clusterId: "x-1", environment: "env-1", type: "basic" })).toThrow(
      /^KeyScope\.kafkaCluster: kafka cluster id 'x-1' must start with 'lkc-'/,
    );
    expect(() => KeyScope.flinkRegion({ regionId: "nowhere", environment: "env-1" })).toThrow(ScopeError);
    expect(() => KeyScope.flinkRegion({ regionId: "nowhere", environment: "env-1" })).toThrow(
      /^KeyScope\.flinkRegion: /,
    );
  });
});
