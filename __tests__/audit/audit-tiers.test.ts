/**
 * Tiers and opt-ins in `keykit audit`: each key is judged at the tier of the stack it matched, with that stack's
 * opt-ins; unmatched keys at `--tier` (default production). Accepted opt-ins are listed in audit and check reports.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Report } from "../../policies/report";
import { type KeySpec, runKeykit, tempDir, writeInventory, writeAcksFile, writeJson } from "./helpers";

const NOW = "2026-06-01";
const SANDBOX_REASON = "personal sandbox for the schema migration spike, ends with Q3";

/** A user-owned Kafka key as a stack's cdk.tf.json declares it, with an optional development opt-in. */
function userKey(description: string, owner: string, optIn?: string): Record<string, unknown> {
  return {
    display_name: description,
    description,
    owner: { id: owner, api_version: "iam/v2", kind: "User" },
    managed_resource: { id: "lkc-abc123", api_version: "cmk/v2", kind: "Cluster", environment: { id: "env-1" } },
    "//": { keykit: { version: 1, ...(optIn ? { userOwner: { reason: optIn } } : {}) } },
  };
}

function stack(name: string, tier: string, keys: Record<string, unknown>): Record<string, unknown> {
  return {
    "//": { metadata: { backend: "local", stackName: name, version: "0.20.11" }, keykit: { version: 1, tier } },
    provider: { confluent: [{}] },
    terraform: { required_providers: { confluent: { source: "confluentinc/confluent", version: "2.83.0" } } },
    resource: { confluent_api_key: keys },
  };
}

const KEYS: KeySpec[] = [
  { id: "OPSKEY", owner: "u-ops1", description: "ops break-glass key (prod)", created: "2026-05-01T00:00:00Z" },
  { id: "SANDBOX", owner: "u-dev1", description: "sandbox key (dev)", created: "2026-05-01T00:00:00Z" },
  { id: "DEVNOOPT", owner: "u-dev2", description: "forgotten opt-in (dev)", created: "2026-05-01T00:00:00Z" },
  { id: "STRAY", owner: "u-stray", description: "made in the console", created: "2026-05-01T00:00:00Z" },
];

function setup() {
  const dir = tempDir();
  const out = join(dir, "cdktf.out");
  for (const [name, tier, keys] of [
    ["payments-prod", "production", { ops: userKey("ops break-glass key (prod)", "u-ops1") }],
    [
      "payments-dev",
      "development",
      {
        sandbox: userKey("sandbox key (dev)", "u-dev1", SANDBOX_REASON),
        noopt: userKey("forgotten opt-in (dev)", "u-dev2"),
      },
    ],
  ] as const) {
    mkdirSync(join(out, "stacks", name), { recursive: true });
    writeJson(join(out, "stacks", name, "cdk.tf.json"), stack(name, tier, keys));
  }
  const inventory = writeInventory(dir, "api", KEYS, []);
  return { dir, out, args: ["--inventory", inventory[0], "--config", out, "--now", NOW] };
}

async function audit(dir: string, args: readonly string[]): Promise<Report> {
  const result = await runKeykit(["audit", ...args, "--format", "json"], { cwd: dir });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as Report;
}

const kk001 = (r: Report) =>
  r.findings
    .filter((f) => f.ruleId === "KK001")
    .map((f) => `${f.subject}:${f.severity}:${f.acknowledgeable ? "ackable" : "fixed"}`)
    .sort();

describe("keykit audit: tiers per stack", () => {
  it("judges each key at its stack's tier with its opt-ins, and unmatched keys at production", async () => {
    const { dir, args } = setup();
    const r = await audit(dir, args);
    expect(kk001(r)).toEqual(["DEVNOOPT:warning:ackable", "OPSKEY:error:fixed", "STRAY:error:fixed"]);
    expect(r.findings.find((f) => f.subject === "DEVNOOPT" && f.ruleId === "KK001")?.message).toMatch(
      /without an explicit development opt-in/,
    );
  });

  it("--tier only moves the unmatched keys: a production stack's user key stays an error", async () => {
    const { dir, args } = setup();
    const r = await audit(dir, [...args, "--tier", "development"]);
    expect(kk001(r)).toEqual(["DEVNOOPT:warning:ackable", "OPSKEY:error:fixed", "STRAY:warning:ackable"]);
  });

  it("accepts an acknowledgement of a development stack's key, rejects one of a production stack's", async () => {
    const { dir, args } = setup();
    const acks = writeAcksFile(dir, [
      { rule: "KK001", resource: "DEVNOOPT", reason: "opt-in is being added in PR 214", expires: "2026-07-01" },
      { rule: "KK001", resource: "OPSKEY", reason: "break-glass key, reviewed monthly", expires: "2026-07-01" },
    ]);
    const r = await audit(dir, [...args, "--acknowledgements", acks]);
    const of = (subject: string) => r.findings.find((f) => f.ruleId === "KK001" && f.subject === subject);
    expect(of("DEVNOOPT")?.suppressed?.reason).toBe("opt-in is being added in PR 214");
    expect(of("OPSKEY")?.suppressed).toBeUndefined();
    expect(r.acknowledgements.rejected.map((a) => a.target)).toEqual(["OPSKEY"]);
  });

  it("lists accepted opt-ins (who, why, where) in the audit report, in JSON and text", async () => {
    const { dir, out, args } = setup();
    const r = await audit(dir, args);
    expect(r.optIns).toEqual([
      {
        rule: "KK001",
        subject: "SANDBOX",
        owner: "u-dev1",
        reason: SANDBOX_REASON,
        tier: "development",
        source: join(out, "stacks", "payments-dev", "cdk.tf.json"),
      },
    ]);
    const text = await runKeykit(["audit", ...args, "--fail-on", "none"], { cwd: dir });
    expect(text.stdout).toContain("accepted opt-ins (reviewers: who holds these and why):");
    expect(text.stdout).toContain(`  KK001 SANDBOX: owner u-dev1 (development, `);
    expect(text.stdout).toContain(SANDBOX_REASON);
    const markdown = await runKeykit(["audit", ...args, "--format", "markdown", "--fail-on", "none"], { cwd: dir });
    expect(markdown.stdout).toContain("<details><summary>Accepted opt-ins</summary>");
  });

  it("lists no opt-in when the stack is production (the opt-in is not accepted there)", async () => {
    const dir = tempDir();
    const file = writeJson(
      join(dir, "cdk.tf.json"),
      stack("p", "production", { sandbox: userKey("sandbox key (dev)", "u-dev1", SANDBOX_REASON) }),
    );
    const inventory = writeInventory(dir, "api", KEYS.slice(1, 2), []);
    const r = await audit(dir, ["--inventory", inventory[0], "--config", file, "--now", NOW]);
    expect(r.optIns).toBeUndefined();
    expect(kk001(r)).toEqual(["SANDBOX:error:fixed"]);
  });
});

describe("keykit check: accepted opt-ins", () => {
  it("lists them in the report", async () => {
    const { dir, out } = setup();
    const file = join(out, "stacks", "payments-dev", "cdk.tf.json");
    const json = await runKeykit(["check", file, "--format", "json", "--now", NOW], { cwd: dir });
    const r = JSON.parse(json.stdout) as Report;
    expect(r.optIns).toEqual([
      {
        rule: "KK001",
        subject: "confluent_api_key.sandbox",
        owner: "u-dev1",
        reason: SANDBOX_REASON,
        tier: "development",
        source: file,
      },
    ]);
    const text = await runKeykit(["check", file, "--now", NOW], { cwd: dir });
    expect(text.stdout).toContain(
      `  KK001 confluent_api_key.sandbox: owner u-dev1 (development, ${file}): ${SANDBOX_REASON}`,
    );
  });
});
