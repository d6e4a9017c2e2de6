/**
 * Durable writes: every file the kit writes (rotation-state file, `check --output` / `audit --output` reports, the
 * `--emit-cleanup` script) is either completely replaced or left exactly as it was, with one stderr line and exit 2
 * naming the file and the OS reason. Full disks are a real 64 KiB tmpfs where this machine lets the test mount one,
 * and always an injected short write (the write seam of cli/durable-write.ts).
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  ftruncateSync,
  linkSync,
  lstatSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { writeSeam } from "../../cli/durable-write";
import { parseRotationState } from "../../policies/rotation-state";
import { BIN, requireFreshBuild } from "../cli/bin-helpers";
import { unprivileged } from "../helpers/unprivileged";
import { SECRET, expectOneLineError, keykit, project, snapshot, synthesizedStack, tempDir } from "./helpers";

// The unprivileged-user case runs a copy of the built bin.
requireFreshBuild();

const STATE = "keykit.rotation.json";
const realWrite = writeSeam.write;
afterEach(() => {
  writeSeam.write = realWrite;
});

/** A state file with `count` keys (big enough not to fit in a nearly full 64 KiB file system). */
function bigState(count: number): string {
  const keys: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    keys[`svc-${String(i).padStart(3, "0")}`] = {
      active: "green",
      rotations: 1,
      slots: {
        blue: { status: "retired", createdAt: "2025-01-01T00:00:00Z", retiredAt: "2025-03-01T00:00:00Z" },
        green: { status: "active", createdAt: "2025-02-01T00:00:00Z", activatedAt: "2025-02-01T00:00:00Z" },
      },
    };
  }
  return `${JSON.stringify({ version: 1, keys }, null, 2)}\n`;
}

/** An inventory export with one stale key the configuration does not manage (a cleanup candidate), and the configuration (for audit). */
function auditInputs(dir: string): string[] {
  writeFileSync(
    join(dir, "keys.json"),
    JSON.stringify([
      {
        key: "UNMANAGED1",
        owner: "sa-app01",
        resource_type: "kafka",
        resource: "lkc-a1b2c3",
        created: "2025-01-01T00:00:00Z",
      },
    ]),
  );
  return ["audit", "--inventory", "keys.json", "--config", "cdktf.out", "--now", "2026-11-28", "--fail-on", "none"];
}

describe("writes go through completely or not at all", () => {
  test("a device that takes a few bytes per write still gets the whole file (the write loops)", async () => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, STATE), bigState(20));
    let calls = 0;
    writeSeam.write = (fd, buffer, offset, length) => {
      calls++;
      return realWrite(fd, buffer, offset, Math.min(length, 7));
    };
    const r = await keykit(dir, ["rotate", "start", "orders"]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, STATE), "utf8");
    expect(calls).toBeGreaterThan(text.length / 7 - 1);
    expect(Object.keys(parseRotationState(text).keys)).toHaveLength(21);
  });

  test("a device that stops taking bytes: exit 2, one line, the state file as it was, no temp file", async () => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, STATE), bigState(5));
    const before = snapshot(dir);
    writeSeam.write = (fd, buffer, offset, length) =>
      offset >= 100 ? 0 : realWrite(fd, buffer, offset, Math.min(length, 100));
    const r = await keykit(dir, ["rotate", "start", "orders"]);
    expect(r.code).toBe(2);
    expectOneLineError(r.err);
    expect(r.err).toMatch(/^keykit: cannot write keykit\.rotation\.json: short write \(100 of \d+ bytes\)/);
    expect(r.err).toContain("keykit.rotation.json was not changed");
    expect(snapshot(dir)).toEqual(before);
  });

  test("ENOSPC from the OS: check --output keeps the old report, audit --emit-cleanup the old script", async () => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, "report.json"), "old report\n");
    writeFileSync(join(dir, "cleanup.sh"), "#!/usr/bin/env bash\necho old script\n");
    const before = snapshot(dir);
    writeSeam.write = () => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    };
    const check = await keykit(dir, ["check", "cdktf.out", "--format", "json", "--output", "report.json"]);
    expect(check.code).toBe(2);
    expectOneLineError(check.err);
    expect(check.err).toBe("keykit: check: cannot write report.json: no space left on device\n");
    const audit = await keykit(dir, [...auditInputs(dir), "--emit-cleanup", "cleanup.sh"]);
    expect(audit.code).toBe(2);
    expect(audit.err).toBe("keykit: audit: cannot write cleanup.sh: no space left on device\n");
    expect(snapshot(dir)).toEqual({ ...before, "keys.json": readFileSync(join(dir, "keys.json"), "utf8") });
  });

  test("--output into directories that do not exist yet creates them (mkdir -p), for check and audit", async () => {
    const dir = project(["orders"]);
    const check = await keykit(dir, ["check", "cdktf.out", "--format", "sarif", "--output", "results/ci/keykit.sarif"]);
    expect(check.err).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "results", "ci", "keykit.sarif"), "utf8")).version).toBe("2.1.0");
    const audit = await keykit(dir, [...auditInputs(dir), "--format", "json", "--output", "audit/out/report.json"]);
    expect(audit.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "audit", "out", "report.json"), "utf8")).findings.length).toBeGreaterThan(
      0,
    );
    // A parent that is a file is still refused with one line, and nothing is created.
    writeFileSync(join(dir, "plain"), "x");
    const refused = await keykit(dir, ["check", "cdktf.out", "--output", "plain/sub/report.json"]);
    expect(refused.code).toBe(2);
    expectOneLineError(refused.err);
    expect(existsSync(join(dir, "plain", "sub"))).toBe(false);
  });

  test("the cleanup script is written whole and executable", async () => {
    const dir = project(["orders"]);
    const r = await keykit(dir, [...auditInputs(dir), "--emit-cleanup", "cleanup.sh"]);
    expect(r.code).toBe(0);
    const script = readFileSync(join(dir, "cleanup.sh"), "utf8");
    expect(script).toContain("UNMANAGED1");
    expect(statSync(join(dir, "cleanup.sh")).mode & 0o777).toBe(0o755);
    expect(spawnSync("bash", ["-n", join(dir, "cleanup.sh")]).status).toBe(0);
  });

  test("writing through a symlink updates its target and the link stays a link", async () => {
    const dir = project(["orders"]);
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "shared", "rotation.json"), '{"version": 1, "keys": {}}\n');
    symlinkSync(join("shared", "rotation.json"), join(dir, STATE));
    expect((await keykit(dir, ["rotate", "start", "orders"])).code).toBe(0);
    expect(lstatSync(join(dir, STATE)).isSymbolicLink()).toBe(true);
    const target = parseRotationState(readFileSync(join(dir, "shared", "rotation.json"), "utf8"));
    expect(target.keys.orders.active).toBe("green");
    symlinkSync("reports/latest.txt", join(dir, "report.txt"));
    mkdirSync(join(dir, "reports"));
    expect((await keykit(dir, ["check", "cdktf.out", "--output", "report.txt"])).code).toBeLessThan(2);
    expect(lstatSync(join(dir, "report.txt")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "reports", "latest.txt"), "utf8")).toMatch(/\S/);
  });

  test("a dangling symlink as the state file: the step creates its target, the link stays", async () => {
    const dir = project(["orders"]);
    mkdirSync(join(dir, "shared"));
    symlinkSync(join("shared", "rotation.json"), join(dir, STATE));
    expect((await keykit(dir, ["rotate", "start", "orders"])).code).toBe(0);
    expect(lstatSync(join(dir, STATE)).isSymbolicLink()).toBe(true);
    expect(parseRotationState(readFileSync(join(dir, "shared", "rotation.json"), "utf8")).keys.orders.active).toBe(
      "green",
    );
  });

  test.each([
    ["the same path", () => "cdk.json"],
    ["a symlink to it", (dir: string) => (symlinkSync("cdk.json", join(dir, "out.json")), "out.json")],
    ["a hard link to it", (dir: string) => (linkSync(join(dir, "cdk.json"), join(dir, "hard.json")), "hard.json")],
  ])("check --output over its own input (%s) is refused, the input untouched", async (_name, output) => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, "cdk.json"), JSON.stringify(synthesizedStack(["orders"])));
    const target = output(dir);
    const before = snapshot(dir);
    const r = await keykit(dir, ["check", "cdk.json", "--output", target]);
    expect(r.code).toBe(2);
    expectOneLineError(r.err);
    expect(r.err).toContain(`cannot write ${target}: it is one of this run's input files (cdk.json)`);
    expect(snapshot(dir)).toEqual(before);
  });

  test("reports and scripts are never written over audit inputs or into an input directory's stacks", async () => {
    const dir = project(["orders"]);
    const args = auditInputs(dir);
    const before = snapshot(dir);
    for (const [flag, target] of [
      ["--emit-cleanup", "keys.json"],
      ["--output", "cdktf.out/stacks/prod/cdk.tf.json"],
    ]) {
      const r = await keykit(dir, [...args, flag, target]);
      expect(r.code).toBe(2);
      expectOneLineError(r.err);
      expect(r.err).toMatch(/it is one of this run's input files/);
    }
    const check = await keykit(dir, ["check", "cdktf.out", "--output", "cdktf.out/stacks/prod/cdk.tf.json"]);
    expect(check.code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  test.each([
    ["a missing parent directory", "nowhere/keykit.rotation.json", /no such file or directory/],
    ["a directory in place of the file", "statedir", /is a directory/],
    ["a parent that is a file", "plain/keykit.rotation.json", /a parent is not a directory/],
    ["a symlink loop", "loop-a.json", /too many levels of symbolic links/],
  ])("rotate with %s: exit 2, one line, nothing changed", async (_name, file, reason) => {
    const dir = project(["orders"]);
    mkdirSync(join(dir, "statedir"));
    writeFileSync(join(dir, "plain"), SECRET);
    symlinkSync("loop-b.json", join(dir, "loop-a.json"));
    symlinkSync("loop-a.json", join(dir, "loop-b.json"));
    const before = snapshot(dir);
    const r = await keykit(dir, ["rotate", "start", "orders", "--file", file, "--init"]);
    expect(r.code).toBe(2);
    expectOneLineError(r.err, SECRET);
    expect(r.err).toMatch(reason);
    expect(r.err).toContain(file);
    expect(snapshot(dir)).toEqual(before);
  });

  // Root ignores permissions: the case runs the built bin as `nobody`. Both the bin (a world-readable copy with its
  // dependencies) and the project live in this run's world-readable directory: nobody may not be able to enter the
  // clone at all (a clone under a 0700 home), and the CLI loads modules lazily while it runs.
  const permissions = process.getuid?.() === 0 ? unprivileged(BIN) : { skip: "not running as root" };
  if ("skip" in permissions) console.log(`writes: the unprivileged-user case is skipped: ${permissions.skip}`);
  ("skip" in permissions ? test.skip : test)(
    "rotate in a directory it may not write (as an unprivileged user): exit 2",
    () => {
      if ("skip" in permissions) return;
      const dir = project(["orders"], permissions.dir("project"));
      mkdirSync(join(dir, "locked"), { mode: 0o555 });
      writeFileSync(join(dir, "locked", STATE), bigState(2));
      const before = snapshot(dir);
      const r = spawnSync(
        process.execPath,
        [permissions.bin, "rotate", "start", "orders", "--file", `locked/${STATE}`, "--init"],
        { cwd: dir, encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH ?? "" }, ...permissions.runAs },
      );
      expect(r.stderr).toMatch(/cannot lock locked\/keykit\.rotation\.json: permission denied/);
      expect(r.status).toBe(2);
      expectOneLineError(r.stderr);
      expect(snapshot(dir)).toEqual(before);
    },
  );
});

/** Mounts a tmpfs at `dir` (root and a permissive sandbox only); false when this machine does not allow it. */
function mountTmpfs(dir: string, options: string): boolean {
  if (process.platform !== "linux") return false;
  return spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]).status === 0;
}

function unmount(dir: string): void {
  spawnSync("umount", [dir]);
}

/** Fills the file system under `dir` with one file, leaving `spare` bytes free (rounded to its blocks). */
function fill(dir: string, spare: number): void {
  const fd = openSync(join(dir, "filler"), "w");
  const chunk = Buffer.alloc(4096, 0x2e);
  let size = 0;
  try {
    for (;;) size += writeSync(fd, chunk);
  } catch {
    // ENOSPC: full.
  }
  ftruncateSync(fd, Math.max(0, size - spare));
  closeSync(fd);
}

describe("a real full disk (64 KiB tmpfs)", () => {
  const mnt = join(tempDir("tmpfs"), "mnt");
  mkdirSync(mnt);
  const mounted = mountTmpfs(mnt, "size=64k,mode=0755");
  afterAll(() => {
    if (mounted) unmount(mnt);
  });
  const onTmpfs = mounted ? test : test.skip;

  onTmpfs("rotate start on a nearly full disk: exit 2, the state file whole and unchanged", async () => {
    const dir = project(["orders"]);
    const state = bigState(60);
    expect(state.length).toBeGreaterThan(16 * 1024);
    writeFileSync(join(mnt, STATE), state);
    fill(mnt, 8 * 1024); // room for the lock file, not for a second copy of the state
    const before = snapshot(mnt);
    const r = await keykit(dir, ["rotate", "start", "orders", "--file", join(mnt, STATE)]);
    expect(r.code).toBe(2);
    expectOneLineError(r.err);
    expect(r.err).toMatch(/cannot write .*keykit\.rotation\.json: no space left on device \(.* was not changed\)/);
    expect(snapshot(mnt)).toEqual(before);
    expect(readFileSync(join(mnt, STATE), "utf8")).toBe(state);
  });

  onTmpfs("check --output and audit --emit-cleanup on a full disk: exit 2, old files intact", async () => {
    const dir = project(["orders"]);
    const args = auditInputs(dir);
    writeFileSync(join(mnt, "report.txt"), "old report\n");
    writeFileSync(join(mnt, "cleanup.sh"), "#!/usr/bin/env bash\necho old\n");
    fill(mnt, 0);
    const before = snapshot(mnt);
    const check = await keykit(dir, ["check", "cdktf.out", "--output", join(mnt, "report.txt")]);
    expect(check.code).toBe(2);
    expectOneLineError(check.err);
    expect(check.err).toMatch(/report\.txt: no space left on device/);
    const audit = await keykit(dir, [...args, "--emit-cleanup", join(mnt, "cleanup.sh")]);
    expect(audit.code).toBe(2);
    expect(audit.err).toMatch(/cleanup\.sh: no space left on device/);
    expect(snapshot(mnt)).toEqual(before);
  });

  onTmpfs("rotate on a read-only file system: exit 2, one line, nothing changed", async () => {
    const dir = project(["orders"]);
    const ro = join(tempDir("tmpfs-ro"), "mnt");
    mkdirSync(ro);
    if (!mountTmpfs(ro, "size=64k")) return;
    try {
      writeFileSync(join(ro, STATE), bigState(2));
      expect(spawnSync("mount", ["-o", "remount,ro", ro]).status).toBe(0);
      const before = snapshot(ro);
      const r = await keykit(dir, ["rotate", "start", "orders", "--file", join(ro, STATE)]);
      expect(r.code).toBe(2);
      expectOneLineError(r.err);
      expect(r.err).toMatch(/read-only file system/);
      expect(snapshot(ro)).toEqual(before);
    } finally {
      unmount(ro);
    }
  });
});
