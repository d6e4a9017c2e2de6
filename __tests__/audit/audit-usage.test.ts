/**
 * `keykit audit --audit-log`: the usage rules (KK107 unused / not enough coverage, KK108 old rotation slot still
 * used, KK109 failed authentications with a removed key) and the cleanup script's evidence rules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Report } from "../../policies/report";
import {
  createTopicRecord,
  heartbeat,
  jsonLines,
  kafkaAuthentication as anyClusterAuthentication,
  schemaRegistryAuthentication,
} from "./audit-log-fixtures";
import { cdktfJson, type KeySpec, runKeykit, tempDir, writeInventory, writeAcksFile, writeJson } from "./helpers";
import { writeFileSync } from "node:fs";

const NOW = "2026-06-01";
const ACCOUNTS = [
  { id: "sa-app", name: "orders-app" },
  { id: "sa-other", name: "other-team" },
];

/** The inventory's keys are on lkc-abc123 (helpers.ts): their authentications are that cluster's records. */
const CLUSTER = "lkc-abc123";
const kafkaAuthentication = (spec: Parameters<typeof anyClusterAuthentication>[0]) =>
  anyClusterAuthentication({ cluster: CLUSTER, ...spec });

async function audit(dir: string, args: readonly string[]): Promise<{ code: number; report: Report }> {
  const result = await runKeykit(["audit", ...args, "--now", NOW, "--format", "json"], { cwd: dir });
  expect(result.stderr).toBe("");
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const findingsOf = (r: Report, ruleId: string) =>
  r.findings.filter((f) => f.ruleId === ruleId).map((f) => ({ subject: f.subject, severity: f.severity }));

function writeLog(dir: string, records: readonly unknown[]): string {
  const file = join(dir, "audit-log.jsonl");
  writeFileSync(file, jsonLines(records));
  return file;
}

describe("keykit audit --audit-log: unused keys (KK107) and the cleanup script", () => {
  // 41 days of audit log: 2026-04-20 to 2026-05-31.
  const KEYS: KeySpec[] = [
    {
      id: "ORDERSKEY",
      owner: "sa-app",
      description: "Managed by keykit (test/Orders)",
      created: "2026-03-01T00:00:00Z",
    },
    {
      id: "IDLEMANAGED",
      owner: "sa-app",
      description: "Managed by keykit (test/Idle)",
      created: "2026-01-01T00:00:00Z",
    },
    // Another team's key, 159 days old and in use: the issue's outage case.
    { id: "OTHERTEAM", owner: "sa-other", description: "billing exporter", created: "2025-12-24T00:00:00Z" },
    { id: "UNUSEDOLD", owner: "sa-other", description: "old experiment", created: "2025-06-01T00:00:00Z" },
    { id: "NEWUNUSED", owner: "sa-other", description: "new job", created: "2026-05-29T00:00:00Z" },
    { id: "ORPHANUSED", owner: "sa-deleted", description: "orphan", created: "2026-02-01T00:00:00Z" },
    { id: "ORPHANIDLE", owner: "sa-deleted", description: "orphan 2", created: "2026-02-01T00:00:00Z" },
  ];
  const LOG = [
    // The cluster's steady stream of records: 41 days without a silence of more than a day.
    ...heartbeat("2026-04-20T00:00:00Z", "2026-05-31T00:00:00Z", { cluster: CLUSTER }),
    kafkaAuthentication({ key: "ORDERSKEY", time: "2026-05-31T00:00:00Z" }),
    schemaRegistryAuthentication({ key: "OTHERTEAM", time: "2026-05-30T08:15:00Z" }),
    kafkaAuthentication({ key: "UNUSEDOLD", time: "2026-05-02T00:00:00Z", result: "UNAUTHENTICATED" }),
    kafkaAuthentication({ key: "ORPHANUSED", time: "2026-05-20T00:00:00Z" }),
    // A failure with a key id that no longer exists: a client still holds a deleted key.
    kafkaAuthentication({ key: "DELETEDKEY", time: "2026-05-25T00:00:00Z", result: "UNAUTHENTICATED" }),
    // Deleted during the window after being used, and no failure since: not a stale client.
    kafkaAuthentication({ key: "GONEQUIET", time: "2026-04-25T00:00:00Z", result: "UNAUTHENTICATED" }),
    kafkaAuthentication({ key: "GONEQUIET", time: "2026-04-26T00:00:00Z" }),
  ];

  function setup() {
    const dir = tempDir();
    const inventory = writeInventory(dir, "api", KEYS, ACCOUNTS);
    const config = writeJson(
      join(dir, "cdk.tf.json"),
      cdktfJson(
        [
          { name: "orders", ownerResource: "app", description: "Managed by keykit (test/Orders)" },
          { name: "idle", ownerResource: "app", description: "Managed by keykit (test/Idle)" },
        ],
        [{ name: "app", displayName: "orders-app" }],
        [{ name: "rb", ownerResource: "app" }],
      ),
    );
    // A 30-day window (the default is 90): the 41 days of log can then call a key unused.
    return {
      dir,
      args: ["--inventory", ...inventory, "--config", config, "--audit-log", writeLog(dir, LOG), "--unused-days", "30"],
    };
  }

  it("calls a key unused only with enough coverage, and says how much is missing otherwise", async () => {
    const { dir, args } = setup();
    const { report: r } = await audit(dir, args);
    expect(findingsOf(r, "KK107")).toEqual([
      { subject: "IDLEMANAGED", severity: "warning" },
      { subject: "ORPHANIDLE", severity: "warning" },
      { subject: "UNUSEDOLD", severity: "warning" },
      { subject: "NEWUNUSED", severity: "info" },
    ]);
    const message = (subject: string) => r.findings.find((f) => f.ruleId === "KK107" && f.subject === subject)?.message;
    expect(message("UNUSEDOLD")).toBe(
      "API key UNUSEDOLD (owner sa-other, kafka lkc-abc123) is unused: no successful authentication in 41 days of audit log (kafka lkc-abc123 2026-04-20T00:00:00Z to 2026-05-31T00:00:00Z); 1 failed authentication(s)",
    );
    // Created two days before the log ends: the log cannot speak for the month before.
    expect(message("NEWUNUSED")).toMatch(/not enough audit-log coverage \(2 days of 30;/);
    expect(message("NEWUNUSED")).not.toMatch(/is unused/);
    // A longer --unused-days than the coverage: nothing is unused any more.
    const strict = await audit(dir, [...args.slice(0, -2), "--unused-days", "60"]);
    expect(findingsOf(strict.report, "KK107").every((f) => f.severity === "info")).toBe(true);
    expect(strict.report.findings.find((f) => f.subject === "UNUSEDOLD" && f.ruleId === "KK107")?.message).toMatch(
      /not enough audit-log coverage \(41 days of 60;/,
    );
  });

  it("with a week of audit log (Confluent's retention), no key is unused: every one is 'not enough coverage'", async () => {
    const dir = tempDir();
    const inventory = writeInventory(dir, "api", KEYS, ACCOUNTS);
    const log = writeLog(dir, [
      ...heartbeat("2026-05-24T02:24:00Z", "2026-05-31T00:00:00Z", { cluster: CLUSTER }),
      kafkaAuthentication({ key: "ORDERSKEY", time: "2026-05-30T21:36:00Z" }),
    ]);
    const { report: r } = await audit(dir, ["--inventory", ...inventory, "--audit-log", log]);
    const kk107 = r.findings.filter((f) => f.ruleId === "KK107");
    expect(kk107.length).toBe(6);
    for (const f of kk107.filter((x) => x.subject !== "NEWUNUSED")) {
      expect(f.severity).toBe("info");
      expect(f.message).toContain("not enough audit-log coverage (6.9 days of 90;");
    }
    expect(r.inputs[0].notes).toContainEqual(
      expect.stringMatching(
        /^audit-log coverage of kafka lkc-abc123: 6\.9 days unbroken \(2026-05-24T02:24:00Z to 2026-05-31T00:00:00Z\), \d+ record\(s\)$/,
      ),
    );
  });

  it("reports failed authentications with a deleted key id (KK109), not ids used after their last failure", async () => {
    const { dir, args } = setup();
    const { report: r } = await audit(dir, args);
    expect(findingsOf(r, "KK109")).toEqual([{ subject: "DELETEDKEY", severity: "warning" }]);
    expect(r.findings.find((f) => f.ruleId === "KK109")?.message).toBe(
      "API key DELETEDKEY is not in the key list (deleted, or never valid) but had 1 failed authentication(s), the last at 2026-05-25T00:00:00Z: a client still holds a deleted key",
    );
  });

  it("deletes only on evidence: never a key that authenticated, never for age alone (the 159-day-old key in use)", async () => {
    const { dir, args } = setup();
    const script = join(dir, "cleanup.sh");
    const result = await runKeykit(
      ["audit", ...args, "--now", NOW, "--max-age-days", "90", "--emit-cleanup", script, "--fail-on", "none"],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const text = readFileSync(script, "utf8");
    const live = text.split("\n").filter((l) => l.startsWith("confluent "));
    const commented = text.split("\n").filter((l) => l.startsWith("# confluent "));
    // Unused over 41 days, and an orphan that is also unused.
    expect(live).toEqual([
      "confluent api-key delete --force -- UNUSEDOLD",
      "confluent api-key delete --force -- ORPHANIDLE",
    ]);
    expect(commented).toEqual([
      "# confluent api-key delete --force -- OTHERTEAM",
      "# confluent api-key delete --force -- NEWUNUSED",
      "# confluent api-key delete --force -- ORPHANUSED",
    ]);
    const block = (id: string) =>
      text.split("\n\n").find((b) => b.split("\n").some((l) => l.endsWith(`delete --force -- ${id}`))) ?? "";
    // Old (KK004) and unmanaged (KK101), but in use: commented out, saying so.
    expect(block("OTHERTEAM")).toMatch(/# KK004 ApiKeyYoungerThanMaxAge \(warning\): .*159 days ago/);
    expect(block("OTHERTEAM")).toContain(
      "# NOT DELETED: in use: authenticated successfully at 2026-05-30T08:15:00Z (audit log)",
    );
    // The owner is gone, but the key authenticated within the window: still never live.
    expect(block("ORPHANUSED")).toContain("# NOT DELETED: in use: authenticated successfully at 2026-05-20T00:00:00Z");
    expect(block("UNUSEDOLD")).toContain(
      "# evidence: no successful authentication over 41 days of audit log of kafka lkc-abc123 (KK107)",
    );
    expect(block("ORPHANIDLE")).toContain("# evidence: its owner sa-deleted no longer exists (KK102)");
    expect(block("NEWUNUSED")).toMatch(
      /# NOT DELETED: no evidence it is unneeded .*needs no successful authentication over 30 days of audit log \(the log covers 2 days of this key's resources\)/,
    );
    expect(text).toContain("# input: audit log: ");
    expect(text).toContain("# 2 API key(s), 0 service account(s) deleted on evidence; 3 line(s) commented out");
    // Managed keys are never in the script, used or not.
    expect(text).not.toContain("IDLEMANAGED");
    expect(text).not.toContain("ORDERSKEY");
  });

  it("an acknowledged unused finding is no evidence", async () => {
    const { dir, args } = setup();
    const acks = writeAcksFile(dir, [
      { rule: "KK107", resource: "UNUSEDOLD", reason: "quarterly reconciliation job", expires: "2026-12-31" },
    ]);
    const script = join(dir, "cleanup.sh");
    await runKeykit(["audit", ...args, "--now", NOW, "--acknowledgements", acks, "--emit-cleanup", script], {
      cwd: dir,
    });
    const text = readFileSync(script, "utf8");
    expect(text).toContain("# confluent api-key delete --force -- UNUSEDOLD");
    expect(text).not.toMatch(/^confluent api-key delete --force -- UNUSEDOLD/m);
  });
});

describe("keykit audit --audit-log: old rotation slots (KK108, KK109)", () => {
  const description = "Managed by keykit (test/Payments), rotation payments";
  const keys: KeySpec[] = [
    { id: "GREENKEY", owner: "sa-app", description, displayName: "payments (green)", created: "2026-05-10T00:02:00Z" },
    { id: "BLUEKEY", owner: "sa-app", description, displayName: "payments (blue)", created: "2026-03-01T00:00:00Z" },
  ];
  const slot = (name: "blue" | "green", active: boolean) => ({
    name: `payments_${name}`,
    ownerResource: "app",
    description,
    displayName: `payments (${name})`,
    rotation: { name: "payments", slot: name, active },
  });
  const green = { status: "active", createdAt: "2026-05-10T00:00:00Z", activatedAt: "2026-05-10T00:00:00Z" };

  function setup(blue: Record<string, string>, slots: ReturnType<typeof slot>[], log: unknown[]) {
    const dir = tempDir();
    const inventory = writeInventory(dir, "api", keys, [{ id: "sa-app", name: "orders-app" }]);
    const config = writeJson(
      join(dir, "cdk.tf.json"),
      cdktfJson(slots, [{ name: "app", displayName: "orders-app" }], [{ name: "rb", ownerResource: "app" }]),
    );
    writeJson(join(dir, "keykit.rotation.json"), {
      version: 1,
      keys: { payments: { active: "green", rotations: 1, slots: { blue, green } } },
    });
    return { dir, args: ["--inventory", ...inventory, "--config", config, "--audit-log", writeLog(dir, log)] };
  }

  it("warns while rotating when the retained slot still authenticates after the start", async () => {
    const { dir, args } = setup(
      { status: "retained", deactivatedAt: "2026-05-10T00:00:00Z" },
      [slot("green", true), slot("blue", false)],
      [
        createTopicRecord("2026-05-01T00:00:00Z"),
        kafkaAuthentication({ key: "BLUEKEY", time: "2026-05-12T06:00:00Z" }),
        kafkaAuthentication({ key: "GREENKEY", time: "2026-05-31T00:00:00Z" }),
      ],
    );
    const { report: r } = await audit(dir, args);
    expect(findingsOf(r, "KK108")).toEqual([{ subject: "BLUEKEY", severity: "warning" }]);
    expect(r.findings.find((f) => f.ruleId === "KK108")?.message).toBe(
      "API key BLUEKEY (owner sa-app, kafka lkc-abc123) is the blue slot of 'payments', retained while the rotation is under way, but authenticated successfully at 2026-05-12T06:00:00Z, after the rotation started (2026-05-10T00:00:00Z): clients have not moved to the published slot",
    );
  });

  it("is quiet when the retained slot was last used before the start", async () => {
    const { dir, args } = setup(
      { status: "retained", deactivatedAt: "2026-05-10T00:00:00Z" },
      [slot("green", true), slot("blue", false)],
      [
        kafkaAuthentication({ key: "BLUEKEY", time: "2026-05-09T23:00:00Z" }),
        kafkaAuthentication({ key: "GREENKEY", time: "2026-05-31T00:00:00Z" }),
      ],
    );
    const { report: r } = await audit(dir, args);
    expect(findingsOf(r, "KK108")).toEqual([]);
  });

  it("is an error after finish, and failed attempts with the retired slot are a client holding the old key", async () => {
    const { dir, args } = setup(
      { status: "retired", deactivatedAt: "2026-05-10T00:00:00Z", retiredAt: "2026-05-20T00:00:00Z" },
      [slot("green", true)],
      [
        kafkaAuthentication({ key: "BLUEKEY", time: "2026-05-21T00:00:00Z" }),
        kafkaAuthentication({ key: "BLUEKEY", time: "2026-05-19T00:00:00Z", result: "UNAUTHENTICATED" }),
        kafkaAuthentication({ key: "BLUEKEY", time: "2026-05-28T00:00:00Z", result: "UNAUTHENTICATED" }),
        kafkaAuthentication({ key: "GREENKEY", time: "2026-05-31T00:00:00Z" }),
      ],
    );
    const { report: r } = await audit(dir, args);
    expect(findingsOf(r, "KK108")).toEqual([{ subject: "BLUEKEY", severity: "error" }]);
    expect(r.findings.find((f) => f.ruleId === "KK108")?.message).toMatch(
      /retired by 'rotate finish' on 2026-05-20T00:00:00Z, but authenticated successfully at 2026-05-21T00:00:00Z/,
    );
    expect(findingsOf(r, "KK109")).toEqual([{ subject: "BLUEKEY", severity: "warning" }]);
    expect(r.findings.find((f) => f.ruleId === "KK109")?.message).toMatch(
      /the retired blue slot of 'payments', had 2 failed authentication\(s\), the last at 2026-05-28T00:00:00Z: a client still holds the old key/,
    );
  });

  it("says nothing about a retired slot's failures from before it was retired", async () => {
    const { dir, args } = setup(
      { status: "retired", deactivatedAt: "2026-05-10T00:00:00Z", retiredAt: "2026-05-20T00:00:00Z" },
      [slot("green", true)],
      [
        kafkaAuthentication({ key: "BLUEKEY", time: "2026-05-19T00:00:00Z", result: "UNAUTHENTICATED" }),
        kafkaAuthentication({ key: "GREENKEY", time: "2026-05-31T00:00:00Z" }),
      ],
    );
    const { report: r } = await audit(dir, args);
    expect(findingsOf(r, "KK109")).toEqual([]);
    expect(findingsOf(r, "KK108")).toEqual([]);
  });
});
