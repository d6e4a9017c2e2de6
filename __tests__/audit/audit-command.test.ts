import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Report } from "../../policies/report";
import {
  type AccountSpec,
  cdktfJson,
  emptyRotationState,
  type KeySpec,
  runKeykit,
  type Shape,
  planJson,
  stateJson,
  tempDir,
  writeInventory,
  writeAcksFile,
  writeJson,
} from "./helpers";

const NOW = "2026-06-01";
const SECRET = "PLANTED-SECRET-9f8e7d6c5b4a39281706";

// One organisation, exported in either shape. Expected findings are written out per key below.
const KEYS: KeySpec[] = [
  {
    id: "APPKEY1",
    owner: "sa-app",
    description: "Managed by keykit (test/App)",
    created: "2026-05-01T00:00:00Z",
    secret: SECRET,
  },
  { id: "MANAGEDSTALE", owner: "sa-app", description: "Managed by keykit (test/Old)", created: "2025-01-01T00:00:00Z" },
  {
    id: "USERKEY",
    owner: "u-dev",
    resources: [{ type: "cloud", id: "" }],
    created: "2026-05-20T00:00:00Z",
    secret: SECRET,
  },
  { id: "STALEKEY", owner: "sa-other", description: "made by hand", created: "2025-01-01T00:00:00Z" },
  { id: "FRESHUNMANAGED", owner: "sa-other", created: "2026-05-25T00:00:00Z" },
  { id: "ORPHANKEY", owner: "sa-deleted", created: "2026-05-10T00:00:00Z" },
  { id: "POSSIBLY", owner: "sa-app", description: "renamed in the console", created: "2024-01-01T00:00:00Z" },
];
const ACCOUNTS: AccountSpec[] = [
  { id: "sa-app", name: "orders-app" },
  { id: "sa-other", name: "other-team" },
  { id: "sa-idle", name: "idle" },
  { id: "sa-idlem", name: "idle-managed" },
];
const CONFIG = cdktfJson(
  [
    { name: "app_key", ownerResource: "app", description: "Managed by keykit (test/App)" },
    { name: "old_key", ownerResource: "app", description: "Managed by keykit (test/Old)" },
    { name: "missing_key", ownerResource: "app", description: "Managed by keykit (test/Missing)" },
  ],
  [
    { name: "app", displayName: "orders-app" },
    { name: "idle_managed", displayName: "idle-managed" },
  ],
  [{ name: "app_rb", ownerResource: "app" }],
);

function setup(shape: Shape) {
  const dir = tempDir();
  const inventory = writeInventory(dir, shape, KEYS, ACCOUNTS);
  const config = writeJson(join(dir, "cdk.tf.json"), CONFIG);
  return {
    dir,
    inventory,
    config,
    base: [
      "audit",
      "--inventory",
      ...inventory,
      "--config",
      config,
      "--now",
      NOW,
      "--rotation-state",
      emptyRotationState(dir),
    ],
  };
}

async function report(argv: string[], cwd = tempDir()): Promise<{ code: number; report: Report }> {
  const result = await runKeykit([...argv, "--format", "json"], { cwd });
  expect(result.stderr).toBe("");
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const ids = (r: Report) => r.findings.map((f) => `${f.ruleId}:${f.subject}`).sort();

describe.each<Shape>(["cli", "api"])("keykit audit on %s exports", (shape) => {
  it("reports each finding with its rule ID and severity", async () => {
    const { base } = setup(shape);
    const { code, report: r } = await report(base);
    expect(ids(r)).toEqual(
      [
        "KK101:USERKEY",
        "KK101:STALEKEY",
        "KK101:FRESHUNMANAGED",
        "KK101:ORPHANKEY",
        "KK101:POSSIBLY",
        "KK001:USERKEY",
        "KK004:MANAGEDSTALE",
        "KK004:STALEKEY",
        "KK004:POSSIBLY",
        "KK008:sa-idle",
        "KK008:sa-idlem",
        "KK102:ORPHANKEY",
        "KK104:confluent_api_key.missing_key",
        "KK009:APPKEY1", // three keys of sa-app on lkc-abc123: APPKEY1, MANAGEDSTALE, POSSIBLY
      ].sort(),
    );
    expect(r.findings.find((f) => f.ruleId === "KK104")?.severity).toBe("info"); // no id known: maybe not deployed
    expect(r.findings.find((f) => f.ruleId === "KK001")?.severity).toBe("error");
    expect(r.findings.find((f) => f.subject === "POSSIBLY" && f.ruleId === "KK101")?.message).toMatch(
      /may be confluent_api_key\.missing_key/,
    );
    expect(code).toBe(1); // errors at the default --fail-on error
  });

  it("honours --max-age-days and --fail-on", async () => {
    const { base } = setup(shape);
    // STALEKEY and MANAGEDSTALE are 516 days old, POSSIBLY 882.
    const { report: r } = await report([...base, "--max-age-days", "600"]);
    expect(ids(r).filter((id) => id.startsWith("KK004"))).toEqual(["KK004:POSSIBLY"]);
    expect((await runKeykit([...base, "--fail-on", "none"])).code).toBe(0);
    expect((await runKeykit([...base, "--fail-on", "warning"])).code).toBe(1);
  });

  it("writes a cleanup script that deletes only on evidence and comments out the rest", async () => {
    const { base, dir } = setup(shape);
    const script = join(dir, "cleanup.sh");
    const result = await runKeykit([...base, "--emit-cleanup", script, "--fail-on", "none"]);
    expect(result.code).toBe(0);
    const text = readFileSync(script, "utf8");
    expect(statSync(script).mode & 0o777).toBe(0o755);
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(text).toContain("\nset -euo pipefail\n");
    const commands = text.split("\n").filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("set "));
    // Positive evidence only: the owner is gone (ORPHANKEY).
    expect(commands).toEqual(["confluent api-key delete --force -- ORPHANKEY"]);
    // User-owned, old or merely unmanaged is not evidence: commented out, saying what is missing. An account with
    // no key and no configured grant is not evidence either: its role bindings live outside the configuration.
    expect(text.split("\n").filter((l) => l.startsWith("# confluent "))).toEqual([
      "# confluent api-key delete --force -- USERKEY",
      "# confluent api-key delete --force -- STALEKEY",
      "# confluent api-key delete --force -- FRESHUNMANAGED",
      "# confluent iam service-account delete --force -- sa-idle",
    ]);
    expect(text).toMatch(
      /# NOT DELETED: no evidence it is unneeded .*needs no successful authentication over 90 days of audit log \(pass --audit-log\)\n# confluent api-key delete --force -- STALEKEY/,
    );
    expect(text).toMatch(
      /# NOT DELETED: no evidence it is unneeded: the role-binding export is missing: 'confluent iam rbac role-binding list --principal User:sa-idle --inclusive -o json > role-bindings\.sa-idle\.json', then --role-bindings role-bindings\.sa-idle\.json; an audit log covering 90 days \(--audit-log\) is missing\n# confluent iam service-account delete --force -- sa-idle/,
    );
    expect(text).toMatch(
      /# evidence: its owner sa-deleted no longer exists \(KK102\)\nconfluent api-key delete --force -- ORPHANKEY/,
    );
    // Managed (or possibly managed) keys are never deleted behind the configuration's back.
    for (const kept of ["APPKEY1", "MANAGEDSTALE", "POSSIBLY", "sa-idlem", "sa-app"])
      expect(text).not.toContain(`delete --force -- ${kept}\n`);
    // Each delete is preceded by its reasons: owner, age and finding IDs.
    const block = text.split("\n\n").find((b) => b.includes("delete --force -- STALEKEY"));
    expect(block).toMatch(
      /# API key STALEKEY: owner sa-other \(service-account\), age 516 days \(created 2025-01-01T00:00:00Z\)/,
    );
    expect(block).toMatch(/# KK004 ApiKeyYoungerThanMaxAge \(warning\): .*516 days ago/);
    expect(block).toMatch(/# KK101 /);
    expect(text.split("\n\n").find((b) => b.includes("delete --force -- ORPHANKEY"))).toMatch(
      /# KK102 ApiKeyOwnerExists \(error\)/,
    );
    expect(text).not.toContain(SECRET);
  });

  it("leaves an item out of the script when its finding is acknowledged", async () => {
    const { base, dir } = setup(shape);
    const acks = writeAcksFile(dir, [
      { rule: "KK004", resource: "STALE*", reason: "legacy batch job, replaced in Q3", expires: "2026-12-31" },
      {
        rule: "KK101",
        resource: "STALE*",
        reason: "the batch team's own Terraform manages it",
        expires: "2026-12-31",
      },
    ]);
    const script = join(dir, "cleanup.sh");
    const { report: r } = await report([...base, "--acknowledgements", acks, "--emit-cleanup", script]);
    expect(r.findings.find((f) => f.ruleId === "KK004" && f.subject === "STALEKEY")?.suppressed?.reason).toBe(
      "legacy batch job, replaced in Q3",
    );
    const text = readFileSync(script, "utf8");
    expect(text).not.toContain("delete --force -- STALEKEY");
    expect(text).toContain("# confluent api-key delete --force -- USERKEY");
  });

  it("lets a user-owned key be acknowledged only outside production (--tier development)", async () => {
    const { base, dir } = setup(shape);
    const acks = writeAcksFile(dir, [
      { rule: "KK001", resource: "USERKEY", reason: "developer sandbox key, expires soon", expires: "2026-12-31" },
    ]);
    const production = await report([...base, "--acknowledgements", acks]);
    expect(production.report.findings.find((f) => f.ruleId === "KK001")?.suppressed).toBeUndefined();
    expect(production.report.acknowledgements.rejected).toHaveLength(1);
    const development = await report([...base, "--acknowledgements", acks, "--tier", "development"]);
    expect(development.report.findings.find((f) => f.ruleId === "KK001")?.suppressed?.reason).toBe(
      "developer sandbox key, expires soon",
    );
  });
});

describe("keykit audit: report header and shared acknowledgements", () => {
  it("names itself `keykit audit` in every format that names a command", async () => {
    const { base } = setup("cli");
    const out = async (format: string) => (await runKeykit([...base, "--format", format])).stdout;
    expect(await out("text")).toMatch(/^keykit audit: \d+ errors?, \d+ warnings?/);
    // Rule fixes may tell the reader to `keykit check` a plan; the report itself never calls itself that.
    const ownLines = (await out("text")).split("\n").filter((l) => !/^\s+fix: /.test(l));
    expect(ownLines.join("\n")).not.toContain("keykit check");
    expect(await out("markdown")).toMatch(/^<!-- keykit:audit -->\n### ❌ keykit audit: /);
    expect(await out("junit")).toContain('<testsuites name="keykit audit" ');
    expect(JSON.parse(await out("json")).tool.command).toBe("audit");
    const sarif = JSON.parse(await out("sarif"));
    expect(sarif.runs[0].tool.driver.name).toBe("keykit");
    expect(sarif.runs[0].automationDetails.id).toMatch(/^keykit-audit\//);
  });

  it("accepts an acknowledgements file shared with keykit check: audit rules apply, check-only rules are skipped", async () => {
    const { base, dir } = setup("cli");
    const acks = writeAcksFile(dir, [
      {
        rule: "KK101",
        resource: "FRESHUNMANAGED",
        reason: "created by the data team's tooling",
        expires: "2026-12-31",
      },
      { rule: "KK005", resource: "output.*", reason: "check-only rule, not the audit's", expires: "2026-12-31" },
      { rule: "KK999", resource: "*", reason: "no such rule in the kit", expires: "2026-12-31" },
    ]);
    const { report: r } = await report([...base, "--acknowledgements", acks]);
    expect(r.findings.find((f) => f.ruleId === "KK101" && f.subject === "FRESHUNMANAGED")?.suppressed?.reason).toBe(
      "created by the data team's tooling",
    );
    expect(r.acknowledgements.applied.map((a) => a.rule)).toEqual(["KK101"]);
    expect(r.acknowledgements.rejected.map((a) => [a.rule, a.problem])).toEqual([["KK999", "unknown rule 'KK999'"]]);
    expect(r.acknowledgements.unused).toEqual([]);

    // The same file with keykit check: KK101 is a rule of the kit (not unknown), just not one check runs.
    const check = await runKeykit(["check", join(dir, "cdk.tf.json"), "--acknowledgements", acks, "--format", "json"]);
    const c = JSON.parse(check.stdout) as Report;
    expect(c.acknowledgements.rejected.map((a) => a.rule)).toEqual(["KK999"]);
    expect([...c.acknowledgements.unused, ...c.acknowledgements.applied].map((a) => a.rule)).not.toContain("KK101");
    expect(c.tool.command).toBe("check");
  });
});

describe("keykit audit: configuration directories", () => {
  it("reads every stack of a cdktf.out directory, like keykit check", async () => {
    const dir = tempDir();
    const inventory = writeInventory(dir, "cli", KEYS, ACCOUNTS);
    mkdirSync(join(dir, "cdktf.out", "stacks", "test"), { recursive: true });
    writeJson(join(dir, "cdktf.out", "stacks", "test", "cdk.tf.json"), CONFIG);
    const file = writeJson(join(dir, "cdk.tf.json"), CONFIG);
    const fromDirectory = await report([
      "audit",
      "--inventory",
      ...inventory,
      "--config",
      join(dir, "cdktf.out"),
      "--now",
      NOW,
    ]);
    const fromFile = await report(["audit", "--inventory", ...inventory, "--config", file, "--now", NOW]);
    expect(ids(fromDirectory.report)).toEqual(ids(fromFile.report));
    expect(ids(fromDirectory.report)).toContain("KK101:USERKEY");
    const empty = await runKeykit(["audit", "--inventory", ...inventory, "--config", tempDir()]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(
      /^keykit: .*: no cdk\.tf\.json or cdktf\.out at any depth .*; audit --config takes .*\n$/,
    );
  });
});

describe("keykit audit: partial inventories", () => {
  it("judges no service account as unused without the key list, and no owner as missing without the account list", async () => {
    const dir = tempDir();
    const [keys, accounts] = writeInventory(dir, "cli", KEYS, ACCOUNTS);
    const config = writeJson(join(dir, "cdk.tf.json"), CONFIG);
    const script = join(dir, "cleanup.sh");
    const onlyAccounts = await report([
      "audit",
      "--inventory",
      accounts,
      "--config",
      config,
      "--now",
      NOW,
      "--emit-cleanup",
      script,
    ]);
    expect(ids(onlyAccounts.report)).toEqual([]);
    expect(readFileSync(script, "utf8")).not.toContain("service-account delete");
    expect(onlyAccounts.report.inputs[0].notes).toContain(
      "no API-key list given: unused service accounts (KK008) and drift (KK104) were not checked",
    );
    const onlyKeys = await report(["audit", "--inventory", keys, "--config", config, "--now", NOW]);
    expect(ids(onlyKeys.report).filter((id) => id.startsWith("KK102") || id.startsWith("KK008"))).toEqual([]);
  });
});

describe("keykit audit: desired state from Terraform state JSON", () => {
  it("matches by id and reports configured keys missing in Confluent (drift)", async () => {
    const dir = tempDir();
    const inventory = writeInventory(
      dir,
      "api",
      [{ id: "LIVEKEY", owner: "sa-app", description: "changed in the console" }],
      [{ id: "sa-app", name: "orders-app" }],
    );
    const state = writeJson(
      join(dir, "terraform.tfstate.json"),
      stateJson(
        [
          { name: "live", id: "LIVEKEY", ownerId: "sa-app", description: "Managed by keykit (x)", secret: SECRET },
          { name: "gone", id: "GONEKEY", ownerId: "sa-app", description: "Managed by keykit (y)", secret: SECRET },
        ],
        [{ name: "app", id: "sa-app", displayName: "orders-app" }],
      ),
    );
    const { report: r } = await report([
      "audit",
      "--inventory",
      ...inventory,
      "--config",
      state,
      "--now",
      NOW,
      "--rotation-state",
      emptyRotationState(dir),
    ]);
    expect(ids(r)).toEqual(["KK104:confluent_api_key.gone"]);
    expect(r.findings[0]).toMatchObject({ severity: "warning", message: expect.stringContaining("GONEKEY") });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});

describe("keykit audit: retired rotation slots", () => {
  const description = "Managed by keykit (test/Orders), rotation orders";
  const rotation = {
    version: 1,
    keys: {
      orders: {
        active: "green",
        rotations: 1,
        slots: {
          blue: { status: "retired", deactivatedAt: "2026-05-10T00:00:00Z", retiredAt: "2026-05-20T00:00:00Z" },
          green: { status: "active", createdAt: "2026-05-10T00:00:00Z", activatedAt: "2026-05-10T00:00:00Z" },
        },
      },
    },
  };

  it.each<Shape>(["cli", "api"])(
    "flags the old key still present after rotate finish (%s export); the script deletes it once verified",
    async (shape) => {
      const dir = tempDir();
      const inventory = writeInventory(
        dir,
        shape,
        [
          {
            id: "GREENKEY",
            owner: "sa-app",
            description,
            displayName: "orders (green)",
            created: "2026-05-10T00:03:00Z",
          },
          {
            id: "BLUEKEY",
            owner: "sa-app",
            description,
            displayName: "orders (blue)",
            created: "2026-04-01T00:00:00Z",
          },
        ],
        [{ id: "sa-app", name: "orders-app" }],
      );
      const config = writeJson(
        join(dir, "cdk.tf.json"),
        cdktfJson(
          [
            {
              name: "orders_green",
              ownerResource: "app",
              description,
              displayName: "orders (green)",
              rotation: { name: "orders", slot: "green", active: true },
            },
          ],
          [{ name: "app", displayName: "orders-app" }],
          [{ name: "rb", ownerResource: "app" }],
        ),
      );
      const rotationFile = writeJson(join(dir, "keykit.rotation.json"), rotation);
      const script = join(dir, "cleanup.sh");
      const { code, report: r } = await report(
        ["audit", "--inventory", ...inventory, "--config", config, "--now", NOW, "--emit-cleanup", script],
        dir,
      );
      expect(ids(r)).toEqual(["KK101:BLUEKEY", "KK103:BLUEKEY"]);
      expect(r.findings.find((f) => f.ruleId === "KK103")?.message).toMatch(
        /blue slot of 'orders', retired on 2026-05-20T00:00:00Z/,
      );
      expect(code).toBe(1);
      expect(existsSync(rotationFile)).toBe(true);
      const commands = () =>
        readFileSync(script, "utf8")
          .split("\n")
          .filter((l) => l.startsWith("confluent "));
      // Not verified yet: commented out, saying how to get the evidence.
      expect(commands()).toEqual([]);
      expect(readFileSync(script, "utf8")).toMatch(/needs .*'keykit verify orders' after the apply/);
      // `keykit verify` records a gone proof on the retired slot: evidence, but only for the key id it names.
      const withProof = (keyId: string, extra: Record<string, unknown> = {}) => {
        const blue = {
          ...rotation.keys.orders.slots.blue,
          verifiedAt: "2026-05-21T00:00:00Z",
          verification: {
            proved: "gone",
            keyId,
            by: `retired key ${keyId} is gone (404 from https://api.confluent.cloud)`,
          },
          ...extra,
        };
        writeJson(rotationFile, {
          version: 1,
          keys: { orders: { ...rotation.keys.orders, slots: { ...rotation.keys.orders.slots, blue } } },
        });
      };
      const audit = () =>
        runKeykit(["audit", "--inventory", ...inventory, "--config", config, "--now", NOW, "--emit-cleanup", script], {
          cwd: dir,
        });
      // A proof for another id (a mistyped --retired-key-id) is no evidence for BLUEKEY.
      withProof("BLUEKEY2");
      await audit();
      expect(commands()).toEqual([]);
      // A later failed verify of the slot takes the proof back.
      withProof("BLUEKEY", { failedVerify: { at: "2026-05-22T00:00:00Z", keyId: "BLUEKEY", failed: "still exists" } });
      await audit();
      expect(commands()).toEqual([]);
      withProof("BLUEKEY");
      await audit();
      expect(commands()).toEqual(["confluent api-key delete --force -- BLUEKEY"]);
      expect(readFileSync(script, "utf8")).toContain(
        "# evidence: retired blue slot of 'orders', verified on 2026-05-21T00:00:00Z",
      );
    },
  );
});

describe("keykit audit: bad usage and bad input exit 2 with one line", () => {
  it.each([
    [
      "truncated export",
      (dir: string) => [
        "--inventory",
        writeText(join(dir, "keys.json"), '[{"key": "A", "owner": "sa-1"'),
        "--now",
        NOW,
      ],
      /keys\.json: truncated JSON/,
    ],
    [
      "malformed export",
      (dir: string) => ["--inventory", writeText(join(dir, "keys.json"), '[{"key": "A" "owner": "sa-1"}]')],
      /keys\.json: invalid JSON at line 1, column 14/,
    ],
    ["missing file", (dir: string) => ["--inventory", join(dir, "nope.json")], /nope\.json: no such file or directory/],
    ["no inventory", () => [], /^keykit: audit: needs --inventory/],
    ["unknown flag", () => ["--frobnicate"], /unknown option '--frobnicate'/],
    [
      "bad --max-age-days",
      (dir: string) => ["--inventory", join(dir, "x.json"), "--max-age-days", "-3"],
      /audit: --max-age-days .-3. must be a whole number of days/,
    ],
    [
      "bad --now",
      (dir: string) => ["--inventory", join(dir, "x.json"), "--now", "tomorrow"],
      /audit: --now .* is not a real ISO 8601 date/,
    ],
    [
      "cleanup without configuration",
      (dir: string) => ["--inventory", join(dir, "x.json"), "--emit-cleanup", "c.sh"],
      /--emit-cleanup needs --config/,
    ],
    [
      "bad configuration",
      (dir: string) => [
        "--inventory",
        writeText(join(dir, "api-keys.json"), "[]"),
        "--config",
        writeText(join(dir, "c.json"), '{"x": 1}'),
      ],
      /c\.json: cannot tell what this JSON is/,
    ],
    [
      "missing rotation-state file",
      (dir: string) => ["--inventory", writeText(join(dir, "api-keys.json"), "[]"), "--rotation-state", "nope.json"],
      /audit: nope\.json: no such file/,
    ],
    [
      "malformed rotation-state file",
      (dir: string) => [
        "--inventory",
        writeText(join(dir, "api-keys.json"), "[]"),
        "--rotation-state",
        writeText(join(dir, "r.json"), '{"version": 7}'),
      ],
      /unsupported version 7/,
    ],
  ])("%s", async (_name, args, pattern) => {
    const dir = tempDir();
    const result = await runKeykit(["audit", ...args(dir)], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).toMatch(/^keykit: [^\n]+\n$/);
  });
});

function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

describe("keykit audit: redaction", () => {
  it.each(["text", "json", "sarif", "junit", "markdown", "gitlab", "html"])(
    "a secret planted in the exports and the state never appears in %s output",
    async (format) => {
      const dir = tempDir();
      const cli = writeInventory(dir, "cli", KEYS, ACCOUNTS);
      const api = writeJson(join(dir, "api-keys-page.json"), {
        ...JSON.parse(readFileSync(writeInventory(tempDir(), "api", KEYS, ACCOUNTS)[0], "utf8")),
      });
      const state = writeJson(
        join(dir, "state.json"),
        stateJson(
          [
            {
              name: "app_key",
              id: "APPKEY1",
              ownerId: "sa-app",
              description: "Managed by keykit (test/App)",
              secret: SECRET,
            },
          ],
          [{ name: "app", id: "sa-app", displayName: "orders-app" }],
        ),
      );
      const config = writeJson(join(dir, "cdk.tf.json"), CONFIG);
      const script = join(dir, "cleanup.sh");
      const out = join(dir, `report.${format}`);
      const result = await runKeykit(
        [
          "audit",
          "--inventory",
          ...cli,
          api,
          "--config",
          config,
          state,
          "--now",
          NOW,
          "--format",
          format,
          "--output",
          out,
          "--emit-cleanup",
          script,
        ],
        { cwd: dir },
      );
      expect(result.code).toBe(1);
      const text = readFileSync(out, "utf8");
      expect(text).toContain("USERKEY"); // the report is about the planted keys…
      for (const output of [text, result.stdout, result.stderr, readFileSync(script, "utf8")])
        expect(output).not.toContain(SECRET); // …without their secret
    },
  );
});

describe("keykit audit: the key graph", () => {
  it("draws the organisation's keys under their owners in the Markdown report, the user-owned key marked as an error", async () => {
    const dir = tempDir();
    const files = writeInventory(dir, "cli", KEYS, ACCOUNTS);
    const result = await runKeykit(["audit", "--inventory", ...files, "--now", NOW, "--format", "markdown"], {
      cwd: dir,
    });
    const graph = /```mermaid\n([\s\S]*?)\n```/.exec(result.stdout)?.[1] ?? "";
    const node = (label: string) =>
      graph.split("\n").find((l) => l.includes(`"${label}`) || l.includes(` ${label}<br>`));
    for (const k of KEYS) expect(graph).toContain(k.id);
    const userKey = KEYS.find((k) => k.owner.startsWith("u-"));
    const line = graph.split("\n").find((l) => /^ {2}k\d+\[/.test(l) && l.includes(userKey?.id ?? "?"));
    const id = /^ {2}(k\d+)/.exec(line ?? "")?.[1];
    expect(id).toBeDefined();
    expect(graph).toMatch(new RegExp(`class [^\\n]*\\b${id}\\b[^\\n]* error`));
    expect(node(userKey?.owner ?? "?")).toMatch(/^ {2}o\d+\(\[/);
  });
});

describe("keykit audit: desired state from a plan", () => {
  it("matches kept keys by id, created keys by description, and never deletes a key the plan deletes", async () => {
    const dir = tempDir();
    const inventory = writeInventory(
      dir,
      "cli",
      [
        { id: "KEPT", owner: "sa-app", description: "kept", created: "2026-05-01T00:00:00Z" },
        { id: "OLDSLOT", owner: "sa-app", description: "replaced", created: "2025-01-01T00:00:00Z" },
        { id: "NEWKEY", owner: "sa-app", description: "new key", created: "2026-05-30T00:00:00Z" },
      ],
      [{ id: "sa-app", name: "orders-app" }],
    );
    const plan = writeJson(
      join(dir, "plan.json"),
      planJson(
        [
          {
            name: "kept",
            actions: ["no-op"],
            before: { id: "KEPT", ownerId: "sa-app", description: "kept", secret: SECRET },
            after: { id: "KEPT", ownerId: "sa-app", description: "kept", secret: SECRET },
          },
          {
            name: "old",
            actions: ["delete"],
            before: { id: "OLDSLOT", ownerId: "sa-app", description: "replaced", secret: SECRET },
          },
          { name: "fresh", actions: ["create"], after: { ownerId: "sa-app", description: "new key" } },
          {
            name: "gone",
            actions: ["delete"],
            before: { id: "ALREADYGONE", ownerId: "sa-app", description: "x", secret: SECRET },
          },
          {
            name: "vanished",
            actions: ["no-op"],
            before: { id: "VANISHED", ownerId: "sa-app", description: "v" },
            after: { id: "VANISHED", ownerId: "sa-app", description: "v" },
          },
        ],
        [{ name: "app", id: "sa-app", displayName: "orders-app" }],
      ),
    );
    const script = join(dir, "cleanup.sh");
    const { report: r } = await report(
      ["audit", "--inventory", ...inventory, "--config", plan, "--now", NOW, "--emit-cleanup", script],
      dir,
    );
    // OLDSLOT is stale but the plan deletes it: reported, never in the script; ALREADYGONE is no drift.
    // KK009: three keys of sa-app on one cluster exist until the apply deletes OLDSLOT; VANISHED is drift.
    expect(ids(r)).toEqual(["KK004:OLDSLOT", "KK009:KEPT", "KK104:confluent_api_key.vanished"]);
    expect(r.findings.find((f) => f.ruleId === "KK104")).toMatchObject({
      severity: "warning",
      message: expect.stringContaining("VANISHED"),
    });
    expect(readFileSync(script, "utf8")).toContain("# Nothing to delete.");
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});
