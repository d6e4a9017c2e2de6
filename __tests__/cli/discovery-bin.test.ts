/**
 * The shared discovery through the BUILT bin (dist/cli/main.js) as a subprocess, the way a user or a CI job runs it:
 * `keykit check`, `keykit audit --config` and `keykit rotate status --synth-dir` on one repository tree see the same
 * stacks, and a bad entry (a FIFO where a stack file should be, a directory that cannot be listed) is the same one
 * line in each. Run `npm run build` first (`npm ci` does); a dist/ older than the sources is refused.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TREE_KEYS, TREE_STACKS, discoveryTree } from "../policies/helpers/discovery-tree";
import { unprivileged } from "../helpers/unprivileged";
import { BIN, type Run, keykit as runBin, requireFreshBuild } from "./bin-helpers";

requireFreshBuild();

/**
 * Root ignores permissions: as root, the bin (a world-readable copy) runs as `nobody` on trees in a world-readable
 * directory, so an unlistable directory is one; with no such user the permission cases are skipped, saying why.
 */
const permissions = unprivileged(BIN);
if ("skip" in permissions) console.log(`discovery-bin: the permission cases are skipped: ${permissions.skip}`);
const permissionCase = "skip" in permissions ? it.skip : it;
const tree = () => discoveryTree("skip" in permissions ? undefined : permissions.dir("discovery"));

function keykit(cwd: string, args: readonly string[]): Run {
  if ("skip" in permissions) return runBin(cwd, args, {}, BIN);
  return runBin(cwd, args, {}, permissions.bin, permissions.runAs);
}

const AUDIT = ["audit", "--inventory", "keys.json", "--format", "json", "--fail-on", "none", "--config"];

function notesOf(run: Run): string[] {
  return (JSON.parse(run.stdout) as { inputs: { notes: string[] }[] }).inputs.flatMap((i) => i.notes);
}

/** The one line of a refusal (exit 2), without the `keykit: ` prefix. */
function refusal(run: Run): string {
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/^keykit: [^\n]+\n$/);
  expect(run.code).toBe(2);
  return run.stderr.replace(/^keykit: /, "").trimEnd();
}

describe("built bin: check, audit and rotate see the same stacks", () => {
  const root = tree();

  it("keykit check repo", () => {
    const run = keykit(root, ["check", "repo", "--format", "json", "--fail-on", "none"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const sources = (JSON.parse(run.stdout) as { inputs: { source: string }[] }).inputs.map((i) => i.source);
    expect(sources).toEqual([...TREE_STACKS, "repo/legacy/network"]);
  });

  it("keykit audit --config repo", () => {
    const run = keykit(root, [...AUDIT, "repo"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const configured = notesOf(run).filter((n) => n.startsWith("configuration: "));
    expect(configured).toEqual(TREE_STACKS.map((s) => `configuration: ${s}`));
  });

  it("keykit rotate status --synth-dir repo", () => {
    const run = keykit(root, ["rotate", "status", "--synth-dir", "repo", "--format", "json"]);
    expect(run.code).toBe(0);
    const keys = (JSON.parse(run.stdout) as { keys: { name: string; addresses: object }[] }).keys;
    expect(Object.fromEntries(keys.map((k) => [k.name, k.addresses]))).toEqual(TREE_KEYS);
    expect(run.stderr).toMatch(/^keykit: not checked: repo\/legacy\/network: an HCL root[^\n]*\n$/);
  });
});

describe("built bin: a bad entry is the same one line in check, audit and rotate", () => {
  const everyReader = (path: string) => [
    ["check", path],
    [...AUDIT, path],
    ["rotate", "status", "--synth-dir", path],
  ];

  it("a FIFO where a stack file should be", () => {
    const root = tree();
    const stack = join(root, "repo/app/cdktf.out/stacks/payments/cdk.tf.json");
    rmSync(stack);
    execFileSync("mkfifo", [stack]);
    const line =
      "repo/app/cdktf.out/stacks/payments/cdk.tf.json: is a FIFO (named pipe): only regular files and directories are read";
    // Neither reader blocks on the FIFO (the timeout would end the run with no exit code).
    expect(everyReader("repo/app/cdktf.out").map((args) => refusal(keykit(root, args)))).toEqual([line, line, line]);
  });

  permissionCase("a directory that cannot be listed: an error given directly, a note (or the same line) below", () => {
    const root = tree();
    const locked = join(root, "repo/legacy/locked");
    mkdirSync(locked);
    writeFileSync(
      join(locked, "main.tf"),
      'resource "confluent_service_account" "hidden" {\n  display_name = "x"\n}\n',
    );
    chmodSync(locked, 0o000);
    try {
      const line = "repo/legacy/locked: cannot read (permission denied)";
      expect(everyReader("repo/legacy/locked").map((args) => refusal(keykit(root, args)))).toEqual([line, line, line]);
      const check = keykit(root, ["check", "repo", "--format", "json", "--fail-on", "none"]);
      expect(check.code).toBe(0);
      expect(notesOf(check)).toContain(`not checked: ${line}`);
      const audit = keykit(root, [...AUDIT, "repo"]);
      expect(audit.code).toBe(0);
      expect(notesOf(audit)).toContain(`not checked: ${line}`);
      const rotate = keykit(root, ["rotate", "status", "--synth-dir", "repo", "--format", "json"]);
      expect(rotate.code).toBe(0);
      expect(rotate.stderr).toContain(`keykit: not checked: ${line}\n`);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  permissionCase("a cdktf.out whose stacks/ cannot be listed: the same line given directly, one note below", () => {
    const root = tree();
    const stacks = join(root, "repo/app/cdktf.out/stacks");
    chmodSync(stacks, 0o000);
    try {
      const line = "repo/app/cdktf.out/stacks: cannot read (permission denied)";
      expect(everyReader("repo/app/cdktf.out").map((args) => refusal(keykit(root, args)))).toEqual([line, line, line]);
      const check = keykit(root, ["check", "repo", "--format", "json", "--fail-on", "none"]);
      expect(notesOf(check).filter((n) => n.includes("repo/app/cdktf.out"))).toEqual([`not checked: ${line}`]);
    } finally {
      chmodSync(stacks, 0o755);
    }
  });
});
