/** `keykit check` and `keykit rules` end to end through the CLI dispatcher (exit codes, formats, files). */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { runKeykit } from "../audit/helpers";
import { join } from "node:path";
import { renderRulesMarkdown } from "../../policies/rules-doc";
import { ALL_RULES } from "../../policies/rules";
import { AUDIT_RULES, INVENTORY_COMPARISON_RULES } from "../../policies/rules/audit";
import { KIT_RULES, RULE_CATALOGUE } from "../../policies/rules/catalogue";
import { REPORT_FORMATS } from "../../policies/reporters";
import { compliantStack, key } from "./helpers/synth";
import * as tf from "./helpers/terraform";

const SECRET = "cfltCLISECRET0123456789abcdefCLISECRET0123456789abcdefCLISECRET01";

/** The in-process CLI through the shared helper (stdout, stderr, exit code). */
function cli(args: string[], cwd: string) {
  return runKeykit(args, { cwd });
}

const sa = { id: "sa-111" };
const lkc = { id: "lkc-1", environment: "env-1" };
const PLANS: Record<string, { rule: string; plan: unknown }> = {
  "one-apply rotation": {
    rule: "KK011",
    plan: tf.plan({
      prior: [
        {
          address: "confluent_service_account.app",
          type: "confluent_service_account",
          values: tf.serviceAccountValues("sa-111"),
        },
      ],
      changes: [
        tf.keyDelete(
          "confluent_api_key.old",
          { id: "OLD1", owner: sa, managed: lkc, secret: SECRET },
          "delete_because_no_resource_config",
        ),
        tf.keyCreate("confluent_api_key.new", { owner: sa, managed: lkc }, "confluent_service_account.app"),
      ],
      config: [
        { address: "confluent_api_key.new", expressions: tf.keyExpressions("confluent_service_account.app", "lkc-1") },
      ],
    }),
  },
  "replaced key": {
    rule: "KK010",
    plan: tf.plan({
      changes: [
        tf.keyReplace(
          "confluent_api_key.k",
          { id: "K1", owner: sa, managed: lkc, secret: SECRET },
          { owner: { id: "sa-2" }, managed: lkc },
        ),
      ],
    }),
  },
  "user-owned key": {
    rule: "KK001",
    plan: tf.plan({
      changes: [tf.keyNoop("confluent_api_key.u", { id: "K2", owner: { id: "u-1" }, managed: lkc, secret: SECRET })],
    }),
  },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "keykit-check-"));
});
const write = (name: string, content: unknown) => {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return name;
};

describe("keykit check", () => {
  it("is clean (exit 0) on a compliant cdk.tf.json", async () => {
    const r = await cli(["check", write("cdk.tf.json", compliantStack())], dir);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toContain("no findings");
  });

  for (const [name, { rule, plan }] of Object.entries(PLANS)) {
    it(`exits 1 naming ${rule} on a plan with a ${name}, in all five formats, never printing the secret`, async () => {
      const file = write("plan.json", plan);
      for (const format of REPORT_FORMATS) {
        const r = await cli(["check", file, "--format", format, "--now", "2026-11-28"], dir);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain(rule);
        expect(r.stdout + r.stderr).not.toContain(SECRET);
      }
    });
  }

  it("writes --output atomically and names the failing rules on stderr", async () => {
    const file = write("plan.json", PLANS["replaced key"].plan);
    // out/ does not exist yet: it is created (mkdir -p), and only the report lands in it (no temp file left).
    const ok = await cli(["check", file, "--format=sarif", "--output", "out/report.sarif"], dir);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toBe("");
    expect(ok.stderr).toMatch(/^keykit: 1 finding\(s\) at or above error: KK010/);
    expect(JSON.parse(readFileSync(join(dir, "out/report.sarif"), "utf8")).version).toBe("2.1.0");
    expect(readdirSync(join(dir, "out"))).toEqual(["report.sarif"]);
  });

  it("--fail-on warning fails on warnings only then", async () => {
    const stack = compliantStack() as { resource: Record<string, Record<string, unknown>> };
    stack.resource.confluent_api_key.plain = key("Plain", "${confluent_service_account.app.id}", { id: "lkc-2" });
    const file = write("cdk.tf.json", stack);
    expect((await cli(["check", file], dir)).code).toBe(0);
    expect((await cli(["check", file, "--fail-on", "warning"], dir)).code).toBe(1);
  });

  it("reads a cdktf.out directory (every stack) and an HCL directory", async () => {
    write("cdktf.out/stacks/a/cdk.tf.json", compliantStack());
    write("cdktf.out/stacks/b/cdk.tf.json", {
      ...compliantStack(),
      provider: { confluent: [{ cloud_api_secret: SECRET }] },
    });
    const r = await cli(["check", "cdktf.out", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.inputs.map((i: { source: string }) => i.source)).toEqual([
      "cdktf.out/stacks/a/cdk.tf.json",
      "cdktf.out/stacks/b/cdk.tf.json",
    ]);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["KK007"]);
    expect(r.stdout).not.toContain(SECRET);
    write("hcl/main.tf", `provider "confluent" {\n  cloud_api_secret = "${SECRET}"\n}\n`);
    const h = await cli(["check", "hcl"], dir);
    expect(h.code).toBe(1);
    expect(h.stdout).toContain("KK007");
    expect(h.stdout).not.toContain(SECRET);
  });

  it("applies --acknowledgements and reports unused ones", async () => {
    const file = write("plan.json", PLANS["replaced key"].plan);
    write("acks.json", {
      version: 1,
      acknowledgements: [
        {
          rule: "KK010",
          resource: "confluent_api_key.k",
          reason: "owner migration approved in CHG-42",
          expires: "2099-01-01",
        },
        { rule: "KK011", resource: "nothing.*", reason: "left over from last quarter", expires: "2099-01-01" },
      ],
    });
    const r = await cli(["check", file, "--acknowledgements", "acks.json"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("acknowledged until 2099-01-01");
    expect(r.stdout).toMatch(/unused\s+KK011 nothing\.\*/);
  });

  it("uses the rotation state for slot ages (--max-age-days, --now)", async () => {
    write("keykit.rotation.json", {
      version: 1,
      keys: {
        app: { active: "blue", rotations: 1, slots: { blue: { status: "active", createdAt: "2026-01-01T00:00:00Z" } } },
      },
    });
    const file = write("cdk.tf.json", compliantStack());
    const r = await cli(["check", file, "--now", "2026-11-28", "--fail-on", "warning"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("KK004");
    expect(
      (await cli(["check", file, "--now", "2026-11-28", "--max-age-days", "400", "--fail-on", "warning"], dir)).code,
    ).toBe(0);
  });

  const bad: [string, string[], RegExp][] = [
    ["nothing checkable in the default path", ["check"], /^keykit: \.: no \*\.tf files/],
    ["unknown flag", ["check", "x.json", "--bogus"], /unknown option '--bogus'/],
    ["bad format", ["check", "x.json", "--format", "xml"], /--format 'xml'/],
    [
      "bad fail-on",
      ["check", "x.json", "--fail-on", "fatal"],
      /--fail-on 'fatal' must be one of error, warning, info, none/,
    ],
    [
      "bad max age",
      ["check", "x.json", "--max-age-days", "-3"],
      /check: --max-age-days .-3. must be a whole number of days/,
    ],
    ["bad now", ["check", "x.json", "--now", "yesterday"], /--now/],
    ["missing file", ["check", "missing.json"], /no such file/],
  ];
  for (const [name, args, message] of bad) {
    it(`exits 2 with one line on bad usage: ${name}`, async () => {
      const r = await cli(args, dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
  }

  it("exits 2 with one line on bad input, never echoing the input", async () => {
    const inputs: [string, string][] = [
      ["broken.json", `{"resource_changes": [ {"secret": "${SECRET}" ]`],
      ["future.json", JSON.stringify({ ...(PLANS["replaced key"].plan as object), format_version: "2.0" })],
      ["errored.json", JSON.stringify({ ...(PLANS["replaced key"].plan as object), errored: true })],
      ["what.json", JSON.stringify({ hello: SECRET })],
      ["array.json", JSON.stringify([SECRET])],
      ["bad.tf", `resource "x" "y" { a = "${SECRET}" `],
    ];
    for (const [name, text] of inputs) {
      const r = await cli(["check", write(name, text)], dir);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^keykit: /);
      expect(r.stderr + r.stdout).not.toContain(SECRET);
    }
  });
});

describe("keykit rules and RULES.md", () => {
  it("the catalogue holds every rule of the kit once: check/synth rules and the audit's own", () => {
    const ids = KIT_RULES.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids)).toEqual(new Set([...ALL_RULES, ...AUDIT_RULES].map((r) => r.id)));
    for (const rule of INVENTORY_COMPARISON_RULES) expect(ids).toContain(rule.id);
    for (const { rule, commands } of RULE_CATALOGUE) {
      expect(commands.includes("check")).toBe(ALL_RULES.includes(rule));
      expect(commands.includes("synth")).toBe(ALL_RULES.includes(rule));
      expect(commands.includes("audit")).toBe(AUDIT_RULES.includes(rule));
    }
  });
  it("lists every rule of the kit with the commands that run it", async () => {
    const r = await cli(["rules"], dir);
    expect(r.code).toBe(0);
    for (const { rule, commands } of RULE_CATALOGUE)
      expect(r.stdout).toContain(`${rule.id}  ${rule.severity.padEnd(7)}  ${rule.name}  [${commands.join(", ")}]`);
    expect(r.stdout).toMatch(/KK101 {2}warning {2}ApiKeyManagedByConfiguration {2}\[audit\]/);
    expect(r.stdout).toMatch(/KK001 .*\[check, synth, audit\]/);
    expect(r.stdout).toMatch(/KK005 .*\[check, synth\]/);
    const json = JSON.parse((await cli(["rules", "--format", "json"], dir)).stdout);
    expect(json.map((x: { id: string }) => x.id)).toEqual(KIT_RULES.map((x) => x.id));
    expect(json.find((x: { id: string }) => x.id === "KK103").commands).toEqual(["audit"]);
    expect(json.find((x: { id: string }) => x.id === "KK002").commands).toEqual(["check", "synth"]);
    const md = (await cli(["rules", "--format", "markdown"], dir)).stdout;
    expect(md).toBe(renderRulesMarkdown());
  });
  it("RULES.md is up to date with the rule metadata (run `npm run rules:doc`)", () => {
    const committed = readFileSync(join(__dirname, "..", "..", "RULES.md"), "utf8");
    expect(committed).toBe(renderRulesMarkdown(RULE_CATALOGUE));
    for (const rule of KIT_RULES) expect(committed).toContain(`## ${rule.id}\n`);
    expect(committed).toContain("| [KK104](#kk104) | ConfiguredApiKeyExists | warning | yes | inventory | audit |");
  });
  it("rule IDs are unique and every rule has rationale, fix and an https link", () => {
    expect(new Set(KIT_RULES.map((r) => r.id)).size).toBe(KIT_RULES.length);
    for (const r of KIT_RULES) {
      expect(r.rationale.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(r.helpUri).toMatch(/^https:\/\//);
    }
    expect(existsSync(join(__dirname, "..", "..", "RULES.md"))).toBe(true);
  });
});

describe("keykit check next to cdk.tf.json", () => {
  it("reads the stack's keykit metadata for a plan in the same directory (active slot, tier)", async () => {
    const stack = compliantStack();
    write("stack/cdk.tf.json", stack);
    const plan = tf.plan({
      changes: [tf.keyDelete("confluent_api_key.app_blue", { id: "K1", owner: sa, managed: lkc })],
    });
    write("stack/plan.json", plan);
    const r = await cli(["check", "stack/plan.json", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const f = report.findings.find((x: { ruleId: string }) => x.ruleId === "KK012");
    expect(f.location.constructPath).toBe("app/App/Key/Blue");
    // Without the stack file the plan alone cannot know the slot was active.
    write("alone/plan.json", plan);
    const alone = JSON.parse((await cli(["check", "alone/plan.json", "--format", "json"], dir)).stdout);
    expect(alone.findings.map((x: { ruleId: string }) => x.ruleId)).not.toContain("KK012");
  });
});
