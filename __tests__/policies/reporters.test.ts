/** The five formats: structure, escaping, and that no format ever prints a secret. */
import { evaluate } from "../../policies/engine";
import { loadPlan } from "../../policies/loaders/plan";
import { REPORT_FORMATS, formatReport } from "../../policies/reporters";
import { ALL_RULES } from "../../policies/rules";
import * as tf from "./helpers/terraform";

const NOW = "2026-11-28T00:00:00Z";
const SECRET = "cfltTOPSECRETVALUE0123456789abcdefTOPSECRETVALUE0123456789abcdef";
const sa = { id: "sa-1" };
const lkc = { id: "lkc-1", environment: "env-1" };

function report() {
  const p = tf.plan({
    changes: [
      tf.keyReplace(
        "confluent_api_key.k",
        { id: "K1", owner: sa, managed: lkc, secret: SECRET },
        { owner: { id: "sa-2" }, managed: lkc },
      ),
      tf.keyNoop("confluent_api_key.u", { id: "K2", owner: { id: "u-1" }, managed: lkc, secret: SECRET }),
      tf.keyNoop("confluent_api_key.<b>|`x`", { id: "K3", owner: { id: "u-2" }, managed: lkc, secret: SECRET }),
    ],
    providerConfig: { confluent: { name: "confluent", expressions: { cloud_api_secret: { constant_value: SECRET } } } },
  });
  return evaluate(loadPlan(p, { source: "plan.json" }), ALL_RULES, [], { now: NOW });
}

describe("reporters", () => {
  const r = report();
  it("SARIF and GitLab paths are relative to the source root; a file outside it keeps an absolute URI", () => {
    const options = { sourceRoot: "/work/shop", cwd: "/work/shop/infra/live" };
    const sarif = JSON.parse(formatReport(r, "sarif", ALL_RULES, options));
    expect(sarif.runs[0].originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///work/shop/" } });
    const uris = sarif.runs[0].results.map(
      (x: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) =>
        x.locations[0].physicalLocation.artifactLocation,
    );
    expect(new Set(uris.map((u: unknown) => JSON.stringify(u)))).toEqual(
      new Set([JSON.stringify({ uri: "infra/live/plan.json", uriBaseId: "%SRCROOT%" })]),
    );
    const gitlab = JSON.parse(formatReport(r, "gitlab", ALL_RULES, options));
    expect(new Set(gitlab.map((i: { location: { path: string } }) => i.location.path))).toEqual(
      new Set(["infra/live/plan.json"]),
    );
    const outside = JSON.parse(formatReport(r, "sarif", ALL_RULES, { sourceRoot: "/elsewhere", cwd: "/work/a b" }));
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: "file:///work/a%20b/plan.json",
    });
  });
  it("no format contains the planted secret", () => {
    for (const format of REPORT_FORMATS) expect(formatReport(r, format, ALL_RULES)).not.toContain(SECRET);
  });
  it("text groups findings by rule with fix and link", () => {
    const text = formatReport(r, "text", ALL_RULES);
    expect(text).toMatch(/^keykit check: 4 errors, \d+ warnings/);
    expect(text).toContain("KK010 ApiKeyNotReplacedInPlace [error]");
    expect(text).toContain("fix: ");
    expect(text).toContain("see: https://docs.confluent.io/");
  });
  it("JSON is the versioned report", () => {
    const json = JSON.parse(formatReport(r, "json", ALL_RULES));
    expect(json.version).toBe(1);
    expect(json.$schema).toMatch(/report-v1/);
    expect(json.summary.errors).toBe(4);
  });
  it("SARIF 2.1.0 has rules with helpUri and results with ruleId, artifact and logical locations", () => {
    const sarif = JSON.parse(formatReport(r, "sarif", ALL_RULES));
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(ALL_RULES.map((x) => x.id));
    expect(run.tool.driver.rules[0].helpUri).toMatch(/^https:/);
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === "KK010");
    expect(result.level).toBe("error");
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "plan.json", uriBaseId: "%SRCROOT%" });
    expect(result.locations[0].logicalLocations[0]).toEqual({
      fullyQualifiedName: "confluent_api_key.k",
      kind: "resource",
    });
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe("KK010");
  });
  it("JUnit XML has one suite per rule, failures for findings, and escapes markup", () => {
    const xml = formatReport(r, "junit", ALL_RULES);
    expect(xml.startsWith('<?xml version="1.0"')).toBe(true);
    expect((xml.match(/<testsuite /g) ?? []).length).toBe(ALL_RULES.length);
    expect(xml).toContain('<failure type="error"');
    expect(xml).toContain("&lt;b&gt;");
    expect(xml).not.toContain("<b>");
  });
  it("Markdown is a table whose cells cannot be broken by pipes or backticks", () => {
    const md = formatReport(r, "markdown", ALL_RULES);
    expect(md).toMatch(/^<!-- keykit:check -->\n### ❌ keykit check: 4 errors/);
    expect(md).toContain("| Severity | Rule | Resource | Finding |");
    expect(md).toContain("\\|\\`x\\`");
    expect(md).toContain("[KK010](https://");
  });
  it("every format names the command that produced it (check by default, audit when told)", () => {
    const names = (command?: string) => {
      const options = command === undefined ? undefined : { command };
      const out = (format: (typeof REPORT_FORMATS)[number]) => formatReport(r, format, ALL_RULES, options);
      return {
        text: out("text").split("\n")[0],
        markdown: out("markdown").split("\n").slice(0, 2).join("\n"),
        junit: /<testsuites name="([^"]*)"/.exec(out("junit"))?.[1],
        json: JSON.parse(out("json")).tool,
        sarif: JSON.parse(out("sarif")).runs[0],
      };
    };
    for (const [command, title, category] of [
      [undefined, "keykit check", "keykit/"],
      ["check", "keykit check", "keykit/"],
      ["audit", "keykit audit", "keykit-audit/"],
    ] as const) {
      const n = names(command);
      expect(n.text).toMatch(new RegExp(`^${title}: 4 errors`));
      expect(n.markdown).toMatch(new RegExp(`^<!-- keykit:${command ?? "check"} -->\n### ❌ ${title}: 4 errors`));
      expect(n.junit).toBe(title);
      expect(n.json).toEqual({ name: "keykit", version: r.tool.version, command: command ?? "check" });
      expect(n.sarif.tool.driver.name).toBe("keykit");
      expect(n.sarif.automationDetails.id).toBe(`${category}${r.evaluatedAt}`);
    }
    // The report object itself is not changed by rendering it.
    expect(r.tool).toEqual({ name: "keykit", version: r.tool.version });
  });
});
