/**
 * Issue #13's "Done when", behaviour by behaviour: each one is run through the BUILT bin as a subprocess, the way a
 * user or a CI job runs it. Where the test lives: [G] built-bin.test.ts, [B] this file, [K] policies/kk011-rotation-
 * slots.test.ts (its last test runs the bin), [-] not a CLI behaviour (tested where it lives, named there).
 *
 * 1. One grammar
 *    [G] generated --help per command = `keykit help <command>` = `<command> -h`
 *    [B] `keykit --help`, `keykit -h` and `keykit help` print the main usage on stdout, exit 0
 *    [G] --version prints package.json's version
 *    [B] --format: the same six report formats in check and audit; rules and rotate status refuse the others
 *    [B] --output: check and audit write the report atomically, name the blocking rules on stderr, never overwrite
 *        an input
 *    [G] --fail-on error|warning|info|none in check; [B] the same levels and exit codes in audit
 *    [B] --now: the evaluation time in check and audit; an impossible date refused by both
 *    [B] --tier: the tier user-owned keys are judged at, in check and audit
 *    [B] --acknowledgements: one file serves check and audit (neither calls the other's entries unused)
 *    [B] --rotation-state: a named file that is missing is refused by check, audit, rotate (every step; --file is
 *        the same flag) and verify
 *    [G] a value flag never takes the next flag (check, audit); [B] rotate, verify, rules
 *    [G] a repeated single-value flag is an error in check, audit, rotate, verify, rules
 *    [G] unknown command and flag suggest the nearest (check, audit); [B] rules, rotate, verify, `help <typo>`
 *    [G] `keykit` alone prints the usage on stderr, exit 2
 * 2. Defaults
 *    [G] check without a path: ./cdktf.out when it exists, else the directory
 *    [G] `keykit rules KK003 KK011` shows both in full; an unknown ID names the nearest
 *    [G] keykit.config.json found upwards, failOn/skipRules, flags > environment > file; bad files refused
 *    [B] the file's acknowledgements and rotationState paths are relative to the file; maxAgeDays and skipRules
 *        apply to audit; KEYKIT_MAX_AGE_DAYS and KEYKIT_SKIP_RULES
 * 3. One discovery, one error type
 *    [B] check and audit --config read the same stacks of a cdktf.out; rotate status finds the keys declared there
 *    [G] exit 2 for bad usage or input; [B] exit 1 for a refused step (rotate finish before start)
 *    [B] exit 3 for an internal error: one line, no stack, no input fragment; KEYKIT_DEBUG=1 prints the stack
 *    [B] a rule that throws is a KK000 finding naming it (json, sarif), the other rules still report, exit code
 *        by --fail-on
 * 4. Reports
 *    [G] SARIF validates against 2.1.0, security-severity and helpUri per rule, informationUri, a region line
 *    [B] SARIF regions span the block's lines; acknowledged findings are suppressions with their justification
 *    [G] JUnit failures only at or above --fail-on, below in <system-out>; [B] acknowledged ones are skipped; audit
 *    [G] text ✗ and ⚠, FORCE_COLOR, NO_COLOR over FORCE_COLOR, --quiet; [B] ℹ and ✓ with their colours,
 *        NO_COLOR alone, FORCE_COLOR=0, never colour in an --output file
 *    [G] Markdown marker for check, grouping past 10; [B] the audit marker; input strings escaped, every row four
 *        cells, fixes as the kit wrote them (no `\|`, no escaped backticks)
 *    [G] GitLab fields for check; [B] for audit, severities per level, acknowledged findings left out
 * 5. Messages
 *    [-] construct errors name the construct path (synth-time: errors-and-messages.test.ts, constructs tests)
 *    [B] no rule's fix says `cdktf deploy` (`keykit rules --format json`); the pipeline fixes name `keykit check`
 *    [K] KK011 names the rotation and which side of it the plan holds, or keeps Terraform's reason
 *    [B] each practice its own link; KK007 on the AWS and Vault providers links to their own docs
 * 6. Integrations
 *    [B] the pre-commit hook's entry and action.yml's command line, run as written against the bin
 *    [-] both files use existing commands and flags (integrations.test.ts reads them)
 * 7. Sweep [-]: source hygiene, not a behaviour.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ROOT,
  clusterKeyTf,
  copyOfBuiltCli,
  expectOneLine,
  keykit,
  project,
  requireFreshBuild,
  serviceAccountOwner,
  serviceAccountTf,
} from "./bin-helpers";

requireFreshBuild();

type Json = Record<string, unknown>;
interface ReportFinding {
  ruleId: string;
  severity: string;
  subject: string;
  message: string;
  helpUri: string;
  suppressed?: { reason: string };
}
interface JsonReport {
  evaluatedAt: string;
  inputs: { source: string; kind: string; notes: string[] }[];
  findings: ReportFinding[];
  acknowledgements: { applied: Json[]; unused: { rule: string }[]; rejected: Json[] };
}

const NOW = "2026-12-01";
/** The managed_resource block of a key on the cluster the suites use, as cdk.tf.json writes it. */
const CLUSTER_RESOURCE = {
  id: "lkc-abc123",
  api_version: "cmk/v2",
  kind: "Cluster",
  environment: { id: "env-abc123" },
};
/** The acknowledgement of the unrotated development key (KK003) that several tests put in their files. */
const DEV_KEY_ACK = {
  rule: "KK003",
  resource: "confluent_api_key.dev",
  reason: "migrating to BlueGreenApiKey in Q1",
  expires: "2027-03-31",
};

/** Two comment lines first, so a region that starts at line 1 by default would show. */
const DEV_KEY_TF = `# A key a developer made for themselves.
# Owned by a user, not under rotation.
${clusterKeyTf("dev", "dev-key", { id: '"u-abc123"', apiVersion: '"iam/v2"', kind: '"User"' })}`;

/** Hard-coded credentials in three providers' blocks: KK007 once per provider, each with its own link. */
const PROVIDERS_TF = `provider "confluent" {
  cloud_api_key    = "HARDCODEDKEY0001"
  cloud_api_secret = "plain-secret-one"
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAHARDCODED00001"
  secret_key = "plain-secret-two"
}

provider "vault" {
  address = "https://vault.internal.example:8200"
  token   = "hvs.HARDCODEDTOKEN0001"
}
`;

/** A CLI export (`confluent api-key list -o json`): a user's key from January, a service account's from May. */
const KEYS_EXPORT = [
  {
    key: "USERKEY000000001",
    description: "made by hand",
    owner: "u-abc123",
    owner_email: "dev@example.com",
    resource_type: "kafka",
    resource: "lkc-abc123",
    created: "2026-01-10T08:00:00Z",
  },
  {
    key: "SERVICEKEY000001",
    description: "",
    owner: "sa-orders1",
    owner_email: "<service account>",
    resource_type: "kafka",
    resource: "lkc-abc123",
    created: "2026-05-01T00:00:00Z",
  },
];
/** `confluent iam service-account list -o json`. */
const ACCOUNTS_EXPORT = [
  { id: "sa-orders1", name: "orders-app", description: "" },
  { id: "sa-idle0001", name: "idle", description: "" },
];

function writeJson(dir: string, file: string, value: unknown): void {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The same user-owned key as a synthesized stack: most runs read JSON, which loads in a third of the time HCL takes
 * (the HCL parser is WebAssembly), so the suite stays short on a shared machine.
 */
const DEV_KEY_STACK = {
  resource: {
    confluent_api_key: {
      dev: {
        display_name: "dev-key",
        owner: { id: "u-abc123", api_version: "iam/v2", kind: "User" },
        managed_resource: CLUSTER_RESOURCE,
      },
    },
  },
};

/**
 * A project with the key in infra/ (infra/cdk.tf.json, or infra/main.tf when HCL is given) and the two inventory
 * exports.
 */
function workspace(tf?: string): string {
  const dir = project();
  // A repository of its own: SARIF and GitLab paths are relative to the repository's top level.
  mkdirSync(join(dir, ".git"));
  mkdirSync(join(dir, "infra"));
  if (tf === undefined) writeJson(dir, "infra/cdk.tf.json", DEV_KEY_STACK);
  else writeFileSync(join(dir, "infra", "main.tf"), tf);
  writeJson(dir, "keys.json", KEYS_EXPORT);
  writeJson(dir, "accounts.json", ACCOUNTS_EXPORT);
  return dir;
}

const CHECK = ["check", "infra", "--now", NOW];
const AUDIT = ["audit", "--inventory", "keys.json", "accounts.json", "--now", NOW];

function json(run: { stdout: string }): JsonReport {
  return JSON.parse(run.stdout) as JsonReport;
}
const ids = (r: JsonReport) => r.findings.map((f) => f.ruleId);
const bySeverity = (r: JsonReport, ruleId: string) => r.findings.filter((f) => f.ruleId === ruleId)[0]?.severity;

describe("1. one grammar", () => {
  it("`keykit --help`, `-h` and `help` print the main usage on stdout and exit 0", () => {
    const dir = project();
    const help = keykit(dir, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe("");
    expect(help.stdout).toMatch(/^usage: keykit <command> \[options\]\n/);
    expect(help.stdout).toContain("exit codes: 0 ok, 1 findings or a refused step, 2 bad usage or input, 3 internal");
    expect(keykit(dir, ["-h"]).stdout).toBe(help.stdout);
    expect(keykit(dir, ["help"]).stdout).toBe(help.stdout);
    expectOneLine(keykit(dir, ["help", "rotat"]), /unknown command 'rotat'; did you mean 'rotate'\?/);
  });

  it.each([
    ["rules", ["rules", "--formt", "json"], /rules: unknown option '--formt'; did you mean '--format'\?/],
    ["rotate", ["rotate", "status", "--rotaton-state", "x.json"], /did you mean '--rotation-state'\?/],
    [
      "verify",
      ["verify", "orders", "--vault-mout", "kv"],
      /verify: unknown option '--vault-mout'; did you mean '--vault-mount'\?/,
    ],
    ["check", ["check", "infra", "--acknowledgments", "a.json"], /did you mean '--acknowledgements'\?/],
  ])("suggests the nearest flag in %s and names the command's help", (name, args, pattern) => {
    const r = keykit(workspace(), args);
    expectOneLine(r, pattern);
    expect(r.stderr).toContain(`(run 'keykit ${name} --help')`);
  });

  it.each([
    ["rotate", ["rotate", "status", "--rotation-state", "--format", "json"], /rotate: --rotation-state needs a value/],
    ["verify", ["verify", "orders", "--wait", "--state", "s.json"], /verify: --wait needs a value/],
    ["rules", ["rules", "--format", "--help"], /rules: --format needs a value/],
  ])("never lets a value flag take the next flag in %s", (_name, args, pattern) => {
    expectOneLine(keykit(workspace(), args), pattern);
  });

  it("--format: check and audit write the same six report formats; rules and rotate status refuse the others", () => {
    const dir = workspace();
    for (const [command, args] of [
      ["check", CHECK],
      ["audit", AUDIT],
    ] as const) {
      const out = (format: string) => keykit(dir, [...args, "--format", format, "--fail-on", "none"]);
      expect(json(out("json")).findings.length).toBeGreaterThan(0);
      expect(JSON.parse(out("sarif").stdout).version).toBe("2.1.0");
      expect(Array.isArray(JSON.parse(out("gitlab").stdout))).toBe(true);
      expect(out("junit").stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
      expect(out("markdown").stdout.split("\n")[0]).toBe(`<!-- keykit:${command} -->`);
      expect(out("text").stdout).toMatch(new RegExp(`^keykit ${command}: `));
      expectOneLine(out("yaml"), new RegExp(`${command}: --format 'yaml' must be one of text, json, sarif, junit`));
    }
    expectOneLine(
      keykit(dir, ["rules", "--format", "sarif"]),
      /rules: --format 'sarif' must be one of text, json, markdown/,
    );
    expectOneLine(
      keykit(dir, ["rotate", "status", "--format", "gitlab"]),
      /rotate: --format 'gitlab' must be one of text, json/,
    );
  });

  it.each([
    ["check", CHECK],
    ["audit", AUDIT],
  ])(
    "--output: %s writes the report there, names the blocking rules on stderr, never overwrites an input",
    (name, args) => {
      const dir = workspace();
      mkdirSync(join(dir, "reports"));
      const r = keykit(dir, [...args, "--format", "json", "--output", "reports/out.json"], { FORCE_COLOR: "1" });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        /^keykit: \d+ finding\(s\) at or above error: KK001 \(report in reports\/out\.json\)\n$/,
      );
      const written = readFileSync(join(dir, "reports", "out.json"), "utf8");
      expect(ids(JSON.parse(written) as JsonReport)).toContain("KK001");
      expect(readdirSync(join(dir, "reports"))).toEqual(["out.json"]);
      const input = name === "check" ? "infra/cdk.tf.json" : "keys.json";
      const before = readFileSync(join(dir, input), "utf8");
      const over = keykit(dir, [...args, "--output", input]);
      expect(over.code).toBe(2);
      expect(over.stderr.trim().split("\n")).toHaveLength(1);
      expect(readFileSync(join(dir, input), "utf8")).toBe(before);
    },
  );

  it("--fail-on: audit exits by the same levels as check", () => {
    const dir = workspace();
    writeJson(dir, "keys.json", [KEYS_EXPORT[1]]); // warnings only (KK004 age)
    expect(keykit(dir, [...AUDIT]).code).toBe(0);
    expect(keykit(dir, [...AUDIT, "--fail-on", "error"]).code).toBe(0);
    expect(keykit(dir, [...AUDIT, "--fail-on", "warning"]).code).toBe(1);
    expect(keykit(dir, [...AUDIT, "--fail-on", "info"]).code).toBe(1);
    writeJson(dir, "keys.json", KEYS_EXPORT); // and a user-owned key in production: an error
    expect(keykit(dir, [...AUDIT]).code).toBe(1);
    expect(keykit(dir, [...AUDIT, "--fail-on", "none"]).code).toBe(0);
  });

  it("--now is the evaluation time of check and audit; an impossible date is refused by both", () => {
    const dir = workspace();
    const at = (args: readonly string[], now: string) =>
      json(keykit(dir, [...args.filter((a) => a !== "--now" && a !== NOW), "--format", "json", "--now", now]));
    expect(at(CHECK, "2026-06-15").evaluatedAt).toBe("2026-06-15T00:00:00.000Z");
    expect(at(AUDIT, "2026-06-15").evaluatedAt).toBe("2026-06-15T00:00:00.000Z");
    // The same key is judged older at a later time.
    const age = (now: string) =>
      at(AUDIT, now).findings.find((f) => f.ruleId === "KK004" && f.subject === "SERVICEKEY000001")?.message;
    expect(age("2026-09-01")).toMatch(/2026-05-01, 123 days ago/);
    expect(age("2026-12-01")).toMatch(/2026-05-01, 214 days ago/);
    for (const args of [CHECK, AUDIT]) {
      const r = keykit(dir, [...args.slice(0, -2), "--now", "2026-02-30"]);
      expectOneLine(r, /--now/);
    }
  });

  it("--tier: check and audit judge a user-owned key at the given tier", () => {
    const dir = workspace();
    for (const args of [CHECK, AUDIT]) {
      const production = json(keykit(dir, [...args, "--format", "json", "--tier", "production"]));
      const development = json(keykit(dir, [...args, "--format", "json", "--tier", "development"]));
      expect(bySeverity(production, "KK001")).toBe("error");
      expect(bySeverity(development, "KK001")).toBe("warning");
      expect(keykit(dir, [...args, "--tier", "development"]).code).toBe(0);
      expectOneLine(
        keykit(dir, [...args, "--tier", "staging"]),
        /--tier 'staging' must be one of production, development/,
      );
    }
  });

  it("--acknowledgements: one file serves check and audit; neither calls the other's entries unused", () => {
    const dir = workspace();
    writeJson(dir, "security/acks.json", {
      version: 1,
      acknowledgements: [
        DEV_KEY_ACK,
        {
          rule: "KK101",
          resource: "SERVICEKEY000001",
          reason: "imported into the orders stack next sprint",
          expires: "2027-03-31",
        },
      ],
    });
    // KK003 is a rule of check only, KK101 of audit only (KK004, which both run, would be unused in one of them).
    writeJson(dir, "stack/cdk.tf.json", { resource: {} });
    const flag = ["--acknowledgements", "security/acks.json", "--format", "json"];
    const check = json(keykit(dir, [...CHECK, ...flag]));
    expect(check.findings.find((f) => f.ruleId === "KK003")?.suppressed?.reason).toBe(
      "migrating to BlueGreenApiKey in Q1",
    );
    const audit = json(keykit(dir, [...AUDIT, "--config", "stack/cdk.tf.json", ...flag]));
    const kk101 = audit.findings.filter((f) => f.ruleId === "KK101");
    expect(kk101.map((f) => [f.subject, f.suppressed?.reason])).toEqual([
      ["SERVICEKEY000001", "imported into the orders stack next sprint"],
      ["USERKEY000000001", undefined],
    ]);
    for (const r of [check, audit]) {
      expect(r.acknowledgements.applied).toHaveLength(1);
      expect(r.acknowledgements.unused).toEqual([]);
      expect(r.acknowledgements.rejected).toEqual([]);
    }
    expectOneLine(keykit(dir, [...CHECK, "--acknowledgements", "missing.json"]), /missing\.json: no such file/);
  });

  it.each([
    ["check", [...CHECK, "--rotation-state", "nope.json"]],
    ["audit", [...AUDIT, "--rotation-state", "nope.json"]],
    ["rotate status", ["rotate", "status", "--rotation-state", "nope.json"]],
    ["rotate status --file", ["rotate", "status", "--file", "nope.json"]],
    ["rotate start", ["rotate", "start", "orders", "--rotation-state", "nope.json"]],
    ["rotate finish", ["rotate", "finish", "orders", "--file", "nope.json"]],
    ["verify", ["verify", "orders", "--rotation-state", "nope.json", "--output-json", "out.json"]],
  ])("--rotation-state: %s refuses a named file that does not exist", (_name, args) => {
    const dir = workspace();
    const r = keykit(dir, args);
    expectOneLine(r, /nope\.json(: no such file| does not exist)/);
    expect(existsSync(join(dir, "nope.json"))).toBe(false);
  });
});

describe("2. defaults from keykit.config.json", () => {
  it("reads the acknowledgements and rotation-state paths relative to the file, from a subdirectory", () => {
    const dir = workspace();
    writeJson(dir, "security/keykit.acknowledgements.json", {
      version: 1,
      acknowledgements: [DEV_KEY_ACK],
    });
    writeJson(dir, "keykit.config.json", {
      acknowledgements: "security/keykit.acknowledgements.json",
      rotationState: "state/keykit.rotation.json",
    });
    // From infra/, the check's input is `.`; the file's paths still resolve from the project root.
    const missingState = keykit(join(dir, "infra"), ["check", ".", "--now", NOW]);
    expectOneLine(missingState, /keykit\.rotation\.json: no such file/);
    writeJson(dir, "state/keykit.rotation.json", { version: 1, keys: {} });
    const r = keykit(join(dir, "infra"), ["check", ".", "--now", NOW, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(json(r).findings.find((f) => f.ruleId === "KK003")?.suppressed).toBeDefined();
  });

  it("maxAgeDays and skipRules apply to audit; KEYKIT_MAX_AGE_DAYS and KEYKIT_SKIP_RULES beat the file", () => {
    const dir = workspace();
    writeJson(dir, "keykit.config.json", { maxAgeDays: 400, skipRules: ["KK008"] });
    const fromFile = json(keykit(dir, [...AUDIT, "--format", "json"]));
    expect(ids(fromFile)).not.toContain("KK004");
    expect(ids(fromFile)).not.toContain("KK008");
    const fromEnv = json(
      keykit(dir, [...AUDIT, "--format", "json"], { KEYKIT_MAX_AGE_DAYS: "200", KEYKIT_SKIP_RULES: "KK009" }),
    );
    expect(
      fromEnv.findings
        .filter((f) => f.ruleId === "KK004")
        .map((f) => f.subject)
        .sort(),
    ).toEqual(["SERVICEKEY000001", "USERKEY000000001"]);
    expect(ids(fromEnv)).not.toContain("KK009");
    expect((fromEnv as unknown as { skippedRules?: unknown }).skippedRules).toEqual([
      { id: "KK009", name: "AtMostTwoKeysPerOwnerAndScope" },
    ]);
    expect(ids(fromEnv)).toContain("KK008");
    const flag = json(
      keykit(dir, [...AUDIT, "--format", "json", "--max-age-days", "300"], { KEYKIT_MAX_AGE_DAYS: "200" }),
    );
    expect(flag.findings.filter((f) => f.ruleId === "KK004").map((f) => f.subject)).toEqual(["USERKEY000000001"]);
  });
});

/** A synthesized app: two stacks, one of them with a BlueGreenApiKey's slot (keykit metadata as the kit writes it). */
function synthesizedApp(dir: string): void {
  writeJson(dir, "cdktf.out/stacks/orders/cdk.tf.json", {
    resource: {
      confluent_service_account: { orders: { display_name: "orders-app" } },
      confluent_api_key: {
        orders_Blue_0C1D2E3F: {
          "//": {
            metadata: { path: "orders/orders/Blue", uniqueId: "orders_Blue_0C1D2E3F" },
            keykit: {
              version: 1,
              construct: "BlueGreenApiKey",
              path: "orders/Blue",
              rotation: { name: "orders-writer", slot: "blue", active: true },
            },
          },
          display_name: "orders-writer (blue)",
          description: "Managed by keykit (orders/orders), rotation orders-writer",
          owner: {
            id: "${confluent_service_account.orders.id}",
            api_version: "${confluent_service_account.orders.api_version}",
            kind: "${confluent_service_account.orders.kind}",
          },
          managed_resource: CLUSTER_RESOURCE,
          lifecycle: { prevent_destroy: true },
        },
      },
    },
  });
  writeJson(dir, "cdktf.out/stacks/idle/cdk.tf.json", {
    resource: { confluent_service_account: { idle: { display_name: "idle" } } },
  });
}

describe("3. one discovery, one error type", () => {
  it("check, audit --config and rotate status find the same stacks of a cdktf.out", () => {
    const dir = workspace();
    synthesizedApp(dir);
    const stacks = ["cdktf.out/stacks/idle/cdk.tf.json", "cdktf.out/stacks/orders/cdk.tf.json"];
    const check = json(keykit(dir, ["check", "--format", "json", "--now", NOW]));
    expect(check.inputs.map((i) => i.source).sort()).toEqual(stacks);
    const audit = json(keykit(dir, [...AUDIT, "--config", "cdktf.out", "--format", "json"]));
    expect(audit.inputs[0].notes.filter((n) => n.startsWith("configuration: ")).sort()).toEqual(
      stacks.map((s) => `configuration: ${s}`),
    );
    const status = keykit(dir, ["rotate", "status", "--format", "json"]);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { keys: { name: string }[] }).keys.map((k) => k.name)).toEqual([
      "orders-writer",
    ]);
  });

  it("a refused step exits 1 with one line, and leaves the state file as it was", () => {
    const dir = workspace();
    synthesizedApp(dir);
    writeJson(dir, "keykit.rotation.json", { version: 1, keys: {} });
    const before = readFileSync(join(dir, "keykit.rotation.json"), "utf8");
    const r = keykit(dir, ["rotate", "finish", "orders-writer"]);
    expectOneLine(r, /cannot finish a rotation of 'orders-writer': no rotation in progress/, 1);
    expect(readFileSync(join(dir, "keykit.rotation.json"), "utf8")).toBe(before);
  });
});

/** An input every rule can look at: a non-sensitive output with a key's secret (KK005) and hard-coded providers. */
const LEAKY_TF = `${PROVIDERS_TF}
${serviceAccountTf("app", "app")}
${clusterKeyTf("app", "app", serviceAccountOwner("app"))}
output "app_secret" {
  value = confluent_api_key.app.secret
}
`;

/** LEAKY_TF as a synthesized stack (JSON loads faster; the rules see the same resources). */
const LEAKY_STACK = {
  provider: {
    confluent: [{ cloud_api_key: "HARDCODEDKEY0001", cloud_api_secret: "plain-secret-one" }],
    aws: [{ region: "eu-west-1", access_key: "AKIAHARDCODED00001", secret_key: "plain-secret-two" }],
    vault: [{ address: "https://vault.internal.example:8200", token: "hvs.HARDCODEDTOKEN0001" }],
  },
  resource: {
    confluent_service_account: { app: { display_name: "app" } },
    confluent_api_key: {
      app: {
        display_name: "app",
        owner: {
          id: "${confluent_service_account.app.id}",
          api_version: "${confluent_service_account.app.api_version}",
          kind: "${confluent_service_account.app.kind}",
        },
        managed_resource: CLUSTER_RESOURCE,
      },
    },
  },
  output: { app_secret: { value: "${confluent_api_key.app.secret}" } },
};

function leakyWorkspace(): string {
  const dir = workspace();
  writeJson(dir, "infra/cdk.tf.json", LEAKY_STACK);
  return dir;
}

/** Rewrites one built module of a copy of dist/ (the production code itself stays as built). */
function breakModule(root: string, relative: string, edit: (source: string) => string): void {
  const dir = join(root, "dist", relative, "..");
  const name = readdirSync(dir).find((f) => f.startsWith(relative.split("/").pop() ?? "") && f.endsWith(".js"));
  if (!name) throw new Error(`no built module ${relative}`);
  const path = join(dir, name);
  const source = readFileSync(path, "utf8");
  const edited = edit(source);
  if (edited === source) throw new Error(`the edit of ${name} changed nothing`);
  writeFileSync(path, edited);
}

describe("3. KK000 and exit 3, through a copy of the built bin with one module broken", () => {
  const BOOM = "boom near HARDCODEDKEY0001";
  let brokenRule: string;
  let brokenReporter: string;
  let brokenAtLoad: string;

  beforeAll(() => {
    const rule = copyOfBuiltCli();
    breakModule(rule.root, "policies/rules/kk005-", (s) =>
      s.replace("check(model) {", `check(model) {\n        throw new Error(${JSON.stringify(BOOM)});`),
    );
    brokenRule = rule.bin;
    const reporter = copyOfBuiltCli();
    breakModule(reporter.root, "policies/reporters/sarif", (s) =>
      s.replace(
        /function formatSarif\(report, rules, options = \{\}\) \{/,
        `$&\n    throw new TypeError(${JSON.stringify(BOOM)});`,
      ),
    );
    brokenReporter = reporter.bin;
    const load = copyOfBuiltCli();
    breakModule(load.root, "policies/reporters/junit", (s) => `throw new RangeError(${JSON.stringify(BOOM)});\n${s}`);
    brokenAtLoad = load.bin;
  });

  it("the unbroken copy runs like the built bin (so the failures below are the broken module's)", () => {
    const dir = leakyWorkspace();
    const copy = copyOfBuiltCli();
    const fromCopy = json(keykit(dir, [...CHECK, "--format", "json"], {}, copy.bin));
    expect(ids(fromCopy)).toEqual(ids(json(keykit(dir, [...CHECK, "--format", "json"]))));
    expect(ids(fromCopy)).toContain("KK005");
  });

  it("a rule that throws is a KK000 finding naming the rule; the other rules still report", () => {
    const dir = leakyWorkspace();
    const r = keykit(dir, [...CHECK, "--format", "json"], {}, brokenRule);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const report = json(r);
    const internal = report.findings.filter((f) => f.ruleId === "KK000");
    expect(internal).toHaveLength(1);
    expect(internal[0]).toMatchObject({ severity: "error", subject: "KK005" });
    expect(internal[0].message).toMatch(/^internal rule error: KK005 OutputsDoNotExposeSecrets failed \(Error\)/);
    expect(ids(report)).not.toContain("KK005");
    expect(report.findings.filter((f) => f.ruleId === "KK007")).toHaveLength(3);
    expect(ids(report)).toContain("KK003");
    expect(r.stdout).not.toContain("boom");
  });

  it("KK000 is in SARIF as a rule and a result; the exit code follows --fail-on; text shows no stack", () => {
    const dir = leakyWorkspace();
    const sarif = JSON.parse(keykit(dir, [...CHECK, "--format", "sarif"], {}, brokenRule).stdout);
    const run = sarif.runs[0];
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === "KK000");
    expect(result.level).toBe("error");
    expect(result.message.text).toContain("KK005");
    const rule = run.tool.driver.rules[result.ruleIndex];
    expect(rule.id).toBe("KK000");
    // The full rule, not a summary: its fix is the help, and it can never be acknowledged.
    expect(rule.help.text).toMatch(/Report the bug to keykit with the rule ID/);
    expect(rule.properties["security-severity"]).toBe("9.0");
    expect(run.results.some((x: { ruleId: string }) => x.ruleId === "KK007")).toBe(true);
    expect(keykit(dir, [...CHECK, "--fail-on", "none"], {}, brokenRule).code).toBe(0);
    const text = keykit(dir, CHECK, {}, brokenRule);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe("");
    expect(text.stdout).toContain("KK000 RuleEvaluatedWithoutError [error]");
    expect(text.stdout).toMatch(
      /\n {2}✗ infra\/cdk\.tf\.json: KK005\n.*\n {2}fix: Report the bug to keykit with the rule ID/,
    );
    const md = keykit(dir, [...CHECK, "--format", "markdown"], {}, brokenRule).stdout;
    expect(md).toMatch(/^- \*\*KK000 RuleEvaluatedWithoutError\*\*: Report the bug to keykit/m);
    expect(text.stdout).not.toMatch(/boom|\n\s+at /);
  });

  it("an internal error exits 3 with one line, no stack and no input; KEYKIT_DEBUG=1 adds the stack", () => {
    const dir = leakyWorkspace();
    for (const [bin, args] of [
      [brokenReporter, [...CHECK, "--format", "sarif"]],
      [brokenReporter, [...AUDIT, "--format", "sarif"]],
      [brokenAtLoad, CHECK],
    ] as const) {
      const r = keykit(dir, args, {}, bin);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^keykit: internal error \((TypeError|RangeError)\); set KEYKIT_DEBUG=1 for the detail/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/boom|HARDCODED|\n\s+at /);
    }
    const debug = keykit(dir, [...CHECK, "--format", "sarif"], { KEYKIT_DEBUG: "1" }, brokenReporter);
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/^keykit: internal error \(TypeError\)/);
    expect(debug.stderr).toContain(`TypeError: ${BOOM}`);
    expect(debug.stderr).toMatch(/\n\s+at formatSarif \(.*reporters[/\\]sarif\.js:\d+:\d+\)/);
  });
});

describe("4. reports", () => {
  const acks = (dir: string) =>
    writeJson(dir, "keykit.acknowledgements.json", {
      version: 1,
      acknowledgements: [DEV_KEY_ACK],
    });

  it("SARIF: regions span the block's lines; an acknowledged finding is a suppression with its justification", () => {
    const dir = workspace(DEV_KEY_TF);
    acks(dir);
    const sarif = JSON.parse(keykit(dir, [...CHECK, "--format", "sarif"]).stdout);
    const results = sarif.runs[0].results as Json[];
    const find = (id: string) =>
      results.find((x) => x.ruleId === id) as Json & {
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: Json } }[];
        suppressions?: Json[];
      };
    const kk001 = find("KK001");
    expect(kk001.locations[0].physicalLocation.artifactLocation.uri).toBe("infra/main.tf");
    expect(kk001.locations[0].physicalLocation.region).toMatchObject({ startLine: 3, endLine: 18 });
    expect(kk001.suppressions).toBeUndefined();
    expect(find("KK003").suppressions).toEqual([
      { kind: "external", justification: "migrating to BlueGreenApiKey in Q1 (until 2027-03-31)" },
    ]);
  });

  it("JUnit: an acknowledged finding is skipped, not failed; audit reports the same way", () => {
    const dir = workspace();
    acks(dir);
    const check = keykit(dir, [...CHECK, "--format", "junit", "--fail-on", "warning"]).stdout;
    expect(check).toMatch(
      /<testcase classname="KK003" name="[^"]*">\n\s+<skipped message="acknowledged until 2027-03-31: /,
    );
    expect(check).toMatch(/<testcase classname="KK001" name="[^"]*">\n\s+<failure type="error"/);
    expect(check).toMatch(/<testsuites [^>]*failures="1" errors="0" skipped="1"/);
    const audit = keykit(dir, [...AUDIT, "--format", "junit"]);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/<testsuites name="keykit audit"/);
    expect(audit.stdout).toMatch(/<testcase classname="KK004" name="[^"]*">\n\s+<system-out>warning: /);
    expect(audit.stdout).toMatch(/<testcase classname="KK001" name="[^"]*">\n\s+<failure type="error"/);
  });

  it("text: ℹ and ✓ with their colours; NO_COLOR alone and FORCE_COLOR=0 turn colour off; never in a file", () => {
    const dir = workspace();
    acks(dir);
    // A key declared in cdk.tf.json that no exported key matches: an info (not deployed yet?).
    writeJson(dir, "stack/cdk.tf.json", {
      resource: {
        confluent_api_key: {
          billing: {
            display_name: "billing",
            description: "billing-app key",
            owner: { id: "sa-orders1", api_version: "iam/v2", kind: "ServiceAccount" },
            managed_resource: CLUSTER_RESOURCE,
          },
        },
      },
    });
    const audit = keykit(dir, [...AUDIT, "--config", "stack/cdk.tf.json"], { FORCE_COLOR: "1" }).stdout;
    expect(audit).toContain("\u001b[36mℹ\u001b[0m");
    expect(audit).toContain("\u001b[33m⚠\u001b[0m");
    const check = keykit(dir, CHECK, { FORCE_COLOR: "1" }).stdout;
    expect(check).toContain("\u001b[32m✓\u001b[0m");
    expect(check).toContain("\u001b[31m✗\u001b[0m");
    const plain = keykit(dir, CHECK).stdout;
    expect(plain).toMatch(/ {2}✓ infra\/cdk\.tf\.json:4: confluent_api_key\.dev \[acknowledged until 2027-03-31: /);
    expect(keykit(dir, [...AUDIT, "--config", "stack/cdk.tf.json"]).stdout).toMatch(/ {2}ℹ /);
    for (const env of [{ NO_COLOR: "1" }, { FORCE_COLOR: "0" }, {}] as Record<string, string>[])
      expect(keykit(dir, CHECK, env).stdout).not.toContain("\u001b[");
    keykit(dir, [...CHECK, "--output", "report.txt"], { FORCE_COLOR: "1" });
    const file = readFileSync(join(dir, "report.txt"), "utf8");
    expect(file).toContain("✗");
    expect(file).not.toContain("\u001b[");
  });

  it("Markdown: the audit marker; input strings escaped, every row four cells, fixes as the kit wrote them", () => {
    const dir = workspace();
    const hostile = "lead|`rm -rf`<img src=x onerror=alert(1)>@octocat [click](https://evil.example) #12 **bold**";
    writeJson(dir, "stack/cdk.tf.json", {
      resource: {
        confluent_api_key: {
          billing: {
            display_name: "billing",
            description: hostile,
            owner: { id: "sa-orders1", api_version: "iam/v2", kind: "ServiceAccount" },
            managed_resource: CLUSTER_RESOURCE,
          },
        },
      },
    });
    const md = keykit(dir, [...AUDIT, "--config", "stack/cdk.tf.json", "--format", "markdown"]).stdout;
    expect(md.split("\n")[0]).toBe("<!-- keykit:audit -->");
    const rows = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Severity"));
    expect(rows.length).toBeGreaterThan(3);
    // GFM splits a row at every pipe not escaped by a backslash: four cells, so five unescaped pipes.
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
    const kk104 = rows.find((r) => r.includes("KK104")) ?? "";
    expect(kk104).toContain("lead\\|\\`rm -rf\\`&lt;img src=x onerror=alert\\(1\\)&gt;`@`octocat");
    expect(kk104).toContain("\\[click\\]\\(https&#58;//evil.example\\) `#`12 \\*\\*bold\\*\\*");
    expect(md).not.toMatch(/<img|https:\/\/evil|\[click\]\(/);
    const fixes = md.slice(md.indexOf("**How to fix**"));
    expect(fixes).toMatch(/^- \*\*KK004 ApiKeyYoungerThanMaxAge\*\*: Rotate the key \(`keykit rotate start <name>`/m);
    expect(fixes).not.toMatch(/\\\||\\`/);
  });

  it("GitLab: audit findings with their severities and places; acknowledged findings are left out", () => {
    const dir = workspace();
    writeJson(dir, "keykit.acknowledgements.json", {
      version: 1,
      acknowledgements: [
        {
          rule: "KK004",
          resource: "SERVICEKEY000001",
          reason: "rotation booked for the next sprint",
          expires: "2027-03-31",
        },
      ],
    });
    const issues = JSON.parse(keykit(dir, [...AUDIT, "--format", "gitlab"]).stdout) as {
      check_name: string;
      severity: string;
      description: string;
      fingerprint: string;
      location: { path: string; lines: { begin: number } };
    }[];
    const kk001 = issues.find((i) => i.check_name === "KK001");
    // Each finding on the line of its item in the export it came from (keys.json line 3: USERKEY000000001's "key").
    expect(kk001).toMatchObject({ severity: "critical", location: { path: "keys.json", lines: { begin: 3 } } });
    expect(kk001?.description).toContain("USERKEY000000001");
    expect(issues.find((i) => i.check_name === "KK008")).toMatchObject({
      severity: "major",
      location: { path: "accounts.json", lines: { begin: 8 } },
    });
    expect(issues.filter((i) => i.check_name === "KK004").map((i) => i.description)).toEqual([
      expect.stringMatching(/^KK004 .*USERKEY000000001/),
    ]);
    for (const i of issues) expect(i.fingerprint).toMatch(/^[0-9a-f]{32,64}$/);
  });
});

describe("5. messages", () => {
  it("no rule's fix says `cdktf deploy`; the plan rules' fixes describe plan → keykit check → apply", () => {
    const r = keykit(project(), ["rules", "--format", "json"]);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as { id: string; fix: string; helpUri: string }[];
    expect(rules.length).toBeGreaterThanOrEqual(20);
    for (const rule of rules) expect(rule.fix).not.toMatch(/cdktf deploy/);
    for (const id of ["KK011", "KK013"])
      expect(rules.find((x) => x.id === id)?.fix).toMatch(/plan.*`?keykit check`?.*appl/);
    const shown = keykit(project(), ["rules", "KK011"]).stdout;
    expect(shown).toMatch(/\n {2}fix: .*keykit check/);
    expect(shown).not.toContain("cdktf deploy");
  });

  it("each practice has its own link; KK007 links each provider's finding to that provider's docs", () => {
    const rules = JSON.parse(keykit(project(), ["rules", "--format", "json"]).stdout) as {
      id: string;
      helpUri: string;
    }[];
    const link = (id: string) => rules.find((r) => r.id === id)?.helpUri;
    expect(new Set(rules.map((r) => r.helpUri)).size).toBeGreaterThanOrEqual(6);
    expect(link("KK001")).toMatch(/#use-service-account-api-keys-for-production$/);
    expect(link("KK003")).toMatch(/#rotate-api-keys-regularly$/);
    expect(link("KK001")).not.toBe(link("KK003"));
    const dir = workspace(PROVIDERS_TF);
    const report = json(keykit(dir, [...CHECK, "--format", "json"]));
    const links = new Map(report.findings.filter((f) => f.ruleId === "KK007").map((f) => [f.subject, f.helpUri]));
    expect(links.get("provider.confluent")).toMatch(
      /^https:\/\/registry\.terraform\.io\/providers\/confluentinc\/confluent\//,
    );
    expect(links.get("provider.aws")).toMatch(/^https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\//);
    expect(links.get("provider.vault")).toMatch(/^https:\/\/registry\.terraform\.io\/providers\/hashicorp\/vault\//);
    const md = keykit(dir, [...CHECK, "--format", "markdown"]).stdout;
    expect(md).toContain(`[KK007](${links.get("provider.aws")})`);
    const text = keykit(dir, [...CHECK, "--format", "text"]).stdout;
    for (const uri of links.values()) expect(text).toContain(`see: ${uri}`);
    // The hard-coded values themselves are never printed.
    expect(md + JSON.stringify(report)).not.toMatch(/plain-secret|HARDCODEDTOKEN|AKIAHARDCODED/);
  });
});

describe("6. integrations, run as their files write them", () => {
  /** The arguments after `keykit` on a line of `file`, with the shell variables the line uses substituted. */
  function invocation(file: string, vars: Record<string, string> = {}): string[] {
    const line = readFileSync(join(ROOT, file), "utf8")
      .split("\n")
      .find((l) => /npx (--no-install )?keykit /.test(l));
    if (!line) throw new Error(`${file} runs no keykit command`);
    const words = line
      .replace(/^.*?npx (--no-install )?keykit /, "")
      .trim()
      .split(/\s+/);
    return words.flatMap((w) => {
      const name = /^"?\$([A-Z_]+)"?$/.exec(w)?.[1];
      if (name === undefined) return [w];
      // An unquoted variable is split into words (the action's paths), a quoted one is one argument.
      return w.startsWith('"') ? [vars[name]] : vars[name].split(" ");
    });
  }

  function synthesized(): string {
    const dir = workspace(LEAKY_TF);
    synthesizedApp(dir);
    return dir;
  }

  it("the pre-commit hook's entry checks ./cdktf.out and fails on its findings", () => {
    const args = invocation(".pre-commit-hooks.yaml");
    expect(args).toEqual(["check"]);
    const dir = synthesized();
    const r = keykit(dir, [...args, "--format", "json"]);
    // Not the infra/ module with its errors: only the synthesized stacks, whose one finding is the idle account.
    expect(
      json(r)
        .inputs.map((i) => i.source)
        .sort(),
    ).toEqual(["cdktf.out/stacks/idle/cdk.tf.json", "cdktf.out/stacks/orders/cdk.tf.json"]);
    expect(ids(json(r))).toEqual(["KK008"]);
    expect(keykit(dir, args).code).toBe(0);
    const stack = join(dir, "cdktf.out/stacks/idle/cdk.tf.json");
    const withProvider = {
      ...(JSON.parse(readFileSync(stack, "utf8")) as Json),
      provider: { confluent: [{ cloud_api_key: "HARDCODEDKEY0002", cloud_api_secret: "plain-secret-three" }] },
    };
    writeFileSync(stack, JSON.stringify(withProvider));
    const failing = keykit(dir, args);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("KK007");
    expect(failing.stdout).not.toContain("plain-secret-three");
  });

  it("action.yml's command writes the SARIF file it uploads, and exits by its fail-on input", () => {
    const dir = synthesized();
    copyFileSync(join(dir, "infra", "main.tf"), join(dir, "leaky.tf"));
    const vars = {
      KEYKIT_PATHS: "cdktf.out leaky.tf",
      KEYKIT_SARIF: "keykit.sarif",
      KEYKIT_INPUT_FAIL_ON: "error",
    };
    const r = keykit(dir, invocation("action.yml", vars));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^keykit: \d+ finding\(s\) at or above error: KK005, KK007 \(report in keykit\.sarif\)\n$/,
    );
    const sarif = JSON.parse(readFileSync(join(dir, "keykit.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    const uris = new Set(
      sarif.runs[0].results.map(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          x.locations[0].physicalLocation.artifactLocation.uri,
      ),
    );
    expect(uris).toContain("leaky.tf");
    expect(uris).toContain("cdktf.out/stacks/idle/cdk.tf.json");
    expect(keykit(dir, invocation("action.yml", { ...vars, KEYKIT_INPUT_FAIL_ON: "none" })).code).toBe(0);
  });
});
