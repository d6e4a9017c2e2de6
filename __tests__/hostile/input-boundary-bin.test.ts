/**
 * The input boundary, end to end through the BUILT bin: FIFOs on every evidence path are refused at once (never
 * waited on: each run is a child process killed after a few seconds, so a hang fails the test instead of hanging
 * it), blank-line bombs in a small gzip audit log are read in one pass, a lock path that is a dangling symlink or
 * a directory keeps the lock's deadline, a state path through a symlinked directory writes the real file, no
 * output lands on an input, `skipRules` cannot switch an unwaivable rule off and every report names skipped rules.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { BIN, project, requireFreshBuild } from "../cli/bin-helpers";
import { snapshot } from "./input-helpers";
import { unprivileged } from "../helpers/unprivileged";

requireFreshBuild();

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The bin in `cwd`, killed after `timeoutMs` (a FIFO read that blocks ends as a signal, not a hung suite). */
function run(cwd: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 15_000): Run {
  const start = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env },
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - start };
}

/** Exit 2 (unless told), exactly one `keykit:` line matching `pattern`, no stack trace. */
function expectRefused(r: Run, pattern: RegExp, code = 2): void {
  expect(r.signal).toBeNull();
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(/^keykit: [^\n]*\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(r.stderr).toMatch(pattern);
}

const NOW = "2026-11-28T00:00:00Z";
const ENTRY = { active: "blue", rotations: 0, slots: { blue: { status: "active" } } };
const STARTED = {
  active: "green",
  rotations: 1,
  slots: {
    blue: { status: "retained", deactivatedAt: "2026-11-27T00:00:00Z" },
    green: { status: "active", createdAt: "2026-11-27T00:00:00Z", activatedAt: "2026-11-27T00:00:00Z" },
  },
};
const KEYS = [
  {
    key: "KEYAAAAAAAAAAAA1",
    owner: "sa-1",
    owner_email: "<service account>",
    resource_type: "kafka",
    resource: "lkc-1",
  },
];
const DOCUMENT = { orders_credentials: { sensitive: true, value: { key_id: "KEYAAAAAAAAAAAA1", secret: "s3cr3t" } } };

function json(dir: string, name: string, value: unknown): string {
  writeFileSync(join(dir, name), `${JSON.stringify(value)}\n`);
  return name;
}

/** A project with a rotation state (key `k` mid-rotation), an inventory export and a FIFO `pipe.json`. */
function workspace(): string {
  const dir = project();
  json(dir, "keykit.rotation.json", { version: 1, keys: { k: STARTED } });
  json(dir, "keys.json", KEYS);
  json(dir, "outputs.json", DOCUMENT);
  writeFileSync(join(dir, "audit.jsonl"), "");
  execFileSync("mkfifo", [join(dir, "pipe.json")]);
  return dir;
}

describe("a FIFO on every evidence path is refused at once", () => {
  const FIFO = /pipe\.json: is a FIFO \(named pipe\): only regular files and directories are read/;
  it.each<[string, string[]]>([
    ["audit --audit-log", ["audit", "--inventory", "keys.json", "--audit-log", "pipe.json", "--now", NOW]],
    ["audit --inventory", ["audit", "--inventory", "pipe.json", "--now", NOW]],
    ["rotate finish --audit-log", ["rotate", "finish", "k", "--audit-log", "pipe.json"]],
    ["rotate finish --state", ["rotate", "finish", "k", "--state", "pipe.json"]],
    ["rotate start --rotation-state", ["rotate", "start", "k", "--rotation-state", "pipe.json"]],
    ["verify --output-json", ["verify", "k", "--output-json", "pipe.json"]],
    ["verify --state", ["verify", "k", "--output-json", "outputs.json", "--state", "pipe.json"]],
    ["check --rotation-state", ["check", "keys.json", "--rotation-state", "pipe.json"]],
  ])("%s", (_name, args) => {
    const dir = workspace();
    const before = snapshot(dir);
    const r = run(dir, args);
    expectRefused(r, FIFO);
    expect(snapshot(dir)).toEqual(before);
  });

  it("keykit.config.json as a FIFO", () => {
    const dir = project();
    execFileSync("mkfifo", [join(dir, "keykit.config.json")]);
    json(dir, "keys.json", KEYS);
    expectRefused(run(dir, ["audit", "--inventory", "keys.json", "--now", NOW]), /keykit\.config\.json: is a FIFO/);
  });
});

describe("verify reads its documents as check reads them", () => {
  it("accepts --output-json with a UTF-8 byte-order mark", () => {
    const dir = workspace();
    writeFileSync(join(dir, "bom.json"), `\uFEFF${JSON.stringify(DOCUMENT)}`);
    const r = run(dir, ["verify", "k", "--output-json", "bom.json", "--base-url", "http://127.0.0.1:9"]);
    expect(r.stdout).toMatch(
      /ok +published document: output orders_credentials in bom\.json \(key_id KEYAAAAAAAAAAAA1/,
    );
    expect(r.stdout + r.stderr).not.toContain("s3cr3t");
  });
});

describe("the audit-log reader is linear in its input", () => {
  // 64 MiB of blank lines gzip to ~64 KiB; a reader that re-scans what it holds per chunk takes minutes on it.
  it("reads 64 MiB of blank lines before one record, in a small .gz, within seconds", () => {
    const dir = workspace();
    const record = JSON.stringify({
      type: "io.confluent.kafka.server/authentication",
      time: "2026-11-20T00:00:00Z",
      data: {
        authenticationInfo: { principal: "User:sa-1", metadata: { identifier: "KEYAAAAAAAAAAAA1" } },
        result: { status: "SUCCESS" },
        resourceName: "crn://confluent.cloud/kafka=lkc-1",
      },
    });
    const blanks = Buffer.alloc(64 * 1024 * 1024, "\n");
    const gz = gzipSync(Buffer.concat([blanks, Buffer.from(`${record}\n`), blanks]), { level: 9 });
    expect(gz.length).toBeLessThan(1024 * 1024);
    writeFileSync(join(dir, "bomb.jsonl.gz"), gz);
    const r = run(dir, ["audit", "--inventory", "keys.json", "--audit-log", "bomb.jsonl.gz", "--now", NOW], {}, 30_000);
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/keykit: /);
    expect(r.code).not.toBeNull();
  }, 40_000);
});

describe("lock acquisition keeps its deadline whatever the lock path is", () => {
  const NOT_A_LOCK = /cannot lock keykit\.rotation\.json: keykit\.rotation\.json\.lock: is not a lock file/;
  it.each<[string, (lock: string) => void]>([
    ["a dangling symlink", (lock) => symlinkSync("nowhere", lock)],
    ["a symlink to a file", (lock) => symlinkSync("keys.json", lock)],
    ["a directory", (lock) => mkdirSync(lock)],
    ["a FIFO", (lock) => execFileSync("mkfifo", [lock])],
  ])("%s", (_name, make) => {
    const dir = workspace();
    make(join(dir, "keykit.rotation.json.lock"));
    const before = snapshot(dir);
    const r = run(dir, ["rotate", "finish", "k", "--force", "test"], {}, 20_000);
    expectRefused(r, NOT_A_LOCK);
    expect(r.ms).toBeLessThan(15_000);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("an unreadable lock file", () => {
  // Root reads anything: as root the bin runs as `nobody` (a world-readable copy, on files in this run's
  // world-readable directory, as a clone under a 0700 home directory needs), so the lock file's mode decides.
  const setup = unprivileged(BIN);
  const skip = "skip" in setup ? setup.skip : undefined;
  if (skip) console.log(`skipped 'an unreadable lock file': ${skip}`);
  (skip ? it.skip : it)("is refused at once, within the lock's deadline", () => {
    if ("skip" in setup) return;
    const dir = setup.dir("unreadable-lock");
    json(dir, "keykit.rotation.json", { version: 1, keys: { k: STARTED } });
    chmodSync(join(dir, "keykit.rotation.json"), 0o666);
    const lock = join(dir, "keykit.rotation.json.lock");
    writeFileSync(lock, `${JSON.stringify({ pid: 1, host: "elsewhere", since: NOW, token: "t" })}\n`, { mode: 0o000 });
    chmodSync(lock, 0o000);
    const before = snapshot(dir);
    const start = Date.now();
    const r = spawnSync(process.execPath, [setup.bin, "rotate", "finish", "k", "--force", "test"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: dir },
      encoding: "utf8",
      timeout: 20_000,
      killSignal: "SIGKILL",
      ...setup.runAs,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^keykit: cannot lock keykit\.rotation\.json: keykit\.rotation\.json\.lock: cannot read \(permission denied\)/,
    );
    expect(Date.now() - start).toBeLessThan(15_000);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("paths are resolved by the kernel, not folded on the text", () => {
  it("a rotation state reached through a symlinked directory writes the real file", () => {
    const dir = project();
    mkdirSync(join(dir, "real", "sub"), { recursive: true });
    symlinkSync(join("real", "sub"), join(dir, "link"));
    const state = `${JSON.stringify({ version: 1, keys: { k: ENTRY } })}\n`;
    writeFileSync(join(dir, "real", "state.json"), state);
    writeFileSync(join(dir, "state.json"), state); // what `link/../state.json` folds to on the text
    const r = run(dir, ["rotate", "start", "k", "--rotation-state", "link/../state.json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "real", "state.json"), "utf8")).keys.k.active).toBe("green");
    expect(readFileSync(join(dir, "state.json"), "utf8")).toBe(state);
  });
});

describe("no output lands on an input of the run", () => {
  const ONTO = /it is one of this run's input files|it is also where/;
  const AUDIT = ["audit", "--inventory", "keys.json", "--now", NOW];
  it.each<[string, string[], (dir: string) => void]>([
    ["audit --output onto --audit-log", [...AUDIT, "--audit-log", "audit.jsonl", "--output", "audit.jsonl"], () => {}],
    [
      "audit --emit-cleanup onto --audit-log",
      [...AUDIT, "--config", "cdk.tf.json", "--audit-log", "audit.jsonl", "--emit-cleanup", "audit.jsonl"],
      (dir) => json(dir, "cdk.tf.json", { resource: {} }),
    ],
    [
      "audit --emit-cleanup onto --audit-log through a hard link",
      [...AUDIT, "--config", "cdk.tf.json", "--audit-log", "audit.jsonl", "--emit-cleanup", "hard.sh"],
      (dir) => {
        json(dir, "cdk.tf.json", { resource: {} });
        linkSync(join(dir, "audit.jsonl"), join(dir, "hard.sh"));
      },
    ],
    [
      "audit --output onto --inventory through a symlink",
      [...AUDIT, "--output", "via-link.txt"],
      (dir) => symlinkSync("keys.json", join(dir, "via-link.txt")),
    ],
    ["audit --output onto the rotation state", [...AUDIT, "--output", "keykit.rotation.json"], () => {}],
    [
      "audit --output onto keykit.config.json",
      [...AUDIT, "--output", "keykit.config.json"],
      (dir) => json(dir, "keykit.config.json", {}),
    ],
    [
      "audit --output onto --emit-cleanup",
      [...AUDIT, "--config", "cdk.tf.json", "--output", "same.txt", "--emit-cleanup", "same.txt"],
      (dir) => json(dir, "cdk.tf.json", { resource: {} }),
    ],
    [
      "check --output onto keykit.config.json",
      ["check", "cdk.tf.json", "--output", "keykit.config.json"],
      (dir) => {
        json(dir, "keykit.config.json", {});
        json(dir, "cdk.tf.json", { resource: {} });
      },
    ],
    [
      "rotate finish: the rotation state onto --audit-log",
      ["rotate", "finish", "k", "--audit-log", "keykit.rotation.json"],
      () => {},
    ],
    [
      "rotate finish: the rotation state onto --state",
      ["rotate", "finish", "k", "--state", "keykit.rotation.json"],
      () => {},
    ],
    [
      "verify: the rotation state onto --output-json",
      ["verify", "k", "--output-json", "keykit.rotation.json"],
      () => {},
    ],
    [
      "verify: the rotation state onto --state through a symlink",
      ["verify", "k", "--output-json", "outputs.json", "--state", "state-link.json"],
      (dir) => symlinkSync("keykit.rotation.json", join(dir, "state-link.json")),
    ],
  ])("%s", (_name, args, setup) => {
    const dir = workspace();
    setup(dir);
    const before = snapshot(dir);
    const r = run(dir, args);
    expectRefused(r, ONTO);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("skipRules cannot silence an unwaivable rule, and every report lists skipped rules", () => {
  it.each<[string, Record<string, string>, string[]]>([
    ["KK005 in keykit.config.json", {}, ["KK005"]],
    ["KK001 (not acknowledgeable in production) in KEYKIT_SKIP_RULES", { KEYKIT_SKIP_RULES: "KK001" }, []],
    ["KK105 among waivable ones", {}, ["KK008", "KK105"]],
  ])("%s is refused", (_name, env, fileRules) => {
    const dir = workspace();
    if (fileRules.length > 0) json(dir, "keykit.config.json", { skipRules: fileRules });
    const id = env.KEYKIT_SKIP_RULES ?? fileRules[fileRules.length - 1];
    expectRefused(
      run(dir, ["audit", "--inventory", "keys.json", "--now", NOW], env),
      new RegExp(`skipRules: ${id} cannot be skipped`),
    );
    expectRefused(run(dir, ["check", "keys.json"], env), new RegExp(`skipRules: ${id} cannot be skipped`));
  });

  it.each<[string, RegExp]>([
    ["text", /skipped by skipRules \(not evaluated\): KK008 ServiceAccountInUse/],
    ["markdown", /\*\*Skipped\*\* skipped by skipRules \(not evaluated\): KK008 ServiceAccountInUse/],
    ["json", /"skippedRules": \[\s*\{\s*"id": "KK008",\s*"name": "ServiceAccountInUse"/],
    [
      "sarif",
      /"ruleConfigurationOverrides": \[\s*\{\s*"descriptor": \{\s*"id": "KK008"\s*\},\s*"configuration": \{\s*"enabled": false/,
    ],
    [
      "junit",
      /<testsuite name="KK008 ServiceAccountInUse" tests="1" failures="0" errors="0" skipped="1">\s*<testcase classname="KK008"[^>]*>\s*<skipped message="skipped by skipRules/,
    ],
    ["gitlab", /"description": "KK008 ServiceAccountInUse: not evaluated \(skipped by skipRules\)"/],
  ])("%s names the skipped rule (check and audit)", (format, pattern) => {
    const dir = workspace();
    json(dir, "keykit.config.json", { skipRules: ["KK008"] });
    json(dir, "cdk.tf.json", { resource: {} });
    const check = run(dir, ["check", "cdk.tf.json", "--format", format, "--now", NOW]);
    expect(check.stdout).toMatch(pattern);
    const audit = run(dir, ["audit", "--inventory", "keys.json", "--format", format, "--now", NOW]);
    expect(audit.stdout).toMatch(pattern);
  });
});

describe("special names through the CLI", () => {
  it("check finds a user-owned key named constructor and its secret in an output named __proto__", () => {
    const dir = project();
    const text =
      '{"resource":{"confluent_api_key":{"constructor":{"display_name":"k","owner":{"id":"u-123","api_version":"iam/v2","kind":"User"},' +
      '"managed_resource":{"id":"lkc-1","api_version":"cmk/v2","kind":"Cluster","environment":[{"id":"env-1"}]}}}},' +
      '"output":{"__proto__":{"value":"${confluent_api_key.constructor.secret}"}}}';
    writeFileSync(join(dir, "cdk.tf.json"), text);
    const r = run(dir, ["check", "cdk.tf.json", "--format", "json", "--now", NOW]);
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; subject: string }[] }).findings;
    expect(findings.filter((f) => f.ruleId === "KK001").map((f) => f.subject)).toContain(
      "confluent_api_key.constructor",
    );
    expect(
      findings
        .filter((f) => f.ruleId === "KK005")
        .map((f) => f.subject)
        .join(" "),
    ).toContain("__proto__");
  });

  it("verify of a name the rotation state does not hold is refused, even `constructor`", () => {
    const dir = workspace();
    const r = run(dir, ["verify", "constructor", "--output-json", "outputs.json"]);
    expectRefused(r, /'constructor' has no rotation in keykit\.rotation\.json/, 1);
  });
});
