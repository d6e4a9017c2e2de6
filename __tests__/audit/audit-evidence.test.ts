/**
 * Issue 19, the audit side: evidence that holds. Coverage is per resource (a key is unused only when its own
 * resource's records cover --unused-days without a success by it), record times are trusted only when they are strict
 * RFC 3339, not after --now and not implausibly old, and a service account is deleted only on its own evidence (its
 * role-binding export, the usage exports given, an audit log).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Report } from "../../policies/report";
import {
  cloudApiRecord,
  createTopicRecord,
  heartbeat,
  jsonLines,
  kafkaAuthentication,
  schemaRegistryAuthentication,
} from "./audit-log-fixtures";
import { cdktfJson, type KeySpec, runKeykit, tempDir, writeInventory, writeJson } from "./helpers";

const NOW = "2026-06-01";
const CLUSTER = "lkc-abc123";
const ACCOUNTS = [
  { id: "sa-app", name: "orders-app" },
  { id: "sa-other", name: "other-team" },
  { id: "sa-idle", name: "idle" },
];

interface Run {
  readonly code: number;
  readonly report: Report;
  readonly script: string;
  readonly stderr: string;
}

/** Audits `keys` against `log` (JSON lines) with the given extra flags; returns the report and the cleanup script. */
async function audit(keys: readonly KeySpec[], log: readonly unknown[], extra: readonly string[] = []): Promise<Run> {
  const dir = tempDir();
  const inventory = writeInventory(dir, "api", keys, ACCOUNTS);
  const config = writeJson(
    join(dir, "cdk.tf.json"),
    cdktfJson([], [{ name: "app", displayName: "orders-app" }], [{ name: "rb", ownerResource: "app" }]),
  );
  const logFile = join(dir, "audit-log.jsonl");
  writeFileSync(logFile, jsonLines(log));
  const script = join(dir, "cleanup.sh");
  const args = ["audit", "--inventory", ...inventory, "--config", config, "--now", NOW, "--format", "json"];
  const result = await runKeykit(
    [
      ...args,
      "--audit-log",
      logFile,
      "--emit-cleanup",
      script,
      "--fail-on",
      "none",
      ...extra.map((a) => a.replace("$DIR", dir)),
    ],
    { cwd: dir },
  );
  if (result.code === 2) return { code: 2, report: undefined as unknown as Report, script: "", stderr: result.stderr };
  return {
    code: result.code,
    report: JSON.parse(result.stdout) as Report,
    script: readFileSync(script, "utf8"),
    stderr: result.stderr,
  };
}

const kk107 = (r: Report, subject: string) => r.findings.find((f) => f.ruleId === "KK107" && f.subject === subject);
const liveLines = (script: string) => script.split("\n").filter((l) => l.startsWith("confluent "));
const commentedLines = (script: string) => script.split("\n").filter((l) => l.startsWith("# confluent "));
const blockOf = (script: string, id: string) =>
  script.split("\n\n").find((b) => b.split("\n").some((l) => l.endsWith(`delete --force -- ${id}`))) ?? "";

const OLD = "2025-06-01T00:00:00Z";
/** 100 days of the cluster's records, up to a day before NOW. */
const CLUSTER_100_DAYS = heartbeat("2026-02-21T00:00:00Z", "2026-05-31T12:00:00Z", { cluster: CLUSTER });

describe("coverage per resource", () => {
  it("calls a key on a covered cluster unused, and a key on a cluster the log never speaks for 'no coverage'", async () => {
    const keys: KeySpec[] = [
      { id: "COVEREDKEY", owner: "sa-other", created: OLD },
      { id: "ELSEWHERE1", owner: "sa-other", created: OLD, resources: [{ type: "kafka", id: "lkc-zz9y8x" }] },
    ];
    const { report: r, script } = await audit(keys, CLUSTER_100_DAYS);
    expect(kk107(r, "COVEREDKEY")).toMatchObject({ severity: "warning" });
    expect(kk107(r, "COVEREDKEY")?.message).toContain(
      "is unused: no successful authentication in 99.5 days of audit log (kafka lkc-abc123 2026-02-21T00:00:00Z to 2026-05-31T12:00:00Z)",
    );
    expect(kk107(r, "ELSEWHERE1")).toMatchObject({ severity: "info" });
    expect(kk107(r, "ELSEWHERE1")?.message).toContain("no audit-log coverage for kafka lkc-zz9y8x");
    expect(liveLines(script)).toEqual(["confluent api-key delete --force -- COVEREDKEY"]);
    expect(commentedLines(script).filter((l) => l.includes("api-key"))).toEqual([
      "# confluent api-key delete --force -- ELSEWHERE1",
    ]);
    expect(blockOf(script, "ELSEWHERE1")).toContain("# NOT DELETED: no audit-log coverage for kafka lkc-zz9y8x");
  });

  it("needs the Cloud API's own records for a Cloud API key", async () => {
    const keys: KeySpec[] = [
      { id: "CLOUDKEY01", owner: "sa-other", created: OLD, resources: [{ type: "cloud", id: "cloud" }] },
    ];
    const uncovered = await audit(keys, CLUSTER_100_DAYS);
    expect(kk107(uncovered.report, "CLOUDKEY01")).toMatchObject({ severity: "info" });
    expect(kk107(uncovered.report, "CLOUDKEY01")?.message).toContain("no audit-log coverage for the Cloud API");
    expect(liveLines(uncovered.script)).toEqual([]);
    const covered = await audit(keys, heartbeat("2026-02-21T00:00:00Z", "2026-05-31T12:00:00Z", { cloud: true }));
    expect(kk107(covered.report, "CLOUDKEY01")).toMatchObject({ severity: "warning" });
    expect(liveLines(covered.script)).toEqual(["confluent api-key delete --force -- CLOUDKEY01"]);
    expect(covered.report.inputs[0].notes).toContainEqual(
      expect.stringMatching(/^audit-log coverage of the Cloud API: 99\.5 days unbroken/),
    );
  });

  it("needs every resource of a global key covered", async () => {
    const keys: KeySpec[] = [
      {
        id: "GLOBALKEY1",
        owner: "sa-other",
        created: OLD,
        resources: [
          { type: "kafka", id: CLUSTER },
          { type: "schema-registry", id: "lsrc-7k2m9q", apiKind: "SchemaRegistry" },
        ],
      },
    ];
    const { report: r, script } = await audit(keys, CLUSTER_100_DAYS);
    expect(kk107(r, "GLOBALKEY1")).toMatchObject({ severity: "info" });
    expect(kk107(r, "GLOBALKEY1")?.message).toContain("no audit-log coverage for schema-registry lsrc-7k2m9q");
    expect(liveLines(script)).toEqual([]);
    // With the registry's records too, both are covered and the least coverage counts.
    const registry = heartbeat("2026-03-01T00:00:00Z", "2026-05-31T12:00:00Z", { everyHours: 12 }).map((r) =>
      schemaRegistryAuthentication({ key: "SOMEOTHER1", time: r.time as string, cluster: "lsrc-7k2m9q" }),
    );
    const both = await audit(keys, [...CLUSTER_100_DAYS, ...registry]);
    expect(kk107(both.report, "GLOBALKEY1")?.message).toContain(
      "in 91.5 days of audit log (kafka lkc-abc123 2026-02-21T00:00:00Z to 2026-05-31T12:00:00Z, schema-registry lsrc-7k2m9q 2026-03-01T00:00:00Z to 2026-05-31T12:00:00Z)",
    );
    expect(liveLines(both.script)).toEqual(["confluent api-key delete --force -- GLOBALKEY1"]);
  });

  it("breaks coverage at a silence longer than --max-gap-hours", async () => {
    const keys: KeySpec[] = [{ id: "GAPPEDKEY1", owner: "sa-other", created: OLD }];
    // 150 days of records with a four-day silence 87 days before the end.
    const log = [
      ...heartbeat("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", { cluster: CLUSTER }),
      ...heartbeat("2026-03-05T00:00:00Z", "2026-05-31T12:00:00Z", { cluster: CLUSTER }),
    ];
    const broken = await audit(keys, log);
    expect(kk107(broken.report, "GAPPEDKEY1")).toMatchObject({ severity: "info" });
    expect(kk107(broken.report, "GAPPEDKEY1")?.message).toContain("not enough audit-log coverage (87.5 days of 90;");
    expect(broken.report.inputs[0].notes).toContain(
      "audit-log coverage of kafka lkc-abc123: 87.5 days unbroken (2026-03-05T00:00:00Z to 2026-05-31T12:00:00Z), broken by 1 silence(s) longer than 24 hours, 295 record(s)",
    );
    expect(liveLines(broken.script)).toEqual([]);
    const bridged = await audit(keys, log, ["--max-gap-hours", "120"]);
    expect(kk107(bridged.report, "GAPPEDKEY1")).toMatchObject({ severity: "warning" });
    expect(liveLines(bridged.script)).toEqual(["confluent api-key delete --force -- GAPPEDKEY1"]);
  });

  it("never calls a quarterly job's key unused by default (90 days), and says the log is stale when it ends early", async () => {
    const keys: KeySpec[] = [{ id: "QUARTERLY1", owner: "sa-other", created: OLD }];
    const sixtyDays = heartbeat("2026-04-01T00:00:00Z", "2026-05-31T12:00:00Z", { cluster: CLUSTER });
    const { report: r } = await audit(keys, sixtyDays);
    expect(kk107(r, "QUARTERLY1")?.message).toContain("not enough audit-log coverage (60.5 days of 90;");
    const stale = await audit(keys, heartbeat("2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z", { cluster: CLUSTER }));
    expect(kk107(stale.report, "QUARTERLY1")?.message).toContain(
      "the audit log of kafka lkc-abc123 ends at 2026-05-01T00:00:00Z, more than the allowed gap before the evaluation time",
    );
    expect(liveLines(stale.script)).toEqual([]);
  });
});

describe("time you can trust", () => {
  const keys: KeySpec[] = [{ id: "FIVEDAYKEY", owner: "sa-other", created: OLD }];
  const fiveDays = heartbeat("2026-05-26T12:00:00Z", "2026-05-31T12:00:00Z", { cluster: CLUSTER });

  it.each([
    ["a record dated in the year 2999", "2999-01-01T00:00:00Z", "dated after the evaluation time"],
    ["a time of '1' (Date.parse reads it as 2001)", "1", "whose time is not a strict RFC 3339 timestamp with a zone"],
    ["a time without a zone", "2026-01-01T00:00:00", "whose time is not a strict RFC 3339 timestamp with a zone"],
    ["a date without a time", "2026-01-01", "whose time is not a strict RFC 3339 timestamp with a zone"],
    ["a day that does not exist", "2026-02-30T00:00:00Z", "whose time is not a strict RFC 3339 timestamp with a zone"],
    ["a record from before any audit log", "2001-01-01T00:00:00Z", "dated before 2019-01-01T00:00:00Z"],
  ])("does not let %s stretch the coverage, and reports it by count and position", async (_case, time, what) => {
    const odd = { ...createTopicRecord("2026-05-31T12:00:00Z", CLUSTER), time };
    const { report: r, script } = await audit(keys, [odd, ...fiveDays]);
    expect(kk107(r, "FIVEDAYKEY")).toMatchObject({ severity: "info" });
    expect(kk107(r, "FIVEDAYKEY")?.message).toContain("not enough audit-log coverage (5 days of 90;");
    expect(liveLines(script)).toEqual([]);
    const note = r.inputs[0].notes.find((n) => n.includes("were set aside"));
    expect(note).toMatch(
      new RegExp(
        `^1 audit-log record\\(s\\) ${what.replace(/[()]/g, "\\$&")}.* were set aside: they count as no coverage \\(first: .*audit-log\\.jsonl line 1\\)$`,
      ),
    );
    // Never quoted.
    if (time.length > 4) expect(JSON.stringify(r)).not.toContain(time);
  });

  it("keeps a key that authenticated in a record whose time is not trusted", async () => {
    const used = {
      ...kafkaAuthentication({ key: "FIVEDAYKEY", time: "x", cluster: CLUSTER }),
      time: "2999-12-31T00:00:00Z",
    };
    const log = [...heartbeat("2026-01-01T00:00:00Z", "2026-05-31T12:00:00Z", { cluster: CLUSTER }), used];
    const { report: r, script } = await audit(keys, log);
    expect(kk107(r, "FIVEDAYKEY")).toBeUndefined();
    expect(liveLines(script)).toEqual([]);
    expect(blockOf(script, "FIVEDAYKEY")).toContain(
      "# NOT DELETED: in use: authenticated successfully 1 time(s) in audit-log records whose time is not trusted",
    );
  });

  it("counts a record a few minutes after --now (clock skew) but not one an hour after", async () => {
    const skewed = createTopicRecord("2026-06-01T00:04:00Z", CLUSTER);
    const later = createTopicRecord("2026-06-01T01:00:00Z", CLUSTER);
    const { report: r } = await audit(keys, [...fiveDays, skewed, later]);
    expect(r.inputs[0].notes).toContainEqual(
      expect.stringMatching(/^1 audit-log record\(s\) dated after the evaluation time/),
    );
    expect(r.inputs[0].notes).toContainEqual(
      expect.stringMatching(
        /^audit-log coverage of kafka lkc-abc123: 5\.5 days unbroken \(2026-05-26T12:00:00Z to 2026-06-01T00:04:00Z\)/,
      ),
    );
  });
});

describe("service accounts need their own evidence (KK008)", () => {
  // sa-idle holds no key and no configured grant; 100 days of the cluster's log.
  const keys: KeySpec[] = [
    { id: "APPKEY0001", owner: "sa-app", created: OLD },
    { id: "OTHERKEY01", owner: "sa-other", created: OLD },
  ];
  const used = [
    ...CLUSTER_100_DAYS,
    kafkaAuthentication({ key: "APPKEY0001", time: "2026-05-30T00:00:00Z", cluster: CLUSTER }),
    kafkaAuthentication({ key: "OTHERKEY01", time: "2026-05-30T00:00:00Z", cluster: CLUSTER }),
  ];
  const bindings = (dir: string, account: string, rows: unknown[]) =>
    writeJson(join(dir, `role-bindings.${account}.json`), rows);

  it("comments the delete out without the role-binding export, naming it", async () => {
    const { report: r, script } = await audit(keys, used);
    expect(r.findings.filter((f) => f.ruleId === "KK008").map((f) => f.subject)).toEqual(["sa-idle"]);
    expect(liveLines(script)).toEqual([]);
    expect(blockOf(script, "sa-idle")).toContain(
      "# NOT DELETED: no evidence it is unneeded: the role-binding export is missing: 'confluent iam rbac role-binding list --principal User:sa-idle --inclusive -o json > role-bindings.sa-idle.json', then --role-bindings role-bindings.sa-idle.json",
    );
    expect(commentedLines(script).filter((l) => l.includes("service-account"))).toEqual([
      "# confluent iam service-account delete --force -- sa-idle",
    ]);
  });

  it("deletes it with an empty role-binding export and a covering audit log", async () => {
    const dir = tempDir();
    const file = bindings(dir, "sa-idle", []);
    const { script } = await audit(keys, used, ["--role-bindings", file]);
    expect(liveLines(script)).toEqual(["confluent iam service-account delete --force -- sa-idle"]);
    expect(blockOf(script, "sa-idle")).toContain(
      "# evidence: no API key (key list), no role binding (role-binding export) nor in the configuration, no action in 99.5 days of audit log (KK008)",
    );
  });

  it("keeps it with the export but a short audit log", async () => {
    const dir = tempDir();
    const file = bindings(dir, "sa-idle", []);
    const { script } = await audit(
      keys,
      heartbeat("2026-05-01T00:00:00Z", "2026-05-31T12:00:00Z", { cluster: CLUSTER }),
      ["--role-bindings", file],
    );
    expect(liveLines(script).filter((l) => l.includes("service-account"))).toEqual([]);
    expect(blockOf(script, "sa-idle")).toContain("an audit log covering 90 days (the one given covers 30.5 up to now)");
  });

  it("is not unused with a role binding in its export, a connector running as it, or an action in the audit log", async () => {
    const dir = tempDir();
    const bound = bindings(dir, "sa-idle", [
      {
        principal: "User:sa-idle",
        email: "",
        role: "DeveloperRead",
        environment: "env-1",
        cloud_cluster: CLUSTER,
        resource_type: "Topic",
        name: "orders",
        pattern_type: "LITERAL",
      },
    ]);
    const withBinding = await audit(keys, used, ["--role-bindings", bound]);
    expect(withBinding.report.findings.filter((f) => f.ruleId === "KK008")).toEqual([]);
    expect(withBinding.script).not.toContain("service-account delete --force -- sa-idle");

    const empty = bindings(dir, "sa-idle", []);
    const connectors = writeJson(join(dir, "connectors.json"), {
      "orders-sink": {
        info: {
          name: "orders-sink",
          type: "sink",
          config: {
            "connector.class": "S3_SINK",
            "kafka.auth.mode": "SERVICE_ACCOUNT",
            "kafka.service.account.id": "sa-idle",
          },
        },
      },
    });
    const withConnector = await audit(keys, used, ["--role-bindings", empty, "--connectors", connectors]);
    expect(withConnector.report.findings.filter((f) => f.ruleId === "KK008")).toEqual([]);
    expect(withConnector.script).not.toContain("service-account delete --force -- sa-idle");

    const acting = { ...createTopicRecord("2026-05-20T00:00:00Z", CLUSTER) };
    (acting.data as { authenticationInfo: { principal: string } }).authenticationInfo.principal = "User:sa-idle";
    const withAction = await audit(keys, [...used, acting], ["--role-bindings", empty]);
    expect(withAction.report.findings.filter((f) => f.ruleId === "KK008")).toEqual([]);
    expect(withAction.script).not.toContain("service-account delete --force -- sa-idle");
  });

  it("names the usage exports it checked in the evidence", async () => {
    const dir = tempDir();
    const empty = bindings(dir, "sa-idle", []);
    const statements = writeJson(join(dir, "flink-statements.json"), [
      { name: "enrich", spec: { principal: "sa-app", compute_pool_id: "lfcp-1" } },
    ]);
    const { script } = await audit(keys, used, ["--role-bindings", empty, "--flink-statements", statements]);
    expect(liveLines(script)).toEqual(["confluent iam service-account delete --force -- sa-idle"]);
    expect(blockOf(script, "sa-idle")).toContain(`no Flink statement (${statements})`);
    // The script's header names every input its evidence came from.
    expect(script).toContain(`\n# input: role bindings: ${empty}\n# input: Flink statement export: ${statements}\n`);
  });

  it.each([
    [
      "a file name that names no account",
      "role-bindings.json",
      [],
      "a role-binding export's file name must name the one service account it lists",
    ],
    [
      "a binding of another principal",
      "role-bindings.sa-idle.json",
      [{ principal: "User:sa-app", role: "DeveloperRead" }],
      "entry 1 is a role binding of another principal than sa-idle",
    ],
    [
      "rows without a principal",
      "role-bindings.sa-idle.json",
      [{ role: "DeveloperRead" }],
      "entry 1 is not a role binding (no 'principal')",
    ],
  ])("refuses a role-binding export with %s (exit 2, one line)", async (_case, name, rows, message) => {
    const dir = tempDir();
    const file = writeJson(join(dir, name), rows);
    const result = await audit(keys, used, ["--role-bindings", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("cloud API records", () => {
  it("are read as the Cloud API's coverage", async () => {
    const { report: r } = await audit([], [cloudApiRecord("2026-05-31T00:00:00Z")]);
    expect(r.inputs[0].notes).toContain(
      "audit-log coverage of the Cloud API: 0 days unbroken (2026-05-31T00:00:00Z to 2026-05-31T00:00:00Z), 1 record(s)",
    );
  });
});
