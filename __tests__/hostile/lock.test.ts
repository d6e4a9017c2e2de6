/**
 * One writer at a time: concurrent `keykit rotate` processes on one state file serialize through the lock file,
 * so no step is lost and a step that no longer applies is refused (exit 1); stale locks of dead processes are
 * taken over with a note; a live holder makes a step wait, then give up with exit 1, changing nothing.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { rotateCommand } from "../../cli/commands/rotate";
import { reportError } from "../../cli/main";
import type { CliIo } from "../../cli/io";
import { parseRotationState } from "../../policies/rotation-state";
import { expectOneLineError, project, snapshot, spawnKeykit } from "./helpers";
import { requireFreshBuild } from "../cli/bin-helpers";

requireFreshBuild();

const STATE = "keykit.rotation.json";

/** A process that is alive for the test (so its pid names a live lock holder), killed afterwards. */
function liveProcess(): { pid: number; stop: () => void } {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"], { stdio: "ignore" });
  return { pid: child.pid as number, stop: () => child.kill("SIGKILL") };
}

/** The pid of a process that has exited (a crashed keykit). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid as number;
}

async function runInProcess(dir: string, args: string[], lockWaitMs: number) {
  const err: string[] = [];
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, env: {}, isTty: false };
  let code: number;
  try {
    code = await rotateCommand(() => new Date("2026-11-28T02:00:00Z"), { lockWaitMs })(args, io);
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, out: out.join(""), err: err.join("") };
}

describe("one writer at a time", () => {
  test("12 concurrent starts of different keys: every step lands, none is lost", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `key-${String(i).padStart(2, "0")}`);
    const dir = project(names);
    const results = await Promise.all(names.map((name) => spawnKeykit(dir, ["rotate", "start", name])));
    for (const r of results) {
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
    }
    const state = parseRotationState(readFileSync(join(dir, STATE), "utf8"));
    expect(Object.keys(state.keys)).toEqual(names);
    for (const name of names) expect(state.keys[name]).toMatchObject({ active: "green", rotations: 1 });
    expect(existsSync(join(dir, `${STATE}.lock`))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 60_000);

  test("10 concurrent starts of the same key: exactly one succeeds, the others are refused with exit 1", async () => {
    const dir = project(["orders"]);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => spawnKeykit(dir, ["rotate", "start", "orders"])),
    );
    const ok = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code === 1);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expectOneLineError(r.err);
      expect(r.err).toMatch(/cannot start a rotation of 'orders': its previous slot blue is still retained/);
    }
    const state = parseRotationState(readFileSync(join(dir, STATE), "utf8"));
    expect(state.keys.orders).toMatchObject({ active: "green", rotations: 1 });
    expect(existsSync(join(dir, `${STATE}.lock`))).toBe(false);
  }, 60_000);

  test("concurrent start and finish of one key through two symlinks share one lock", async () => {
    const dir = project(["orders"]);
    expect((await spawnKeykit(dir, ["rotate", "start", "orders"])).code).toBe(0);
    symlinkSync(STATE, join(dir, "link-a.json"));
    symlinkSync(STATE, join(dir, "link-b.json"));
    // finish and start race: whichever order they run in, the file ends consistent (never both from one state).
    const [finish, start] = await Promise.all([
      spawnKeykit(dir, ["rotate", "finish", "orders", "--file", "link-a.json", "--force", "lock test: no apply"]),
      spawnKeykit(dir, ["rotate", "start", "orders", "--file", "link-b.json"]),
    ]);
    expect(finish.code).toBe(0);
    const entry = parseRotationState(readFileSync(join(dir, STATE), "utf8")).keys.orders;
    if (start.code === 0) expect(entry).toMatchObject({ active: "blue", rotations: 2 });
    else {
      expect(start.code).toBe(1);
      expectOneLineError(start.err);
      expect(entry).toMatchObject({ active: "green", rotations: 1 });
      expect(entry.slots.blue?.status).toBe("retired");
    }
  }, 60_000);

  test("a live holder makes a step wait, then give up with exit 1; nothing changes", async () => {
    const dir = project(["orders"]);
    const holder = liveProcess();
    try {
      const lock = JSON.stringify({ pid: holder.pid, host: hostname(), since: "2026-11-28T01:59:00Z", token: "t1" });
      writeFileSync(join(dir, `${STATE}.lock`), lock);
      const before = snapshot(dir);
      const r = await runInProcess(dir, ["start", "orders"], 300);
      expect(r.code).toBe(1);
      expectOneLineError(r.err);
      expect(r.err).toContain(`locked by pid ${holder.pid}`);
      expect(r.err).toContain(`delete ${STATE}.lock if that process is gone`);
      expect(snapshot(dir)).toEqual(before);
    } finally {
      holder.stop();
    }
  });

  test("a stale lock of a dead pid is taken over with a note, and removed afterwards", async () => {
    const dir = project(["orders"]);
    const pid = await deadPid();
    const lock = { pid, host: hostname(), since: "2026-11-27T23:00:00Z", token: "crashed" };
    writeFileSync(join(dir, `${STATE}.lock`), JSON.stringify(lock));
    const r = await runInProcess(dir, ["start", "orders"], 2000);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      new RegExp(
        `^keykit: note: took over the stale lock ${STATE}\\.lock of pid ${pid} \\(no longer running[^\\n]*\\n$`,
      ),
    );
    expect(existsSync(join(dir, `${STATE}.lock`))).toBe(false);
    expect(parseRotationState(readFileSync(join(dir, STATE), "utf8")).keys.orders.active).toBe("green");
  });

  test("a lock file left empty by a process killed between create and write is taken over once it is old", async () => {
    const dir = project(["orders"]);
    const lock = join(dir, `${STATE}.lock`);
    writeFileSync(lock, "");
    const young = await runInProcess(dir, ["start", "orders"], 200);
    expect(young.code).toBe(1);
    expectOneLineError(young.err);
    expect(young.err).toMatch(/lock file being written/);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    const old = await runInProcess(dir, ["start", "orders"], 200);
    expect(old.code).toBe(0);
    expect(old.err).toMatch(/^keykit: note: took over the stale lock keykit\.rotation\.json\.lock \(left empty/);
    expect(existsSync(lock)).toBe(false);
  });

  test("a lock from another host is never taken over (its pid cannot be checked from here)", async () => {
    const dir = project(["orders"]);
    const lock = JSON.stringify({ pid: 1, host: `not-${hostname()}`, since: "2026-11-27T23:00:00Z", token: "far" });
    writeFileSync(join(dir, `${STATE}.lock`), lock);
    const r = await runInProcess(dir, ["start", "orders"], 200);
    expect(r.code).toBe(1);
    expectOneLineError(r.err);
    expect(readFileSync(join(dir, `${STATE}.lock`), "utf8")).toBe(lock);
    expect(existsSync(join(dir, STATE))).toBe(false);
  });

  test("the lock is released after a refused step and after a malformed file", async () => {
    const dir = project(["orders"]);
    const refused = await runInProcess(dir, ["finish", "orders"], 200);
    expect(refused.code).toBe(1);
    expect(existsSync(join(dir, `${STATE}.lock`))).toBe(false);
    writeFileSync(join(dir, STATE), '{"version": 1, "keys": ');
    const malformed = await runInProcess(dir, ["start", "orders"], 200);
    expect(malformed.code).toBe(2);
    expectOneLineError(malformed.err);
    expect(existsSync(join(dir, `${STATE}.lock`))).toBe(false);
  });
});
