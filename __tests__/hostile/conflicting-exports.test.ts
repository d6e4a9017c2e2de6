/**
 * Two exports that disagree about a key (owner, scope, creation date) give a KK106 finding of their own, the same
 * in every file order, and the key is never in the cleanup script (neither as a command nor as a deletable comment).
 * Exports that merely differ in shape (CLI rows per resource, API fractions of a second) do not conflict.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { apiKeyPage, cliKeyList, type KeySpec, stateJson } from "../audit/helpers";
import type { Report } from "../../policies/report";
import type { Finding } from "../../policies/rule";
import { expectOneLine, runKeykit, snapshot, tempDir, writeJson } from "./input-helpers";

const LKC1 = [{ type: "kafka", id: "lkc-111111", apiKind: "Cluster" }];
const LKC2 = [{ type: "kafka", id: "lkc-222222", apiKind: "Cluster" }];
const GLOBAL = [
  { type: "kafka", id: "lkc-111111", apiKind: "Cluster" },
  { type: "schema-registry", id: "lsrc-333333", apiKind: "SchemaRegistry" },
];
const OLD = "2025-01-01T00:00:00Z";

const CLI: KeySpec[] = [
  { id: "OWNERCLASH", owner: "sa-app", resources: LKC1, created: OLD },
  { id: "SCOPECLASH", owner: "sa-app", resources: LKC1, created: OLD },
  { id: "DATECLASH", owner: "sa-app", resources: LKC1, created: "2026-05-30T00:00:00Z" },
  { id: "AGREES", owner: "u-1", resources: GLOBAL, created: OLD },
  { id: "CLOUDKEY", owner: "u-1", resources: [{ type: "cloud", id: "" }], created: OLD },
];
const API: KeySpec[] = [
  { id: "OWNERCLASH", owner: "u-9", resources: LKC1, created: OLD },
  { id: "SCOPECLASH", owner: "sa-app", resources: LKC2, created: OLD },
  { id: "DATECLASH", owner: "sa-app", resources: LKC1, created: OLD },
  { id: "AGREES", owner: "u-1", resources: GLOBAL, created: "2025-01-01T00:00:00.417Z" },
  { id: "CLOUDKEY", owner: "u-1", resources: [{ type: "cloud", id: "" }], created: OLD },
];

function setup() {
  const dir = tempDir();
  writeJson(join(dir, "cli-api-keys.json"), cliKeyList(CLI));
  writeJson(join(dir, "api-api-keys.json"), apiKeyPage(API));
  writeJson(join(dir, "service-accounts.json"), [{ id: "sa-app", name: "app", description: "" }]);
  writeJson(join(dir, "keykit.rotation.json"), { version: 1, keys: {} });
  writeJson(
    join(dir, "state.json"),
    stateJson(
      [{ name: "k", id: "MANAGED1", ownerId: "sa-app", description: "x" }],
      [{ name: "app", id: "sa-app", displayName: "app" }],
    ),
  );
  return dir;
}

async function audit(dir: string, files: string[], extra: string[] = []): Promise<Report> {
  const argv = ["audit", "--inventory", ...files, "service-accounts.json", "--now", "2026-06-01", "--format", "json"];
  const result = await runKeykit([...argv, "--fail-on", "none", ...extra], { cwd: dir });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

const brief = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.ruleId} ${f.subject} ${f.location.file}: ${f.message}`).sort();

describe("conflicting inventory facts", () => {
  it("reports each disagreement once, with the values and the files", async () => {
    const dir = setup();
    const report = await audit(dir, ["cli-api-keys.json", "api-api-keys.json"]);
    const kk106 = report.findings.filter((f) => f.ruleId === "KK106");
    expect(kk106.map((f) => [f.subject, f.message]).sort()).toEqual([
      [
        "DATECLASH",
        "API key DATECLASH: the exports disagree on its creation date (2025-01-01T00:00:00Z in api-api-keys.json; 2026-05-30T00:00:00Z in cli-api-keys.json); it is left out of the cleanup script until they agree",
      ],
      [
        "OWNERCLASH",
        "API key OWNERCLASH: the exports disagree on its owner (sa-app in cli-api-keys.json; u-9 in api-api-keys.json); it is left out of the cleanup script until they agree",
      ],
      [
        "SCOPECLASH",
        "API key SCOPECLASH: the exports disagree on its scope (kafka lkc-111111 in cli-api-keys.json; kafka lkc-222222 in api-api-keys.json); it is left out of the cleanup script until they agree",
      ],
    ]);
    expect(kk106.every((f) => f.severity === "error")).toBe(true);
  });

  it("gives the same findings in every file order (no first-wins)", async () => {
    const dir = setup();
    const forward = await audit(dir, ["cli-api-keys.json", "api-api-keys.json"]);
    const backward = await audit(dir, ["api-api-keys.json", "cli-api-keys.json"]);
    expect(brief(backward.findings)).toEqual(brief(forward.findings));
    // The owner clash settles on one owner whatever the order, so KK001 neither appears nor vanishes with it;
    // the date clash settles on the earlier date, so the key counts as old (KK004) in both orders.
    const rules = (r: Report, id: string) =>
      r.findings
        .filter((f) => f.subject === id)
        .map((f) => f.ruleId)
        .sort();
    expect(rules(forward, "OWNERCLASH")).toEqual(rules(backward, "OWNERCLASH"));
    expect(rules(forward, "DATECLASH")).toContain("KK004");
    expect(rules(backward, "DATECLASH")).toContain("KK004");
  });

  it("never puts a conflicting key in the cleanup script", async () => {
    const dir = setup();
    for (const order of [
      ["cli-api-keys.json", "api-api-keys.json"],
      ["api-api-keys.json", "cli-api-keys.json"],
    ]) {
      const before = snapshot(dir);
      await audit(dir, order, ["--config", "state.json", "--emit-cleanup", "cleanup.sh"]);
      const script = readFileSync(join(dir, "cleanup.sh"), "utf8");
      const blocks = script.split("\n\n");
      for (const id of ["OWNERCLASH", "SCOPECLASH", "DATECLASH"]) {
        expect(script).not.toContain(`-- ${id}`);
        expect(script).toContain(`# not listed: API key ${id} (KK106: the exports disagree about it)`);
        // Not even as a commented-out delete or a block of reasons for one.
        expect(blocks.filter((b) => b.includes(`# API key ${id}:`))).toEqual([]);
      }
      // Keys the exports agree on are judged as usual: the two user-owned keys are deleted.
      expect(script).toContain("confluent api-key delete --force -- AGREES\n");
      expect(script).toContain("confluent api-key delete --force -- CLOUDKEY\n");
      const after = snapshot(dir);
      for (const file of Object.keys(before).filter((f) => f !== "cleanup.sh")) expect(after[file]).toBe(before[file]);
    }
  });

  it("does not take a key listed once per resource, or a cloud key in both shapes, for a conflict", async () => {
    const dir = setup();
    const report = await audit(dir, ["cli-api-keys.json", "api-api-keys.json"]);
    expect(report.findings.filter((f) => f.ruleId === "KK106" && ["AGREES", "CLOUDKEY"].includes(f.subject))).toEqual(
      [],
    );
  });

  it("a conflict inside one export (two rows, two owners) is a finding too", async () => {
    const dir = setup();
    const rows = cliKeyList([
      { id: "TWICE", owner: "sa-app", resources: LKC1, created: OLD },
      { id: "TWICE", owner: "sa-other", resources: LKC1, created: OLD },
    ]);
    writeJson(join(dir, "one-api-keys.json"), rows);
    const report = await audit(dir, ["one-api-keys.json"]);
    expect(report.findings.filter((f) => f.ruleId === "KK106").map((f) => f.message)).toEqual([
      "API key TWICE: the exports disagree on its owner (sa-app in one-api-keys.json; sa-other in one-api-keys.json); it is left out of the cleanup script until they agree",
    ]);
  });

  it("exit 1 with one line when the conflict is an error and --output is used", async () => {
    const dir = setup();
    const argv = ["audit", "--inventory", "cli-api-keys.json", "api-api-keys.json", "--output", "r.json"];
    const result = await runKeykit(argv, { cwd: dir });
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr, ["u-9", "lkc-"])).toMatch(/KK106/);
  });
});
