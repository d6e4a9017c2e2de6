/**
 * A hostile export cannot steer the cleanup script: ids outside Confluent's alphabet (a NUL byte before a managed
 * key's id, a leading '-', whitespace, shell syntax, newlines) are KK105 findings and never become commands, every
 * command ends its options with `--`, and no description or name can end a comment line. The script is run with a
 * stand-in `confluent` that records its arguments: only the expected ids ever reach it.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { heartbeat, jsonLines } from "../audit/audit-log-fixtures";
import { cliAccountList, cliKeyList, type KeySpec, stateJson } from "../audit/helpers";
import type { Report } from "../../policies/report";
import { expectOneLine, runKeykit, snapshot, tempDir, writeJson } from "./input-helpers";

const CREATED = "2025-01-01T00:00:00Z";
const HOSTILE_IDS = [
  "\u0000APPKEY1", // bash drops the NUL: the managed key APPKEY1 would be deleted
  "--help",
  "-rf",
  "KEY WITH SPACE",
  "KEY\nrm -rf ~",
  "KEY;touch pwned",
  "$(touch pwned)",
  "KEY`id`",
  "KEY\u202eTXT",
  "KEY\r",
];
const KEYS: KeySpec[] = [
  { id: "APPKEY1", owner: "sa-app", description: "managed", created: CREATED },
  { id: "OLDUSER1", owner: "u-1", created: CREATED, description: "line\nrm -rf ~ #\r\u2028end" },
  { id: "ORPHAN1", owner: "sa-gone\nrm -rf ~", created: CREATED },
  ...HOSTILE_IDS.map((id) => ({ id, owner: "u-2", created: CREATED })),
];
const ACCOUNTS = [
  { id: "sa-app", name: "app" },
  { id: "sa-idle", name: "idle\nrm -rf ~" },
  { id: "-sa-evil", name: "evil" },
  { id: "sa-x\u0000", name: "nul" },
];

function setup() {
  const dir = tempDir();
  writeJson(join(dir, "cli-api-keys.json"), cliKeyList(KEYS));
  writeJson(join(dir, "cli-service-accounts.json"), cliAccountList(ACCOUNTS));
  writeJson(
    join(dir, "terraform.tfstate.json"),
    stateJson(
      [{ name: "app_key", id: "APPKEY1", ownerId: "sa-app", description: "managed" }],
      [{ name: "app", id: "sa-app", displayName: "app" }],
    ),
  );
  writeJson(join(dir, "keykit.rotation.json"), { version: 1, keys: {} });
  // sa-idle's own evidence (issue 19): its empty role-binding export, and 100 days of audit log (the Cloud API's
  // records only, so the keys on lkc-abc123 stay uncovered and no key line turns live).
  writeJson(join(dir, "role-bindings.sa-idle.json"), []);
  writeFileSync(
    join(dir, "audit-log.jsonl"),
    jsonLines(heartbeat("2026-02-21T00:00:00Z", "2026-05-31T12:00:00Z", { cloud: true })),
  );
  const argv = [
    "audit",
    "--inventory",
    "cli-api-keys.json",
    "cli-service-accounts.json",
    "--config",
    "terraform.tfstate.json",
    "--role-bindings",
    "role-bindings.sa-idle.json",
    "--audit-log",
    "audit-log.jsonl",
    "--now",
    "2026-06-01",
  ];
  return { dir, argv };
}

/** Runs the script with a stand-in `confluent` that appends its arguments (NUL-separated) to a log. */
function runScript(dir: string, script: string): string[][] {
  const bin = join(dir, "bin");
  execFileSync("mkdir", ["-p", bin]);
  const log = join(dir, "confluent.log");
  writeFileSync(log, "");
  writeFileSync(
    join(bin, "confluent"),
    `#!/usr/bin/env bash\nprintf '%s\\0' "$@" >> "${log}"\nprintf '\\n' >> "${log}"\n`,
  );
  chmodSync(join(bin, "confluent"), 0o755);
  execFileSync("bash", [script], { cwd: dir, env: { PATH: `${bin}:/usr/bin:/bin` }, timeout: 10_000 });
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split("\u0000").filter((arg) => arg !== ""));
}

describe("cleanup script against a hostile export", () => {
  it("deletes only well-formed unmanaged ids, each after `--`", async () => {
    const { dir, argv } = setup();
    const before = snapshot(dir);
    const result = await runKeykit([...argv, "--emit-cleanup", "cleanup.sh", "--fail-on", "none"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const text = readFileSync(join(dir, "cleanup.sh"), "utf8");
    const lines = text.split("\n");
    const commands = lines.filter((l) => l !== "" && !l.startsWith("#") && l !== "set -euo pipefail");
    // A user-owned, old, unmanaged key is no evidence (issue 11): its delete stays commented out, still after `--`.
    expect(commands).toEqual(["confluent iam service-account delete --force -- sa-idle"]);
    expect(lines).toContain("# confluent api-key delete --force -- OLDUSER1");
    // Every line is a comment, a blank line, `set` or a command whose id is a plain Confluent id.
    for (const line of lines)
      expect(line).toMatch(
        /^(|#.*|set -euo pipefail|confluent (api-key|iam service-account) delete --force -- [A-Za-z0-9][A-Za-z0-9_-]*)$/,
      );
    // No character that ends or bends a line on a terminal: NUL, CR, U+2028, bidi controls.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029\u202a-\u202e]/);
    expect(text).toContain("# not listed: API key \\u0000APPKEY1 (KK105: its id is outside Confluent's id alphabet)");
    expect(text).toContain("# not listed: API key ORPHAN1 (KK105: its owner id is outside Confluent's id alphabet)");
    expect(text).toContain("# not listed: service account -sa-evil (KK105");
    expect(execFileSync("bash", ["-n", join(dir, "cleanup.sh")]).toString()).toBe("");

    // Run for real (with a stand-in CLI): nothing but the one live id reaches `confluent`, and nothing else runs.
    expect(runScript(dir, join(dir, "cleanup.sh"))).toEqual([
      ["iam", "service-account", "delete", "--force", "--", "sa-idle"],
    ]);
    const after = snapshot(dir);
    expect(Object.keys(after).filter((f) => !(f in before))).toEqual([
      "bin",
      "bin/confluent",
      "cleanup.sh",
      "confluent.log",
    ]);
    for (const file of Object.keys(before)) expect(after[file]).toBe(before[file]);
  });

  it("reports every malformed id, owner id and name as a KK105 finding, with the id escaped", async () => {
    const { dir, argv } = setup();
    const result = await runKeykit([...argv, "--format", "json", "--fail-on", "none"], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const kk105 = report.findings.filter((f) => f.ruleId === "KK105");
    expect(kk105.map((f) => f.subject).sort()).toEqual(
      [
        "\\u0000APPKEY1",
        "--help",
        "-rf",
        "KEY WITH SPACE",
        "KEY\\u000arm -rf ~",
        "KEY;touch pwned",
        "$(touch pwned)",
        "KEY`id`",
        "KEY\\u202eTXT",
        "KEY\\u000d",
        "OLDUSER1",
        "ORPHAN1",
        "sa-idle",
        "-sa-evil",
        "sa-x\\u0000",
      ].sort(),
    );
    const byId = (id: string) => kk105.find((f) => f.subject === id)?.message;
    expect(byId("\\u0000APPKEY1")).toBe(
      "API key \\u0000APPKEY1: its id contains a NUL byte; it is left out of the cleanup script (re-export the inventory)",
    );
    expect(byId("--help")).toMatch(/its id starts with '-' \(a command would take it for an option\)/);
    expect(byId("OLDUSER1")).toBe(
      "API key OLDUSER1: its description contains a control character; it is shown escaped (re-export the inventory)",
    );
    expect(byId("ORPHAN1")).toMatch(/its owner id contains a control character/);
    expect(byId("sa-idle")).toMatch(/^service account sa-idle: its display name contains a control character/);
    for (const f of kk105) {
      expect(f.severity).toBe("error");
      expect(f.acknowledgeable).toBe(false);
      expect(f.message).not.toMatch(/[\u0000-\u001f\u202e]/);
    }
  });

  it("fails the run with one line that quotes no input (exit 1, report in a file)", async () => {
    const { dir, argv } = setup();
    const before = snapshot(dir);
    const result = await runKeykit([...argv, "--output", "report.json", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, ["rm -rf", "pwned", "APPKEY1", "--help"]);
    expect(result.stderr).toMatch(/KK105/);
    const after = snapshot(dir);
    expect(Object.keys(after).filter((f) => !(f in before))).toEqual(["report.json"]);
  });

  it("a KK105 finding cannot be acknowledged away", async () => {
    const { dir, argv } = setup();
    writeJson(join(dir, "acks.json"), {
      version: 1,
      acknowledgements: [{ rule: "KK105", resource: "*", reason: "we trust this export", expires: "2030-01-01" }],
    });
    const result = await runKeykit([...argv, "--acknowledgements", "acks.json", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.filter((f) => f.ruleId === "KK105" && !f.suppressed).length).toBe(15);
  });
});
